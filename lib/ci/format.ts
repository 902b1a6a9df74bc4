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

/** formatPlain prints `KEY=value` lines (GOROOT, PATH, GOTOOLCHAIN). */
export function formatPlain(ci: CiEnv): string {
  let out = "";
  for (const k of ciKeys) {
    const v = ci.env[k];
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
  return ciKeys.map((k) => `export ${k}=${shellQuote(ci.env[k])}\n`).join("");
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

/** githubSummary is what `gtc ci --format github` prints after writing the files. */
export function githubSummary(ci: CiEnv, files: { env: string; path: string }): string {
  return [
    `gtc ci: ${ci.toolchain}${ci.installed ? " (installed now)" : ""} for ${ci.dir}` +
    (ci.microsoft ? " — Microsoft build of Go" : ""),
    `  GOROOT=${ci.env.GOROOT}`,
    `  GOTOOLCHAIN=${ci.env.GOTOOLCHAIN}`,
    `  written to ${files.env}`,
    `  ${ci.pathPrepend.join(", ")} put first in PATH for the next steps (${files.path})`,
    "",
  ].join("\n");
}
