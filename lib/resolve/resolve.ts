/**
 * resolve answers "which Go toolchain runs here, and why" for a directory and
 * an environment: it reads the settings layers, finds the local go, runs the
 * selection and says how the toolchain would be obtained. It owns no rule of
 * its own; it composes lib/goenv, lib/toolchain and lib/modfile.
 *
 * @module
 */

import { isAbs, join } from "../_internal/path.ts";
import { fromToolchain } from "../gover/mod.ts";
import { describeOrigin, GoEnv } from "../goenv/mod.ts";
import {
  findLoadedFile,
  findLocal,
  gorootOf,
  handleChdirFlag,
  isMicrosoftGoroot,
  type LocalToolchain,
  locate,
  type PathEnv,
  select,
  type SelectFile,
  type Source,
  type TraceStep,
} from "../toolchain/mod.ts";
import type { Host } from "../host/host.ts";
import { loadDiagnostics } from "./load.ts";
import type { ReadFs } from "../_internal/sys.ts";
import { check } from "../modfile/mod.ts";
import {
  findVersionFiles,
  judge,
  shortName,
  type VersionFileFinding,
} from "../versionfiles/mod.ts";

/** What resolve is asked. */
export interface ResolveOptions {
  /** The directory, absolute or relative to the host's cwd. Default: the host's cwd. */
  dir?: string;
  /** The complete environment to evaluate in. Default: the host process's. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The go command's arguments after "go" (only `go env …` special cases matter). */
  args?: readonly string[];
}

/** An input value with where it came from. */
export interface Provenance {
  value: string;
  origin: string;
}

/** The answer: the same object `gtc why --json` prints. */
export interface Explanation {
  /** The directory evaluated. */
  dir: string;
  /** The selected toolchain's name ("go1.22.0"), or null when the go command fails first. */
  toolchain: string | null;
  /** Its Go version ("1.22.0"). */
  version: string | null;
  /** How it is obtained. */
  source: Source | null;
  /** Its GOROOT if present on this machine. */
  goroot: string | null;
  /** The go program that would run. */
  exe: string | null;
  /** The go command's exact error text when it would fail, else null. */
  error: string | null;
  /** The go command on PATH. */
  local: LocalToolchain | null;
  /** GOTOOLCHAIN as the go command reads it, and where it came from. */
  gotoolchain: Provenance;
  /** "auto", "path" or "" (GOTOOLCHAIN without +auto/+path: files are not read). */
  mode: string;
  /** The go.work or go.mod consulted, if any. */
  file: SelectFile | null;
  /** Whether module mode is on (GO111MODULE). */
  modules: boolean;
  /** For a switch: environment changes the toolchain receives (null = unset). */
  childEnv: Record<string, string | null> | null;
  /** What the go command prints to stderr before running it, and what gtc adds (Microsoft builds). */
  notices: string[];
  /**
   * Whether the selected toolchain is the Microsoft build of Go (its GOROOT
   * has a MICROSOFT_REVISION file). It must run with GOTOOLCHAIN=local: gtc
   * exec sets that; the go command would pass GOTOOLCHAIN on unchanged.
   */
  microsoft: boolean;
  /**
   * Problems the go command reports when it later loads the consulted go.mod
   * or go.work (selection reads only its go and toolchain lines): the exact
   * text `go build` would print, e.g. "go: errors parsing go.mod:\ngo.mod:3:
   * unknown directive: foo". Empty when the file parses.
   */
  diagnostics: string[];
  /**
   * Version files of other managers (.go-version, .tool-versions, mise.toml,
   * .gvmrc) that apply here: the go command ignores them; each says whether
   * it agrees with the toolchain selected. Absent when there are none.
   */
  versionFiles?: VersionFileFinding[];
  /** The decision trace, in the order the go command applies its rules. */
  trace: TraceStep[];
}

/**
 * resolve explains the toolchain selection for options.dir in options.env on
 * host. It never throws for bad input (a malformed GOTOOLCHAIN, an
 * unreadable go.mod): those become Explanation.error.
 */
