import assert from "node:assert/strict";
import { type Comments, type FileSyntax, parseSyntax, span } from "./lex.ts";
import { parseLax } from "./parse.ts";

// tokensOf flattens a file's statements as x/mod's TestParsePunctuation does.
function tokensOf(f: FileSyntax): string {
  const tokens: string[] = [];
  for (const stmt of f.stmt) {
    switch (stmt.kind) {
      case "line":
        tokens.push(...stmt.token);
        break;
      case "block":
        tokens.push(...stmt.token, "(");
        for (const line of stmt.line) tokens.push(...line.token);
        tokens.push(")");
        break;
      default:
        throw new Error(`unexpected statement of kind ${stmt.kind}`);
    }
  }
  return tokens.join(" ");
}

// From golang.org/x/mod modfile/read_test.go TestParsePunctuation: ASCII
// punctuation (brackets, commas) is lexed as separate tokens, even when
// surrounded by identifier characters.
const parsePunctuationTests: [desc: string, src: string, want: string][] = [
  ["paren", "require ()", "require ( )"],
  ["brackets", "require []{},", "require [ ] { } ,"],
  ["mix", "require a[b]c{d}e,", "require a [ b ] c { d } e ,"],
  ["block_mix", "require (\n\ta[b]\n)", "require ( a [ b ] )"],
  ["interval", "require [v1.0.0, v1.1.0)", "require [ v1.0.0 , v1.1.0 )"],
];

Deno.test("parseSyntax() lexes punctuation as tokens (TestParsePunctuation)", async (t) => {
  for (const [desc, src, want] of parsePunctuationTests) {
    await t.step(`${desc}: ${JSON.stringify(src)} → ${want}`, () => {
      assert.equal(tokensOf(parseSyntax("go.mod", src)), want);
    });
  }
});

// More token rows: quoting, comments ending tokens, '(' in mid-line.
const tokenTests: [src: string, want: string][] = [
  ['module "a b" `c d`', 'module "a b" `c d`'],
  ["go 1.21//x", "go 1.21"],
  ["go 1.21 // x", "go 1.21"],
  ["a ( b", "a ( b"],
  ["a ( ) b", "a ( ) b"],
  ["x\t\r y\r\n", "x y"],
  ['m "a\\"b"', 'm "a\\"b"'],
  ["a\"b'c`d", "a\"b'c`d"],
  ["é ü", "é ü"],
];

Deno.test("parseSyntax() splits lines into tokens", async (t) => {
  for (const [src, want] of tokenTests) {
    await t.step(`${JSON.stringify(src)} → ${want}`, () => {
      assert.equal(tokensOf(parseSyntax("go.mod", src)), want);
    });
  }
});

// printComments renders comment assignment as x/mod's TestComments does.
function printComments(prefix: string, cs: Comments, out: string[]) {
  for (const c of cs.before) out.push(`${prefix} before ${JSON.stringify(c.token)}`);
  for (const c of cs.suffix) out.push(`${prefix} suffix ${JSON.stringify(c.token)}`);
  for (const c of cs.after) out.push(`${prefix} after ${JSON.stringify(c.token)}`);
}

// From golang.org/x/mod modfile/read_test.go TestComments (Go's %q and
// JSON quote these tokens alike).
const commentsTests: [desc: string, input: string, want: string][] = [
  [
    "comment_only",
    `
// a
// b
`,
    `
comments before "// a"
comments before "// b"
`,
  ],
  [
    "line",
    `
// a

// b
module m // c
// d

// e
`,
    `
comments before "// a"
line before "// b"
line suffix "// c"
comments before "// d"
comments before "// e"
`,
  ],
  [
    "block",
    `
// a

// b
block ( // c
	// d

	// e
	x // f
	// g

	// h
) // i
// j

// k
`,
    `
comments before "// a"
block before "// b"
lparen suffix "// c"
blockline before "// d"
blockline before ""
blockline before "// e"
blockline suffix "// f"
rparen before "// g"
rparen before ""
rparen before "// h"
rparen suffix "// i"
comments before "// j"
comments before "// k"
`,
  ],
  ["cr_removed", "// a\r\r\n", `comments before "// a\\r"`],
];

Deno.test("parseLax() assigns comments to syntax (TestComments)", async (t) => {
  for (const [desc, input, want] of commentsTests) {
    await t.step(desc, () => {
      const f = parseLax("go.mod", input);
      const out: string[] = [];
      printComments("file", f.syntax.comments, out);
      for (const stmt of f.syntax.stmt) {
        switch (stmt.kind) {
          case "comments":
            printComments("comments", stmt.comments, out);
            break;
          case "line":
            printComments("line", stmt.comments, out);
            break;
          case "block":
            printComments("block", stmt.comments, out);
            printComments("lparen", stmt.lparen.comments, out);
            for (const line of stmt.line) printComments("blockline", line.comments, out);
            printComments("rparen", stmt.rparen.comments, out);
            break;
        }
      }
      assert.equal(out.join("\n"), want.trim());
    });
  }
});

Deno.test("parseSyntax() positions count lines, runes and UTF-8 bytes", () => {
  const f = parseSyntax("go.mod", "// é\nmodule é/ü // x\n\nrequire (\n\tb v1\n)\n");
  const [m, r] = f.stmt;
  assert.equal(m.kind, "line");
  assert.deepEqual(span(m), [
    { line: 2, lineRune: 1, byte: 6 },
    { line: 2, lineRune: 11, byte: 18 },
  ]);
  assert.equal(r.kind, "block");
  if (r.kind !== "block") return;
  assert.deepEqual(r.line[0].start, { line: 5, lineRune: 2, byte: 36 });
  assert.deepEqual(span(r)[1], { line: 6, lineRune: 2, byte: 42 });
  assert.deepEqual(m.comments.before.map((c) => c.token), ["// é"]);
  assert.deepEqual(m.comments.suffix.map((c) => [c.token, c.suffix]), [["// x", true]]);
});

Deno.test("parseSyntax() reads invalid UTF-8 as identifier runes, as Go does", () => {
  // 0xff is not UTF-8; Go decodes it as U+FFFD (width 1), which is printable.
  const bytes = new Uint8Array([0x6d, 0x20, 0xff, 0x61, 0x0a, 0x67, 0x6f, 0x20, 0x31, 0x0a]);
  const f = parseSyntax("go.mod", bytes);
  const [m, g] = f.stmt;
  assert.equal(m.kind === "line" && m.token[1], "\ufffda");
  assert.deepEqual(g.kind === "line" && g.start, { line: 2, lineRune: 1, byte: 5 });
  assert.deepEqual(m.kind === "line" && m.end, { line: 1, lineRune: 5, byte: 4 });
});

Deno.test("parseSyntax() keeps a blank line inside a block as an empty comment", () => {
  const f = parseSyntax("go.mod", "require (\n\ta v1\n\n\tb v1\n\n)\n");
  const b = f.stmt[0];
  assert.equal(b.kind, "block");
  if (b.kind !== "block") return;
  assert.deepEqual(b.line[1].comments.before.map((c) => c.token), [""]);
  // A blank line just before ")" is dropped.
  assert.deepEqual(b.rparen.comments.before, []);
});
