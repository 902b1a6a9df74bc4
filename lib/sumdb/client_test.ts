// Ported from golang.org/x/mod/sumdb client_test.go (x/mod 8569e263): the
// testClient environment (a remote map built by hand, tile height 2, the
// localhost.localdev/sumdb keys) and TestClientLookup, TestClientBadTiles,
// TestClientFork, TestClientGONOSUMDB and TestRejectUnauthenticatedLines.
// Ed25519 signatures are deterministic, so the signatures and proof Go's
// TestClientFork expects are expected here byte for byte.

import assert from "node:assert/strict";
import { Client, GONOSUMDBError, SecurityError } from "./client.ts";
import { MemClientOps } from "./test_server.ts";
import { matchPrefixPatterns } from "../module/mod.ts";
import { newSigner, sign, type Signer } from "./note.ts";
import { formatRecord } from "./record.ts";
import { newTiles, readTileData, tilePath } from "./tile.ts";
import {
  formatTree,
  type Hash,
  type HashReader,
  recordHash,
  storedHashesForRecordHash,
  treeHash,
} from "./tlog.ts";

const testName = "localhost.localdev/sumdb";
const testVerifierKey =
  "localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6";
const testSignerKey =
  "PRIVATE+KEY+localhost.localdev/sumdb+00000c67+AXu6+oaVaOYuQOFrf1V59JK1owcFlJcHwwXHDfDGxSPk";

const enc = new TextEncoder();
const dec = new TextDecoder();

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** TestClient is a self-contained client-side testing environment (Go's testClient). */
class TestClient implements HashReader {
  client!: Client;
  tileHeight = 2;
  treeSize = 0;
  hashes: Hash[] = [];
  remote = new Map<string, Uint8Array>();
  ops!: MemClientOps;
  signer!: Signer;
  skip: ((path: string) => boolean) | undefined;

  static async create(): Promise<TestClient> {
    const tc = new TestClient();
    tc.signer = await newSigner(testSignerKey);
    tc.ops = tc.#newOps();
    tc.newClient();

    await tc.addRecord(
      "rsc.io/quote@v1.5.2",
      `rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=
rsc.io/quote v1.5.2/go.mod h1:LzX7hefJvL54yjefDEDHNONDjII0t9xZLPXsUe+TKr0=
rsc.io/quote v1.5.2 h2:xyzzy
`,
    );
    await tc.addRecord(
      "golang.org/x/text@v0.0.0-20170915032832-14c0d48ead0c",
      `golang.org/x/text v0.0.0-20170915032832-14c0d48ead0c h1:qgOY6WgZOaTkIIMiVjBQcw93ERBE4m30iBm00nkL0i8=
golang.org/x/text v0.0.0-20170915032832-14c0d48ead0c/go.mod h1:NqM8EUOU14njkJ3fqMW+pc6Ldnwhi/IjpwHt7yyuwOQ=
`,
    );
    await tc.addRecord(
      "rsc.io/sampler@v1.3.0",
      `rsc.io/sampler v1.3.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=
rsc.io/sampler v1.3.0/go.mod h1:T1hPZKmBbMNahiBKFy5HrXp6adAjACjK9JXDnKaTXpA=
`,
    );
    tc.ops.config.set(testName + "/latest", await tc.signTree(1));

    await tc.addRecord("rsc.io/!quote@v1.5.2", "rsc.io/Quote v1.5.2 h1:uppercase!=\n");
    return tc;
  }

  #newOps(): MemClientOps {
    return new MemClientOps(testVerifierKey, (path) => {
      const data = this.remote.get(path);
      if (data === undefined) return Promise.reject(new Error(`no remote path ${path}`));
      return Promise.resolve(data);
    });
  }

  /** newClient resets the Client, clearing its in-memory cache but not the ops' config and cache. */
  newClient(): void {
    this.client = new Client(this.ops, { tileHeight: this.tileHeight, skip: this.skip });
  }

  readHashes(indexes: readonly number[]): Hash[] {
    return indexes.map((i) => this.hashes[i]);
  }

  async mustLookup(path: string, vers: string, want: string): Promise<void> {
    const lines = await this.client.lookup(path, vers);
    assert.equal(lines.join("\n"), want, `lookup(${path}, ${vers})`);
  }

  /** mustHaveLatest checks that the stored latest is a tree of size n. */
  mustHaveLatest(n: number): void {
    const latest = dec.decode(this.ops.config.get(testName + "/latest"));
    const lines = latest.split("\n");
    assert.ok(
      lines.length >= 2 && lines[1] === String(n),
      `/latest should have tree ${n}, but has:\n${latest}`,
    );
  }

  /** fork returns a copy of tc; changes to one are not reflected in the other. */
  fork(): TestClient {
    const tc2 = new TestClient();
    tc2.tileHeight = this.tileHeight;
    tc2.treeSize = this.treeSize;
    tc2.hashes = [...this.hashes];
    tc2.signer = this.signer;
    tc2.remote = new Map(this.remote);
    tc2.ops = tc2.#newOps();
    for (const [k, v] of this.ops.config) tc2.ops.config.set(k, v);
    for (const [k, v] of this.ops.cache) tc2.ops.cache.set(k, v);
    tc2.ops.getOK = this.ops.getOK;
    tc2.ops.getTileOK = this.ops.getTileOK;
    tc2.newClient();
    return tc2;
  }

  /** addRecord adds a log record using the given (!-encoded) key and data. */
  async addRecord(key: string, data: string): Promise<void> {
    const id = this.treeSize++;
    const rec = formatRecord(id, enc.encode(data));
    const hashes = await storedHashesForRecordHash(id, recordHash(enc.encode(data)), this);
    this.hashes.push(...hashes);

    // Create lookup result.
    this.remote.set("/lookup/" + key, concat(rec, await this.signTree(this.treeSize)));

    // Create new tiles.
    for (const tile of newTiles(this.tileHeight, id, this.treeSize)) {
      this.remote.set("/" + tilePath(tile), await readTileData(tile, this));
    }
  }

  /** signTree returns the signed head for the tree of the given size. */
  async signTree(size: number): Promise<Uint8Array> {
    const hash = await treeHash(size, this);
    return sign({ text: formatTree({ n: size, hash }), sigs: [], unverifiedSigs: [] }, [
      this.signer,
    ]);
  }
}

