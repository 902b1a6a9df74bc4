// Ported from golang.org/x/mod/sumdb/tlog tile_test.go (x/mod d1e544c7) and
// the tile-path table of tlog_test.go (x/mod 822dc483).

import assert from "node:assert/strict";
import { utf8 } from "./_sha256.ts";
import {
  type Hash,
  hashEqual,
  storedHashes,
  storedHashIndex,
  type Tree,
  treeHash,
} from "./tlog.ts";
import {
  hashFromTile,
  newTiles,
  parseTilePath,
  readTileData,
  type Tile,
  tileForIndex,
  tileForIndexRange,
  tileHashReader,
  tilePath,
  type TileReader,
} from "./tile.ts";

const zero: Tile = { h: 0, l: 0, n: 0, w: 0 };

// tilePaths: a zero tile means the path must not parse.
const tilePaths: [string, Tile][] = [
  ["tile/4/0/001", { h: 4, l: 0, n: 1, w: 16 }],
  ["tile/4/0/001.p/5", { h: 4, l: 0, n: 1, w: 5 }],
  ["tile/3/5/x123/x456/078", { h: 3, l: 5, n: 123456078, w: 8 }],
  ["tile/3/5/x123/x456/078.p/2", { h: 3, l: 5, n: 123456078, w: 2 }],
  ["tile/1/0/x003/x057/500", { h: 1, l: 0, n: 3057500, w: 2 }],
  ["tile/3/5/123/456/078", zero],
  ["tile/3/-1/123/456/078", zero],
  ["tile/1/data/x003/x057/500", { h: 1, l: -1, n: 3057500, w: 2 }],
  // Further must-reject rows (Go's TODO: "Test invalid paths too").
  ["tile/8/0/0", zero], // N must have 3 digits
  ["tile/8/0/0000", zero],
  ["tile/8/0/x000/001", zero], // leading zero group
  ["tile/8/0/001/x002", zero], // x on the last element
  ["tile/8/0/x001", zero],
  ["tile/8/0/000.p/256", zero], // a full tile has no .p
  ["tile/8/0/000.p/0", zero],
  ["tile/8/0/000.p/-1", zero],
  ["tile/8/0/000.p/+5", zero],
  ["tile/8/0/000.p/05", zero],
  ["tile/8/0/000.p", zero],
  ["tile/8/0/000.p/5/6", zero],
  ["tile/31/0/000", zero], // H > 30
  ["tile/0/0/000", zero],
  ["tile/+8/0/000", zero],
  ["tile/08/0/000", zero],
  ["tile/8/+0/000", zero],
  ["tile/8/-1/000", zero],
  ["tile/8/data/-01", zero],
  ["tile/8/0/+01", zero],
  ["tile/8/0/-01", zero],
  ["tile/8/0/1000", zero],
  ["tile/8/0/x1000/000", zero],
  ["tile/8/0/x1/000", zero],
  ["tile/8/0/", zero],
  ["tile/8/0", zero],
  ["tile/8//000", zero],
  ["tiles/8/0/000", zero],
  ["/tile/8/0/000", zero],
  ["tile/8/0/000/", zero],
  ["tile/8/0/000.p/12/", zero],
  ["tile/8/0/x999/x999/x999/x999/x999/x999/999", zero], // beyond 2^53
  // More accepted spellings.
  ["tile/8/0/000.p/12", { h: 8, l: 0, n: 0, w: 12 }],
  ["tile/8/data/000.p/12", { h: 8, l: -1, n: 0, w: 12 }],
  ["tile/30/63/x999/999", { h: 30, l: 63, n: 999999, w: 2 ** 30 }],
];

Deno.test("TestTilePath: tilePath and parseTilePath round-trip and reject", async (t) => {
  for (const [path, tile] of tilePaths) {
    const name = tile.h > 0
      ? `parseTilePath(${path}) = ${JSON.stringify(tile)}`
      : `parseTilePath(${path}) fails`;
    await t.step(name, () => {
      if (tile.h > 0) {
        assert.equal(tilePath(tile), path);
        assert.deepEqual(parseTilePath(path), tile);
      } else {
        assert.throws(() => parseTilePath(path), {
          message: `malformed tile path ${JSON.stringify(path)}`,
        });
      }
    });
  }
});

