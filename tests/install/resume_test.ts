/**
 * Resumable toolchain downloads: when a zip transfer breaks part way, gtc
 * asks the same URL for the rest with `Range: bytes=<n>-` (up to 3 times)
 * and continues only on a 206 with a matching Content-Range; any other
 * answer makes it start over from zero as the go command does (truncate the
 * temp zip, the GOPROXY list decides). The go command itself never resumes:
 * its downloadZip fails the attempt, truncates the temp file and lets
 * TryProxies go on ("|") or give up (","). Either way the whole zip is
 * hashed and checked against the checksum database before anything is
 * visible, so a bad splice can only fail, never install.
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
if (go === undefined) console.log(`skipping the real-go parts of resume_test: ${reason}`);
const [goos, goarch] = ["linux", "amd64"];
const onHost = Deno.build.os === "linux" && Deno.build.arch === "x86_64";

// Enough files that the zip is a few hundred KiB: cuts land inside it.
const files: Record<string, string> = {};
for (let i = 0; i < 400; i++) {
  files[`src/pkg${i % 20}/f${i}.go`] = `package p\n// ${i} ${"y".repeat(i * 3)}\n`;
}

function goEnv(env: Record<string, string>): GoEnv {
  return new GoEnv({ environ: env, fs: denoFs, goos });
}

// runGo is async: the fixture's server runs on this process's event loop.
async function runGo(f: Fixture, env: Record<string, string>, args: string[]) {
  const out = await new Deno.Command(go!.path, { args, env, clearEnv: true, cwd: f.work }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

function install(env: Record<string, string>) {
  return installFromGoproxy(hostGoproxyDeps(goEnv(env), goos), { name: "go1.99.1", goos, goarch });
}

// zipRequests returns "<status> <range or ->" for each request of the zip.
function zipRequests(f: Fixture): string[] {
  const path = f.zipPath("go1.99.1");
  return f.proxy.requests().filter((r) => r.path === path).map((r) =>
    `${r.status} ${r.range ?? "-"}`
  );
}

function nothingInstalled(f: Fixture) {
  const dir = toolchainCacheDir(f.gomodcache, "go1.99.1", goos, goarch);
  assert.equal(denoFs.stat(dir), undefined, `${dir} exists`);
  const dl = `${f.gomodcache}/cache/download/golang.org/toolchain/@v`;
  let left: string[] = [];
  try {
    left = [...Deno.readDirSync(dl)].map((e) => e.name).filter((n) => !n.endsWith(".lock"));
  } catch {
    // no download directory at all
  }
  assert.deepEqual(left, [], `left in the download cache: ${left}`);
}

Deno.test({
  name: "a broken zip transfer resumes with a Range request; the real go accepts the result",
  ignore: !onHost,
  async fn() {
    const f = await startFixture({ toolchains: ["go1.99.1"], files });
    try {
      const tz = f.toolchain("go1.99.1");
      const cut = Math.floor(tz.zip.length * 0.4);
      f.proxy.fault(f.zipPath("go1.99.1"), { kind: "truncate", after: cut }, { times: 1 });
      const r = await install(f.env);
      assert.equal(r.downloaded, true);
      assert.equal(r.h1, tz.h1);
      assert.deepEqual(zipRequests(f), ["200 -", `206 bytes=${cut}-`]);
      assert.deepEqual(
        Deno.readFileSync(
          `${f.gomodcache}/cache/download/golang.org/toolchain/@v/${tz.moduleVersion}.zip`,
        ),
        tz.zip,
      );
      assert.ok(isCachedToolchain(denoFs, r.dir));
      if (go !== undefined) {
        const env = { ...f.env, PATH: `${go.bindir}:/usr/bin:/bin`, GOTOOLCHAIN: "go1.99.1" };
        const g = await runGo(f, env, ["version"]);
        assert.equal(g.stdout, "go version go1.99.1 linux/amd64\n", g.stderr);
        assert.equal(g.stderr, "");
        assert.equal(zipRequests(f).length, 2, "the real go downloaded again");
      }
    } finally {
      await f.close();
    }
  },
});

Deno.test({
  name: "resumes up to 3 times, each from where the last one broke",
  ignore: !onHost,
  async fn(t) {
    const f = await startFixture({ toolchains: ["go1.99.1"], files });
    try {
      const tz = f.toolchain("go1.99.1");
      const step = Math.floor(tz.zip.length / 5);
      const zp = f.zipPath("go1.99.1");
      const dl = `${f.gomodcache}/cache/download/golang.org/toolchain/@v`;
      const clean = async () => {
        f.proxy.clearFaults();
        f.proxy.resetCounts();
        const { removeAll } = await import("../fixtures/mod.ts");
        await removeAll(f.gomodcache);
      };

      await t.step("three breaks: 4 requests, ranges at 1, 2 and 3 steps", async () => {
        // Every response (the 206s too) is cut after `step` bytes of its body.
        f.proxy.fault(zp, { kind: "truncate", after: step }, { times: 3 });
        const r = await install(f.env);
        assert.equal(r.h1, tz.h1);
        // The hash followed the bytes across the resumed transfers.
        assert.equal(r.hashedWhileDownloading, true);
        assert.deepEqual(zipRequests(f), [
          "200 -",
          `206 bytes=${step}-`,
          `206 bytes=${2 * step}-`,
          `206 bytes=${3 * step}-`,
        ]);
        await clean();
      });

      await t.step("four breaks: the install fails with the first read error", async () => {
        f.proxy.fault(zp, { kind: "truncate", after: step }, { times: 4 });
        const err = await install(f.env).then(() => undefined, (e: Error) => e);
        assert.ok(err !== undefined, "install succeeded");
        assert.equal(
          err.message,
          `download go1.99.1: golang.org/toolchain@${tz.moduleVersion}: read "${f.goproxy}${zp}": error reading a body from connection`,
        );
        assert.equal(zipRequests(f).length, 4);
        nothingInstalled(f);
        await clean();
      });

      await t.step("four breaks with GOPROXY=A|A: the list starts over from zero", async () => {
        f.proxy.fault(zp, { kind: "truncate", after: step }, { times: 4 });
        const r = await install({ ...f.env, GOPROXY: `${f.goproxy}|${f.goproxy}` });
        assert.equal(r.h1, tz.h1);
        // Starting over reset the streaming hash with the temp file.
        assert.equal(r.hashedWhileDownloading, true);
        assert.deepEqual(zipRequests(f).slice(3), [`206 bytes=${3 * step}-`, "200 -"]);
        await clean();
      });

      await t.step("a server that answers the Range with 200: start over, not splice", async () => {
        f.proxy.fault(zp, { kind: "truncate", after: step }, { times: 1 });
        f.proxy.fault(zp, { kind: "body", body: tz.zip }, { times: 1 });
        // One proxy: the go command's outcome (the read error).
        const err = await install(f.env).then(() => undefined, (e: Error) => e);
        assert.match(err?.message ?? "", /error reading a body from connection$/);
        assert.deepEqual(zipRequests(f), ["200 -", `200 bytes=${step}-`]);
        nothingInstalled(f);
        await clean();
        // A|A: the second entry downloads from zero.
        f.proxy.fault(zp, { kind: "truncate", after: step }, { times: 1 });
        f.proxy.fault(zp, { kind: "body", body: tz.zip }, { times: 1 });
        const r = await install({ ...f.env, GOPROXY: `${f.goproxy}|${f.goproxy}` });
        assert.equal(r.h1, tz.h1);
        assert.deepEqual(zipRequests(f), ["200 -", `200 bytes=${step}-`, "200 -"]);
        await clean();
      });

      await t.step("a 206 without Content-Range is not spliced", async () => {
        f.proxy.fault(zp, { kind: "truncate", after: step }, { times: 1 });
        f.proxy.fault(zp, { kind: "body", body: tz.zip.subarray(step), status: 206 }, {
          times: 1,
        });
        const err = await install(f.env).then(() => undefined, (e: Error) => e);
        assert.match(err?.message ?? "", /error reading a body from connection$/);
        nothingInstalled(f);
        await clean();
      });

      await t.step("a 416 is not spliced", async () => {
        f.proxy.fault(zp, { kind: "truncate", after: step }, { times: 1 });
        f.proxy.fault(zp, { kind: "status", status: 416 }, { times: 1 });
        const err = await install(f.env).then(() => undefined, (e: Error) => e);
        assert.match(err?.message ?? "", /error reading a body from connection$/);
        nothingInstalled(f);
        await clean();
      });
      assert.equal(denoFs.stat(`${dl}/${tz.moduleVersion}.ziphash`), undefined);
    } finally {
      await f.close();
    }
  },
});

// A proxy in front of the fixture that cuts the zip at `cut` and answers
// the Range request with a forged 206: a matching Content-Range over other
// bytes. Everything else (the checksum database too) is the fixture's.
function splicingProxy(f: Fixture, cut: number, forged: Uint8Array) {
  const zp = f.zipPath("go1.99.1");
  const ranges: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const u = new URL(req.url);
    if (decodeURIComponent(u.pathname) !== zp) {
      return await fetch(`${f.goproxy}${u.pathname}${u.search}`, { headers: req.headers });
    }
    const total = forged.length;
    const range = req.headers.get("range");
    if (range === null) {
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (sent) return c.close(); // short of Content-Length: the connection is cut
          c.enqueue(f.toolchain("go1.99.1").zip.slice(0, cut));
          sent = true;
        },
      });
      return new Response(body, { headers: { "content-length": String(total) } });
    }
    ranges.push(range);
    const start = Number(/^bytes=(\d+)-$/.exec(range)![1]);
    return new Response(forged.slice(start), {
      status: 206,
      headers: { "content-range": `bytes ${start}-${total - 1}/${total}` },
    });
  });
  const url = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
  return { url, ranges, close: () => server.shutdown() };
}

Deno.test({
  name: "a forged 206 splice fails checksum verification and installs nothing",
  ignore: !onHost,
  async fn() {
    const f = await startFixture({ toolchains: ["go1.99.1"], files });
    try {
      const tz = f.toolchain("go1.99.1");
      // Change one letter of the last file name in the central directory:
      // still a well-formed zip, but not the one the checksum database knows.
      const forged = tz.zip.slice();
      const name = new TextEncoder().encode(`${tz.prefix}src/runtime/extern.go`);
      let at = -1;
      for (let i = forged.length - name.length; i >= 0 && at < 0; i--) {
        if (name.every((b, j) => forged[i + j] === b)) at = i;
      }
      assert.ok(at > tz.zip.length / 2, "central directory name not found");
      forged[at + name.length - 4] = "x".charCodeAt(0); // extern.go → externxgo
      const cut = Math.floor(at / 2);
      const p = splicingProxy(f, cut, forged);
      try {
        const err = await install({ ...f.env, GOPROXY: p.url }).then(
          () => undefined,
          (e: Error) => e,
        );
        assert.deepEqual(p.ranges, [`bytes=${cut}-`]);
        assert.ok(err !== undefined, "install succeeded");
        assert.match(
          err.message,
          new RegExp(
            `^download go1\\.99\\.1: golang\\.org/toolchain@${tz.moduleVersion}: verifying module: checksum mismatch\\n`,
          ),
        );
        assert.match(err.message, /SECURITY ERROR/);
        nothingInstalled(f);
      } finally {
        await p.close();
      }
    } finally {
      await f.close();
    }
  },
});
