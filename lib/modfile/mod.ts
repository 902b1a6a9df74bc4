/**
 * go.mod and go.work files: their syntax, their go and toolchain lines, and
 * which file governs a directory. A port of golang.org/x/mod/modfile and the
 * go command's discovery rules (cmd/go/internal/modload, go1.26).
 *
 * The grammar (x/mod read.go): a file is lines of tokens; a token is an
 * identifier (most printable runes, up to white space, "(", ")", "[", "]",
 * "{", "}", "," or "//"), a "..." Go string, a `...` raw string, or one of
 * those punctuation characters. "//" starts a comment to end of line (never
 * "/*"). A line `verb (` opens a block of lines, closed by a line starting
 * with ")". The first token of a line (or the block's verb) is the directive:
 *
 * ```
 * module example.com/m
 * go 1.22             // GoVersionRE: 1.N, 1.N.P, 1.NrcR; no go line means 1.16 (1.18 in go.work)
 * toolchain go1.22.3  // ToolchainRE: "default" or a "go1" prefix
 * godebug key=value
 * use ./dir           // go.work only
 * ```
 *
 * There are three readers, from quick to strict: {@link goModLookup} (the
 * first-line scan toolchain selection uses), {@link parseLax} (a
 * dependency's go.mod) and {@link parse} / {@link parseWork} (the main
 * module's go.mod, and go.work). Each result records where it came from as
 * `file:line`, so a selection can explain itself. {@link check} says only
 * whether and how a file fails the strict parse, without keeping its
 * comments (a go.mod of millions of comment lines).
 *
 * @example Selecting the file and reading its go line
 * ```ts
 * import assert from "node:assert/strict";
 * import { MemFs } from "../_internal/mem_fs.ts";
 * import { findGoMod, findGoWork, goModLookup, parse, posString } from "./mod.ts";
 *
 * const fs = new MemFs({ "/src/m/go.mod": "module m\n\ngo 1.22\ntoolchain go1.22.3\n" });
 * const file = findGoWork(fs, "/src/m", {}) ?? findGoMod(fs, "/src/m", {});
 * assert.equal(file, "/src/m/go.mod");
 *
 * const data = new TextDecoder().decode(fs.readFile(file!));
 * assert.deepEqual(goModLookup(data, "toolchain"), { value: "go1.22.3", line: 4 });
 *
 * const f = parse("go.mod", data);
 * assert.equal(f.go?.version, "1.22");
 * assert.equal(posString(f.go!.pos), "go.mod:3");
 * ```
 *
 * @example Every error in a file, worded as the go command words it
 * ```ts
 * import assert from "node:assert/strict";
 * import { ModFileErrorList, parse } from "./mod.ts";
 *
 * assert.throws(() => parse("go.mod", "module m\ngo 1.22\ngo 1.23\ntoolchain 1.22\n"), (e) => {
 *   assert.ok(e instanceof ModFileErrorList);
 *   assert.equal(
 *     e.message,
 *     "go.mod:3: repeated go statement\n" +
 *       "go.mod:4: invalid toolchain version '1.22': must match format go1.23.0 or default",
 *   );
 *   assert.equal(e.errors[1].line, 4);
 *   return true;
 * });
 * ```
 *
 * @module
 */

export { ModFileError, type ModFileErrorInit, ModFileErrorList } from "./error.ts";
export {
  type Comment,
  type CommentBlock,
  type Comments,
  type Expr,
  type FileSyntax,
  type Line,
  type LineBlock,
  type LParen,
  parseSyntax,
  type Position,
  type RParen,
  span,
} from "./lex.ts";
export {
  autoQuote,
  defaultGoModVersion,
  defaultGoWorkVersion,
  type Exclude,
  type Go,
  type Godebug,
  goVersionRE,
  type Ignore,
  isDirectoryPath,
  type ModFile,
  type Module,
  type ModuleVersion,
  mustQuote,
  parse,
  parseLax,
  parseWork,
  type Pos,
  posString,
  type Replace,
  type Require,
  type Retract,
  type Tool,
  type Toolchain,
  toolchainRE,
  type Use,
  type WorkFile,
} from "./parse.ts";
export { goModLookup, type Lookup } from "./lookup.ts";
export { check, parseWithoutComments } from "./check.ts";
export {
  findGoMod,
  type FindGoModOptions,
  findGoWork,
  type FindGoWorkOptions,
  GoWorkError,
  willBeEnabled,
  type WillBeEnabledOptions,
} from "./find.ts";
export {
  addGoStmt,
  addToolchainStmt,
  cleanup,
  dropGoStmt,
  dropToolchainStmt,
  sortBlocks,
} from "./edit.ts";
export { format } from "./print.ts";
