/**
 * Startup selection: which toolchain the go command runs in a directory.
 *
 * Mirrors cmd/go/internal/toolchain.Select and modGoToolchain (go1.26),
 * branch for branch and in the same order, so that errors come out in the
 * order Go checks them. A behaviour change here needs a failing table or
 * differential test first (tests/differential compares with the real go).
 *
 * select is pure: every file it reads goes through input.fs, every setting
 * through input.env, so a what-if is a changed input, not a changed file.
 *
 * @module
 */

import { goQuote } from "../_internal/go_quote.ts";
import { FsError, type ReadFs } from "../_internal/sys.ts";
import { join, rel } from "../_internal/path.ts";
import { compare, fromToolchain, isLang } from "../gover/mod.ts";
import { describeOrigin, type GoEnv, type Setting } from "../goenv/mod.ts";
import { findGoMod, findGoWork, goModLookup, GoWorkError, willBeEnabled } from "../modfile/mod.ts";
import type { LocalToolchain } from "./local.ts";
import { Trace, type TraceStep } from "./trace.ts";

/** The inputs of select. */
export interface SelectInput {
  /** The Go settings of the environment being evaluated. */
  env: GoEnv;
  /** The directory the go command runs in (after -C), absolute. */
  cwd: string;
  fs: ReadFs;
  /** The go command on PATH, or undefined when there is none. */
  local: LocalToolchain | undefined;
  /**
   * The go command's arguments after "go" (os.Args[1:]); only the special
   * cases `go env GOTOOLCHAIN`, `go env -w GOTOOLCHAIN=…`, `go env GOMOD` and
   * `go env GOWORK` depend on them. Defaults to a command that selects.
   */
  args?: readonly string[];
  /** os.TempDir(): a go.mod directly in it is ignored. */
  tempDir: string;
}

/** A line of go.mod or go.work that the selection read. */
export interface FileLine {
  value: string;
  /** 1-based line number. */
  line: number;
}

/** The go.work or go.mod file the selection consulted. */
export interface SelectFile {
  path: string;
  /** base.ShortPath of the file, as the go command prints it. */
  shortPath: string;
  kind: "go.work" | "go.mod";
  go?: FileLine;
  toolchain?: FileLine;
}

/** gover.Startup: what the selection learned, used in TooNewError messages. */
export interface Startup {
  GOTOOLCHAIN: string;
  autoFile: string;
  autoGoVersion: string;
  autoToolchain: string;
}

/** The outcome of select. */
export interface Selection {
  /**
   * The toolchain that runs: its name ("go1.22.0", "go1.21.0-bigcorp"), or
   * the local toolchain's own name when no switch happens. "" only when there
   * is no local go and nothing names a version.
   */
  toolchain: string;
  /** Whether the local go runs the command itself (no switch). */
  isLocal: boolean;
  /** The Go version of toolchain (minVers after the file rules). */
  version: string;
  /** "auto", "path", or "" (no file lookup). */
  mode: "" | "auto" | "path";
  /** GOTOOLCHAIN as read, with its origin. */
  gotoolchain: Setting;
  file?: SelectFile;
  startup: Startup;
  modulesEnabled: boolean;
  /** The rules considered, in order. */
  trace: TraceStep[];
  /** The go command's exact failure text ("go: invalid GOTOOLCHAIN \"x\""), if it fails here. */
  error?: string;
}

/** Thrown inside select for base.Fatalf; caught and turned into Selection.error. */
class Fatal extends Error {}

/**
 * select decides which toolchain the go command runs, as toolchain.Select.
 *
 * @example
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { select } from "./select.ts";
 * import { GoEnv } from "../goenv/mod.ts";
 * import { MemFs } from "../_internal/mem_fs.ts";
 * const fs = new MemFs({ "/src/m/go.mod": "module m\ngo 1.30\n" });
 * const env = new GoEnv({ environ: { GOTOOLCHAIN: "auto", GOENV: "off" }, fs, goos: "linux" });
 * const local = { exe: "/go/bin/go", goroot: "/go", toolchain: "go1.26.8", version: "1.26.8", versionFrom: "" };
 * const s = select({ env, cwd: "/src/m", fs, local, tempDir: "/tmp" });
 * assertEquals(s.toolchain, "go1.30.0");
 * ```
 */
