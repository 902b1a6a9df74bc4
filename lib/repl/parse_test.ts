import { deepEqual, throws } from "node:assert/strict";
import { type Command, parseCommand, splitWords } from "./parse.ts";

Deno.test("splitWords: blanks, quotes and escapes as a POSIX shell without expansion", () => {
  const cases: [string, string[]][] = [
    ["", []],
    ["   ", []],
    ["why", ["why"]],
    ["  cd   a  ", ["cd", "a"]],
    ["set GOFLAGS='-mod=mod -x'", ["set", "GOFLAGS=-mod=mod -x"]],
    [`set X="a \\"b\\" \\n"`, ["set", `X=a "b" \\n`]],
    ["cd my\\ dir", ["cd", "my dir"]],
    ["set X=''", ["set", "X="]],
    ["a''b", ["ab"]],
    ["\tcd\tx", ["cd", "x"]],
  ];
  for (const [line, want] of cases) deepEqual(splitWords(line), want, line);
  throws(() => splitWords("cd 'x"), /unterminated quote/);
  throws(() => splitWords(`cd "x`), /unterminated quote/);
});

Deno.test("parseCommand: every command and its usage errors", () => {
  const cases: [string, Command][] = [
    ["", { kind: "empty" }],
    ["# a comment", { kind: "empty" }],
    ["why", { kind: "why", dir: undefined, quiet: false, json: false }],
    ["why sub -q --json", { kind: "why", dir: "sub", quiet: true, json: true }],
    ["why --quiet", { kind: "why", dir: undefined, quiet: true, json: false }],
    ["why a b", { kind: "error", message: "usage: why [dir] [-q] [--json]" }],
    ["why -x", { kind: "error", message: "why: unknown flag -x" }],
    ["cd", { kind: "cd", dir: undefined }],
    ["cd ../x", { kind: "cd", dir: "../x" }],
    ["cd a b", { kind: "error", message: "usage: cd [dir]" }],
    ["pwd", { kind: "pwd" }],
    ["set GOTOOLCHAIN=go1.30.0+auto", { kind: "set", key: "GOTOOLCHAIN", value: "go1.30.0+auto" }],
    ["set GOTOOLCHAIN local", { kind: "set", key: "GOTOOLCHAIN", value: "local" }],
    ["set GOFLAGS=", { kind: "set", key: "GOFLAGS", value: "" }],
    ["set A=b=c", { kind: "set", key: "A", value: "b=c" }],
    ["set =x", { kind: "error", message: 'set: invalid name ""' }],
    ["set X", { kind: "error", message: "usage: set KEY=VALUE" }],
    ["unset GOTOOLCHAIN", { kind: "unset", key: "GOTOOLCHAIN" }],
    ["unset", { kind: "error", message: "usage: unset KEY" }],
    ["unset A=B", { kind: "error", message: 'unset: invalid name "A=B"' }],
    ["mod go 1.30", { kind: "edit", target: "go.mod", edit: { op: "go", version: "1.30" } }],
    ["mod go none", { kind: "edit", target: "go.mod", edit: { op: "drop", line: "go" } }],
    [
      "mod toolchain go1.31.0",
      { kind: "edit", target: "go.mod", edit: { op: "toolchain", name: "go1.31.0" } },
    ],
    [
      "mod toolchain none",
      { kind: "edit", target: "go.mod", edit: { op: "drop", line: "toolchain" } },
    ],
    ["mod drop toolchain", {
      kind: "edit",
      target: "go.mod",
      edit: { op: "drop", line: "toolchain" },
    }],
    ["work drop go", { kind: "edit", target: "go.work", edit: { op: "drop", line: "go" } }],
    ["mod show", { kind: "edit", target: "go.mod", edit: { op: "show" } }],
    ["work reset", { kind: "edit", target: "go.work", edit: { op: "reset" } }],
    ["mod", {
      kind: "error",
      message:
        "usage: mod go V | mod toolchain NAME | mod drop go|toolchain | mod show | mod reset",
    }],
    ["mod drop module", {
      kind: "error",
      message:
        "usage: mod go V | mod toolchain NAME | mod drop go|toolchain | mod show | mod reset",
    }],
    ["mod go 1.30 x", {
      kind: "error",
      message:
        "usage: mod go V | mod toolchain NAME | mod drop go|toolchain | mod show | mod reset",
    }],
    ["changes", { kind: "changes" }],
    ["reset", { kind: "reset" }],
    ["env", { kind: "env", keys: [], json: false }],
    ["env GOTOOLCHAIN GOPATH --json", { kind: "env", keys: ["GOTOOLCHAIN", "GOPATH"], json: true }],
    ["env -v", { kind: "error", message: "env: unknown flag -v" }],
    ["install", { kind: "install", name: undefined, source: undefined }],
    ["install go1.22.3", { kind: "install", name: "go1.22.3", source: undefined }],
    ["install go1.22.5-1 --source microsoft", {
      kind: "install",
      name: "go1.22.5-1",
      source: "microsoft",
    }],
    ["install --source=godl", { kind: "install", name: undefined, source: "godl" }],
    ["install --source x", {
      kind: "error",
      message: "install: --source x: want goproxy, godl or microsoft",
    }],
    ["install a b", {
      kind: "error",
      message: "usage: install [NAME] [--source goproxy|godl|microsoft]",
    }],
    ["list", { kind: "list", args: [] }],
    ["list --remote --json", { kind: "list", args: ["--remote", "--json"] }],
    ["echo a  b", { kind: "echo", text: "a b" }],
    ["help", { kind: "help", topic: undefined }],
    ["help mod", { kind: "help", topic: "mod" }],
    ["exit", { kind: "exit" }],
    ["quit", { kind: "exit" }],
    ["go version", { kind: "error", message: 'unknown command "go" (try help)' }],
    ["cd 'x", { kind: "error", message: "unterminated quote" }],
  ];
  for (const [line, want] of cases) deepEqual(parseCommand(line), want, line);
});
