/**
 * Differential tests: gtc's reading of go.mod and go.work files, and its
 * discovery of them, against the real go command (go >= 1.21; the fixtures
 * were recorded with go1.26). Skipped, with a message, when no such go is
 * on PATH or at /usr/local/go/bin/go.
 *
 * The go command runs with GOTOOLCHAIN=local (no switching), GOPROXY=off,
 * GOENV=off, an empty GOFLAGS and a temporary HOME, GOPATH, GOMODCACHE and
 * GOCACHE, so nothing outside the test's directories affects it.
 *
 * @module
 */

import assert from "node:assert/strict";
import { denoFs } from "../host/fs.ts";
import { loadFixtures, summarize } from "./_fixtures.ts";
import { ModFileErrorList } from "./error.ts";
import { findGoMod, findGoWork, GoWorkError } from "./find.ts";
import { parse, parseWork } from "./parse.ts";

interface GoCmd {
  path: string;
  /** Minor version: 26 for go1.26.8. */
  minor: number;
}

function findGo(): GoCmd | undefined {
  const candidates = (Deno.env.get("PATH") ?? "").split(":").filter((d) => d !== "").map((d) =>
    `${d}/go`
  );
  candidates.push("/usr/local/go/bin/go");
  for (const path of candidates) {
    try {
      const out = new Deno.Command(path, {
        args: ["env", "GOVERSION"],
        env: { GOTOOLCHAIN: "local", GOENV: "off" },
        stdout: "piped",
        stderr: "null",
      }).outputSync();
      const m = /^go1\.(\d+)/.exec(new TextDecoder().decode(out.stdout));
      if (out.success && m && Number(m[1]) >= 21) return { path, minor: Number(m[1]) };
    } catch {
      // Not there or not runnable: try the next one.
    }
  }
  return undefined;
}

const go = findGo();
const home = Deno.makeTempDirSync({ prefix: "gtc-modfile-gocmd-home-" });
globalThis.addEventListener("unload", () => Deno.removeSync(home, { recursive: true }));

