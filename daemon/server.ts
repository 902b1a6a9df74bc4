/**
 * The daemon's connections: newline-delimited frames in, JSON-RPC 2.0
 * dispatch through json-rpc-2.0, responses and notifications out.
 *
 * Every peer mistake is answered or dropped without affecting other
 * connections: malformed JSON (-32700), a non-request value or an empty or
 * too-large batch (-32600), unknown methods (-32601), params that do not
 * match the method's schema (-32602, before any handler runs). A frame longer
 * than the limit gets one -32600 answer and the rest of it is discarded up to
 * its newline, so a never-ending frame costs no memory. A peer that stops
 * reading is disconnected once its unread output passes a limit; a peer that
 * disconnects mid-request simply never gets its answer.
 *
 * @module
 */

import {
  createJSONRPCErrorResponse,
  type JSONRPCErrorResponse,
  type JSONRPCID,
  type JSONRPCResponse,
  JSONRPCServer,
} from "json-rpc-2.0";
import type { RpcConn } from "../lib/host/rpc_transport.ts";
import { invalidParams, notImplemented, RpcError, toWireError } from "../lib/rpc/errors.ts";
import {
  ErrorCode,
  MAX_BATCH,
  MAX_FRAME_BYTES,
  methods,
  type PromptParams,
  PROTOCOL_VERSION,
  type StatusResult,
} from "../lib/rpc/protocol.ts";
import { check } from "../lib/rpc/schema.ts";
import type { Logger } from "./log.ts";
import type { Peer, State, Sub } from "./state.ts";
import type { Listener } from "./transport.ts";
import { encode } from "./raw_json.ts";
import { type Handler, handlers } from "./handlers.ts";
import { Toolchains } from "./toolchains.ts";

/** ServerOptions configure the server. */
export interface ServerOptions {
  state: State;
  log: Logger;
  version: string;
  address: string;
  logFile: string | null;
  /** Exit after this long with no connection (ms; 0 = never). */
  idleExitMs?: number;
  maxConnections?: number;
  maxFrameBytes?: number;
  /** Unread output after which a peer is dropped (bytes, default 16 MiB). */
  maxPendingOutput?: number;
  /** A peer that reads none of its pending answers for this long is dropped (ms, default 10 s). */
  stallMs?: number;
  /**
   * The loopback TCP listener for shells without Unix sockets (docs/hooks.md):
   * its connections may call only `prompt`, and every request must carry
   * token; a connection that errs once is closed. Any local user can connect,
   * so these connections have their own budget (maxConnections, default
   * 128), apart from the Unix socket's: when it is full, the oldest
   * connection that has not authenticated yet makes room. A connection that
   * sends no request with the token within authMs (default 5 s) is closed.
   */
  loopback?: { listener: Listener; token: string; maxConnections?: number; authMs?: number };
  /** Reports whether something besides connections keeps the daemon busy (live shells): no idle exit. */
  busy?: () => boolean;
  /** The hooks part of status. */
  hooks?: () => StatusResult["hooks"];
  /** The prompt method (daemon/shells.ts). */
  prompt: (p: PromptParams) => string;
  /** list, listRemote, install, remove and gc (default: lib/ops, the watcher drained after changes). */
  toolchains?: Toolchains;
  /** How long listRemote answers from its cache (ms; default 10 minutes); with the default toolchains. */
  remoteTtlMs?: number;
}

const enc = new TextEncoder();

/** Conn is one client connection. */
class Conn implements Peer {
  readonly subs = new Map<string, Sub>();
  readonly raw: RpcConn;
  /** The token every request must carry (loopback connections), or undefined. */
  token: string | undefined;
  /** A loopback connection sent a request with the token. */
  authenticated = false;
  #queue: Promise<void> = Promise.resolve();
  #queued = 0;
  #maxQueued: number;
  #closed = false;
  #onClose: () => void;

  constructor(raw: RpcConn, maxQueued: number, onClose: () => void) {
    this.raw = raw;
    this.#maxQueued = maxQueued;
    this.#onClose = onClose;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get queued(): number {
    return this.#queued;
  }

  send(msg: unknown): void {
    if (this.#closed) return;
    const bytes = enc.encode(encode(msg) + "\n");
    this.#queued += bytes.length;
    if (this.#queued > this.#maxQueued) {
      this.close();
      return;
    }
    this.#queue = this.#queue.then(() => this.#closed ? undefined : this.raw.write(bytes)).then(
      () => {
        this.#queued -= bytes.length;
      },
      () => this.close(),
    );
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: "2.0", method, params });
  }

  /** flushed resolves when everything queued so far is written (or failed). */
  flushed(): Promise<void> {
    return this.#queue;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.raw.close();
    this.#onClose();
  }
}

