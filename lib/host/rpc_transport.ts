/**
 * The machine side of the daemon client: dialling the daemon's socket,
 * checking that its directory is private, and starting a daemon process.
 *
 * POSIX uses Deno.connect({transport: "unix"}) and no node: or npm: import,
 * so a client that loads only this file and lib/rpc starts in ~23 ms instead
 * of ~50 ms (shared/spec/deno-stack.md §3). Windows named pipes exist only in
 * node:net under Deno, which is imported dynamically there; that path is
 * untested (no Windows CI yet). On Node every call goes through node:fs,
 * node:net and node:child_process, loaded by rt.nodeBuiltins() on the first
 * dial (openConn awaits rt.ready() before its synchronous checks).
 *
 * @module
 */

import * as rt from "./runtime.ts";

/** RpcConn is a byte stream to the daemon. */
export interface RpcConn {
  /** read fills buf and returns the byte count, or null at end of stream. */
  read(buf: Uint8Array): Promise<number | null>;
  /** write writes all of data or throws. */
  write(data: Uint8Array): Promise<void>;
  /** close ends the connection; pending reads return null or throw. */
  close(): void;
}

/** Dialer opens connections to an address (a socket path or a pipe name). */
export type Dialer = (address: string) => Promise<RpcConn>;

/** DialError says why a dial failed: "absent" (nothing listening) or "refused" (a stale socket). */
export class DialError extends Error {
  constructor(readonly kind: "absent" | "refused" | "other", message: string) {
    super(message);
    this.name = "DialError";
  }
}

/** wrapDeno adapts a Deno.Conn to RpcConn (full writes, idempotent close); the daemon uses it too. */
export function wrapDeno(conn: Deno.Conn): RpcConn {
  let closed = false;
  return {
    read: (buf) => conn.read(buf),
    async write(data) {
      let off = 0;
      while (off < data.length) off += await conn.write(data.subarray(off));
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        conn.close();
      } catch {
        // Already closed by the peer.
      }
    },
  };
}

/** dial connects to the daemon at address. */
export async function dial(address: string): Promise<RpcConn> {
  if (!rt.isDeno || address.startsWith("\\\\.\\pipe\\")) return await dialNet(address);
  try {
    return wrapDeno(await Deno.connect({ transport: "unix", path: address }));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new DialError("absent", `${address}: no daemon`);
    if (e instanceof Deno.errors.ConnectionRefused) {
      throw new DialError("refused", `${address}: connection refused (stale socket)`);
    }
    throw new DialError("other", `dial ${address}: ${e instanceof Error ? e.message : e}`);
  }
}

