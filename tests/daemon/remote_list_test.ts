// listRemote through a real daemon against the loopback GOPROXY: the remote
// list is cached per source, all and environment with an expiry, refresh
// fetches again, and `gtc list --remote` prints the same through the daemon
// as in-process.
//
// The fixture's servers run in this process: daemons and CLIs are spawned
// with async Deno.Command (never outputSync), or the event loop would stall.

import assert from "node:assert/strict";
import { startFixture } from "../fixtures/mod.ts";
import { type Client, connect } from "../../lib/rpc/client.ts";
import {
  type Daemon,
  repoRoot,
  sleep,
  startDaemon,
  startupDeadlineMs,
  waitSocket,
} from "./_harness.ts";

const cli = `${repoRoot}/cli/main.ts`;
const supported = Deno.build.os === "linux";
const listPath = "/golang.org/toolchain/@v/list";

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

Deno.test({
  name: "daemon listRemote: cached with expiry, refresh, per environment; CLI output the same",
  ignore: !supported,
  async fn(t) {
    const f = await startFixture({ toolchains: ["go1.99.0", "go1.99.1", "go1.99.2rc1"] });
    const xdg = `${f.dir}/xdg`;
    Deno.mkdirSync(xdg, { mode: 0o700 });
    const daemons: Daemon[] = [];
    const clients: Client[] = [];
    const lists = () => f.requestCounts()[listPath] ?? 0;
    try {
      const d = await startDaemon({ args: ["--dir", `${xdg}/gtc`], wait: false });
      daemons.push(d);
      const socket = `${xdg}/gtc/gtc-v1.sock`;
      await waitSocket(socket, startupDeadlineMs, d.child.status);
      const env: Record<string, string> = {
        ...f.env,
        GTC_HOME: `${f.dir}/gtchome`,
        XDG_RUNTIME_DIR: xdg,
        NO_COLOR: "1",
        DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
      };
      const off = { ...env, GTC_DAEMON: "off" };
      const c = await connect({ address: socket, env });
      clients.push(c);
      const want = { source: "goproxy", toolchains: ["go1.99.1", "go1.99.0"] };

      await t.step("two calls within the expiry: one @v/list request", async () => {
        assert.equal((await c.status()).remoteLists, 0);
        assert.deepEqual(await c.listRemote(), want);
        assert.deepEqual(await c.listRemote({ source: "goproxy" }), want);
        assert.equal(lists(), 1);
        assert.equal((await c.status()).remoteLists, 1);
      });

      await t.step("concurrent identical calls share one fetch", async () => {
        const before = lists();
        const env2 = { ...env, GONOPROXY: "example.invalid" };
        const [a, b] = await Promise.all([
          c.listRemote({}, { env: env2 }),
          c.listRemote({}, { env: env2 }),
        ]);
        assert.deepEqual(a, want);
        assert.deepEqual(b, want);
        assert.equal(lists(), before + 1);
      });

      await t.step("refresh: true fetches again", async () => {
        const before = lists();
        assert.deepEqual(await c.listRemote({ refresh: true }), want);
        assert.equal(lists(), before + 1);
        assert.deepEqual(await c.listRemote(), want);
        assert.equal(lists(), before + 1);
      });

      await t.step("another GOPROXY or all: another cache entry", async () => {
        const before = (await c.status()).remoteLists;
        const other = { ...env, GOPROXY: `${f.goproxy},off` };
        assert.deepEqual(await c.listRemote({}, { env: other }), want);
        assert.equal(lists(), 4);
        assert.deepEqual(await c.listRemote({}, { env: other }), want);
        assert.equal(lists(), 4);
        // Not part of the key: PATH.
        assert.deepEqual(await c.listRemote({}, { env: { ...env, PATH: "/nowhere" } }), want);
        assert.equal(lists(), 4);
        const all = await c.listRemote({ all: true });
        assert.deepEqual([...all.toolchains].sort(), ["go1.99.0", "go1.99.1", "go1.99.2rc1"]);
        assert.equal(lists(), 5);
        assert.equal((await c.status()).remoteLists, before + 2);
      });

      await t.step("errors are not cached", async () => {
        const bad = { ...env, GOPROXY: "off" };
        await assert.rejects(c.listRemote({}, { env: bad }));
        const n = (await c.status()).remoteLists;
        await assert.rejects(c.listRemote({}, { env: bad }));
        assert.equal((await c.status()).remoteLists, n);
      });

      await t.step(
        "gtc list --remote through the daemon prints what it prints in-process",
        async () => {
          const cwd = f.work;
          for (const args of [["--json"], ["--json", "--all"], [], ["--all"]]) {
            const before = (await c.status()).requests;
            const fetched = lists();
            const via = await gtc(["list", "--remote", ...args], env, cwd);
            assert.equal(via.code, 0, via.stderr);
            assert.ok((await c.status()).requests > before + 1, "the CLI did not ask the daemon");
            assert.equal(lists(), fetched, "answered from the daemon's cache");
            const inproc = await gtc(["list", "--remote", ...args], off, cwd);
            assert.equal(inproc.code, 0, inproc.stderr);
            assert.equal(lists(), fetched + 1);
            assert.equal(via.stdout, inproc.stdout);
            const noDaemon = await gtc(["list", "--remote", "--no-daemon", ...args], env, cwd);
            assert.equal(noDaemon.stdout, inproc.stdout);
            assert.equal(lists(), fetched + 2);
          }
          assert.deepEqual(
            JSON.parse((await gtc(["list", "--remote", "--json"], env, cwd)).stdout),
            want,
          );
          const fetched = lists();
          const r = await gtc(["list", "--remote", "--json", "--refresh"], env, cwd);
          assert.equal(r.code, 0, r.stderr);
          assert.deepEqual(JSON.parse(r.stdout), want);
          assert.equal(lists(), fetched + 1);
        },
      );

      await t.step("GTC_REMOTE_TTL_MS: an expired list is fetched again", async () => {
        const xdg2 = `${f.dir}/xdg2`;
        Deno.mkdirSync(xdg2, { mode: 0o700 });
        const d2 = await startDaemon({
          args: ["--dir", `${xdg2}/gtc`],
          wait: false,
          env: { ...Deno.env.toObject(), GTC_REMOTE_TTL_MS: "400" },
        });
        daemons.push(d2);
        const s2 = `${xdg2}/gtc/gtc-v1.sock`;
        await waitSocket(s2, startupDeadlineMs, d2.child.status);
        const c2 = await connect({ address: s2, env });
        clients.push(c2);
        const before = lists();
        assert.deepEqual(await c2.listRemote(), want);
        assert.deepEqual(await c2.listRemote(), want);
        assert.equal(lists(), before + 1);
        assert.equal((await c2.status()).remoteLists, 1);
        await sleep(600);
        assert.equal((await c2.status()).remoteLists, 0);
        assert.deepEqual(await c2.listRemote(), want);
        assert.equal(lists(), before + 2);
      });

      await t.step("listRemote is in rpc.discover", async () => {
        const doc = await c.call("rpc.discover", {}) as { methods: { name: string }[] };
        assert.ok(doc.methods.some((m) => m.name === "listRemote"));
      });
    } finally {
      for (const c of clients) c.close();
      for (const d of daemons) await d.stop();
      await f.close();
    }
  },
});
