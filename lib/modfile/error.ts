/**
 * Errors from reading go.mod and go.work files, worded and positioned exactly
 * as golang.org/x/mod/modfile's Error and ErrorList print them.
 *
 * @module
 */

/** ModFileErrorInit holds the fields of a ModFileError. */
export interface ModFileErrorInit {
  /** File name as given to the parser, e.g. "go.mod". */
  file: string;
  /** Line number, starting at 1; 0 when unknown. */
  line: number;
  /** Column in runes (Go's Position.LineRune), starting at 1; 0 when unknown. */
  col: number;
  /** Byte offset in the file, starting at 0. */
  byte?: number;
  /** The directive, for errors about one module ("require"); "" otherwise. */
  verb?: string;
  /** The module path the error is about; "" otherwise. */
  modPath?: string;
  /** The error text without position, e.g. "repeated go statement". */
  detail: string;
}

/**
 * ModFileError is one problem in a go.mod or go.work file. Mirrors x/mod
 * modfile.Error: its message is `file:line:col: detail`, where the column is
 * printed only when it is greater than 1 (it is 1 for every directive error,
 * so only lexer errors usually show it) and the line only when it is known.
 *
 * @example Message format
 * ```ts
 * import assert from "node:assert/strict";
 * import { ModFileError } from "./error.ts";
 * const e = new ModFileError({ file: "go.mod", line: 3, col: 1, detail: "repeated go statement" });
 * assert.equal(e.message, "go.mod:3: repeated go statement");
 * ```
 */
export class ModFileError extends SyntaxError {
  /** File name as given to the parser. */
  readonly file: string;
  /** Line number, starting at 1; 0 when unknown. */
  readonly line: number;
  /** Column in runes, starting at 1; 0 when unknown. */
  readonly col: number;
  /** Byte offset in the file, starting at 0. */
  readonly byte: number;
  /** The directive the error is about, or "". */
  readonly verb: string;
  /** The module path the error is about, or "". */
  readonly modPath: string;
  /** The error text without position and directive. */
  readonly detail: string;

  constructor(init: ModFileErrorInit) {
    super(format(init));
    this.name = "ModFileError";
    this.file = init.file;
    this.line = init.line;
    this.col = init.col;
    this.byte = init.byte ?? 0;
    this.verb = init.verb ?? "";
    this.modPath = init.modPath ?? "";
    this.detail = init.detail;
  }
}

// format mirrors (*modfile.Error).Error.
function format(e: ModFileErrorInit): string {
  let pos = "";
  if (e.col > 1) {
    // Don't print the column if it's 1 (beginning of line): it is 1 except
    // in scanner errors.
    pos = `${e.file}:${e.line}:${e.col}: `;
  } else if (e.line > 0) {
    pos = `${e.file}:${e.line}: `;
  } else if (e.file !== "") {
    pos = `${e.file}: `;
  }
  let directive = "";
  if (e.modPath) directive = `${e.verb ?? ""} ${e.modPath}: `;
  else if (e.verb) directive = `${e.verb}: `;
  return pos + directive + e.detail;
}

/**
 * ModFileErrorList is every problem found in one file, in file order. Mirrors
 * x/mod modfile.ErrorList: its message is the errors' messages, one a line.
 */
export class ModFileErrorList extends SyntaxError {
  /** The errors, in the order the parser found them; never empty. */
  readonly errors: readonly ModFileError[];

  constructor(errors: readonly ModFileError[]) {
    super(errors.map((e) => e.message).join("\n"));
    this.name = "ModFileErrorList";
    this.errors = errors;
  }
}
