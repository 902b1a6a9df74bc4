/**
 * What the go command checks when the selected toolchain loads the main
 * module or workspace, after toolchain selection: a go line newer than the
 * running Go (gover.TooNewError: "go.mod requires go >= 1.30 (running go
 * 1.26.8; GOTOOLCHAIN=local)"), and, in a workspace, a module needing a newer
 * go than the go.work lists (modload's errWorkTooOld).
 *
 * Mirrors cmd/go/internal/modload (loadModFile, LoadWorkFile, the
 * workspace's module checks) for the go and toolchain lines only.
 *
 * @module
 */

import { compare } from "../gover/mod.ts";
import type { Startup } from "./select.ts";
import { tooNewError } from "./switch.ts";

/** gover.GoStrictVersion: from here a module's go line is a hard requirement. */
const goStrictVersion = "1.21";
/** A go.mod without a go line counts as go 1.16. */
export const defaultGoModVersion = "1.16";
/** A go.work without a go line counts as go 1.18. */
export const defaultGoWorkVersion = "1.18";

/** A module a go.work uses: its directory as the go command names it, its go line. */
export interface UsedModule {
  /** base.ShortPath of the module directory ("." , "../b"). */
  dir: string;
  /** Its go line; undefined when it has none. */
  go?: string;
}

/**
 * workModuleErrors returns the errors (without "go: ") for the modules of a
 * workspace that need a newer go than the go.work lists, or than the
 * running Go: switching toolchains would not help, the go.work is wrong.
 *
 * @param modules the go.work's modules, in go.work order
 * @param workGo the go.work's go line (undefined: none, counts as 1.18)
 * @param running the running Go version
 */
export function workModuleErrors(
  modules: readonly UsedModule[],
  workGo: string | undefined,
  running: string,
): string[] {
  const wv = workGo ?? defaultGoWorkVersion;
  const errs: string[] = [];
  for (const m of modules) {
    const mv = m.go ?? defaultGoModVersion;
    const tooOld = compare(mv, running) > 0 ||
      (compare(mv, wv) > 0 && compare(mv, goStrictVersion) >= 0);
    if (tooOld) {
      errs.push(
        `module ${m.dir} listed in go.work file requires go >= ${mv}, but go.work ${
          workGo === undefined ? "implicitly requires" : "lists"
        } go ${wv}; to update it:\n\tgo work use`,
      );
    }
  }
  return errs;
}

/** What loadErrors needs to know. */
export interface LoadInput {
  /** The Go version of the toolchain that runs. */
  running: string;
  /** What toolchain selection recorded, for the TooNewError text. */
  startup: Startup;
  /** base.ShortPath of startup.autoFile. */
  shortAutoFile?: string;
  /** In workspace mode: the go.work and its modules. */
  work?: { shortPath: string; go?: string; modules: readonly UsedModule[] };
  /** In module mode: the main module's go.mod. */
  mod?: { shortPath: string; go?: string };
}

/**
 * loadErrors returns what the go command prints (each "go: …", as
 * base.Fatal prints joined errors) when the running toolchain loads the
 * workspace or main module, or nothing when it loads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadErrors } from "./load.ts";
 * const startup = { GOTOOLCHAIN: "local", autoFile: "", autoGoVersion: "", autoToolchain: "" };
 * assert.deepEqual(loadErrors({ running: "1.26.8", startup, mod: { shortPath: "go.mod", go: "1.30" } }), [
 *   "go: go.mod requires go >= 1.30 (running go 1.26.8; GOTOOLCHAIN=local)",
 * ]);
 * ```
 */
export function loadErrors(input: LoadInput): string[] {
  const { running, startup } = input;
  const tooNew = (what: string, v: string) =>
    `go: ${tooNewError(what, v, running, startup, input.shortAutoFile)}`;
  if (input.work !== undefined) {
    const w = input.work;
    if (w.go !== undefined && compare(w.go, running) > 0) return [tooNew(w.shortPath, w.go)];
    return workModuleErrors(w.modules, w.go, running).map((e) => `go: ${e}`);
  }
  const m = input.mod;
  if (m?.go !== undefined && compare(m.go, running) > 0) return [tooNew(m.shortPath, m.go)];
  return [];
}
