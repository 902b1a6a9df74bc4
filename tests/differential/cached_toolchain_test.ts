/**
 * Differential test: a toolchain in the module cache that the go command
 * refuses to run (issue 12, point 1). Before it runs a cached toolchain the
 * go command verifies its .ziphash against the checksum database — even with
 * GOSUMDB=off, which then fails — reading the database's answer from its
 * cache on disk when it has one. Each case lays out a module cache (copied
 * from one `go mod download` of the fixture's go1.99.1, which also caches
 * the database's answer and tiles), changes it as the case says, and runs
 * the real `go version`, `gtc current` and `gtc exec -- go version` with the
 * same environment (GOTOOLCHAIN=go1.99.1).
 *
 * What is compared: exit status and stderr byte for byte, gtc's "go: …"
 * being the go command's text; on success gtc current prints the name and
 * gtc exec the go command's stdout. One documented difference: when the
 * database's answer is not cached, `gtc current` (which never uses the
 * network) reports the toolchain with a trace step saying the go command
 * asks the database; `gtc exec` asks it and fails as the go command does.
 */
import assert from "node:assert/strict";
import { findGo } from "./gocmd.ts";
import { gtc, refusedPort, run } from "./_cli.ts";
import { type Fixture, removeAll, startFixture } from "../fixtures/mod.ts";

const { go, reason } = await findGo();
if (go === undefined) console.log(`skipping cached_toolchain_test: ${reason}`);

const name = "go1.99.1";
const version = `v0.0.1-${name}.linux-amd64`;

interface Case {
  name: string;
  /** Changes the copied module cache (root = the case's GOPATH/pkg/mod). */
  prepare?: (modcache: string) => Promise<void> | void;
  /** Changes the environment. */
  env: (env: Record<string, string>, f: Fixture) => void;
  /** Whether gtc current may report the toolchain though the go command fails (needs the network). */
  networkOnly?: boolean;
}

const dl = (m: string) => `${m}/cache/download/golang.org/toolchain/@v`;

const cases: Case[] = [
  { name: "verified, the database's answer cached (offline)", env: offline },
  {
    name: "GOSUMDB=off refuses it",
    env: (e) => e.GOSUMDB = "off",
  },
  {
    name: "GOSUMDB=off with GONOSUMDB=* still refuses it",
    env: (e) => {
      e.GOSUMDB = "off";
      e.GONOSUMDB = "*";
    },
  },
  {
    name: "GOSUMDB=off with a single file:// GOPROXY runs it (distpack exception)",
    env: (e) => {
      e.GOSUMDB = "off";
      e.GOPROXY = "file:///nonexistent";
    },
  },
  {
    name: "a malformed GOSUMDB refuses it",
    env: (e) => e.GOSUMDB = "bogus",
  },
  {
    name: "a fake .ziphash the cached answer contradicts",
    prepare: (m) =>
      Deno.writeTextFile(
        `${dl(m)}/${version}.ziphash`,
        "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      ),
    env: offline,
  },
  {
    name: "a damaged .ziphash and no zip",
    prepare: async (m) => {
      await Deno.writeTextFile(`${dl(m)}/${version}.ziphash`, "h1:short");
      await Deno.remove(`${dl(m)}/${version}.zip`);
    },
    env: offline,
  },
  {
    name: "a .ziphash that is not h1:",
    prepare: (m) =>
      Deno.writeTextFile(
        `${dl(m)}/${version}.ziphash`,
        "h2:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      ),
    env: offline,
  },
  {
    name: "offline with no cached answer",
    prepare: (m) => Deno.remove(`${m}/cache/download/sumdb`, { recursive: true }),
    env: offline,
    networkOnly: true,
  },
  {
    name: "a fake entry the database does not know",
    prepare: async (m) => {
      // Rename the tree and its files to a version the database never recorded.
      const fake = `v0.0.1-go1.99.7.linux-amd64`;
      await Deno.rename(
        `${m}/golang.org/toolchain@${version}`,
        `${m}/golang.org/toolchain@${fake}`,
      );
      for (const ext of ["ziphash", "zip", "mod", "info"]) {
        await Deno.rename(`${dl(m)}/${version}.${ext}`, `${dl(m)}/${fake}.${ext}`);
      }
    },
    env: (e) => e.GOTOOLCHAIN = "go1.99.7",
    networkOnly: true,
  },
];

// offline points GOSUMDB at a port that refuses connections: only the cache can answer.
function offline(e: Record<string, string>, f: Fixture): void {
  e.GOSUMDB = `${f.sumdb.vkey} http://127.0.0.1:${refusedPort()}`;
  e.GOPROXY = "off";
}

Deno.test({
  name: "a cached toolchain: gtc refuses and runs it as the real go command does",
  ignore: go === undefined || Deno.build.os !== "linux" || Deno.build.arch !== "x86_64",
  async fn(t) {
    const f = await startFixture({ toolchains: [name] });
    try {
      const base = { ...f.env, PATH: `${go!.bindir}:/usr/bin:/bin` };
      const d = await run(
        go!.path,
        ["mod", "download", `golang.org/toolchain@${version}`],
        base,
        f.work,
      );
      assert.equal(d.code, 0, d.stderr);
      for (const c of cases) {
        await t.step(c.name, async () => {
          const root = await Deno.makeTempDir({ prefix: "gtc-cached-" });
          try {
            const gopath = `${root}/gopath`;
            await Deno.mkdir(gopath);
            const cp = await run("cp", ["-a", `${f.gopath}/pkg`, `${gopath}/pkg`], base, root);
            assert.equal(cp.code, 0, cp.stderr);
            const modcache = `${gopath}/pkg/mod`;
            await c.prepare?.(modcache);
            const env = { ...base, GOPATH: gopath, GOMODCACHE: modcache, GOTOOLCHAIN: name };
            c.env(env, f);
            const want = await run(go!.path, ["version"], env, f.work);
            const current = await gtc(["current"], env, f.work);
            const exec = await gtc(["exec", "--", "go", "version"], env, f.work);
            const show = `go: ${JSON.stringify(want)}\ncurrent: ${JSON.stringify(current)}\nexec: ${
              JSON.stringify(exec)
            }`;
            if (want.code === 0) {
              assert.equal(current.code, 0, show);
              assert.equal(current.stdout, `${env.GOTOOLCHAIN}\n`, show);
              assert.equal(exec.code, 0, show);
              assert.equal(exec.stdout, want.stdout, show);
            } else {
              assert.equal(exec.code, 1, show);
              assert.equal(exec.stderr, want.stderr, show);
              if (c.networkOnly) {
                assert.equal(current.code, 0, show);
                const why = await gtc(["why"], env, f.work);
                assert.match(why.stdout, /asks the database over the network/, why.stdout);
              } else {
                assert.equal(current.code, 1, show);
                assert.equal(current.stderr, want.stderr, show);
              }
            }
          } finally {
            await removeAll(root);
          }
        });
      }
    } finally {
      await f.close();
    }
  },
});