async function mustError(p: Promise<unknown>, text: string): Promise<Error> {
  const err = await p.then(() => undefined, (e) => e as Error);
  assert.ok(
    err !== undefined && err.message.includes(text),
    `err = ${err?.message}, want ${JSON.stringify(text)}`,
  );
  return err;
}

Deno.test("TestClientLookup", async () => {
  const tc = await TestClient.create();
  tc.mustHaveLatest(1);

  // Basic lookup.
  await tc.mustLookup(
    "rsc.io/sampler",
    "v1.3.0",
    "rsc.io/sampler v1.3.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=",
  );
  tc.mustHaveLatest(3);

  // Everything should now be cached, both for the original package and its /go.mod.
  tc.ops.getOK = false;
  await tc.mustLookup(
    "rsc.io/sampler",
    "v1.3.0",
    "rsc.io/sampler v1.3.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=",
  );
  await tc.mustLookup(
    "rsc.io/sampler",
    "v1.3.0/go.mod",
    "rsc.io/sampler v1.3.0/go.mod h1:T1hPZKmBbMNahiBKFy5HrXp6adAjACjK9JXDnKaTXpA=",
  );
  tc.mustHaveLatest(3);
  tc.ops.getOK = true;
  tc.ops.getTileOK = false; // the cache has what we need

  // Lookup with multiple returned lines.
  await tc.mustLookup(
    "rsc.io/quote",
    "v1.5.2",
    "rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=\nrsc.io/quote v1.5.2 h2:xyzzy",
  );
  tc.mustHaveLatest(3);

  // Lookup with need for !-encoding.
  // rsc.io/Quote is the only record written after rsc.io/sampler,
  // so it is the only one that should need more tiles.
  tc.ops.getTileOK = true;
  await tc.mustLookup("rsc.io/Quote", "v1.5.2", "rsc.io/Quote v1.5.2 h1:uppercase!=");
  tc.mustHaveLatest(4);
});

