import assert from "node:assert/strict";
import { goModLookup } from "./lookup.ts";

// cmd/go/internal/gover has no test for GoModLookup (go1.26); these rows pin
// the behaviour of gomod.go's parseKey and the bytes.TrimSpace it relies on.
const goModLookupTests: [
  desc: string,
  data: string,
  key: string,
  want: string | undefined,
  line?: number,
][] = [
  ["simple", "module m\ngo 1.21\n", "go", "1.21", 2],
  ["toolchain", "go 1.21\ntoolchain go1.21.3\n", "toolchain", "go1.21.3", 2],
  ["missing", "module m\n", "go", undefined],
  ["empty file", "", "go", undefined],
  ["no final newline", "go 1.22", "go", "1.22", 1],
  ["tab separator", "go\t1.21\n", "go", "1.21", 1],
  ["many spaces", "go    1.21   \n", "go", "1.21", 1],
  ["indented", "  \tgo 1.21\n", "go", "1.21", 1],
  ["comment cut", "go 1.21 // newest\n", "go", "1.21", 1],
  ["comment glued", "go 1.21//x\n", "go", "1.21", 1],
  ["comment only value", "go //x\n", "go", "", 1],
  ["key alone", "go\n", "go", undefined],
  ["key then spaces only", "go   \n", "go", undefined],
  ["key with comment, no space", "go//x\ngo 1.2\n", "go", "1.2", 2],
  ["CRLF", "module m\r\ngo 1.21\r\n", "go", "1.21", 2],
  ["CR only lines are one line", "module m\rgo 1.21\r", "go", undefined],
  ["first match wins", "go 1.20\ngo 1.21\n", "go", "1.20", 1],
  ["first match wins even if empty", "go //\ngo 1.21\n", "go", "", 1],
  ["gofoo is not go", "gofoo 1\ngo 1.21\n", "go", "1.21", 2],
  ["godebug is not go", "godebug x=1\n", "go", undefined],
  ["case matters", "Go 1.21\n", "go", undefined],
  ["no quoting", 'go "1.21"\n', "go", '"1.21"', 1],
  ["no blocks", "go (\n\t1.21\n)\n", "go", "(", 1],
  ["inside a block, indented", "require (\n\tgo 1.21\n)\n", "go", "1.21", 2],
  ["a commented-out line does not match", "// go 1.21\ngo 1.22\n", "go", "1.22", 2],
  ["all words kept", "go 1.21 extra words\n", "go", "1.21 extra words", 1],
  ["vertical tab and form feed trimmed", "\v\fgo 1.21\v\f\n", "go", "1.21", 1],
  ["NEL and NBSP trimmed", "\u0085go 1.21\u00a0\n", "go", "1.21", 1],
  ["NBSP is not a separator", "go\u00a01.21\n", "go", undefined],
  ["BOM is not space", "\ufeffgo 1.21\n", "go", undefined],
  ["ideographic space trimmed", "\u3000go 1.21\u3000\n", "go", "1.21", 1],
  ["line numbers count blank lines", "\n\n\ntoolchain default\n", "toolchain", "default", 4],
];

Deno.test("goModLookup() scans lines as cmd/go's GoModLookup does", async (t) => {
  for (const [desc, data, key, want, line] of goModLookupTests) {
    const wantResult = want === undefined ? undefined : { value: want, line };
    await t.step(
      `${desc}: goModLookup(${JSON.stringify(data)}, ${key}) = ${JSON.stringify(wantResult)}`,
      () => {
        assert.deepEqual(goModLookup(data, key), wantResult);
        // The same file read as bytes, as selection reads it.
        assert.deepEqual(goModLookup(new TextEncoder().encode(data), key), wantResult);
      },
    );
  }
});
