/**
 * The go and toolchain lines of `go get go@… toolchain@…`, `go work use`,
 * `go work sync` and `go work init`: which versions the go command writes,
 * what it prints, and where it fails or switches toolchains.
 *
 * Mirrors, for the virtual modules "go" and "toolchain" only (go1.26):
 * cmd/go/internal/modget (parseArgs, reportError, reportChanges),
 * modload/query.go (queryProxy, newQueryMatcher), modfetch/toolchain.go
 * (toolchainRepo.Versions, Stat, Latest), modload/edit.go (editRequirements:
 * mustSelect, conflicts, downgrades through previousVersion),
 * modload/modfile.go (rawGoModSummary: go@V requires toolchain@goV for
 * V >= 1.21), modload/init.go (UpdateGoModFromReqs, UpdateWorkGoVersion,
 * the go line a -mod=mod command adds), and workcmd/{init,use,sync}.go.
 * A behaviour change here needs a failing table or differential test first.
 *
 * Module requirements are out of scope: planGet takes only go and toolchain
 * arguments, and applyGet does not restructure require blocks as Go's
 * SetRequireSeparateIndirect may.
 *
 * @module
 */

import {
  compare,
  fromToolchain,
  isLang,
  isValid,
  max,
  modCompare,
  modIsPrefix,
  modIsPrerelease,
  modIsValid,
  modMajorMinor,
} from "../gover/mod.ts";
import {
  addGoStmt,
  addToolchainStmt,
  cleanup,
  dropToolchainStmt,
  format,
  parse,
  parseWork,
  sortBlocks,
} from "../modfile/mod.ts";
import { goQuote } from "../_internal/go_quote.ts";
import type { Startup } from "./select.ts";
import { hasAuto, hasPath, tooNewError } from "./switch.ts";
import { newerToolchain } from "./newer.ts";
import { defaultGoModVersion, defaultGoWorkVersion, workModuleErrors } from "./load.ts";

/** gover.GoStrictVersion: the first Go with toolchain lines and go@V requiring toolchain@goV. */
const goStrictVersion = "1.21";
/** gover.ExplicitIndirectVersion: from here go.mod lists indirect requirements. */
const explicitIndirectVersion = "1.17";

/** A module of a workspace, for `go work use`, `sync` and `init`. */
export interface WorkModule {
  /** The module directory as the go command names it in messages ("m1_22_0"). */
  dir: string;
  /** Its go line; undefined when it has none (then it counts as 1.16). */
  go?: string;
}

/** The inputs of planGet. */
export interface GetInput {
  /** Which file the command writes. */
  file: "go.mod" | "go.work";
  /** The file's go line; undefined when it has none. */
  go?: string;
  /** The file's toolchain line; undefined when it has none. */
  toolchain?: string;
  /**
   * For go.mod: the `go get` arguments, each "go", "toolchain", "go@Q" or
   * "toolchain@Q" where Q is a version, a query (latest, upgrade, patch,
   * 1.N, <V, <=V, >V, >=V) or none (toolchain only).
   */
  args?: readonly string[];
  /** For go.work: the command and the modules it looks at, in go.work order. */
  work?: { command: "init" | "use" | "sync"; modules: readonly WorkModule[] };
  /** gover.Local(): the version of the go command that runs ("1.26.8"). */
  local: string;
  /**
   * The Go versions golang.org/toolchain offers for linux-amd64 ("1.22.9",
   * "1.24rc1"), in any order; local is always added. Queries choose from
   * these, and a version not listed (other than go@V <= local) does not
   * exist.
   */
  available: readonly string[];
  /** GOTOOLCHAIN as the go command reads it; "" means unset. @default "" */
  gotoolchain?: string;
  /** What the go command recorded at startup, for TooNewError texts; defaults to gotoolchain and no file. */
  startup?: Startup;
  /** With GOTOOLCHAIN=path (or +path): the go1.* versions found on PATH, sorted. */
  pathVersions?: readonly string[];
  /** The file's name in messages (base.ShortPath). @default input.file */
  fileName?: string;
  /**
   * The error text of the GOPROXY when asked for a golang.org/toolchain
   * version it does not have ("v0.0.1-go1.22.4.linux-amd64"); the go command
   * prints it after "go: toolchain@go1.22.4: ". Defaults to
   * `golang.org/toolchain@V: invalid version: unknown revision V`.
   */
  statError?: (dlVersion: string) => string;
  /**
   * For go.mod: the go.work that governs the directory (GOWORK or the
   * nearest one above), when there is one that parses. `go get` still edits
   * only the current module's go.mod, but it also raises the go.work's go
   * line to the go.mod's new one (modload.UpdateWorkGoVersion), and, when the
   * module is one the go.work uses, loads the workspace before writing.
   */
  workspace?: GetWorkspace;
}

