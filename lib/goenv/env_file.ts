/**
 * The syntax of the go env file (written by `go env -w`) and $GOROOT/go.env.
 *
 * Mirrors cmd/go/internal/cfg.readEnvFile (go1.26): a line counts only if it
 * contains '=' and starts with 'A'..'Z'; the value is the rest of the line
 * verbatim (no trimming, no quotes, a trailing '\r' is kept).
 *
 * @module
 */

/** EnvFileEntry is one KEY=VALUE line. */
export interface EnvFileEntry {
  key: string;
  value: string;
  /** 1-based line number. */
  line: number;
}

/**
 * parseEnvFile returns the entries of an env file in file order, duplicates
 * included (the user file keeps the last, go.env the first).
 *
 * @example
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { parseEnvFile } from "./env_file.ts";
 * assertEquals(parseEnvFile("# c\nGOTOOLCHAIN=auto\n lower=x\n"), [
 *   { key: "GOTOOLCHAIN", value: "auto", line: 2 },
 * ]);
 * ```
 */
export function parseEnvFile(data: string): EnvFileEntry[] {
  const out: EnvFileEntry[] = [];
  const lines = data.split("\n");
  // A final "\n" does not start another line.
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  lines.forEach((line, i) => {
    const eq = line.indexOf("=");
    // Comments, blank lines and lowercase or indented keys are ignored, so a
    // corrupted file never makes the go command unusable.
    if (eq < 0 || line[0] < "A" || line[0] > "Z") return;
    out.push({ key: line.slice(0, eq), value: line.slice(eq + 1), line: i + 1 });
  });
  return out;
}
