/**
 * Where the daemon accepts connections, behind one small interface: a Unix
 * socket through Deno.listen on POSIX, a named pipe through node:net on
 * Windows (Deno has no other way to serve a pipe; see
 * shared/spec/deno-stack.md §2). The Windows path is untested here: no
 * Windows machine or CI job exists yet.
 *
 * @module
 */

import { type RpcConn, wrapDeno } from "../lib/host/rpc_transport.ts";

/** Listener yields accepted connections until closed. */
export interface Listener extends AsyncIterable<RpcConn> {
  readonly address: string;
  close(): void;
}

/** listen serves address: a socket path (mode 0600) or a `\\.\pipe\…` name. */
export async function listen(address: string): Promise<Listener> {
  if (address.startsWith("\\\\.\\pipe\\")) return await listenPipe(address);
  const l = Deno.listen({ transport: "unix", path: address });
  Deno.chmodSync(address, 0o600);
  return {
    address,
    close() {
      try {
        l.close();
      } catch {
        // Already closed.
      }
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        let c: Deno.UnixConn;
        try {
          c = await l.accept();
        } catch (e) {
          if (e instanceof Deno.errors.BadResource || e instanceof Deno.errors.Interrupted) return;
          // EMFILE and friends: back off and keep serving.
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        yield wrapDeno(c);
      }
    },
  };
}

/**
 * listenLoopback serves 127.0.0.1 on a port the system picks, for shells that
 * reach the daemon only through TCP (bash's /dev/tcp; docs/hooks.md). The
 * caller must require a token on its connections: any local user can connect.
 */
export function listenLoopback(): Listener & { port: number } {
  const l = Deno.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  return {
    address: `127.0.0.1:${port}`,
    port,
    close() {
      try {
        l.close();
      } catch {
        // Already closed.
      }
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        let c: Deno.TcpConn;
        try {
          c = await l.accept();
        } catch (e) {
          if (e instanceof Deno.errors.BadResource || e instanceof Deno.errors.Interrupted) return;
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        try {
          c.setNoDelay(true);
        } catch {
          // Closed already.
        }
        yield wrapDeno(c);
      }
    },
  };
}

async function listenPipe(address: string): Promise<Listener> {
  const net = await import("node:net");
  const queue: RpcConn[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  const server = net.createServer((sock) => {
    const chunks: Uint8Array[] = [];
    let ended = false;
    let readWake: (() => void) | undefined;
    sock.on("data", (d: Uint8Array) => {
      chunks.push(d);
      readWake?.();
    });
    const end = () => {
      ended = true;
      readWake?.();
    };
    sock.on("end", end);
    sock.on("close", end);
    sock.on("error", end);
    queue.push({
      async read(buf) {
        while (chunks.length === 0 && !ended) await new Promise<void>((r) => (readWake = r));
        const c = chunks.shift();
        if (c === undefined) return null;
        const n = Math.min(c.length, buf.length);
        buf.set(c.subarray(0, n));
        if (n < c.length) chunks.unshift(c.subarray(n));
        return n;
      },
      write: (data) =>
        new Promise<void>((resolve, reject) => sock.write(data, (e) => e ? reject(e) : resolve())),
      close: () => sock.destroy(),
    });
    wake?.();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(address, () => resolve());
  });
  return {
    address,
    close() {
      closed = true;
      server.close();
      wake?.();
    },
    async *[Symbol.asyncIterator]() {
      while (!closed) {
        const c = queue.shift();
        if (c !== undefined) {
          yield c;
          continue;
        }
        await new Promise<void>((r) => (wake = r));
      }
    },
  };
}
