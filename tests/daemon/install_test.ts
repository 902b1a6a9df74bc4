// list, install, remove and gc through a real daemon against the loopback
// GOPROXY + checksum database: one download for concurrent installs of the
// same toolchain, progress to every waiting client, the same JSON and the
// same errors as the CLI in-process, and resolve answers that follow the
// module cache without restarting the daemon.
//
// The fixture's servers run in this process: daemons and CLIs are spawned
// with async Deno.Command (never outputSync), or the event loop would stall.

import assert from "node:assert/strict";
import { startFixture } from "../fixtures/mod.ts";
import { type Change, type Client, connect } from "../../lib/rpc/client.ts";
import { RpcError } from "../../lib/rpc/errors.ts";
import { ErrorCode, type InstallProgressParams } from "../../lib/rpc/protocol.ts";
import {
  makeWorkspace,
  repoRoot,
  sleep,
  startDaemon,
  startupDeadlineMs,
  waitSocket,
} from "./_harness.ts";

const cli = `${repoRoot}/cli/main.ts`;
const supported = Deno.build.os === "linux";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// gtc runs the CLI in its own process with exactly env.
async function gtc(args: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", `--config=${repoRoot}/deno.json`, cli, ...args],
    env,
    clearEnv: true,
    cwd,
    stdin: "null",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

// waitFor polls cond for up to ms.
async function waitFor(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

Deno.test({
  name: "daemon list / install / remove / gc against a loopback GOPROXY",
  ignore: !supported,
  async fn(t) {
    const f = await startFixture({ toolchains: ["go1.99.0", "go1.99.1"] });
    // The daemon's socket directory is $XDG_RUNTIME_DIR/gtc, so the CLI finds it.
    const xdg = `${f.dir}/xdg`;
    Deno.mkdirSync(xdg, { mode: 0o700 });
    const d = await startDaemon({ args: ["--dir", `${xdg}/gtc`], wait: false });
    const socket = `${xdg}/gtc/gtc-v1.sock`;
    const clients: Client[] = [];
    try {
      await waitSocket(socket, startupDeadlineMs, d.child.status);
      const env: Record<string, string> = {
        ...f.env,
        GTC_HOME: `${f.dir}/gtchome`,
        XDG_RUNTIME_DIR: xdg,
        NO_COLOR: "1",
        DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
      };
      const off = { ...env, GTC_DAEMON: "off" };
      const m = `${f.work}/m`;
      Deno.mkdirSync(m);
      Deno.writeTextFileSync(`${m}/go.mod`, "module example.com/m\n\ngo 1.99.1\n");
      const open = async () => {
        const c = await connect({ address: socket, env });
        clients.push(c);
        return c;
      };
      const c = await open();
      const auto = { ...env, GOTOOLCHAIN: "auto" };
      const requests = async () => (await c.status()).requests;

      // A subscription sees the change by itself (the watcher, no request).
      const changes: Change[] = [];
      const sub = await c.subscribe(m, (ch) => changes.push(ch), { env: auto });

      await t.step("before: resolve says download", async () => {
        assert.equal(sub.explanation.source, "download");
        assert.equal((await c.resolve(m, { env: auto })).source, "download");
      });

      await t.step("two clients installing go1.99.1 share one download", async () => {
        const zip = f.toolchain("go1.99.1").zip;
        const pause = f.proxy.fault(f.zipPath("go1.99.1"), {
          kind: "pause",
          after: Math.floor(zip.length / 2),
        });
        const [a, b] = [await open(), await open()];
        const pa: InstallProgressParams[] = [];
        const pb: InstallProgressParams[] = [];
        const ra = a.install({ name: "go1.99.1" }, { onProgress: (n) => pa.push(n) });
        await pause.hit;
        await waitFor("a's first progress", () => pa.length > 0);
        // b asks by query: it resolves to the same toolchain and joins.
        const rb = b.install({ query: "1.99" }, { onProgress: (n) => pb.push(n) });
        await waitFor("b's progress (replayed on joining)", () => pb.length > 0);
        pause.release();
        const [xa, xb] = await Promise.all([ra, rb]);
        assert.deepEqual(xa, xb);
        assert.equal(xa.toolchain, "go1.99.1");
        assert.equal(xa.source, "cache");
        assert.equal(xa.downloaded, true);
        assert.equal(f.requestCounts()[f.zipPath("go1.99.1")], 1);
        for (const p of [pa, pb]) {
          assert.ok(p.every((n) => n.name === "go1.99.1" && n.bytes > 0));
          assert.equal(p.at(-1)!.bytes, zip.length, JSON.stringify(p));
        }
        // Again: nothing to download, the same directory.
        const again = await a.install({ name: "go1.99.1" });
        assert.deepEqual(again, { ...xa, downloaded: false });
        assert.equal(f.requestCounts()[f.zipPath("go1.99.1")], 1);
      });

      await t.step("after: resolve says cache, without restarting the daemon", async () => {
        assert.equal((await c.resolve(m, { env: auto })).source, "cache");
        await waitFor("a changed notification", () => changes.length > 0);
        assert.equal(changes.at(-1)!.explanation.source, "cache");
        assert.equal(changes.at(-1)!.reason, "file");
      });

      await t.step("gtc install through the daemon prints what it prints in-process", async () => {
        const before = await requests();
        const via = await gtc(["install", "go1.99.1", "--json"], env, m);
        assert.equal(via.code, 0, via.stderr);
        assert.ok(await requests() > before + 1, "the CLI did not ask the daemon");
        const inproc = await gtc(["install", "go1.99.1", "--json"], off, m);
        assert.equal(inproc.code, 0, inproc.stderr);
        assert.equal(via.stdout, inproc.stdout);
        const text = await gtc(["install", "1.99.1"], env, m);
        assert.equal(text.stdout, (await gtc(["install", "1.99.1"], off, m)).stdout);
      });

      await t.step("an install that fails: the same message through the daemon", async () => {
        await assert.rejects(
          c.install({ name: "go1.98.0" }),
          (e) => e instanceof RpcError && e.code === ErrorCode.OperationFailed,
        );
        const via = await gtc(["install", "go1.98.0"], env, m);
        const inproc = await gtc(["install", "go1.98.0"], off, m);
        assert.equal(via.code, 1);
        assert.equal(inproc.code, 1);
        assert.match(inproc.stderr, /^gtc: download go1\.98\.0 /);
        assert.equal(via.stderr, inproc.stderr);
      });

      await t.step("list through the daemon equals gtc list --json in-process", async () => {
        const inproc = await gtc(["list", "--json"], off, m);
        assert.equal(inproc.code, 0, inproc.stderr);
        assert.deepEqual(await c.list({ env }), JSON.parse(inproc.stdout));
        const via = await gtc(["list", "--json"], env, m);
        assert.equal(via.stdout, inproc.stdout);
        const table = await gtc(["list"], env, m);
        assert.equal(table.stdout, (await gtc(["list", "--no-daemon"], env, m)).stdout);
        assert.deepEqual(
          JSON.parse(inproc.stdout).filter((x: { source: string }) => x.source === "cache")
            .map((x: { name: string }) => x.name),
          ["go1.99.1"],
        );
      });

      await t.step("remove through the daemon equals in-process, and resolve follows", async () => {
        changes.length = 0;
        const via = await gtc(["remove", "go1.99.1", "--json"], env, m);
        assert.equal(via.code, 0, via.stderr);
        assert.equal((await c.resolve(m, { env: auto })).source, "download");
        await waitFor("a changed notification", () => changes.length > 0);
        assert.equal(changes.at(-1)!.explanation.source, "download");

        assert.equal((await gtc(["install", "go1.99.1"], off, m)).code, 0);
        assert.equal((await c.resolve(m, { env: auto })).source, "cache");
        const inproc = await gtc(["remove", "go1.99.1", "--json"], off, m);
        assert.equal(inproc.code, 0, inproc.stderr);
        assert.equal(via.stdout, inproc.stdout);
        assert.deepEqual(JSON.parse(via.stdout).removed[0].name, "go1.99.1");

        // Nothing left to remove: the same error either way.
        const e1 = await gtc(["remove", "go1.99.1"], env, m);
        const e2 = await gtc(["remove", "go1.99.1"], off, m);
        assert.equal(e1.code, 1);
        assert.equal(e1.stderr, e2.stderr);
        assert.match(e1.stderr, /^gtc: go1\.99\.1: no removable toolchain of that name/);
        await assert.rejects(
          c.remove({ name: "go1.99.1" }),
          (e) =>
            e instanceof RpcError && e.code === ErrorCode.OperationFailed &&
            e.message === e2.stderr.slice("gtc: ".length).trimEnd(),
        );
      });

      await t.step("gc through the daemon equals in-process", async () => {
        const installBoth = async () => {
          for (const v of ["go1.99.0", "go1.99.1"]) {
            const r = await gtc(["install", v], off, m);
            assert.equal(r.code, 0, r.stderr);
          }
        };
        await installBoth();
        const dryVia = await gtc(["gc", "--days", "0", "--dry-run", "--json"], env, m);
        const dryIn = await gtc(["gc", "--days", "0", "--dry-run", "--json"], off, m);
        assert.equal(dryVia.code, 0, dryVia.stderr);
        assert.equal(dryVia.stdout, dryIn.stdout);
        const plan = JSON.parse(dryVia.stdout);
        assert.deepEqual(plan.removed.map((x: { name: string }) => x.name).sort(), [
          "go1.99.0",
          "go1.99.1",
        ]);
        assert.deepEqual(await c.gc({ days: 0, dryRun: true }), plan);

        const via = await gtc(["gc", "--days", "0", "--json"], env, m);
        assert.equal(via.code, 0, via.stderr);
        assert.equal((await c.resolve(m, { env: auto })).source, "download");
        await installBoth();
        const inproc = await gtc(["gc", "--days", "0", "--json"], off, m);
        assert.equal(via.stdout, inproc.stdout);
        assert.equal(JSON.parse(via.stdout).dryRun, false);
        assert.deepEqual(
          await c.list({ env, sizes: false }).then((l) => l.filter((x) => x.source === "cache")),
          [],
        );
      });

      await t.step("bad params are refused before anything runs", async () => {
        for (
          const p of [
            {},
            { name: "go1.99.1", query: "1.99" },
          ]
        ) {
          await assert.rejects(
            c.call("install", { env, ...p }),
            (e) => e instanceof RpcError && e.code === ErrorCode.InvalidParams,
          );
        }
        await assert.rejects(
          c.call("gc", { env, days: -1 }),
          (e) => e instanceof RpcError && e.code === ErrorCode.InvalidParams,
        );
        await assert.rejects(
          c.call("remove", { env, name: "go1.99.1", source: "elsewhere" }),
          (e) => e instanceof RpcError && e.code === ErrorCode.InvalidParams,
        );
      });
      await sub.close();
    } finally {
      for (const c of clients) c.close();
      await d.stop();
      await f.close();
    }
  },
});

// The files isCachedToolchain reads are watched: the module directory
// $GOMODCACHE/golang.org/toolchain@v…, and in cache/download its .partial
// marker and .ziphash (as another process installing or removing a
// toolchain writes them, one at a time).
Deno.test({
  name: "the module cache files that decide cache vs download are watched",
  ignore: !supported,
  async fn(t) {
    const d = await startDaemon();
    const ws = await makeWorkspace(d.tmp);
    const gomodcache = `${ws.root}/gomodcache`;
    // A single file:// GOPROXY with GOSUMDB=off: the go command runs a cached
    // toolchain without asking the checksum database (the distpack exception).
    const env = {
      ...ws.env,
      GOMODCACHE: gomodcache,
      GOTOOLCHAIN: "go1.99.3",
      GOPROXY: `file://${ws.root}/proxy`,
      GOSUMDB: "off",
    };
    const ziphash = `h1:${"A".repeat(43)}=\n`;
    const goarch = ({ x86_64: "amd64", aarch64: "arm64" } as Record<string, string>)[
      Deno.build.arch
    ];
    const ver = `v0.0.1-go1.99.3.linux-${goarch}`;
    const moddir = `${gomodcache}/golang.org/toolchain@${ver}`;
    const dl = `${gomodcache}/cache/download/golang.org/toolchain/@v`;
    const c = await connect({ address: d.socket, env });
    const changes: Change[] = [];
    try {
      const sub = await c.subscribe(ws.mod, (ch) => changes.push(ch));
      const source = async () => (await c.resolve(ws.mod)).source;
      // next waits for a changed notification to source s (no request made).
      const next = async (s: string) => {
        await waitFor(`a change to ${s}`, () => changes.some((x) => x.explanation.source === s));
        const ch = changes.find((x) => x.explanation.source === s)!;
        changes.length = 0;
        return ch;
      };
      assert.equal(sub.explanation.source, "download");

      await t.step("the module directory alone is not enough", async () => {
        Deno.mkdirSync(`${moddir}/bin`, { recursive: true });
        Deno.mkdirSync(dl, { recursive: true });
        Deno.writeTextFileSync(`${dl}/${ver}.partial`, "");
        assert.equal(await source(), "download");
      });
      await t.step("ziphash with .partial: still download", async () => {
        Deno.writeTextFileSync(`${dl}/${ver}.ziphash`, ziphash);
        assert.equal(await source(), "download");
      });
      await t.step("removing .partial makes it cache (a notification, no request)", async () => {
        Deno.removeSync(`${dl}/${ver}.partial`);
        const ch = await next("cache");
        assert.ok(ch.paths.includes(`${dl}/${ver}.partial`), JSON.stringify(ch.paths));
        assert.equal(await source(), "cache");
      });
      await t.step("removing .ziphash makes it download again", async () => {
        Deno.removeSync(`${dl}/${ver}.ziphash`);
        const ch = await next("download");
        assert.ok(ch.paths.includes(`${dl}/${ver}.ziphash`), JSON.stringify(ch.paths));
      });
      await t.step("ziphash back, then the module directory removed", async () => {
        Deno.writeTextFileSync(`${dl}/${ver}.ziphash`, ziphash);
        await next("cache");
        Deno.removeSync(moddir, { recursive: true });
        await next("download");
        assert.equal(await source(), "download");
      });
      await t.step("a damaged .ziphash with no zip: the go command refuses it", async () => {
        Deno.mkdirSync(`${moddir}/bin`, { recursive: true });
        await next("cache");
        Deno.writeTextFileSync(`${dl}/${ver}.ziphash`, "h1:x\n");
        await waitFor("an error", () => changes.some((x) => x.explanation.error !== null));
        const x = await c.resolve(ws.mod);
        assert.equal(
          x.error,
          `go: verifying golang.org/toolchain@${ver}: open ${dl}/${ver}.zip: no such file or directory`,
        );
      });
      await sub.close();
    } finally {
      c.close();
      await d.stop();
    }
  },
});