function runGo(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): { ok: boolean; stdout: string; stderr: string } {
  const out = new Deno.Command(go!.path, {
    args,
    cwd,
    clearEnv: true,
    env: {
      PATH: "/usr/bin:/bin",
      HOME: home,
      GOPATH: `${home}/gopath`,
      GOMODCACHE: `${home}/modcache`,
      GOCACHE: `${home}/cache`,
      GOTOOLCHAIN: "local",
      GOPROXY: "off",
      GOFLAGS: "",
      GOENV: "off",
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const dec = new TextDecoder();
  return { ok: out.success, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

// Directives newer than go1.21, with the Go minor version that added them:
// an older go calls them unknown, so fixtures using them need a newer go.
const introduced: Record<string, number> = { godebug: 23, tool: 24, ignore: 25 };

function needsNewerGo(data: string): string | undefined {
  for (const [verb, minor] of Object.entries(introduced)) {
    if (new RegExp(`^\\s*${verb}\\b`, "m").test(data) && go!.minor < minor) {
      return `needs go1.${minor} for ${verb}`;
    }
  }
  return undefined;
}

function withFile<T>(name: string, data: string, f: (dir: string) => T): T {
  const dir = Deno.makeTempDirSync({ prefix: "gtc-modfile-gocmd-" });
  try {
    Deno.writeTextFileSync(`${dir}/${name}`, data);
    return f(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

// goErrors runs `go mod edit -json` (or `go work edit -json`) on the file and
// returns the error lines it prints after its "errors parsing" headers.
function goErrors(file: "go.mod" | "go.work", data: string): string {
  return withFile(file, data, (dir) => {
    const cmd = file === "go.work" ? "work" : "mod";
    const r = runGo([cmd, "edit", "-json", file], dir);
    assert.equal(r.ok, false, `go ${cmd} edit succeeded:\n${r.stdout}`);
    return r.stderr.split("\n")
      .filter((l) => !/^(go: )?errors parsing go\.(mod|work):$/.test(l))
      .join("\n").trimEnd();
  });
}

function gtcErrors(file: "go.mod" | "go.work", data: string): string {
  try {
    (file === "go.work" ? parseWork : parse)(file, data);
  } catch (e) {
    if (e instanceof ModFileErrorList) return e.message;
    throw e;
  }
  return "(no error)";
}

Deno.test({
  name: "testdata/errors: gtc's errors are the go command's, line for line",
  ignore: go === undefined,
  async fn(t) {
    for (const fx of loadFixtures(new URL("./testdata/errors/", import.meta.url))) {
      const skip = needsNewerGo(fx.data);
      await t.step({
        name: `${fx.name}${skip ? ` (skipped: ${skip})` : ""}`,
        ignore: skip !== undefined,
        fn() {
          const want = goErrors(fx.file, fx.data);
          assert.equal(gtcErrors(fx.file, fx.data), want);
          // The recorded want must still be what go says.
          assert.equal(fx.sections.get("want")?.trimEnd(), want);
        },
      });
    }
  },
});

Deno.test({
  name: "testdata/ok: the go command reads the same go, toolchain, godebug and use lines",
  ignore: go === undefined,
  async fn(t) {
    for (const fx of loadFixtures(new URL("./testdata/ok/", import.meta.url))) {
      if (!fx.sections.has("want")) continue; // lax-only: no go command reads it alone
      const skip = needsNewerGo(fx.data);
      await t.step({
        name: fx.name,
        ignore: skip !== undefined,
        fn() {
          const isWork = fx.file === "go.work";
          const [j, printed] = withFile(fx.file, fx.data, (dir) => {
            const cmd = isWork ? "work" : "mod";
            const r = runGo([cmd, "edit", "-json", fx.file], dir);
            assert.ok(r.ok, r.stderr);
            const p = runGo([cmd, "edit", "-print", fx.file], dir);
            assert.ok(p.ok, p.stderr);
            return [JSON.parse(r.stdout), p.stdout];
          });
          const f = isWork ? parseWork(fx.file, fx.data) : parse(fx.file, fx.data);
          assert.equal(j.Go, f.go?.version);
          // `go work edit -json` has no Toolchain or Godebug fields (go1.26), so
          // read the lines from the file as the go command formats it.
          if (isWork) {
            const tc = /^toolchain (\S+)$/m.exec(printed);
            assert.equal(tc?.[1], f.toolchain?.name);
          } else {
            assert.equal(j.Toolchain, f.toolchain?.name);
            assert.deepEqual(
              (j.GoDebug ?? []).map((g: { Key: string; Value: string }) => `${g.Key}=${g.Value}`),
              f.godebug.map((g) => `${g.key}=${g.value}`),
            );
          }
          if ("use" in f) {
            assert.deepEqual(
              (j.Use ?? []).map((u: { DiskPath: string }) => u.DiskPath),
              f.use.map((u) => u.path),
            );
          } else {
            assert.equal(j.Module.Path, f.module?.path ?? "");
            assert.equal(j.Module.Deprecated, f.module?.deprecated || undefined);
            assert.deepEqual(
              (j.Require ?? []).map((r: { Path: string; Version: string }) =>
                `${r.Path} ${r.Version}`
              ),
              f.require.map((r) => `${r.mod.path} ${r.mod.version}`),
            );
          }
          // And gtc's own summary is the recorded one.
          assert.deepEqual(summarize(f), JSON.parse(fx.sections.get("want")!));
        },
      });
    }
  },
});

Deno.test({
  name: "findGoMod() and findGoWork() agree with `go env GOMOD GOWORK`",
  ignore: go === undefined,
  async fn(t) {
    const root = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "gtc-modfile-gocmd-find-" }));
    try {
      for (const d of ["ws/m/pkg", "tmp/scratch", "dirmod/go.mod", "dirmod/x", "plain"]) {
        Deno.mkdirSync(`${root}/${d}`, { recursive: true });
      }
      Deno.writeTextFileSync(`${root}/ws/go.work`, "go 1.21\n\nuse ./m\n");
      Deno.writeTextFileSync(`${root}/ws/m/go.mod`, "module example.com/m\n\ngo 1.21\n");
      Deno.writeTextFileSync(`${root}/tmp/go.mod`, "module t\n");
      Deno.symlinkSync(`${root}/tmp`, `${root}/tmplink`);
      const goroot = runGo(["env", "GOROOT"], root).stdout.trim();

      const scenarios: [desc: string, dir: string, env: Record<string, string>][] = [
        ["module in a workspace", "ws/m/pkg", {}],
        ["workspace root", "ws", {}],
        ["GOWORK=off", "ws/m", { GOWORK: "off" }],
        ["GOWORK=auto", "ws/m", { GOWORK: "auto" }],
        ["GOWORK names a missing file", "ws/m", { GOWORK: `${root}/none/go.work` }],
        ["go.mod in TMPDIR is ignored", "tmp/scratch", { TMPDIR: `${root}/tmp` }],
        ["TMPDIR through a symlink", "tmp/scratch", { TMPDIR: `${root}/tmplink` }],
        ["module root through a symlink", "tmplink/scratch", { TMPDIR: `${root}/tmp` }],
        ["TMPDIR elsewhere", "tmp/scratch", { TMPDIR: `${root}/plain` }],
        ["a directory named go.mod", "dirmod/x", {}],
        ["nothing", "plain", {}],
      ];
      for (const [desc, rel, env] of scenarios) {
        await t.step(desc, () => {
          const dir = `${root}/${rel}`;
          const r = runGo(["env", "GOMOD", "GOWORK"], dir, { TMPDIR: "/tmp", ...env });
          assert.ok(r.ok, r.stderr);
          const [gomod, gowork] = r.stdout.split("\n");
          const tempDir = env.TMPDIR ?? "/tmp";
          assert.equal(findGoMod(denoFs, dir, { tempDir }) ?? "/dev/null", gomod);
          const found = findGoWork(denoFs, dir, { gowork: env.GOWORK ?? "", goroot });
          // go env reports an explicit GOWORK=off as "off" (envcmd's special
          // case); FindGoWork itself returns "" for it.
          assert.equal(found ?? (env.GOWORK === "off" ? "off" : ""), gowork);
        });
      }

      await t.step("a relative GOWORK fails with the same message", () => {
        const r = runGo(["env", "GOWORK"], `${root}/ws`, { GOWORK: "go.work" });
        assert.equal(r.ok, false);
        let message = "";
        try {
          findGoWork(denoFs, `${root}/ws`, { gowork: "go.work", goroot });
        } catch (e) {
          if (e instanceof GoWorkError) message = e.message;
        }
        assert.equal(message, r.stderr.trim());
      });
    } finally {
      Deno.removeSync(root, { recursive: true });
    }
  },
});

if (go === undefined) {
  console.warn("gocmd_test.ts: skipped: no go >= 1.21 on PATH or at /usr/local/go/bin/go");
}
