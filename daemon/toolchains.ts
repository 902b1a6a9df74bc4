/**
 * The toolchain methods (list, install, remove, gc): each a call into
 * lib/ops with the client's environment. The one thing added here is
 * single flight: requests for the same toolchain, source, force and
 * environment share one install (one call to installToolchain), every
 * waiting connection gets `install.progress` notifications, and all get the
 * same result or error.
 *
 * The remote lists (listRemote) are cached per source, all and the
 * environment that changes them (remoteListKey) for ttl ms; identical
 * requests while one is fetching share that fetch, and a failed fetch is
 * not kept.
 *
 * After a change on disk the watcher's queued events are taken at once, so
 * the next answer of resolve already sees the toolchain come or go.
 *
 * @module
 */

import {
  collectGarbage,
  defaultSource,
  type Installation,
  installedToolchains,
  installToolchain,
  remoteToolchains,
  removeNamed,
  toolchainForQuery,
} from "../lib/ops/mod.ts";
import { invalidParams } from "../lib/rpc/errors.ts";
import {
  DEFAULT_REMOTE_TTL_MS,
  type GcParams,
  type GcResult,
  type InstallParams,
  type InstallProgressParams,
  type ListParams,
  type ListRemoteParams,
  type ListRemoteResult,
  type ListResult,
  remoteListKey,
  type RemoveParams,
  type RemoveResult,
  toolchainEnv,
} from "../lib/rpc/protocol.ts";
import type { Peer } from "./state.ts";

/** The operations Toolchains calls (lib/ops; tests may count or slow them). */
export interface ToolchainOps {
  installToolchain: typeof installToolchain;
  installedToolchains: typeof installedToolchains;
  removeNamed: typeof removeNamed;
  collectGarbage: typeof collectGarbage;
  toolchainForQuery: typeof toolchainForQuery;
  remoteToolchains: typeof remoteToolchains;
}

const libOps: ToolchainOps = {
  installToolchain,
  installedToolchains,
  removeNamed,
  collectGarbage,
  toolchainForQuery,
  remoteToolchains,
};

// One remote list, cached or being fetched.
interface RemoteEntry {
  /** When it was fetched (clock ms); undefined while the fetch runs. */
  at: number | undefined;
  value: Promise<ListRemoteResult>;
}

/** The most remote lists kept; the oldest go first. */
const MAX_REMOTE_LISTS = 256;

// One install in flight and the connections waiting for it.
interface Flight {
  name: string;
  peers: Set<Peer>;
  /** The last progress sent, replayed to a connection that joins later. */
  last: InstallProgressParams | undefined;
  lastSent: number;
  done: Promise<Installation>;
}

/** ToolchainsOptions configure Toolchains. */
export interface ToolchainsOptions {
  /** Called after anything on disk may have changed (the watcher's drain). */
  changed?: () => void;
  /** Least time between two progress notifications of one install (ms, default 100). */
  progressEveryMs?: number;
  ops?: ToolchainOps;
  /** How long a remote list is answered from the cache (ms, default 10 minutes). */
  remoteTtlMs?: number;
  /** The clock for remote list expiry (ms; default Date.now). */
  now?: () => number;
}

/** Toolchains answers list, install, remove and gc. */
export class Toolchains {
  #flights = new Map<string, Flight>();
  #changed: () => void;
  #every: number;
  #ops: ToolchainOps;
  #remote = new Map<string, RemoteEntry>();
  #ttl: number;
  #now: () => number;

  constructor(opts: ToolchainsOptions = {}) {
    this.#changed = opts.changed ?? (() => {});
    this.#every = opts.progressEveryMs ?? 100;
    this.#ops = opts.ops ?? libOps;
    this.#ttl = opts.remoteTtlMs ?? DEFAULT_REMOTE_TTL_MS;
    this.#now = opts.now ?? Date.now;
  }