export function select(input: SelectInput): Selection {
  const trace = new Trace();
  const { env, local } = input;
  const gt = env.lookupRaw("GOTOOLCHAIN");
  const sel: Selection = {
    toolchain: local?.toolchain ?? "",
    isLocal: local !== undefined,
    version: local?.version ?? "",
    mode: "",
    gotoolchain: gt,
    startup: { GOTOOLCHAIN: "", autoFile: "", autoGoVersion: "", autoToolchain: "" },
    modulesEnabled: true,
    trace: trace.steps,
  };
  try {
    selectInto(input, sel, trace);
  } catch (e) {
    if (!(e instanceof Fatal)) throw e;
    sel.error = "go: " + e.message;
  }
  return sel;
}

function selectInto(input: SelectInput, sel: Selection, trace: Trace): void {
  const { env, local, fs, cwd } = input;
  const args = input.args ?? ["build"];
  const originOf = (s: Setting) => describeOrigin(s.origin);

  // WillBeEnabled: with modules off, there is no switching at all.
  const g111 = env.lookupRaw("GO111MODULE");
  const enabled = willBeEnabled(fs, cwd, { go111module: g111.value, tempDir: input.tempDir });
  sel.modulesEnabled = enabled;
  trace.add(
    "modules",
    !enabled,
    enabled
      ? `module mode is on (GO111MODULE=${g111.value || "<unset>"})`
      : `module mode is off (GO111MODULE=${g111.value}): the go command never switches toolchains`,
    [{ name: "GO111MODULE", value: g111.value, origin: originOf(g111) }],
  );
  if (!enabled) return localResult(sel, trace, "modules are off", input);

  // "go env GOTOOLCHAIN" and "go env -w GOTOOLCHAIN=…" always run locally,
  // as an easy way out of a bad setting; so do "go env GOMOD|GOWORK", which
  // users need to find the files that decide the toolchain (golang/go#61455).
  if (
    (args.length === 2 && args[0] === "env" && args[1] === "GOTOOLCHAIN") ||
    (args.length === 3 && args[0] === "env" && args[1] === "-w" &&
      args[2].startsWith("GOTOOLCHAIN=")) ||
    (args.length === 2 && args[0] === "env" && (args[1] === "GOMOD" || args[1] === "GOWORK"))
  ) {
    trace.add(
      "env-command",
      true,
      `"go ${args.join(" ")}" is always handled by the local toolchain`,
    );
    return localResult(sel, trace, "go env special case", input);
  }

  let gotoolchain = sel.gotoolchain.value;
  sel.startup.GOTOOLCHAIN = gotoolchain;
  const gtInput = [{ name: "GOTOOLCHAIN", value: gotoolchain, origin: originOf(sel.gotoolchain) }];

  let minToolchain: string;
  let minVers: string;
  if (local === undefined) {
    // Not a go command rule: with no go installed there is no go.env and no
    // local toolchain. gtc then answers what a go.mod or go.work asks for, as
    // GOTOOLCHAIN=auto would, so that a toolchain can be installed for it.
    trace.add(
      "no-local-go",
      true,
      "no go command on PATH: gtc evaluates GOTOOLCHAIN as auto with no minimum" +
        (gotoolchain === "" ? "" : ` (GOTOOLCHAIN=${gotoolchain})`),
    );
    if (gotoolchain === "" || gotoolchain === "local") gotoolchain = "auto";
    minToolchain = "";
    minVers = "";
  } else {
    if (gotoolchain === "") {
      // go.env normally sets GOTOOLCHAIN; an empty value (a packager removed
      // the line, or "GOTOOLCHAIN=" in the go env file) means: run locally.
      trace.add("gotoolchain", true, "GOTOOLCHAIN is empty: the local toolchain runs", gtInput);
      return localResult(sel, trace, "GOTOOLCHAIN is empty", input);
    }
    minToolchain = local.toolchain;
    minVers = local.version;
  }

  let mode = "";
  if (gotoolchain === "auto" || gotoolchain === "path") {
    mode = gotoolchain;
    trace.add(
      "gotoolchain",
      false,
      `GOTOOLCHAIN=${gotoolchain}: the minimum is the local toolchain${
        local ? ` ${local.toolchain}` : ""
      }; go.work/go.mod may ask for a newer one` +
        (mode === "path" ? ", which must then be in PATH" : ""),
      gtInput,
    );
  } else {
    const plus = gotoolchain.indexOf("+");
    const min = plus < 0 ? gotoolchain : gotoolchain.slice(0, plus);
    const suffix = plus < 0 ? "" : gotoolchain.slice(plus + 1);
    if (min !== "local") {
      const v = fromToolchain(min);
      if (v === "") {
        trace.add("minimum", true, `"${min}" is not a toolchain name`, gtInput);
        if (plus >= 0) {
          throw new Fatal(
            `invalid GOTOOLCHAIN ${goQuote(gotoolchain)}: invalid minimum toolchain ${
              goQuote(min)
            }`,
          );
        }
        throw new Fatal(`invalid GOTOOLCHAIN ${goQuote(gotoolchain)}`);
      }
      minToolchain = min;
      minVers = v;
    }
    if (plus >= 0 && suffix !== "auto" && suffix !== "path") {
      trace.add("suffix", true, `"+${suffix}" is neither +auto nor +path`, gtInput);
      throw new Fatal(
        `invalid GOTOOLCHAIN ${goQuote(gotoolchain)}: only version suffixes are +auto and +path`,
      );
    }
    mode = suffix;
    trace.add(
      "minimum",
      true,
      `default toolchain set to ${minToolchain || "<none>"} from GOTOOLCHAIN=${gotoolchain}` +
        (mode === "" ? "; go.work and go.mod are not consulted" : `; +${mode} allows upgrades`),
      gtInput,
    );
  }
  sel.mode = mode as Selection["mode"];

  gotoolchain = minToolchain;
  if (mode === "auto" || mode === "path") {
    const modeFmt = sel.gotoolchain.value.includes("+") ? `<name>+${mode}` : mode;
    const found = modGoToolchain(input);
    sel.startup.autoFile = found?.path ?? "";
    if (found === undefined) {
      trace.add("file", false, "no go.work or go.mod applies to this directory");
    } else {
      sel.file = found;
      trace.add("file", true, `consulting ${found.shortPath}`, [
        { name: found.kind, value: found.path, origin: found.reason },
      ]);
      const toolchain = found.toolchain?.value ?? "";
      const goVers = found.go?.value ?? "";
      const at = (l?: FileLine) => l ? `${found.shortPath}:${l.line}` : found.shortPath;
      if (toolchain === "default") {
        // "default" means: always use the default toolchain (the minimum set
        // by GOTOOLCHAIN, not necessarily the local one), and ignore the go
        // line for selection. A go line newer than that fails later with a
        // "requires go >= …" error, which is what such users want.
        sel.startup.autoToolchain = toolchain;
        trace.add(
          "toolchain-default",
          true,
          `"toolchain default": keep ${
            minToolchain || "the local toolchain"
          }; the go line is not used to select`,
          [{ name: "toolchain line", value: toolchain, origin: at(found.toolchain) }],
        );
      } else {
        if (toolchain !== "") {
          const toolVers = fromToolchain(toolchain);
          const tin = [{ name: "toolchain line", value: toolchain, origin: at(found.toolchain) }];
          if (toolVers === "" || (!toolchain.startsWith("go") && !toolchain.includes("-go"))) {
            trace.add("toolchain-line", true, `"${toolchain}" is not a toolchain name`, tin);
            throw new Fatal(`invalid toolchain ${goQuote(toolchain)} in ${found.shortPath}`);
          }
          // Accept the toolchain line only if it is newer than the minimum:
          // an equal one keeps the minimum's name (go1.21.1-foo stays).
          if (compare(toolVers, minVers) > 0) {
            trace.add(
              "toolchain-line",
              true,
              `upgrading toolchain to ${toolchain} (required by toolchain line in ${found.shortPath}; upgrade allowed by GOTOOLCHAIN=${modeFmt})`,
              tin,
            );
            gotoolchain = toolchain;
            minVers = toolVers;
            sel.startup.autoToolchain = toolchain;
          } else {
            trace.add(
              "toolchain-line",
              false,
              `${toolchain} is not newer than ${minToolchain}: keep ${minToolchain}`,
              tin,
            );
          }
        }
        const gin = [{ name: "go line", value: goVers, origin: at(found.go) }];
        // The go line is compared with the minimum as updated by the
        // toolchain line. An empty or invalid go version is never greater.
        if (compare(goVers, minVers) > 0) {
          gotoolchain = "go" + goVers;
          minVers = goVers;
          // "go 1.N" for N ≥ 21 names a language, not a release: select the
          // first release, go1.N.0 (golang/go#62278).
          if (isLang(goVers) && compare(goVers, "1.21") >= 0) gotoolchain += ".0";
          sel.startup.autoGoVersion = goVers;
          sel.startup.autoToolchain = "";
          trace.add(
            "go-line",
            true,
            `upgrading toolchain to ${gotoolchain} (required by go line in ${found.shortPath}; upgrade allowed by GOTOOLCHAIN=${modeFmt})`,
            gin,
          );
        } else {
          trace.add(
            "go-line",
            false,
            goVers === ""
              ? `${found.shortPath} has no go line`
              : `go ${goVers} does not need a toolchain newer than ${gotoolchain}`,
            gin,
          );
        }
      }
    }
    const a0 = args[0];
    if ((a0 === "install" || a0 === "run") && args.slice(1).some((a) => a.includes("@"))) {
      // golang/go#69927: go install/run m@v may switch again for m's go
      // line; that needs a module query, which select does not perform.
      trace.add(
        "install-version",
        false,
        `"go ${a0} pkg@version" may switch again to the go version that module requires (not evaluated)`,
      );
    }
  }
  sel.toolchain = gotoolchain;
  sel.version = minVers;

  // A toolchain started by a switch only checks that it is the one asked
  // for, and never switches again.
  const target = env.osGetenv("GOTOOLCHAIN_INTERNAL_SWITCH_VERSION");
  if (target !== "" && local !== undefined) {
    const tin = [{
      name: "GOTOOLCHAIN_INTERNAL_SWITCH_VERSION",
      value: target,
      origin: "environment",
    }];
    if (local.toolchain !== target) {
      trace.add("switch-target", true, `this go was started to provide ${target}`, tin);
      throw new Fatal(`toolchain ${local.toolchain} invoked to provide ${target}`);
    }
    trace.add(
      "switch-target",
      true,
      `this go was started by a switch to provide ${target}: it runs`,
      tin,
    );
    return localResult(sel, trace, "started by a switch", input);
  }

  if (local !== undefined && (gotoolchain === "local" || gotoolchain === local.toolchain)) {
    return localResult(sel, trace, `using local toolchain ${local.toolchain}`, input);
  }
  if (gotoolchain === "") {
    trace.add("local", true, "no go command on PATH and nothing names a Go version");
    sel.isLocal = false;
    sel.error = "gtc: no go command in PATH, and no go.work or go.mod here names a Go version: " +
      "install one with `gtc install <version>`";
    return;
  }

  // Minimal sanity check before the PATH search: allow go1.20.3 and
  // gccgo-go1.20.3, refuse mistakes like GOTOOLCHAIN=bash.
  if (!gotoolchain.startsWith("go1") && !gotoolchain.includes("-go1")) {
    trace.add("sanity", true, `"${gotoolchain}" does not start with go1`);
    throw new Fatal(`invalid GOTOOLCHAIN ${goQuote(gotoolchain)}`);
  }
  sel.isLocal = false;
  trace.add("local", false, `switching to ${gotoolchain}`);
}

