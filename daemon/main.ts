/**
 * The gtc daemon process: one per user and protocol version.
 *
 * Start-up: make the socket directory private (create it 0700, refuse one
 * owned by another user or reached through a symlink), take the lock (a
 * second daemon exits), replace a stale socket (present, but nothing
 * answers), listen (socket 0600), serve until `shutdown`, SIGTERM/SIGINT or
 * the idle timeout. Answers never depend on the daemon's own environment:
 * every request carries the client's.
 *
 * Run as `deno run -A daemon/main.ts run [--dir D] [--idle-exit S]
 * [--log F] [--foreground]`, or through `gtc daemon run`.
 *
 * @module
 */

import config from "../deno.json" with { type: "json" };
import { daemonAddress } from "../lib/rpc/address.ts";
import { privateDirProblem } from "../lib/host/rpc_transport.ts";
import { FileLogger } from "./log.ts";
import { Server } from "./server.ts";
import { Shells } from "./shells.ts";
import { State } from "./state.ts";
import { listen, listenLoopback } from "./transport.ts";

/** DaemonOptions configure a daemon run. */
export interface DaemonOptions {
  /** The socket directory (default: from XDG_RUNTIME_DIR or the cache dir). */
  dir?: string;
  /** Exit after this many seconds without clients (0 = never). */
  idleExit?: number;
  /** The log file (default: daemon.log beside the socket). */
  log?: string;
  /** Also log to stderr. */
  foreground?: boolean;
  /** "inotify" or "deno" (default: inotify on Linux). */
  watcher?: "inotify" | "deno";
  /** Revalidation period in seconds (0 = never; default 300). */
  revalidate?: number;
  /** Evict answers not asked for this many seconds (default 1800). */
  evictAfter?: number;
  /** Drop a peer that reads none of its pending answers for this many seconds (default 10). */
  stallTimeout?: number;
  /** Check shells' pids this often, in seconds (default 2). */
  shellCheck?: number;
  /** Serve the loopback TCP listener for bash hooks (default true on POSIX). */
  loopback?: boolean;
  /** Compute answers reading a file over this many bytes in a worker (default 1 MiB). */
  inlineMax?: number;
  /** A worker's deadline for one answer, in seconds (default 30). */
  deadline?: number;
  /** Close a loopback connection that sends no request with the token within this many seconds (default 5). */
  authTimeout?: number;
}

/** VERSION is gtc's version. */
export const VERSION: string = config.version;

function stderr(msg: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`gtc daemon: ${msg}\n`));
}

// ensurePrivateDir creates dir 0700 or checks an existing one with the rule
// every client applies (privateDirProblem): a real directory owned by this
// user; group/other bits on our own directory are removed. Returns an error
// text, or undefined.
function ensurePrivateDir(dir: string): string | undefined {
  if (Deno.build.os === "windows") {
    if (dir !== "") Deno.mkdirSync(dir, { recursive: true });
    return undefined;
  }
  let problem = privateDirProblem(dir, true);
  if (problem === "missing") {
    Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
    Deno.chmodSync(dir, 0o700);
    problem = privateDirProblem(dir, true);
  }
  return problem;
}