/** The go.work around a `go get`, for GetInput.workspace. */
export interface GetWorkspace {
  /** The go.work as the go command names it in messages (base.ShortPath: "go.work", "../go.work"). */
  fileName: string;
  /** Its go line; undefined when it has none (then it counts as 1.18). */
  go?: string;
  /** Its toolchain line; undefined when it has none. */
  toolchain?: string;
  /**
   * When the current module is one the go.work uses (by module path): every
   * module the go.work uses, in go.work order, each named as
   * base.ShortPath names its directory ("." for the current one, "../b") with
   * its go line as on disk. Then `go get` enters the workspace before writing
   * go.mod (modload.EnterWorkspace): a module needing a newer go than the
   * go.work lists fails the command, and the go.mod changes that entering
   * made are not reported. Undefined when the module is not in the workspace.
   */
  modules?: readonly WorkModule[];
}

/** A TooNewError the command ran into. */
export interface TooNew {
  /** What needs the newer Go: "updating go.mod", "go.mod", "m1_22_0/go.mod". */
  what: string;
  goVersion: string;
}

/** What planGet decided. */
export interface GetPlan {
  /** Whether the command fails (exit status 1). The file is then unchanged. */
  failed: boolean;
  /** Everything the command prints on stderr, in order, one line each. */
  stderr: string[];
  /** Whether the file is written. */
  write: boolean;
  /** The go line after the command; undefined when there is none. */
  go?: string;
  /** The toolchain line after the command; undefined when there is none. */
  toolchain?: string;
  /** The toolchain the go command switched to before doing the work (GOTOOLCHAIN=auto or path). */
  switchedTo?: string;
  /** The version that ran the command in the end: local, or the one switched to. */
  local: string;
  /** The TooNewErrors behind a failure or a switch. */
  tooNew: TooNew[];
  /**
   * For a go.mod plan with input.workspace: what happens to the go.work's
   * go and toolchain lines after go.mod is written; undefined when the
   * command failed or there is no go.work.
   */
  work?: { write: boolean; go?: string; toolchain?: string };
}

// A query is one parsed `go get` argument (modget's *query).
interface Query {
  raw: string;
  rawVersion: string;
  pattern: "go" | "toolchain";
  version: string;
}

// A Repo lists and checks the versions of the virtual module "go" or
// "toolchain" (modfetch.toolchainRepo).
class Repo {
  readonly list: string[];
  constructor(
    readonly path: "go" | "toolchain",
    readonly local: string,
    readonly have: ReadonlySet<string>,
    sorted: readonly string[],
    readonly statError: (dlVersion: string) => string,
  ) {
    const prefix = path === "toolchain" ? "go" : "";
    this.list = sorted.map((v) => prefix + v);
  }

  // stat mirrors toolchainRepo.Stat: the canonical version, or an error.
  stat(rev: string): { version: string } | { err: string } {
    const prefix = this.path === "toolchain" ? "go" : "";
    const v = rev.startsWith("go") ? rev.slice(2) : rev;
    if (!isValid(v)) return { err: `invalid ${this.path} version ${rev}` };
    // "go" pretends to have every version up to local without network
    // access: the go command provides those itself.
    if (this.path === "go" && compare(v, this.local) <= 0) return { version: prefix + v };
    // Likewise exactly the current toolchain.
    if (this.path === "toolchain" && v === this.local) return { version: prefix + v };
    if (isLang(v)) {
      // A language version is usable only when the local toolchain implements it.
      return { err: `go language version ${rev} is not a toolchain version` };
    }
    // The toolchain must exist, as golang.org/toolchain's linux-amd64 build.
    if (!this.have.has(v)) {
      return { err: this.statError(`v0.0.1-go${v}.linux-amd64`) };
    }
    return { version: prefix + v };
  }

  // latest mirrors toolchainRepo.Latest: the highest listed version, even a prerelease.
  latest(): { version: string } | { err: string } {
    let m = "";
    for (const v of this.list) if (m === "" || modCompare(this.path, v, m) > 0) m = v;
    return this.stat(m);
  }
}