function localResult(sel: Selection, trace: Trace, why: string, input: SelectInput): void {
  const local = input.local;
  if (local === undefined) {
    // No local go: nothing runs.
    sel.isLocal = false;
    sel.error = "gtc: no go command in PATH: install one with `gtc install <version>`";
    trace.add("local", true, `${why}, but there is no go command in PATH`);
    return;
  }
  sel.isLocal = true;
  sel.toolchain = local.toolchain;
  sel.version = local.version;
  trace.add("local", true, why.startsWith("using") ? why : `${why}: using the local toolchain`);

  // Once Select lets the local go run, main counts the configuration for
  // telemetry (telemetrystats.incrementConfig), which calls FindGoWork when
  // modules are enabled: a relative GOWORK is fatal there, with a single
  // "go: " since the log prefix is no longer set.
  if (!sel.modulesEnabled) return;
  const gowork = input.env.lookupRaw("GOWORK");
  try {
    findGoWork(input.fs, input.cwd, { gowork: gowork.value, goroot: input.env.goroot.value });
  } catch (e) {
    if (!(e instanceof GoWorkError)) throw e;
    trace.add(
      "local-startup",
      true,
      "the local go command checks GOWORK when it starts: a relative GOWORK is refused",
      [{ name: "GOWORK", value: gowork.value, origin: describeOrigin(gowork.origin) }],
    );
    sel.error = e.message;
  }
}