// checkToken admits a loopback request: only prompt, and only with the token.
function checkToken(method: string, params: unknown, token: string): void {
  const got = (params as { token?: unknown }).token;
  if (method !== "prompt" || typeof got !== "string" || !sameToken(got, token)) {
    throw new RpcError(
      ErrorCode.Unauthorized,
      "unauthorized: the loopback listener answers only prompt requests with the token " +
        "from the hook file",
    );
  }
}

// isRequest reports whether msg is one JSON-RPC request object with an id
// (not a batch, not a notification).
function isRequest(msg: unknown): boolean {
  return typeof msg === "object" && msg !== null && !Array.isArray(msg) && "id" in msg;
}

// sameToken compares in time independent of where the strings differ.
function sameToken(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}

// The longest frame an unauthenticated loopback peer may send: a prompt
// request (a directory and an environment) is a few KiB.
const LOOPBACK_MAX_FRAME = 64 * 1024;

function errorResponse(id: JSONRPCID, code: number, message: string, data?: unknown) {
  return createJSONRPCErrorResponse(id, code, message, data);
}

/** Server accepts connections and answers requests. */
export class Server {
  #opts: ServerOptions;
  #rpc: JSONRPCServer<Conn>;
  #toolchains: Toolchains;
  /** Connections on the Unix socket (or pipe). */
  #conns = new Set<Conn>();
  /** Connections on the loopback listener, oldest first: a budget of their own. */
  #loop = new Set<Conn>();
  #listener: Listener | undefined;
  #requests = 0;
  #startedAt = new Date();
  #lastActivity = Date.now();
  #idleTimer: ReturnType<typeof setInterval> | undefined;
  #stopping: Promise<void> | undefined;
  #dec = new TextDecoder();
  #strict = new TextDecoder("utf-8", { fatal: true });
  // The params of requests from frames that were not valid UTF-8.
  #lossy = new WeakSet<object>();
  #maxFrame: number;

