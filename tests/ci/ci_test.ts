/**
 * `gtc ci` end to end: a temp module with a fake go1.99.0 on PATH, the real
 * local go, a Microsoft build, a toolchain that needs a download (installed
 * from the loopback GOPROXY + sumdb fixture); each format, and the GitHub
 * files read back as the Actions runner reads them.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { findGo } from "../differential/gocmd.ts";
import { startFixture } from "../fixtures/mod.ts";
import { toolchainCacheDir } from "../../lib/toolchain/mod.ts";
import { denoDir, gtc, removeAll } from "../repl/_gtc.ts";
import { githubPath, parseGithubEnv } from "./actions.ts";

const { go } = await findGo();
const linuxAmd64 = Deno.build.os === "linux" && Deno.build.arch === "x86_64";

interface Fixture {
  dir: string;
  /** The fake toolchain's GOROOT: sdk/go1.99.0, with a bin/go. */
  sdk: string;
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

// fixture: m/go.mod (go 1.99.0); bin/go1.99.0, a golang.org/dl-style wrapper
// that says where its GOROOT is (`go1.99.0 env GOROOT`) and logs how it was
// run; sdk/go1.99.0/bin/go, which prints its version and environment.
function fixture(): Fixture {
  const dir = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "gtc-ci-" }));
  const sdk = `${dir}/sdk/go1.99.0`;
  for (const d of ["m/sub", "bin", "home", `sdk/go1.99.0/bin`]) {
    Deno.mkdirSync(`${dir}/${d}`, { recursive: true });
  }
  Deno.writeTextFileSync(`${dir}/m/go.mod`, "module m\n\ngo 1.99.0\n");
  Deno.writeTextFileSync(
    `${dir}/bin/go1.99.0`,
    `#!/bin/sh\necho "GOTOOLCHAIN=\${GOTOOLCHAIN-unset} GOROOT=\${GOROOT-unset} args=$*" >>${dir}/calls\n` +
      `if [ "$*" = "env GOROOT" ]; then echo ${sdk}; exit 0; fi\nexit 2\n`,
    { mode: 0o755 },
  );
  Deno.writeTextFileSync(
    `${sdk}/bin/go`,
    `#!/bin/sh\necho "go version go1.99.0 linux/amd64 GOROOT=$GOROOT GOTOOLCHAIN=$GOTOOLCHAIN"\n`,
    { mode: 0o755 },
  );
  const env: Record<string, string> = {
    PATH: `${dir}/bin:/usr/bin:/bin`,
    HOME: `${dir}/home`,
    GTC_HOME: `${dir}/home/gtc`,
    GOENV: "off",
    GOPROXY: "off",
    GOTOOLCHAIN: "auto",
    GOROOT: "/not/this/one",
    GTC_DAEMON: "off",
    NO_COLOR: "1",
    DENO_DIR: denoDir(),
  };
  return { dir, sdk, env, cleanup: () => removeAll(dir) };
}

// sh runs a shell command line in env, as the next CI step would.
async function sh(line: string, env: Record<string, string>, cwd: string): Promise<string> {
  const out = await new Deno.Command("sh", { args: ["-c", line], env, clearEnv: true, cwd })
    .output();
  return new TextDecoder().decode(out.stdout);
}

// The cache lines gtc ci prints after GOROOT, PATH and GOTOOLCHAIN for a
// module without go.sum files (HASH: SHA-256 of nothing) under HOME=home.
const noSums = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
function cacheOf(home: string, toolchain: string, root: string) {
  const restoreKey = `gtc-go-linux-amd64-${toolchain}-`;
  return {
    gomodcache: `${home}/go/pkg/mod`,
    gocache: `${home}/.cache/go-build`,
    paths: [`${home}/go/pkg/mod`, `${home}/.cache/go-build`],
    key: restoreKey + noSums,
    restoreKey,
    sumFiles: [],
    root,
  };
}
function cachePlain(home: string, toolchain: string): string {
  const c = cacheOf(home, toolchain, "");
  return `GOMODCACHE=${c.gomodcache}\nGOCACHE=${c.gocache}\n` +
    `GTC_CACHE_KEY=${c.key}\nGTC_CACHE_RESTORE_KEY=${c.restoreKey}\n`;
}

function parsePlain(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n").filter((l) => l !== "")) {
    const i = line.indexOf("=");
    env[line.slice(0, i)] = line.slice(i + 1);
  }
  return env;
}

