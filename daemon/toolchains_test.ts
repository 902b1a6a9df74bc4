import assert from "node:assert/strict";
import type { Installation } from "../lib/ops/mod.ts";
import type { InstallProgressParams } from "../lib/rpc/protocol.ts";
import type { Peer } from "./state.ts";
import { type ToolchainOps, Toolchains } from "./toolchains.ts";

// FakePeer records the notifications a connection receives.
class FakePeer implements Peer {
  readonly subs = new Map();
  readonly got: InstallProgressParams[] = [];
  notify(method: string, params: unknown): void {
    assert.equal(method, "install.progress");
    this.got.push(params as InstallProgressParams);
  }
}

// countingOps installs nothing: each call is counted, reports progress when
// told to and finishes when released.
function countingOps() {
  const calls: { name: string; env: Record<string, string> }[] = [];
  let progress: ((b: number, t?: number) => void) | undefined;
  let release: (r: Installation | Error) => void = () => {};
  const ops: ToolchainOps = {
    installToolchain(name, _source, env, opts = {}) {
      calls.push({ name, env });
      progress = opts.onProgress;
      return new Promise((res, rej) => {
        release = (r) => r instanceof Error ? rej(r) : res(r);
      });
    },
    installedToolchains: () => [],
    removeNamed: () => Promise.resolve({ removed: [] }),
    collectGarbage: () => Promise.resolve({ dryRun: true, bytes: 0, removed: [] }),
    toolchainForQuery: (q) => Promise.resolve(q === "1.99" ? "go1.99.1" : "go" + q),
    remoteToolchains: () => Promise.reject(new Error("not in this test")),
  };
  return {
    ops,
    calls,
    progress: (b: number, t?: number) => progress!(b, t),
    release: (r: Installation | Error) => release(r),
  };
}

const result: Installation = {
  toolchain: "go1.99.1",
  source: "cache",
  dir: "/m/golang.org/toolchain@v0.0.1-go1.99.1.linux-amd64",
  downloaded: true,
  env: {},
  notices: [],
};

const tick = () => new Promise((r) => setTimeout(r, 0));

Deno.test("Toolchains.install shares one installToolchain call per toolchain, source and env", async (t) => {
  await t.step("two waiters: one call, progress to both, the same result", async () => {
    const o = countingOps();
    let changed = 0;
    const tc = new Toolchains({ ops: o.ops, progressEveryMs: 0, changed: () => changed++ });
    const [a, b] = [new FakePeer(), new FakePeer()];
    const ra = tc.install({ env: { HOME: "/h" }, name: "go1.99.1" }, a);
    await tick();
    o.progress(10, 100);
    // b asks by query and joins: the last progress is replayed to it.
    const rb = tc.install({ env: { HOME: "/h", TERM: "ignored" }, query: "1.99" }, b);
    await tick();
    assert.equal(tc.inFlight, 1);
    o.progress(100, 100);
    o.release(result);
    assert.deepEqual(await ra, result);
    assert.deepEqual(await rb, result);
    assert.equal(o.calls.length, 1);
    assert.deepEqual(o.calls[0].env, { HOME: "/h" });
    assert.deepEqual(a.got.map((n) => n.bytes), [10, 100]);
    assert.deepEqual(b.got, [
      { name: "go1.99.1", bytes: 10, total: 100 },
      { name: "go1.99.1", bytes: 100, total: 100 },
    ]);
    assert.equal(tc.inFlight, 0);
    assert.equal(changed, 1);
  });

  await t.step("a failure reaches every waiter; the next request starts anew", async () => {
    const o = countingOps();
    const tc = new Toolchains({ ops: o.ops });
    const [a, b] = [new FakePeer(), new FakePeer()];
    const ra = tc.install({ env: {}, name: "go1.99.1" }, a);
    const rb = tc.install({ env: {}, name: "go1.99.1" }, b);
    await tick();
    const err = new Error("download go1.99.1: checksum mismatch");
    o.release(err);
    await assert.rejects(ra, (e) => e === err);
    await assert.rejects(rb, (e) => e === err);
    const rc = tc.install({ env: {}, name: "go1.99.1" }, a);
    await tick();
    assert.equal(o.calls.length, 2);
    o.release(result);
    assert.deepEqual(await rc, result);
  });

  await t.step("another environment, source or force is another install", async () => {
    const o = countingOps();
    const tc = new Toolchains({ ops: o.ops });
    const p = new FakePeer();
    tc.install({ env: { GOMODCACHE: "/a" }, name: "go1.99.1" }, p);
    tc.install({ env: { GOMODCACHE: "/b" }, name: "go1.99.1" }, p);
    tc.install({ env: { GOMODCACHE: "/a" }, name: "go1.99.1", source: "godl" }, p);
    tc.install({ env: { GOMODCACHE: "/a" }, name: "go1.99.1", force: true }, p);
    await tick();
    assert.equal(o.calls.length, 4);
    assert.equal(tc.inFlight, 4);
  });

  await t.step("progress is throttled, but the first and the last chunk are sent", async () => {
    const o = countingOps();
    const tc = new Toolchains({ ops: o.ops, progressEveryMs: 60_000 });
    const p = new FakePeer();
    const r = tc.install({ env: {}, name: "go1.99.1" }, p);
    await tick();
    for (const b of [1, 2, 3, 4]) o.progress(b, 4);
    o.release(result);
    await r;
    assert.deepEqual(p.got.map((n) => n.bytes), [1, 4]);
  });

  await t.step("exactly one of name and query", async () => {
    const tc = new Toolchains({ ops: countingOps().ops });
    await assert.rejects(tc.install({ env: {} }, new FakePeer()), /exactly one of name and query/);
    await assert.rejects(
      tc.install({ env: {}, name: "go1.99.1", query: "1.99" }, new FakePeer()),
      /exactly one of name and query/,
    );
  });
});

