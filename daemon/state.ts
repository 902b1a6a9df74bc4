/**
 * The daemon's state: answers per (directory, relevant environment, args),
 * each with the (directory, entry) pairs it was computed from, kept fresh by
 * the watcher.
 *
 * Freshness rules:
 * - An event on a pair an answer depends on marks it dirty at once; the next
 *   request recomputes it. Subscribed answers are recomputed after a short
 *   coalescing delay and a `changed` notification is sent when the answer
 *   differs.
 * - An answer is computed, its watches added, and — when that added a watch —
 *   computed again: a change between the first read and the new watch is
 *   seen by the second computation, never lost.
 * - An answer that depends on a directory that cannot be watched (watch
 *   limit, permissions) is never served from the cache.
 * - A watcher overflow marks everything dirty, recomputes subscribed answers
 *   and tells subscribers (`rescan`). A periodic revalidation recomputes
 *   recently used answers and counts changes no event reported.
 * - Answers not asked for a while (and not subscribed) are evicted with
 *   their watches, so memory stays bounded with many repositories.
 *
 * @module
 */

import { type Explanation, renderProse, resolveSync } from "../mod.ts";
import { denoHost } from "../lib/host/host.ts";
import { relevantEnv } from "../lib/rpc/protocol.ts";
import type { ChangedParams, ChangeReason, StatusResult } from "../lib/rpc/protocol.ts";
import { type Deps, depsOf, RecordingFs } from "./deps.ts";
import { createWatcher, type DirWatcher, type WatchEvent } from "./watcher.ts";
import type { Logger } from "./log.ts";

/** Peer is a connection that can hold subscriptions and receive notifications. */
export interface Peer {
  readonly subs: Map<string, Sub>;
  notify(method: string, params: unknown): void;
}

/** Sub is one subscription. */
export interface Sub {
  id: string;
  peer: Peer;
  entry: Entry;
}

/** Entry is one cached answer. */
export interface Entry {
  key: string;
  dir: string;
  env: Record<string, string>;
  args: string[] | undefined;
  x: Explanation;
  deps: Deps;
  dirty: boolean;
  reason: ChangeReason;
  paths: string[];
  cacheable: boolean;
  lastUsed: number;
  subs: Set<Sub>;
}

interface DirRec {
  byName: Map<string, Set<Entry>>;
  any: Set<Entry>;
  watched: boolean;
  error?: string;
}

/** StateOptions tune the cache. */
export interface StateOptions {
  log: Logger;
  /** "inotify" (Linux default) or "deno" (Deno.watchFs). */
  watcher?: "inotify" | "deno";
  /** Delay that coalesces the events of one save before subscribers are told (ms, default 10). */
  coalesceMs?: number;
  /** Evict unsubscribed answers not asked for this long (ms, default 30 min). */
  evictAfterMs?: number;
  /** Most answers kept (default 50,000). */
  maxEntries?: number;
  /** Recompute recently used answers this often to catch missed events (ms, default 5 min; 0 = never). */
  revalidateMs?: number;
}

/** Target is what an answer is asked for. */
export interface TargetParams {
  dir: string;
  env: Record<string, string>;
  args?: string[];
  fresh?: boolean;
}

function keyOf(dir: string, env: Record<string, string>, args: string[] | undefined): string {
  let k = dir + "\0" + (args === undefined ? "" : args.join("\x01")) + "\0";
  for (const n in env) k += n + "=" + env[n] + "\0";
  return k;
}

/** State owns the cache, the watches and the subscriptions. */
export class State {
  readonly watcher: DirWatcher;
  #log: Logger;
  #entries = new Map<string, Entry>();
  #dirs = new Map<string, DirRec>();
  #pending = new Set<Entry>();
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #sweepTimer: ReturnType<typeof setInterval> | undefined;
  #coalesceMs: number;
  #evictAfterMs: number;
  #maxEntries: number;
  #revalidateMs: number;
  #lastRevalidate = Date.now();
  #nextSub = 1;
  #subCount = 0;
  #unwatchableLogged = new Set<string>();
  readonly counters = { rescans: 0, missed: 0, evicted: 0, computed: 0 };