Deno.test("gtc ci, a goX.Y.Z wrapper on PATH: plain, shell and json; its GOROOT from `env GOROOT`", async () => {
  const f = fixture();
  try {
    const m = `${f.dir}/m`;
    let r = await gtc(["ci"], { env: f.env, cwd: `${m}/sub` });
    equal(r.stderr, "");
    equal(r.code, 0);
    equal(
      r.stdout,
      `GOROOT=${f.sdk}\nPATH=${f.sdk}/bin:${f.env.PATH}\nGOTOOLCHAIN=go1.99.0\n` +
        cachePlain(f.env.HOME, "go1.99.0"),
    );
    // The wrapper was asked for its GOROOT as the go command runs a PATH
    // toolchain: GOROOT unset, and GOTOOLCHAIN=local so it cannot switch.
    equal(
      Deno.readTextFileSync(`${f.dir}/calls`),
      "GOTOOLCHAIN=local GOROOT=unset args=env GOROOT\n",
    );
    // The next step's `go` is the toolchain.
    const step = { ...f.env, ...parsePlain(r.stdout) };
    equal(
      await sh("go version", step, m),
      `go version go1.99.0 linux/amd64 GOROOT=${f.sdk} GOTOOLCHAIN=go1.99.0\n`,
    );

    r = await gtc(["ci", m, "--format", "shell"], { env: f.env });
    equal(r.code, 0);
    equal(
      r.stdout,
      `export GOROOT='${f.sdk}'\nexport PATH='${f.sdk}/bin:${f.env.PATH}'\nexport GOTOOLCHAIN='go1.99.0'\n` +
        cachePlain(f.env.HOME, "go1.99.0").replace(/^(\w+)=(.*)$/gm, "export $1='$2'"),
    );
    const evald = await sh(`${r.stdout}\ngo version`, f.env, m);
    equal(evald, `go version go1.99.0 linux/amd64 GOROOT=${f.sdk} GOTOOLCHAIN=go1.99.0\n`);

    r = await gtc(["ci", m, "--format", "json"], { env: f.env });
    equal(r.code, 0);
    deepEqual(JSON.parse(r.stdout), {
      dir: m,
      toolchain: "go1.99.0",
      version: "1.99.0",
      source: "path",
      goroot: f.sdk,
      bin: `${f.sdk}/bin`,
      microsoft: false,
      installed: false,
      env: { GOROOT: f.sdk, PATH: `${f.sdk}/bin:${f.env.PATH}`, GOTOOLCHAIN: "go1.99.0" },
      pathPrepend: [`${f.sdk}/bin`],
      cache: cacheOf(f.env.HOME, "go1.99.0", m),
    });
  } finally {
    await f.cleanup();
  }
});

Deno.test("gtc ci, a goX.Y.Z symlink into a GOROOT: found by its location, nothing run", async () => {
  const f = fixture();
  try {
    const root = `${f.dir}/sdk2/go1.99.0`;
    Deno.mkdirSync(`${root}/bin`, { recursive: true });
    Deno.mkdirSync(`${root}/pkg/tool`, { recursive: true });
    Deno.writeTextFileSync(`${root}/bin/go`, "#!/bin/sh\nexit 3\n", { mode: 0o755 });
    Deno.removeSync(`${f.dir}/bin/go1.99.0`);
    Deno.symlinkSync(`${root}/bin/go`, `${f.dir}/bin/go1.99.0`);
    // PATH already has the bin: it moves to the front, once.
    const env = { ...f.env, PATH: `/usr/bin:${root}/bin:${f.dir}/bin:/bin` };
    const r = await gtc(["ci", `${f.dir}/m`], { env });
    equal(r.stderr, "");
    equal(
      r.stdout,
      `GOROOT=${root}\nPATH=${root}/bin:/usr/bin:${f.dir}/bin:/bin\nGOTOOLCHAIN=go1.99.0\n` +
        cachePlain(f.env.HOME, "go1.99.0"),
    );
    ok(!(await exists(`${f.dir}/calls`)));
  } finally {
    await f.cleanup();
  }
});

