/**
 * A REPL session: a directory, an environment and an overlay of edited
 * go.mod/go.work files, and the commands that read and change them. Every
 * answer is lib/resolve's, computed on a Host whose file system is the
 * overlay, so a what-if answer is exactly what resolve gives with the same
 * environment and the same files on disk. Nothing here writes anywhere: the
 * caller prints Output and owns the terminal.
 *
 * @module
 */

import { basename, isAbs, join } from "../_internal/path.ts";
import { FsError } from "../_internal/sys.ts";
import { describeOrigin, GoEnv, knownKeys } from "../goenv/mod.ts";
import { compare, fromToolchain } from "../gover/mod.ts";
import type { Host } from "../host/host.ts";
import { findGoMod, findGoWork, GoWorkError, ModFileErrorList } from "../modfile/mod.ts";
import { renderProse } from "../explain/mod.ts";
import { type Explanation, resolve } from "../resolve/mod.ts";
import { pathToolchainNames } from "../toolchain/mod.ts";
import { complete, type Completion } from "./complete.ts";
import { editText, lineDiff } from "./edit.ts";
import { OverlayFs } from "./overlay.ts";
import { type Command, commands, type EditTarget, type FileEdit, parseCommand } from "./parse.ts";

/** What `install` is handed: the toolchain and the session's what-if environment and directory. */
export interface InstallRequest {
  name: string;
  /** --source: goproxy, godl or microsoft; absent: the installer's default. */
  source?: string;
  dir: string;
  env: Record<string, string>;
}

/** Installs a toolchain; resolves to the text to print. */
export type InstallFn = (req: InstallRequest) => Promise<string>;
/** Lists installed toolchains; resolves to the text to print. */
export type ListFn = (
  req: { args: string[]; dir: string; env: Record<string, string> },
) => Promise<string>;

/** The inputs of a session. */
export interface SessionInput {
  /** The machine: its fs is read through the overlay. */
  host: Host;
  /** The starting directory. @default host.cwd() */
  dir?: string;
  /** The starting environment. @default host.environ() */
  env?: Record<string, string>;
  /** ANSI colour in answers and the prompt. @default false */
  color?: boolean;
  /** `install`; absent: the command says it is not available in this build. */
  install?: InstallFn;
  /** `list`; absent: the command says it is not available in this build. */
  list?: ListFn;
  /** More toolchain names to complete (e.g. an inventory's). */
  toolchains?: () => string[];
}

/** Output is what one command printed. */
export interface Output {
  /** For stdout. */
  out: string;
  /** For stderr (errors). */
  err: string;
  /** The command failed (a usage error or a refused edit). */
  failed: boolean;
  /** The session should end. */
  exit: boolean;
}

/** The message of a command this build has no implementation for. */
export function notAvailable(command: string): string {
  return `gtc ${command} is not available in this build yet`;
}

class CommandError extends Error {}

const esc = (n: number) => (s: string) => `\x1b[${n}m${s}\x1b[0m`;

/** Session holds one REPL's state. */
export class Session {
  readonly overlay: OverlayFs;
  readonly host: Host;
  readonly color: boolean;
  /** The environment the session started with. */
  readonly baseEnv: Readonly<Record<string, string>>;
  #env: Record<string, string>;
  #cwd: string;
  #prevCwd: string;
  readonly #input: SessionInput;