// remoteTtl reads GTC_REMOTE_TTL_MS: how long listRemote answers from its
// cache, in ms (docs/protocol.md); unset or not a number ≥ 0: the default.
function remoteTtl(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** runDaemon runs the daemon in this process until it stops; returns the exit code. */
export async function runDaemon(opts: DaemonOptions = {}): Promise<number> {
  const env = Deno.env.toObject();
  let addr;
  try {
    addr = daemonAddress({ env, goos: Deno.build.os, dir: opts.dir });
  } catch (e) {
    stderr((e as Error).message);
    return 1;
  }
  const problem = ensurePrivateDir(addr.dir);
  if (problem !== undefined) {
    stderr(problem);
    return 1;
  }

  // The lock makes this the only daemon for the address.
  const lock = Deno.openSync(addr.lock, { read: true, write: true, create: true, mode: 0o600 });
  if (!lock.tryLockSync(true)) {
    let pid = "";
    try {
      pid = Deno.readTextFileSync(addr.lock).trim();
    } catch {
      // Unreadable: say less.
    }
    stderr(`already running${pid ? ` (pid ${pid})` : ""} at ${addr.socket}`);
    lock.close();
    return 1;
  }
  lock.truncateSync(0);
  lock.writeSync(new TextEncoder().encode(`${Deno.pid}\n`));

  const log = new FileLogger({ path: opts.log ?? addr.log, stderr: opts.foreground });

  // A socket left by a daemon that died: nothing answers on it.
  if (Deno.build.os !== "windows") {
    let exists = false;
    try {
      const st = Deno.lstatSync(addr.socket);
      exists = true;
      if (st.uid !== Deno.uid()) {
        const msg = `refusing to replace ${addr.socket}: owned by uid ${st.uid}`;
        stderr(msg);
        log.error(msg);
        return 1;
      }
    } catch {
      // No socket: the usual case.
    }
    if (exists) {
      try {
        const c = await Deno.connect({ transport: "unix", path: addr.socket });
        c.close();
        const msg = `another process answers on ${addr.socket} without holding ${addr.lock}`;
        stderr(msg);
        log.error(msg);
        return 1;
      } catch {
        Deno.removeSync(addr.socket);
        log.info(`removed stale socket ${addr.socket}`);
      }
    }
  }

  const state = new State({
    log,
    watcher: opts.watcher,
    revalidateMs: (opts.revalidate ?? 300) * 1000,
    evictAfterMs: (opts.evictAfter ?? 1800) * 1000,
    inlineMax: opts.inlineMax,
    deadlineMs: opts.deadline === undefined ? undefined : opts.deadline * 1000,
  });
  // The loopback listener for hooks in shells without Unix sockets (bash's
  // /dev/tcp): any local user can connect, so every request carries the
  // token from the private hook file (docs/hooks.md).
  let loopback: ReturnType<typeof listenLoopback> | undefined;
  if (opts.loopback !== false && Deno.build.os !== "windows") {
    try {
      loopback = listenLoopback();
    } catch (e) {
      log.warn(`no loopback listener for bash hooks: ${(e as Error).message}`);
    }
  }
  // Two secrets in the private hook file: the token goes from hook to daemon
  // (the loopback listener serves only its holders), the proof from daemon
  // to hook (whatever answers without it is not this daemon: a squatter on a
  // freed port). Neither is ever sent the other way.
  const secret = () =>
    Array.from(crypto.getRandomValues(new Uint8Array(24)))
      .map((b) => b.toString(16).padStart(2, "0")).join("");
  const token = secret();
  const proof = secret();
  const shells = new Shells({
    state,
    log,
    hookFile: addr.hook,
    shims: addr.shims,
    port: loopback?.port ?? null,
    token,
    proof,
    checkMs: (opts.shellCheck ?? 2) * 1000,
  });
  // Listen last: a client that finds the socket finds the hook file too.
  let listener;
  try {
    listener = await listen(addr.socket);
  } catch (e) {
    const msg = `listen ${addr.socket}: ${(e as Error).message}`;
    stderr(msg);
    log.error(msg);
    shells.close();
    loopback?.close();
    state.close();
    return 1;
  }
  // Do not keep a client's directory busy.
  if (Deno.build.os !== "windows") Deno.chdir("/");
  const server = new Server({
    state,
    log,
    version: VERSION,
    address: addr.socket,
    logFile: log.path,
    idleExitMs: (opts.idleExit ?? 0) * 1000,
    stallMs: (opts.stallTimeout ?? 10) * 1000,
    loopback: loopback === undefined ? undefined : {
      listener: loopback,
      token,
      authMs: opts.authTimeout === undefined ? undefined : opts.authTimeout * 1000,
    },
    busy: () => shells.size > 0,
    hooks: () => shells.status(),
    prompt: (p) => shells.prompt(p),
    remoteTtlMs: remoteTtl(env.GTC_REMOTE_TTL_MS),
  });

  // One failed request never stops the others.
  globalThis.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    log.error(`unhandled rejection: ${e.reason instanceof Error ? e.reason.stack : e.reason}`);
  });
  globalThis.addEventListener("error", (e) => {
    e.preventDefault();
    log.error(`uncaught: ${e.error instanceof Error ? e.error.stack : e.message}`);
  });
  if (Deno.build.os !== "windows") {
    for (const sig of ["SIGTERM", "SIGINT"] as const) {
      Deno.addSignalListener(sig, () => server.stop(sig));
    }
    Deno.addSignalListener("SIGHUP", () => log.info("SIGHUP ignored"));
  }

  log.info(
    `started pid ${Deno.pid} gtc ${VERSION} on ${addr.socket} (watcher ${state.watcher.kind}` +
      `${loopback ? `, hooks on ${loopback.address}` : ""})`,
  );
  await server.serve(listener);
  shells.close();
  if (Deno.build.os !== "windows") {
    try {
      Deno.removeSync(addr.socket);
    } catch {
      // Already gone.
    }
  }
  log.info("stopped");
  lock.close();
  return 0;
}

/**
 * parseDaemonArgs reads the arguments of `gtc daemon run` (and of
 * `daemon/main.ts run`): the options above as flags, or an error text.
 */
export function parseDaemonArgs(args: string[]): DaemonOptions | string {
  const o: DaemonOptions = {};
  const num = (s: string | undefined, name: string, unit = "seconds"): number => {
    const n = Number(s);
    if (s === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${name}: want ${unit}`);
    return n;
  };
  try {
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const [k, inline] = a.includes("=")
        ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
        : [a, undefined];
      const val = () => inline ?? args[++i];
      switch (k) {
        case "run":
          break;
        case "--dir":
          o.dir = val();
          break;
        case "--idle-exit":
          o.idleExit = num(val(), k);
          break;
        case "--log":
          o.log = val();
          break;
        case "--foreground":
          o.foreground = true;
          break;
        case "--background":
          // How clients start it (daemon/start.ts): log only to the file.
          o.foreground = false;
          break;
        case "--watcher": {
          const w = val();
          if (w !== "inotify" && w !== "deno") throw new Error("--watcher: inotify or deno");
          o.watcher = w;
          break;
        }
        case "--revalidate":
          o.revalidate = num(val(), k);
          break;
        case "--evict-after":
          o.evictAfter = num(val(), k);
          break;
        case "--stall-timeout":
          o.stallTimeout = num(val(), k);
          break;
        case "--shell-check":
          o.shellCheck = num(val(), k);
          break;
        case "--inline-max":
          o.inlineMax = num(val(), k, "bytes");
          break;
        case "--deadline":
          o.deadline = num(val(), k);
          break;
        case "--auth-timeout":
          o.authTimeout = num(val(), k);
          break;
        case "--no-loopback":
          o.loopback = false;
          break;
        default:
          throw new Error(`unknown argument ${a}`);
      }
    }
  } catch (e) {
    return (e as Error).message;
  }
  return o;
}

if (import.meta.main) {
  const o = parseDaemonArgs(Deno.args);
  if (typeof o === "string") {
    stderr(o);
    Deno.exit(2);
  }
  Deno.exit(await runDaemon(o));
}
