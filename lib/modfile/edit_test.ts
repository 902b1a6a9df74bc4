/**
 * Tests for edit.ts: go and toolchain line edits land where x/mod puts them.
 *
 * editTests rows were recorded with go1.26.8 as `go mod edit -go=G
 * -toolchain=T -print` (or `go work edit`), which calls AddGoStmt /
 * DropGoStmt, AddToolchainStmt / DropToolchainStmt, SortBlocks, Cleanup and
 * Format in that order. When a go >= 1.21 is installed, the rows are also
 * checked against it live.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  addGoStmt,
  addToolchainStmt,
  cleanup,
  dropGoStmt,
  dropToolchainStmt,
  sortBlocks,
} from "./edit.ts";
import { parse, parseWork } from "./parse.ts";
import { format } from "./print.ts";

interface EditTest {
  name: string;
  file: "go.mod" | "go.work";
  input: string;
  /** -go: a version, or "none" to drop the line. */
  go?: string;
  /** -toolchain: a name, or "none" to drop the line. */
  toolchain?: string;
  want: string;
}

// goModEdit does what `go mod edit -go=G -toolchain=T -print` does.
function goModEdit(t: Omit<EditTest, "name" | "want">): string {
  const f = t.file === "go.work" ? parseWork(t.file, t.input) : parse(t.file, t.input);
  if (t.go === "none") dropGoStmt(f);
  else if (t.go !== undefined) addGoStmt(f, t.go);
  if (t.toolchain === "none") dropToolchainStmt(f);
  else if (t.toolchain !== undefined) addToolchainStmt(f, t.toolchain);
  sortBlocks(f);
  cleanup(f);
  return format(f.syntax);
}

