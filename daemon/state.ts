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
import type { ChangeReason, StatusResult } from "../lib/rpc/protocol.ts";
import { FsError } from "../lib/_internal/sys.ts";
import { depsOf, type HeavyInput, RecordingFs } from "./deps.ts";
import { computeInWorker, DeadlineError } from "./heavy.ts";
import { RawJson } from "./raw_json.ts";
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
  env: EnvRec;
  args: string[] | undefined;
  /** The answer as JSON text (an Explanation). */
  json: RawJson;
  /** The shared template json is built from (undefined: json holds its own text). */
  tmpl: Template | undefined;
  /** The watched directories it depends on, each with the entry names that matter (null: all). */
  deps: Dep[];
  dirty: boolean;
  reason: ChangeReason;
  paths: string[];
  cacheable: boolean;
  lastUsed: number;
  /** Subscriptions (undefined while there are none: most answers have none). */
  subs: Set<Sub> | undefined;
  /**
   * Set while the answer is computed in a worker (a heavy input,
   * daemon/heavy.ts); json then holds an interim answer saying so.
   */
  pending?: Promise<void>;
}

/** One environment, shared by the answers computed in it. */
interface EnvRec {
  key: string;
  id: number;
  env: Record<string, string>;
  refs: number;
}

// A Dep is shared by every answer that depends on the same names in the
// same directory (the ancestors' go.work, $GOROOT/VERSION…): with 10,000
// modules, one object instead of 10,000 objects and arrays per pair.
interface Dep {
  readonly key: string;
  readonly rec: DirRec;
  readonly names: readonly string[] | null;
  refs: number;
}

// A Template is an answer's JSON text split at its directory, shared by the
// answers that differ only by their directory (modules laid out alike).
interface Template {
  readonly key: string;
  readonly parts: readonly string[];
  refs: number;
}

interface DirRec {
  dir: string;
  byName: Map<string, Bag>;
  any: Bag;
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
  /**
   * An answer reading a file larger than this (bytes, default 1 MiB) is
   * computed in a worker, so parsing it never holds up other clients.
   */
  inlineMax?: number;
  /** A worker's deadline for one answer (ms, default 30 s): past it the request fails alone. */
  deadlineMs?: number;
}

/** Target is what an answer is asked for. */
export interface TargetParams {
  dir: string;
  env: Record<string, string>;
  args?: string[];
  fresh?: boolean;
}

const noPaths: string[] = [];

// A Bag holds the entries that depend on one name: most names (go.mod in a
// module directory) have one, so one entry is kept without a Set.
type Bag = Entry | Set<Entry> | undefined;

function bagAdd(b: Bag, e: Entry): Bag {
  if (b === undefined || b === e) return e;
  if (b instanceof Set) return b.add(e);
  return new Set([b, e]);
}

function bagDelete(b: Bag, e: Entry): Bag {
  if (b === e) return undefined;
  if (b instanceof Set) {
    b.delete(e);
    if (b.size === 1) return b.values().next().value;
    return b.size === 0 ? undefined : b;
  }
  return b;
}

function bagEach(b: Bag, f: (e: Entry) => void): void {
  if (b === undefined) return;
  if (b instanceof Set) { for (const e of [...b]) f(e); }
  else f(b);
}

function envKeyOf(env: Record<string, string>): string {
  let k = "";
  for (const n in env) k += n + "=" + env[n] + "\0";
  return k;
}

/** State owns the cache, the watches and the subscriptions. */
export class State {
  readonly watcher: DirWatcher;
  #log: Logger;
  #entries = new Map<string, Entry>();
  #dirs = new Map<string, DirRec>();
  #envs = new Map<string, EnvRec>();
  #nextEnv = 1;
  #names = new Map<string, string>();
  #depIntern = new Map<string, Dep>();
  #templates = new Map<string, Template>();
  #pending = new Set<Entry>();
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #sweepTimer: ReturnType<typeof setInterval> | undefined;
  #coalesceMs: number;
  #evictAfterMs: number;
  #maxEntries: number;
  #revalidateMs: number;
  #inlineMax: number;
  #deadlineMs: number;
  #lastRevalidate = Date.now();
  #nextSub = 1;
  #subCount = 0;
  #unwatchableLogged = new Set<string>();
  readonly counters = { rescans: 0, missed: 0, evicted: 0, computed: 0 };
  /**
   * onSubscribedDirty is told at once (before the coalescing delay) when an
   * event marks a subscribed answer dirty: shell hooks bump their generation
   * then, so the next prompt asks again (daemon/shells.ts).
   */
  onSubscribedDirty: ((e: Entry) => void) | undefined;