// queryProxy mirrors modload.queryProxy (with newQueryMatcher and
// filterVersions) for a toolchainRepo, where no version is excluded.
function queryProxy(repo: Repo, query: string, current: string): { version: string } | {
  err: string;
} {
  const path = repo.path;
  if (current !== "" && current !== "none" && !modIsValid(path, current)) {
    return { err: `invalid previous version ${path}@${current}` };
  }
  let prefix = "";
  let filter: ((v: string) => boolean) | undefined;
  let mayUseLatest = false;
  let canStat = false;
  let preferLower = false;
  const bad = (v: string) => ({
    err: `invalid semantic version ${goQuote(v)} in range ${goQuote(query)}`,
  });
  if (query === "latest") {
    mayUseLatest = true;
  } else if (query === "upgrade") {
    if (current === "" || current === "none") mayUseLatest = true;
    else filter = (v) => modCompare(path, v, current) >= 0;
  } else if (query === "patch") {
    if (current === "" || current === "none") {
      return {
        err: `can't query version "patch" of module ${path}: no existing version is required`,
      };
    }
    prefix = modMajorMinor(path, current) + ".";
    filter = (v) => modCompare(path, v, current) >= 0;
  } else if (query.startsWith("<=")) {
    const v = query.slice(2);
    if (!modIsValid(path, v)) return bad(v);
    if (modIsPrefix(path, v)) {
      return { err: `ambiguous semantic version ${goQuote(v)} in range ${goQuote(query)}` };
    }
    filter = (mv) => modCompare(path, mv, v) <= 0;
  } else if (query.startsWith("<")) {
    const v = query.slice(1);
    if (!modIsValid(path, v)) return bad(v);
    filter = (mv) => modCompare(path, mv, v) < 0;
  } else if (query.startsWith(">=")) {
    const v = query.slice(2);
    if (!modIsValid(path, v)) return bad(v);
    filter = (mv) => modCompare(path, mv, v) >= 0;
    preferLower = true;
  } else if (query.startsWith(">")) {
    const v = query.slice(1);
    if (!modIsValid(path, v)) return bad(v);
    if (modIsPrefix(path, v)) {
      return { err: `ambiguous semantic version ${goQuote(v)} in range ${goQuote(query)}` };
    }
    filter = (mv) => modCompare(path, mv, v) > 0;
    preferLower = true;
  } else if (modIsValid(path, query)) {
    if (modIsPrefix(path, query)) {
      // "1.24" means the latest 1.24.x, never 1.24rc1 (golang/go#31972).
      prefix = query + ".";
      filter = (mv) => modCompare(path, mv, query) >= 0;
    } else {
      canStat = true;
    }
  } else {
    // Not a version or a query: a revision, which only Stat can resolve.
    canStat = true;
  }
  if (canStat) return repo.stat(query);

  const allows = (v: string) => {
    // Allow "1.21" to match the "1.21." prefix.
    if (prefix !== "" && !v.startsWith(prefix) && prefix.slice(0, -1) !== v) return false;
    return filter === undefined || filter(v);
  };
  const releases: string[] = [];
  const prereleases: string[] = [];
  for (const v of repo.list) {
    if (!allows(v)) continue;
    (modIsPrerelease(path, v) ? prereleases : releases).push(v);
  }
  if (preferLower) {
    if (releases.length > 0) return repo.stat(releases[0]);
    if (prereleases.length > 0) return repo.stat(prereleases[0]);
  } else {
    if (releases.length > 0) return repo.stat(releases[releases.length - 1]);
    if (prereleases.length > 0) return repo.stat(prereleases[prereleases.length - 1]);
  }
  if (mayUseLatest) {
    const latest = repo.latest();
    if ("err" in latest) return latest;
    if (allows(latest.version)) return latest;
  }
  if ((query === "upgrade" || query === "patch") && current !== "" && current !== "none") {
    // "upgrade" and "patch" may stay on the current version.
    return repo.stat(current);
  }
  const suffix = (query === "upgrade" || query === "patch") && current !== "" && current !== "none"
    ? ` (current version is ${current})`
    : "";
  return { err: `no matching versions for query ${goQuote(query)}${suffix}` };
}

// reportError mirrors modget.reportError: the error alone when it already
// names the query's path and version, else prefixed with the argument.
function reportError(q: Query, err: string): string {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const patternRE = new RegExp('(?:[ \\t("`]|^)' + esc(q.pattern) + '(?:[ @:;)"`]|$)', "m");
  if (patternRE.test(err)) {
    if (q.rawVersion === "") return `go: ${err}`;
    const versionRE = new RegExp('(?:[ @("`]|^)' + esc(q.version) + '(?:[ :;)"`]|$)', "m");
    if (versionRE.test(err)) return `go: ${err}`;
  }
  return `go: ${q.raw}: ${err}`;
}

