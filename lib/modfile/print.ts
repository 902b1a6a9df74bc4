/**
 * Printing go.mod and go.work syntax trees back to text.
 *
 * Mirrors golang.org/x/mod/modfile/print.go (Format and its printer, x/mod as
 * vendored in go1.26). The go command writes every go.mod and go.work it
 * edits through this printer, so gtc's edits must print exactly as Go's do:
 * a behaviour change here needs a failing table or differential test first
 * (print_test.ts compares with `go mod edit -fmt`).
 *
 * The printer works on the syntax tree only: tokens are printed as they are
 * stored (the parser has already re-quoted strings and canonicalized
 * versions), separated by single spaces; blocks are indented with one tab;
 * comments are re-attached where the parser assigned them. Runs of blank lines
 * collapse to one, and the output ends with exactly one newline.
 *
 * @module
 */

import type { Comment, Expr, FileSyntax, LParen, RParen } from "./lex.ts";
import { trimSpace } from "./_strings.ts";

/**
 * format returns a go.mod or go.work file's syntax as text, in the go
 * command's standard style (modfile.Format).
 *
 * @param f the syntax tree, as parsed by parseSyntax or parse and then edited
 * @returns the file's text
 *
 * @example Normalizing spacing while keeping comments
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSyntax } from "./lex.ts";
 * import { format } from "./print.ts";
 * const f = parseSyntax("go.mod", "module   m // the module\n\n\n\ngo 1.22\nrequire (\n  a v1.0.0\n)\n");
 * assert.equal(format(f), "module m // the module\n\ngo 1.22\n\nrequire (\n\ta v1.0.0\n)\n");
 * ```
 */
export function format(f: FileSyntax): string {
  const pr = new Printer();
  pr.file(f);

  // Remove trailing blank lines.
  let b = pr.buf;
  while (b.length > 0 && b.endsWith("\n") && (b.length === 1 || b[b.length - 2] === "\n")) {
    b = b.slice(0, -1);
  }
  return b;
}

type Printable = Expr | LParen | RParen;

// Printer collects the state during printing of a file or expression.
class Printer {
  // buf is the output. Only ASCII white space and newlines are ever
  // inspected or removed, so working on UTF-16 text is the same as Go's
  // working on bytes.
  buf = "";
  // comment holds pending end-of-line comments.
  comment: Comment[] = [];
  // margin is the left margin (indent), a number of tabs.
  margin = 0;

  print(s: string) {
    this.buf += s;
  }

  // indent returns the position on the current line, in UTF-16 units
  // (Go: bytes); only whether it is zero matters.
  indent(): number {
    return this.buf.length - (this.buf.lastIndexOf("\n") + 1);
  }

  // newline ends the current line, flushing end-of-line comments.
  newline() {
    if (this.comment.length > 0) {
      this.print(" ");
      this.comment.forEach((com, i) => {
        if (i > 0) {
          this.trim();
          this.print("\n");
          this.print("\t".repeat(this.margin));
        }
        this.print(trimSpace(com.token));
      });
      this.comment = [];
    }

    this.trim();
    const b = this.buf;
    if (b.length === 0 || (b.length >= 2 && b.endsWith("\n\n"))) {
      // Skip the blank line at top of file or after a blank line.
    } else {
      this.print("\n");
    }
    this.print("\t".repeat(this.margin));
  }

  // trim removes trailing spaces and tabs from the current line.
  trim() {
    let n = this.buf.length;
    while (n > 0 && (this.buf[n - 1] === "\t" || this.buf[n - 1] === " ")) n--;
    this.buf = this.buf.slice(0, n);
  }

  // file formats the given file into the print buffer.
  file(f: FileSyntax) {
    for (const com of f.comments.before) {
      this.print(trimSpace(com.token));
      this.newline();
    }

    f.stmt.forEach((stmt, i) => {
      this.expr(stmt);
      // A CommentBlock has printed its comments already; everything else
      // ends its line here.
      if (stmt.kind !== "comments") this.newline();

      for (const com of stmt.comments.after) {
        this.print(trimSpace(com.token));
        this.newline();
      }

      if (i + 1 < f.stmt.length) this.newline();
    });
  }

  expr(x: Printable) {
    // Emit line-comments preceding this expression.
    const before = x.comments.before;
    if (before.length > 0) {
      // Line comments must be at the current margin.
      this.trim();
      if (this.indent() > 0) {
        // There's other text on the line. Start a new line.
        this.print("\n");
      }
      // Re-indent to margin.
      this.print("\t".repeat(this.margin));
      for (const com of before) {
        this.print(trimSpace(com.token));
        this.newline();
      }
    }

    switch (x.kind) {
      case "comments":
        // done
        break;
      case "lparen":
        this.print("(");
        break;
      case "rparen":
        this.print(")");
        break;
      case "line":
        this.tokens(x.token);
        break;
      case "block":
        this.tokens(x.token);
        this.print(" ");
        this.expr(x.lparen);
        this.margin++;
        for (const l of x.line) {
          this.newline();
          this.expr(l);
        }
        this.margin--;
        this.newline();
        this.expr(x.rparen);
        break;
    }

    // Queue end-of-line comments for printing when we reach the end of the
    // line.
    this.comment.push(...x.comments.suffix);
  }

  tokens(tokens: readonly string[]) {
    let sep = "";
    for (const t of tokens) {
      if (t === "," || t === ")" || t === "]" || t === "}") sep = "";
      this.print(sep + t);
      sep = " ";
      if (t === "(" || t === "[" || t === "{") sep = "";
    }
  }
}