  constructor(opts: StateOptions) {
    this.#log = opts.log;
    this.#coalesceMs = opts.coalesceMs ?? 10;
    this.#evictAfterMs = opts.evictAfterMs ?? 30 * 60_000;
    this.#maxEntries = opts.maxEntries ?? 50_000;
    this.#revalidateMs = opts.revalidateMs ?? 5 * 60_000;
    this.watcher = createWatcher({
      onEvents: (evs) => this.#onEvents(evs),
      onOverflow: (reason) => this.rescan(reason),
    }, opts.watcher);
    const tick = Math.max(
      1000,
      Math.min(60_000, this.#evictAfterMs / 4, this.#revalidateMs || Infinity),
    );
    this.#sweepTimer = setInterval(() => this.#sweep(), tick);
  }

  /** resolve answers from the cache, computing when needed. */
  resolve(p: TargetParams): Entry {
    const env = relevantEnv(p.env);
    const key = keyOf(p.dir, env, p.args);
    let e = this.#entries.get(key);
    if (e === undefined) {
      e = {
        key,
        dir: p.dir,
        env,
        args: p.args,
        x: undefined as unknown as Explanation,
        deps: new Map(),
        dirty: true,
        reason: "file",
        paths: [],
        cacheable: false,
        lastUsed: 0,
        subs: new Set(),
      };
      this.#entries.set(key, e);
      this.#compute(e);
      if (this.#entries.size > this.#maxEntries) this.#evictOldest();
    } else if (e.dirty || !e.cacheable || p.fresh) {
      this.#recomputeAndNotify(e);
    }
    e.lastUsed = Date.now();
    return e;
  }

  /** why renders the prose for an answer. */
  why(
    p: TargetParams & { color?: boolean; quiet?: boolean },
  ): { text: string; error: string | null } {
    const x = this.resolve(p).x;
    return { text: renderProse(x, { color: p.color ?? false, verbose: !p.quiet }), error: x.error };
  }

  /** subscribe adds a subscription for peer and returns it with the current answer. */
  subscribe(p: TargetParams, peer: Peer): { subscription: string; explanation: Explanation } {
    const e = this.resolve(p);
    const sub: Sub = { id: `s${this.#nextSub++}`, peer, entry: e };
    e.subs.add(sub);
    peer.subs.set(sub.id, sub);
    this.#subCount++;
    return { subscription: sub.id, explanation: e.x };
  }

  /** unsubscribe ends peer's subscription id; false when peer has none by that id. */
  unsubscribe(id: string, peer: Peer): boolean {
    const sub = peer.subs.get(id);
    if (sub === undefined) return false;
    peer.subs.delete(id);
    sub.entry.subs.delete(sub);
    this.#subCount--;
    return true;
  }

  /** dropPeer ends every subscription of a closed connection. */
  dropPeer(peer: Peer): void {
    for (const id of [...peer.subs.keys()]) this.unsubscribe(id, peer);
  }

  /** rescan handles lost events: every answer is dirty; subscribed ones are recomputed now. */
  rescan(reason: string): void {
    this.counters.rescans++;
    this.#log.warn(`rescan: ${reason}; recomputing every answer`);
    for (const [dir, rec] of this.#dirs) {
      if (!rec.watched) this.#watch(dir, rec);
    }
    const peers = new Set<Peer>();
    for (const e of this.#entries.values()) {
      e.dirty = true;
      e.reason = "rescan";
      e.paths = [];
      if (e.subs.size > 0) {
        this.#pending.add(e);
        for (const s of e.subs) peers.add(s.peer);
      }
    }
    this.#flush();
    for (const peer of peers) peer.notify("rescan", { reason });
  }

  /** stats returns the watcher part of status. */
  stats(): Pick<StatusResult, "entries" | "subscriptions" | "watcher"> {
    let unwatchable = 0;
    for (const rec of this.#dirs.values()) if (!rec.watched) unwatchable++;
    return {
      entries: this.#entries.size,
      subscriptions: this.#subCount,
      watcher: {
        kind: this.watcher.kind,
        dirs: this.watcher.size,
        unwatchable,
        rescans: this.counters.rescans,
        missed: this.counters.missed,
        evicted: this.counters.evicted,
      },
    };
  }

  /** close stops timers and the watcher. */
  close(): void {
    clearInterval(this.#sweepTimer);
    clearTimeout(this.#flushTimer);
    this.watcher.close();
  }

  // #compute resolves e through a recording file system and installs the
  // watches its answer depends on; see the module doc for the second round.
  #compute(e: Entry): void {
    for (let round = 0; round < 3; round++) {
      const fs = new RecordingFs(denoHost.fs);
      const host = { ...denoHost, fs, cwd: () => "/", environ: () => e.env };
      e.x = resolveSync({ dir: e.dir, env: e.env, args: e.args }, host);
      this.counters.computed++;
      const grew = this.#setDeps(e, depsOf(fs));
      e.dirty = false;
      e.paths = [];
      if (!grew) break;
    }
    let cacheable = true;
    for (const dir of e.deps.keys()) {
      if (!this.#dirs.get(dir)?.watched) cacheable = false;
    }
    e.cacheable = cacheable;
  }

  #recomputeAndNotify(e: Entry): void {
    const reason = e.reason;
    const track = e.subs.size > 0 || reason === "revalidate";
    const before = track ? JSON.stringify(e.x) : "";
    const paths = e.paths;
    this.#pending.delete(e);
    this.#compute(e);
    if (!track || JSON.stringify(e.x) === before) return;
    if (reason === "revalidate") {
      this.counters.missed++;
      this.#log.warn(`revalidation: the answer for ${e.dir} changed without an event`);
    }
    for (const s of e.subs) {
      const n: ChangedParams = {
        subscription: s.id,
        dir: e.dir,
        reason,
        paths,
        explanation: e.x,
      };
      s.peer.notify("changed", n);
    }
  }

  // #setDeps replaces e's watches by deps and reports whether a watch was
  // added (or failed), which means the answer must be computed again.
  #setDeps(e: Entry, deps: Deps): boolean {
    let grew = false;
    for (const [dir, names] of deps) {
      let rec = this.#dirs.get(dir);
      if (rec === undefined) {
        rec = { byName: new Map(), any: new Set(), watched: false };
        this.#dirs.set(dir, rec);
      }
      if (names === null) {
        rec.any.add(e);
      } else {
        for (const n of names) {
          let set = rec.byName.get(n);
          if (set === undefined) rec.byName.set(n, set = new Set());
          set.add(e);
        }
      }
      if (!rec.watched && this.#watch(dir, rec)) grew = true;
    }
    for (const [dir, names] of e.deps) {
      const now = deps.get(dir);
      const rec = this.#dirs.get(dir);
      if (rec === undefined) continue;
      if (names === null) {
        if (now !== null) rec.any.delete(e);
      } else {
        for (const n of names) {
          if (now !== null && now !== undefined && now.has(n)) continue;
          const set = rec.byName.get(n);
          set?.delete(e);
          if (set?.size === 0) rec.byName.delete(n);
        }
      }
      if (rec.byName.size === 0 && rec.any.size === 0) this.#unwatch(dir, rec);
    }
    e.deps = deps;
    return grew;
  }

  // #watch adds the watch for dir and reports whether it was added.
  #watch(dir: string, rec: DirRec): boolean {
    const err = this.watcher.add(dir);
    if (err === undefined) {
      rec.watched = true;
      rec.error = undefined;
      return true;
    }
    rec.watched = false;
    rec.error = err;
    if (!this.#unwatchableLogged.has(dir)) {
      this.#unwatchableLogged.add(dir);
      this.#log.warn(`cannot watch ${dir}: ${err}; answers depending on it are not cached`);
    }
    return false;
  }

  #unwatch(dir: string, rec: DirRec): void {
    if (rec.watched) this.watcher.remove(dir);
    this.#dirs.delete(dir);
  }

  #onEvents(evs: WatchEvent[]): void {
    for (const ev of evs) {
      const rec = this.#dirs.get(ev.dir);
      if (rec === undefined) continue;
      if (ev.kind === "gone") {
        rec.watched = false;
        for (const set of rec.byName.values()) for (const e of set) this.#markDirty(e, ev.dir);
        for (const e of rec.any) this.#markDirty(e, ev.dir);
        continue;
      }
      if (ev.name === undefined) continue;
      const path = ev.dir === "/" ? "/" + ev.name : ev.dir + "/" + ev.name;
      const set = rec.byName.get(ev.name);
      if (set !== undefined) { for (const e of set) this.#markDirty(e, path); }
      for (const e of rec.any) this.#markDirty(e, path);
    }
  }

  #markDirty(e: Entry, path: string): void {
    if (!e.dirty) {
      e.dirty = true;
      e.reason = "file";
      e.paths = [];
    }
    if (e.paths.length < 20 && !e.paths.includes(path)) e.paths.push(path);
    if (e.subs.size > 0) {
      this.#pending.add(e);
      if (this.#flushTimer === undefined) {
        this.#flushTimer = setTimeout(() => this.#flush(), this.#coalesceMs);
      }
    }
  }

  #flush(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const list = [...this.#pending];
    this.#pending.clear();
    for (const e of list) {
      if (!e.dirty || this.#entries.get(e.key) !== e) continue;
      try {
        this.#recomputeAndNotify(e);
      } catch (err) {
        this.#log.error(`recomputing ${e.dir}: ${err instanceof Error ? err.stack : err}`);
      }
    }
  }

  #evict(e: Entry): void {
    this.#entries.delete(e.key);
    this.#pending.delete(e);
    this.#setDeps(e, new Map());
    this.counters.evicted++;
  }

