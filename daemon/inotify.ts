/**
 * inotify(7) through FFI: one instance, one watch per directory, events read
 * on a helper thread (a nonblocking FFI poll) and parsed here.
 *
 * A directory reached by two paths (/bin and /usr/bin on merged-/usr
 * systems) has one watch descriptor; both paths are reported. IN_IGNORED,
 * IN_DELETE_SELF and IN_MOVE_SELF end a watch and are reported as "gone";
 * IN_Q_OVERFLOW is reported as an overflow.
 *
 * @module
 */

import type { DirWatcher, WatcherCallbacks, WatchEvent } from "./watcher.ts";

const IN_NONBLOCK = 0o4000;
const IN_CLOEXEC = 0o2000000;
const IN_MODIFY = 0x2;
const IN_ATTRIB = 0x4;
const IN_CLOSE_WRITE = 0x8;
const IN_MOVED_FROM = 0x40;
const IN_MOVED_TO = 0x80;
const IN_CREATE = 0x100;
const IN_DELETE = 0x200;
const IN_DELETE_SELF = 0x400;
const IN_MOVE_SELF = 0x800;
const IN_UNMOUNT = 0x2000;
const IN_Q_OVERFLOW = 0x4000;
const IN_IGNORED = 0x8000;
const IN_ONLYDIR = 0x1000000;
const IN_EXCL_UNLINK = 0x4000000;

const MASK = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE |
  IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK;

const errnoText: Record<number, string> = {
  1: "operation not permitted",
  2: "no such file or directory",
  13: "permission denied",
  20: "not a directory",
  28: "inotify watch limit reached (fs.inotify.max_user_watches)",
  40: "too many levels of symbolic links",
};

function openLibc() {
  return Deno.dlopen(
    "libc.so.6",
    {
      inotify_init1: { parameters: ["i32"], result: "i32" },
      inotify_add_watch: { parameters: ["i32", "buffer", "u32"], result: "i32" },
      inotify_rm_watch: { parameters: ["i32", "i32"], result: "i32" },
      read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
      poll: { parameters: ["buffer", "u64", "i32"], result: "i32", nonblocking: true },
      close: { parameters: ["i32"], result: "i32" },
      __errno_location: { parameters: [], result: "pointer" },
    } as const,
  );
}

/** InotifyWatcher is the Linux DirWatcher. */
export class InotifyWatcher implements DirWatcher {
  readonly kind = "inotify";
  #lib: ReturnType<typeof openLibc>;
  #fd: number;
  #cb: WatcherCallbacks;
  #byDir = new Map<string, number>();
  #byWd = new Map<number, Set<string>>();
  #closed = false;
  #enc = new TextEncoder();
  #dec = new TextDecoder();
  #buf = new Uint8Array(64 * 1024);
  #bv = new DataView(this.#buf.buffer);

  constructor(cb: WatcherCallbacks) {
    this.#cb = cb;
    this.#lib = openLibc();
    this.#fd = this.#lib.symbols.inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (this.#fd < 0) {
      const e = this.#errno();
      this.#lib.close();
      throw new Error(`inotify_init1: ${errnoText[e] ?? `errno ${e}`}`);
    }
    this.#loop();
  }

  get size(): number {
    return this.#byDir.size;
  }

  #errno(): number {
    const p = this.#lib.symbols.__errno_location();
    return p === null ? 0 : new Deno.UnsafePointerView(p).getInt32();
  }

  add(dir: string): string | undefined {
    if (this.#closed) return "watcher closed";
    if (this.#byDir.has(dir)) return undefined;
    const wd = this.#lib.symbols.inotify_add_watch(this.#fd, this.#enc.encode(dir + "\0"), MASK);
    if (wd < 0) {
      const e = this.#errno();
      return errnoText[e] ?? `errno ${e}`;
    }
    this.#byDir.set(dir, wd);
    let dirs = this.#byWd.get(wd);
    if (dirs === undefined) this.#byWd.set(wd, dirs = new Set());
    dirs.add(dir);
    return undefined;
  }

  remove(dir: string): void {
    const wd = this.#byDir.get(dir);
    if (wd === undefined) return;
    this.#byDir.delete(dir);
    const dirs = this.#byWd.get(wd);
    dirs?.delete(dir);
    if (dirs === undefined || dirs.size === 0) {
      this.#byWd.delete(wd);
      this.#lib.symbols.inotify_rm_watch(this.#fd, wd);
    }
  }

  has(dir: string): boolean {
    return this.#byDir.has(dir);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#byDir.clear();
    this.#byWd.clear();
    // The poll thread notices within its timeout; the fd is closed there.
  }

  // #drop forgets a watch descriptor the kernel has ended.
  #drop(wd: number): string[] {
    const dirs = this.#byWd.get(wd);
    if (dirs === undefined) return [];
    this.#byWd.delete(wd);
    for (const d of dirs) this.#byDir.delete(d);
    return [...dirs];
  }

  /**
   * drain delivers the events the kernel has queued, now: a request that must
   * see every change made before it was sent (a shell hook's prompt after a
   * command) calls it, because the poll thread may not have woken yet. The
   * kernel queues an event before the system call that caused it returns.
   */
  drain(): void {
    if (this.#closed) return;
    const buf = this.#buf;
    const bv = this.#bv;
    const events: WatchEvent[] = [];
    let overflow = false;
    for (;;) {
      const n = Number(this.#lib.symbols.read(this.#fd, buf, BigInt(buf.length)));
      if (n <= 0) break;
      let off = 0;
      while (off + 16 <= n) {
        const wd = bv.getInt32(off, true);
        const mask = bv.getUint32(off + 4, true);
        const len = bv.getUint32(off + 12, true);
        let name: string | undefined;
        if (len > 0) {
          const raw = buf.subarray(off + 16, off + 16 + len);
          const z = raw.indexOf(0);
          name = this.#dec.decode(z >= 0 ? raw.subarray(0, z) : raw);
        }
        off += 16 + len;
        if (mask & IN_Q_OVERFLOW) {
          overflow = true;
          continue;
        }
        const dirs = this.#byWd.get(wd);
        if (dirs === undefined) continue;
        if (mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT)) {
          if (mask & IN_MOVE_SELF) this.#lib.symbols.inotify_rm_watch(this.#fd, wd);
          for (const d of this.#drop(wd)) events.push({ dir: d, name: undefined, kind: "gone" });
          continue;
        }
        if (name === undefined) continue;
        for (const d of dirs) events.push({ dir: d, name, kind: "change" });
      }
    }
    if (events.length > 0) {
      try {
        this.#cb.onEvents(events);
      } catch {
        // A callback failure must not stop the watcher.
      }
    }
    if (overflow) this.#cb.onOverflow("inotify event queue overflowed (IN_Q_OVERFLOW)");
  }

  async #loop(): Promise<void> {
    const pfd = new Uint8Array(8);
    const pv = new DataView(pfd.buffer);
    while (!this.#closed) {
      pv.setInt32(0, this.#fd, true);
      pv.setInt16(4, 1, /* POLLIN */ true);
      pv.setInt16(6, 0, true);
      let r: number;
      try {
        r = await this.#lib.symbols.poll(pfd, 1n, 250);
      } catch {
        break;
      }
      if (this.#closed) break;
      if (r <= 0) continue;
      this.drain();
    }
    this.#lib.symbols.close(this.#fd);
    this.#lib.close();
  }
}
