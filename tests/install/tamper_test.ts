/**
 * Every checksum-database misbehaviour refuses the install: gtc says what
 * failed in the go command's words, and nothing is installed — not even the
 * temporary zip the go command leaves behind after a fork.
 */
import assert from "node:assert/strict";
import { GoEnv } from "../../lib/goenv/mod.ts";
import { denoFs } from "../../lib/host/fs.ts";
import { hostGoproxyDeps } from "../../lib/host/install_deps.ts";
import { installFromGoproxy } from "../../lib/install/mod.ts";
import { generateKey } from "../../lib/sumdb/mod.ts";
import { type Fixture, startFixture } from "../fixtures/mod.ts";
import { findGo } from "../differential/gocmd.ts";

const { go, reason } = await findGo();
if (go === undefined) console.log(`skipping tests/install/tamper_test.ts: ${reason}`);
const [goos, goarch] = ["linux", "amd64"];
const enc = new TextEncoder();
const dec = new TextDecoder();

async function gtcInstall(f: Fixture, name: string): Promise<Error> {
  const env = new GoEnv({ environ: f.env, fs: denoFs, goos });
  const err = await installFromGoproxy(hostGoproxyDeps(env, goos), { name, goos, goarch })
    .then(() => undefined, (e: Error) => e);
  assert.ok(err !== undefined, `gtc installed ${name}`);
  return err;
}

// goVersion runs the real go with its own GOPATH: both clients start with no
// trusted tree, as a first run (the sumdb "latest" file changes later errors).
async function goVersion(f: Fixture, name: string): Promise<string> {
  const gopath = `${f.dir}/gopath-go`;
  const out = await new Deno.Command(go!.path, {
    args: ["version"],
    env: {
      ...f.env,
      PATH: `${go!.bindir}:/usr/bin:/bin`,
      GOTOOLCHAIN: name,
      GOPATH: gopath,
      GOMODCACHE: `${gopath}/pkg/mod`,
    },
    clearEnv: true,
    cwd: f.work,
  }).output();
  assert.notEqual(out.code, 0);
  return dec.decode(out.stderr).replace(/^go: downloading .*\n/, "");
}

// cacheLeft lists what a failed install left for a toolchain: nothing but the lock.
function cacheLeft(f: Fixture, name: string): string[] {
  const v = `v0.0.1-${name}.${goos}-${goarch}`;
  const dl = `${f.gomodcache}/cache/download/golang.org/toolchain/@v`;
  const names: string[] = [];
  try {
    for (const e of Deno.readDirSync(dl)) {
      if (e.name.startsWith(v)) names.push(e.name.slice(v.length));
    }
  } catch {
    // no download dir at all
  }
  if (denoFs.stat(`${f.gomodcache}/golang.org/toolchain@${v}`) !== undefined) names.push("<tree>");
  return names.sort();
}

const sameAsGo = async (f: Fixture, name: string) => {
  const err = await gtcInstall(f, name);
  assert.deepEqual(cacheLeft(f, name), [".lock"]);
  const line = `go: ${err.message}`;
  assert.equal(line.endsWith("\n") ? line : line + "\n", await goVersion(f, name));
};

Deno.test({
  name: "checksum-database misbehaviour refuses the install, as the go command does",
  ignore: go === undefined || Deno.build.os !== "linux" || Deno.build.arch !== "x86_64",
  async fn(t) {
    await t.step("an altered record line", async () => {
      const f = await startFixture({ toolchains: ["go1.99.1"] });
      try {
        f.sumdb.server.misbehave.record = (_p, _v, text) =>
          enc.encode(dec.decode(text).replace(/h1:./, "h1:X"));
        await sameAsGo(f, "go1.99.1");
      } finally {
        await f.close();
      }
    });
    await t.step("a tree note signed by another key", async () => {
      const f = await startFixture({ toolchains: ["go1.99.1"] });
      try {
        await f.sumdb.server.signWith((await generateKey("sum.gtc.test")).skey);
        await sameAsGo(f, "go1.99.1");
      } finally {
        await f.close();
      }
    });
    await t.step("an altered tile", async () => {
      const f = await startFixture({ toolchains: ["go1.99.1"] });
      try {
        f.sumdb.server.misbehave.tile = (_p, d) => {
          d[0] ^= 1;
          return d;
        };
        await sameAsGo(f, "go1.99.1");
      } finally {
        await f.close();
      }
    });
    await t.step("a fork of the log after a tree was trusted", async () => {
      const f = await startFixture({ toolchains: ["go1.99.1", "go1.99.2"] });
      try {
        const orig = f.sumdb.server;
        const fork = orig.fork();
        await orig.addRecord("example.com/good", "v1.0.0", "example.com/good v1.0.0 h1:B\n");
        await fork.addRecord("example.com/evil", "v1.0.0", "example.com/evil v1.0.0 h1:E\n");
        const env = new GoEnv({ environ: f.env, fs: denoFs, goos });
        await installFromGoproxy(hostGoproxyDeps(env, goos), { name: "go1.99.1", goos, goarch });
        f.proxy.attachSumDB(f.sumdb.name, (req) => fork.handler(req));
        const err = await gtcInstall(f, "go1.99.2");
        assert.match(
          err.message,
          /SECURITY ERROR\ngo\.sum database server misbehavior detected!\n\nold database:\n/,
        );
        assert.match(err.message, /\nproof of misbehavior:\n\t/);
        // Unlike the go command, gtc leaves no temporary zip behind.
        assert.deepEqual(cacheLeft(f, "go1.99.2"), [".lock"]);
      } finally {
        await f.close();
      }
    });
    await t.step("a rollback to an older tree that is consistent is accepted", async () => {
      const f = await startFixture({ toolchains: ["go1.99.1", "go1.99.2"] });
      try {
        const env = new GoEnv({ environ: f.env, fs: denoFs, goos });
        await installFromGoproxy(hostGoproxyDeps(env, goos), { name: "go1.99.2", goos, goarch });
        // Serve the tree as it was before go1.99.2's record: an older, consistent view.
        f.sumdb.server.misbehave.treeSize = 2;
        const r = await installFromGoproxy(hostGoproxyDeps(env, goos), {
          name: "go1.99.1",
          goos,
          goarch,
        });
        assert.equal(r.downloaded, true);
      } finally {
        await f.close();
      }
    });
  },
});