  /** remoteLists is the number of remote lists cached and not expired. */
  get remoteLists(): number {
    this.#expire();
    let n = 0;
    for (const e of this.#remote.values()) if (e.at !== undefined) n++;
    return n;
  }

  /**
   * listRemote returns the toolchains a source offers: from the cache when
   * fetched within the ttl (unless p.refresh), joining a fetch of the same
   * list already running, else fetched now.
   */
  listRemote(p: ListRemoteParams): Promise<ListRemoteResult> {
    this.#expire();
    const key = remoteListKey(p);
    const e = this.#remote.get(key);
    // A running fetch is shared even with refresh: it is fresh.
    if (e !== undefined && (e.at === undefined || !p.refresh)) return e.value;
    const entry: RemoteEntry = { at: undefined, value: Promise.resolve({} as ListRemoteResult) };
    entry.value = (async () => {
      try {
        const r = await this.#ops.remoteToolchains(
          { source: p.source ?? "goproxy", all: p.all ?? false },
          toolchainEnv(p.env),
        );
        if (this.#remote.get(key) === entry) entry.at = this.#now();
        return r;
      } catch (err) {
        if (this.#remote.get(key) === entry) this.#remote.delete(key);
        throw err;
      }
    })();
    this.#remote.delete(key);
    this.#remote.set(key, entry);
    while (this.#remote.size > MAX_REMOTE_LISTS) {
      const oldest = this.#remote.keys().next().value!;
      this.#remote.delete(oldest);
    }
    return entry.value;
  }

  // #expire drops the remote lists older than the ttl.
  #expire(): void {
    const now = this.#now();
    for (const [k, e] of this.#remote) {
      if (e.at !== undefined && now - e.at >= this.#ttl) this.#remote.delete(k);
    }
  }

  /** inFlight is the number of installs running now. */
  get inFlight(): number {
    return this.#flights.size;
  }

  /** list returns the installed toolchains. */
  list(p: ListParams): ListResult {
    return this.#ops.installedToolchains(toolchainEnv(p.env), p.sizes ?? true);
  }

  /** install installs p's toolchain, joining an install of the same one already running. */
  async install(p: InstallParams, peer: Peer): Promise<Installation> {
    if ((p.name === undefined) === (p.query === undefined)) {
      throw invalidParams(["params: give exactly one of name and query"]);
    }
    const env = toolchainEnv(p.env);
    const source = p.source ?? defaultSource(p.name ?? p.query);
    const name = p.name ?? await this.#ops.toolchainForQuery(p.query!, source, env);
    let key = `${source}\0${name}\0${p.force ? 1 : 0}`;
    for (const k in env) key += `\0${k}=${env[k]}`;
    const f = this.#flights.get(key);
    if (f !== undefined) {
      if (f.last !== undefined) peer.notify("install.progress", f.last);
      f.peers.add(peer);
      return await f.done;
    }
    const flight: Flight = {
      name,
      peers: new Set([peer]),
      last: undefined,
      lastSent: 0,
      done: Promise.resolve(undefined as unknown as Installation),
    };
    this.#flights.set(key, flight);
    flight.done = (async () => {
      try {
        return await this.#ops.installToolchain(name, source, env, {
          force: p.force,
          onProgress: (bytes, total) => this.#progress(flight, bytes, total),
        });
      } finally {
        this.#flights.delete(key);
        this.#changed();
      }
    })();
    return await flight.done;
  }

  /** remove removes one toolchain. */
  async remove(p: RemoveParams): Promise<RemoveResult> {
    try {
      return await this.#ops.removeNamed(toolchainEnv(p.env), p.name, { source: p.source });
    } finally {
      this.#changed();
    }
  }

  /** gc removes (or lists, dryRun) toolchains no longer used. */
  async gc(p: GcParams): Promise<GcResult> {
    try {
      return await this.#ops.collectGarbage(toolchainEnv(p.env), {
        days: p.days ?? 30,
        dryRun: p.dryRun,
      });
    } finally {
      if (!p.dryRun) this.#changed();
    }
  }

  // #progress tells every waiting connection, at most every #every ms
  // except for the first and the last chunk.
  #progress(f: Flight, bytes: number, total: number | undefined): void {
    f.last = { name: f.name, bytes, total: total ?? null };
    const now = Date.now();
    const final = total !== undefined && bytes >= total;
    if (!final && f.lastSent !== 0 && now - f.lastSent < this.#every) return;
    f.lastSent = now;
    for (const peer of f.peers) peer.notify("install.progress", f.last);
  }
}