/**
 * findLoadedFile returns the go.work or go.mod the selected toolchain loads
 * in input.cwd, found as modGoToolchain finds it, even when GOTOOLCHAIN
 * kept selection from reading it (local, or a version without +auto); or
 * undefined when there is none or GOWORK is invalid (selection reports that).
 */
export function findLoadedFile(input: SelectInput): SelectFile | undefined {
  try {
    const found = modGoToolchain(input);
    if (found === undefined) return undefined;
    const { reason: _, ...file } = found;
    return file;
  } catch (e) {
    if (e instanceof Fatal) return undefined;
    throw e;
  }
}

interface FoundFile extends SelectFile {
  /** How the file was found, for the explanation. */
  reason: string;
}

// modGoToolchain mirrors toolchain.modGoToolchain: go.work (GOWORK or found
// walking up) wins over go.mod at any depth; the lines are read with the
// quick scan GoModLookup, not the go.mod parser.
function modGoToolchain(input: SelectInput): FoundFile | undefined {
  const { fs, cwd, env } = input;
  const gowork = env.lookupRaw("GOWORK");
  let file = "";
  let reason = "";
  try {
    file = findGoWork(fs, cwd, { gowork: gowork.value, goroot: env.goroot.value }) ?? "";
  } catch (e) {
    // The log prefix is already "go: ", so Go prints "go: go: invalid GOWORK: …".
    if (e instanceof GoWorkError) throw new Fatal(e.message);
    throw e;
  }
  if (file !== "") {
    reason = gowork.value !== "" && gowork.value !== "auto"
      ? `GOWORK (${describeOrigin(gowork.origin)})`
      : "found walking up from the directory";
  }
  // $GOWORK can name a file that does not exist yet (go work init).
  if (file !== "" && fs.stat(file) === undefined) {
    reason = "";
    file = "";
  }
  let kind: "go.work" | "go.mod" = "go.work";
  if (file === "") {
    file = findGoMod(fs, cwd, { tempDir: input.tempDir }) ?? "";
    kind = "go.mod";
    reason = "found walking up from the directory";
  }
  if (file === "") return undefined;
  // Bytes, not text: GoModLookup reads bytes, so a UTF-8 byte-order mark
  // stays part of line 1 and "\ufeffgo 1.30" is no go line for selection
  // (the go command keeps its own toolchain, then fails parsing the file);
  // and the scan decodes only the lines that could match.
  let data: Uint8Array;
  try {
    data = fs.readFile(file);
  } catch (e) {
    if (e instanceof FsError) throw new Fatal(e.message);
    throw e;
  }
  const f: FoundFile = { path: file, shortPath: shortPath(fs, cwd, file), kind, reason };
  const go = goModLookup(data, "go");
  if (go !== undefined) f.go = go;
  const tc = goModLookup(data, "toolchain");
  if (tc !== undefined) f.toolchain = tc;
  return f;
}

/**
 * shortPath mirrors base.ShortPath: the path relative to cwd when that is
 * shorter and names the same file, otherwise the path itself.
 */
export function shortPath(fs: ReadFs, cwd: string, path: string): string {
  const r = rel(cwd, path);
  if (r === undefined || r.length >= path.length) return path;
  try {
    if (fs.realPath(join("posix", cwd, r)) === fs.realPath(path)) return r;
  } catch {
    // Neither exists: Go's sameFile treats two missing files as the same.
    if (fs.stat(join("posix", cwd, r)) === undefined && fs.stat(path) === undefined) return r;
  }
  return path;
}
