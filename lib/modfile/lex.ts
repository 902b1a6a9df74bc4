/**
 * The go.mod and go.work syntax: tokens, positions, comments and blocks.
 *
 * Mirrors golang.org/x/mod/modfile/read.go (x/mod as vendored in go1.26):
 * the lexer, the line/block parser and the assignment of comments to syntax.
 * A behaviour change here needs a failing table or differential test first:
 * the go command rejects or accepts files by these rules.
 *
 * The lexer works on UTF-8 bytes, as Go's does, so positions (line, rune
 * column, byte offset) agree with Go's even for non-ASCII input. Token texts
 * are decoded to JavaScript strings; bytes that are not valid UTF-8 become
 * U+FFFD there (Go would keep the raw bytes).
 *
 * @module
 */

import { ModFileError, ModFileErrorList } from "./error.ts";
import { isPrint, isSpace, trimSpace } from "./_strings.ts";
import { quoteRune } from "./_strconv.ts";

/** A Position is a place in a file. */
export interface Position {
  /** Line, starting at 1. */
  line: number;
  /** Rune (code point) within the line, starting at 1. */
  lineRune: number;
  /** Byte offset in the file, starting at 0. */
  byte: number;
}

/** A Comment is a single // comment. */
export interface Comment {
  /** Where the "//" starts. */
  start: Position;
  /** The comment text including "//", without the trailing newline; "" marks a kept blank line. */
  token: string;
  /** Whether the comment ends a line of tokens (rather than being alone on its line). */
  suffix: boolean;
}

/** Comments are the comments attached to one piece of syntax. */
export interface Comments {
  /** Whole-line comments before the expression. */
  before: Comment[];
  /** End-of-line comments after the expression. */
  suffix: Comment[];
  /** For the file only: whole-line comments after the last statement. */
  after: Comment[];
}

/** A CommentBlock is a top-level block of comments separate from any directive. */
export interface CommentBlock {
  kind: "comments";
  comments: Comments;
  start: Position;
}

/** A Line is a single line of tokens: a directive, or one line inside a block. */
export interface Line {
  kind: "line";
  comments: Comments;
  /** Position of the first token. */
  start: Position;
  /** The tokens as written (quoted strings keep their quotes). */
  token: string[];
  /** Whether the line is inside a `verb ( ... )` block (then token has no verb). */
  inBlock: boolean;
  /** Position just after the last token. */
  end: Position;
}

/** An LParen is the "(" opening a block; it holds the block's suffix comments. */
export interface LParen {
  kind: "lparen";
  comments: Comments;
  pos: Position;
}

/** An RParen is the ")" closing a block; it holds comments before it. */
export interface RParen {
  kind: "rparen";
  comments: Comments;
  pos: Position;
}

/** A LineBlock is a factored block of lines: `require ( ... )`. */
export interface LineBlock {
  kind: "block";
  comments: Comments;
  start: Position;
  lparen: LParen;
  /** The tokens before "(" (normally just the verb). */
  token: string[];
  line: Line[];
  rparen: RParen;
}

/** An Expr is a top-level statement. */
export type Expr = CommentBlock | Line | LineBlock;

/** A FileSyntax is a whole go.mod or go.work file as syntax. */
export interface FileSyntax {
  kind: "file";
  /** File name, as given to the parser. */
  name: string;
  comments: Comments;
  stmt: Expr[];
}

type Node = FileSyntax | Expr | LParen | RParen;

function noComments(): Comments {
  return { before: [], suffix: [], after: [] };
}

// add returns the position at the end of s, assuming it starts at p.
function add(p: Position, s: string): Position {
  const q = { ...p };
  q.byte += utf8Len(s);
  const nl = s.lastIndexOf("\n");
  if (nl >= 0) {
    q.line += s.split("\n").length - 1;
    s = s.slice(nl + 1);
    q.lineRune = 1;
  }
  q.lineRune += [...s].length;
  return q;
}

