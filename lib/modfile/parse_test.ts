import assert from "node:assert/strict";
import { loadFixtures, summarize } from "./_fixtures.ts";
import { ModFileError, ModFileErrorList } from "./error.ts";
import {
  autoQuote,
  defaultGoModVersion,
  defaultGoWorkVersion,
  isDirectoryPath,
  mustQuote,
  parse,
  parseLax,
  parseWork,
  posString,
} from "./parse.ts";

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ModFileErrorList) return e.message;
    throw e;
  }
  return "";
}

// From golang.org/x/mod modfile/read_test.go TestParseVersions. The stored
// upstream copy predates the toolchain syntax change ("toolchain local" →
// "default", ToolchainRE); rows tool3 and tool4 follow the x/mod vendored in
// go1.26, checked against go1.26's `go mod edit`, and "tool4-local" is added.
const parseVersionsTests: { desc: string; input: string; ok: boolean; laxOK?: boolean }[] = [
  // go lines
  { desc: "empty", input: "module m\ngo \n", ok: false },
  { desc: "one", input: "module m\ngo 1\n", ok: false },
  { desc: "two", input: "module m\ngo 1.22\n", ok: true },
  { desc: "three", input: "module m\ngo 1.22.333", ok: true },
  { desc: "before", input: "module m\ngo v1.2\n", ok: false },
  { desc: "after", input: "module m\ngo 1.2rc1\n", ok: true },
  { desc: "space", input: "module m\ngo 1.2 3.4\n", ok: false },
  { desc: "alt1", input: "module m\ngo 1.2.3\n", ok: true },
  { desc: "alt2", input: "module m\ngo 1.2rc1\n", ok: true },
  { desc: "alt3", input: "module m\ngo 1.2beta1\n", ok: true },
  { desc: "alt4", input: "module m\ngo 1.2.beta1\n", ok: false, laxOK: true },
  { desc: "alt1", input: "module m\ngo v1.2.3\n", ok: false, laxOK: true },
  { desc: "alt2", input: "module m\ngo v1.2rc1\n", ok: false, laxOK: true },
  { desc: "alt3", input: "module m\ngo v1.2beta1\n", ok: false, laxOK: true },
  { desc: "alt4", input: "module m\ngo v1.2.beta1\n", ok: false, laxOK: true },
  { desc: "alt1", input: "module m\ngo v1.2\n", ok: false, laxOK: true },

  // toolchain lines
  { desc: "tool", input: "module m\ntoolchain go1.2\n", ok: true },
  { desc: "tool1", input: "module m\ntoolchain go1.2.3\n", ok: true },
  { desc: "tool2", input: "module m\ntoolchain go1.2rc1\n", ok: true },
  { desc: "tool3", input: "module m\ntoolchain gccgo-go1.2rc1\n", ok: false, laxOK: true },
  { desc: "tool4", input: "module m\ntoolchain default\n", ok: true },
  { desc: "tool4-local", input: "module m\ntoolchain local\n", ok: false, laxOK: true },
  { desc: "tool5", input: "module m\ntoolchain inconceivable!\n", ok: false, laxOK: true },
];

Deno.test("parse() and parseLax() accept go and toolchain versions as x/mod does", async (t) => {
  for (const test of parseVersionsTests) {
    await t.step(`Strict/${test.desc} ${JSON.stringify(test.input)}`, () => {
      const err = errorOf(() => parse("go.mod", test.input));
      if (err === "" && !test.ok) assert.fail("unexpected success");
      if (err !== "" && test.ok) assert.fail(`unexpected error: ${err}`);
    });
    await t.step(`Lax/${test.desc} ${JSON.stringify(test.input)}`, () => {
      const err = errorOf(() => parseLax("go.mod", test.input));
      if (err === "" && !(test.ok || test.laxOK)) assert.fail("unexpected success");
      if (err !== "" && test.ok) assert.fail(`unexpected error: ${err}`);
    });
  }
});

