/**
 * The REPL history file ($GTC_HOME/repl_history): one command per line,
 * oldest first, at most historyLimit lines. Consecutive duplicates and blank
 * lines are not kept.
 *
 * @module
 */

import { join, type PathStyle } from "../_internal/path.ts";

/** The most commands the history file keeps. */
export const historyLimit = 1000;

/** historyPath returns the history file under a gtc home. */
export function historyPath(home: string, style: PathStyle = "posix"): string {
  return join(style, home, "repl_history");
}

/**
 * parseHistory reads a history file into its entries, oldest first, keeping
 * the newest `limit`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHistory } from "./history.ts";
 * assert.deepEqual(parseHistory("why\r\n\nwhy\ncd /x\n", 10), ["why", "cd /x"]);
 * ```
 */
export function parseHistory(text: string, limit: number = historyLimit): string[] {
  const out: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "" || out[out.length - 1] === line) continue;
    out.push(line);
  }
  return out.slice(Math.max(0, out.length - limit));
}

/** addHistory appends an entry (oldest-first list), dropping a repeat of the last one and the oldest beyond limit. */
export function addHistory(
  entries: string[],
  line: string,
  limit: number = historyLimit,
): string[] {
  if (line.trim() === "" || line.includes("\n")) return entries;
  const out = entries[entries.length - 1] === line ? entries : [...entries, line];
  return out.slice(Math.max(0, out.length - limit));
}

/** formatHistory is the file text for entries (oldest first). */
export function formatHistory(entries: readonly string[]): string {
  return entries.length === 0 ? "" : entries.join("\n") + "\n";
}
