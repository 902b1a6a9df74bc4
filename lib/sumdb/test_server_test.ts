// Client against the in-memory TestServer: tile height 8 as on
// sum.golang.org, trees crossing tile boundaries, the tile fetch policy,
// config merging, and one test per tamper class (tile, record line, key,
// signature, rollback, fork, cache). Every tamper test asserts that nothing
// the server said in the bad exchange was saved as trusted.

import assert from "node:assert/strict";
import { Client, SecurityError } from "./client.ts";
import { generateKey } from "./note.ts";
import { MemClientOps, TestServer } from "./test_server.ts";
import { checkTree, parseTree } from "./tlog.ts";

const name = "sum.gtc.test";
const { skey, vkey } = await generateKey(name);
const other = await generateKey(name); // same name, different key

const h1 = (i: number) => `h1:${String(i).padStart(43, "0")}=`;

function line(i: number): string {
  return `example.com/m${i} v1.0.0 ${h1(i)}`;
}

/** server returns a TestServer holding records example.com/m<i>@v1.0.0 for i < n. */
async function server(n: number): Promise<TestServer> {
  const s = await TestServer.create(skey);
  await grow(s, 0, n);
  return s;
}

async function grow(s: TestServer, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    await s.addRecord(
      `example.com/m${i}`,
      "v1.0.0",
      `${line(i)}\nexample.com/m${i} v1.0.0/go.mod ${h1(i)}\n`,
    );
  }
}

function latestSize(ops: MemClientOps): number | undefined {
  const data = ops.config.get(`${name}/latest`);
  if (data === undefined || data.length === 0) return undefined;
  return parseTree(new TextDecoder().decode(data).split("\n\n")[0] + "\n").n;
}

function snapshot(ops: MemClientOps) {
  return { config: new Map(ops.config), cache: new Map(ops.cache) };
}

/** assertNothingSaved checks that ops' config and cache are exactly as in before. */
function assertNothingSaved(ops: MemClientOps, before: ReturnType<typeof snapshot>): void {
  assert.deepEqual([...ops.config.keys()].sort(), [...before.config.keys()].sort());
  for (const [k, v] of ops.config) assert.deepEqual(v, before.config.get(k), `config ${k} changed`);
  assert.deepEqual([...ops.cache.keys()].sort(), [...before.cache.keys()].sort(), "cache changed");
}

Deno.test("lookup() proves records across tile boundaries (height 8)", async (t) => {
  const s = await server(300);
  const ops = new MemClientOps(vkey, s);
  const c = new Client(ops);
  for (const i of [0, 255, 256, 299]) {
    await t.step(`lookup(example.com/m${i}) in tree 300`, async () => {
      assert.deepEqual(await c.lookup(`example.com/m${i}`, "v1.0.0"), [line(i)]);
    });
  }
  assert.equal(latestSize(ops), 300);
  // Tiles for a 300-record tree at height 8: level 0 full 000 and partial
  // 001.p/44, level 1 000.p/1.
  assert.ok(ops.cache.has(`${name}/tile/8/0/000`));
  assert.ok(ops.cache.has(`${name}/tile/8/0/001.p/44`));
  assert.ok(ops.cache.has(`${name}/tile/8/1/000.p/1`));
  assert.ok(ops.cache.has(`${name}/lookup/example.com/m299@v1.0.0`));

  await t.step("a fresh client answers from the cache alone", async () => {
    ops.getOK = false;
    const c2 = new Client(ops);
    assert.deepEqual(await c2.lookup("example.com/m256", "v1.0.0/go.mod"), [
      `example.com/m256 v1.0.0/go.mod ${h1(256)}`,
    ]);
    ops.getOK = true;
  });

  await t.step("the tree grows: latest moves forward, consistent with 300", async () => {
    await grow(s, 300, 600);
    const c3 = new Client(ops);
    assert.deepEqual(await c3.lookup("example.com/m599", "v1.0.0"), [line(599)]);
    assert.equal(latestSize(ops), 600);
  });
});