Deno.test("TestClientBadTiles", async () => {
  const tc = await TestClient.create();

  const flipBits = () => {
    for (const [url, data] of tc.remote) {
      if (url.includes("/tile/")) { for (let i = 0; i < data.length; i++) data[i] ^= 0x80; }
    }
  };

  // Bad tiles in initial download.
  tc.mustHaveLatest(1);
  flipBits();
  await mustError(
    tc.client.lookup("rsc.io/sampler", "v1.3.0"),
    "rsc.io/sampler@v1.3.0: initializing sumdb.Client: checking tree#1: downloaded inconsistent tile",
  );
  assert.equal(tc.ops.cache.size, 0, "nothing cached after bad tiles");
  flipBits();
  tc.newClient();
  await tc.mustLookup(
    "rsc.io/sampler",
    "v1.3.0",
    "rsc.io/sampler v1.3.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=",
  );

  // Bad tiles after initial download.
  flipBits();
  const cacheBefore = new Map(tc.ops.cache);
  await mustError(
    tc.client.lookup("rsc.io/Quote", "v1.5.2"),
    "rsc.io/Quote@v1.5.2: checking tree#3 against tree#4: downloaded inconsistent tile",
  );
  assert.deepEqual(tc.ops.cache, cacheBefore, "nothing new cached after bad tiles");
  tc.mustHaveLatest(3);
  flipBits();
  tc.newClient();
  await tc.mustLookup("rsc.io/Quote", "v1.5.2", "rsc.io/Quote v1.5.2 h1:uppercase!=");

  // Bad starting tree hash looks like bad tiles.
  tc.newClient();
  const text = formatTree({ n: 1, hash: new Uint8Array(32) });
  tc.ops.config.set(
    testName + "/latest",
    await sign({ text, sigs: [], unverifiedSigs: [] }, [tc.signer]),
  );
  await mustError(
    tc.client.lookup("rsc.io/sampler", "v1.3.0"),
    "rsc.io/sampler@v1.3.0: initializing sumdb.Client: checking tree#1: downloaded inconsistent tile",
  );
});

Deno.test("TestClientFork", async () => {
  const tc = await TestClient.create();
  const tc2 = tc.fork();

  await tc.addRecord("rsc.io/pkg1@v1.5.2", "rsc.io/pkg1 v1.5.2 h1:hash!=\n");
  await tc.addRecord("rsc.io/pkg1@v1.5.4", "rsc.io/pkg1 v1.5.4 h1:hash!=\n");
  await tc.mustLookup("rsc.io/pkg1", "v1.5.2", "rsc.io/pkg1 v1.5.2 h1:hash!=");

  await tc2.addRecord("rsc.io/pkg1@v1.5.3", "rsc.io/pkg1 v1.5.3 h1:hash!=\n");
  await tc2.addRecord("rsc.io/pkg1@v1.5.4", "rsc.io/pkg1 v1.5.4 h1:hash!=\n");
  await tc2.mustLookup("rsc.io/pkg1", "v1.5.4", "rsc.io/pkg1 v1.5.4 h1:hash!=");

  const key = "/lookup/rsc.io/pkg1@v1.5.2";
  tc2.remote.set(key, tc.remote.get(key)!);
  const latestBefore = tc2.ops.config.get(testName + "/latest");
  const cacheBefore = new Map(tc2.ops.cache);
  const err = await tc2.client.lookup("rsc.io/pkg1", "v1.5.2").then(
    () => assert.fail("lookup succeeded"),
    (e) => e,
  );
  assert.ok(err instanceof SecurityError, String(err));

  /*
     SECURITY ERROR
     go.sum database server misbehavior detected!

     old database:
     	go.sum database tree!
     	5
     	nWzN20+pwMt62p7jbv1/NlN95ePTlHijabv5zO/s36w=

     	— localhost.localdev/sumdb AAAMZ5/2FVAdMH58kmnz/0h299pwyskEbzDzoa2/YaPdhvLya4YWDFQQxu2TQb5GpwAH4NdWnTwuhILafisyf3CNbgg=

     new database:
     	go.sum database tree
     	6
     	wc4SkQt52o5W2nQ8To2ARs+mWuUJjss+sdleoiqxMmM=

     	— localhost.localdev/sumdb AAAMZ6oRNswlEZ6ZZhxrCvgl1MBy+nusq4JU+TG6Fe2NihWLqOzb+y2c2kzRLoCr4tvw9o36ucQEnhc20e4nA4Qc/wc=

     proof of misbehavior:
     	T7i+H/8ER4nXOiw4Bj0koZOkGjkxoNvlI34GpvhHhQg=
     	Nsuejv72de9hYNM5bqFv8rv3gm3zJQwv/DT/WNbLDLA=
     	mOmqqZ1aI/lzS94oq/JSbj7pD8Rv9S+xDyi12BtVSHo=
     	/7Aw5jVSMM9sFjQhaMg+iiDYPMk6decH7QLOGrL9Lx0=
  */
  const wants = [
    "SECURITY ERROR",
    "go.sum database server misbehavior detected!",
    "old database:\n\tgo.sum database tree\n\t5\n",
    "— localhost.localdev/sumdb AAAMZ5/2FVAd",
    "new database:\n\tgo.sum database tree\n\t6\n",
    "— localhost.localdev/sumdb AAAMZ6oRNswl",
    "proof of misbehavior:\n\tT7i+H/8ER4nXOiw4Bj0k",
  ];
  assert.equal(tc2.ops.security.length, 1);
  const text = tc2.ops.security[0];
  for (const want of wants) {
    assert.ok(
      text.includes(want),
      `cannot find ${JSON.stringify(want)} in security text:\n${text}`,
    );
  }
  // gtc: the whole report equals the one in Go's comment above (whose
  // "tree!" is a typo upstream).
  assert.equal(
    text,
    "SECURITY ERROR\ngo.sum database server misbehavior detected!\n\n" +
      "old database:\n\tgo.sum database tree\n\t5\n\tnWzN20+pwMt62p7jbv1/NlN95ePTlHijabv5zO/s36w=\n\t\n" +
      "\t— localhost.localdev/sumdb AAAMZ5/2FVAdMH58kmnz/0h299pwyskEbzDzoa2/YaPdhvLya4YWDFQQxu2TQb5GpwAH4NdWnTwuhILafisyf3CNbgg=\n\t\n" +
      "new database:\n\tgo.sum database tree\n\t6\n\twc4SkQt52o5W2nQ8To2ARs+mWuUJjss+sdleoiqxMmM=\n\t\n" +
      "\t— localhost.localdev/sumdb AAAMZ6oRNswlEZ6ZZhxrCvgl1MBy+nusq4JU+TG6Fe2NihWLqOzb+y2c2kzRLoCr4tvw9o36ucQEnhc20e4nA4Qc/wc=\n\t\n" +
      "proof of misbehavior:\n\tT7i+H/8ER4nXOiw4Bj0koZOkGjkxoNvlI34GpvhHhQg=\n\tNsuejv72de9hYNM5bqFv8rv3gm3zJQwv/DT/WNbLDLA=\n" +
      "\tmOmqqZ1aI/lzS94oq/JSbj7pD8Rv9S+xDyi12BtVSHo=\n\t/7Aw5jVSMM9sFjQhaMg+iiDYPMk6decH7QLOGrL9Lx0=",
  );
  // gtc: the error carries the same report and the evidence, and nothing
  // from the forked answer was trusted or saved.
  assert.equal(err.message, text);
  assert.equal(err.evidence.older.tree.n, 5);
  assert.equal(err.evidence.newer.tree.n, 6);
  assert.equal(err.evidence.proof?.length, 3);
  assert.deepEqual(tc2.ops.config.get(testName + "/latest"), latestBefore);
  assert.equal(tc2.ops.cache.has(testName + key), false);
  for (const k of tc2.ops.cache.keys()) assert.ok(cacheBefore.has(k), `saved ${k}`);
});

