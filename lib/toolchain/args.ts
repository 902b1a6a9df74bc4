/**
 * The part of the go command's argument handling that runs before toolchain
 * selection: finding the subcommand and the `-C dir` flag right after it.
 *
 * Mirrors cmd/go main.go handleChdirFlag and lookupCmd (go1.26).
 *
 * @module
 */

// The runnable commands of base.Go, and the subcommands of the two parents.
const runnable = new Set([
  "bug",
  "build",
  "clean",
  "doc",
  "env",
  "fix",
  "fmt",
  "generate",
  "get",
  "install",
  "list",
  "run",
  "telemetry",
  "test",
  "tool",
  "version",
  "vet",
]);
const parents: Record<string, Set<string>> = {
  mod: new Set(["download", "edit", "graph", "init", "tidy", "vendor", "verify", "why"]),
  work: new Set(["edit", "init", "sync", "use", "vendor"]),
};

/**
 * lookupCmd returns how many leading args name the command ("version" → 1,
 * "mod edit" → 2, a help topic or unknown word → 0), as main.lookupCmd.
 */
export function lookupCmd(args: readonly string[]): number {
  if (args.length === 0) return 0;
  if (runnable.has(args[0])) return 1;
  const subs = parents[args[0]];
  if (subs === undefined) return 0;
  // "go mod" alone, or "go help …" style: stop after the parent.
  if (args.length === 1) return 1;
  return subs.has(args[1]) ? 2 : 1;
}

/** The result of handleChdirFlag. */
export interface ChdirResult {
  /** The arguments with the -C flag removed. */
  args: string[];
  /** The directory named by -C, as written (relative to the starting directory), if any. */
  dir?: string;
}

/**
 * handleChdirFlag finds `-C dir`, `--C dir`, `-C=dir` or `--C=dir` directly
 * after the command words and removes it, as main.handleChdirFlag does
 * before Select runs; the caller then changes directory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { handleChdirFlag } from "./args.ts";
 * assert.deepEqual(handleChdirFlag(["mod", "edit", "-C=sub", "-json"]), { args: ["mod", "edit", "-json"], dir: "sub" });
 * assert.deepEqual(handleChdirFlag(["build", "./...", "-C", "x"]), { args: ["build", "./...", "-C", "x"] });
 * ```
 */
export function handleChdirFlag(args: readonly string[]): ChdirResult {
  const used = lookupCmd(args);
  if (used >= args.length) return { args: [...args] };
  const a = args[used];
  if (a === "-C" || a === "--C") {
    if (used + 1 >= args.length) return { args: [...args] };
    return { args: [...args.slice(0, used), ...args.slice(used + 2)], dir: args[used + 1] };
  }
  if (a.startsWith("-C=") || a.startsWith("--C=")) {
    return {
      args: [...args.slice(0, used), ...args.slice(used + 1)],
      dir: a.slice(a.indexOf("=") + 1),
    };
  }
  return { args: [...args] };
}