Deno.test("gtc ci --format github appends to GITHUB_ENV and GITHUB_PATH as Actions reads them", async () => {
  const f = fixture();
  try {
    const envFile = `${f.dir}/github_env`;
    const pathFile = `${f.dir}/github_path`;
    Deno.writeTextFileSync(envFile, "EARLIER=1\nMULTI<<EOF\na\nb\nEOF\n");
    Deno.writeTextFileSync(pathFile, "/earlier/bin\n");
    const env = { ...f.env, GITHUB_ENV: envFile, GITHUB_PATH: pathFile };
    const r = await gtc(["ci", "--format", "github"], { env, cwd: `${f.dir}/m` });
    const cache = cacheOf(f.env.HOME, "go1.99.0", `${f.dir}/m`);
    equal(r.stderr, "");
    equal(r.code, 0);
    equal(
      r.stdout,
      `gtc ci: go1.99.0 for ${f.dir}/m\n  GOROOT=${f.sdk}\n  GOTOOLCHAIN=go1.99.0\n` +
        `  GOMODCACHE=${cache.gomodcache}\n  GOCACHE=${cache.gocache}\n` +
        `  cache key ${cache.key} (restore ${cache.restoreKey}; 0 go.sum/go.work.sum file(s) hashed)\n` +
        `  written to ${envFile}\n  ${f.sdk}/bin put first in PATH for the next steps (${pathFile})\n`,
    );
    deepEqual(parseGithubEnv(Deno.readTextFileSync(envFile)), [
      ["EARLIER", "1"],
      ["MULTI", "a\nb"],
      ["GOROOT", f.sdk],
      ["GOTOOLCHAIN", "go1.99.0"],
      ["GOMODCACHE", cache.gomodcache],
      ["GOCACHE", cache.gocache],
    ]);
    const nextPath = githubPath(Deno.readTextFileSync(pathFile), "/usr/bin:/bin");
    equal(nextPath, `${f.sdk}/bin:/earlier/bin:/usr/bin:/bin`);
    // The next step, built the way the runner builds it, runs the toolchain.
    const next: Record<string, string> = { ...f.env, PATH: nextPath };
    for (const [k, v] of parseGithubEnv(Deno.readTextFileSync(envFile))) next[k] = v;
    equal(
      await sh("go version", next, `${f.dir}/m`),
      `go version go1.99.0 linux/amd64 GOROOT=${f.sdk} GOTOOLCHAIN=go1.99.0\n`,
    );

    // Outside Actions, the files are not there to write.
    const r2 = await gtc(["ci", "--format", "github"], { env: f.env, cwd: `${f.dir}/m` });
    equal(r2.code, 2);
    match(r2.stderr, /^gtc ci: --format github: GITHUB_ENV and GITHUB_PATH must name/);
    const r3 = await gtc(["ci", "--format", "yaml"], { env: f.env, cwd: `${f.dir}/m` });
    equal(r3.code, 2);
    equal(r3.stderr, "gtc ci: --format yaml: expected one of plain, shell, github, json\n");
  } finally {
    await f.cleanup();
  }
});

Deno.test({
  name: "gtc ci with the local go: its GOROOT, and the real go agrees in the next step",
  ignore: go === undefined,
  async fn() {
    const f = fixture();
    try {
      Deno.writeTextFileSync(`${f.dir}/m/go.mod`, "module m\n\ngo 1.21\n");
      const env: Record<string, string> = {
        ...f.env,
        PATH: `${go!.bindir}:${f.dir}/bin:/usr/bin:/bin`,
      };
      delete env.GOROOT;
      const r = await gtc(["ci", "--format", "json"], { env, cwd: `${f.dir}/m` });
      equal(r.stderr, "");
      const ci = JSON.parse(r.stdout);
      equal(ci.source, "local");
      equal(ci.toolchain, go!.version);
      equal(ci.goroot, go!.goroot);
      equal(ci.env.GOTOOLCHAIN, go!.version);
      equal(ci.env.PATH, `${go!.goroot}/bin:${f.dir}/bin:/usr/bin:/bin`);
      const step = { ...env, ...ci.env, GOTELEMETRY: "off" };
      equal(
        await sh("go env GOROOT GOTOOLCHAIN GOVERSION", step, `${f.dir}/m`),
        `${go!.goroot}\n${go!.version}\n${go!.version}\n`,
      );

      // A go line above the local go: the PATH go1.99.0 is selected instead.
      Deno.writeTextFileSync(`${f.dir}/m/go.mod`, "module m\n\ngo 1.99.0\n");
      const r2 = await gtc(["ci"], { env, cwd: `${f.dir}/m` });
      equal(r2.stderr, "");
      equal(
        r2.stdout,
        `GOROOT=${f.sdk}\nPATH=${f.sdk}/bin:${env.PATH}\nGOTOOLCHAIN=go1.99.0\n` +
          cachePlain(env.HOME, "go1.99.0"),
      );
    } finally {
      await f.cleanup();
    }
  },
});