// resolvedString mirrors query.ResolvedString for the query's own path.
function resolvedString(q: Query, version: string): string {
  return version !== q.version ? `${q.pattern}@${q.version} (${version})` : q.raw;
}

// requiredToolchain is what go@v requires (rawGoModSummary): toolchain@gov
// from Go 1.21 on, nothing before.
function requiredToolchain(v: string): string | undefined {
  return compare(v, goStrictVersion) >= 0 ? "go" + v : undefined;
}

function maxToolchain(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return modCompare("toolchain", b, a) > 0 ? b : a;
}

// A Step is the outcome of one run of the go command (before any switch).
type Step =
  | {
    kind: "done";
    stderr: string[];
    write: boolean;
    go?: string;
    toolchain?: string;
    work?: { write: boolean; go?: string; toolchain?: string };
  }
  | { kind: "fail"; stderr: string[] }
  | { kind: "tooNew"; errors: { text: string; tooNew: TooNew }[] };

/**
 * planGet works out what `go get go@… toolchain@…` does to a go.mod's go
 * and toolchain lines, or what `go work init`, `use` or `sync` does to a
 * go.work's, without touching any file: the lines written, the messages in
 * Go's order and words, and Go's exact error texts. With GOTOOLCHAIN=auto or
 * path it also plans the switch to a newer toolchain, as the go command does
 * when the result needs a newer Go than local, and the run of that toolchain.
 *
 * @example Raising go raises the toolchain it implies
 * ```ts
 * import assert from "node:assert/strict";
 * import { planGet } from "./get.ts";
 * const available = ["1.21.0", "1.22.0", "1.22.9", "1.23.0", "1.23.9", "1.24rc1"];
 * const p = planGet({ file: "go.mod", go: "1.21", args: ["go@1.22"], local: "1.23.9", available });
 * assert.deepEqual(p.stderr, ["go: upgraded go 1.21 => 1.22.9"]);
 * assert.equal(p.go, "1.22.9");
 * assert.equal(p.toolchain, undefined);
 * ```
 *
 * @example Lowering the toolchain lowers go
 * ```ts
 * import assert from "node:assert/strict";
 * import { planGet } from "./get.ts";
 * const available = ["1.22.0", "1.22.9", "1.23.0", "1.23.9"];
 * const p = planGet({ file: "go.mod", go: "1.23.9", args: ["toolchain@go1.22"], local: "1.23.9", available });
 * assert.deepEqual(p.stderr, ["go: downgraded go 1.23.9 => 1.22.9"]);
 * ```
 */
export function planGet(input: GetInput): GetPlan {
  let local = input.local;
  let switchedTo: string | undefined;
  const stderr: string[] = [];
  const gotoolchain = input.gotoolchain ?? "";
  // A switch re-runs the command with a newer go; the go command stops after
  // 100 nested switches, and one is enough here: the new local satisfies
  // every need seen.
  for (let round = 0; round < 2; round++) {
    const step = input.file === "go.work" ? planWork(input, local) : planMod(input, local);
    if (step.kind === "done") {
      return {
        failed: false,
        stderr: [...stderr, ...step.stderr],
        write: step.write,
        go: step.go,
        toolchain: step.toolchain,
        switchedTo,
        local,
        tooNew: [],
        ...(step.work !== undefined ? { work: step.work } : {}),
      };
    }
    if (step.kind === "fail") {
      return {
        failed: true,
        stderr: [...stderr, ...step.stderr],
        write: false,
        switchedTo,
        local,
        tooNew: [],
      };
    }
    // Switcher: keep the TooNewError with the highest version, and on a tie
    // the one with the smaller What.
    const tooNew = step.errors.map((e) => e.tooNew);
    let need = tooNew[0];
    for (const t of tooNew.slice(1)) {
      const c = compare(t.goVersion, need.goVersion);
      if (c > 0 || (c === 0 && t.what < need.what)) need = t;
    }
    const fail = (extra: string[]) => ({
      failed: true,
      stderr: [...stderr, ...step.errors.map((e) => `go: ${e.text}`), ...extra],
      write: false,
      switchedTo,
      local,
      tooNew,
    });
    if (round > 0 || (!hasAuto(gotoolchain) && !hasPath(gotoolchain))) return fail([]);
    const list = hasAuto(gotoolchain)
      ? sortedVersions(input.available, local)
      : [...(input.pathVersions ?? [])];
    let tv: string;
    try {
      tv = newerToolchain(need.goVersion, list);
    } catch (e) {
      return fail([`go: switching to go >= ${need.goVersion}: ${(e as Error).message}`]);
    }
    stderr.push(`go: ${need.what} requires go >= ${need.goVersion}; switching to ${tv}`);
    switchedTo = tv;
    local = fromToolchain(tv);
  }
  throw new Error("internal error: planGet switched twice");
}

