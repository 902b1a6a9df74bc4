import { deepEqual as assertEquals } from "node:assert/strict";
import { MemFs } from "../_internal/mem_fs.ts";
import type { FileInfo, ReadFs } from "../_internal/sys.ts";
import {
  agrees,
  findVersionFiles,
  parseGoVersion,
  parseGvmrc,
  parseMiseToml,
  parseToolVersions,
  toolchainQuery,
} from "./mod.ts";

Deno.test("parseGoVersion() takes the first word", () => {
  const cases: [string, { version: string; line: number } | undefined][] = [
    ["1.22.5\n", { version: "1.22.5", line: 1 }],
    ["\n# pinned\n  go1.21.0  extra\n", { version: "go1.21.0", line: 3 }],
    ["1.22.5\r\n", { version: "1.22.5", line: 1 }],
    ["", undefined],
    ["# only a comment\n", undefined],
  ];
  for (const [text, want] of cases) assertEquals(parseGoVersion(text), want, text);
});

Deno.test("parseToolVersions() finds golang and go lines", () => {
  const cases: [string, ReturnType<typeof parseToolVersions>][] = [
    ["golang 1.22.5\n", [{ tool: "golang", version: "1.22.5", line: 1 }]],
    ["nodejs 20.1.0\ngolang 1.22.5 1.21.0 # fallback\n", [{
      tool: "golang",
      version: "1.22.5",
      line: 2,
    }]],
    ["go 1.23\n", [{ tool: "go", version: "1.23", line: 1 }]],
    ["# golang 1.20\ngolang\ngolangci-lint 1.55\n", []],
    ["\tgolang   system  \n", [{ tool: "golang", version: "system", line: 1 }]],
  ];
  for (const [text, want] of cases) assertEquals(parseToolVersions(text), want, text);
});

Deno.test("parseMiseToml() finds [tools] go in its TOML forms", () => {
  const cases: [string, { version: string; line: number } | undefined][] = [
    ['[tools]\ngo = "1.22"\n', { version: "1.22", line: 2 }],
    ["[env]\ngo = 'x'\n[tools]\nnode = '20'\n'go' = '1.23.1' # pin\n", {
      version: "1.23.1",
      line: 5,
    }],
    ['[tools]\ngo = ["1.22.5", "1.21"]\n', { version: "1.22.5", line: 2 }],
    ['[tools]\ngo = { version = "1.21.3", os = ["linux"] }\n', { version: "1.21.3", line: 2 }],
    ['tools.go = "latest"\n', { version: "latest", line: 1 }],
    ['[tools.go]\nversion = "1.20.14"\n', { version: "1.20.14", line: 2 }],
    ['[settings]\nversion = "1"\n[tools]\nnode = "20"\n', undefined],
    ['[tools]\ngolangci-lint = "1.55"\n', undefined],
    ['[ tools ]\n  "go"="1.22.0"\n', { version: "1.22.0", line: 2 }],
  ];
  for (const [text, want] of cases) assertEquals(parseMiseToml(text), want, text);
});

Deno.test("parseGvmrc() reads gvm use, a bare version and GVM_GO_VERSION", () => {
  const cases: [string, { version: string; line: number } | undefined][] = [
    ["gvm use go1.22.5\n", { version: "go1.22.5", line: 1 }],
    ["#!/bin/bash\ngvm use go1.21.0 --default; gvm pkgset use x\n", {
      version: "go1.21.0",
      line: 2,
    }],
    ["go1.20\n", { version: "go1.20", line: 1 }],
    ['GVM_GO_VERSION="1.23.0"\n', { version: "1.23.0", line: 1 }],
    ["echo hello\n", undefined],
  ];
  for (const [text, want] of cases) assertEquals(parseGvmrc(text), want, text);
});