  constructor(input: SessionInput) {
    this.#input = input;
    const base = input.host;
    this.overlay = new OverlayFs(base.fs);
    this.color = input.color ?? false;
    this.baseEnv = Object.freeze({ ...(input.env ?? base.environ()) });
    this.#env = { ...this.baseEnv };
    const style = base.pathStyle;
    const dir = input.dir ?? base.cwd();
    this.#cwd = isAbs(dir, style) ? join(style, dir) : join(style, base.cwd(), dir);
    this.#prevCwd = this.#cwd;
    // The overlay host: the real machine, but files read through the overlay
    // and relative paths taken from the session's directory.
    this.host = { ...base, fs: this.overlay, cwd: () => this.#cwd };
  }

  /** cwd is the directory the session evaluates. */
  get cwd(): string {
    return this.#cwd;
  }

  /** env is the environment with the what-if changes applied. */
  get env(): Record<string, string> {
    return { ...this.#env };
  }

  /** explain is resolve for dir (default: the session's directory) with the what-if changes. */
  explain(dir?: string): Explanation {
    return resolve(this.host, { dir: dir ?? this.#cwd, env: this.#env });
  }

  /** hasChanges reports whether any what-if change is in effect. */
  hasChanges(): boolean {
    return this.overlay.paths().length > 0 || this.#envChanges().length > 0;
  }

  /** prompt is the interactive prompt: directory, toolchain selected there, "*" with what-ifs. */
  prompt(): string {
    const c = this.#palette();
    let tc: string;
    try {
      const x = this.explain();
      tc = x.error !== null ? c.red("error") : c.cyan(x.toolchain ?? "?");
    } catch {
      tc = c.red("?");
    }
    const mark = this.hasChanges() ? c.yellow("*") : "";
    return `${c.bold("gtc")} ${
      basename(this.#cwd, this.host.pathStyle) || this.#cwd
    } ${tc}${mark}> `;
  }

  /** complete completes the last word of line for the session. */
  complete(line: string): Completion {
    return complete(line, {
      fs: this.overlay,
      style: this.host.pathStyle,
      cwd: this.#cwd,
      home: this.#env.HOME || undefined,
      envKeys: () => this.envKeys(),
      toolchains: () => this.toolchainNames(),
    });
  }

  /** envKeys lists the keys completion offers: the known Go settings and GO* keys in the environment. */
  envKeys(): string[] {
    const keys = new Set<string>(knownKeys);
    for (const k of Object.keys(this.#env)) if (k.startsWith("GO")) keys.add(k);
    return [...keys].sort();
  }

  /**
   * toolchainNames lists toolchain names worth completing, newest first: the
   * one selected here, those the go.mod/go.work names, the local go, goX.Y.Z
   * programs on PATH, and the caller's extra names.
   */
  toolchainNames(): string[] {
    const names = new Set<string>();
    try {
      const x = this.explain();
      if (x.toolchain) names.add(x.toolchain);
      if (x.local) names.add(x.local.toolchain);
      if (x.file?.toolchain && x.file.toolchain.value !== "default") {
        names.add(x.file.toolchain.value);
      }
      if (x.file?.go) names.add(`go${x.file.go.value}`);
    } catch {
      // Completion never fails.
    }
    const style = this.host.pathStyle;
    const path = this.#env[style === "windows" ? "Path" : "PATH"] ?? this.#env.PATH ?? "";
    for (const n of pathToolchainNames(this.overlay, { path, style, cwd: this.#cwd })) names.add(n);
    for (const n of this.#input.toolchains?.() ?? []) names.add(n);
    return [...names].filter((n) => fromToolchain(n) !== "").sort((a, b) =>
      compare(fromToolchain(b), fromToolchain(a)) || (a < b ? -1 : a > b ? 1 : 0)
    );
  }

  /** run executes one line. */
  async run(line: string): Promise<Output> {
    const cmd = parseCommand(line);
    try {
      const out = await this.#exec(cmd);
      return { out, err: "", failed: false, exit: cmd.kind === "exit" };
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
      return {
        out: "",
        err: `${this.#palette().red("error")}: ${e.message}\n`,
        failed: true,
        exit: false,
      };
    }
  }

  async #exec(cmd: Command): Promise<string> {
    const c = this.#palette();
    switch (cmd.kind) {
      case "empty":
      case "exit":
        return "";
      case "error":
        throw new CommandError(cmd.message);
      case "why": {
        const dir = cmd.dir === undefined ? this.#cwd : this.#dirArg(cmd.dir);
        const x = this.explain(dir);
        if (cmd.json) return JSON.stringify(x, null, 2) + "\n";
        const head = this.hasChanges() ? c.yellow(`what-if: ${this.#changeSummary()}`) + "\n" : "";
        return head + renderProse(x, { color: this.color, verbose: !cmd.quiet });
      }
      case "cd": {
        let to: string;
        if (cmd.dir === "-") to = this.#prevCwd;
        else if (cmd.dir === undefined) {
          if (!this.#env.HOME) throw new CommandError("cd: HOME not set");
          to = this.#env.HOME;
        } else to = this.#dirArg(cmd.dir);
        this.#prevCwd = this.#cwd;
        this.#cwd = to;
        return "";
      }
      case "pwd":
        return this.#cwd + "\n";
      case "set":
        this.#env[cmd.key] = cmd.value;
        return "";
      case "unset":
        delete this.#env[cmd.key];
        return "";
      case "edit":
        return this.#edit(cmd.target, cmd.edit);
      case "changes": {
        const lines = this.#changeLines();
        return lines.length === 0 ? "no what-if changes\n" : lines.join("\n") + "\n";
      }
      case "reset":
        this.#env = { ...this.baseEnv };
        this.overlay.clear();
        return "";
      case "env":
        return this.#envCommand(cmd.keys, cmd.json);
      case "install": {
        if (this.#input.install === undefined) throw new CommandError(notAvailable("install"));
        let name = cmd.name;
        if (name === undefined) {
          const x = this.explain();
          if (x.error !== null || x.toolchain === null) {
            throw new CommandError(`install: nothing is selected here: ${x.error ?? "?"}`);
          }
          name = x.toolchain;
          // As gtc install: a toolchain the go command runs from PATH needs no install.
          if ((cmd.source ?? "goproxy") === "goproxy" && x.source === "local") {
            return `${name} is the local go command: nothing to install\n`;
          }
          if ((cmd.source ?? "goproxy") === "goproxy" && x.source === "path") {
            return `${name} is in PATH (${x.exe}): nothing to install\n`;
          }
        }
        try {
          return await this.#input.install({
            name,
            source: cmd.source,
            dir: this.#cwd,
            env: this.env,
          });
        } catch (e) {
          throw new CommandError(`install ${name}: ${e instanceof Error ? e.message : e}`);
        }
      }
      case "list":
        if (this.#input.list === undefined) throw new CommandError(notAvailable("list"));
        try {
          return await this.#input.list({ args: cmd.args, dir: this.#cwd, env: this.env });
        } catch (e) {
          throw new CommandError(`list: ${e instanceof Error ? e.message : e}`);
        }
      case "echo":
        return cmd.text + "\n";
      case "help":
        return help(cmd.topic, c);
    }
  }

  // dirArg resolves a directory argument against the session's directory
  // and checks it names a directory.
  #dirArg(arg: string): string {
    const style = this.host.pathStyle;
    let p = arg;
    if ((p === "~" || /^~[\\/]/.test(p)) && this.#env.HOME) {
      p = join(style, this.#env.HOME, p.slice(1));
    }
    p = isAbs(p, style) ? join(style, p) : join(style, this.#cwd, p);
    const info = this.overlay.stat(p);
    if (info === undefined) throw new CommandError(`${arg}: no such directory`);
    if (!info.isDirectory) throw new CommandError(`${arg}: not a directory`);
    return p;
  }

  #goEnv(): GoEnv {
    let runtimeGoroot: string | undefined;
    try {
      runtimeGoroot = this.explain().local?.goroot;
    } catch {
      runtimeGoroot = undefined;
    }
    return new GoEnv({
      environ: this.#env,
      fs: this.overlay,
      goos: this.host.goos,
      runtimeGoroot,
    });
  }

  #tempDir(): string {
    if (this.host.goos === "windows") {
      return this.#env.TMP || this.#env.TEMP || this.#env.USERPROFILE || "C:\\Windows";
    }
    return this.#env.TMPDIR || "/tmp";
  }

  // targetFile finds the go.mod (as `go mod edit` would) or go.work (as `go
  // work edit` would) for the session's directory.
  #targetFile(target: EditTarget): string {
    const style = this.host.pathStyle;
    if (target === "go.mod") {
      const f = findGoMod(this.overlay, this.#cwd, { tempDir: this.#tempDir(), style });
      if (f === undefined) throw new CommandError(`no go.mod in ${this.#cwd} or any parent`);
      return f;
    }
    const env = this.#goEnv();
    let f: string | undefined;
    try {
      f = findGoWork(this.overlay, this.#cwd, {
        gowork: env.lookup("GOWORK").value,
        goroot: env.lookup("GOROOT").value,
        style,
      });
    } catch (e) {
      if (e instanceof GoWorkError) throw new CommandError(e.message);
      throw e;
    }
    if (f === undefined) {
      throw new CommandError(`no go.work in use in ${this.#cwd} (GOWORK=off, or none found)`);
    }
    if (!this.overlay.stat(f)?.isFile) throw new CommandError(`${f}: no such file`);
    return f;
  }

  #edit(target: EditTarget, edit: FileEdit): string {
    const path = this.#targetFile(target);
    if (edit.op === "reset") {
      this.overlay.delete(path);
      return "";
    }
    let text: string;
    try {
      text = new TextDecoder().decode(this.overlay.readFile(path));
    } catch (e) {
      if (e instanceof FsError) throw new CommandError(e.message);
      throw e;
    }
    if (edit.op === "show") return `${this.#palette().dim(`# ${path}`)}\n${text}`;
    let next: string;
    try {
      next = editText(text, target, edit, basename(path, this.host.pathStyle));
    } catch (e) {
      if (e instanceof ModFileErrorList) {
        throw new CommandError(`errors parsing ${path}:\n${e.message}`);
      }
      throw new CommandError((e as Error).message);
    }
    let original: string | undefined;
    try {
      original = new TextDecoder().decode(this.overlay.original(path));
    } catch {
      original = undefined;
    }
    if (next === original) this.overlay.delete(path);
    else this.overlay.set(path, new TextEncoder().encode(next));
    return "";
  }

  #envChanges(): { key: string; value: string | undefined; was: string | undefined }[] {
    const keys = new Set([...Object.keys(this.baseEnv), ...Object.keys(this.#env)]);
    const out = [];
    for (const key of [...keys].sort()) {
      const was = this.baseEnv[key];
      const value = this.#env[key];
      if (was !== value) out.push({ key, value, was });
    }
    return out;
  }

  #changeSummary(): string {
    const parts = this.#envChanges().map((e) =>
      e.value === undefined ? `unset ${e.key}` : `${e.key}=${e.value}`
    );
    for (const p of this.overlay.paths()) parts.push(`${basename(p, this.host.pathStyle)} edited`);
    return parts.join(", ");
  }

  #changeLines(): string[] {
    const lines: string[] = [];
    for (const e of this.#envChanges()) {
      const was = e.was === undefined ? "unset" : `was ${e.was}`;
      lines.push(
        e.value === undefined ? `unset ${e.key}  (${was})` : `set ${e.key}=${e.value}  (${was})`,
      );
    }
    for (const p of this.overlay.paths().sort()) {
      const dec = new TextDecoder();
      const before = dec.decode(this.overlay.original(p));
      const after = dec.decode(this.overlay.readFile(p));
      lines.push(`${p} (in memory):`);
      for (const d of lineDiff(before, after)) lines.push(`  ${d}`);
    }
    return lines;
  }

  #envCommand(keys: string[], json: boolean): string {
    const env = this.#goEnv();
    const list = keys.length > 0 ? keys : knownKeys;
    const changed = new Set(this.#envChanges().map((e) => e.key));
    const rows = list.map((k) => {
      const s = env.lookup(k);
      const origin = describeOrigin(s.origin) + (changed.has(k) ? ", what-if" : "");
      return { key: k, value: s.value, origin };
    });
    if (json) {
      const obj: Record<string, { value: string; origin: string }> = {};
      for (const r of rows) obj[r.key] = { value: r.value, origin: r.origin };
      return JSON.stringify(obj, null, 2) + "\n";
    }
    const w = Math.max(...rows.map((r) => `${r.key}=${r.value}`.length));
    const c = this.#palette();
    let out = "";
    for (const r of rows) out += `${`${r.key}=${r.value}`.padEnd(w)}  ${c.dim(`# ${r.origin}`)}\n`;
    const f = env.envFile;
    out += c.dim(
      `# go env file: ${f.path || "none"} (${f.reason}${f.path && !f.exists ? ", missing" : ""})`,
    ) + "\n";
    return out;
  }

  #palette() {
    const id = (s: string) => s;
    return this.color
      ? { bold: esc(1), dim: esc(2), red: esc(31), yellow: esc(33), cyan: esc(36) }
      : { bold: id, dim: id, red: id, yellow: id, cyan: id };
  }
}

function help(topic: string | undefined, c: { bold: (s: string) => string }): string {
  if (topic !== undefined) {
    const cmd = commands.find((x) => x.name === topic || (topic === "quit" && x.name === "exit"));
    if (cmd === undefined) throw new CommandError(`help: unknown command ${JSON.stringify(topic)}`);
    return `${c.bold(cmd.usage)}\n  ${cmd.summary}\n`;
  }
  const w = Math.max(...commands.map((x) => x.name.length));
  const lines = commands.map((x) => `  ${c.bold(x.name.padEnd(w))}  ${x.summary}`);
  return [
    "Commands (help CMD for its usage):",
    ...lines,
    "",
    "What-if changes (set, unset, mod, work) live in this session only: nothing on disk changes,",
    "and every answer is what the go command would decide with them.",
    "",
  ].join("\n");
}