// What lax mode makes of a go line (x/mod laxGoVersionRE keeps group 1), or
// the error it still gives. Checked against x/mod as vendored in go1.26.
const laxGoTests: [input: string, want: string][] = [
  ["1.2.beta1", "1.2"],
  ["v1.2.3", "1.2"],
  ["v1.2rc1", "1.2"],
  ["v1.17.0-rc.2", "1.17"],
  ["1.17.0-rc.2", "1.17"],
  ["1.21.0", "1.21.0"],
  ["1.22", "1.22"],
  // Nothing after the minor version: laxGoVersionRE needs a non-digit there.
  ["v1.2", "error: go.mod:1: invalid go version 'v1.2': must match format 1.23.0"],
  ["1", "error: go.mod:1: invalid go version '1': must match format 1.23.0"],
  ["X.Y", "error: go.mod:1: invalid go version 'X.Y': must match format 1.23.0"],
  ["01.2.x", "error: go.mod:1: invalid go version '01.2.x': must match format 1.23.0"],
];

Deno.test("parseLax() reads a dependency's go line", async (t) => {
  for (const [input, want] of laxGoTests) {
    const data = `go ${input}\n`;
    const err = errorOf(() => parseLax("go.mod", data));
    const got = err !== "" ? `error: ${err}` : parseLax("go.mod", data).go!.version;
    await t.step(`parseLax(${JSON.stringify(data)}).go = ${want}`, () => assert.equal(got, want));
  }
});

Deno.test("parseLax() rewrites the go token as x/mod does", () => {
  const f = parseLax("go.mod", "go v1.17.0-rc.2\n");
  const line = f.syntax.stmt[0];
  assert.equal(line.kind, "line");
  assert.deepEqual(line.kind === "line" && line.token, ["go", "1.17"]);
});

// From x/mod modfile/read_test.go TestParseLax: lax mode ignores everything
// it does not need, even junk.
Deno.test("parseLax() ignores irrelevant errors (TestParseLax)", () => {
  const badFile = `module m
		surprise attack
		x y (
			z
		)
		exclude v1.2.3
		replace <-!!!
		retract v1.2.3 v1.2.4
		retract (v1.2.3, v1.2.4]
		retract v1.2.3 (
			key1 value1
			key2 value2
		)
		require good v1.0.0
	`;
  const f = parseLax("file", badFile);
  assert.equal(f.module?.path, "m");
  assert.equal(f.require.length, 1);
  assert.equal(f.require[0].mod.path, "good");
  // The surprise line, the x y block, exclude, replace, and the retract
  // block with two tokens before its paren.
  assert.deepEqual(f.ignored.map((x) => x.start.line), [2, 3, 6, 7, 10]);
  assert.throws(() => parse("file", badFile), ModFileErrorList);
});

