// Ported from golang.org/x/mod/sumdb/tlog tlog_test.go (x/mod 822dc483),
// note_test.go (x/mod 774e7788) and ct_test.go (x/mod b5136e5b).

import assert from "node:assert/strict";
import { decodeBase64, encodeBase64 } from "./_base64.ts";
import { utf8 } from "./_sha256.ts";
import {
  checkRecord,
  checkTree,
  formatTree,
  type Hash,
  hashEqual,
  type HashReader,
  HashSize,
  parseHash,
  parseTree,
  proveRecord,
  proveTree,
  recordHash,
  splitStoredHashIndex,
  storedHashCount,
  storedHashes,
  storedHashIndex,
  treeHash,
} from "./tlog.ts";
import {
  hashFromTile,
  newTiles,
  readTileData,
  type Tile,
  tileForIndex,
  tileHashReader,
  tilePath,
  type TileReader,
} from "./tile.ts";
import sth from "./testdata/argon2020/sth.json" with { type: "json" };
import entries from "./testdata/argon2020/entries.json" with { type: "json" };
import proof from "./testdata/argon2020/proof.json" with { type: "json" };
import consistency from "./testdata/argon2020/consistency.json" with { type: "json" };

/**
 * testHashStorage is an in-memory HashReader. Like Go's, it fails on indexes
 * out of increasing order: the functions under test must only ask in order.
 */
class TestHashStorage implements HashReader {
  hashes: Hash[] = [];
  readHashes(indexes: readonly number[]): Hash[] {
    for (let i = 1; i < indexes.length; i++) {
      if (indexes[i - 1] >= indexes[i]) throw new Error("indexes out of order");
    }
    return indexes.map((x) => {
      if (x >= this.hashes.length) throw new Error(`index ${x} not stored`);
      return this.hashes[x];
    });
  }
}

/** testTilesStorage serves stored tiles and counts tiles read but never saved. */
class TestTilesStorage implements TileReader {
  unsaved = 0;
  constructor(readonly m: Map<string, Uint8Array>) {}
  height(): number {
    return 2;
  }
  saveTiles(tiles: readonly Tile[]): void {
    this.unsaved -= tiles.length;
  }
  readTiles(tiles: readonly Tile[]): Promise<Uint8Array[]> {
    this.unsaved += tiles.length;
    return Promise.resolve(tiles.map((t) => this.m.get(tilePath(t)) ?? new Uint8Array()));
  }
}

const hex = (h: Hash) => encodeBase64(h);

