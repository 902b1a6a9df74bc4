/**
 * Shell hooks on the daemon side (docs/hooks.md): the `prompt` method, the
 * shells the daemon keeps answers fresh for, the hook file and the shim
 * directory.
 *
 * - **Shells.** A prompt request with a pid holds its answer like a
 *   subscription (watched, never evicted) for that shell. A shell has one
 *   answer at a time: moving to another directory or environment releases the
 *   old one. Every few seconds the daemon checks each pid (Linux: that
 *   /proc/<pid>/stat still shows the same start time, so a reused pid is not
 *   mistaken for the shell) and forgets the shells that are gone. Nothing is
 *   written per shell.
 * - **Hook file.** One line, `<daemon pid> <start time> <generation> <port>
 *   <token> <proof>`, mode 0600, beside the socket. Hooks read it before each
 *   prompt (a shell builtin, no process), check that the pid is still the
 *   process that started at that time (a reused pid is not the daemon), and
 *   ask the daemon again only when their directory or environment changed or
 *   the generation moved. Every prompt answer starts with the proof, which
 *   only the daemon sends (a client never does): a hook trusts nothing in an
 *   answer without it (docs/hooks.md, threat model). The generation moves as
 *   soon as an event marks an answer held by a shell dirty (before the
 *   coalescing delay), when such an answer changes on revalidation, and on
 *   a rescan. The file goes when the daemon stops.
 * - **Shims.** A goX.Y.Z program in PATH cannot be put in PATH as `go`; the
 *   daemon makes `<shims>/<toolchain>-<hash>/go`, a symbolic link to it, one
 *   per program (not per shell).
 *
 * @module
 */

import type { Explanation } from "../mod.ts";
import { promptLine, shimName, switchKind } from "../lib/hooks/prompt.ts";
import { invalidParams } from "../lib/rpc/errors.ts";
import type { PromptParams, ShellInfo, StatusResult } from "../lib/rpc/protocol.ts";
import type { Logger } from "./log.ts";
import type { Entry, Peer, State, Sub } from "./state.ts";

/** ShellsOptions configure the registry. */
export interface ShellsOptions {
  state: State;
  log: Logger;
  /** The hook file's path ("" for none). */
  hookFile: string;
  /** The shim directory. */
  shims: string;
  /** The loopback port, or null when there is no loopback listener. */
  port: number | null;
  /** The loopback token: a hook proves with it that it read the hook file. */
  token: string;
  /** The proof: the daemon proves with it, at the head of every prompt answer, that it wrote the hook file. */
  proof: string;
  /** How often pids are checked (ms, default 2000). */
  checkMs?: number;
  /** Most shells tracked (default 4096): beyond, the least recently seen is forgotten. */
  maxShells?: number;
}

// A shell's peer: it holds the shell's one subscription; a notification
// (changed, rescan) means the answer may differ, so the generation moves.
class ShellPeer implements Peer {
  readonly subs = new Map<string, Sub>();
  constructor(readonly onNotify: () => void) {}
  notify(): void {
    this.onNotify();
  }
}

interface ShellRec {
  pid: number;
  shell: string;
  /** /proc start time ("" where unknown). */
  start: string;
  peer: ShellPeer;
  sub: Sub | undefined;
  dir: string;
  seen: number;
}

interface Summary {
  x: Pick<Explanation, "toolchain" | "source" | "exe" | "error" | "diagnostics">;
}

/** Shells answers prompt requests and tracks the shells that send them. */
export class Shells {
  #opts: ShellsOptions;
  #shells = new Map<number, ShellRec>();
  #gen = 1;
  #writeQueued = false;
  #timer: ReturnType<typeof setInterval>;
  #summaries = new WeakMap<object, Summary>();
  #shimsMade = new Map<string, string>();
  #closed = false;
  /** This process's start time for the hook file ("-" where there is no /proc). */
  #start: string;

  constructor(opts: ShellsOptions) {
    this.#opts = opts;
    this.#start = procStart(Deno.pid) || "-";
    opts.state.onSubscribedDirty = (e) => {
      for (const s of e.subs ?? []) {
        if (s.peer instanceof ShellPeer) {
          this.bump();
          return;
        }
      }
    };
    this.#write();
    this.#timer = setInterval(() => this.sweep(), opts.checkMs ?? 2000);
  }

