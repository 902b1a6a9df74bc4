/**
 * loadDiagnostics against the real go command: after toolchain selection,
 * the toolchain that runs loads the workspace or main module and fails on a
 * go line newer than itself or a go.work module newer than the go.work.
 * `go list -m` prints exactly those texts; gtc must print the same, and
 * nothing where go succeeds. Skipped, with a message, without go >= 1.21.
 */
import assert from "node:assert/strict";
import { findGo } from "../../tests/differential/gocmd.ts";
import { denoHost } from "../host/host.ts";
import { resolve } from "./resolve.ts";
import { loadDiagnostics } from "./load.ts";

const { go, reason } = await findGo();
if (go === undefined) console.log(`skipping lib/resolve/load_test.ts: ${reason}`);

interface Case {
  name: string;
  files: Record<string, string>;
  cwd: string;
  gotoolchain: string;
}

// The local go's version; cases use versions far above or below it.
const cases: Case[] = [
  {
    name: "go.mod newer, local",
    files: { "go.mod": "module m\n\ngo 1.99\n" },
    cwd: ".",
    gotoolchain: "local",
  },
  {
    name: "go.mod older, local",
    files: { "go.mod": "module m\n\ngo 1.21\n" },
    cwd: ".",
    gotoolchain: "local",
  },
  { name: "no go line", files: { "go.mod": "module m\n" }, cwd: ".", gotoolchain: "local" },
  {
    name: "go.mod newer, subdirectory",
    files: { "go.mod": "module m\n\ngo 1.99.1\n", "sub/x.txt": "" },
    cwd: "sub",
    gotoolchain: "local",
  },
  {
    name: "go.work newer, local",
    files: { "go.work": "go 1.99\n\nuse ./a\n", "a/go.mod": "module a\n\ngo 1.22\n" },
    cwd: "a",
    gotoolchain: "local",
  },
  {
    name: "module newer than go.work, auto",
    files: { "go.work": "go 1.22\n\nuse ./a\n", "a/go.mod": "module a\n\ngo 1.24\n" },
    cwd: "a",
    gotoolchain: "auto",
  },
  {
    name: "two modules newer than go.work, from the root",
    files: {
      "go.work": "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n",
      "a/go.mod": "module a\n\ngo 1.24\n",
      "b/go.mod": "module b\n\ngo 1.25\n",
    },
    cwd: ".",
    gotoolchain: "local",
  },
  {
    name: "go.work without go line",
    files: { "go.work": "use ./a\n", "a/go.mod": "module a\n\ngo 1.22\n" },
    cwd: "a",
    gotoolchain: "local",
  },
  {
    name: "module below 1.21 newer than go.work is fine",
    files: { "go.work": "go 1.18\n\nuse ./a\n", "a/go.mod": "module a\n\ngo 1.20\n" },
    cwd: "a",
    gotoolchain: "local",
  },
];

Deno.test({
  name: "loadDiagnostics says what go list -m says after selection",
  ignore: go === undefined,
  async fn(t) {
    const tmp = await Deno.makeTempDir({ prefix: "gtc-load-" });
    try {
      let n = 0;
      for (const c of cases) {
        await t.step(c.name, async () => {
          const root = `${tmp}/c${n++}`;
          for (const [p, text] of Object.entries(c.files)) {
            const path = `${root}/${p}`;
            Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
            Deno.writeTextFileSync(path, text);
          }
          const env: Record<string, string> = {
            PATH: `${go!.bindir}:/usr/bin:/bin`,
            HOME: `${tmp}/home`,
            GOENV: "off",
            GOFLAGS: "",
            GOPROXY: "off",
            GOTOOLCHAIN: c.gotoolchain,
            GOPATH: `${tmp}/gopath`,
            GOCACHE: `${tmp}/gocache`,
          };
          const dir = `${root}/${c.cwd}`;
          const out = await new Deno.Command(go!.path, {
            args: ["list", "-m"],
            env,
            clearEnv: true,
            cwd: dir,
          }).output();
          const theirs = new TextDecoder().decode(out.stderr);
          const x = resolve(denoHost, { dir, env });
          assert.equal(x.error, null, "selection succeeds in every case");
          const mine = loadDiagnostics(denoHost, x, env);
          if (out.code === 0) assert.deepEqual(mine, [], theirs);
          else assert.equal(mine.map((m) => m + "\n").join(""), theirs);
        });
      }
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