export function resolve(outer: Host, options: ResolveOptions = {}): Explanation {
  const host = readOnce(outer);
  const environ = options.env ?? host.environ();
  const style = host.pathStyle;
  let dir = options.dir ?? host.cwd();
  if (!isAbs(dir, style)) dir = join(style, host.cwd(), dir);
  else dir = join(style, dir);

  // "go -C dir" (right after the command words) changes directory before
  // anything else; a directory that cannot be entered is fatal.
  const chdir = handleChdirFlag(options.args ?? []);
  let args: readonly string[] | undefined = options.args === undefined ? undefined : chdir.args;
  let chdirError: string | undefined;
  if (chdir.dir !== undefined) {
    const to = isAbs(chdir.dir, style) ? join(style, chdir.dir) : join(style, dir, chdir.dir);
    const info = host.fs.stat(to);
    if (info?.isDirectory) dir = to;
    else {
      chdirError = `go: chdir ${chdir.dir}: ${
        info ? "not a directory" : "no such file or directory"
      }`;
      args = [];
    }
  }

  const path: PathEnv = {
    path: environ[style === "windows" ? "Path" : "PATH"] ?? environ.PATH ?? "",
    pathext: environ.PATHEXT,
    style,
    cwd: dir,
  };
  const local = findLocal({ fs: host.fs, path, runner: host.runner, environ });
  const env = new GoEnv({
    environ,
    fs: host.fs,
    goos: host.goos,
    runtimeGoroot: local?.goroot,
  });
  const selectInput = {
    env,
    cwd: dir,
    fs: host.fs,
    local,
    args,
    tempDir: tempDir(host, environ),
  };
  const sel = select(selectInput);
  const loc = locate({
    selection: sel,
    env,
    fs: host.fs,
    path,
    goos: host.goos,
    goarch: host.goarch,
    localGoroot: local?.goroot,
    localExe: local?.exe,
    localVersion: local?.version ?? "",
  });
  if (chdirError !== undefined) return failedBeforeSelect(dir, chdirError, local, sel);
  const error = sel.error ?? loc.error ?? null;
  // The file the toolchain loads: the one selection consulted, or (when
  // GOTOOLCHAIN kept it from reading one) the one modload will find.
  const findLoaded = () =>
    sel.file ?? (sel.modulesEnabled ? findLoadedFile(selectInput) : undefined);
  // A selection error means the go command stopped before choosing, except
  // when the local go was chosen and then failed starting up (isLocal).
  const chosen = sel.toolchain !== "" && (sel.error === undefined || sel.isLocal);
  const x: Explanation = {
    dir,
    toolchain: chosen ? sel.toolchain : null,
    // The toolchain's own version ("go 1.30" selects go1.30.0: 1.30.0).
    version: chosen ? fromToolchain(sel.toolchain) || sel.version : null,
    source: sel.isLocal ? "local" : error === null ? loc.source : null,
    goroot: loc.goroot,
    exe: loc.exe,
    error,
    local: local ?? null,
    gotoolchain: { value: sel.gotoolchain.value, origin: describeOrigin(sel.gotoolchain.origin) },
    mode: sel.mode,
    file: sel.file ?? null,
    modules: sel.modulesEnabled,
    childEnv: loc.childEnv ?? null,
    diagnostics: [],
    ...microsoftBuild(host, loc.goroot, loc.exe, loc.notices),
    trace: [...sel.trace, ...loc.trace],
  };
  if (chosen && error === null) addLoadProblems(host, x, sel, environ, findLoaded());
  else if (sel.file !== undefined) x.diagnostics = parseDiagnostics(host, sel.file);
  return withVersionFiles(x, findVersionFiles(host.fs, dir, style));
}

// withVersionFiles adds the other managers' version files to an answer as
// inputs that do not decide (nothing is added when there are none, so the
// answer stays as it was).
function withVersionFiles(
  x: Explanation,
  files: ReturnType<typeof findVersionFiles>,
): Explanation {
  if (files.length === 0) return x;
  const found = judge(files, x.toolchain, x.local?.toolchain ?? null);
  const { trace, ...rest } = x;
  return {
    ...rest,
    versionFiles: found,
    trace: [...trace, {
      rule: "version-files",
      fired: false,
      detail: `the go command does not read ${
        found.map((f) => `${shortName(f)} (${f.managers.join(", ")}: ${f.says})`).join(", ")
      }${found.some((f) => f.agrees === false) ? "; they name another Go" : ""}`,
      inputs: found.map((f) => ({
        name: `${shortName(f).replace(/:\d+$/, "")} (${f.managers.join(", ")})`,
        value: f.says,
        origin: `${f.path}:${f.line}`,
      })),
    }],
  };
}

// microsoftBuild recognises the Microsoft build of Go by the
// MICROSOFT_REVISION file its GOROOT carries, and says what that implies.
function microsoftBuild(
  host: Host,
  goroot: string | null,
  exe: string | null,
  notices: string[],
): { microsoft: boolean; notices: string[] } {
  const root = goroot ?? (exe !== null ? gorootOf(host.fs, exe, host.pathStyle) : "");
  if (root === "" || !isMicrosoftGoroot(host.fs, root, { style: host.pathStyle })) {
    return { microsoft: false, notices };
  }
  return {
    microsoft: true,
    notices: [
      ...notices,
      "gtc: this is the Microsoft build of Go; it refuses any GOTOOLCHAIN but local, " +
      "so gtc exec runs it with GOTOOLCHAIN=local",
    ],
  };
}