  /** size is the number of live shells. */
  get size(): number {
    return this.#shells.size;
  }

  /** generation is the current generation number. */
  get generation(): number {
    return this.#gen;
  }

  /**
   * prompt answers a prompt request (the token is checked by the server):
   * `proof|flags|toolchain|text|bindir`.
   */
  prompt(p: PromptParams): string {
    if (p.pid !== undefined && p.pid <= 0) {
      throw invalidParams([`params.pid: must be positive, got ${p.pid}`]);
    }
    // Changes made before the request was sent (by the command the shell
    // just ran) must be seen: take the queued events first.
    this.#opts.state.watcher.drain?.();
    const target = { dir: p.dir, env: p.env, args: p.args };
    const e = p.pid === undefined
      ? this.#opts.state.resolve(target)
      : this.#hold(p.pid, (p.shell ?? "").slice(0, 32), target);
    let sum = this.#summaries.get(e.json);
    if (sum === undefined) {
      const x = JSON.parse(e.json.json) as Explanation;
      const { toolchain, source, exe, error, diagnostics } = x;
      sum = { x: { toolchain, source, exe, error, diagnostics } };
      this.#summaries.set(e.json, sum);
    }
    let bindir = "";
    if (p.switch) {
      const kind = switchKind(sum.x);
      const exe = sum.x.exe!;
      if (kind === "goroot") bindir = exe.slice(0, exe.lastIndexOf("/")) || "/";
      else if (kind === "shim") bindir = this.#shim(sum.x.toolchain!, exe);
    }
    return `${this.#opts.proof}|${promptLine(sum.x, { bindir })}`;
  }

  /** list describes up to max live shells. */
  list(max = 100): ShellInfo[] {
    const out: ShellInfo[] = [];
    for (const r of this.#shells.values()) {
      if (out.length >= max) break;
      out.push({ pid: r.pid, shell: r.shell, dir: r.dir, seen: new Date(r.seen).toISOString() });
    }
    return out;
  }