// Error texts, in the go command's words. Inputs here are the ones a txtar
// fixture cannot hold (no final newline, CR) or that are too small for a
// file; the others are testdata/errors/*.txtar, also run against the real go
// command by gocmd_test.ts. Expected texts checked against x/mod in go1.26.
const errorTests: [desc: string, mode: "mod" | "lax" | "work", input: string, want: string][] = [
  ["EOF in string", "mod", 'module "abc', "go.mod:1:8: unexpected EOF in string"],
  [
    "EOF in raw string",
    "mod",
    "module m\nreplace a => `./b",
    "go.mod:2:14: unexpected EOF in string",
  ],
  ["EOF after backslash", "mod", 'module "ab\\', "go.mod:1:8: unexpected EOF in string"],
  [
    "newline in string after CR",
    "mod",
    'module "a\r\n"',
    "go.mod:1:11: unexpected newline in string",
  ],
  ["NUL", "mod", "module m\x00\n", "go.mod:1:9: unexpected input character '\\x00'"],
  ["DEL", "mod", "module m\x7f\n", "go.mod:1:9: unexpected input character '\\x7f'"],
  ["NEL", "mod", "module m\u0085\n", "go.mod:1:9: unexpected input character '\\u0085'"],
  ["NBSP", "mod", "module m\u00a0x\n", "go.mod:1:9: unexpected input character '\\u00a0'"],
  ["line separator", "mod", "go 1.21\u2028\n", "go.mod:1:8: unexpected input character '\\u2028'"],
  ["form feed", "mod", "\fmodule m\n", "go.mod:1: unexpected input character '\\f'"],
  [
    "slash star in token",
    "mod",
    "module a/*b\n",
    "go.mod:1:9: mod files must use // comments (not /* */ comments)",
  ],
  [
    "unterminated block at EOF",
    "mod",
    "require (",
    "go.mod:1:10: syntax error (unterminated block started at go.mod:1:1)",
  ],
  ["go line lax", "lax", "go 1.2 3.4", "go.mod:1: go directive expects exactly one argument"],
  [
    "octal escape out of range",
    "mod",
    'module "\\400"\n',
    "go.mod:1: invalid quoted string: invalid syntax",
  ],
  [
    "single quote escape",
    "mod",
    'module "\\\'"\n',
    "go.mod:1: invalid quoted string: invalid syntax",
  ],
  [
    "surrogate escape",
    "mod",
    'module "\\ud800"\n',
    "go.mod:1: invalid quoted string: invalid syntax",
  ],
  [
    "retract bad quote",
    "mod",
    'module m\nretract "v1\n',
    "go.mod:2:12: unexpected newline in string",
  ],
  [
    "retract quote in version",
    "mod",
    "module m\nretract v1'\n",
    `go.mod:2: retract: version "v1'" invalid: unquoted string cannot contain quote`,
  ],
  [
    "require quoted bad version",
    "mod",
    'module m\nrequire x "v1\\q"\n',
    `go.mod:2: require x: version "\\"v1\\\\q\\"" invalid: invalid syntax`,
  ],
  [
    "replace invalid module path",
    "mod",
    "module m\nreplace x/v1 => ./y\n",
    "go.mod:2: replace x/v1: invalid module path",
  ],
  [
    "require invalid module path",
    "mod",
    "module m\nrequire gopkg.in/yaml v1.0.0\n",
    "go.mod:2: invalid module path",
  ],
  [
    "replace Windows path",
    "mod",
    "module m\nreplace a => .\\b\nreplace c => C:\\d\n",
    "go.mod:2: replacement directory appears to be Windows path (on a non-windows system)\ngo.mod:3: replacement directory appears to be Windows path (on a non-windows system)",
  ],
  [
    "work lax-style go version",
    "work",
    "go 1.22.beta1\n",
    "go.mod:1: invalid go version '1.22.beta1': must match format 1.23.0",
  ],
  ["work godebug", "work", "godebug (\n\tx\n)\n", "go.mod:2:2: usage: godebug key=value"],
  [
    "work unknown block with two tokens",
    "work",
    "use a (\n)\n",
    "go.mod:1: unknown block type: use a",
  ],
];

Deno.test("parse(), parseLax() and parseWork() report x/mod's errors", async (t) => {
  for (const [desc, mode, input, want] of errorTests) {
    await t.step(`${desc}: ${mode} ${JSON.stringify(input)} fails with ${want}`, () => {
      const read = mode === "mod" ? parse : mode === "lax" ? parseLax : parseWork;
      assert.equal(errorOf(() => read("go.mod", input)), want);
    });
  }
});

Deno.test("ModFileErrorList holds each error with its position", () => {
  let list: ModFileErrorList | undefined;
  try {
    parse("dir/go.mod", "module m\ngodebug (\n\tx\n)\ngo 1.2 3\n");
  } catch (e) {
    if (e instanceof ModFileErrorList) list = e;
  }
  assert.ok(list instanceof SyntaxError);
  assert.equal(list.errors.length, 2);
  const [a, b] = list.errors;
  assert.ok(a instanceof ModFileError && a instanceof SyntaxError);
  assert.deepEqual([a.file, a.line, a.col, a.detail], [
    "dir/go.mod",
    3,
    2,
    "usage: godebug key=value",
  ]);
  assert.equal(a.message, "dir/go.mod:3:2: usage: godebug key=value");
  assert.deepEqual([b.line, b.col, b.byte], [5, 1, 24]);
});

