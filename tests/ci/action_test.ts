/**
 * action.yml's steps run locally exactly as the runner runs them: each
 * `run:` line of the composite action (scripts/action.sh keys, then setup)
 * with temporary GITHUB_ENV / GITHUB_PATH / GITHUB_OUTPUT files, the outputs
 * the action wires into actions/cache read back as the runner reads them,
 * and the next step's go (built from those files) compared with what was
 * announced. Also: the cache key's hash recomputed with sha256sum, and the
 * cache directories compared with `go env` of the real go.
 */
import { deepEqual, equal, match, notEqual, ok } from "node:assert/strict";
import { findGo } from "../differential/gocmd.ts";
import { denoDir, removeAll } from "../repl/_gtc.ts";
import { githubPath, parseGithubEnv } from "./actions.ts";
import { goCacheDir, goModCacheDir } from "../../lib/ci/mod.ts";
import { GoEnv } from "../../lib/goenv/mod.ts";
import { denoFs } from "../../lib/host/fs.ts";

const { go, reason } = await findGo();
const repo = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const dec = new TextDecoder();

async function sh(line: string, env: Record<string, string>, cwd: string) {
  const o = await new Deno.Command("bash", { args: ["-c", line], env, clearEnv: true, cwd })
    .output();
  return { code: o.code, stdout: dec.decode(o.stdout), stderr: dec.decode(o.stderr) };
}

// The action's steps, read from action.yml: id, run line, and the outputs of
// other steps it reads.
function actionSteps(): { id: string; run?: string; uses?: string; reads: string[] }[] {
  const text = Deno.readTextFileSync(`${repo}/action.yml`);
  const steps = text.slice(text.indexOf("\n  steps:\n")).split(/\n {4}- /).slice(1);
  return steps.map((s) => ({
    id: /^id: (\S+)/m.exec(s)![1],
    run: /^\s*run: '(.*)'$/m.exec(s)?.[1],
    uses: /^\s*uses: (\S+)$/m.exec(s)?.[1],
    reads: [...s.matchAll(/steps\.(\w+)\.outputs\.([\w-]+)/g)].map((m) => `${m[1]}.${m[2]}`),
  }));
}

// A workspace with go.sum files where the key must look, and where it must not.
function workspace(root: string): string {
  const w = `${root}/ws`;
  const files: Record<string, string> = {
    "go.work": "go 1.21\n\nuse (\n\t./a\n\t./b\n)\n",
    "go.work.sum": "golang.org/x/text v0.3.0 h1:work=\n",
    "a/go.mod": "module example.com/a\n\ngo 1.21\n",
    "a/go.sum": "golang.org/x/mod v0.1.0 h1:a=\n",
    "a/main.go": "package main\n\nfunc main() {}\n",
    "b/go.mod": "module example.com/b\n\ngo 1.21\n",
    "b/go.sum": "golang.org/x/mod v0.2.0 h1:b=\n",
    ".git/go.sum": "ignored\n",
    "a/testdata/go.sum": "ignored\n",
    "_old/go.sum": "ignored\n",
  };
  for (const [p, c] of Object.entries(files)) {
    Deno.mkdirSync(`${w}/${p}`.replace(/\/[^/]+$/, ""), { recursive: true });
    Deno.writeTextFileSync(`${w}/${p}`, c);
  }
  return w;
}