const editTests: EditTest[] = [
  {
    name: "add go after module",
    file: "go.mod",
    input: "module m\n\nrequire a v1.0.0\n",
    go: "1.22",
    want: "module m\n\ngo 1.22\n\nrequire a v1.0.0\n",
  },
  {
    name: "add go and toolchain after module",
    file: "go.mod",
    input: "// c\nmodule m // s\n\nrequire a v1.0.0\n",
    go: "1.22",
    toolchain: "go1.23.1",
    want: "// c\nmodule m // s\n\ngo 1.22\n\ntoolchain go1.23.1\n\nrequire a v1.0.0\n",
  },
  {
    name: "add go without module",
    file: "go.mod",
    input: "require a v1.0.0\n",
    go: "1.22",
    want: "require a v1.0.0\n\ngo 1.22\n",
  },
  {
    name: "add toolchain without go or module",
    file: "go.mod",
    input: "require a v1.0.0\n",
    toolchain: "go1.22.1",
    want: "require a v1.0.0\n\ntoolchain go1.22.1\n",
  },
  {
    name: "add toolchain after go",
    file: "go.mod",
    input: "module m\n\ngo 1.21 // lang\n\nrequire a v1.0.0\n",
    toolchain: "go1.22.1",
    want: "module m\n\ngo 1.21 // lang\n\ntoolchain go1.22.1\n\nrequire a v1.0.0\n",
  },
  {
    name: "add toolchain after module when no go",
    file: "go.mod",
    input: "module m\nrequire a v1.0.0\n",
    toolchain: "go1.22.1",
    want: "module m\n\ntoolchain go1.22.1\n\nrequire a v1.0.0\n",
  },
  {
    name: "module in a block",
    file: "go.mod",
    input: "module (\n\tm\n)\n\nrequire a v1.0.0\n",
    go: "1.21",
    toolchain: "go1.21.3",
    want: "module m\n\ngo 1.21\n\ntoolchain go1.21.3\n\nrequire a v1.0.0\n",
  },
  {
    name: "update go keeps comments",
    file: "go.mod",
    input: "module m\n\n// before\ngo 1.21 // after\n",
    go: "1.22.0",
    want: "module m\n\n// before\ngo 1.22.0 // after\n",
  },
  {
    name: "update toolchain keeps comments",
    file: "go.mod",
    input: "module m\n\ngo 1.21\n\n// pinned\ntoolchain go1.21.1 // why\n",
    toolchain: "go1.22.3",
    want: "module m\n\ngo 1.21\n\n// pinned\ntoolchain go1.22.3 // why\n",
  },
  {
    name: "drop go",
    file: "go.mod",
    input: "module m\n\n// before\ngo 1.21 // after\n\nrequire a v1.0.0\n",
    go: "none",
    want: "module m\n\nrequire a v1.0.0\n",
  },
  {
    name: "drop toolchain",
    file: "go.mod",
    input: "module m\n\ngo 1.21\n\n// pinned\ntoolchain go1.21.1 // why\n\nrequire a v1.0.0\n",
    toolchain: "none",
    want: "module m\n\ngo 1.21\n\nrequire a v1.0.0\n",
  },
  {
    name: "drop both",
    file: "go.mod",
    input: "module m\ngo 1.21\ntoolchain go1.21.1\n",
    go: "none",
    toolchain: "none",
    want: "module m\n",
  },
  {
    name: "drop go add toolchain",
    file: "go.mod",
    input: "module m\ngo 1.21\n",
    go: "none",
    toolchain: "go1.22.0",
    want: "module m\n\ntoolchain go1.22.0\n",
  },
  {
    name: "toolchain default",
    file: "go.mod",
    input: "module m\ngo 1.21\n",
    toolchain: "default",
    want: "module m\n\ngo 1.21\n\ntoolchain default\n",
  },
  {
    name: "single-line block collapses",
    file: "go.mod",
    input: "module m\n\ngo 1.21\n\nrequire (\n\ta v1.0.0 // c\n)\n",
    go: "1.22",
    want: "module m\n\ngo 1.22\n\nrequire a v1.0.0 // c\n",
  },
  {
    name: "work add go before use",
    file: "go.work",
    input: "// ws\n\nuse ./a\n",
    go: "1.22",
    want: "// ws\n\ngo 1.22\n\nuse ./a\n",
  },
  {
    name: "work add go and toolchain",
    file: "go.work",
    input: "// ws\n\nuse ./a\n",
    go: "1.22",
    toolchain: "go1.22.3",
    want: "// ws\n\ngo 1.22\n\ntoolchain go1.22.3\n\nuse ./a\n",
  },
  {
    name: "work add toolchain without go",
    file: "go.work",
    input: "// ws\n// more\n\nuse (\n\t./a\n\t./b\n)\n",
    toolchain: "go1.22.3",
    want: "// ws\n// more\n\ntoolchain go1.22.3\n\nuse (\n\t./a\n\t./b\n)\n",
  },
  {
    name: "work add toolchain after go",
    file: "go.work",
    input: "go 1.21\n\nuse ./a\n",
    toolchain: "go1.22.3",
    want: "go 1.21\n\ntoolchain go1.22.3\n\nuse ./a\n",
  },
  {
    name: "work update go",
    file: "go.work",
    input: "go 1.21 // c\n\nuse ./a\n",
    go: "1.23.0",
    want: "go 1.23.0 // c\n\nuse ./a\n",
  },
  {
    name: "work drop toolchain",
    file: "go.work",
    input: "go 1.21\ntoolchain go1.22.0\nuse ./a\n",
    toolchain: "none",
    want: "go 1.21\n\nuse ./a\n",
  },
  {
    name: "work empty",
    file: "go.work",
    input: "",
    go: "1.22",
    toolchain: "go1.22.1",
    want: "go 1.22\n\ntoolchain go1.22.1\n",
  },
  {
    name: "empty go.mod",
    file: "go.mod",
    input: "",
    go: "1.22",
    toolchain: "go1.22.1",
    want: "go 1.22\n\ntoolchain go1.22.1\n",
  },
  {
    name: "only comments go.mod",
    file: "go.mod",
    input: "// just a comment\n",
    go: "1.22",
    want: "// just a comment\n\ngo 1.22\n",
  },
  {
    name: "rc version",
    file: "go.mod",
    input: "module m\n",
    go: "1.23rc1",
    toolchain: "go1.23rc2",
    want: "module m\n\ngo 1.23rc1\n\ntoolchain go1.23rc2\n",
  },
];

Deno.test("addGoStmt() and addToolchainStmt() place lines as x/mod does", async (t) => {
  for (const row of editTests) {
    await t.step(`${row.name}: go=${row.go ?? ""} toolchain=${row.toolchain ?? ""}`, () => {
      assert.equal(goModEdit(row), row.want);
    });
  }
});