Deno.test("ModFileError formats like modfile.Error.Error", async (t) => {
  const rows: [ConstructorParameters<typeof ModFileError>[0], string][] = [
    [{ file: "go.mod", line: 3, col: 1, detail: "x" }, "go.mod:3: x"],
    [{ file: "go.mod", line: 3, col: 2, detail: "x" }, "go.mod:3:2: x"],
    [{ file: "go.mod", line: 0, col: 0, detail: "x" }, "go.mod: x"],
    [{ file: "", line: 0, col: 0, detail: "x" }, "x"],
    [{ file: "go.mod", line: 2, col: 1, verb: "require", detail: "x" }, "go.mod:2: require: x"],
    [
      { file: "go.mod", line: 2, col: 1, verb: "require", modPath: "a/b", detail: "x" },
      "go.mod:2: require a/b: x",
    ],
  ];
  for (const [init, want] of rows) {
    await t.step(`${JSON.stringify(init)} → ${want}`, () => {
      assert.equal(new ModFileError(init).message, want);
    });
  }
});

Deno.test("parse() keeps positions, quoted paths and canonical versions", () => {
  const data =
    'module "example.com/m" // c\n\ngo 1.22\nrequire (\n\tx v1.2 // indirect\n\ty v1.0.0+meta\n)\n';
  const f = parse("a/go.mod", data);
  assert.equal(f.module?.path, "example.com/m");
  assert.deepEqual(f.go?.pos, { file: "a/go.mod", line: 3, col: 1 });
  assert.equal(posString(f.go!.pos), "a/go.mod:3");
  assert.deepEqual(f.require.map((r) => [r.mod.version, r.indirect, posString(r.pos)]), [
    ["v1.2.0", true, "a/go.mod:5:2"],
    ["v1.0.0", false, "a/go.mod:6:2"],
  ]);
  // As in Go, the syntax tree gets the canonical and unquoted forms.
  const m = f.syntax.stmt[0];
  assert.deepEqual(m.kind === "line" && m.token, ["module", "example.com/m"]);
  const block = f.syntax.stmt[2];
  assert.deepEqual(block.kind === "block" && block.line[0].token, ["x", "v1.2.0"]);
});

Deno.test("parse() and parseWork() apply the default go version when the line is missing", () => {
  assert.equal(defaultGoModVersion, "1.16");
  assert.equal(defaultGoWorkVersion, "1.18");
  const m = parse("go.mod", "module m\n");
  assert.equal(m.go, undefined);
  assert.equal(m.goVersion, "1.16");
  const w = parseWork("go.work", "");
  assert.equal(w.go, undefined);
  assert.equal(w.goVersion, "1.18");
  assert.equal(parse("go.mod", "go 1.21\n").goVersion, "1.21");
});

Deno.test("parse() reads a Uint8Array as UTF-8 bytes", () => {
  const f = parse("go.mod", new TextEncoder().encode("module é\ngo 1.21\n"));
  assert.equal(f.module?.path, "é");
  assert.equal(f.go?.pos.line, 2);
});

// From x/mod modfile/rule_test.go (addGoStmt/dropRequire aside): MustQuote
// and IsDirectoryPath rows, plus the ones parseString relies on.
Deno.test("mustQuote(), autoQuote() and isDirectoryPath()", async (t) => {
  const quote: [string, boolean][] = [
    ["", true],
    ["x", false],
    ["a b", true],
    ["a//b", true],
    ["a/*b", true],
    ["(", false],
    ["((", true],
    ["a,b", true],
    ["é", false],
    ["\u00a0", true],
    ["'", true],
  ];
  for (const [s, want] of quote) {
    await t.step(
      `mustQuote(${JSON.stringify(s)}) = ${want}`,
      () => assert.equal(mustQuote(s), want),
    );
  }
  await t.step('autoQuote("a b") = "\\"a b\\""', () => assert.equal(autoQuote("a b"), '"a b"'));
  const dirs: [string, boolean][] = [
    [".", true],
    ["..", true],
    ["./a", true],
    ["../a", true],
    [".\\a", true],
    ["..\\a", true],
    ["/a", true],
    ["\\a", true],
    ["C:a", true],
    ["c:\\a", true],
    ["a", false],
    [".a", false],
    ["...", false],
    ["example.com/m", false],
    ["1:", false],
  ];
  for (const [s, want] of dirs) {
    await t.step(`isDirectoryPath(${JSON.stringify(s)}) = ${want}`, () => {
      assert.equal(isDirectoryPath(s), want);
    });
  }
});

