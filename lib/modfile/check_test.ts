import assert from "node:assert/strict";
import { loadFixtures } from "./_fixtures.ts";
import { check, parseWithoutComments, withoutCommentLines } from "./check.ts";
import { ModFileErrorList } from "./error.ts";
import { parse, parseWork } from "./parse.ts";

const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { ignoreBOM: true });

// fullParseErrors is what the full parser says about data: the reference
// check must agree with.
function fullParseErrors(file: "go.mod" | "go.work", data: Uint8Array): string | undefined {
  try {
    (file === "go.work" ? parseWork : parse)(file, data);
    return undefined;
  } catch (e) {
    if (e instanceof ModFileErrorList) return e.message;
    throw e;
  }
}

// Ways to pad a file with lines check takes out before parsing: every one
// shifts the lines (and bytes) of what follows, so a wrong position in an
// error would show.
const paddings: [name: string, pad: (text: string) => string][] = [
  ["as written", (t) => t],
  ["a comment line between lines", (t) => t.replaceAll("\n", "\n// pad\n")],
  ["indented CRLF comments and blank lines", (t) => t.replaceAll("\n", "\n\t// x\r\n \r\n\n")],
  ["comments before and after", (t) => `// head\n\n${t}\n// tail`],
  ["a trailing comment without newline", (t) => `${t}  // end`],
];

Deno.test("check() gives the full parser's errors, padded with comment and blank lines", async (t) => {
  for (const dir of ["errors", "ok"]) {
    for (const fx of loadFixtures(new URL(`./testdata/${dir}/`, import.meta.url))) {
      await t.step(`${dir}/${fx.name}`, () => {
        for (const [name, pad] of paddings) {
          const data = enc.encode(pad(fx.data));
          const want = fullParseErrors(fx.file, data);
          if (dir === "errors") assert.notEqual(want, undefined, `${name}: no error`);
          assert.equal(check(fx.file, data, fx.file)?.message, want, name);
        }
      });
    }
  }
});

Deno.test("parseWithoutComments() reads the same directives as the full parser", async (t) => {
  for (const fx of loadFixtures(new URL("./testdata/ok/", import.meta.url))) {
    if (!fx.sections.has("want")) continue; // lax-only
    await t.step(fx.name, () => {
      for (const [name, pad] of paddings) {
        const data = enc.encode(pad(fx.data));
        const full = (fx.file === "go.work" ? parseWork : parse)(fx.file, data);
        const quick = parseWithoutComments(fx.file, data, fx.file);
        const values = (f: typeof full) => ({
          go: f.go?.version,
          goVersion: f.goVersion,
          toolchain: f.toolchain?.name,
          godebug: f.godebug.map((g) => `${g.key}=${g.value}`),
          require: "require" in f ? f.require.map((r) => `${r.mod.path} ${r.mod.version}`) : [],
          use: "use" in f ? f.use.map((u) => u.path) : [],
        });
        assert.deepEqual(values(quick), values(full), name);
      }
    });
  }
});

Deno.test("check() reads each kind with its own grammar", () => {
  const data = enc.encode("// c\nuse ./a\n");
  assert.equal(check("go.work", data, "go.work"), undefined);
  assert.equal(check("go.mod", data, "go.mod")?.message, "go.mod:2: unknown directive: use");
});

Deno.test("withoutCommentLines() keeps exactly the lines a token starts on", () => {
  const cases: [input: string, want: string][] = [
    ["", ""],
    ["module m\n", "module m\n"],
    ["// a\nmodule m\n\n// b\n", "module m\n"],
    [" \t\r\n\t// x\r\ngo 1.22 // suffix\n", "go 1.22 // suffix\n"],
    ["require (\n\t// c\n\ta v1.0.0\n)\n", "require (\n\ta v1.0.0\n)\n"],
    // Not white space to the lexer, so not a line to take out.
    ["\v// x\n", "\v// x\n"],
    ["\u00a0// x\n", "\u00a0// x\n"],
    ["\ufeff// x\n", "\ufeff// x\n"],
    ["/* x */\n// y\n", "/* x */\n"],
    ["/x\n", "/x\n"],
    ["go 1.22\n// last", "go 1.22\n"],
    ["go 1.22", "go 1.22"],
  ];
  for (const [input, want] of cases) {
    const bytes = enc.encode(input);
    const got = withoutCommentLines(bytes);
    assert.equal(dec.decode(got), want, JSON.stringify(input));
    // Nothing taken out: the same array, no copy.
    if (input === want) assert.equal(got, bytes);
  }
});
