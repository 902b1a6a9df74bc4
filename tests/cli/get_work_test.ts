/**
 * gtc get in workspace mode, differentially against the real go command:
 * `go get go@… toolchain@…` in a module of a go.work edits that module's
 * go.mod and raises the go.work's go line (modload.UpdateWorkGoVersion),
 * fails when a module needs a newer go than the go.work lists, and reports
 * only the changes made after entering the workspace.
 */
import assert from "node:assert/strict";
import { startFixture } from "../fixtures/mod.ts";
import { findGo } from "../differential/gocmd.ts";
import { getEnv, run } from "./_get.ts";

const cli = new URL("../../cli/main.ts", import.meta.url).pathname;
const { go, reason } = await findGo();
if (go === undefined) console.log(`skipping tests/cli/get_work_test.ts: ${reason}`);

interface Case {
  name: string;
  /** Files by path relative to the workspace root. */
  files: Record<string, string>;
  /** Where the command runs, relative to the workspace root. */
  cwd: string;
  args: string[];
}

const cases: Case[] = [
  {
    name: "go@1.23.0 raises go.mod and go.work, silently",
    files: { "go.work": "go 1.22\nuse ./a\n", "a/go.mod": "module a\n\ngo 1.22\n" },
    cwd: "a",
    args: ["go@1.23.0"],
  },
  {
    name: "go.work already newer stays",
    files: { "go.work": "go 1.24\n\nuse ./a\n", "a/go.mod": "module a\n\ngo 1.22\n" },
    cwd: "a",
    args: ["go@1.23.0"],
  },
  {
    name: "toolchain@none is reported",
    files: {
      "go.work": "go 1.22\n\nuse ./a\n",
      "a/go.mod": "module a\n\ngo 1.22\n\ntoolchain go1.23.1\n",
    },
    cwd: "a",
    args: ["toolchain@none"],
  },
  {
    name: "raising go.work drops its older toolchain line",
    files: {
      "go.work": "go 1.22\ntoolchain go1.22.5\nuse ./a\n",
      "a/go.mod": "module a\n\ngo 1.22\n",
    },
    cwd: "a",
    args: ["go@1.26.8"],
  },
  {
    name: "a module newer than go.work fails",
    files: { "go.work": "go 1.22\nuse ./a\n", "a/go.mod": "module a\n\ngo 1.24\n" },
    cwd: "a",
    args: ["go@1.23.0"],
  },
  {
    name: "multi-module workspace: only the current go.mod changes",
    files: {
      "go.work": "go 1.22\n\nuse (\n\t./a\n\t./b // b\n)\n",
      "a/go.mod": "module example.com/a\n\ngo 1.22\n",
      "b/go.mod": "module example.com/b\n\ngo 1.21.0\n",
    },
    cwd: "a",
    args: ["go@1.24.0"],
  },
  {
    name: "multi-module workspace: another module too new for go.work",
    files: {
      "go.work": "go 1.22\n\nuse (\n\t./a\n\t./b\n\t./c\n)\n",
      "a/go.mod": "module example.com/a\n\ngo 1.22\n",
      "b/go.mod": "module example.com/b\n\ngo 1.25.0\n",
      "c/go.mod": "module example.com/c\n\ngo 1.24\n",
    },
    cwd: "a",
    args: ["go@1.23.0"],
  },
  {
    name: "go.work without a go line gains one",
    files: { "go.work": "use ./a\n", "a/go.mod": "module a\n\ngo 1.20\n" },
    cwd: "a",
    args: ["go@1.23.0"],
  },
  {
    name: "go.work without a go line implicitly requires 1.18",
    files: { "go.work": "use ./a\n", "a/go.mod": "module a\n\ngo 1.22\n" },
    cwd: "a",
    args: ["go@1.23.0"],
  },
  {
    name: "toolchain@go1.26.8 in workspace mode",
    files: { "go.work": "go 1.22\n\nuse ./a\n", "a/go.mod": "module a\n\ngo 1.22.0\n" },
    cwd: "a",
    args: ["toolchain@go1.26.8"],
  },
  {
    name: "go@1.26.8 toolchain@none with a toolchain line",
    files: {
      "go.work": "go 1.22\n\nuse ./a\n",
      "a/go.mod": "module a\n\ngo 1.22.0\n\ntoolchain go1.26.8\n",
    },
    cwd: "a",
    args: ["go@1.25.0", "toolchain@none"],
  },
  {
    name: "cwd in a subdirectory of the module",
    files: {
      "go.work": "// ws\ngo 1.21\n\nuse ./a\n",
      "a/go.mod": "module a\n\ngo 1.21\n",
      "a/sub/x.txt": "",
    },
    cwd: "a/sub",
    args: ["go@1.22.3"],
  },
  {
    name: "module not used by go.work: go.work still raised",
    files: {
      "go.work": "go 1.21\n\nuse ./b\n",
      "a/go.mod": "module example.com/a\n\ngo 1.21\n",
      "b/go.mod": "module example.com/b\n\ngo 1.23\n",
    },
    cwd: "a",
    args: ["go@1.22.0"],
  },
  {
    name: "go.work newer than the go command",
    files: { "go.work": "go 1.99.0\n\nuse ./a\n", "a/go.mod": "module a\n\ngo 1.22\n" },
    cwd: "a",
    args: ["go@1.23.0"],
  },
  {
    name: "go.mod without a go line in a workspace",
    files: { "go.work": "go 1.22\n\nuse ./a\n", "a/go.mod": "module a\n" },
    cwd: "a",
    args: ["toolchain@none"],
  },
];

Deno.test({
  name: "gtc get in a workspace edits go.mod and go.work exactly as the real go get",
  ignore: go === undefined || Deno.build.os !== "linux" || Deno.build.arch !== "x86_64",
  async fn(t) {
    const f = await startFixture({ toolchains: ["go1.99.0"] });
    try {
      const env = getEnv(f, go!.bindir);
      let n = 0;
      for (const c of cases) {
        await t.step(c.name, async () => {
          const roots = [`${f.work}/ws${n}-gtc`, `${f.work}/ws${n}-go`];
          n++;
          for (const root of roots) {
            for (const [path, text] of Object.entries(c.files)) {
              const p = `${root}/${path}`;
              Deno.mkdirSync(p.slice(0, p.lastIndexOf("/")), { recursive: true });
              Deno.writeTextFileSync(p, text);
            }
          }
          const [a, b] = roots;
          const mine = await run(
            Deno.execPath(),
            ["run", "-A", "--quiet", cli, "get", ...c.args],
            env,
            `${a}/${c.cwd}`,
          );
          const theirs = await run(go!.path, ["get", ...c.args], env, `${b}/${c.cwd}`);
          const what = `gtc get ${c.args.join(" ")}`;
          assert.equal(mine.stderr, theirs.stderr, `${what}: stderr`);
          assert.equal(mine.code, theirs.code, `${what}: exit`);
          for (const path of Object.keys(c.files)) {
            assert.equal(
              Deno.readTextFileSync(`${a}/${path}`),
              Deno.readTextFileSync(`${b}/${path}`),
              `${what}: ${path}`,
            );
          }
          // Nothing else appears (no temporary files left, no go.work.sum).
          const list = (root: string) =>
            [...Deno.readDirSync(root)].map((e) => e.name).filter((x) => x !== "go.work.sum")
              .sort();
          assert.deepEqual(list(a), list(b));
          for (const root of roots) Deno.removeSync(root, { recursive: true });
        });
      }
    } finally {
      await f.close();
    }
  },
});