Deno.test({
  name:
    "action.yml: its steps' script run with GitHub's files; the next step runs what it announced",
  ignore: go === undefined,
  async fn() {
    const root = Deno.realPathSync(await Deno.makeTempDir({ prefix: "gtc-action-" }));
    try {
      const w = workspace(root);
      Deno.mkdirSync(`${root}/home`);
      Deno.mkdirSync(`${root}/runner`);
      const base: Record<string, string> = {
        PATH: `${go!.bindir}:/usr/bin:/bin`,
        HOME: `${root}/home`,
        GOENV: "off",
        GOPROXY: "off",
        GOTOOLCHAIN: "auto",
        GTC_DAEMON: "off",
        GOTELEMETRY: "off",
        NO_COLOR: "1",
        DENO_DIR: denoDir(),
        RUNNER_TEMP: `${root}/runner`,
        GITHUB_ACTION_PATH: repo,
        GITHUB_ENV: `${root}/github_env`,
        GITHUB_PATH: `${root}/github_path`,
      };
      for (const f of ["github_env", "github_path"]) Deno.writeTextFileSync(`${root}/${f}`, "");
      const steps = actionSteps();
      deepEqual(steps.map((s) => s.id), ["keys", "cache", "gtc"]);
      const outputs: Record<string, Record<string, string>> = {};
      // The runner runs each step with the environment the earlier steps wrote.
      let env = { ...base };
      for (const step of steps) {
        for (const r of step.reads) {
          const [id, name] = r.split(".");
          if (id === "cache") continue; // actions/cache's own output
          ok(outputs[id]?.[name] !== undefined, `${step.id} reads ${r}, which no step wrote`);
        }
        if (step.uses !== undefined) {
          equal(step.uses, "actions/cache@v4");
          continue;
        }
        const out = `${root}/output_${step.id}`;
        Deno.writeTextFileSync(out, "");
        const r = await sh(step.run!, {
          ...env,
          GITHUB_OUTPUT: out,
          INPUT_WORKING_DIRECTORY: `${w}/a`,
          INPUT_INSTALL: "true",
        }, w);
        equal(r.code, 0, `${step.id}: ${r.stderr}`);
        outputs[step.id] = Object.fromEntries(parseGithubEnv(Deno.readTextFileSync(out)));
        env = { ...base, PATH: githubPath(Deno.readTextFileSync(base.GITHUB_PATH), base.PATH) };
        for (const [k, v] of parseGithubEnv(Deno.readTextFileSync(base.GITHUB_ENV))) env[k] = v;
      }
      const keys = outputs.keys;
      // The keys step and the setup step agree on the cache.
      for (const k of ["cache-key", "cache-restore-key", "cache-paths", "gomodcache", "gocache"]) {
        equal(outputs.gtc[k], keys[k], k);
      }
      equal(keys["cache-restore-key"], `gtc-go-linux-amd64-${go!.version}-`);
      match(keys["cache-key"], new RegExp(`^gtc-go-linux-amd64-${go!.version}-[0-9a-f]{64}$`));
      equal(outputs.gtc.toolchain, go!.version);
      // gtc is in PATH for later steps, the toolchain's bin before it.
      equal(env.PATH, `${go!.goroot}/bin:${root}/runner/gtc-bin:${base.PATH}`);
      const next = await sh("go env GOROOT GOTOOLCHAIN GOMODCACHE GOCACHE && command -v gtc", {
        ...env,
        GOTELEMETRY: "off",
      }, `${w}/a`);
      equal(
        next.stdout,
        [go!.goroot, go!.version, keys.gomodcache, keys.gocache, `${root}/runner/gtc-bin/gtc`]
          .join("\n") + "\n",
      );
      deepEqual(keys["cache-paths"].split("\n"), [keys.gomodcache, keys.gocache]);

      // The hash, recomputed with coreutils over the files the key covers.
      const want = await sh(
        "for f in a/go.sum b/go.sum go.work.sum; do " + // byte order of the paths
          'printf \'%s\\0%s\\n\' "$f" "$(sha256sum <"$f" | cut -d\' \' -f1)"; done | sha256sum',
        base,
        w,
      );
      equal(keys["cache-key"], keys["cache-restore-key"] + want.stdout.split(" ")[0]);

      // A changed go.sum changes the key; a changed source file or an
      // ignored go.sum does not.
      const key = async () => {
        const r = await sh(`"${repo}/scripts/gtc" ci --cache-keys`, base, `${w}/a`);
        equal(r.code, 0, r.stderr);
        return /^GTC_CACHE_KEY=(.*)$/m.exec(r.stdout)![1];
      };
      const k0 = await key();
      equal(k0, keys["cache-key"]);
      Deno.writeTextFileSync(`${w}/a/main.go`, "package main\n\nfunc main() { println() }\n");
      Deno.writeTextFileSync(`${w}/a/testdata/go.sum`, "changed\n");
      equal(await key(), k0);
      Deno.writeTextFileSync(`${w}/b/go.sum`, "golang.org/x/mod v0.3.0 h1:b=\n");
      notEqual(await key(), k0);
    } finally {
      await removeAll(root);
    }
  },
});

// Settings that move the caches, as `go env` reports them.
const cacheCases: { name: string; env: Record<string, string>; envFile?: string }[] = [
  { name: "defaults", env: {} },
  { name: "XDG_CACHE_HOME", env: { XDG_CACHE_HOME: "$ROOT/xdg" } },
  { name: "GOCACHE and GOMODCACHE", env: { GOCACHE: "$ROOT/gc", GOMODCACHE: "$ROOT/gmc" } },
  { name: "GOCACHE=off", env: { GOCACHE: "off" } },
  { name: "GOPATH list", env: { GOPATH: "$ROOT/p1:$ROOT/p2" } },
  { name: "go env file", env: {}, envFile: "GOCACHE=$ROOT/fromfile\nGOMODCACHE=$ROOT/mc\n" },
];

Deno.test({
  name: "gtc ci cache paths: GOMODCACHE and GOCACHE as go env reports them",
  ignore: go === undefined,
  async fn() {
    const root = Deno.realPathSync(await Deno.makeTempDir({ prefix: "gtc-cachedirs-" }));
    try {
      for (const c of cacheCases) {
        const env: Record<string, string> = {
          PATH: `${go!.bindir}:/usr/bin:/bin`,
          HOME: `${root}/home`,
          GOTOOLCHAIN: "local",
          GOTELEMETRY: "off",
          GOENV: c.envFile ? `${root}/goenv` : "off",
        };
        for (const [k, v] of Object.entries(c.env)) env[k] = v.replaceAll("$ROOT", root);
        if (c.envFile) Deno.writeTextFileSync(`${root}/goenv`, c.envFile.replaceAll("$ROOT", root));
        const r = await sh("go env GOMODCACHE GOCACHE", env, root);
        equal(r.code, 0, r.stderr);
        const goenv = new GoEnv({
          environ: env,
          fs: denoFs,
          goos: "linux",
          runtimeGoroot: go!.goroot,
        });
        const mod = goModCacheDir(goenv, "posix");
        const build = goCacheDir(goenv, "linux", "posix");
        ok("dir" in mod && "dir" in build, c.name);
        equal(`${mod.dir}\n${build.dir}\n`, r.stdout, c.name);
      }
    } finally {
      await removeAll(root);
    }
  },
});

if (go === undefined) console.log(`action tests skipped: ${reason}`);