// remoteOps counts remote fetches; each waits until released.
function remoteOps() {
  const fetches: { source?: string; all?: boolean; env: Record<string, string> }[] = [];
  const waiting: ((r: string[] | Error) => void)[] = [];
  const ops: ToolchainOps = {
    ...countingOps().ops,
    remoteToolchains(req, env) {
      fetches.push({ ...req, env });
      return new Promise((res, rej) => {
        waiting.push((r) =>
          r instanceof Error ? rej(r) : res({ source: req.source ?? "goproxy", toolchains: r })
        );
      });
    },
  };
  return { ops, fetches, release: (r: string[] | Error) => waiting.shift()!(r) };
}

Deno.test("listRemote: cache with expiry, refresh, single flight, errors not cached", async () => {
  const o = remoteOps();
  let now = 1000;
  const tc = new Toolchains({ ops: o.ops, remoteTtlMs: 500, now: () => now });
  const env = { GOPROXY: "http://a", PATH: "/bin" };
  // Two at once: one fetch.
  const a = tc.listRemote({ env });
  const b = tc.listRemote({ env: { ...env, PATH: "/usr/bin" } });
  assert.equal(o.fetches.length, 1);
  assert.equal(tc.remoteLists, 0);
  o.release(["go1.99.1"]);
  assert.deepEqual(await a, { source: "goproxy", toolchains: ["go1.99.1"] });
  assert.deepEqual(await b, await a);
  assert.equal(tc.remoteLists, 1);
  // Within the ttl: cached.
  now += 499;
  assert.deepEqual(await tc.listRemote({ env }), await a);
  assert.equal(o.fetches.length, 1);
  // Another GOPROXY, source or all: another entry.
  const c = tc.listRemote({ env: { ...env, GOPROXY: "http://b" } });
  const d = tc.listRemote({ env, all: true });
  const e = tc.listRemote({ env, source: "godl" });
  assert.equal(o.fetches.length, 4);
  o.release(["go1.99.2"]);
  o.release(["go1.99.3rc1"]);
  o.release(["go1.99.0"]);
  assert.deepEqual((await c).toolchains, ["go1.99.2"]);
  assert.deepEqual((await d).toolchains, ["go1.99.3rc1"]);
  assert.deepEqual(await e, { source: "godl", toolchains: ["go1.99.0"] });
  assert.deepEqual(o.fetches.map((f) => [f.source, f.all]), [
    ["goproxy", false],
    ["goproxy", false],
    ["goproxy", true],
    ["godl", false],
  ]);
  assert.equal(tc.remoteLists, 4);
  // Expired: fetched again.
  now += 1;
  const f = tc.listRemote({ env });
  assert.equal(o.fetches.length, 5);
  assert.equal(tc.remoteLists, 3);
  o.release(["go1.99.4"]);
  assert.deepEqual((await f).toolchains, ["go1.99.4"]);
  // refresh: fetched again; a failure is not cached and keeps nothing.
  const g = tc.listRemote({ env, refresh: true });
  assert.equal(o.fetches.length, 6);
  o.release(new Error("boom"));
  await assert.rejects(g, /boom/);
  assert.equal(tc.remoteLists, 3);
  const h = tc.listRemote({ env });
  assert.equal(o.fetches.length, 7);
  o.release(["go1.99.5"]);
  assert.deepEqual((await h).toolchains, ["go1.99.5"]);
  assert.equal(tc.remoteLists, 4);
});