  #evictOldest(): void {
    const candidates = [...this.#entries.values()].filter((e) => e.subs.size === 0);
    candidates.sort((a, b) => a.lastUsed - b.lastUsed);
    const target = Math.floor(this.#maxEntries * 0.9);
    for (const e of candidates) {
      if (this.#entries.size <= target) break;
      this.#evict(e);
    }
  }

  #sweep(): void {
    const now = Date.now();
    for (const e of [...this.#entries.values()]) {
      if (e.subs.size === 0 && now - e.lastUsed > this.#evictAfterMs) this.#evict(e);
    }
    if (this.#revalidateMs > 0 && now - this.#lastRevalidate >= this.#revalidateMs) {
      this.#lastRevalidate = now;
      const list = [...this.#entries.values()].filter((e) =>
        !e.dirty && (e.subs.size > 0 || now - e.lastUsed < this.#revalidateMs)
      );
      this.#revalidate(list, 0);
    }
  }

  // #revalidate recomputes answers in small slices so requests keep flowing.
  #revalidate(list: Entry[], from: number): void {
    const end = Math.min(list.length, from + 20);
    for (let i = from; i < end; i++) {
      const e = list[i];
      if (e.dirty || this.#entries.get(e.key) !== e) continue;
      e.reason = "revalidate";
      e.paths = [];
      try {
        this.#recomputeAndNotify(e);
      } catch (err) {
        this.#log.error(`revalidating ${e.dir}: ${err instanceof Error ? err.message : err}`);
      }
      e.reason = "file";
    }
    if (end < list.length) setTimeout(() => this.#revalidate(list, end), 0);
  }
}
