// The daemon end to end on a real socket: answers equal the in-process
// library's, the protocol's error paths, permissions, the lock, stale
// sockets, idle exit and the `gtc daemon` commands.

import assert from "node:assert/strict";
import { renderProse, resolveSync } from "../../mod.ts";
import { connect } from "../../lib/rpc/client.ts";
import { RpcError } from "../../lib/rpc/errors.ts";
import { ErrorCode, methods } from "../../lib/rpc/protocol.ts";
import { resolveViaDaemon } from "../../cli/daemon_cmd.ts";
import {
  LineClient,
  makeWorkspace,
  repoRoot,
  sleep,
  startCommand,
  startDaemon,
  waitSocket,
} from "./_harness.ts";

function plain<T>(x: T): T {
  return JSON.parse(JSON.stringify(x));
}

Deno.test("resolve through the daemon equals resolveSync in-process", async (t) => {
  const d = await startDaemon();
  const ws = await makeWorkspace(d.tmp);
  await Deno.writeTextFile(`${ws.root}/src/proj/go.work`, "go 1.22\n\nuse ./mod\n");
  await Deno.mkdir(`${ws.root}/src/plain/sub`, { recursive: true });
  const c = await connect({ address: d.socket });
  try {
    const cases: [string, string, Record<string, string>][] = [
      ["module dir, auto", ws.mod, ws.env],
      ["no go.mod", `${ws.root}/src/plain/sub`, ws.env],
      ["GOTOOLCHAIN=local", ws.mod, { ...ws.env, GOTOOLCHAIN: "local" }],
      ["newer go line → download", ws.mod, { ...ws.env, GOTOOLCHAIN: "go1.99.1+auto" }],
      ["path mode, not on PATH", ws.mod, { ...ws.env, GOTOOLCHAIN: "go1.98.0+path" }],
      ["bad GOTOOLCHAIN", ws.mod, { ...ws.env, GOTOOLCHAIN: "go1.2x+bogus" }],
      ["GOWORK=off", ws.mod, { ...ws.env, GOWORK: "off" }],
      ["GO111MODULE=off", ws.mod, { ...ws.env, GO111MODULE: "off" }],
      ["no go on PATH", ws.mod, { ...ws.env, PATH: "/nonexistent" }],
      ["GOENV file", ws.mod, { ...ws.env, GOENV: `${ws.home}/goenv` }],
    ];
    await Deno.writeTextFile(`${ws.home}/goenv`, "GOFLAGS=-mod=mod\n");
    for (const [name, dir, env] of cases) {
      await t.step(name, async () => {
        const want = plain(resolveSync({ dir, env }));
        assert.deepEqual(await c.resolve(dir, { env }), want);
        // Cached answer: the same again.
        assert.deepEqual(await c.resolve(dir, { env }), want);
        const why = await c.why(dir, { env });
        assert.equal(why.text, renderProse(resolveSync({ dir, env }), { color: false }));
        assert.equal(why.error, want.error);
      });
    }
    await t.step("go env args", async () => {
      const args = ["env", "-w", "GOTOOLCHAIN=local"];
      const want = plain(resolveSync({ dir: ws.mod, env: ws.env, args }));
      assert.deepEqual(await c.resolve(ws.mod, { env: ws.env, args }), want);
    });
    await t.step("resolveViaDaemon (the CLI path) equals resolveSync", async () => {
      // The CLI passes its whole environment; the answer must not change.
      // The daemon's address comes from this process's XDG_RUNTIME_DIR.
      const env = { ...Deno.env.toObject(), ...ws.env };
      const prev = Deno.env.get("XDG_RUNTIME_DIR");
      Deno.symlinkSync(d.dir, `${d.tmp}/gtc-link`);
      Deno.mkdirSync(`${d.tmp}/xdg`, { mode: 0o700 });
      Deno.renameSync(`${d.tmp}/gtc-link`, `${d.tmp}/xdg/gtc`);
      Deno.env.set("XDG_RUNTIME_DIR", `${d.tmp}/xdg`);
      try {
        // A symlinked socket directory is refused…
        assert.equal(await resolveViaDaemon({ dir: ws.mod, env, start: false }), undefined);
        Deno.removeSync(`${d.tmp}/xdg/gtc`);
        Deno.renameSync(d.dir, `${d.tmp}/xdg/gtc`);
        // …the real one is used.
        const got = await resolveViaDaemon({ dir: ws.mod, env, start: false });
        assert.deepEqual(got, plain(resolveSync({ dir: ws.mod, env })));
      } finally {
        if (prev === undefined) Deno.env.delete("XDG_RUNTIME_DIR");
        else Deno.env.set("XDG_RUNTIME_DIR", prev);
        Deno.renameSync(`${d.tmp}/xdg/gtc`, d.dir);
      }
    });
  } finally {
    c.close();
    await d.stop();
  }
});

