/**
 * The toolchain methods (list, install, remove, gc): each a call into
 * lib/ops with the client's environment. The one thing added here is
 * single flight: requests for the same toolchain, source, force and
 * environment share one install (one call to installToolchain), every
 * waiting connection gets `install.progress` notifications, and all get the
 * same result or error.
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
  removeNamed,
  toolchainForQuery,
} from "../lib/ops/mod.ts";
import { invalidParams } from "../lib/rpc/errors.ts";
import {
  type GcParams,
  type GcResult,
  type InstallParams,
  type InstallProgressParams,
  type ListParams,
  type ListResult,
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
}

const libOps: ToolchainOps = {
  installToolchain,
  installedToolchains,
  removeNamed,
  collectGarbage,
  toolchainForQuery,
};

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
}

/** Toolchains answers list, install, remove and gc. */
export class Toolchains {
  #flights = new Map<string, Flight>();
  #changed: () => void;
  #every: number;
  #ops: ToolchainOps;

  constructor(opts: ToolchainsOptions = {}) {
    this.#changed = opts.changed ?? (() => {});
    this.#every = opts.progressEveryMs ?? 100;
    this.#ops = opts.ops ?? libOps;
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
