/**
 * `gtc use`: what a toolchain choice becomes in the go command's own
 * settings. A project pin is go.mod's toolchain line, written by go get's
 * rules (lib/toolchain planGet); a global choice is GOTOOLCHAIN in the go
 * env file, written as `go env -w` does (lib/goenv updateEnvFile). Never a
 * shim, never a file only gtc reads.
 *
 * @example
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { globalGotoolchain } from "./mod.ts";
 * assertEquals(globalGotoolchain("1.25.3", "auto"), { value: "go1.25.3+auto" });
 * ```
 *
 * @module
 */

import { fromToolchain, isPrerelease, parse } from "../gover/mod.ts";

/**
 * How a global GOTOOLCHAIN=<name> treats a module that needs a newer go:
 * - auto: `<name>+auto`, the default: <name> is the minimum, a go.mod or
 *   go.work asking for newer switches to that (downloading it if needed).
 * - path: `<name>+path`: the same, but only toolchains found in PATH; a
 *   module needing newer fails instead of downloading.
 * - exact: `<name>`: always <name>, go.mod and go.work are not read for the
 *   choice; a module needing newer fails ("requires go >= …").
 */
export type UseMode = "auto" | "path" | "exact";

/** The modes, for flag validation and help. */
export const useModes: readonly UseMode[] = ["auto", "path", "exact"];

/** What each mode means to the go command, one line each (help and output). */
export const modeMeaning: Readonly<Record<UseMode, string>> = {
  auto: "the go command uses it unless a go.mod/go.work needs newer, then switches " +
    "(downloading if needed)",
  path: "the go command uses it unless a go.mod/go.work needs newer, then switches only to " +
    "a goX.Y.Z found in PATH (never downloads)",
  exact: "the go command always runs it and ignores go.mod/go.work's toolchain lines; a " +
    "module needing newer fails",
};

/**
 * toolchainName turns what a user types ("1.25.3", "go1.25.3") into a
 * toolchain name, or returns the reason it is not one. A language version
 * ("1.25") names no release since go1.21 and is refused: the go command
 * would fail running "go1.25".
 */
export function toolchainName(arg: string): { name: string } | { error: string } {
  const name = arg.startsWith("go") ? arg : `go${arg}`;
  const v = fromToolchain(name);
  if (v === "" || name !== `go${v}`) {
    return { error: `${arg}: not a Go version (want e.g. go1.25.3 or 1.25.3)` };
  }
  const p = parse(v)!;
  if (p.patch === "" && !isPrerelease(v) && Number(p.minor) >= 21) {
    return {
      error: `${arg}: a language version, not a release; name one, e.g. go${v}.0`,
    };
  }
  return { name };
}

/**
 * globalGotoolchain returns the GOTOOLCHAIN value `gtc use --global arg`
 * writes: "local", "auto" and "path" as they are, a version with the mode's
 * suffix.
 */
export function globalGotoolchain(
  arg: string,
  mode: UseMode,
): { value: string } | { error: string } {
  if (arg === "local" || arg === "auto" || arg === "path") return { value: arg };
  const t = toolchainName(arg);
  if ("error" in t) return t;
  return { value: mode === "exact" ? t.name : `${t.name}+${mode}` };
}

/** describeGotoolchain says in one line what the go command does with a GOTOOLCHAIN value. */
export function describeGotoolchain(value: string): string {
  if (value === "" || value === "auto" || value === "local+auto") {
    return "the go command runs the go in PATH unless a go.mod/go.work needs newer, then " +
      "switches (downloading if needed)";
  }
  if (value === "path" || value === "local+path") {
    return "the go command runs the go in PATH unless a go.mod/go.work needs newer, then " +
      "switches only to a goX.Y.Z found in PATH";
  }
  if (value === "local") {
    return "the go command always runs the go in PATH; a module needing newer fails";
  }
  const plus = value.indexOf("+");
  const name = plus < 0 ? value : value.slice(0, plus);
  const mode = plus < 0 ? "exact" : value.slice(plus + 1);
  const meaning = modeMeaning[mode as UseMode];
  return meaning === undefined
    ? `${value}: not a GOTOOLCHAIN the go command accepts`
    : `${name}: ${meaning}`;
}
