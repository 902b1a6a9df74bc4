/**
 * Tests for format (print.ts): printing a parsed file reproduces the go
 * command's `go mod edit -fmt` / `go work edit -fmt` output byte for byte.
 *
 * testdata/format/NAME.txtar holds a go.mod or go.work and, in "want", the
 * output of `go mod edit -fmt -print` (or `go work edit -fmt -print`),
 * recorded with go1.26.8. When a go >= 1.21 is installed, every fixture here
 * and in testdata/ok is also checked against it live.
 *
 * @module
 */

import assert from "node:assert/strict";
import { loadFixtures } from "./_fixtures.ts";
import { cleanup, sortBlocks } from "./edit.ts";
import { parseSyntax } from "./lex.ts";
import { parse, parseWork } from "./parse.ts";
import { format } from "./print.ts";

// goFmt does what `go mod edit -fmt` and `go work edit -fmt` do: parse,
// SortBlocks, Cleanup, Format. It returns undefined when the file does not
// parse strictly (the go command then fails).
function goFmt(file: "go.mod" | "go.work", data: string): string | undefined {
  let f;
  try {
    f = file === "go.work" ? parseWork(file, data) : parse(file, data);
  } catch {
    return undefined;
  }
  sortBlocks(f);
  cleanup(f);
  return format(f.syntax);
}

const formatDir = new URL("./testdata/format/", import.meta.url);
const okDir = new URL("./testdata/ok/", import.meta.url);

Deno.test("format() of testdata/format matches go mod edit -fmt", async (t) => {
  for (const fx of loadFixtures(formatDir)) {
    await t.step(`${fx.name}: ${fx.file}`, () => {
      assert.equal(goFmt(fx.file, fx.data), fx.sections.get("want"));
    });
  }
});

Deno.test("format(parse(x)) is x for a formatted file", async (t) => {
  for (const fx of [...loadFixtures(formatDir), ...loadFixtures(okDir)]) {
    await t.step(fx.name, () => {
      const y = goFmt(fx.file, fx.data) ?? format(parseSyntax(fx.file, fx.data));
      // No sorting or clean-up: an untouched tree prints as it was read.
      assert.equal(format(parseSyntax(fx.file, y)), y);
      if (goFmt(fx.file, fx.data) === undefined) return; // lax-only fixture
      const f = fx.file === "go.work" ? parseWork(fx.file, y) : parse(fx.file, y);
      assert.equal(format(f.syntax), y);
    });
  }
});

// formatTests are inputs whose formatting is checked directly: cases a
// txtar section cannot hold, and the printer's rules one at a time.
const formatTests: [name: string, input: string, want: string][] = [
  ["empty file", "", ""],
  ["only newlines", "\n\n\n", ""],
  ["no trailing newline", "module m\n\ngo 1.22", "module m\n\ngo 1.22\n"],
  ["blank lines collapse", "module m\n\n\n\ngo 1.22\n\n\n", "module m\n\ngo 1.22\n"],
  ["adjacent lines get no blank line", "module m\ngo 1.22\n", "module m\n\ngo 1.22\n"],
  ["only comments", "// a\n\n\n// b\n", "// a\n\n// b\n"],
  ["suffix comment spacing", "go 1.22    //   c  \n", "go 1.22 //   c\n"],
  ["tokens joined by single spaces", "retract [ v1.0.0 , v1.1.0 ]\n", "retract [v1.0.0, v1.1.0]\n"],
  ["block indentation", "use (\n    ./a\n  ./b\n)\n", "use (\n\t./a\n\t./b\n)\n"],
  ["blank line kept inside block", "use (\n\t./a\n\n\n\t./b\n)\n", "use (\n\t./a\n\n\t./b\n)\n"],
  ["blank line before ) dropped", "use (\n\t./a\n\n)\n", "use (\n\t./a\n)\n"],
  ["crlf", "module m\r\ngo 1.22 // c\r\n", "module m\n\ngo 1.22 // c\n"],
];

Deno.test("format() follows the printer's rules", async (t) => {
  for (const [name, input, want] of formatTests) {
    await t.step(`format(${JSON.stringify(input)}) = ${JSON.stringify(want)} (${name})`, () => {
      assert.equal(format(parseSyntax("go.mod", input)), want);
    });
  }
});

// The real go command, when there is one (go >= 1.21).

function findGo(): string | undefined {
  const dirs = (Deno.env.get("PATH") ?? "").split(":").filter((d) => d !== "");
  for (const path of [...dirs.map((d) => `${d}/go`), "/usr/local/go/bin/go"]) {
    try {
      const out = new Deno.Command(path, {
        args: ["env", "GOVERSION"],
        env: { GOTOOLCHAIN: "local", GOENV: "off" },
        stdout: "piped",
        stderr: "null",
      }).outputSync();
      const m = /^go1\.(\d+)/.exec(new TextDecoder().decode(out.stdout));
      if (out.success && m && Number(m[1]) >= 21) return path;
    } catch {
      // Not there or not runnable: try the next one.
    }
  }
  return undefined;
}

const go = findGo();

Deno.test({
  name: "format() agrees with the real go mod edit -fmt",
  ignore: go === undefined,
  async fn(t) {
    const dir = Deno.makeTempDirSync({ prefix: "gtc-print-gocmd-" });
    try {
      const cases: { name: string; file: "go.mod" | "go.work"; data: string }[] = [
        ...loadFixtures(formatDir),
        ...loadFixtures(okDir),
        ...formatTests.filter(([, input]) => input.startsWith("module")).map((
          [name, input],
        ) => ({ name, file: "go.mod" as const, data: input })),
      ];
      for (const c of cases) {
        await t.step(c.name, () => {
          const path = `${dir}/${c.file}`;
          Deno.writeTextFileSync(path, c.data);
          const args = c.file === "go.mod"
            ? ["mod", "edit", "-fmt", "-print"]
            : ["work", "edit", "-fmt", "-print"];
          const out = new Deno.Command(go!, {
            args,
            cwd: dir,
            clearEnv: true,
            env: {
              PATH: "/usr/bin:/bin",
              HOME: dir,
              GOPATH: `${dir}/gopath`,
              GOTOOLCHAIN: "local",
              GOENV: "off",
              GOFLAGS: "-mod=mod",
              GOWORK: c.file === "go.work" ? path : "off",
            },
            stdout: "piped",
            stderr: "piped",
          }).outputSync();
          const stderr = new TextDecoder().decode(out.stderr);
          const want = goFmt(c.file, c.data);
          if (want === undefined) {
            assert.ok(!out.success, `gtc rejects the file, go ${args.join(" ")} accepts it`);
            return;
          }
          assert.ok(out.success, `go ${args.join(" ")}: ${stderr}`);
          assert.equal(want, new TextDecoder().decode(out.stdout));
        });
      }
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

if (go === undefined) {
  console.log("print_test.ts: skipping the go command comparison: no go >= 1.21 found");
}