Deno.test("TestClientGONOSUMDB", async () => {
  const tc = await TestClient.create();
  tc.skip = (path) => matchPrefixPatterns("p,*/q", path);
  tc.newClient();
  await tc.client.lookup("rsc.io/sampler", "v1.3.0"); // initialize before we turn off network
  tc.ops.getOK = false;

  const ok = ["abc", "a/p", "pq", "q", "n/o/p/q"];
  const skip = ["p", "p/x", "x/q", "x/q/z"];

  for (const path of ok) {
    const err = await tc.client.lookup(path, "v1.0.0").then(() => undefined, (e) => e);
    assert.ok(
      !(err instanceof GONOSUMDBError),
      `lookup(${path}): GONOSUMDBError, wanted failed actual lookup`,
    );
  }
  for (const path of skip) {
    await assert.rejects(tc.client.lookup(path, "v1.0.0"), GONOSUMDBError, `lookup(${path})`);
  }
});

Deno.test("TestRejectUnauthenticatedLines", async () => {
  const tc = await TestClient.create();

  const data = "golang.org/x/good v1.0.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=\n";
  const id = tc.treeSize++;
  const rec = formatRecord(id, enc.encode(data));
  tc.hashes.push(...await storedHashesForRecordHash(id, recordHash(enc.encode(data)), tc));

  // Create lookup result: the bad line rides in the signed note's text.
  const h = await treeHash(tc.treeSize, tc);
  const text = formatTree({ n: tc.treeSize, hash: h }) +
    "golang.org/x/bad v1.0.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=\n";
  const signed = await sign({ text, sigs: [], unverifiedSigs: [] }, [tc.signer]);
  tc.remote.set("/lookup/golang.org/x/bad@v1.0.0", concat(rec, signed));

  // Create new tiles.
  for (const tile of newTiles(tc.tileHeight, id, tc.treeSize)) {
    tc.remote.set("/" + tilePath(tile), await readTileData(tile, tc));
  }

  const lines = await tc.client.lookup("golang.org/x/bad", "v1.0.0");
  assert.deepEqual(lines, [], `lookup("golang.org/x/bad"): expected no hashes`);
});