  constructor(opts: StateOptions) {
    this.#log = opts.log;
    this.#coalesceMs = opts.coalesceMs ?? 10;
    this.#evictAfterMs = opts.evictAfterMs ?? 30 * 60_000;
    this.#maxEntries = opts.maxEntries ?? 50_000;
    this.#revalidateMs = opts.revalidateMs ?? 5 * 60_000;
    this.#inlineMax = opts.inlineMax ?? 1 << 20;
    this.#deadlineMs = opts.deadlineMs ?? 30_000;
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

  /**
   * resolve answers from the cache, computing when needed. Events the kernel
   * has queued are taken first, so a change finished before the request was
   * sent (a toolchain installed by another process) is never answered from
   * the cache.
   */
  resolve(p: TargetParams): Entry {
    this.watcher.drain?.();
    const env = relevantEnv(p.env);
    const envKey = envKeyOf(env);
    let er = this.#envs.get(envKey);
    const key = p.dir + "\0" + (er?.id ?? "new") + "\0" +
      (p.args === undefined ? "" : p.args.join("\x01"));
    let e = er === undefined ? undefined : this.#entries.get(key);
    if (e === undefined) {
      if (er === undefined) {
        er = { key: envKey, id: this.#nextEnv++, env, refs: 0 };
        this.#envs.set(envKey, er);
      }
      er.refs++;
      e = {
        key: p.dir + "\0" + er.id + "\0" + (p.args === undefined ? "" : p.args.join("\x01")),
        dir: p.dir,
        env: er,
        args: p.args,
        json: new RawJson("null"),
        tmpl: undefined,
        deps: [],
        dirty: true,
        reason: "file",
        paths: noPaths,
        cacheable: false,
        lastUsed: 0,
        subs: undefined,
      };
      this.#entries.set(e.key, e);
      this.#compute(e);
      if (this.#entries.size > this.#maxEntries) this.#evictOldest();
    } else if (e.pending !== undefined) {
      // A worker is computing it: the caller awaits settled(e).
    } else if (e.dirty || !e.cacheable || p.fresh) {
      this.#recomputeAndNotify(e);
    }
    e.lastUsed = Date.now();
    return e;
  }

  /**
   * settled is e once no worker computes it: e itself at once, or a promise
   * of it (request handlers await it; other clients are answered meanwhile).
   */
  settled(e: Entry): Entry | Promise<Entry> {
    return e.pending === undefined ? e : e.pending.then(() => e);
  }

  /** why renders the prose for an answer. */
  why(
    p: TargetParams & { color?: boolean; quiet?: boolean },
  ): { text: string; error: string | null } | Promise<{ text: string; error: string | null }> {
    const render = (e: Entry) => {
      const x = JSON.parse(e.json.json) as Explanation;
      return {
        text: renderProse(x, { color: p.color ?? false, verbose: !p.quiet }),
        error: x.error,
      };
    };
    const e = this.settled(this.resolve(p));
    return e instanceof Promise ? e.then(render) : render(e);
  }

  /** subscribe adds a subscription for peer and returns it with the current answer. */
  subscribe(p: TargetParams, peer: Peer): { subscription: string; explanation: RawJson } {
    const e = this.resolve(p);
    const sub: Sub = { id: `s${this.#nextSub++}`, peer, entry: e };
    (e.subs ??= new Set()).add(sub);
    peer.subs.set(sub.id, sub);
    this.#subCount++;
    return { subscription: sub.id, explanation: e.json };
  }

  /** unsubscribe ends peer's subscription id; false when peer has none by that id. */
  unsubscribe(id: string, peer: Peer): boolean {
    const sub = peer.subs.get(id);
    if (sub === undefined) return false;
    peer.subs.delete(id);
    sub.entry.subs?.delete(sub);
    if (sub.entry.subs?.size === 0) sub.entry.subs = undefined;
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
      e.paths = noPaths;
      if (e.subs !== undefined) {
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
    if (e.pending !== undefined) return;
    for (let round = 0; round < 3; round++) {
      const fs = new RecordingFs(denoHost.fs, { inlineMax: this.#inlineMax });
      const env = e.env.env;
      const host = { ...denoHost, fs, cwd: () => "/", environ: () => env };
      let x;
      try {
        x = resolveSync({ dir: e.dir, env, args: e.args }, host);
      } catch (err) {
        if (fs.heavy === undefined) throw err;
      }
      if (fs.heavy !== undefined) {
        this.#computeHeavy(e, fs.heavy);
        return;
      }
      this.#setJson(e, JSON.stringify(x));
      this.counters.computed++;
      const grew = this.#setDeps(e, depsOf(fs));
      e.dirty = false;
      e.paths = noPaths;
      if (!grew) break;
    }
    e.cacheable = e.deps.every((d) => d.rec.watched);
  }

  // #interim computes e on this thread with path answered by error instead
  // of read: the answer while a worker computes e, or after it gave up.
  #interim(e: Entry, path: string, error: FsError): void {
    const fs = new RecordingFs(denoHost.fs, {
      inlineMax: this.#inlineMax,
      fail: { path, error },
      // A second large file waits for the worker too: never parsed here.
      heavyAs: (p) => new FsError("read", p, "refused", "being read in the background"),
    });
    const env = e.env.env;
    const host = { ...denoHost, fs, cwd: () => "/", environ: () => env };
    this.#setJson(e, JSON.stringify(resolveSync({ dir: e.dir, env, args: e.args }, host)));
    this.#setDeps(e, depsOf(fs));
  }

  // #computeHeavy computes e in a worker (daemon/heavy.ts). Until it
  // answers, e holds an interim answer and requests for it wait on
  // e.pending; subscribers are told when the answer arrives. Past the
  // deadline the worker is stopped and the answer is the go command's
  // error naming the file it was on.
  #computeHeavy(e: Entry, heavy: HeavyInput): void {
    const mib = (heavy.size / (1 << 20)).toFixed(1);
    this.#interim(
      e,
      heavy.path,
      new FsError(
        "read",
        heavy.path,
        "refused",
        `${mib} MiB: still being read and parsed in the background; ask again`,
      ),
    );
    e.dirty = false;
    e.cacheable = false;
    e.paths = noPaths;
    const before = e.json.json;
    this.#log.info(`computing ${e.dir} in a worker: ${heavy.path} is ${mib} MiB`);
    const job = { dir: e.dir, env: e.env.env, args: e.args };
    e.pending = computeInWorker(job, heavy.path, this.#deadlineMs).then(
      (r) => {
        if (this.#entries.get(e.key) !== e) return;
        this.#setJson(e, r.json);
        this.#setDeps(e, depsOf(r));
      },
      (err) => {
        if (this.#entries.get(e.key) !== e) return;
        const path = err instanceof DeadlineError ? err.path : heavy.path;
        const msg = err instanceof Error ? err.message : String(err);
        this.#log.warn(`computing ${e.dir}: ${path}: ${msg}`);
        this.#interim(e, path, new FsError("read", path, "refused", msg));
      },
    ).finally(() => {
      e.pending = undefined;
      if (this.#entries.get(e.key) !== e) return;
      this.counters.computed++;
      // Changed meanwhile (an event marked it dirty): the next request computes again.
      e.cacheable = !e.dirty && e.deps.every((d) => d.rec.watched);
      if (e.dirty && e.subs !== undefined) {
        this.#pending.add(e);
        this.#flushTimer ??= setTimeout(() => this.#flush(), this.#coalesceMs);
      }
      if (e.json.json === before) return;
      for (const s of e.subs ?? []) {
        s.peer.notify("changed", {
          subscription: s.id,
          dir: e.dir,
          reason: "file",
          paths: [heavy.path],
          explanation: e.json,
        });
      }
      if (e.subs !== undefined) this.onSubscribedDirty?.(e);
    });
  }

  #recomputeAndNotify(e: Entry): void {
    const reason = e.reason;
    const before = e.json.json;
    const paths = e.paths;
    this.#pending.delete(e);
    this.#compute(e);
    if (e.json.json === before) return;
    if (reason === "revalidate") {
      this.counters.missed++;
      this.#log.warn(`revalidation: the answer for ${e.dir} changed without an event`);
    }
    for (const s of e.subs ?? []) {
      s.peer.notify("changed", {
        subscription: s.id,
        dir: e.dir,
        reason,
        paths,
        explanation: e.json,
      });
    }
  }

  // #setJson stores e's answer text, as a shared template and e.dir when
  // the text splits well at e.dir (parts.join(dir) gives the text back
  // exactly, whatever the text holds).
  #setJson(e: Entry, text: string): void {
    this.#dropTemplate(e);
    const needle = JSON.stringify(e.dir).slice(1, -1);
    if (needle.length >= 8) {
      const parts = text.split(needle);
      if (parts.length >= 2 && parts.length <= 16) {
        const key = parts.join("\0");
        let t = this.#templates.get(key);
        if (t === undefined) {
          // Parts sliced from the key: the key is kept anyway.
          t = { key, parts: key.split("\0"), refs: 0 };
          this.#templates.set(key, t);
        }
        t.refs++;
        e.tmpl = t;
        e.json = new RawJson(t.parts, needle);
        return;
      }
    }
    e.json = new RawJson(text);
  }

  #dropTemplate(e: Entry): void {
    const t = e.tmpl;
    if (t === undefined) return;
    e.tmpl = undefined;
    if (--t.refs === 0) this.#templates.delete(t.key);
  }

  #name(n: string): string {
    let v = this.#names.get(n);
    if (v === undefined) {
      // Flatten: a sliced string would keep its whole parent path alive.
      v = (" " + n).slice(1);
      this.#names.set(v, v);
    }
    return v;
  }

  // #setDeps replaces e's watches by deps and reports whether a watch was
  // added, which means the answer must be computed again.
  #setDeps(e: Entry, deps: Map<string, Set<string> | null>): boolean {
    let grew = false;
    const next = new Array<Dep>(deps.size);
    let i = 0;
    for (const [dir, names] of deps) {
      let rec = this.#dirs.get(dir);
      if (rec === undefined) {
        rec = { dir: this.#name(dir), byName: new Map(), any: undefined, watched: false };
        this.#dirs.set(rec.dir, rec);
      }
      let list: string[] | null = null;
      if (names === null) {
        rec.any = bagAdd(rec.any, e);
      } else {
        list = new Array<string>(names.size);
        let j = 0;
        for (const n0 of names) {
          const n = this.#name(n0);
          list[j++] = n;
          const b = rec.byName.get(n);
          const b2 = bagAdd(b, e);
          if (b2 !== b) rec.byName.set(n, b2);
        }
        list.sort();
      }
      const dkey = rec.dir + (list === null ? "\0*" : "\0" + list.join("\0"));
      let dep = this.#depIntern.get(dkey);
      if (dep === undefined) {
        dep = { key: dkey, rec, names: list, refs: 0 };
        this.#depIntern.set(dkey, dep);
      }
      dep.refs++;
      next[i++] = dep;
      if (!rec.watched && this.#watch(rec.dir, rec)) grew = true;
    }
    for (const dep of e.deps) {
      if (--dep.refs === 0) this.#depIntern.delete(dep.key);
      const { rec, names } = dep;
      const now = deps.get(rec.dir);
      if (names === null) {
        if (now !== null) rec.any = bagDelete(rec.any, e);
      } else {
        for (const n of names) {
          if (now !== null && now !== undefined && now.has(n)) continue;
          const b = bagDelete(rec.byName.get(n), e);
          if (b === undefined) rec.byName.delete(n);
          else rec.byName.set(n, b);
        }
      }
      if (rec.byName.size === 0 && rec.any === undefined) this.#unwatch(rec.dir, rec);
    }
    e.deps = next;
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
    this.#names.delete(dir);
  }

  #onEvents(evs: WatchEvent[]): void {
    for (const ev of evs) {
      const rec = this.#dirs.get(ev.dir);
      if (rec === undefined) continue;
      if (ev.kind === "gone") {
        rec.watched = false;
        for (const b of rec.byName.values()) bagEach(b, (e) => this.#markDirty(e, ev.dir));
        bagEach(rec.any, (e) => this.#markDirty(e, ev.dir));
        continue;
      }
      if (ev.name === undefined) continue;
      const path = ev.dir === "/" ? "/" + ev.name : ev.dir + "/" + ev.name;
      bagEach(rec.byName.get(ev.name), (e) => this.#markDirty(e, path));
      bagEach(rec.any, (e) => this.#markDirty(e, path));
    }
  }

  #markDirty(e: Entry, path: string): void {
    if (!e.dirty) {
      e.dirty = true;
      e.reason = "file";
      e.paths = [];
    } else if (e.paths === noPaths) {
      e.paths = [];
    }
    if (e.paths.length < 20 && !e.paths.includes(path)) e.paths.push(path);
    if (e.subs !== undefined) {
      this.#pending.add(e);
      if (this.#flushTimer === undefined) {
        this.#flushTimer = setTimeout(() => this.#flush(), this.#coalesceMs);
      }
      this.onSubscribedDirty?.(e);
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
    this.#dropTemplate(e);
    if (--e.env.refs === 0) this.#envs.delete(e.env.key);
    this.counters.evicted++;
  }

  #evictOldest(): void {
    const candidates = [...this.#entries.values()].filter((e) => e.subs === undefined);
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
      if (e.subs === undefined && now - e.lastUsed > this.#evictAfterMs) this.#evict(e);
    }
    if (this.#revalidateMs > 0 && now - this.#lastRevalidate >= this.#revalidateMs) {
      this.#lastRevalidate = now;
      const list = [...this.#entries.values()].filter((e) =>
        !e.dirty && (e.subs !== undefined || now - e.lastUsed < this.#revalidateMs)
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
      e.paths = noPaths;
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
