import assert from "node:assert/strict";
import { directiveLines, lineEdit, problems } from "./features.ts";

// apply applies a Replacement to text (LSP positions: line, UTF-16 column).
function apply(text: string, r: NonNullable<ReturnType<typeof lineEdit>>): string {
  const lines = text.split("\n");
  const off = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(0, off(r.start)) + r.newText + text.slice(off(r.end));
}

Deno.test("lineEdit turns before into after, replacing only the changed lines", () => {
  const cases: { before: string; after: string; lines?: [number, number] }[] = [
    { before: "module m\n\ngo 1.21\n", after: "module m\n\ngo 1.22\n", lines: [2, 3] },
    {
      before: "module m\n\ngo 1.21 // c\n",
      after: "module m\n\ngo 1.21 // c\n\ntoolchain go1.23.1\n",
    },
    {
      before: "module m\ngo 1.21\ntoolchain go1.22.0\n// end\n",
      after: "module m\ngo 1.21\n// end\n",
    },
    { before: "module m", after: "module m\n\ngo 1.22\n" },
    { before: "module m\n", after: "" },
    { before: "", after: "go 1.22\n" },
    { before: "a\nb\nc\n", after: "a\nx\ny\nb\nc\n" },
    { before: "ü\ngo 1.21\n", after: "ü\ngo 1.22\n" },
  ];
  for (const c of cases) {
    const r = lineEdit(c.before, c.after);
    assert.ok(r !== null);
    assert.equal(apply(c.before, r), c.after, JSON.stringify(c));
    if (c.lines) assert.deepEqual([r.start.line, r.end.line], c.lines);
  }
  assert.equal(lineEdit("same\n", "same\n"), null);
});

Deno.test("directiveLines finds go, toolchain and use lines, in blocks too", () => {
  const text = 'go 1.22 // c\ntoolchain go1.23.1\n\nuse ./a\nuse (\n\t./b\n\t"./c d"\n)\n';
  assert.deepEqual(directiveLines("go.work", text), [
    { kind: "go", line: 0, endCol: 7 },
    { kind: "toolchain", line: 1, endCol: 18 },
    { kind: "use", line: 3, endCol: 7, arg: "./a" },
    { kind: "use", line: 5, endCol: 4, arg: "./b" },
    { kind: "use", line: 6, endCol: 8, arg: "./c d" },
  ]);
  assert.deepEqual(directiveLines("go.mod", 'module "m\n'), [], "a lexer error: nothing");
});

Deno.test("problems places the go command's texts on the lines they name", () => {
  const lines = directiveLines(
    "go.work",
    "go 1.22\n\ntoolchain go1.99.7\nuse (\n\t./a\n\t./b\n)\n",
  );
  const cases: { text: string; line: number; message?: string }[] = [
    {
      text: "go: errors parsing go.work:\ngo.work:9: unknown directive: foo",
      line: 8,
      message: "go.work:9: unknown directive: foo",
    },
    { text: "go: download go1.99.7 for linux/amd64: toolchain not available", line: 2 },
    { text: "go: go.work requires go >= 1.30 (running go 1.26.8; GOTOOLCHAIN=local)", line: 0 },
    {
      text:
        "go: module b listed in go.work file requires go >= 1.24, but go.work lists go 1.22; to update it:\n\tgo work use",
      line: 5,
    },
    { text: "go: errors parsing ../go.work:\n../go.work:3: unknown directive: foo", line: 0 },
  ];
  for (const c of cases) {
    const [p] = problems([c.text], "go.work", lines);
    assert.equal(p.line, c.line, c.text);
    assert.equal(p.message, c.message ?? c.text);
  }
});

Deno.test("hintLabel: what runs, what must be downloaded, or go's error", async () => {
  const { hintLabel } = await import("./features.ts");
  type X = Parameters<typeof hintLabel>[0];
  const x = (o: Partial<X>) => ({ toolchain: "go1.26.8", source: "local", error: null, ...o }) as X;
  const cases: [X, string][] = [
    [x({}), "runs go1.26.8 (local)"],
    [x({ toolchain: "go1.30.0", source: "cache" }), "runs go1.30.0 (cache)"],
    [x({ toolchain: "go1.30.0", source: "download" }), "↓ go1.30.0 (download)"],
    [
      x({ toolchain: null, source: null, error: 'go: cannot find "go1.30.0" in PATH\n' }),
      '! go will fail: cannot find "go1.30.0" in PATH',
    ],
  ];
  for (const [input, want] of cases) assert.equal(hintLabel(input), want);
});