// sortedVersions is the de-duplicated, sorted version list with local added
// (toolchainRepo.Versions, autoToolchains).
function sortedVersions(available: readonly string[], local: string): string[] {
  const seen = new Set(available.map((v) => v.startsWith("go") ? v.slice(2) : v));
  seen.add(local);
  return [...seen].filter((v) => isValid(v)).sort(compare);
}

// planMod is one run of `go get` on a go.mod (modget.runGet), for the go and
// toolchain modules.
function planMod(input: GetInput, local: string): Step {
  const startup: Startup = input.startup ??
    { GOTOOLCHAIN: input.gotoolchain ?? "", autoFile: "", autoGoVersion: "", autoToolchain: "" };
  const tooNew = (what: string, goVersion: string): Step => ({
    kind: "tooNew",
    errors: [{ text: tooNewError(what, goVersion, local, startup), tooNew: { what, goVersion } }],
  });
  const fileName = input.fileName ?? "go.mod";

  // parseArgs.
  const errors: string[] = [];
  let dropToolchain = false;
  const queries: Query[] = [];
  for (const raw of input.args ?? []) {
    const at = raw.indexOf("@");
    const pattern = at < 0 ? raw : raw.slice(0, at);
    const rawVersion = at < 0 ? "" : raw.slice(at + 1);
    if (pattern !== "go" && pattern !== "toolchain") {
      throw new TypeError(
        `planGet: unsupported argument ${JSON.stringify(raw)}: only go and toolchain`,
      );
    }
    if (at >= 0 && (rawVersion.includes("@") || rawVersion === "")) {
      errors.push(`go: invalid module version syntax ${goQuote(raw)}`);
      continue;
    }
    const version = rawVersion === "" ? "upgrade" : rawVersion;
    if (version === "none") {
      if (pattern === "go") errors.push("go: cannot use go@none");
      else dropToolchain = true;
      continue;
    }
    queries.push({ raw, rawVersion, pattern, version });
  }
  if (errors.length > 0) return { kind: "fail", stderr: errors };

  // Loading the module graph reads go.mod (modload.ReadModFile): a go line
  // newer than local stops everything, after the arguments were checked.
  if (input.go !== undefined && compare(input.go, local) > 0) return tooNew(fileName, input.go);
  // Then newResolver reads the go.work (loadWorkspace → ReadWorkFile), which
  // fails outright, without a switch, when it needs a newer Go.
  const ws = input.workspace;
  if (ws?.go !== undefined && compare(ws.go, local) > 0) {
    return { kind: "fail", stderr: [`go: ${tooNewError(ws.fileName, ws.go, local, startup)}`] };
  }
  const explicitToolchain = queries.some((q) => q.pattern === "toolchain");

  // A -mod=mod command adds a missing go line, at the local version, before
  // anything else (modload.updateRequirements → addGoStmt).
  const oldGo = input.go ?? local;
  const oldToolchain = input.toolchain;

  // The initial build list: go@G and the toolchain line are roots; go@G
  // requires toolchain@goG from 1.21 on.
  const initialGo = oldGo;
  const initialToolchain = maxToolchain(oldToolchain, requiredToolchain(initialGo)) ?? "";
  // When the go line was missing, the graph was unpruned (go 1.16) and is
  // converted to a pruned one for the added go line: every module in the
  // build list becomes a root, toolchain@go<local> included
  // (modload.updateRequirements → convertPruning).
  let rootToolchain = oldToolchain;
  if (input.go === undefined && compare(local, explicitIndirectVersion) >= 0) {
    rootToolchain = initialToolchain === "" ? undefined : initialToolchain;
  }

  const versions = sortedVersions(input.available, local);
  const have = new Set(versions);
  const statError = input.statError ??
    ((dl: string) => `golang.org/toolchain@${dl}: invalid version: unknown revision ${dl}`);
  const repos = {
    go: new Repo("go", local, have, versions, statError),
    toolchain: new Repo("toolchain", local, have, versions, statError),
  };

  // Resolve each query against the initial build list.
  const resolved = new Map<string, { version: string; q: Query }>();
  for (const q of queries) {
    const current = q.pattern === "go" ? initialGo : initialToolchain;
    const r = queryProxy(repos[q.pattern], q.version, current);
    if ("err" in r) {
      errors.push(reportError(q, r.err));
      continue;
    }
    const prev = resolved.get(q.pattern);
    if (prev !== undefined && prev.version !== r.version) {
      const arg = (x: Query, v: string) =>
        v !== x.version ? `${x.pattern}@${x.version} (${v})` : x.raw;
      errors.push(
        reportError(q, `${arg(q, r.version)} conflicts with ${arg(prev.q, prev.version)}`),
      );
      continue;
    }
    resolved.set(q.pattern, { version: r.version, q });
  }
  if (errors.length > 0) return { kind: "fail", stderr: errors };

  // editRequirements with mustSelect = the resolved versions.
  const mustGo = resolved.get("go");
  const mustToolchain = resolved.get("toolchain");
  let go = mustGo?.version ?? initialGo;
  const toolchainRoot = mustToolchain?.version ?? rootToolchain;
  if (mustToolchain !== undefined) {
    const req = requiredToolchain(go);
    if (req !== undefined && modCompare("toolchain", req, mustToolchain.version) > 0) {
      if (mustGo !== undefined) {
        // Both were asked for, and go@G needs a newer toolchain than asked.
        return {
          kind: "fail",
          stderr: [
            `go: ${resolvedString(mustGo.q, mustGo.version)} requires toolchain@${req}, not ${
              resolvedString(mustToolchain.q, mustToolchain.version)
            }`,
          ],
        };
      }
      // Downgrade go (previousVersion) until its toolchain fits.
      const list = repos.go.list;
      let i = list.findIndex((v) => compare(v, go) >= 0);
      if (i < 0) i = list.length;
      let next = "none";
      for (let j = i - 1; j >= 0; j--) {
        const r = requiredToolchain(list[j]);
        if (r === undefined || modCompare("toolchain", r, mustToolchain.version) <= 0) {
          next = list[j];
          break;
        }
      }
      if (next === "none") {
        return {
          kind: "fail",
          stderr: ["go: internal error: missing go root module in WriteGoMod"],
        };
      }
      go = next;
    }
  }
  // The toolchain root, if there is one, ends at the version the build list
  // selects: raising go past it raises it. The original go root stays in the
  // graph while editing (editRequirements keeps older roots to explain
  // conflicts), so lowering go keeps the toolchain its old go line implied,
  // unless the toolchain itself was asked for.
  let toolchain: string | undefined;
  if (mustToolchain !== undefined) {
    toolchain = mustToolchain.version;
  } else if (toolchainRoot !== undefined) {
    toolchain = maxToolchain(
      maxToolchain(toolchainRoot, requiredToolchain(go)),
      requiredToolchain(initialGo),
    );
  }

  // UpdateGoModFromReqs.
  if (compare(go, local) > 0) {
    // We cannot assume that we know how to update a go.mod to a newer version.
    return tooNew("updating go.mod", go);
  }
  const newGo = go;
  const tc = toolchain ?? "go" + go;
  // UpdateGoModFromReqs's toolchain line, for its options.
  const toolchainLine = (drop: boolean, explicit: boolean): string | undefined => {
    if (
      drop || tc === "go" + go ||
      (compare(fromToolchain(tc), goStrictVersion) < 0 && !explicit)
    ) {
      // go get toolchain@none, or the toolchain is implied by the go line or
      // is not valid: drop it (TODO(golang/go#57001) in Go: reject explicit
      // toolchains below 1.21).
      return undefined;
    }
    if (/^default$|^go1($|\.)/.test(tc)) return tc;
    // AddToolchainStmt rejects it, and the go command ignores that error.
    return oldToolchain;
  };
  const newToolchain = toolchainLine(dropToolchain, explicitToolchain);

  // Entering the workspace (checkPackageProblems → modload.EnterWorkspace)
  // already updates go.mod in memory, with no options, and then loads every
  // module of the workspace from disk.
  let reportedGo = oldGo;
  let reportedToolchain = oldToolchain;
  if (ws?.modules !== undefined) {
    reportedGo = newGo;
    reportedToolchain = toolchainLine(false, false);
    // errWorkTooOld: switching to a newer toolchain won't help, the
    // go.work has the wrong version.
    const errs = workModuleErrors(ws.modules, ws.go, local);
    // errors.Join: base.Fatal prints each joined error after its own "go: ".
    if (errs.length > 0) return { kind: "fail", stderr: errs.map((e) => `go: ${e}`) };
  }

  // reportChanges: go first, toolchain second, from what go.mod held after
  // entering the workspace (if it did) to what WriteGoMod writes.
  const stderr = reportChanges(reportedGo, newGo, reportedToolchain, newToolchain);
  const write = input.go !== newGo || oldToolchain !== newToolchain;
  // Then runGet raises the go.work's go line to the module's new one.
  let work: { write: boolean; go?: string; toolchain?: string } | undefined;
  if (ws !== undefined) {
    const u = updateWorkGoVersion({ go: ws.go, toolchain: ws.toolchain }, newGo);
    work = { write: u.changed, go: u.go, toolchain: u.toolchain };
  }
  return { kind: "done", stderr, write, go: newGo, toolchain: newToolchain, work };
}