// dialNet connects through node:net, loaded only here: to a Windows named
// pipe on either runtime, and to a Unix socket on Node.
async function dialNet(address: string): Promise<RpcConn> {
  const { net } = await rt.nodeBuiltins();
  const sock = net.createConnection(address);
  await new Promise<void>((resolve, reject) => {
    sock.once("connect", resolve);
    sock.once("error", (e: Error & { code?: string }) =>
      reject(
        e.code === "ENOENT"
          ? new DialError("absent", `${address}: no daemon`)
          : e.code === "ECONNREFUSED"
          ? new DialError("refused", `${address}: connection refused (stale socket)`)
          : new DialError("other", `dial ${address}: ${e.message}`),
      ));
  });
  const chunks: Uint8Array[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  sock.on("data", (d: Uint8Array) => {
    chunks.push(d);
    wake?.();
  });
  const end = () => {
    ended = true;
    wake?.();
  };
  sock.on("end", end);
  sock.on("close", end);
  sock.on("error", end);
  return {
    async read(buf) {
      while (chunks.length === 0 && !ended) await new Promise<void>((r) => (wake = r));
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
  };
}

/** currentUid returns this process's user id (undefined on Windows). */
export function currentUid(): number | undefined {
  return rt.uid();
}

/** hostGoos is runtime.GOOS of this machine. */
export const hostGoos: string = rt.hostOs;

/** hostEnviron returns this process's environment. */
export const hostEnviron: () => Record<string, string> = rt.environ;

/** transportReady loads what the synchronous checks below need on Node (nothing on Deno). */
export const transportReady: () => Promise<unknown> = rt.ready;

/** hostCwd returns this process's directory. */
export const hostCwd: () => string = rt.cwd;

// The lstat facts the privacy checks need; undefined when path does not exist.
interface OwnerInfo {
  isSymlink: boolean;
  isDirectory: boolean;
  isSocket: boolean;
  uid: number | null;
  mode: number;
}

function lstatOwner(path: string): OwnerInfo | undefined {
  if (!rt.isDeno) {
    const st = rt.loadedBuiltins().fs.lstatSync(path, { throwIfNoEntry: false });
    if (st === undefined) return undefined;
    return {
      isSymlink: st.isSymbolicLink(),
      isDirectory: st.isDirectory(),
      isSocket: st.isSocket(),
      uid: st.uid,
      mode: st.mode,
    };
  }
  let st: Deno.FileInfo;
  try {
    st = Deno.lstatSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  return {
    isSymlink: st.isSymlink,
    isDirectory: st.isDirectory,
    isSocket: st.isSocket ?? false,
    uid: st.uid,
    mode: st.mode ?? 0,
  };
}

/**
 * privateDirProblem reports why dir is not a safe place for the socket and
 * the hook file: it must be a real directory (not reached through a
 * symlink) owned by this user with no group or other permissions. It
 * returns undefined when dir is fine, "missing" when it does not exist, and
 * otherwise the error text. The daemon and every client apply this one rule
 * (the shell hooks check what a shell can without a process: docs/hooks.md).
 * With fixMode (the daemon, on its own directory), group and other bits are
 * removed instead of refused.
 */
export function privateDirProblem(dir: string, fixMode = false): string | undefined {
  if (rt.hostOs === "windows") return undefined;
  let st: OwnerInfo | undefined;
  try {
    st = lstatOwner(dir);
  } catch (e) {
    return `${dir}: ${e instanceof Error ? e.message : e}`;
  }
  if (st === undefined) return "missing";
  if (st.isSymlink) return `refusing to use ${dir}: it is a symbolic link`;
  if (!st.isDirectory) return `refusing to use ${dir}: not a directory`;
  const uid = rt.uid();
  if (st.uid !== uid) {
    return `refusing to use ${dir}: owned by uid ${st.uid}, not by this user (uid ${uid})`;
  }
  const mode = (st.mode ?? 0) & 0o777;
  if ((mode & 0o077) !== 0) {
    if (fixMode) {
      if (rt.isDeno) Deno.chmodSync(dir, 0o700);
      else rt.loadedBuiltins().fs.chmodSync(dir, 0o700);
      return undefined;
    }
    return `refusing to use ${dir}: mode ${
      mode.toString(8).padStart(4, "0")
    } lets other users in (want 0700)`;
  }
  return undefined;
}

/**
 * socketProblem reports why the socket file at path must not be trusted: it
 * must be a socket owned by this user. undefined when fine or missing.
 */
export function socketProblem(path: string): string | undefined {
  if (rt.hostOs === "windows") return undefined;
  let st: OwnerInfo | undefined;
  try {
    st = lstatOwner(path);
  } catch {
    return undefined;
  }
  if (st === undefined) return undefined;
  if (st.uid !== rt.uid()) {
    return `refusing to use ${path}: owned by uid ${st.uid}, not by this user (uid ${rt.uid()})`;
  }
  if (!st.isSocket) return `refusing to use ${path}: not a socket`;
  return undefined;
}

/** sleep waits ms milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * spawnDetached starts cmd in the background with env, outside this
 * process's session where `setsid` exists (so the terminal's signals do not
 * reach it), with stdin and stdout closed and stderr appended to errFile,
 * and returns its pid. The daemon keeps its own log.
 */
export function spawnDetached(cmd: readonly string[], env: Record<string, string>): number {
  let argv = [...cmd];
  if (rt.hostOs !== "windows") {
    for (const s of ["/usr/bin/setsid", "/bin/setsid"]) {
      try {
        const isFile = rt.isDeno
          ? Deno.statSync(s).isFile
          : rt.loadedBuiltins().fs.statSync(s).isFile();
        if (isFile) {
          argv = [s, ...argv];
          break;
        }
      } catch {
        // Not here.
      }
    }
  }
  if (!rt.isDeno) {
    const child = rt.loadedBuiltins().childProcess.spawn(argv[0], argv.slice(1), {
      env,
      cwd: rt.hostOs === "windows" ? undefined : "/",
      stdio: "ignore",
      detached: rt.hostOs === "windows",
    });
    child.on("error", () => {});
    child.unref();
    return child.pid ?? -1;
  }
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    env,
    clearEnv: true,
    cwd: rt.hostOs === "windows" ? undefined : "/",
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  child.unref();
  // Reap it if it exits while we still run (a lost start race exits at once).
  child.status.catch(() => {});
  return child.pid;
}
