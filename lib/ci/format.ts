/**
 * `gtc ci` output formats: plain `KEY=value` lines, POSIX shell exports,
 * one JSON object, and the GitHub Actions environment and path files.
 *
 * GitHub Actions reads $GITHUB_ENV as `NAME=value` lines (split at the first
 * "="), or, for a value spanning lines, `NAME<<DELIMITER`, the value's lines,
 * and a line equal to DELIMITER; a line's "\r\n" or "\n" ends it. It reads
 * $GITHUB_PATH as one directory per line, prepending each to PATH for the
 * following steps (actions/runner FileCommandManager).
 *
 * @module
 */

import { type CiEnv, ciKeys } from "./env.ts";
import type { CiCache } from "./cache.ts";

/**
 * cacheVars are the cache settings and keys as variables: GOMODCACHE and
 * GOCACHE (set explicitly, so the directories a job saves are the ones the
 * go command uses even if GOPATH or HOME change later), GTC_CACHE_KEY and
 * GTC_CACHE_RESTORE_KEY.
 */
export function cacheVars(ci: Pick<CiEnv, "cache">): [string, string][] {
  if (ci.cache === null) return [];
  return [
    ["GOMODCACHE", ci.cache.gomodcache],
    ["GOCACHE", ci.cache.gocache],
    ["GTC_CACHE_KEY", ci.cache.key],
    ["GTC_CACHE_RESTORE_KEY", ci.cache.restoreKey],
  ];
}

// allVars is every variable plain and shell print, in order.
function allVars(ci: CiEnv): [string, string][] {
  return [...ciKeys.map((k): [string, string] => [k, ci.env[k]]), ...cacheVars(ci)];
}

/**
 * formatPlain prints `KEY=value` lines: GOROOT, PATH, GOTOOLCHAIN, then the
 * cache variables (cacheVars).
 */
export function formatPlain(ci: CiEnv): string {
  let out = "";
  for (const [k, v] of allVars(ci)) {
    if (/[\r\n]/.test(v)) throw new Error(`${k} has a line break: use --format json`);
    out += `${k}=${v}\n`;
  }
  return out;
}

/** shellQuote quotes s for a POSIX shell: '…' with ' written as '\''. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** formatShell prints `export KEY='value'` lines, for `eval "$(gtc ci --format shell)"`. */
export function formatShell(ci: CiEnv): string {
  return allVars(ci).map(([k, v]) => `export ${k}=${shellQuote(v)}\n`).join("");
}

/** formatJson prints ci as one JSON object and a newline. */
export function formatJson(ci: CiEnv): string {
  return JSON.stringify(ci, null, 2) + "\n";
}

/**
 * githubEnvLines renders variables for $GITHUB_ENV: `KEY=value` when the
 * value is one line, else the heredoc form with a delimiter that occurs in
 * neither key nor value.
 *
 * @param newDelimiter makes a fresh delimiter (default: "ghadelimiter_" and a
 *   random UUID, as @actions/core does)
 * @throws {Error} for a key GitHub cannot parse back (empty, with "=", "<<"
 *   or a line break) or a value ending in "\r" (the runner drops it)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { githubEnvLines } from "./format.ts";
 * assert.equal(githubEnvLines([["GOROOT", "/g"]]), "GOROOT=/g\n");
 * assert.equal(githubEnvLines([["X", "a\nb"]], () => "EOF"), "X<<EOF\na\nb\nEOF\n");
 * ```
 */
export function githubEnvLines(
  vars: readonly (readonly [string, string])[],
  newDelimiter: () => string = () => `ghadelimiter_${crypto.randomUUID()}`,
): string {
  let out = "";
  for (const [k, v] of vars) {
    if (k === "" || k.includes("=") || k.includes("<<") || /[\r\n]/.test(k)) {
      throw new Error(`cannot write ${JSON.stringify(k)} to GITHUB_ENV: invalid name`);
    }
    if (v.endsWith("\r")) {
      throw new Error(`cannot write ${k} to GITHUB_ENV: its value ends in a carriage return`);
    }
    if (!/[\r\n]/.test(v)) {
      out += `${k}=${v}\n`;
      continue;
    }
    let d = newDelimiter();
    for (let i = 0; d === "" || v.includes(d) || k.includes(d); i++) {
      if (i >= 100) throw new Error(`cannot write ${k} to GITHUB_ENV: no delimiter fits`);
      d = newDelimiter();
    }
    out += `${k}<<${d}\n${v}\n${d}\n`;
  }
  return out;
}

/**
 * githubPathLines renders directories for $GITHUB_PATH, one per line. The
 * runner prepends each line in turn, so the last line ends up first: the
 * lines are written in reverse so that dirs[0] comes first in PATH.
 *
 * @throws {Error} for an empty directory or one with a line break
 */
export function githubPathLines(dirs: readonly string[]): string {
  for (const d of dirs) {
    if (d === "" || /[\r\n]/.test(d)) {
      throw new Error(`cannot write ${JSON.stringify(d)} to GITHUB_PATH`);
    }
  }
  return [...dirs].reverse().map((d) => d + "\n").join("");
}

/**
 * githubOutputs are the step outputs `gtc ci --format github` writes to
 * $GITHUB_OUTPUT, for the action's cache step and later steps: toolchain,
 * goroot, gomodcache, gocache, cache-paths (one directory a line),
 * cache-key, cache-restore-key.
 */
export function githubOutputs(ci: CiEnv): [string, string][] {
  const out: [string, string][] = [["toolchain", ci.toolchain], ["goroot", ci.goroot]];
  return ci.cache === null ? out : [...out, ...githubCacheOutputs(ci.cache)];
}

/** githubCacheOutputs are the cache step outputs alone (`gtc ci --cache-keys`). */
export function githubCacheOutputs(cache: CiCache): [string, string][] {
  return [
    ["gomodcache", cache.gomodcache],
    ["gocache", cache.gocache],
    ["cache-paths", cache.paths.join("\n")],
    ["cache-key", cache.key],
    ["cache-restore-key", cache.restoreKey],
  ];
}

/** githubSummary is what `gtc ci --format github` prints after writing the files. */
export function githubSummary(
  ci: CiEnv,
  files: { env: string; path: string; output?: string },
): string {
  const lines = [
    `gtc ci: ${ci.toolchain}${ci.installed ? " (installed now)" : ""} for ${ci.dir}` +
    (ci.microsoft ? " — Microsoft build of Go" : ""),
    `  GOROOT=${ci.env.GOROOT}`,
    `  GOTOOLCHAIN=${ci.env.GOTOOLCHAIN}`,
  ];
  if (ci.cache !== null) {
    lines.push(
      `  GOMODCACHE=${ci.cache.gomodcache}`,
      `  GOCACHE=${ci.cache.gocache}`,
      `  cache key ${ci.cache.key} (restore ${ci.cache.restoreKey}; ` +
        `${ci.cache.sumFiles.length} go.sum/go.work.sum file(s) hashed)`,
    );
  }
  lines.push(`  written to ${files.env}`);
  lines.push(`  ${ci.pathPrepend.join(", ")} put first in PATH for the next steps (${files.path})`);
  if (files.output !== undefined) lines.push(`  outputs written to ${files.output}`);
  return lines.join("\n") + "\n";
}