Deno.test("TestTree: hashes, tiles and proofs for trees of 1..100 records", async () => {
  const trees: Hash[] = [];
  const leafhashes: Hash[] = [];
  const storage = new TestHashStorage();
  const tiles = new Map<string, Uint8Array>();
  const testH = 2;
  for (let i = 0; i < 100; i++) {
    const data = utf8(`leaf ${i}`);
    const hashes = await storedHashes(i, data, storage);
    leafhashes.push(recordHash(data));
    const oldStorage = storage.hashes.length;
    storage.hashes.push(...hashes);
    assert.equal(storedHashCount(i + 1), storage.hashes.length, `storedHashCount(${i + 1})`);
    const th = await treeHash(i + 1, storage);

    for (const tile of newTiles(testH, i, i + 1)) {
      const data = await readTileData(tile, storage);
      const old = { ...tile, w: tile.w - 1 };
      const oldData = tiles.get(tilePath(old)) ?? new Uint8Array();
      assert.ok(
        oldData.length === data.length - HashSize &&
          hashEqual(oldData, data.subarray(0, oldData.length)),
        `tile ${tilePath(tile)} not extending earlier tile ${tilePath(old)}`,
      );
      tiles.set(tilePath(tile), data);
    }
    for (const tile of [...newTiles(testH, 0, i + 1), ...newTiles(testH, i / 2, i + 1)]) {
      const data = await readTileData(tile, storage);
      assert.ok(hashEqual(tiles.get(tilePath(tile))!, data), `mismatch at ${tilePath(tile)}`);
    }

    // Check that all the new hashes are readable from their tiles.
    for (let j = oldStorage; j < storage.hashes.length; j++) {
      const tile = tileForIndex(testH, j);
      const data = tiles.get(tilePath(tile));
      assert.ok(data, `tileForIndex(${testH}, ${j}) = ${tilePath(tile)}, not yet stored`);
      const h = hashFromTile(tile, data, j);
      assert.equal(hex(h), hex(storage.hashes[j]), `hashFromTile(${tilePath(tile)}, ${j})`);
    }

    trees.push(th);

    // Check that leaf proofs work, for all trees and leaves so far.
    for (let j = 0; j <= i; j++) {
      const p = await proveRecord(i + 1, j, storage);
      checkRecord(p, i + 1, th, j, leafhashes[j]);
      for (let k = 0; k < p.length; k++) {
        p[k][0] ^= 1;
        assert.throws(
          () => checkRecord(p, i + 1, th, j, leafhashes[j]),
          /invalid transparency proof/,
          `checkRecord(${i + 1}, ${j}) succeeded with corrupt proof hash #${k}`,
        );
        p[k][0] ^= 1;
      }
    }

    // Check that leaf proofs work using TileReader.
    // To prove a leaf that way, all you have to do is read and verify its hash.
    const tileStorage = new TestTilesStorage(tiles);
    const thr = tileHashReader({ n: i + 1, hash: th }, tileStorage);
    for (let j = 0; j <= i; j++) {
      const h = await thr.readHashes([storedHashIndex(0, j)]);
      assert.ok(hashEqual(h[0], leafhashes[j]), `tileHashReader(${i + 1}).readHashes(${j})`);

      // Even though reading the hash suffices,
      // check we can generate the proof too.
      const p = await proveRecord(i + 1, j, thr);
      checkRecord(p, i + 1, th, j, leafhashes[j]);
    }
    assert.equal(tileStorage.unsaved, 0, `tileHashReader(${i + 1}) did not save tiles`);

    // Check that readHashes will give an error if the index is not in the tree.
    await assert.rejects(
      Promise.resolve(thr.readHashes([(i + 1) * 2])),
      /indexes not in tree/,
    );
    assert.equal(tileStorage.unsaved, 0, `tileHashReader(${i + 1}) did not save tiles`);

    // Check that tree proofs work, for all trees so far, using TileReader.
    // To prove a tree that way, all you have to do is compute and verify its hash.
    for (let j = 0; j <= i; j++) {
      const h = await treeHash(j + 1, thr);
      assert.equal(hex(h), hex(trees[j]), `treeHash(${j}, tileHashReader(${i + 1}))`);

      // Even though computing the subtree hash suffices,
      // check that we can generate the proof too.
      const p = await proveTree(i + 1, j + 1, thr);
      checkTree(p, i + 1, th, j + 1, trees[j]);
      for (let k = 0; k < p.length; k++) {
        p[k][0] ^= 1;
        assert.throws(
          () => checkTree(p, i + 1, th, j + 1, trees[j]),
          /invalid transparency proof/,
          `checkTree(${i + 1}, ${j + 1}) succeeded with corrupt proof hash #${k}`,
        );
        p[k][0] ^= 1;
      }
    }
    assert.equal(tileStorage.unsaved, 0, `tileHashReader(${i + 1}) did not save tiles`);
  }
});

