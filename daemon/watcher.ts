/**
 * Directory watching for the daemon: non-recursive watches on exactly the
 * directories answers depend on, added and removed one at a time.
 *
 * Linux uses inotify directly through FFI (daemon/inotify.ts): one inotify
 * instance, O(1) per event, and a real overflow signal (IN_Q_OVERFLOW).
 * Deno.watchFs is the fallback elsewhere; in Deno 2.9.6 it matches every
 * event against every watched path with file-system calls, so its event
 * latency grows with the number of watched directories (measured: ~10 ms at
 * 1,000 directories, hundreds of ms at 10,000, against 0.2 ms for inotify),
 * which is why it is not used on Linux.
 *
 * @module
 */

import { InotifyWatcher } from "./inotify.ts";

/** WatchEvent is one change in a watched directory. */
export interface WatchEvent {
  /** The watched directory. */
  dir: string;
  /** The entry that changed, or undefined for the directory itself. */
  name: string | undefined;
  /** "gone": the directory was deleted or moved; its watch is over. */
  kind: "change" | "gone";
}

/** DirWatcher watches directories (not recursively). */
export interface DirWatcher {
  /** "inotify" or "deno.watchFs". */
  readonly kind: string;
  /** How many directories are watched. */
  readonly size: number;
  /**
   * add starts watching dir and returns undefined, or returns why it cannot
   * ("no such file or directory", "watch limit reached", …). Events that
   * happen after add returns are reported.
   */
  add(dir: string): string | undefined;
  /** remove stops watching dir (no-op when not watched). */
  remove(dir: string): void;
  /** has reports whether dir is watched. */
  has(dir: string): boolean;
  /** drain, where available, delivers every event already queued before it returns. */
  drain?(): void;
  close(): void;
}

/** WatcherCallbacks receive events in batches, and overflows. */
export interface WatcherCallbacks {
  onEvents(events: WatchEvent[]): void;
  /** onOverflow reports that events were lost: everything must be rechecked. */
  onOverflow(reason: string): void;
}

/** createWatcher returns the best watcher for this platform. */
export function createWatcher(cb: WatcherCallbacks, prefer?: "inotify" | "deno"): DirWatcher {
  if (prefer !== "deno" && Deno.build.os === "linux") {
    try {
      return new InotifyWatcher(cb);
    } catch {
      // No FFI or no libc.so.6 (musl): fall back.
    }
  }
  return new DenoWatcher(cb);
}

function dirnameOf(p: string): string {
  const i = Math.max(p.lastIndexOf("/"), p.lastIndexOf("\\"));
  return i <= 0 ? p.slice(0, 1) || "/" : p.slice(0, i);
}

function basenameOf(p: string): string {
  const i = Math.max(p.lastIndexOf("/"), p.lastIndexOf("\\"));
  return p.slice(i + 1);
}

/** DenoWatcher watches each directory with its own Deno.watchFs. */
export class DenoWatcher implements DirWatcher {
  readonly kind = "deno.watchFs";
  #cb: WatcherCallbacks;
  #watchers = new Map<string, Deno.FsWatcher>();

  constructor(cb: WatcherCallbacks) {
    this.#cb = cb;
  }

  get size(): number {
    return this.#watchers.size;
  }

  add(dir: string): string | undefined {
    if (this.#watchers.has(dir)) return undefined;
    let w: Deno.FsWatcher;
    try {
      w = Deno.watchFs(dir, { recursive: false });
    } catch (e) {
      return e instanceof Deno.errors.NotFound
        ? "no such file or directory"
        : e instanceof Error
        ? e.message
        : String(e);
    }
    this.#watchers.set(dir, w);
    (async () => {
      try {
        for await (const ev of w) {
          if (ev.flag === "rescan") {
            this.#cb.onOverflow("Deno.watchFs dropped events");
            continue;
          }
          const out: WatchEvent[] = [];
          for (const p of ev.paths) {
            if (p === dir) {
              out.push({ dir, name: undefined, kind: ev.kind === "remove" ? "gone" : "change" });
            } else {
              out.push({ dir: dirnameOf(p), name: basenameOf(p), kind: "change" });
            }
          }
          this.#cb.onEvents(out);
        }
      } catch (e) {
        this.#cb.onOverflow(`watcher error on ${dir}: ${e instanceof Error ? e.message : e}`);
      }
      if (this.#watchers.get(dir) === w) {
        this.#watchers.delete(dir);
        this.#cb.onEvents([{ dir, name: undefined, kind: "gone" }]);
      }
    })();
    return undefined;
  }

  remove(dir: string): void {
    const w = this.#watchers.get(dir);
    if (w === undefined) return;
    this.#watchers.delete(dir);
    try {
      w.close();
    } catch {
      // Already closed.
    }
  }

  has(dir: string): boolean {
    return this.#watchers.has(dir);
  }

  close(): void {
    for (const d of [...this.#watchers.keys()]) this.remove(d);
  }
}