Deno.test("lookup() tile fetch policy: cache, full tile in cache, network, full tile on network", async (t) => {
  const s = await server(10);
  const ops = new MemClientOps(vkey, s);
  await new Client(ops).lookup("example.com/m3", "v1.0.0");
  assert.ok(ops.cache.has(`${name}/tile/8/0/000.p/10`));

  await t.step("the requested partial tile comes from the cache", async () => {
    ops.getTileOK = false;
    await new Client(ops).lookup("example.com/m4", "v1.0.0");
    ops.getTileOK = true;
  });

  await t.step("a partial tile is cut from a cached full tile", async () => {
    await grow(s, 10, 256);
    // A fresh ops with only the full tile cached (from a client that saw 256).
    const full = new MemClientOps(vkey, s);
    await new Client(full).lookup("example.com/m255", "v1.0.0");
    assert.ok(full.cache.has(`${name}/tile/8/0/000`));
    // Now a client whose latest is tree 10 looks up record 5 with a note of
    // tree 10 (rolled back): it needs tile 000.p/10, not cached, and cuts it.
    full.cache.delete(`${name}/tile/8/0/000.p/10`);
    s.misbehave.treeSize = 10;
    full.config.delete(`${name}/latest`);
    full.getTileOK = false;
    assert.deepEqual(await new Client(full).lookup("example.com/m5", "v1.0.0"), [line(5)]);
    assert.equal(full.cache.has(`${name}/tile/8/0/000.p/10`), false, "cut tile is not saved again");
    s.misbehave = {};
  });

  await t.step("a partial tile gone from the server is cut from the full one", async () => {
    const ops2 = new MemClientOps(vkey, s);
    s.misbehave.treeSize = 20;
    s.misbehave.tile = (path, data) => path.includes(".p/") ? undefined : data;
    // The server has 256 records: tile 000 is complete, 000.p/20 is 404.
    assert.deepEqual(await new Client(ops2).lookup("example.com/m7", "v1.0.0"), [line(7)]);
    assert.ok(ops2.remoteReads.includes("/tile/8/0/000.p/20"));
    assert.ok(ops2.remoteReads.includes("/tile/8/0/000"));
    // The prefix was authenticated and saved as the partial tile.
    assert.equal(ops2.cache.get(`${name}/tile/8/0/000.p/20`)?.length, 20 * 32);
    assert.equal(ops2.cache.has(`${name}/tile/8/0/000`), false);
    s.misbehave = {};
  });
});

Deno.test("lookup() treats a zero-length cache file as missing", async () => {
  const s = await server(3);
  const ops = new MemClientOps(vkey, s);
  ops.cache.set(`${name}/lookup/example.com/m1@v1.0.0`, new Uint8Array());
  ops.cache.set(`${name}/tile/8/0/000.p/3`, new Uint8Array());
  assert.deepEqual(await new Client(ops).lookup("example.com/m1", "v1.0.0"), [line(1)]);
  assert.ok(ops.remoteReads.includes("/lookup/example.com/m1@v1.0.0"));
  assert.equal(ops.cache.get(`${name}/tile/8/0/000.p/3`)?.length, 3 * 32);
});