Deno.test("parse() finds the Deprecated: paragraph as x/mod does", async (t) => {
  // From x/mod modfile/rule_test.go moduleDeprecatedTests (a subset).
  const rows: [desc: string, input: string, want: string][] = [
    ["no_comment", "module m", ""],
    ["other_comment", "// yo\nmodule m", ""],
    ["deprecated_no_colon", "//Deprecated\nmodule m", ""],
    ["deprecated_lowercase", "// deprecated: not a real deprecation message\nmodule m", ""],
    ["suffix", "module m // Deprecated: suffix", "suffix"],
    ["deprecated", "// Deprecated: yo\nmodule m", "yo"],
    ["deprecated_block", "module (\n// Deprecated: yo\nm\n)", "yo"],
    ["deprecated_multiline", "// Deprecated: one\n// two\nmodule m", "one\ntwo"],
    ["deprecated_mixed", "// some other comment\n//\n// Deprecated: yo\nmodule m", "yo"],
    ["deprecated_middle", "// module m is Deprecated: no\nmodule m", ""],
    ["deprecated_multiple", "// Deprecated: a\n//\n// Deprecated: b\nmodule m", "a"],
    ["deprecated_paragraph", "// Deprecated: a\n// b\n//\n// c\nmodule m", "a\nb"],
    [
      "deprecated_paragraph_space",
      "// Deprecated: the next line has a space\n// \n// c\nmodule m",
      "the next line has a space",
    ],
    ["deprecated_suffix", "module m // Deprecated: suffix", "suffix"],
    ["deprecated_mixed_suffix", "// some comment\nmodule m // Deprecated: suffix", ""],
  ];
  for (const [desc, input, want] of rows) {
    await t.step(`${desc}: deprecated = ${JSON.stringify(want)}`, () => {
      assert.equal(parse("go.mod", input).module?.deprecated, want);
    });
  }
});

Deno.test("testdata/ok: parsed files match their want summaries", async (t) => {
  for (const fx of loadFixtures(new URL("./testdata/ok/", import.meta.url))) {
    for (const [section, read] of [["want", "strict"], ["want lax", "lax"]] as const) {
      const want = fx.sections.get(section);
      if (want === undefined) continue;
      await t.step(`${fx.name} (${read})`, () => {
        const f = fx.file === "go.work"
          ? parseWork(fx.file, fx.data)
          : read === "lax"
          ? parseLax(fx.file, fx.data)
          : parse(fx.file, fx.data);
        assert.deepEqual(summarize(f), JSON.parse(want));
      });
    }
  }
});

Deno.test("testdata/errors: strict parse gives the go command's errors", async (t) => {
  const fixtures = loadFixtures(new URL("./testdata/errors/", import.meta.url));
  assert.ok(fixtures.length >= 30, `only ${fixtures.length} fixtures`);
  for (const fx of fixtures) {
    await t.step(fx.name, () => {
      const read = fx.file === "go.work" ? parseWork : parse;
      assert.equal(errorOf(() => read(fx.file, fx.data)) + "\n", fx.sections.get("want"));
    });
  }
});

Deno.test("parseLax() lists a skipped block once, even when empty", () => {
  const f = parseLax(
    "go.mod",
    "module m\nreplace (\n)\ngodebug (\n\ta=1\n\tb=2\n)\nrequire (\n\tx v1.0.0\n)\n",
  );
  assert.deepEqual(f.ignored.map((x) => [x.kind, x.start.line]), [["block", 2], ["block", 4]]);
  assert.equal(f.require.length, 1);
});
