/**
 * gtc installs toolchains from a loopback GOPROXY + checksum database
 * (tests/fixtures) into the module cache, and the real go command runs them
 * without downloading again — and the other way round. Failures are worded
 * as the go command words them, and leave nothing installed.
 */
import assert from "node:assert/strict";
import { GoEnv } from "../../lib/goenv/mod.ts";
import { denoFs } from "../../lib/host/fs.ts";
import { hostGoproxyDeps } from "../../lib/host/install_deps.ts";
import { installFromGoproxy } from "../../lib/install/mod.ts";
import { isCachedToolchain, toolchainCacheDir } from "../../lib/toolchain/mod.ts";
import { type Fixture, startFixture } from "../fixtures/mod.ts";
import { findGo } from "../differential/gocmd.ts";

const { go, reason } = await findGo();
if (go === undefined) console.log(`skipping the real-go parts of tests/install: ${reason}`);
const [goos, goarch] = ["linux", "amd64"];

function goEnv(env: Record<string, string>): GoEnv {
  return new GoEnv({ environ: env, fs: denoFs, goos });
}

// runGo is async: the fixture's servers run on this process's event loop.
async function runGo(f: Fixture, env: Record<string, string>, args: string[]) {
  const out = await new Deno.Command(go!.path, { args, env, clearEnv: true, cwd: f.work }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test({
  name: "gtc installs from GOPROXY + sumdb; the real go runs it without downloading",
  ignore: go === undefined || Deno.build.os !== "linux" || Deno.build.arch !== "x86_64",
  async fn() {
    const f = await startFixture({ toolchains: ["go1.99.1"] });
    try {
      const env = { ...f.env, PATH: `${go!.bindir}:/usr/bin:/bin` };
      const events: string[] = [];
      const r = await installFromGoproxy(hostGoproxyDeps(goEnv(env), goos), {
        name: "go1.99.1",
        goos,
        goarch,
        onEvent: (e) => events.push(e.kind),
      });
      assert.equal(r.downloaded, true);
      assert.equal(r.extracted, true);
      assert.equal(r.h1, f.toolchain("go1.99.1").h1);
      assert.ok(events.includes("downloading") && events.includes("progress"));
      const dir = toolchainCacheDir(f.gomodcache, "go1.99.1", goos, goarch);
      assert.equal(r.dir, dir);
      assert.ok(isCachedToolchain(denoFs, dir));
      assert.equal(f.requestCounts()[f.zipPath("go1.99.1")], 1);

      // The real go switches to it from the cache: no second zip request.
      const g = await runGo(f, { ...env, GOTOOLCHAIN: "go1.99.1" }, ["version"]);
      assert.equal(g.stdout, "go version go1.99.1 linux/amd64\n", g.stderr);
      assert.equal(g.stderr, "");
      assert.equal(f.requestCounts()[f.zipPath("go1.99.1")], 1);

      // A second gtc install is a verified cache hit.
      const again = await installFromGoproxy(hostGoproxyDeps(goEnv(env), goos), {
        name: "go1.99.1",
        goos,
        goarch,
      });
      assert.equal(again.downloaded, false);
      assert.equal(again.extracted, false);
    } finally {
      await f.close();
    }
  },
});

Deno.test({
  name: "gtc uses a toolchain the real go installed, without downloading",
  ignore: go === undefined || Deno.build.os !== "linux" || Deno.build.arch !== "x86_64",
  async fn() {
    const f = await startFixture({ toolchains: ["go1.99.1"] });
    try {
      const env = { ...f.env, PATH: `${go!.bindir}:/usr/bin:/bin` };
      const g = await runGo(f, { ...env, GOTOOLCHAIN: "go1.99.1" }, ["version"]);
      assert.equal(g.stdout, "go version go1.99.1 linux/amd64\n", g.stderr);
      const before = f.requestCounts()[f.zipPath("go1.99.1")];
      const r = await installFromGoproxy(hostGoproxyDeps(goEnv(env), goos), {
        name: "go1.99.1",
        goos,
        goarch,
      });
      assert.equal(r.downloaded, false);
      assert.equal(f.requestCounts()[f.zipPath("go1.99.1")], before);
    } finally {
      await f.close();
    }
  },
});

Deno.test({
  name: "after go mod download, gtc install returns a toolchain that runs (fix-ups applied)",
  ignore: go === undefined || Deno.build.os !== "linux" || Deno.build.arch !== "x86_64",
  async fn() {
    const f = await startFixture({ toolchains: ["go1.99.1"] });
    try {
      const env = { ...f.env, PATH: `${go!.bindir}:/usr/bin:/bin` };
      const d = await runGo(f, env, [
        "mod",
        "download",
        "golang.org/toolchain@v0.0.1-go1.99.1.linux-amd64",
      ]);
      assert.equal(d.code, 0, d.stderr);
      const dir = toolchainCacheDir(f.gomodcache, "go1.99.1", goos, goarch);
      // go mod download extracts without toolchain.Exec's fix-ups.
      assert.equal((Deno.statSync(`${dir}/bin/go`).mode ?? 0) & 0o111, 0);
      const r = await installFromGoproxy(hostGoproxyDeps(goEnv(env), goos), {
        name: "go1.99.1",
        goos,
        goarch,
      });
      assert.equal(r.downloaded, false);
      const out = await new Deno.Command(`${r.dir}/bin/go`, { args: ["version"], clearEnv: true })
        .output();
      assert.equal(new TextDecoder().decode(out.stdout), "go version go1.99.1 linux/amd64\n");
      assert.ok(Deno.statSync(`${dir}/src/go.mod`).isFile);
    } finally {
      await f.close();
    }
  },
});

// Failures: the same words as the go command (without its "go: "), nothing installed.
Deno.test({
  name: "install failures are the go command's errors and install nothing",
  ignore: go === undefined || Deno.build.os !== "linux" || Deno.build.arch !== "x86_64",
  async fn(t) {
    const f = await startFixture({ toolchains: ["go1.99.1"] });
    try {
      const env = { ...f.env, PATH: `${go!.bindir}:/usr/bin:/bin` };
      const nothingInstalled = (name: string) => {
        const dir = toolchainCacheDir(f.gomodcache, name, goos, goarch);
        assert.equal(denoFs.stat(dir), undefined, `${dir} exists`);
        const dl = `${f.gomodcache}/cache/download/golang.org/toolchain/@v`;
        const left = (() => {
          try {
            return [...Deno.readDirSync(dl)].map((e) => e.name);
          } catch {
            return [];
          }
        })().filter((n) => !n.endsWith(".lock"));
        assert.deepEqual(left, [], `left in the download cache: ${left}`);
      };
      const compare = async (name: string, e: Record<string, string>) => {
        const err = await installFromGoproxy(hostGoproxyDeps(goEnv(e), goos), {
          name,
          goos,
          goarch,
        })
          .then(() => undefined, (x: Error) => x);
        assert.ok(err !== undefined, "install succeeded");
        const g = await runGo(f, { ...e, GOTOOLCHAIN: name }, ["version"]);
        assert.notEqual(g.code, 0);
        // go prints "go: downloading …" first, then "go: <the error>".
        const goErr = g.stderr.replace(/^go: downloading .*\n/, "");
        // Like the log package, go adds a final newline only when missing.
        const line = `go: ${err.message}`;
        assert.equal(line.endsWith("\n") ? line : line + "\n", goErr);
        nothingInstalled(name);
      };

      await t.step("GOSUMDB=off", () => compare("go1.99.1", { ...env, GOSUMDB: "off" }));
      await t.step("not on the proxy", () => compare("go1.99.3", env));
      await t.step("language version", () => compare("go1.99", env));
      await t.step("tampered zip", async () => {
        const h = await f.tamper("go1.99.1");
        try {
          await compare("go1.99.1", env);
        } finally {
          h.remove();
        }
      });
    } finally {
      await f.close();
    }
  },
});