Deno.test("lookup() rejects a corrupted tile and saves nothing (tamper: tile)", async (t) => {
  for (const which of ["tile/8/0/001.p/44", "tile/8/0/000", "tile/8/1/000.p/1"]) {
    await t.step(`${which}, tree 200 trusted before`, async () => {
      const s = await server(200);
      const ops = new MemClientOps(vkey, s);
      await new Client(ops).lookup("example.com/m3", "v1.0.0");
      await grow(s, 200, 300);
      const before = snapshot(ops);
      s.misbehave.tile = (path, data) => {
        if (path === which) data[data.length - 1] ^= 1;
        return data;
      };
      await assert.rejects(new Client(ops).lookup("example.com/m250", "v1.0.0"), {
        message:
          "example.com/m250@v1.0.0: checking tree#200 against tree#300: downloaded inconsistent tile",
      });
      assertNothingSaved(ops, before);
    });
    await t.step(`${which}, first use`, async () => {
      const s = await server(300);
      const ops = new MemClientOps(vkey, s);
      s.misbehave.tile = (path, data) => {
        if (path === which) data[data.length - 1] ^= 1;
        return data;
      };
      // The empty tree needs no tiles to be a prefix of tree 300, so the
      // signed note becomes latest (trust on first use, as in Go); the
      // inclusion proof then reads and rejects the tiles.
      await assert.rejects(new Client(ops).lookup("example.com/m3", "v1.0.0"), {
        message: "example.com/m3@v1.0.0: downloaded inconsistent tile",
      });
      assert.equal(ops.cache.size, 0);
    });
  }
});

Deno.test("lookup() rejects an altered record line and caches nothing (tamper: record)", async () => {
  const s = await server(5);
  const ops = new MemClientOps(vkey, s);
  await new Client(ops).lookup("example.com/m0", "v1.0.0");
  const before = snapshot(ops);
  s.misbehave.record = (path, _v, text) =>
    path === "example.com/m2"
      ? new TextEncoder().encode(new TextDecoder().decode(text).replace(h1(2), h1(9)))
      : text;
  const c = new Client(ops);
  await assert.rejects(c.lookup("example.com/m2", "v1.0.0"), {
    message: "example.com/m2@v1.0.0: cannot authenticate record data in server response",
  });
  assertNothingSaved(ops, before);
  // The failure is final for this client: no second request, no fallback.
  const reads = ops.remoteReads.length;
  await assert.rejects(c.lookup("example.com/m2", "v1.0.0/go.mod"), /cannot authenticate/);
  assert.equal(ops.remoteReads.length, reads);
});

Deno.test("lookup() rejects a record id outside the signed tree", async () => {
  const s = await server(5);
  const ops = new MemClientOps(vkey, s);
  s.misbehave.treeSize = 3;
  await assert.rejects(new Client(ops).lookup("example.com/m4", "v1.0.0"), {
    message: "example.com/m4@v1.0.0: cannot validate record 4 in tree of size 3",
  });
  assert.equal(ops.cache.has(`${name}/lookup/example.com/m4@v1.0.0`), false);
});

Deno.test("lookup() rejects a tree signed by another key of the same name (tamper: key)", async () => {
  const s = await server(5);
  const ops = new MemClientOps(vkey, s);
  const before = snapshot(ops);
  await s.signWith(other.skey);
  const err = await new Client(ops).lookup("example.com/m1", "v1.0.0").then(
    () => assert.fail("accepted"),
    (e: Error) => e,
  );
  assert.match(
    err.message,
    /^example\.com\/m1@v1\.0\.0: reading tree note: note has no verifiable signatures\nnote:\ngo\.sum database tree\n5\n/,
  );
  assertNothingSaved(ops, before);
  assert.equal(ops.security.length, 0);
});

Deno.test("lookup() rejects a note whose signature was altered (tamper: signature)", async () => {
  const s = await server(5);
  const ops = new MemClientOps(vkey, async (path) => {
    const body = await new MemClientOps(vkey, s).readRemote(path);
    if (path.startsWith("/lookup/")) body[body.length - 5] ^= 1; // inside the base64 signature
    return body;
  });
  const before = snapshot(ops);
  await assert.rejects(new Client(ops).lookup("example.com/m1", "v1.0.0"), /reading tree note: /);
  assertNothingSaved(ops, before);
});

Deno.test("lookup() accepts a consistent rollback and keeps latest (tamper: rollback)", async () => {
  const s = await server(300);
  const ops = new MemClientOps(vkey, s);
  await new Client(ops).lookup("example.com/m299", "v1.0.0");
  assert.equal(latestSize(ops), 300);
  s.misbehave.treeSize = 100;
  const c = new Client(ops);
  assert.deepEqual(await c.lookup("example.com/m50", "v1.0.0"), [line(50)]);
  assert.equal(latestSize(ops), 300, "latest does not move back");
  assert.equal(ops.security.length, 0);
});