// reportChanges mirrors the go and toolchain part of modget's reportChanges.
function reportChanges(
  oldGo: string,
  newGo: string,
  oldToolchain: string | undefined,
  newToolchain: string | undefined,
): string[] {
  const stderr: string[] = [];
  if (oldGo !== newGo) {
    if (modCompare("go", newGo, oldGo) > 0) {
      stderr.push(`go: upgraded go ${oldGo} => ${newGo}`);
      if (
        compare(oldGo, explicitIndirectVersion) < 0 && compare(newGo, explicitIndirectVersion) >= 0
      ) {
        stderr.push(
          `\tnote: expanded dependencies to upgrade to go ${explicitIndirectVersion} or higher; run 'go mod tidy' to clean up`,
        );
      }
    } else {
      stderr.push(`go: downgraded go ${oldGo} => ${newGo}`);
    }
  }
  if (oldToolchain !== newToolchain) {
    if (oldToolchain === undefined) stderr.push(`go: added toolchain ${newToolchain}`);
    else if (newToolchain === undefined) stderr.push(`go: removed toolchain ${oldToolchain}`);
    else if (modCompare("toolchain", newToolchain, oldToolchain) > 0) {
      stderr.push(`go: upgraded toolchain ${oldToolchain} => ${newToolchain}`);
    } else stderr.push(`go: downgraded toolchain ${oldToolchain} => ${newToolchain}`);
  }
  return stderr;
}