/** TestTree is an in-memory log that serves its own tiles, as Go's testTree. */
class TestTree implements TileReader {
  n = 0;
  hashes: Hash[] = [];
  constructor(readonly h: number) {}

  readHashes = (indexes: readonly number[]) => indexes.map((x) => this.hashes[x]);

  /** add appends a record with the given data to the tree. */
  async add(data: Uint8Array) {
    this.hashes.push(...await storedHashes(this.n, data, this));
    this.n++;
  }

  async tree(): Promise<Tree> {
    return { n: this.n, hash: await treeHash(this.n, this) };
  }

  height() {
    return this.h;
  }

  readTiles(tiles: readonly Tile[]): Promise<Uint8Array[]> {
    return Promise.all(tiles.map((t) => readTileData(t, this)));
  }

  async saveTiles(tiles: readonly Tile[], data: readonly Uint8Array[]) {
    assert.equal(data.length, tiles.length, "saveTiles: data and tiles differ in length");
    for (const [i, tile] of tiles.entries()) {
      const want = await readTileData(tile, this);
      assert.ok(hashEqual(data[i], want), `saveTiles(${tilePath(tile)}): data does not match tree`);
    }
  }
}

/**
 * zeroIndex returns a TileReader that serves the same tiles as tr, except
 * that the hash at the given stored index is replaced with zeroes. If the
 * index is not in the bottom row of its tile, the bottom-row hashes it is
 * computed from are zeroed instead. It counts the tiles it was asked to save.
 */
function zeroIndex(tr: TileReader, index: number): TileReader & { saved: number } {
  const [t, start, end] = tileForIndexRange(tr.height(), index);
  return {
    saved: 0,
    height: () => tr.height(),
    async readTiles(tiles) {
      const data = await tr.readTiles(tiles);
      return data.map((d, i) => {
        const tile = tiles[i];
        if (tile.h === t.h && tile.l === t.l && tile.n === t.n && end <= d.length) {
          const c = d.slice();
          c.fill(0, start, end);
          return c;
        }
        return d;
      });
    },
    saveTiles(tiles) {
      this.saved += tiles.length;
    },
  };
}

Deno.test("TestTileHashReader: reads every hash and refuses every zeroed one", async (t) => {
  const tt = new TestTree(2);
  for (let k = 0; k < 100; k++) {
    await tt.add(utf8(`leaf ${tt.n}`));
    await t.step(`N=${tt.n}`, async () => {
      const tree = await tt.tree();
      const th = tileHashReader(tree, tt);
      const count = storedHashIndex(0, tt.n);
      for (let i = 0; i < count; i++) {
        const hashes = await th.readHashes([i]);
        assert.equal(hashes.length, 1);
        assert.ok(hashEqual(hashes[0], tt.hashes[i]), `readHashes(${i})`);
      }

      const indexes = [...Array(count).keys()];
      const all = await th.readHashes(indexes);
      assert.equal(all.length, tt.hashes.length);
      for (const [j, h] of all.entries()) assert.ok(hashEqual(h, tt.hashes[j]), `all[${j}]`);

      for (let i = 0; i < count; i++) {
        const z = zeroIndex(tt, i);
        const thz = tileHashReader(tree, z);
        await assert.rejects(
          Promise.resolve(thz.readHashes([i])),
          /downloaded inconsistent tile/,
          `tampered=${i}: readHashes(${i}) succeeded`,
        );
        await assert.rejects(
          Promise.resolve(thz.readHashes(indexes)),
          /downloaded inconsistent tile/,
          `tampered=${i}: readHashes(all) succeeded`,
        );
        // Nothing unauthenticated may reach persistent storage.
        assert.equal(z.saved, 0, `tampered=${i}: tiles saved`);
      }
    });
  }
});