Deno.test("lookup() detects a fork and reports it with evidence (tamper: fork)", async (t) => {
  const base = await server(100);
  const fork = base.fork();
  await grow(base, 100, 150);
  for (let i = 100; i < 140; i++) {
    await fork.addRecord(
      `example.com/forked${i}`,
      "v1.0.0",
      `example.com/forked${i} v1.0.0 ${h1(i)}\n`,
    );
  }
  let current = base;
  const ops = new MemClientOps(vkey, (path) => new MemClientOps(vkey, current).readRemote(path));
  await new Client(ops).lookup("example.com/m120", "v1.0.0");
  assert.equal(latestSize(ops), 150);

  for (const [label, path] of [["older", "example.com/m5"], ["newer", "example.com/forked135"]]) {
    await t.step(`the fork's ${label} tree`, async () => {
      const before = snapshot(ops);
      current = fork;
      if (label === "newer") await grow(fork, 140, 160); // 160 records > 150
      const c = new Client(ops);
      const err = await c.lookup(path, "v1.0.0").then(() => assert.fail("accepted"), (e) => e);
      current = base;
      assert.ok(err instanceof SecurityError, String(err));
      assert.match(
        err.message,
        /^SECURITY ERROR\ngo\.sum database server misbehavior detected!\n\nold database:\n\tgo\.sum database tree\n/,
      );
      assert.equal(ops.security.at(-1), err.message);
      const { older, newer, olderHashInNewer, proof } = err.evidence;
      assert.ok(older.tree.n <= newer.tree.n);
      // The proof shows newer contains a tree of size older.n whose hash is
      // not older's: checkable without the server.
      assert.ok(proof !== undefined);
      checkTree(proof, newer.tree.n, newer.tree.hash, older.tree.n, olderHashInNewer);
      assert.notDeepEqual(olderHashInNewer, older.tree.hash);
      assert.ok(
        err.message.endsWith(
          proof.map((h: Uint8Array) => "\n\t" + btoa(String.fromCharCode(...h))).join(""),
        ),
      );
      assertNothingSaved(ops, before);
      assert.equal(latestSize(ops), 150);
    });
  }
});

Deno.test("lookup() fails on a corrupted cached record without asking the server (tamper: cache)", async () => {
  const s = await server(5);
  const ops = new MemClientOps(vkey, s);
  await new Client(ops).lookup("example.com/m2", "v1.0.0");
  const file = `${name}/lookup/example.com/m2@v1.0.0`;
  const data = ops.cache.get(file)!;
  const bad = new TextEncoder().encode(new TextDecoder().decode(data).replace(h1(2), h1(8)));
  ops.cache.set(file, bad);
  const reads = ops.remoteReads.length;
  await assert.rejects(
    new Client(ops).lookup("example.com/m2", "v1.0.0"),
    /cannot authenticate record data/,
  );
  assert.equal(ops.remoteReads.length, reads, "no network fallback after a verification failure");
});

Deno.test("lookup() merges a latest written meanwhile by another client (config compare-and-swap)", async () => {
  const s = await server(10);
  const ops = new MemClientOps(vkey, s);
  const a = new Client(ops);
  await a.lookup("example.com/m1", "v1.0.0"); // a: tree 10
  await grow(s, 10, 30);
  const b = new Client(ops);
  await b.lookup("example.com/m25", "v1.0.0"); // b writes tree 30
  assert.equal(latestSize(ops), 30);
  // a sees tree 20 (newer than its 10, older than the stored 30): it must not
  // overwrite the stored latest with 20.
  s.misbehave.treeSize = 20;
  await a.lookup("example.com/m15", "v1.0.0");
  assert.equal(latestSize(ops), 30);
  s.misbehave = {};
});