// planWork is one run of `go work init`, `use` or `sync`, for the go.work's
// go and toolchain lines.
function planWork(input: GetInput, local: string): Step {
  const startup: Startup = input.startup ??
    { GOTOOLCHAIN: input.gotoolchain ?? "", autoFile: "", autoGoVersion: "", autoToolchain: "" };
  const work = input.work;
  if (work === undefined) throw new TypeError("planGet: a go.work plan needs input.work");
  const fileName = input.fileName ?? "go.work";
  const errs: { text: string; tooNew: TooNew }[] = [];
  const tooNew = (what: string, goVersion: string) => ({
    text: tooNewError(what, goVersion, local, startup),
    tooNew: { what, goVersion },
  });

  let workGo = input.go;
  let workToolchain = input.toolchain;
  if (work.command === "init") {
    // go work init writes the running toolchain's version.
    workGo = local;
    workToolchain = undefined;
  } else if (workGo !== undefined && compare(workGo, local) > 0) {
    // Reading go.work (modload.ReadWorkFile).
    const e = tooNew(fileName, workGo);
    return { kind: "tooNew", errors: [e] };
  }

  // Reading each module's go.mod (modload.ReadModFile).
  let goV = workGo ?? defaultGoWorkVersion;
  for (const m of work.modules) {
    const what = `${m.dir}/go.mod`;
    if (m.go !== undefined && compare(m.go, local) > 0) {
      const e = tooNew(what, m.go);
      if (work.command === "sync") {
        e.text = `cannot load module ${m.dir} listed in go.work file: ${e.text}`;
      }
      errs.push(e);
      continue;
    }
    goV = max(goV, m.go ?? defaultGoModVersion);
  }
  if (errs.length > 0) return { kind: "tooNew", errors: errs };

  const u = updateWorkGoVersion({ go: workGo, toolchain: workToolchain }, goV);
  return {
    kind: "done",
    stderr: [],
    // go work init, use and sync always write go.work (WriteWorkFile).
    write: true,
    go: u.go,
    toolchain: u.toolchain,
  };
}