Deno.test("tileHashReader() refuses a tree hash the tiles do not support", async () => {
  const tt = new TestTree(2);
  for (let k = 0; k < 11; k++) await tt.add(utf8(`leaf ${k}`));
  const tree = await tt.tree();
  for (let b = 0; b < 32; b++) {
    const hash = tree.hash.slice();
    hash[b] ^= 1;
    await assert.rejects(
      Promise.resolve(tileHashReader({ n: tree.n, hash }, tt).readHashes([0])),
      /downloaded inconsistent tile/,
    );
  }
  // A rollback: the same tiles claimed for a smaller or larger tree.
  for (const n of [10, 12]) {
    await assert.rejects(
      Promise.resolve(tileHashReader({ n, hash: tree.hash }, tt).readHashes([0])),
    );
  }
});

Deno.test("tileHashReader() refuses a TileReader returning the wrong shapes", async () => {
  const tt = new TestTree(2);
  for (let k = 0; k < 11; k++) await tt.add(utf8(`leaf ${k}`));
  const tree = await tt.tree();
  const short: TileReader = {
    height: () => 2,
    readTiles: async (tiles) => (await tt.readTiles(tiles)).slice(1),
    saveTiles: () => assert.fail("saved"),
  };
  await assert.rejects(
    Promise.resolve(tileHashReader(tree, short).readHashes([0])),
    /TileReader returned bad result slice \(len=2, want 3\)/,
  );
  const truncated: TileReader = {
    height: () => 2,
    readTiles: async (tiles) => (await tt.readTiles(tiles)).map((d) => d.subarray(1)),
    saveTiles: () => assert.fail("saved"),
  };
  await assert.rejects(
    Promise.resolve(tileHashReader(tree, truncated).readHashes([0])),
    /TileReader returned bad result slice \(tile\/2\/1\/000\.p\/2 len=63, want 64\)/,
  );
});

// TestNewTilesForSize: [old, new, want]
const newTilesForSizeTests: [number, number, number][] = [
  [1, 1, 0],
  [100, 101, 1],
  [1023, 1025, 3],
  [1024, 1030, 1],
  [1030, 2000, 1],
  [1030, 10000, 10],
  [49516517, 49516586, 3],
];

Deno.test("TestNewTilesForSize: newTiles(10, old, new) counts", async (t) => {
  for (const [oldSize, newSize, want] of newTilesForSizeTests) {
    await t.step(`newTiles(10, ${oldSize}, ${newSize}).length = ${want}`, () => {
      assert.equal(newTiles(10, oldSize, newSize).length, want);
    });
  }
});

Deno.test("tileForIndex(), newTiles() and hashFromTile() reject invalid input", () => {
  assert.throws(() => tileForIndex(0, 1), { message: "TileForIndex: invalid height 0" });
  assert.throws(() => newTiles(0, 1, 2), { message: "NewTiles: invalid height 0" });
  const data = new Uint8Array(4 * 32);
  assert.throws(() => hashFromTile({ h: 2, l: 0, n: 0, w: 5 }, data, 0), /invalid tile/);
  assert.throws(() => hashFromTile({ h: 31, l: 0, n: 0, w: 1 }, data, 0), /invalid tile/);
  assert.throws(() => hashFromTile({ h: 2, l: -1, n: 0, w: 4 }, data, 0), /invalid tile/);
  assert.throws(
    () => hashFromTile({ h: 2, l: 0, n: 0, w: 4 }, data.subarray(1), 0),
    { message: "data len 127 too short for tile tile/2/0/000" },
  );
  assert.throws(
    () => hashFromTile({ h: 2, l: 0, n: 1, w: 4 }, data, 0),
    { message: "index 0 is in tile/2/0/000.p/1 not tile/2/0/001" },
  );
});

// Beyond 32 bits, where JS bit operators would truncate.
Deno.test("tile math holds beyond 2^32", () => {
  const index = storedHashIndex(0, 2 ** 35 + 5);
  const t = tileForIndex(8, index);
  assert.deepEqual(t, { h: 8, l: 0, n: 2 ** 27, w: 6 });
  assert.equal(tilePath(t), "tile/8/0/x134/x217/728.p/6");
  assert.deepEqual(parseTilePath(tilePath(t)), t);
  assert.equal(newTiles(8, 2 ** 40, 2 ** 40 + 1).length, 1);
});