Deno.test("edits keep the parsed file in step with its syntax", () => {
  const f = parse("go.mod", "module m\n\ngo 1.21\n");
  addGoStmt(f, "1.22.3");
  assert.equal(f.go?.version, "1.22.3");
  assert.equal(f.goVersion, "1.22.3");
  addToolchainStmt(f, "go1.23.0");
  assert.equal(f.toolchain?.name, "go1.23.0");
  addToolchainStmt(f, "go1.23.1");
  assert.equal(f.toolchain?.name, "go1.23.1");
  dropToolchainStmt(f);
  assert.equal(f.toolchain, undefined);
  dropGoStmt(f);
  assert.equal(f.go, undefined);
  assert.equal(f.goVersion, "1.16");
  cleanup(f);
  assert.equal(format(f.syntax), "module m\n");

  const w = parseWork("go.work", "go 1.22\n");
  dropGoStmt(w);
  assert.equal(w.goVersion, "1.18");
});

Deno.test("a dropped line then re-added goes back after module", () => {
  const f = parse("go.mod", "module m\n\nrequire a v1.0.0\n\ngo 1.21\n");
  dropGoStmt(f);
  addGoStmt(f, "1.22");
  cleanup(f);
  assert.equal(format(f.syntax), "module m\n\ngo 1.22\n\nrequire a v1.0.0\n");
});

// Errors: AddGoStmt checks GoVersionRE and AddToolchainStmt ToolchainRE.
const addErrorTests: [kind: "go" | "toolchain", arg: string, want: string][] = [
  ["go", "1.22.x", 'invalid language version "1.22.x"'],
  ["go", "go1.22", 'invalid language version "go1.22"'],
  ["go", "1", 'invalid language version "1"'],
  ["go", "1.21rc", 'invalid language version "1.21rc"'],
  ["go", "", 'invalid language version ""'],
  ["go", "none", 'invalid language version "none"'],
  ["toolchain", "1.22.1", 'invalid toolchain name "1.22.1"'],
  ["toolchain", "go2.0", 'invalid toolchain name "go2.0"'],
  ["toolchain", "local", 'invalid toolchain name "local"'],
  ["toolchain", "go1\t", 'invalid toolchain name "go1\\t"'],
];

Deno.test("addGoStmt() and addToolchainStmt() reject bad versions", async (t) => {
  for (const [kind, arg, want] of addErrorTests) {
    await t.step(`${kind} ${JSON.stringify(arg)}: ${want}`, () => {
      const f = parse("go.mod", "module m\n\ngo 1.21\n");
      const before = format(f.syntax);
      assert.throws(
        () => kind === "go" ? addGoStmt(f, arg) : addToolchainStmt(f, arg),
        (e: Error) => e.message === want,
      );
      assert.equal(format(f.syntax), before);
    });
  }
});

Deno.test("sortBlocks() sorts exclude semantically only from go 1.21", () => {
  const src = (go: string) =>
    `module m\n\ngo ${go}\n\nexclude (\n\tx v1.10.0\n\tx v1.9.0\n\tx v1.9.0\n)\n`;
  const fmt = (go: string) => {
    const f = parse("go.mod", src(go));
    sortBlocks(f);
    cleanup(f);
    return format(f.syntax);
  };
  assert.equal(fmt("1.21"), "module m\n\ngo 1.21\n\nexclude (\n\tx v1.9.0\n\tx v1.10.0\n)\n");
  assert.equal(fmt("1.20"), "module m\n\ngo 1.20\n\nexclude (\n\tx v1.10.0\n\tx v1.9.0\n)\n");
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
  name: "edits agree with the real go mod edit -go -toolchain",
  ignore: go === undefined,
  async fn(t) {
    const dir = Deno.makeTempDirSync({ prefix: "gtc-edit-gocmd-" });
    try {
      for (const row of editTests) {
        await t.step(row.name, () => {
          const path = `${dir}/${row.file}`;
          Deno.writeTextFileSync(path, row.input);
          const args = [row.file === "go.mod" ? "mod" : "work", "edit"];
          if (row.go !== undefined) args.push(`-go=${row.go}`);
          if (row.toolchain !== undefined) args.push(`-toolchain=${row.toolchain}`);
          args.push("-print");
          const out = new Deno.Command(go!, {
            args,
            cwd: dir,
            clearEnv: true,
            env: {
              PATH: "/usr/bin:/bin",
              HOME: dir,
              GOTOOLCHAIN: "local",
              GOENV: "off",
              GOWORK: row.file === "go.work" ? path : "off",
            },
            stdout: "piped",
            stderr: "piped",
          }).outputSync();
          assert.ok(out.success, new TextDecoder().decode(out.stderr));
          assert.equal(goModEdit(row), new TextDecoder().decode(out.stdout));
        });
      }
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

if (go === undefined) {
  console.log("edit_test.ts: skipping the go command comparison: no go >= 1.21 found");
}