Deno.test("toolchainQuery() and agrees()", () => {
  const q: [string, string | null][] = [
    ["1.22.5", "go1.22.5"],
    ["go1.22.5", "go1.22.5"],
    ["1.22", "go1.22"],
    ["1.23rc1", "go1.23rc1"],
    ["latest", null],
    ["system", null],
    ["ref:master", null],
  ];
  for (const [says, want] of q) assertEquals(toolchainQuery(says), want, says);
  const file = (says: string) => ({
    path: "/p/.go-version",
    line: 1,
    managers: ["goenv" as const],
    says,
    toolchain: toolchainQuery(says),
  });
  const a: [string, string | null, string | null, boolean | null][] = [
    ["1.22.5", "go1.22.5", null, true],
    ["1.22.5", "go1.22.6", null, false],
    ["1.22", "go1.22.6", null, true],
    ["1.22", "go1.22rc1", null, true],
    ["1.2", "go1.22.6", null, false],
    ["1", "go1.22.6", null, true],
    ["1.22.5", null, null, null],
    ["latest", "go1.26.0", null, null],
    ["system", "go1.26.0", "go1.26.0", true],
    ["system", "go1.27.0", "go1.26.0", false],
  ];
  for (const [says, selected, local, want] of a) {
    assertEquals(agrees(file(says), selected, local), want, `${says} vs ${selected}`);
  }
});

// CountingFs counts stat calls, to hold the search to its cost.
class CountingFs extends MemFs {
  stats = 0;
  override stat(path: string): FileInfo | undefined {
    this.stats++;
    return super.stat(path);
  }
}

Deno.test("findVersionFiles() follows each manager's search", async (t) => {
  const cases: {
    name: string;
    files: Record<string, string>;
    dir: string;
    want: [path: string, line: number, managers: string, says: string][];
  }[] = [
    { name: "none", files: { "/a/b/go.mod": "module m\n" }, dir: "/a/b", want: [] },
    {
      name: "nearest .go-version wins",
      files: { "/a/.go-version": "1.20.1\n", "/a/b/.go-version": "1.22.5\n" },
      dir: "/a/b/c",
      want: [["/a/b/.go-version", 1, "goenv", "1.22.5"]],
    },
    {
      name: "asdf skips a .tool-versions without golang; mise takes its go line",
      files: {
        "/a/.tool-versions": "golang 1.21.0\n",
        "/a/b/.tool-versions": "go 1.23\nnodejs 20\n",
      },
      dir: "/a/b",
      want: [["/a/b/.tool-versions", 1, "mise", "1.23"], [
        "/a/.tool-versions",
        1,
        "asdf",
        "1.21.0",
      ]],
    },
    {
      name: "one golang line serves asdf and mise",
      files: { "/a/.tool-versions": "nodejs 20\ngolang 1.22.1\n" },
      dir: "/a",
      want: [["/a/.tool-versions", 2, "asdf,mise", "1.22.1"]],
    },
    {
      name: ".mise.toml over mise.toml in one directory; nearer directory wins",
      files: {
        "/a/mise.toml": '[tools]\ngo = "1.19"\n',
        "/a/b/mise.toml": '[tools]\ngo = "1.20"\n',
        "/a/b/.mise.toml": '[tools]\ngo = "1.21"\n',
      },
      dir: "/a/b",
      want: [["/a/b/.mise.toml", 2, "mise", "1.21"]],
    },
    {
      name: "a mise.toml without go passes to the parent",
      files: {
        "/a/mise.toml": '[tools]\ngo = "1.19"\n',
        "/a/b/mise.toml": '[tools]\nnode = "20"\n',
      },
      dir: "/a/b",
      want: [["/a/mise.toml", 2, "mise", "1.19"]],
    },
    {
      name: "all four, nearest first",
      files: {
        "/p/.gvmrc": "gvm use go1.18\n",
        "/p/q/.go-version": "1.22.5\n",
        "/p/q/.tool-versions": "golang 1.22.5\n",
        "/p/mise.toml": '[tools]\ngo = "latest"\n',
      },
      dir: "/p/q",
      want: [
        ["/p/q/.go-version", 1, "goenv", "1.22.5"],
        ["/p/q/.tool-versions", 1, "asdf,mise", "1.22.5"],
        ["/p/mise.toml", 2, "mise", "latest"],
        ["/p/.gvmrc", 1, "gvm", "go1.18"],
      ],
    },
    {
      name: "a directory named like a version file is not one",
      files: { "/a/.go-version/x": "", "/.go-version": "1.21.0\n" },
      dir: "/a",
      want: [["/.go-version", 1, "goenv", "1.21.0"]],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const fs = new CountingFs(c.files);
      const got = findVersionFiles(fs as ReadFs, c.dir).map((
        f,
      ) => [f.path, f.line, f.managers.join(","), f.says]);
      assertEquals(got, c.want);
      // At most five stats per directory level from dir to /.
      const levels = c.dir.split("/").length;
      if (fs.stats > 5 * levels) throw new Error(`${fs.stats} stat calls for ${levels} levels`);
    });
  }
});
