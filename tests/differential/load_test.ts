/**
 * Differential test: what the selected toolchain does once it loads the
 * module (issue 12, points 2 and 4). `go version` does not load go.mod, so
 * the main differential test cannot see these failures; here each case runs
 * both `go version` (gtc's answer must agree: the toolchain still runs) and
 * `go list -m` (which loads the module): when it fails, its stderr must be
 * gtc's diagnostics byte for byte and the prompt must show the failure;
 * when it succeeds, gtc has no diagnostics.
 *
 * Cases: a go line newer than the toolchain GOTOOLCHAIN keeps (local from
 * the environment, from a go env file, from $GOROOT/go.env when the
 * reference go's says local; a fixed version), in go.mod and go.work, at the
 * module root and below it; a UTF-8 BOM before the first directive of go.mod
 * and go.work (the go command keeps its toolchain, then cannot parse the file).
 */
import assert from "node:assert/strict";
import { resolve } from "../../mod.ts";
import { promptLine } from "../../lib/hooks/prompt.ts";
import { findGo, materialize, observeRun, removeSettled, runGo } from "./gocmd.ts";
import type { FileSpec, Scenario } from "./scenarios.ts";

const { go, reason } = await findGo();
if (go === undefined) console.log(`skipping load_test: ${reason}`);

const bom = "\ufeff";

interface Case {
  name: string;
  files: FileSpec[];
  cwd: string;
  env: Record<string, string>;
}

const mod = (goLine: string, path = "w/go.mod") => ({
  path,
  content: `module m\n\ngo ${goLine}\n`,
});

function cases(gorootSaysLocal: boolean): Case[] {
  const out: Case[] = [
    {
      name: "GOTOOLCHAIN=local, go.mod newer",
      files: [mod("1.28.1")],
      cwd: "w",
      env: { GOTOOLCHAIN: "local" },
    },
    {
      name: "GOTOOLCHAIN=local, go.mod newer, in a subdirectory",
      files: [mod("1.28.1"), { path: "w/sub", dir: true }],
      cwd: "w/sub",
      env: { GOTOOLCHAIN: "local" },
    },
    {
      name: "GOTOOLCHAIN=local from a go env file",
      files: [mod("1.28"), { path: "goenv", content: "GOTOOLCHAIN=local\n" }],
      cwd: "w",
      env: { GOENV: "$ROOT/goenv" },
    },
    {
      name: "GOTOOLCHAIN set to the local toolchain's own name",
      files: [mod("1.28.1")],
      cwd: "w",
      env: { GOTOOLCHAIN: "go1.26.8" },
    },
    {
      name: "GOTOOLCHAIN=local, go.mod older",
      files: [mod("1.22")],
      cwd: "w",
      env: { GOTOOLCHAIN: "local" },
    },
    {
      name: "GOTOOLCHAIN=local, go.work newer",
      files: [mod("1.22", "w/a/go.mod"), { path: "w/go.work", content: "go 1.28.1\n\nuse ./a\n" }],
      cwd: "w/a",
      env: { GOTOOLCHAIN: "local" },
    },
    {
      name: "BOM before the go line of go.mod",
      files: [{ path: "w/go.mod", content: `${bom}go 1.28.1\n\nmodule m\n` }],
      cwd: "w",
      env: { GOTOOLCHAIN: "auto" },
    },
    {
      name: "BOM before the go line of go.work",
      files: [mod("1.22", "w/a/go.mod"), {
        path: "w/go.work",
        content: `${bom}go 1.28.1\n\nuse ./a\n`,
      }],
      cwd: "w/a",
      env: { GOTOOLCHAIN: "auto" },
    },
    {
      name: "BOM, GOTOOLCHAIN=local",
      files: [{ path: "w/go.mod", content: `${bom}module m\n\ngo 1.22\n` }],
      cwd: "w",
      env: { GOTOOLCHAIN: "local" },
    },
  ];
  if (gorootSaysLocal) {
    out.push({
      name: "GOTOOLCHAIN=local from $GOROOT/go.env",
      files: [mod("1.28.1")],
      cwd: "w",
      env: {},
    });
  }
  return out;
}

Deno.test({
  name: "load failures: gtc's diagnostics are what go list -m prints, and the prompt shows them",
  ignore: go === undefined,
  async fn(t) {
    const goEnv = await Deno.readTextFile(`${go!.goroot}/go.env`).catch(() => "");
    const gorootSaysLocal = /^GOTOOLCHAIN=local$/m.test(goEnv);
    if (!gorootSaysLocal) {
      console.log("load_test: $GOROOT/go.env does not say GOTOOLCHAIN=local; that case is skipped");
    }
    const base = await Deno.makeTempDir({ prefix: "gtc-load-" });
    try {
      let i = 0;
      for (const c of cases(gorootSaysLocal)) {
        await t.step(c.name, async () => {
          const s: Scenario = {
            name: c.name,
            files: [{ path: "home", dir: true }, { path: "gopath", dir: true }, ...c.files],
            cwd: c.cwd,
            env: {
              PATH: "$GOBIN:/usr/bin:/bin",
              HOME: "$ROOT/home",
              GOPATH: "$ROOT/gopath",
              GOPROXY: "off",
              GOENV: "off",
              GOFLAGS: "",
              ...c.env,
            },
            args: ["version"],
          };
          const m = await materialize(s, `${base}/${i++}`, go!);
          const x = await resolve({ dir: m.dir, env: { ...m.env } });
          const v = await observeRun(go!, m, ["version"]);
          const list = await runGo(go!, m, ["list", "-m"]);
          const show = JSON.stringify({ version: v.obs, list, gtc: x }, null, 1);
          // go version runs the same toolchain.
          assert.equal(v.obs.kind, "ran", show);
          if (v.obs.kind !== "ran") return;
          assert.equal(x.toolchain, v.obs.toolchain, show);
          assert.equal(x.error, null, show);
          if (list.code === 0) {
            assert.deepEqual(x.diagnostics, [], show);
            assert.doesNotMatch(promptLine(x, { bindir: "" }), /!/);
          } else {
            assert.deepEqual(x.diagnostics, [list.stderr.replace(/\n$/, "")], show);
            assert.match(promptLine(x, { bindir: "" }), /^[a-z]*e[a-z]*\|[^|]*\|[^|]*!\|/);
          }
        });
      }
    } finally {
      await removeSettled(base);
    }
  },
});
