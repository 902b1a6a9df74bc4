/**
 * Real daemons for tests: a daemon process on a real socket in a private
 * temporary directory, a raw line client for protocol abuse, and a scratch
 * Go workspace with a controlled environment.
 *
 * @module
 */

import { daemonCommand } from "../../daemon/start.ts";

export const repoRoot: string = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/** sleep waits ms milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Daemon is a running daemon process. */
export interface Daemon {
  tmp: string;
  /** The socket directory (0700). */
  dir: string;
  socket: string;
  child: Deno.ChildProcess;
  pid: number;
  /** stop kills it (SIGKILL if SIGTERM is not enough) and waits. */
  stop(): Promise<void>;
}

/**
 * startCommand is the argv a client uses to start a daemon for tests; an
 * idle exit makes sure a failed test leaves no daemon behind.
 */
export function startCommand(): string[] {
  return [...daemonCommand(), "--idle-exit", "20"];
}

/**
 * startupDeadlineMs bounds waiting for a daemon to listen. A daemon that
 * fails exits, and waitSocket sees that at once (when given its exit); the
 * deadline only catches a daemon that neither listens nor exits. It is
 * generous because starting one is a Deno start-up (type-checked module
 * graph, 0.2–0.5 s idle) that a loaded 2-core machine running several test
 * processes stretches more than tenfold: 10 s was seen to run out.
 */
export const startupDeadlineMs = 120_000;

/**
 * waitSocket waits until something accepts on socket. It polls the socket
 * (there is no event for "a process started listening"), and when given
 * the daemon's exit it stops at once if the daemon exits first.
 */
export async function waitSocket(
  socket: string,
  ms = startupDeadlineMs,
  exited?: Promise<Deno.CommandStatus>,
): Promise<void> {
  const deadline = Date.now() + ms;
  let status: Deno.CommandStatus | undefined;
  exited?.then((s) => status = s, () => {});
  for (;;) {
    try {
      const c = await Deno.connect({ transport: "unix", path: socket });
      c.close();
      return;
    } catch {
      if (status !== undefined) {
        throw new Error(
          `the daemon exited (code ${status.code}${
            status.signal ? `, ${status.signal}` : ""
          }) before listening on ${socket}`,
        );
      }
      if (Date.now() > deadline) {
        throw new Error(`no daemon on ${socket} after ${ms} ms: it neither listened nor exited`);
      }
      await sleep(20);
    }
  }
}

/** startDaemon runs `daemon/main.ts run --dir <tmp>/run` and waits for its socket. */
export async function startDaemon(
  opts: { tmp?: string; args?: string[]; wait?: boolean; env?: Record<string, string> } = {},
): Promise<Daemon> {
  const tmp = opts.tmp ?? await Deno.makeTempDir({ prefix: "gtc-daemon-" });
  const dir = `${tmp}/run`;
  const cmd = daemonCommand();
  const child = new Deno.Command(cmd[0], {
    args: [...cmd.slice(1), "--dir", dir, "--idle-exit", "60", ...(opts.args ?? [])],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    ...(opts.env ? { env: opts.env } : {}),
  }).spawn();
  const socket = `${dir}/gtc-v1.sock`;
  const d: Daemon = {
    tmp,
    dir,
    socket,
    child,
    pid: child.pid,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // Already gone.
      }
      const t = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch {
          // Gone.
        }
      }, 3000);
      await child.output().catch(() => {});
      clearTimeout(t);
    },
  };
  if (opts.wait !== false) await waitSocket(socket, startupDeadlineMs, child.status);
  return d;
}

/** LineClient speaks raw newline-delimited frames. */
export class LineClient {
  #conn: Deno.UnixConn;
  #buf = "";
  #lines: string[] = [];
  #waiters: (() => void)[] = [];
  #ended = false;
  #dec = new TextDecoder();
  #enc = new TextEncoder();

  private constructor(conn: Deno.UnixConn) {
    this.#conn = conn;
    this.#pump();
  }

  static async open(socket: string): Promise<LineClient> {
    return new LineClient(await Deno.connect({ transport: "unix", path: socket }));
  }

  async #pump(): Promise<void> {
    const b = new Uint8Array(65536);
    try {
      for (;;) {
        const n = await this.#conn.read(b);
        if (n === null) break;
        this.#buf += this.#dec.decode(b.subarray(0, n), { stream: true });
        let i;
        while ((i = this.#buf.indexOf("\n")) >= 0) {
          this.#lines.push(this.#buf.slice(0, i));
          this.#buf = this.#buf.slice(i + 1);
        }
        for (const w of this.#waiters.splice(0)) w();
      }
    } catch {
      // Reset.
    }
    this.#ended = true;
    for (const w of this.#waiters.splice(0)) w();
  }

  async write(s: string | Uint8Array): Promise<void> {
    const data = typeof s === "string" ? this.#enc.encode(s) : s;
    let off = 0;
    while (off < data.length) off += await this.#conn.write(data.subarray(off));
  }

  /** line returns the next line, or undefined at end of stream / timeout. */
  async line(timeoutMs = 10_000): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.#lines.length === 0 && !this.#ended) {
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await Promise.race([
        new Promise<void>((r) => this.#waiters.push(r)),
        sleep(Math.min(left, 200)),
      ]);
    }
    return this.#lines.shift();
  }

  /** json returns the next line parsed. */
  async json(timeoutMs?: number): Promise<unknown> {
    const l = await this.line(timeoutMs);
    if (l === undefined) throw new Error("connection ended before an answer");
    return JSON.parse(l);
  }

  close(): void {
    try {
      this.#conn.close();
    } catch {
      // Closed.
    }
  }
}

/** Workspace is a scratch tree with a Go module and a controlled environment. */
export interface Workspace {
  root: string;
  home: string;
  /** A module directory with go.mod "go 1.21". */
  mod: string;
  /** A directory on PATH for go1.X.Y programs. */
  bin: string;
  env: Record<string, string>;
}

/** localGoBin is the directory of the go command on this machine's PATH. */
export function localGoBin(): string {
  for (const d of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${d}/go`).isFile) return d;
    } catch {
      // Not here.
    }
  }
  throw new Error("tests/daemon need a go command on PATH");
}

/** makeWorkspace creates a Workspace under tmp. */
export async function makeWorkspace(tmp: string): Promise<Workspace> {
  const root = await Deno.realPath(tmp) + "/ws";
  const home = `${root}/home`;
  const mod = `${root}/src/proj/mod`;
  const bin = `${root}/bin`;
  await Deno.mkdir(home, { recursive: true });
  await Deno.mkdir(mod, { recursive: true });
  await Deno.mkdir(bin, { recursive: true });
  await Deno.writeTextFile(`${mod}/go.mod`, "module example.com/mod\n\ngo 1.21\n");
  return {
    root,
    home,
    mod,
    bin,
    env: {
      PATH: `${bin}:${localGoBin()}:/usr/bin:/bin`,
      HOME: home,
      GOTOOLCHAIN: "auto",
      TMPDIR: "/tmp",
      // Not relevant to selection: the daemon must ignore it.
      TERM: "dumb",
    },
  };
}

/** writeAtomic saves a file the way editors do: write a temp file, rename it over. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const dir = path.slice(0, path.lastIndexOf("/"));
  const base = path.slice(path.lastIndexOf("/") + 1);
  const tmp = `${dir}/.${base}.swp`;
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, path);
}