/**
 * updateWorkGoVersion raises a go.work's go line to at least goVers, as
 * modload.UpdateWorkGoVersion does after `go work use`, `go work sync` and
 * `go get`: when it raises it, it drops a toolchain line that the new go line
 * implies, that is older than it, or that is older than Go 1.21.
 *
 * @param work the go.work's go and toolchain lines (undefined when missing)
 * @param goVers the highest go version among the workspace's modules
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { updateWorkGoVersion } from "./get.ts";
 * assert.deepEqual(updateWorkGoVersion({ go: "1.21", toolchain: "go1.22.0" }, "1.22.1"), {
 *   changed: true, go: "1.22.1", toolchain: undefined,
 * });
 * ```
 */
export function updateWorkGoVersion(
  work: { go?: string; toolchain?: string },
  goVers: string,
): { changed: boolean; go?: string; toolchain?: string } {
  const old = work.go ?? defaultGoWorkVersion;
  if (compare(old, goVers) >= 0) return { changed: false, ...work };
  let toolchain = work.toolchain;
  if (toolchain !== undefined) {
    // Drop the toolchain line if it is implied by the go line, if it is
    // older than the go line, or if it asks for a toolchain older than Go
    // 1.21, which does not understand toolchain lines (golang/go#65847).
    const toolVers = fromToolchain(toolchain);
    if (
      toolchain === "go" + goVers || compare(toolVers, goVers) < 0 ||
      compare(toolVers, goStrictVersion) < 0
    ) {
      toolchain = undefined;
    }
  }
  return { changed: true, go: goVers, toolchain };
}

/**
 * applyGet returns the text of the go.mod or go.work after the plan: the
 * go and toolchain lines edited in place, comments and the rest of the file
 * kept, and the whole file printed as the go command prints it (go.work
 * files also get their blocks sorted, as WriteWorkFile does). When the plan
 * writes nothing, or failed, it returns text unchanged.
 *
 * @param text the file's current contents ("" for `go work init`)
 * @param plan what planGet decided for that file
 * @param file which kind of file text is
 * @throws {ModFileErrorList} when text does not parse
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyGet, planGet } from "./get.ts";
 * const text = "module m // mine\n\ngo 1.21 // old\n";
 * const plan = planGet({ file: "go.mod", go: "1.21", args: ["toolchain@go1.23.1"], local: "1.23.1", available: ["1.23.1"] });
 * assert.equal(applyGet(text, plan, "go.mod"), "module m // mine\n\ngo 1.21 // old\n\ntoolchain go1.23.1\n");
 * ```
 */
export function applyGet(text: string, plan: GetPlan, file: "go.mod" | "go.work"): string {
  if (plan.failed || !plan.write) return text;
  const f = file === "go.work" ? parseWork(file, text) : parse(file, text);
  if (plan.go !== undefined && f.go?.version !== plan.go) addGoStmt(f, plan.go);
  if (plan.toolchain === undefined) dropToolchainStmt(f);
  else if (f.toolchain?.name !== plan.toolchain) addToolchainStmt(f, plan.toolchain);
  if (file === "go.work") sortBlocks(f);
  cleanup(f);
  return format(f.syntax);
}

/**
 * applyGetWork returns the text of the go.work after a go.mod plan made
 * with GetInput.workspace: its go line raised and toolchain line dropped as
 * plan.work says, printed as WriteWorkFile prints it. When plan.work writes
 * nothing (or the plan failed) it returns text unchanged.
 *
 * @param text the go.work's current contents
 * @param plan what planGet decided for the go.mod
 * @throws {ModFileErrorList} when text does not parse
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyGetWork, planGet } from "./get.ts";
 * const plan = planGet({
 *   file: "go.mod", go: "1.22", args: ["go@1.23.0"], local: "1.26.8", available: [],
 *   workspace: { fileName: "../go.work", go: "1.22", modules: [{ dir: ".", go: "1.22" }] },
 * });
 * assert.deepEqual(plan.stderr, []);
 * assert.equal(applyGetWork("go 1.22\nuse ./a\n", plan), "go 1.23.0\n\nuse ./a\n");
 * ```
 */
export function applyGetWork(text: string, plan: GetPlan): string {
  if (plan.failed || plan.work === undefined || !plan.work.write) return text;
  return applyGet(text, {
    ...plan,
    write: true,
    go: plan.work.go,
    toolchain: plan.work.toolchain,
  }, "go.work");
}
