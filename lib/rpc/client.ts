/**
 * A small typed client for the gtc daemon: newline-delimited JSON-RPC 2.0
 * over the daemon's Unix socket, framed by hand so that loading it pulls in
 * no node: or npm: module (lib/host/rpc_transport.ts is its only runtime
 * dependency).
 *
 * The client starts the daemon when none answers (given a start command),
 * and when the connection drops it reconnects — starting a new daemon if
 * needed — retries the calls that are safe to repeat and renews its
 * subscriptions.
 *
 * @example
 * ```ts ignore
 * import { connect } from "./client.ts";
 * const c = await connect({ start: ["gtc", "daemon", "run"] });
 * const x = await c.resolve("/src/hello");
 * console.log(x.toolchain);
 * const sub = await c.subscribe("/src/hello", (n) => console.log(n.explanation.toolchain));
 * await sub.close();
 * c.close();
 * ```
 *
 * @module
 */

import type { Explanation } from "../resolve/mod.ts";
import { isAbs, join } from "../_internal/path.ts";
import {
  dial,
  type Dialer,
  DialError,
  hostCwd,
  hostEnviron,
  hostGoos,
  privateDirProblem,
  type RpcConn,
  sleep,
  socketProblem,
  spawnDetached,
  transportReady,
} from "../host/rpc_transport.ts";
import { daemonAddress } from "./address.ts";
import { fromWireError, RpcError } from "./errors.ts";
import {
  type ChangedParams,
  ErrorCode,
  type GcParams,
  type GcResult,
  type InstallParams,
  type InstallProgressParams,
  type InstallResult,
  type ListRemoteParams,
  type ListRemoteResult,
  type ListResult,
  relevantEnv,
  type RemoveParams,
  type RemoveResult,
  type RescanParams,
  type StatusResult,
  type SubscribeResult,
  toolchainEnv,
  type WhyResult,
  type WireError,
} from "./protocol.ts";

/** ConnectOptions says how to reach (and maybe start) the daemon. */
export interface ConnectOptions {
  /** The socket path; default: daemonAddress() from env. */
  address?: string;
  /** The private directory holding the socket (checked before dialling); default: from env. */
  dir?: string;
  /** The environment requests carry (default: this process's). */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * The command that runs the daemon in the foreground (`gtc daemon run`):
   * started in the background when no daemon answers. false or undefined:
   * never start one.
   */
  start?: readonly string[] | false;
  /** How long to wait for a started daemon to answer (default 5000 ms). */
  startTimeoutMs?: number;
  /** Reconnect, restarting the daemon, when the connection drops (default: when start is set). */
  reconnect?: boolean;
  /** Opens connections (default: Unix socket or named pipe). */
  dialer?: Dialer;
}

/** CallOptions are the per-call settings of resolve, why and subscribe. */
export interface TargetOptions {
  /** Evaluate with this environment instead of the client's. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The go command's arguments after "go". */
  args?: string[];
  /** Recompute instead of answering from the daemon's cache. */
  fresh?: boolean;
}

/** ToolchainOptions are the per-call settings of list, install, remove and gc. */
export interface ToolchainOptions {
  /** Act in this environment instead of the client's (only toolchainEnv keys are sent). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** What a subscription listener receives; reason "reconnect" when the daemon was restarted. */
export interface Change extends Omit<ChangedParams, "reason"> {
  reason: ChangedParams["reason"] | "reconnect";
}

/** Subscription is a live subscription to one directory's answer. */
export interface Subscription {
  /** The answer when the subscription started (or was last renewed). */
  readonly explanation: Explanation;
  /** close ends the subscription. */
  close(): Promise<void>;
}

interface Pending {
  method: string;
  params: unknown;
  resolve(v: unknown): void;
  reject(e: Error): void;
  /** Times sent again after a lost connection. */
  retries: number;
}

interface SubState {
  id: string;
  dir: string;
  opts: TargetOptions;
  listener: (c: Change) => void;
  last: string;
  closed: boolean;
}

// Calls that mean the same thing when repeated after a reconnect.
const idempotent = new Set([
  "resolve",
  "why",
  "status",
  "rpc.discover",
  "subscribe",
  "listRemote",
]);

const MAX_INCOMING_FRAME = 64 << 20;

/** Client talks to one daemon over one connection at a time. */
export class Client {
  #opts: ConnectOptions;
  #address: string;
  #dir: string;
  #conn: RpcConn | undefined;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #subs = new Map<string, SubState>();
  #rescanListeners: ((r: RescanParams) => void)[] = [];
  // Pending installs' progress listeners; name undefined: a query, not resolved yet.
  #progress = new Set<{ name?: string; listener: (p: InstallProgressParams) => void }>();
  #closed = false;
  #reconnecting: Promise<void> | undefined;
  #enc = new TextEncoder();