function utf8Len(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** span returns the start and end of x, excluding comments (Go's Expr.Span). */
export function span(x: Node): [Position, Position] {
  switch (x.kind) {
    case "file": {
      if (x.stmt.length === 0) {
        const zero = { line: 0, lineRune: 0, byte: 0 };
        return [zero, zero];
      }
      return [span(x.stmt[0])[0], span(x.stmt[x.stmt.length - 1])[1]];
    }
    case "comments":
      return [x.start, x.start];
    case "line":
      return [x.start, x.end];
    case "block":
      return [x.start, add(x.rparen.pos, ")")];
    case "lparen":
    case "rparen":
      return [x.pos, add(x.pos, ")")];
  }
}

// Token kinds: EOF and the comment/identifier/string kinds are negative;
// newline and punctuation are their character codes, as in Go.
const EOF = -1;
const EOLCOMMENT = -2;
const IDENT = -3;
const STRING = -4;
const COMMENT = -5;
const NL = 0x0a;
const LPAREN = 0x28;
const RPAREN = 0x29;

function isComment(k: number): boolean {
  return k === COMMENT || k === EOLCOMMENT;
}

// isEOL reports whether a token kind terminates a line.
function isEOL(k: number): boolean {
  return k === EOF || k === EOLCOMMENT || k === NL;
}

interface Token {
  kind: number;
  pos: Position;
  endPos: Position;
  text: string;
}

const RUNE_ERROR = 0xfffd;

// decodeRune mirrors utf8.DecodeRune: invalid or short encodings decode as
// U+FFFD with width 1.
function decodeRune(b: Uint8Array, i: number): [number, number] {
  const n = b.length - i;
  if (n < 1) return [RUNE_ERROR, 0];
  const c0 = b[i];
  if (c0 < 0x80) return [c0, 1];
  const cont = (k: number, lo = 0x80, hi = 0xbf) =>
    i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    if (!cont(1)) return [RUNE_ERROR, 1];
    return [((c0 & 0x1f) << 6) | (b[i + 1] & 0x3f), 2];
  }
  if (c0 >= 0xe0 && c0 <= 0xef) {
    const lo = c0 === 0xe0 ? 0xa0 : 0x80;
    const hi = c0 === 0xed ? 0x9f : 0xbf;
    if (!cont(1, lo, hi) || !cont(2)) return [RUNE_ERROR, 1];
    return [((c0 & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f), 3];
  }
  if (c0 >= 0xf0 && c0 <= 0xf4) {
    const lo = c0 === 0xf0 ? 0x90 : 0x80;
    const hi = c0 === 0xf4 ? 0x8f : 0xbf;
    if (!cont(1, lo, hi) || !cont(2) || !cont(3)) return [RUNE_ERROR, 1];
    return [
      ((c0 & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) |
      (b[i + 3] & 0x3f),
      4,
    ];
  }
  return [RUNE_ERROR, 1];
}

const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

// A panic stops the parse, as Go's in.Error does; parseSyntax recovers it.
class Stop {}

// Input is the state of one parse (Go's *input).
class Input {
  readonly filename: string;
  readonly complete: Uint8Array;
  // remaining input starts at offset pos.byte.
  tokenStart = 0;
  token: Token;
  pos: Position = { line: 1, lineRune: 1, byte: 0 };
  comments: Comment[] = [];
  file: FileSyntax = { kind: "file", name: "", comments: noComments(), stmt: [] };
  parseErrors: ModFileError[] = [];
  pre: Node[] = [];
  post: Node[] = [];

  constructor(filename: string, data: Uint8Array) {
    this.filename = filename;
    this.complete = data;
    this.token = { kind: EOF, pos: this.pos, endPos: this.pos, text: "" };
  }

  // error records an error at the current position and stops the parse.
  error(s: string): never {
    this.parseErrors.push(
      new ModFileError({
        file: this.filename,
        line: this.pos.line,
        col: this.pos.lineRune,
        byte: this.pos.byte,
        detail: s,
      }),
    );
    throw new Stop();
  }

  eof(): boolean {
    return this.pos.byte >= this.complete.length;
  }

  peekRune(): number {
    if (this.eof()) return 0;
    return decodeRune(this.complete, this.pos.byte)[0];
  }

  // peekPrefix reports whether the remaining input begins with the ASCII prefix.
  peekPrefix(prefix: string): boolean {
    for (let i = 0; i < prefix.length; i++) {
      const j = this.pos.byte + i;
      if (j >= this.complete.length || this.complete[j] !== prefix.charCodeAt(i)) return false;
    }
    return true;
  }

  readRune(): number {
    if (this.eof()) this.error("internal lexer error: readRune at EOF");
    const [r, size] = decodeRune(this.complete, this.pos.byte);
    const p = { ...this.pos };
    if (r === NL) {
      p.line++;
      p.lineRune = 1;
    } else {
      p.lineRune++;
    }
    p.byte += size;
    this.pos = p;
    return r;
  }

  startToken() {
    this.tokenStart = this.pos.byte;
    this.token = { kind: EOF, pos: this.pos, endPos: this.pos, text: "" };
  }

  // endToken records the token's text. A single trailing newline (LF or CRLF)
  // is removed from comment tokens.
  endToken(kind: number) {
    let text = decoder.decode(this.complete.subarray(this.tokenStart, this.pos.byte));
    if (isComment(kind)) {
      if (text.endsWith("\r\n")) text = text.slice(0, -2);
      else if (text.endsWith("\n")) text = text.slice(0, -1);
    }
    this.token = { kind, pos: this.token.pos, endPos: this.pos, text };
  }

  peek(): number {
    return this.token.kind;
  }

  lex(): Token {
    const tok = this.token;
    this.readToken();
    return tok;
  }

  readToken() {
    // Skip past spaces, stopping at non-space or EOF.
    while (!this.eof()) {
      const c = this.peekRune();
      if (c === 0x20 || c === 0x09 || c === 0x0d) {
        this.readRune();
        continue;
      }

      // Comment runs to end of line.
      if (this.peekPrefix("//")) {
        this.startToken();

        // Is this comment the only thing on its line? Find the last \n
        // before this // and see if it's all spaces from there to here.
        const i = this.complete.subarray(0, this.pos.byte).lastIndexOf(NL);
        const before = decoder.decode(this.complete.subarray(i + 1, this.pos.byte));
        const suffix = trimSpace(before).length > 0;
        this.readRune();
        this.readRune();

        // Consume comment.
        while (!this.eof() && this.readRune() !== NL) {
          // keep reading
        }

        // At top level (not in a statement), the comment is a token: the
        // grammar handles top-level comments itself.
        if (!suffix) {
          this.endToken(COMMENT);
          return;
        }

        // Otherwise, save the comment for later attachment to syntax.
        this.endToken(EOLCOMMENT);
        this.comments.push({ start: this.token.pos, token: this.token.text, suffix });
        return;
      }

      if (this.peekPrefix("/*")) {
        this.error("mod files must use // comments (not /* */ comments)");
      }

      // Found non-space non-comment.
      break;
    }

    // Found the beginning of the next token.
    this.startToken();

    if (this.eof()) {
      this.endToken(EOF);
      return;
    }

    // Punctuation tokens.
    const c = this.peekRune();
    switch (c) {
      case NL:
      case LPAREN:
      case RPAREN:
      case 0x5b: // [
      case 0x5d: // ]
      case 0x7b: // {
      case 0x7d: // }
      case 0x2c: // ,
        this.readRune();
        this.endToken(c);
        return;
      case 0x22: // "
      case 0x60: { // `
        const quote = c;
        this.readRune();
        for (;;) {
          if (this.eof()) {
            this.pos = this.token.pos;
            this.error("unexpected EOF in string");
          }
          if (this.peekRune() === NL) this.error("unexpected newline in string");
          const r = this.readRune();
          if (r === quote) break;
          if (r === 0x5c && quote !== 0x60) {
            if (this.eof()) {
              this.pos = this.token.pos;
              this.error("unexpected EOF in string");
            }
            this.readRune();
          }
        }
        this.endToken(STRING);
        return;
      }
    }

    // Checked all punctuation. Must be identifier token.
    if (!isIdent(c)) this.error(`unexpected input character ${quoteRune(c)}`);

    // Scan over identifier.
    while (isIdent(this.peekRune())) {
      if (this.peekPrefix("//")) break;
      if (this.peekPrefix("/*")) this.error("mod files must use // comments (not /* */ comments)");
      this.readRune();
    }
    this.endToken(IDENT);
  }

  // order walks x adding it and its subexpressions to the preorder and
  // postorder lists.
  order(x: Node) {
    this.pre.push(x);
    switch (x.kind) {
      case "file":
        for (const stmt of x.stmt) this.order(stmt);
        break;
      case "block":
        this.order(x.lparen);
        for (const l of x.line) this.order(l);
        this.order(x.rparen);
        break;
    }
    this.post.push(x);
  }

  // assignComments attaches comments to nearby syntax: each whole-line
  // comment to the syntax immediately following it (by the preorder list),
  // each end-of-line comment to the syntax immediately preceding it (by the
  // postorder list).
  assignComments() {
    this.order(this.file);

    const line: Comment[] = [];
    const suffix: Comment[] = [];
    for (const com of this.comments) (com.suffix ? suffix : line).push(com);

    // Assign line comments to syntax immediately following.
    let li = 0;
    for (const x of this.pre) {
      const [start] = span(x);
      const xcom = x.comments;
      while (li < line.length && start.byte >= line[li].start.byte) {
        xcom.before.push(line[li]);
        li++;
      }
    }

    // Remaining line comments go at end of file.
    this.file.comments.after.push(...line.slice(li));

    // Assign suffix comments to syntax immediately before.
    for (let i = this.post.length - 1; i >= 0; i--) {
      const x = this.post[i];
      const [start, end] = span(x);

      // Do not assign suffix comments to the whole file.
      if (x.kind === "file") continue;

      // Do not assign suffix comments to something that starts on an earlier
      // line, so that in
      //
      //	x ( y
      //		z ) // comment
      //
      // the comment goes to z and not to x ( ... ).
      if (start.line !== end.line) continue;
      const xcom = x.comments;
      while (suffix.length > 0 && end.byte <= suffix[suffix.length - 1].start.byte) {
        xcom.suffix.push(suffix.pop()!);
      }
    }

    // Suffix comments were assigned in reverse.
    for (const x of this.post) x.comments.suffix.reverse();

    // Remaining suffix comments go at beginning of file.
    this.file.comments.before.push(...suffix);
  }

  parseFile() {
    let cb: CommentBlock | undefined;
    for (;;) {
      switch (this.peek()) {
        case NL:
          this.lex();
          if (cb !== undefined) {
            this.file.stmt.push(cb);
            cb = undefined;
          }
          break;
        case COMMENT: {
          const tok = this.lex();
          cb ??= { kind: "comments", comments: noComments(), start: tok.pos };
          cb.comments.before.push({ start: tok.pos, token: tok.text, suffix: false });
          break;
        }
        case EOF:
          if (cb !== undefined) this.file.stmt.push(cb);
          return;
        default:
          this.parseStmt();
          if (cb !== undefined) {
            this.file.stmt[this.file.stmt.length - 1].comments.before = cb.comments.before;
            cb = undefined;
          }
      }
    }
  }

  parseStmt() {
    const tok = this.lex();
    const start = tok.pos;
    let end = tok.endPos;
    const tokens = [tok.text];
    for (;;) {
      const tok = this.lex();
      if (isEOL(tok.kind)) {
        this.file.stmt.push({
          kind: "line",
          comments: noComments(),
          start,
          token: tokens,
          inBlock: false,
          end,
        });
        return;
      }
      if (tok.kind === LPAREN) {
        const next = this.peek();
        if (isEOL(next)) {
          // Start of block: no more tokens on this line.
          this.file.stmt.push(this.parseLineBlock(start, tokens, tok));
          return;
        } else if (next === RPAREN) {
          const rparen = this.lex();
          if (isEOL(this.peek())) {
            // Empty block.
            this.lex();
            this.file.stmt.push({
              kind: "block",
              comments: noComments(),
              start,
              token: tokens,
              lparen: { kind: "lparen", comments: noComments(), pos: tok.pos },
              line: [],
              rparen: { kind: "rparen", comments: noComments(), pos: rparen.pos },
            });
            return;
          }
          // '( )' in the middle of the line, not a block.
          tokens.push(tok.text, rparen.text);
        } else {
          // '(' in the middle of the line, not a block.
          tokens.push(tok.text);
        }
        continue;
      }
      tokens.push(tok.text);
      end = tok.endPos;
    }
  }

  parseLineBlock(start: Position, token: string[], lparen: Token): LineBlock {
    const x: LineBlock = {
      kind: "block",
      comments: noComments(),
      start,
      token,
      lparen: { kind: "lparen", comments: noComments(), pos: lparen.pos },
      line: [],
      rparen: { kind: "rparen", comments: noComments(), pos: lparen.pos },
    };
    const blank = (): Comment => ({
      start: { line: 0, lineRune: 0, byte: 0 },
      token: "",
      suffix: false,
    });
    const isBlank = (c: Comment) =>
      c.token === "" && !c.suffix && c.start.line === 0 && c.start.lineRune === 0 &&
      c.start.byte === 0;
    let comments: Comment[] = [];
    for (;;) {
      switch (this.peek()) {
        case EOLCOMMENT:
          // Suffix comment, attached later by assignComments.
          this.lex();
          break;
        case NL:
          // Blank line. Add an empty comment to preserve it.
          this.lex();
          if (
            (comments.length === 0 && x.line.length > 0) ||
            (comments.length > 0 && comments[comments.length - 1].token !== "")
          ) {
            comments.push(blank());
          }
          break;
        case COMMENT: {
          const tok = this.lex();
          comments.push({ start: tok.pos, token: tok.text, suffix: false });
          break;
        }
        case EOF:
          this.error(
            `syntax error (unterminated block started at ${this.filename}:${x.start.line}:${x.start.lineRune})`,
          );
          break;
        case RPAREN: {
          const rparen = this.lex();
          // Don't preserve blank lines (a single empty comment, added above)
          // at the end of the block.
          if (comments.length === 1 && isBlank(comments[0])) comments = [];
          x.rparen.comments.before = comments;
          x.rparen.pos = rparen.pos;
          if (!isEOL(this.peek())) {
            this.error("syntax error (expected newline after closing paren)");
          }
          this.lex();
          return x;
        }
        default: {
          const l = this.parseLine();
          x.line.push(l);
          l.comments.before = comments;
          comments = [];
        }
      }
    }
  }

  parseLine(): Line {
    const tok = this.lex();
    if (isEOL(tok.kind)) this.error("internal parse error: parseLine at end of line");
    const start = tok.pos;
    let end = tok.endPos;
    const tokens = [tok.text];
    for (;;) {
      const tok = this.lex();
      if (isEOL(tok.kind)) {
        return { kind: "line", comments: noComments(), start, token: tokens, end, inBlock: true };
      }
      tokens.push(tok.text);
      end = tok.endPos;
    }
  }
}

// isIdent reports whether c is an identifier rune: most printable runes,
// except for a handful of ASCII punctuation characters.
function isIdent(c: number): boolean {
  switch (c) {
    case 0x20:
    case LPAREN:
    case RPAREN:
    case 0x5b:
    case 0x5d:
    case 0x7b:
    case 0x7d:
    case 0x2c:
      return false;
    default:
      return !isSpace(c) && isPrint(c);
  }
}

/**
 * parseSyntax parses data as go.mod syntax (Go's unexported modfile.parse):
 * lines, blocks and comments, with no meaning given to directives.
 *
 * @param file the file name used in positions and errors
 * @param data the file's contents; a string is encoded as UTF-8
 * @throws {ModFileErrorList} holding the one syntax error that stopped the parse
 *
 * @example Lines and blocks
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSyntax } from "./lex.ts";
 * const f = parseSyntax("go.mod", "go 1.22 // comment\nuse (\n\t./a\n)\n");
 * assert.deepEqual(f.stmt.map((s) => s.kind), ["line", "block"]);
 * ```
 */
export function parseSyntax(file: string, data: string | Uint8Array): FileSyntax {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const input = new Input(file, bytes);
  try {
    // Prime the lexer by reading in the first token.
    input.readToken();
    input.parseFile();
  } catch (e) {
    if (!(e instanceof Stop)) {
      // A bug in the parser: report it like Go's recover does, at the
      // current position, instead of crashing the caller.
      input.parseErrors.push(
        new ModFileError({
          file,
          line: input.pos.line,
          col: input.pos.lineRune,
          byte: input.pos.byte,
          detail: `internal error: ${e instanceof Error ? e.message : String(e)}`,
        }),
      );
    }
  }
  if (input.parseErrors.length > 0) throw new ModFileErrorList(input.parseErrors);
  input.file.name = file;
  input.assignComments();
  return input.file;
}