// addLoadProblems says how the selected toolchain fails when it loads the
// go.work or go.mod: a parse error, or (lib/resolve/load.ts) a go line newer
// than the toolchain — every go build fails though go version runs — for
// which it adds how to fix it.
function addLoadProblems(
  host: Host,
  x: Explanation,
  sel: ReturnType<typeof select>,
  environ: Readonly<Record<string, string | undefined>>,
  file: SelectFile | undefined,
): void {
  const parse = file === undefined ? [] : parseDiagnostics(host, file);
  x.diagnostics = parse.length > 0 ? parse : loadDiagnostics(host, x, environ);
  const m = x.diagnostics.map((d) => tooNewRE.exec(d)).find((m) => m !== null);
  if (m === undefined || m === null) return;
  const [, what, need] = m;
  const gt = sel.gotoolchain;
  // go env -w writes the go env file, which the environment overrides.
  const how = gt.origin.layer === "env"
    ? "unset GOTOOLCHAIN (set in the environment) or set it to auto"
    : `run go env -w GOTOOLCHAIN=auto (GOTOOLCHAIN=${gt.value} comes from ${
      describeOrigin(gt.origin)
    })`;
  x.notices = [
    ...x.notices,
    `gtc: ${what} needs go ${need}, but GOTOOLCHAIN=${gt.value} runs ${x.toolchain}: ` +
    `every command that loads the module fails. To let the go command switch, ${how}; ` +
    `or put go${need} first in PATH.`,
  ];
}

// gover.TooNewError's text: "go: go.mod requires go >= 1.30 (running go …".
const tooNewRE = /^go: (\S+) requires go >= (\S+) \(running go /;

// parseDiagnostics parses the consulted file strictly, as modload does once
// the chosen toolchain runs, and returns the go command's error text.
function parseDiagnostics(host: Host, file: SelectFile): string[] {
  let data: Uint8Array;
  try {
    data = host.fs.readFile(file.path);
  } catch {
    return [];
  }
  return parseErrors(file.kind, file.shortPath, data);
}

/**
 * parseErrors parses a go.mod or go.work strictly, as modload does, and
 * returns the go command's error text ("go: errors parsing go.mod:\ngo.mod:3:
 * unknown directive: foo"), or nothing when it parses. shortPath is the file
 * as the go command names it (base.ShortPath).
 */
export function parseErrors(
  kind: "go.mod" | "go.work",
  shortPath: string,
  data: string | Uint8Array,
): string[] {
  const errs = check(shortPath, data, kind);
  if (errs === undefined) return [];
  // modload names go.mod by its short path but go.work by its base name
  // (init.go loadWorkFile); the error lines carry the short path.
  const name = kind === "go.work" ? "go.work" : shortPath;
  return [`go: errors parsing ${name}:\n${errs.message}`];
}

// tempDir mirrors os.TempDir for the evaluated environment.
function tempDir(host: Host, environ: Readonly<Record<string, string | undefined>>): string {
  if (host.goos === "windows") {
    return environ.TMP || environ.TEMP || environ.USERPROFILE || "C:\\Windows";
  }
  return environ.TMPDIR || "/tmp";
}

// failedBeforeSelect is the answer when the go command stops before
// selecting a toolchain (a bad -C directory).
function failedBeforeSelect(
  dir: string,
  error: string,
  local: LocalToolchain | undefined,
  sel: ReturnType<typeof select>,
): Explanation {
  return {
    dir,
    toolchain: null,
    version: null,
    source: null,
    goroot: null,
    exe: null,
    error,
    local: local ?? null,
    gotoolchain: { value: sel.gotoolchain.value, origin: describeOrigin(sel.gotoolchain.origin) },
    mode: "",
    file: null,
    modules: sel.modulesEnabled,
    childEnv: null,
    notices: [],
    microsoft: false,
    diagnostics: [],
    trace: [{ rule: "chdir", fired: true, detail: error.slice(4) }],
  };
}

// readOnce is host for one resolution, with a file system that stats,
// resolves and reads each path once, however many rules look at it (the
// upward search, selection, the short name, the parse and load diagnostics
// all open the same go.work or go.mod), so every rule also sees the same
// contents. Everything else goes to host.
function readOnce(host: Host): Host {
  const fs = host.fs;
  return {
    fs: {
      readFile: memo((path) => fs.readFile(path)),
      stat: memo((path) => fs.stat(path)),
      realPath: memo((path) => fs.realPath(path)),
      lstat: (path) => fs.lstat(path),
      readLink: (path) => fs.readLink(path),
      readDir: (path) => fs.readDir(path),
      isExecutable: (path) => fs.isExecutable(path),
    } satisfies ReadFs,
    goos: host.goos,
    goarch: host.goarch,
    pathStyle: host.pathStyle,
    runner: host.runner,
    cwd: () => host.cwd(),
    environ: () => host.environ(),
  };
}

// memo remembers f's answer, or what it threw, for each path.
function memo<T>(f: (path: string) => T): (path: string) => T {
  const seen = new Map<string, { value: T } | { error: unknown }>();
  return (path) => {
    let got = seen.get(path);
    if (got === undefined) {
      try {
        got = { value: f(path) };
      } catch (error) {
        got = { error };
      }
      seen.set(path, got);
    }
    if ("error" in got) throw got.error;
    return got.value;
  };
}