Deno.test("resolveViaDaemon returns undefined when no daemon can be reached", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "gtc-nodaemon-" });
  const env = { ...Deno.env.toObject(), XDG_RUNTIME_DIR: tmp };
  const prev = Deno.env.get("XDG_RUNTIME_DIR");
  Deno.env.set("XDG_RUNTIME_DIR", tmp);
  try {
    assert.equal(await resolveViaDaemon({ dir: "/", env, start: false }), undefined);
  } finally {
    if (prev === undefined) Deno.env.delete("XDG_RUNTIME_DIR");
    else Deno.env.set("XDG_RUNTIME_DIR", prev);
  }
});

Deno.test("protocol: errors, batches and discover", async (t) => {
  const d = await startDaemon();
  const ws = await makeWorkspace(d.tmp);
  const lc = await LineClient.open(d.socket);
  const rq = (id: number, method: string, params?: unknown) =>
    JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });
  try {
    const cases: [string, string, number][] = [
      ["malformed JSON", "{nope", ErrorCode.ParseError],
      ["not a request", "42", ErrorCode.InvalidRequest],
      ["null", "null", ErrorCode.InvalidRequest],
      ["empty batch", "[]", ErrorCode.InvalidRequest],
      ["missing jsonrpc", '{"id":1,"method":"status"}', ErrorCode.InvalidRequest],
      ["unknown method", rq(1, "frobnicate", {}), ErrorCode.MethodNotFound],
      ["positional params", rq(1, "resolve", [ws.mod]), ErrorCode.InvalidParams],
      ["missing env", rq(1, "resolve", { dir: ws.mod }), ErrorCode.InvalidParams],
      ["env value not a string", rq(1, "resolve", { dir: ws.mod, env: { PATH: 1 } }), -32602],
      ["relative dir", rq(1, "resolve", { dir: "mod", env: {} }), ErrorCode.InvalidParams],
      ["unknown param", rq(1, "status", { verbose: true }), ErrorCode.InvalidParams],
      ["install: unknown param", rq(1, "install", { version: "go1.22.0" }), -32602],
      ["install: neither name nor query", rq(1, "install", { env: {} }), -32602],
      ["remove: missing name", rq(1, "remove", { env: {} }), -32602],
      ["gc: negative days", rq(1, "gc", { env: {}, days: -1 }), -32602],
      ["list: missing env", rq(1, "list", {}), -32602],
    ];
    for (const [name, frame, code] of cases) {
      await t.step(`${name} → ${code}`, async () => {
        await lc.write(frame + "\n");
        const r = await lc.json() as { error?: { code: number; message: string } };
        assert.equal(r.error?.code, code, JSON.stringify(r));
      });
    }
    await t.step(
      "a failed toolchain operation: OperationFailed with the CLI's message",
      async () => {
        // Nothing is installed in an empty GOMODCACHE and GTC_HOME.
        const env = {
          HOME: ws.home,
          GTC_HOME: `${ws.home}/gtc`,
          GOMODCACHE: `${ws.root}/gomodcache`,
        };
        await lc.write(rq(7, "remove", { env, name: "go1.22.0" }) + "\n");
        const r = await lc.json() as { error: { code: number; message: string; data: unknown } };
        assert.deepEqual(r.error, {
          code: ErrorCode.OperationFailed,
          message: "go1.22.0: no removable toolchain of that name (gtc list shows them)",
          data: { type: "OpError" },
        });
      },
    );
    await t.step("notifications get no answer; batches answer in an array", async () => {
      await lc.write(JSON.stringify({ jsonrpc: "2.0", method: "status" }) + "\n");
      await lc.write(
        `[${rq(1, "status", {})},{"jsonrpc":"2.0","method":"status"},${rq(2, "nope")},5]\n`,
      );
      const r = await lc.json() as { id: number | null; error?: { code: number } }[];
      assert.ok(Array.isArray(r));
      assert.equal(r.length, 3);
      assert.deepEqual(r.map((x) => x.id), [1, 2, null]);
      assert.deepEqual(r.map((x) => x.error?.code), [
        undefined,
        ErrorCode.MethodNotFound,
        ErrorCode.InvalidRequest,
      ]);
    });
    await t.step("CRLF framing and blank lines", async () => {
      await lc.write("\n\r\n" + rq(3, "status", {}) + "\r\n");
      const r = await lc.json() as { id: number; result: { pid: number } };
      assert.equal(r.id, 3);
      assert.equal(r.result.pid, d.pid);
    });
    await t.step("rpc.discover is generated from the method table", async () => {
      await lc.write(rq(4, "rpc.discover") + "\n");
      const r = await lc.json() as {
        result: {
          openrpc: string;
          methods: { name: string }[];
          "x-notifications": { name: string }[];
        };
      };
      assert.equal(r.result.openrpc, "1.2.6");
      assert.deepEqual(
        r.result.methods.map((m) => m.name).sort(),
        methods.filter((m) => !m.notification).map((m) => m.name).sort(),
      );
      assert.deepEqual(r.result["x-notifications"].map((m) => m.name), [
        "changed",
        "install.progress",
        "rescan",
      ]);
    });
    await t.step("the typed client rethrows wire errors", async () => {
      const c = await connect({ address: d.socket });
      try {
        await assert.rejects(
          c.call("install", { version: "go1.22.0" }),
          (e) =>
            e instanceof RpcError && e.code === ErrorCode.InvalidParams &&
            e.message === "invalid params: params.env: required; params.version: unknown parameter",
        );
      } finally {
        c.close();
      }
    });
  } finally {
    lc.close();
    await d.stop();
  }
});