  /** status is the hooks part of the daemon's status. */
  status(): NonNullable<StatusResult["hooks"]> {
    return { port: this.#opts.port, shells: this.#shells.size, list: this.list() };
  }

  /** bump moves the generation: every hook asks again at its next prompt. */
  bump(): void {
    this.#gen++;
    if (this.#writeQueued) return;
    this.#writeQueued = true;
    // After the current batch of events, before any I/O: one write per batch.
    queueMicrotask(() => {
      this.#writeQueued = false;
      this.#write();
    });
  }

  /** sweep forgets the shells whose process is gone. */
  sweep(): void {
    for (const r of [...this.#shells.values()]) {
      if (!isAlive(r.pid, r.start)) this.#forget(r);
    }
  }

  /** close removes the hook file and forgets every shell. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    for (const r of [...this.#shells.values()]) this.#forget(r);
    if (this.#opts.hookFile !== "") {
      try {
        // Only our own file: a newer daemon may have replaced it.
        const [pid] = Deno.readTextFileSync(this.#opts.hookFile).split(" ");
        if (pid === String(Deno.pid)) Deno.removeSync(this.#opts.hookFile);
      } catch {
        // Gone already.
      }
    }
  }

  #hold(pid: number, shell: string, target: PromptParams): Entry {
    const { state } = this.#opts;
    const e = state.resolve(target);
    let r = this.#shells.get(pid);
    if (r === undefined) {
      const start = procStart(pid);
      // A pid that is not running (or a lie): answer, but track nothing.
      if (start === null) return e;
      if (this.#shells.size >= (this.#opts.maxShells ?? 4096)) this.#forgetOldest();
      r = {
        pid,
        shell,
        start,
        peer: new ShellPeer(() => this.bump()),
        sub: undefined,
        dir: target.dir,
        seen: 0,
      };
      this.#shells.set(pid, r);
    }
    r.seen = Date.now();
    r.dir = target.dir;
    if (shell !== "") r.shell = shell;
    if (r.sub?.entry !== e) {
      if (r.sub !== undefined) state.unsubscribe(r.sub.id, r.peer);
      const { subscription } = state.subscribe(target, r.peer);
      r.sub = r.peer.subs.get(subscription);
    }
    return e;
  }

  #forget(r: ShellRec): void {
    if (r.sub !== undefined) this.#opts.state.unsubscribe(r.sub.id, r.peer);
    r.sub = undefined;
    this.#shells.delete(r.pid);
  }

  #forgetOldest(): void {
    let old: ShellRec | undefined;
    for (const r of this.#shells.values()) if (old === undefined || r.seen < old.seen) old = r;
    if (old !== undefined) this.#forget(old);
  }

  // #shim returns the directory whose `go` is a symbolic link to exe, making it when needed.
  #shim(toolchain: string, exe: string): string {
    const dir = `${this.#opts.shims}/${shimName(toolchain, exe)}`;
    if (this.#shimsMade.get(dir) === exe) {
      try {
        if (Deno.readLinkSync(`${dir}/go`) === exe) return dir;
      } catch {
        // Removed behind our back: make it again.
      }
    }
    try {
      Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
      let current: string | undefined;
      try {
        current = Deno.readLinkSync(`${dir}/go`);
      } catch {
        // Missing.
      }
      if (current !== exe) {
        const tmp = `${dir}/.go.${Deno.pid}`;
        try {
          Deno.removeSync(tmp);
        } catch {
          // None left over.
        }
        Deno.symlinkSync(exe, tmp);
        Deno.renameSync(tmp, `${dir}/go`);
      }
      this.#shimsMade.set(dir, exe);
      return dir;
    } catch (e) {
      this.#opts.log.warn(`shim for ${exe}: ${e instanceof Error ? e.message : e}`);
      return "";
    }
  }

  #write(): void {
    if (this.#closed || this.#opts.hookFile === "") return;
    const f = this.#opts.hookFile;
    const line = `${Deno.pid} ${this.#start} ${this.#gen} ${this.#opts.port ?? 0} ` +
      `${this.#opts.token} ${this.#opts.proof}\n`;
    const tmp = `${f}.${Deno.pid}.tmp`;
    try {
      Deno.writeTextFileSync(tmp, line, { mode: 0o600 });
      Deno.chmodSync(tmp, 0o600);
      Deno.renameSync(tmp, f);
    } catch (e) {
      this.#opts.log.error(`hook file ${f}: ${e instanceof Error ? e.message : e}`);
    }
  }
}

/**
 * procStart returns the start time of process pid as /proc/<pid>/stat shows
 * it, "" where there is no /proc (the pid is then trusted to be alive until
 * kill(2) says otherwise), or null when there is no such process.
 */
export function procStart(pid: number): string | null {
  if (Deno.build.os !== "linux") return isAliveKill(pid) ? "" : null;
  let stat: string;
  try {
    stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch {
    return null;
  }
  // Fields after the command name (which may hold spaces and parentheses):
  // state is field 3, starttime field 22.
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  if (rest[0] === "Z" || rest[0] === "X") return null;
  return rest[19] ?? "";
}

// isAlive reports whether pid is still the process that started at start.
function isAlive(pid: number, start: string): boolean {
  const now = procStart(pid);
  return now !== null && (start === "" || now === start);
}

let killFn: ((pid: number, sig: number) => number) | null | undefined;

// isAliveKill is kill(pid, 0) through FFI where there is no /proc (macOS and
// the BSDs; untested here). Without FFI the shell is kept until the daemon stops.
function isAliveKill(pid: number): boolean {
  if (killFn === undefined) {
    killFn = null;
    const lib = Deno.build.os === "darwin" ? "libSystem.B.dylib" : "libc.so";
    try {
      const l = Deno.dlopen(lib, { kill: { parameters: ["i32", "i32"], result: "i32" } });
      killFn = (p, s) => l.symbols.kill(p, s);
    } catch {
      // No FFI: trust the pid.
    }
  }
  if (killFn === null) return true;
  // 0: alive; -1 with EPERM also means alive, but then it is not our shell.
  return killFn(pid, 0) === 0;
}