  constructor(opts: ConnectOptions, address: string, dir: string) {
    this.#opts = opts;
    this.#address = address;
    this.#dir = dir;
  }

  /** The socket path or pipe name. */
  get address(): string {
    return this.#address;
  }

  /** open connects (starting a daemon if allowed); called by connect. */
  async open(): Promise<void> {
    this.#conn = await openConn(this.#opts, this.#address, this.#dir);
    this.#readLoop(this.#conn);
  }

  /** resolve returns the Explanation for dir: the object `gtc why --json` prints. */
  resolve(dir: string, opts: TargetOptions = {}): Promise<Explanation> {
    return this.call("resolve", this.#target(dir, opts)) as Promise<Explanation>;
  }

  /** why returns the prose `gtc why` prints for dir. */
  why(
    dir: string,
    opts: TargetOptions & { color?: boolean; quiet?: boolean } = {},
  ): Promise<WhyResult> {
    const p: Record<string, unknown> = this.#target(dir, opts);
    if (opts.color !== undefined) p.color = opts.color;
    if (opts.quiet !== undefined) p.quiet = opts.quiet;
    return this.call("why", p) as Promise<WhyResult>;
  }

  /** status describes the daemon. */
  status(): Promise<StatusResult> {
    return this.call("status", {}) as Promise<StatusResult>;
  }

  /** shutdown asks the daemon to exit; it answers first. */
  async shutdown(): Promise<{ pid: number }> {
    return await this.call("shutdown", {}) as { pid: number };
  }

  /** list returns the installed toolchains: the array `gtc list --json` prints. */
  list(opts: ToolchainOptions & { sizes?: boolean } = {}): Promise<ListResult> {
    const p: Record<string, unknown> = { env: this.#toolchainEnv(opts) };
    if (opts.sizes !== undefined) p.sizes = opts.sizes;
    return this.call("list", p) as Promise<ListResult>;
  }

  /**
   * listRemote returns the toolchains a source offers for this platform,
   * newest first: the object `gtc list --remote --json` prints, from the
   * daemon's cache when fetched recently (unless refresh).
   */
  listRemote(
    req: Omit<ListRemoteParams, "env"> = {},
    opts: ToolchainOptions = {},
  ): Promise<ListRemoteResult> {
    const p: Record<string, unknown> = { env: this.#toolchainEnv(opts) };
    if (req.source !== undefined) p.source = req.source;
    if (req.all !== undefined) p.all = req.all;
    if (req.refresh !== undefined) p.refresh = req.refresh;
    return this.call("listRemote", p) as Promise<ListRemoteResult>;
  }

  /**
   * install installs a toolchain (by name or query) and returns the object
   * `gtc install --json` prints; onProgress receives the daemon's
   * `install.progress` notifications for it, also when the download was
   * started by another client.
   */
  async install(
    req: Omit<InstallParams, "env">,
    opts: ToolchainOptions & { onProgress?: (p: InstallProgressParams) => void } = {},
  ): Promise<InstallResult> {
    const p: Record<string, unknown> = { ...req, env: this.#toolchainEnv(opts) };
    for (const k of Object.keys(p)) if (p[k] === undefined) delete p[k];
    const l = opts.onProgress === undefined
      ? undefined
      : { name: req.name, listener: opts.onProgress };
    if (l !== undefined) this.#progress.add(l);
    try {
      return await this.call("install", p) as InstallResult;
    } finally {
      if (l !== undefined) this.#progress.delete(l);
    }
  }

  /** remove removes one installed toolchain: the object `gtc remove --json` prints. */
  remove(req: Omit<RemoveParams, "env">, opts: ToolchainOptions = {}): Promise<RemoveResult> {
    const p: Record<string, unknown> = { name: req.name, env: this.#toolchainEnv(opts) };
    if (req.source !== undefined) p.source = req.source;
    return this.call("remove", p) as Promise<RemoveResult>;
  }

  /** gc removes toolchains no longer used: the object `gtc gc --json` prints. */
  gc(req: Omit<GcParams, "env"> = {}, opts: ToolchainOptions = {}): Promise<GcResult> {
    const p: Record<string, unknown> = { env: this.#toolchainEnv(opts) };
    if (req.days !== undefined) p.days = req.days;
    if (req.dryRun !== undefined) p.dryRun = req.dryRun;
    return this.call("gc", p) as Promise<GcResult>;
  }

  /** onRescan registers a listener for the daemon's `rescan` notifications. */
  onRescan(listener: (r: RescanParams) => void): void {
    this.#rescanListeners.push(listener);
  }

  /**
   * subscribe watches dir's answer: listener runs after every change, with
   * the new Explanation. The returned subscription holds the current answer.
   */
  async subscribe(
    dir: string,
    listener: (c: Change) => void,
    opts: TargetOptions = {},
  ): Promise<Subscription> {
    const r = await this.call(
      "subscribe",
      this.#target(dir, { ...opts, fresh: undefined }),
    ) as SubscribeResult;
    const st: SubState = {
      id: r.subscription,
      dir,
      opts,
      listener,
      last: JSON.stringify(r.explanation),
      closed: false,
    };
    this.#subs.set(st.id, st);
    const end = async () => {
      if (st.closed) return;
      st.closed = true;
      this.#subs.delete(st.id);
      if (this.#closed) return;
      try {
        await this.call("unsubscribe", { subscription: st.id });
      } catch {
        // The daemon is gone: nothing to end there.
      }
    };
    return {
      get explanation() {
        return JSON.parse(st.last) as Explanation;
      },
      close: end,
    };
  }

  /** call sends any method with named params and returns its result or throws its error. */
  call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    if (this.#closed) return Promise.reject(new RpcError(ErrorCode.Unavailable, "client closed"));
    return new Promise((resolve, reject) => {
      const p: Pending = { method, params, resolve, reject, retries: 0 };
      this.#send(p);
    });
  }

  /** close ends the connection; pending calls fail. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#conn?.close();
    this.#conn = undefined;
    for (const p of this.#pending.values()) {
      p.reject(new RpcError(ErrorCode.Unavailable, "client closed"));
    }
    this.#pending.clear();
  }

  #toolchainEnv(opts: ToolchainOptions): Record<string, string> {
    return toolchainEnv(opts.env ?? this.#opts.env ?? hostEnviron());
  }

  #target(dir: string, opts: TargetOptions): Record<string, unknown> {
    const style = hostGoos === "windows" ? "windows" : "posix";
    const abs = isAbs(dir, style) ? dir : join(style, hostCwd(), dir);
    const p: Record<string, unknown> = {
      dir: abs,
      env: relevantEnv(opts.env ?? this.#opts.env ?? hostEnviron()),
    };
    if (opts.args !== undefined) p.args = opts.args;
    if (opts.fresh) p.fresh = true;
    return p;
  }

  #send(p: Pending): void {
    const conn = this.#conn;
    if (conn === undefined) {
      // Reconnecting: queue behind it.
      this.#afterReconnect(p);
      return;
    }
    const id = this.#nextId++;
    this.#pending.set(id, p);
    const line = JSON.stringify({ jsonrpc: "2.0", id, method: p.method, params: p.params }) + "\n";
    conn.write(this.#enc.encode(line)).catch(() => {
      // The read loop sees the broken connection and handles pending calls.
    });
  }

  #afterReconnect(p: Pending): void {
    const r = this.#reconnecting;
    if (r === undefined) {
      p.reject(new RpcError(ErrorCode.Unavailable, "not connected to the gtc daemon"));
      return;
    }
    r.then(() => this.#send(p), (e) => p.reject(e));
  }

  async #readLoop(conn: RpcConn): Promise<void> {
    let buf = new Uint8Array(64 * 1024);
    let len = 0;
    const dec = new TextDecoder();
    try {
      for (;;) {
        if (len === buf.length) {
          if (buf.length >= MAX_INCOMING_FRAME) throw new Error("frame from daemon too large");
          const bigger = new Uint8Array(buf.length * 2);
          bigger.set(buf);
          buf = bigger;
        }
        const n = await conn.read(buf.subarray(len));
        if (n === null) break;
        let start = 0;
        const end = len + n;
        let nl = buf.indexOf(10, len);
        while (nl !== -1 && nl < end) {
          if (nl > start) this.#onFrame(dec.decode(buf.subarray(start, nl)));
          start = nl + 1;
          nl = buf.indexOf(10, start);
        }
        if (start > 0) buf.copyWithin(0, start, end);
        len = end - start;
      }
    } catch {
      // A reset connection: handled as end of stream.
    }
    if (this.#conn === conn) this.#lost(conn);
  }

  #onFrame(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    for (const m of Array.isArray(msg) ? msg : [msg]) {
      if (typeof m !== "object" || m === null) continue;
      const o = m as {
        id?: unknown;
        method?: string;
        params?: unknown;
        result?: unknown;
        error?: WireError;
      };
      if (o.method !== undefined) {
        this.#onNotification(o.method, o.params);
        continue;
      }
      if (typeof o.id !== "number") continue;
      const p = this.#pending.get(o.id);
      if (p === undefined) continue;
      this.#pending.delete(o.id);
      if (o.error !== undefined) p.reject(fromWireError(o.error));
      else p.resolve(o.result);
    }
  }

  #onNotification(method: string, params: unknown): void {
    if (method === "changed") {
      const c = params as ChangedParams;
      const st = this.#subs.get(c.subscription);
      if (st === undefined || st.closed) return;
      st.last = JSON.stringify(c.explanation);
      st.listener(c);
    } else if (method === "rescan") {
      for (const l of this.#rescanListeners) l(params as RescanParams);
    } else if (method === "install.progress") {
      const n = params as InstallProgressParams;
      for (const l of this.#progress) {
        if (l.name === undefined || l.name === n.name) l.listener(n);
      }
    }
  }

  // #lost handles a dropped connection: fail or retry pending calls,
  // reconnect (restarting the daemon) and renew subscriptions.
  #lost(conn: RpcConn): void {
    conn.close();
    this.#conn = undefined;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    const reconnect = this.#opts.reconnect ?? (this.#opts.start !== undefined &&
      this.#opts.start !== false);
    if (this.#closed || !reconnect) {
      for (const p of pending) {
        p.reject(
          new RpcError(
            ErrorCode.Unavailable,
            `connection to the gtc daemon lost during ${p.method}`,
          ),
        );
      }
      return;
    }
    this.#reconnecting = (async () => {
      this.#conn = await openConn(this.#opts, this.#address, this.#dir);
      this.#readLoop(this.#conn);
    })();
    const done = this.#reconnecting;
    done.then(() => {
      if (this.#reconnecting === done) this.#reconnecting = undefined;
      this.#renewSubscriptions();
    }, () => {
      if (this.#reconnecting === done) this.#reconnecting = undefined;
    });
    for (const p of pending) {
      // A dial can reach a dying daemon's listener, so allow a few rounds.
      if (idempotent.has(p.method) && p.retries < 3 && p.method !== "subscribe") {
        p.retries++;
        done.then(() => this.#send(p), (e) => p.reject(e));
      } else {
        done.catch(() => {});
        p.reject(
          new RpcError(
            ErrorCode.Unavailable,
            `connection to the gtc daemon lost during ${p.method}`,
          ),
        );
      }
    }
  }

  #renewSubscriptions(): void {
    for (const st of [...this.#subs.values()]) {
      this.#subs.delete(st.id);
      this.#renew(st, 0);
    }
  }

  // #renew subscribes again with a new daemon; a lost connection on the way
  // is retried a few times.
  #renew(st: SubState, attempt: number): void {
    this.call("subscribe", this.#target(st.dir, { ...st.opts, fresh: undefined })).then((r) => {
      const res = r as SubscribeResult;
      if (st.closed) return;
      st.id = res.subscription;
      this.#subs.set(st.id, st);
      const text = JSON.stringify(res.explanation);
      if (text !== st.last) {
        st.last = text;
        st.listener({
          subscription: st.id,
          dir: res.explanation.dir,
          reason: "reconnect",
          paths: [],
          explanation: res.explanation,
        });
      }
    }, () => {
      if (st.closed || this.#closed || attempt >= 5) return;
      setTimeout(() => this.#renew(st, attempt + 1), 50 * (attempt + 1));
    });
  }
}

// openConn dials the daemon, starting one when none answers and a start
// command is given; it refuses a socket directory or socket that is not
// private to this user.
async function openConn(opts: ConnectOptions, address: string, dir: string): Promise<RpcConn> {
  const d = opts.dialer ?? dial;
  await transportReady();
  if (dir !== "") {
    const problem = privateDirProblem(dir);
    if (problem !== undefined && problem !== "missing") throw new Error(`gtc daemon: ${problem}`);
    const sp = socketProblem(address);
    if (sp !== undefined) throw new Error(`gtc daemon: ${sp}`);
  }
  try {
    return await d(address);
  } catch (e) {
    if (!(e instanceof DialError) || e.kind === "other" || !opts.start) throw e;
  }
  spawnDetached([...opts.start, ...(dir !== "" ? ["--dir", dir] : [])], hostEnviron());
  const deadline = Date.now() + (opts.startTimeoutMs ?? 5000);
  let wait = 5;
  for (;;) {
    await sleep(wait);
    wait = Math.min(wait * 2, 50);
    try {
      if (dir !== "") {
        const problem = privateDirProblem(dir);
        if (problem !== undefined && problem !== "missing") {
          throw new Error(`gtc daemon: ${problem}`);
        }
      }
      return await d(address);
    } catch (e) {
      if (!(e instanceof DialError) || e.kind === "other") throw e;
      if (Date.now() > deadline) {
        throw new RpcError(
          ErrorCode.Unavailable,
          `gtc daemon did not start within ${opts.startTimeoutMs ?? 5000} ms: see its log in ${
            dir || "the cache directory"
          }`,
        );
      }
    }
  }
}

/**
 * connect opens a client to the user's daemon, starting it with
 * options.start when none answers.
 */
export async function connect(options: ConnectOptions = {}): Promise<Client> {
  let address = options.address;
  let dir = options.dir ?? "";
  if (address === undefined) {
    const a = daemonAddress({ env: hostEnviron(), goos: hostGoos, dir: options.dir });
    address = a.socket;
    dir = a.dir;
  } else if (options.dir === undefined && !address.startsWith("\\\\.\\pipe\\")) {
    dir = address.slice(0, address.lastIndexOf("/")) || "/";
  }
  const c = new Client(options, address, hostGoos === "windows" ? "" : dir);
  await c.open();
  return c;
}