Deno.test("permissions: private directory, socket 0600, another user's directory refused", async (t) => {
  const d = await startDaemon();
  try {
    await t.step("directory 0700, socket and lock 0600", () => {
      assert.equal(Deno.statSync(d.dir).mode! & 0o777, 0o700);
      assert.equal(Deno.lstatSync(d.socket).mode! & 0o777, 0o600);
      assert.equal(Deno.statSync(`${d.dir}/gtc-v1.lock`).mode! & 0o777, 0o600);
      assert.ok(Deno.lstatSync(d.socket).isSocket);
    });
  } finally {
    await d.stop();
  }
  await t.step("a group/other-readable directory of ours is made 0700", async () => {
    const tmp = await Deno.makeTempDir({ prefix: "gtc-perm-" });
    Deno.mkdirSync(`${tmp}/run`, { mode: 0o755 });
    Deno.chmodSync(`${tmp}/run`, 0o755);
    const d2 = await startDaemon({ tmp });
    try {
      assert.equal(Deno.statSync(d2.dir).mode! & 0o777, 0o700);
    } finally {
      await d2.stop();
    }
  });
  if (Deno.uid() !== 0) return;
  await t.step("a directory owned by nobody is refused by daemon and client", async () => {
    const tmp = await Deno.makeTempDir({ prefix: "gtc-perm-" });
    Deno.mkdirSync(`${tmp}/run`, { mode: 0o700 });
    Deno.chownSync(`${tmp}/run`, 65534, 65534);
    const d3 = await startDaemon({ tmp, wait: false });
    const out = await d3.child.output();
    assert.equal(out.code, 1);
    const err = new TextDecoder().decode(out.stderr);
    assert.match(err, /refusing to use .*\/run: owned by uid 65534, not by this user \(uid 0\)/);
    assert.throws(() => Deno.lstatSync(`${tmp}/run/gtc-v1.sock`));
    await assert.rejects(
      connect({ dir: `${tmp}/run`, start: startCommand() }),
      /refusing to use .*owned by uid 65534/,
    );
  });
  await t.step("a symlinked directory is refused", async () => {
    const tmp = await Deno.makeTempDir({ prefix: "gtc-perm-" });
    Deno.mkdirSync(`${tmp}/real`, { mode: 0o700 });
    Deno.symlinkSync(`${tmp}/real`, `${tmp}/run`);
    const d4 = await startDaemon({ tmp, wait: false });
    const out = await d4.child.output();
    assert.equal(out.code, 1);
    assert.match(new TextDecoder().decode(out.stderr), /it is a symbolic link/);
  });
});