Deno.test("lookup() retries writeConfig after a write conflict", async () => {
  const s = await server(10);
  const ops = new MemClientOps(vkey, s);
  const write = ops.writeConfig.bind(ops);
  let conflicts = 0;
  ops.writeConfig = async (file, old, next) => {
    if (conflicts++ === 0) {
      // Another process stores tree 5 first: the compare-and-swap fails.
      ops.config.set(file, await s.signed(5));
    }
    return write(file, old, next);
  };
  await new Client(ops).lookup("example.com/m7", "v1.0.0");
  assert.equal(conflicts, 2);
  assert.equal(latestSize(ops), 10);
});

Deno.test("lookup() reports init errors once, in Go's words", async (t) => {
  const s = await server(2);
  await t.step("bad key", async () => {
    const ops = new MemClientOps("on", s);
    await assert.rejects(new Client(ops).lookup("example.com/m1", "v1.0.0"), {
      message: "example.com/m1@v1.0.0: initializing sumdb.Client: malformed verifier id",
    });
  });
  await t.step("bad stored latest", async () => {
    const ops = new MemClientOps(vkey, s);
    ops.config.set(`${name}/latest`, new TextEncoder().encode("junk"));
    await assert.rejects(new Client(ops).lookup("example.com/m1", "v1.0.0"), {
      message:
        "example.com/m1@v1.0.0: initializing sumdb.Client: reading tree note: malformed note\nnote:\njunk",
    });
  });
  await t.step("bad module path", async () => {
    const ops = new MemClientOps(vkey, s);
    await assert.rejects(
      new Client(ops).lookup("example.com/../x", "v1.0.0"),
      /^Error: example\.com\/\.\.\/x@v1\.0\.0: malformed module path/,
    );
    await assert.rejects(
      new Client(ops).lookup("example.com/x", "../v1"),
      /disallowed version string/,
    );
    assert.equal(ops.remoteReads.length, 0);
  });
});

Deno.test("TestServer.handler() serves the protocol", async (t) => {
  const s = await server(3);
  const get = async (path: string) => {
    const res = await s.handler(new Request("http://127.0.0.1" + path));
    return { status: res.status, body: new Uint8Array(await res.arrayBuffer()) };
  };
  await t.step("/latest is the signed tree", async () => {
    const r = await get("/latest");
    assert.equal(r.status, 200);
    assert.match(new TextDecoder().decode(r.body), /^go\.sum database tree\n3\n/);
  });
  await t.step("/lookup/ of an unknown module is 404", async () => {
    assert.equal((await get("/lookup/example.com/none@v1.0.0")).status, 404);
  });
  await t.step("/lookup/ with bad syntax is 400", async () => {
    assert.equal((await get("/lookup/example.com/m1@1.0")).status, 400);
  });
  await t.step("/tile/8/0/000.p/3 is 3 hashes; beyond the tree is 404", async () => {
    assert.equal((await get("/tile/8/0/000.p/3")).body.length, 96);
    assert.equal((await get("/tile/8/0/000.p/4")).status, 404);
    assert.equal((await get("/tile/8/0/000")).status, 404);
    assert.equal((await get("/tile/8/0/0")).status, 400);
  });
  await t.step("/tile/8/data/000.p/2 is the first two records", async () => {
    assert.equal(
      new TextDecoder().decode((await get("/tile/8/data/000.p/2")).body),
      `${line(0)}\nexample.com/m0 v1.0.0/go.mod ${h1(0)}\n\n${
        line(1)
      }\nexample.com/m1 v1.0.0/go.mod ${h1(1)}\n\n`,
    );
  });
  await t.step("mounted under /sumdb/<name>/", async () => {
    assert.equal((await get(`/sumdb/${name}/supported`)).status, 200);
    assert.equal((await get(`/sumdb/${name}/latest`)).status, 200);
  });
});
