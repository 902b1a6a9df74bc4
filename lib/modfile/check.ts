/**
 * Whether a go.mod or go.work parses, answered without building the syntax
 * tree of its comments.
 *
 * The full parser ({@link parse}, {@link parseWork}) keeps every comment for
 * editing and printing; a file of millions of comment lines then costs
 * seconds and hundreds of megabytes, though comments never make a file
 * invalid. check parses the file with its comment-only and blank lines taken
 * out and, only when that finds a problem, parses the whole file again so
 * that the errors (their lines, columns and wording) are exactly the full
 * parser's, which are the go command's.
 *
 * @module
 */

import { ModFileErrorList } from "./error.ts";
import { type ModFile, parse, parseWork, type WorkFile } from "./parse.ts";

/**
 * check parses data as the go command parses the main module's go.mod
 * (modfile.Parse) or a go.work (modfile.ParseWork) and returns the errors it
 * would report, or undefined when the file is valid.
 *
 * @param file the file name used in error messages (e.g. "go.mod")
 * @param data the file's bytes
 * @param kind which grammar to apply
 * @returns the errors {@link parse} or {@link parseWork} would throw, or undefined
 *
 * @example A file of comments and one bad line
 * ```ts
 * import assert from "node:assert/strict";
 * import { check } from "./check.ts";
 * const data = new TextEncoder().encode("module m\n// a\n// b\n\ngo 1.22 x\n");
 * assert.equal(check("go.mod", data, "go.mod")?.message, "go.mod:5: go directive expects exactly one argument");
 * assert.equal(check("go.mod", data.subarray(0, 9), "go.mod"), undefined);
 * ```
 */
export function check(
  file: string,
  data: string | Uint8Array,
  kind: "go.mod" | "go.work",
): ModFileErrorList | undefined {
  try {
    parseWithoutComments(file, data, kind);
    return undefined;
  } catch (e) {
    if (e instanceof ModFileErrorList) return e;
    throw e;
  }
}

/**
 * parseWithoutComments is {@link parse} (kind "go.mod") or
 * {@link parseWork} (kind "go.work") for readers that need only the
 * directives' values, such as the go line of a file known to be the main
 * module's: the file is parsed without its comment-only and blank lines, so
 * the result has no comments and its positions are those of the shortened
 * file. Errors are the full parser's, exact.
 *
 * @throws {ModFileErrorList} what parse or parseWork throws for the whole file
 */
export function parseWithoutComments(
  file: string,
  data: string | Uint8Array,
  kind: "go.mod",
): ModFile;
export function parseWithoutComments(
  file: string,
  data: string | Uint8Array,
  kind: "go.work",
): WorkFile;
export function parseWithoutComments(
  file: string,
  data: string | Uint8Array,
  kind: "go.mod" | "go.work",
): ModFile | WorkFile;
export function parseWithoutComments(
  file: string,
  data: string | Uint8Array,
  kind: "go.mod" | "go.work",
): ModFile | WorkFile {
  const parser = kind === "go.work" ? parseWork : parse;
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const short = withoutCommentLines(bytes);
  if (short === bytes) return parser(file, bytes);
  try {
    return parser(file, short);
  } catch (e) {
    if (!(e instanceof ModFileErrorList)) throw e;
    // Taking out whole lines moved the errors' positions: the whole file
    // gives them exactly (and its result, were it to parse).
    return parser(file, bytes);
  }
}

const NL = 0x0a;
const SLASH = 0x2f;

/**
 * withoutCommentLines returns data without the lines that hold nothing but
 * white space and perhaps a // comment, or data itself when there are none.
 *
 * Such a line never changes whether a file parses: the lexer (x/mod read.go)
 * skips only space, tab and carriage return before a token; a comment alone
 * on its line becomes a comment token that the grammar only attaches to
 * syntax; a blank line is a newline token that ends nothing (the line before
 * it ended at its own newline, and no token, not even a quoted string, spans
 * lines). Semantic checks never read comments for errors (they read "//
 * indirect" and "Deprecated:" only to fill in fields).
 */
export function withoutCommentLines(data: Uint8Array): Uint8Array {
  // Kept lines as [start, end) byte ranges, adjacent ones merged.
  const ranges: number[] = [];
  let kept = 0;
  let i = 0;
  const n = data.length;
  while (i < n) {
    let j = i;
    for (; j < n; j++) {
      const c = data[j];
      if (c !== 0x20 && c !== 0x09 && c !== 0x0d) break;
    }
    const drop = j === n || data[j] === NL ||
      (data[j] === SLASH && j + 1 < n && data[j + 1] === SLASH);
    // A loop, not indexOf: one call per line costs more than the scan.
    let end = j;
    while (end < n && data[end] !== NL) end++;
    if (end < n) end++;
    if (!drop) {
      if (ranges.length > 0 && ranges[ranges.length - 1] === i) ranges[ranges.length - 1] = end;
      else ranges.push(i, end);
      kept += end - i;
    }
    i = end;
  }
  if (kept === n) return data;
  const out = new Uint8Array(kept);
  let o = 0;
  for (let r = 0; r < ranges.length; r += 2) {
    out.set(data.subarray(ranges[r], ranges[r + 1]), o);
    o += ranges[r + 1] - ranges[r];
  }
  return out;
}