Deno.test("gtc ci with a Microsoft build: GOTOOLCHAIN=local", async () => {
  const f = fixture();
  try {
    const root = `${f.dir}/msgo/go`;
    Deno.mkdirSync(`${root}/bin`, { recursive: true });
    Deno.mkdirSync(`${root}/pkg/tool`, { recursive: true });
    Deno.writeTextFileSync(`${root}/bin/go`, "#!/bin/sh\nexit 3\n", { mode: 0o755 });
    Deno.writeTextFileSync(`${root}/VERSION`, "go1.99.0\ntime 2026-01-01T00:00:00Z\n");
    Deno.writeTextFileSync(`${root}/MICROSOFT_REVISION`, "1\n");
    Deno.writeTextFileSync(`${f.dir}/m/go.mod`, "module m\n\ngo 1.22\n");
    const env = { ...f.env, PATH: `${root}/bin:/usr/bin:/bin` };
    const r = await gtc(["ci", "--format", "json"], { env, cwd: `${f.dir}/m` });
    equal(r.stderr, "");
    const ci = JSON.parse(r.stdout);
    equal(ci.microsoft, true);
    equal(ci.source, "local");
    equal(ci.goroot, root);
    deepEqual(ci.env, { GOROOT: root, PATH: `${root}/bin:/usr/bin:/bin`, GOTOOLCHAIN: "local" });
  } finally {
    await f.cleanup();
  }
});

Deno.test("gtc ci: the go command's errors; --no-install; a download refused", async () => {
  const f = fixture();
  try {
    const m = `${f.dir}/m`;
    let r = await gtc(["ci"], { env: { ...f.env, GOTOOLCHAIN: "go1.2.3+bad" }, cwd: m });
    equal(r.code, 1);
    equal(r.stdout, "");
    equal(
      r.stderr,
      'gtc ci: go: invalid GOTOOLCHAIN "go1.2.3+bad": only version suffixes are +auto and +path\n',
    );
    Deno.writeTextFileSync(`${m}/go.mod`, "module m\n\ngo 1.98.5\n");
    r = await gtc(["ci", "--no-install"], { env: f.env, cwd: m });
    equal(r.code, 1);
    equal(r.stderr, "gtc ci: toolchain go1.98.5 needs a download (--no-install)\n");
    // GOPROXY=off: the install fails, and says so.
    r = await gtc(["ci"], { env: f.env, cwd: m });
    equal(r.code, 1);
    equal(r.stdout, "");
    match(r.stderr, /^gtc ci: install go1\.98\.5: download go1\.98\.5/);
    r = await gtc(["ci", `${f.dir}/nope`], { env: f.env });
    equal(r.code, 2);
    equal(r.stderr, `gtc ci: ${f.dir}/nope: no such directory\n`);
  } finally {
    await f.cleanup();
  }
});

Deno.test({
  name: "gtc ci installs a toolchain that needs a download (GOPROXY + sumdb fixture), once",
  ignore: !linuxAmd64,
  async fn() {
    const fx = await startFixture({ toolchains: ["go1.99.1"] });
    try {
      Deno.writeTextFileSync(`${fx.work}/go.mod`, "module m\n\ngo 1.99.1\n");
      const env = {
        ...fx.env,
        PATH: "/usr/bin:/bin",
        GOTOOLCHAIN: "auto",
        GTC_HOME: `${fx.home}/gtc`,
        GTC_DAEMON: "off",
        NO_COLOR: "1",
        DENO_DIR: denoDir(),
      };
      const dir = toolchainCacheDir(fx.gomodcache, "go1.99.1", "linux", "amd64");
      let r = await gtc(["ci", "--format", "json"], { env, cwd: fx.work });
      equal(r.code, 0, r.stderr);
      let ci = JSON.parse(r.stdout);
      equal(ci.installed, true);
      equal(ci.source, "cache");
      equal(ci.goroot, dir);
      deepEqual(ci.env, { GOROOT: dir, PATH: `${dir}/bin:/usr/bin:/bin`, GOTOOLCHAIN: "go1.99.1" });
      equal(fx.requestCounts()[fx.zipPath("go1.99.1")], 1);
      // The next step runs it.
      match(await sh("go version", { ...env, ...ci.env }, fx.work), /go1\.99\.1/);
      // Already there: nothing installed, nothing fetched.
      r = await gtc(["ci", "--format", "json"], { env, cwd: fx.work });
      equal(r.code, 0, r.stderr);
      ci = JSON.parse(r.stdout);
      equal(ci.installed, false);
      equal(ci.source, "cache");
      equal(fx.requestCounts()[fx.zipPath("go1.99.1")], 1);
    } finally {
      await fx.close();
    }
  },
});

async function exists(p: string): Promise<boolean> {
  try {
    await Deno.lstat(p);
    return true;
  } catch {
    return false;
  }
}