// Beyond Go's test: a proof is attacked in every byte, not only byte 0, and
// by truncation, extension and the wrong leaf, tree hash or sizes.
Deno.test("checkRecord() and checkTree() reject every tampered byte and shape", async () => {
  const storage = new TestHashStorage();
  const n = 13;
  for (let i = 0; i < n; i++) {
    storage.hashes.push(...await storedHashes(i, utf8(`leaf ${i}`), storage));
  }
  const th = await treeHash(n, storage);
  const old = await treeHash(6, storage);
  const leaf = recordHash(utf8("leaf 5"));

  const rp = await proveRecord(n, 5, storage);
  const tp = await proveTree(n, 6, storage);
  for (
    const [name, p, check] of [
      ["record", rp, (q: Hash[]) => checkRecord(q, n, th, 5, leaf)],
      ["tree", tp, (q: Hash[]) => checkTree(q, n, th, 6, old)],
    ] as const
  ) {
    check(p);
    for (let k = 0; k < p.length; k++) {
      for (let b = 0; b < HashSize; b++) {
        for (const bit of [0x01, 0x80]) {
          p[k][b] ^= bit;
          assert.throws(() => check(p), /invalid transparency proof/, `${name} ${k}/${b}/${bit}`);
          p[k][b] ^= bit;
        }
      }
    }
    assert.throws(() => check(p.slice(1)), /invalid transparency proof/, `${name} truncated`);
    assert.throws(() => check(p.slice(0, -1)), /invalid transparency proof/, `${name} truncated`);
    assert.throws(() => check([...p, p[0]]), /invalid transparency proof/, `${name} extended`);
    assert.throws(() => check([p[0], ...p]), /invalid transparency proof/, `${name} extended`);
    assert.throws(() => check([...p].reverse()), /invalid transparency proof/, `${name} reversed`);
  }
  const bad = th.slice();
  bad[31] ^= 1;
  assert.throws(() => checkRecord(rp, n, bad, 5, leaf), /invalid transparency proof/);
  assert.throws(() => checkRecord(rp, n, th, 4, leaf), /invalid transparency proof/);
  assert.throws(() => checkRecord(rp, n, th, 5, recordHash(utf8("leaf 4"))), /invalid/);
  // A size with the same proof shape (8 < t ≤ 16) proves the same root; 8 does not.
  assert.throws(() => checkRecord(rp, 8, th, 5, leaf), /invalid transparency proof/);
  assert.throws(() => checkTree(tp, n, bad, 6, old), /invalid transparency proof/);
  assert.throws(() => checkTree(tp, n, th, 6, bad), /invalid transparency proof/);
  assert.throws(() => checkTree(tp, n, th, 7, old), /invalid transparency proof/);
  assert.throws(() => checkTree(tp, n, th, 5, old), /invalid transparency proof/);

  // Invalid inputs.
  assert.throws(() => checkRecord(rp, n, th, n, leaf), /tlog: invalid inputs in CheckRecord/);
  assert.throws(() => checkRecord(rp, n, th, -1, leaf), /tlog: invalid inputs in CheckRecord/);
  assert.throws(() => checkTree(tp, n, th, 0, old), /tlog: invalid inputs in CheckTree/);
  assert.throws(() => checkTree(tp, n, th, n + 1, old), /tlog: invalid inputs in CheckTree/);
  await assert.rejects(proveRecord(n, n, storage), /tlog: invalid inputs in ProveRecord/);
  await assert.rejects(proveTree(n, 0, storage), /tlog: invalid inputs in ProveTree/);
});

Deno.test("treeHash() of the empty tree is SHA-256 of nothing", async () => {
  assert.equal(
    hex(await treeHash(0, new TestHashStorage())),
    "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
  );
});

Deno.test("treeHash() refuses a HashReader returning the wrong count", async () => {
  await assert.rejects(treeHash(3, { readHashes: () => [] }), {
    message: "tlog: ReadHashes(2 indexes) = 0 hashes",
  });
});

Deno.test("TestSplitStoredHashIndex: splitStoredHashIndex inverts storedHashIndex", () => {
  for (let l = 0; l < 10; l++) {
    for (let n = 0; n < 100; n++) {
      const x = storedHashIndex(l, n);
      assert.deepEqual(splitStoredHashIndex(x), [l, n], `storedHashIndex(${l}, ${n}) = ${x}`);
    }
  }
  // Beyond 32 bits, where JS bit operators would truncate.
  for (const [l, n] of [[0, 2 ** 40 + 12345], [3, 2 ** 33 - 1], [20, 2 ** 30 + 7]]) {
    assert.deepEqual(splitStoredHashIndex(storedHashIndex(l, n)), [l, n]);
  }
});