Deno.test("lifecycle: one daemon per lock, stale socket replaced, idle exit", async (t) => {
  const d = await startDaemon();
  try {
    await t.step("a second daemon on the same directory exits", async () => {
      const d2 = await startDaemon({ tmp: d.tmp, wait: false });
      const out = await d2.child.output();
      assert.equal(out.code, 1);
      assert.match(
        new TextDecoder().decode(out.stderr),
        new RegExp(`already running \\(pid ${d.pid}\\)`),
      );
      // The first one still serves.
      const c = await connect({ address: d.socket });
      assert.equal((await c.status()).pid, d.pid);
      c.close();
    });
    await t.step("concurrent starts yield one daemon", async () => {
      const tmp = await Deno.makeTempDir({ prefix: "gtc-race-" });
      const clients = await Promise.all(
        Array.from({ length: 5 }, () => connect({ dir: `${tmp}/run`, start: startCommand() })),
      );
      const pids = new Set(await Promise.all(clients.map(async (c) => (await c.status()).pid)));
      assert.equal(pids.size, 1);
      await clients[0].shutdown();
      for (const c of clients) c.close();
    });
  } finally {
    await d.stop();
  }
  await t.step(
    "a daemon killed with SIGKILL leaves a stale socket; the next start replaces it",
    async () => {
      const d1 = await startDaemon();
      d1.child.kill("SIGKILL");
      await d1.child.output();
      assert.ok(Deno.lstatSync(d1.socket).isSocket, "socket left behind");
      const c = await connect({ dir: d1.dir, start: startCommand() });
      const s = await c.status();
      assert.notEqual(s.pid, d1.pid);
      assert.match(await Deno.readTextFile(`${d1.dir}/daemon.log`), /removed stale socket/);
      await c.shutdown();
      c.close();
    },
  );
  await t.step("idle exit", async () => {
    const d2 = await startDaemon({ args: ["--idle-exit", "1"] });
    const c = await connect({ address: d2.socket });
    await c.status();
    c.close();
    const t0 = Date.now();
    const out = await d2.child.output();
    assert.equal(out.code, 0);
    assert.ok(Date.now() - t0 < 5000);
    assert.throws(() => Deno.lstatSync(d2.socket), "socket removed on exit");
    assert.match(await Deno.readTextFile(`${d2.dir}/daemon.log`), /stopping: idle for 1 s/);
  });
});

Deno.test("gtc daemon start|status|stop|restart", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "gtc-cli-" });
  const runtime = `${tmp}/xdg`;
  Deno.mkdirSync(runtime, { mode: 0o700 });
  const cli = async (...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `--config=${repoRoot}/deno.json`,
        `${repoRoot}/cli/main.ts`,
        ...args,
      ],
      env: { XDG_RUNTIME_DIR: runtime },
      stdin: "null",
    }).output();
    return {
      code: out.code,
      out: new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr),
    };
  };
  let r = await cli("daemon", "status");
  assert.equal(r.code, 3);
  assert.match(r.out, /not running/);
  r = await cli("daemon", "start");
  assert.equal(r.code, 0, r.out);
  const pid1 = Number(/started \(pid (\d+)\)/.exec(r.out)?.[1]);
  assert.ok(pid1 > 0, r.out);
  r = await cli("daemon", "start");
  assert.match(r.out, new RegExp(`already running \\(pid ${pid1}\\)`));
  r = await cli("daemon", "status");
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, new RegExp(`running \\(pid ${pid1}`));
  assert.match(r.out, /watcher: +inotify/);
  r = await cli("daemon", "status", "--json");
  assert.equal(JSON.parse(r.out).pid, pid1);
  r = await cli("daemon", "restart");
  assert.equal(r.code, 0, r.out);
  const pid2 = Number(/started \(pid (\d+)\)/.exec(r.out)?.[1]);
  assert.ok(pid2 > 0 && pid2 !== pid1, r.out);
  assert.match(r.out, new RegExp(`stopped \\(pid ${pid1}\\)`));
  r = await cli("daemon", "stop");
  assert.match(r.out, new RegExp(`stopped \\(pid ${pid2}\\)`));
  r = await cli("daemon", "stop");
  assert.match(r.out, /not running/);
  await waitGone(`${runtime}/gtc/gtc-v1.sock`);
});

async function waitGone(p: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      Deno.lstatSync(p);
    } catch {
      return;
    }
    await sleep(20);
  }
  throw new Error(`${p} still there`);
}

// Keep the import used when the socket helper is not needed above.
void waitSocket;