  constructor(opts: ServerOptions) {
    this.#opts = opts;
    this.#maxFrame = opts.maxFrameBytes ?? MAX_FRAME_BYTES;
    this.#rpc = new JSONRPCServer<Conn>({
      errorListener: (message, data) => {
        if (data instanceof RpcError) return;
        opts.log.error(`${message} ${data instanceof Error ? data.stack : String(data)}`);
      },
    });
    // One place maps errors to the wire (lib/rpc/errors.ts).
    this.#rpc.mapErrorToJSONRPCErrorResponse = (id, e): JSONRPCErrorResponse => {
      const w = toWireError(e);
      return errorResponse(id, w.code, w.message, w.data);
    };
    this.#toolchains = opts.toolchains ??
      new Toolchains({
        changed: () => opts.state.watcher.drain?.(),
        remoteTtlMs: opts.remoteTtlMs,
      });
    const table: Record<string, Handler> = handlers({
      state: opts.state,
      toolchains: this.#toolchains,
      version: opts.version,
      status: () => this.status(),
      prompt: opts.prompt,
      shutdown: () => {
        setTimeout(() => this.stop("shutdown requested"), 0);
        return { pid: Deno.pid };
      },
    });
    for (const m of methods) {
      if (m.notification) continue;
      const h: Handler = m.notImplemented !== undefined
        ? () => {
          throw notImplemented(m.notImplemented!);
        }
        : table[m.name];
      if (h === undefined) throw new Error(`internal error: no handler for ${m.name}`);
      this.#rpc.addMethod(m.name, (params: unknown, conn: Conn) => {
        if (params === undefined) params = {};
        if (Array.isArray(params)) {
          throw invalidParams(["params must be an object (named parameters)"]);
        }
        if (conn.token !== undefined) {
          checkToken(m.name, params, conn.token);
          conn.authenticated = true;
        }
        const problems = check(m.params, params, "params", {
          lossy: this.#lossy.has(params as object),
        });
        if (problems.length > 0) throw invalidParams(problems);
        return h(params as Record<string, unknown>, conn);
      });
    }
  }

  /** status describes the daemon. */
  status(): StatusResult {
    const mem = Deno.memoryUsage();
    return {
      pid: Deno.pid,
      protocol: PROTOCOL_VERSION,
      version: this.#opts.version,
      startedAt: this.#startedAt.toISOString(),
      uptimeMs: Date.now() - this.#startedAt.getTime(),
      address: this.#opts.address,
      logFile: this.#opts.logFile,
      idleExitMs: this.#opts.idleExitMs ?? 0,
      connections: this.#conns.size + this.#loop.size,
      requests: this.#requests,
      ...this.#opts.state.stats(),
      remoteLists: this.#toolchains.remoteLists,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      ...(this.#opts.hooks ? { hooks: this.#opts.hooks() } : {}),
    };
  }

  /** serve accepts connections from listener until stop; resolves when stopped. */
  async serve(listener: Listener): Promise<void> {
    this.#listener = listener;
    const idle = this.#opts.idleExitMs ?? 0;
    if (idle > 0) {
      this.#idleTimer = setInterval(() => {
        if (this.#opts.busy?.() || this.#toolchains.inFlight > 0) this.#lastActivity = Date.now();
        if (
          this.#conns.size + this.#loop.size === 0 && Date.now() - this.#lastActivity >= idle
        ) {
          this.stop(`idle for ${Math.round(idle / 1000)} s`);
        }
      }, Math.max(200, Math.min(idle / 4, 30_000)));
    }
    const loop = this.#opts.loopback;
    const extra = loop === undefined ? Promise.resolve() : this.#accept(loop.listener, loop.token);
    await this.#accept(listener, undefined);
    loop?.listener.close();
    await extra;
    await this.#stopping;
  }

  async #accept(listener: Listener, token: string | undefined): Promise<void> {
    for await (const raw of listener) {
      this.#lastActivity = Date.now();
      const full = token !== undefined
        ? !this.#admitLoopback()
        : this.#conns.size >= (this.#opts.maxConnections ?? 4096);
      if (full) {
        const line = JSON.stringify(
          errorResponse(null, ErrorCode.Unavailable, "too many connections"),
        ) + "\n";
        raw.write(enc.encode(line)).catch(() => {}).finally(() => raw.close());
        continue;
      }
      this.#handle(raw, token);
    }
  }

  // #admitLoopback makes room for one more loopback connection: within the
  // budget, or by closing the oldest one that has not authenticated (it had
  // the longest to send its request). false when every one has.
  #admitLoopback(): boolean {
    if (this.#loop.size < (this.#opts.loopback?.maxConnections ?? 128)) return true;
    for (const c of this.#loop) {
      if (!c.authenticated) {
        c.close();
        return true;
      }
    }
    return false;
  }

  /** stop closes the listener, flushes and closes connections; idempotent. */
  stop(reason: string): Promise<void> {
    if (this.#stopping !== undefined) return this.#stopping;
    this.#opts.log.info(`stopping: ${reason}`);
    this.#stopping = (async () => {
      clearInterval(this.#idleTimer);
      this.#listener?.close();
      this.#opts.loopback?.listener.close();
      const all = [...this.#conns, ...this.#loop];
      await Promise.race([
        Promise.all(all.map((c) => c.flushed())),
        new Promise((r) => setTimeout(r, 500)),
      ]);
      for (const c of all) c.close();
      this.#opts.state.close();
    })();
    return this.#stopping;
  }

  async #handle(raw: RpcConn, token: string | undefined): Promise<void> {
    const set = token === undefined ? this.#conns : this.#loop;
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const conn = new Conn(raw, this.#opts.maxPendingOutput ?? 16 << 20, () => {
      clearTimeout(deadline);
      set.delete(conn);
      this.#opts.state.dropPeer(conn);
      this.#lastActivity = Date.now();
    });
    conn.token = token;
    set.add(conn);
    if (token !== undefined) {
      // Any local user can connect here: one that does not authenticate
      // soon holds nothing for long.
      const ms = this.#opts.loopback?.authMs ?? 5000;
      deadline = setTimeout(() => {
        if (conn.authenticated) return;
        conn.send(errorResponse(
          null,
          ErrorCode.Unauthorized,
          `unauthorized: no request with the hook file's token within ${ms} ms`,
        ));
        this.#dropAfterFlush(conn);
      }, ms);
    }
    const max = token === undefined ? this.#maxFrame : Math.min(this.#maxFrame, LOOPBACK_MAX_FRAME);
    let buf = new Uint8Array(16 * 1024);
    let len = 0;
    let discarding = false;
    try {
      while (!conn.closed) {
        if (len === buf.length) {
          const bigger = new Uint8Array(Math.min(buf.length * 2, max + 1));
          bigger.set(buf);
          buf = bigger;
        }
        const n = await raw.read(buf.subarray(len));
        if (n === null) break;
        this.#lastActivity = Date.now();
        const end = len + n;
        let start = 0;
        let nl = buf.subarray(0, end).indexOf(10, len);
        while (nl !== -1) {
          if (discarding) discarding = false;
          else await this.#frame(conn, buf.subarray(start, nl));
          start = nl + 1;
          nl = buf.subarray(0, end).indexOf(10, start);
        }
        if (discarding) {
          len = 0;
          continue;
        }
        const rest = end - start;
        if (rest > max) {
          conn.send(errorResponse(
            null,
            ErrorCode.InvalidRequest,
            `Invalid Request: frame longer than ${max} bytes`,
            { limit: max },
          ));
          if (token !== undefined) {
            this.#dropAfterFlush(conn);
            break;
          }
          discarding = true;
          len = 0;
          continue;
        }
        if (start > 0) buf.copyWithin(0, start, end);
        len = rest;
        if (buf.length > 64 * 1024 && len < 16 * 1024) buf = buf.slice(0, 16 * 1024);
        // Backpressure: stop reading while the peer is not reading our answers.
        if (conn.queued > 1 << 20) {
          let timer: ReturnType<typeof setTimeout> | undefined;
          const stalled = await Promise.race([
            conn.flushed().then(() => false),
            new Promise<boolean>((r) =>
              timer = setTimeout(() => r(true), this.#opts.stallMs ?? 10_000)
            ),
          ]);
          clearTimeout(timer);
          if (stalled) {
            this.#opts.log.warn("dropped a connection that stopped reading its answers");
            break;
          }
        }
      }
    } catch (e) {
      // Reset by the peer, a write failed, or we closed it: the connection is over.
      if (
        !conn.closed &&
        !(e instanceof Deno.errors.ConnectionReset || e instanceof Deno.errors.BrokenPipe)
      ) {
        this.#opts.log.error(`connection: ${e instanceof Error ? e.stack : e}`);
      }
    }
    if (!conn.closed) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([conn.flushed(), new Promise((r) => timer = setTimeout(r, 1000))]);
      clearTimeout(timer);
    }
    conn.close();
  }

  async #frame(conn: Conn, bytes: Uint8Array): Promise<void> {
    // JSON text is UTF-8: a frame that is not is decoded with U+FFFD
    // replacements only to answer it; its requests' params holding a
    // replaced string are refused (-32602), never answered for another path.
    let text: string;
    let lossy = false;
    try {
      text = this.#strict.decode(bytes);
    } catch {
      text = this.#dec.decode(bytes);
      lossy = true;
    }
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (text.trim() === "") return;
    this.#requests++;
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      conn.send(errorResponse(null, ErrorCode.ParseError, "Parse error"));
      if (conn.token !== undefined) this.#dropAfterFlush(conn);
      return;
    }
    if (lossy) {
      for (const m of Array.isArray(msg) ? msg : [msg]) {
        const p = (m as { params?: unknown } | null)?.params;
        if (typeof p === "object" && p !== null) this.#lossy.add(p);
      }
    }
    if (conn.token !== undefined && !isRequest(msg)) {
      // A batch, a notification or no object at all: not a hook's request.
      // One error (a notification too), then the connection is closed.
      conn.send(errorResponse(
        null,
        ErrorCode.Unauthorized,
        "unauthorized: the loopback listener answers only single prompt requests (with an id) " +
          "carrying the hook file's token",
      ));
      this.#dropAfterFlush(conn);
      return;
    }
    if (Array.isArray(msg)) {
      if (msg.length === 0) {
        conn.send(errorResponse(null, ErrorCode.InvalidRequest, "Invalid Request: empty batch"));
        return;
      }
      if (msg.length > MAX_BATCH) {
        conn.send(
          errorResponse(
            null,
            ErrorCode.InvalidRequest,
            `Invalid Request: batch of ${msg.length} requests (at most ${MAX_BATCH})`,
          ),
        );
        return;
      }
      const out = (await Promise.all(msg.map((m) => this.#one(m, conn)))).filter((r) => r !== null);
      if (out.length > 0) conn.send(out);
      return;
    }
    const r = await this.#one(msg, conn);
    if (r !== null) conn.send(r);
    // A loopback connection serves one request: closing it after the answer
    // lets a bash hook read the whole answer at once, up to the end of the
    // stream (its read takes a system call per byte up to a newline), and
    // leaves nothing open that any local user could hold.
    if (conn.token !== undefined && r !== null) this.#dropAfterFlush(conn);
  }

  // #dropAfterFlush closes a loopback connection that erred: it is not a
  // gtc hook (a browser, a port scanner, a stale token), so it gets one
  // answer and nothing more.
  #dropAfterFlush(conn: Conn): void {
    conn.flushed().then(() => conn.close());
  }

  async #one(m: unknown, conn: Conn): Promise<JSONRPCResponse | null> {
    if (typeof m !== "object" || m === null || Array.isArray(m)) {
      return errorResponse(null, ErrorCode.InvalidRequest, "Invalid Request");
    }
    // json-rpc-2.0 does not check the id's type: an id must be a string, a number or null.
    const id = (m as { id?: unknown }).id;
    if (id !== undefined && id !== null && typeof id !== "string" && typeof id !== "number") {
      return errorResponse(null, ErrorCode.InvalidRequest, "Invalid Request: bad id");
    }
    try {
      return await this.#rpc.receive(m as never, conn);
    } catch (e) {
      const w = toWireError(e);
      const id = (m as { id?: unknown }).id;
      return errorResponse(
        typeof id === "string" || typeof id === "number" ? id : null,
        w.code,
        w.message,
      );
    }
  }
}