Deno.test("TestFormatTree: formatTree matches Go's golden text", () => {
  const n = 123456789012;
  const h = recordHash(utf8("hello world"));
  assert.equal(
    formatTree({ n, hash: h }),
    "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
  );
});

const parseTreeIn =
  "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n";

// Go's badTrees, then further rows for each rule of ParseTree.
const badTrees: string[] = [
  "not-" + parseTreeIn,
  "go.sum database tree\n0xabcdef\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
  "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBTOOBIG=\n",
  // Further rules.
  "go.sum database tree v2\n1\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
  "go.sum database tree\n0123\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
  "go.sum database tree\n+5\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
  "go.sum database tree\n-1\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
  "go.sum database tree\n\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
  "go.sum database tree\n 5\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
  "go.sum database tree\n9223372036854775808\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
  "go.sum database tree\n9007199254740993\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n", // gtc: beyond 2^53
  "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=", // two newlines
  "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0\n",
  "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0= \n",
  "go.sum database tree\n123456789012\nAAAA\n",
  "go.sum database tree\r\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
  parseTreeIn + "x".repeat(1e6),
];

Deno.test("TestParseTree: parseTree accepts Go's golden text and rejects bad trees", async (t) => {
  const tree = parseTree(parseTreeIn);
  assert.equal(tree.n, 123456789012);
  assert.equal(hex(tree.hash), hex(recordHash(utf8("hello world"))));

  for (const bad of badTrees) {
    await t.step(`parseTree(${JSON.stringify(bad.slice(0, 70))}) = malformed tree note`, () => {
      assert.throws(() => parseTree(bad), { message: "malformed tree note" });
    });
  }

  // Check junk on end is ignored.
  for (
    const good of [parseTreeIn + "JOE", parseTreeIn + "JOE\n", parseTreeIn + "JOE\n".repeat(1000)]
  ) {
    const tree = parseTree(good);
    assert.equal(tree.n, 123456789012);
  }
});

Deno.test("parseHash() takes exactly 32 bytes of padded base64", () => {
  assert.equal(
    hex(parseHash("TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=")),
    "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=",
  );
  for (
    const bad of [
      "",
      "AAAA",
      "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0",
      "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=AA==",
    ]
  ) {
    assert.throws(() => parseHash(bad), { message: "malformed hash" });
  }
});

Deno.test("TestCertificateTransparency: Argon 2020 proofs verify", () => {
  // Test that we can verify actual Certificate Transparency proofs.
  // (The other tests check that we can verify our own proofs;
  // this is a test that the two are compatible.)
  const rootHash = parseHash(sth.sha256_root_hash);
  const hash = recordHash(decodeBase64(entries.entries[0].leaf_input)!);
  const rp = proof.audit_path.map(parseHash);
  checkRecord(rp, sth.tree_size, rootHash, 10000, hash);

  const tp = consistency.consistency.map(parseHash);
  const oh = parseHash("AuIZ5V6sDUj1vn3Y1K85oOaQ7y+FJJKtyRTl1edIKBQ=");
  checkTree(tp, sth.tree_size, rootHash, 3654490, oh);

  // And the real proofs fail when tampered with.
  for (const h of rp) {
    h[0] ^= 1;
    assert.throws(() => checkRecord(rp, sth.tree_size, rootHash, 10000, hash));
    h[0] ^= 1;
  }
  for (const h of tp) {
    h[0] ^= 1;
    assert.throws(() => checkTree(tp, sth.tree_size, rootHash, 3654490, oh));
    h[0] ^= 1;
  }
});
