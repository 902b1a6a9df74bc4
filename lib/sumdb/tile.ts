/**
 * Tiles of a transparency log: coordinates, paths, tile data, and a
 * HashReader that authenticates tiles against a signed tree before trusting
 * any hash in them.
 *
 * Mirrors golang.org/x/mod/sumdb/tlog tile.go (x/mod fe2ec04f, as vendored
 * in go1.26). A behaviour change here needs a failing table test first.
 *
 * A tile of height H at level L, offset N, lists W consecutive hashes at
 * level H·L of the tree, starting at offset N·2^H. Its path is
 * "tile/H/L/NNN[.p/W]", with N written in 3-digit elements all but the last
 * prefixed "x" (tile/3/4/x001/x234/067.p/1), ".p/W" only for partial tiles
 * (W < 2^H), and level -1 (record data) written "data".
 *
 * @module
 */

import { goQuote } from "../_internal/go_quote.ts";
import {
  type Hash,
  hashEqual,
  type HashReader,
  HashSize,
  nodeHash,
  shl,
  shr,
  splitStoredHashIndex,
  storedHashIndex,
  type Tree,
  treeHashIndexes,
} from "./tlog.ts";

/** A Tile is a description of a transparency log tile. */
export interface Tile {
  /** Height of tile (1 ≤ h ≤ 30). */
  h: number;
  /** Level in tiling (-1 ≤ l ≤ 63); -1 holds record data. */
  l: number;
  /** Number within level (0 ≤ n). */
  n: number;
  /** Width of tile (1 ≤ w ≤ 2^h; 2^h is a complete tile). */
  w: number;
}

/** tileKey identifies t in maps (Go uses the Tile struct itself as the key). */
function tileKey(t: Tile): string {
  return `${t.h}/${t.l}/${t.n}/${t.w}`;
}

/**
 * tileForIndex returns the tile of fixed height h ≥ 1 and least width
 * storing the given hash storage index.
 *
 * @throws {Error} "TileForIndex: invalid height N" when h ≤ 0.
 */
export function tileForIndex(h: number, index: number): Tile {
  if (h <= 0) throw new Error(`TileForIndex: invalid height ${h}`);
  return tileForIndexRange(h, index)[0];
}

/**
 * tileForIndexRange returns the tile of height h ≥ 1 storing the given hash
 * index, and the byte range [start, end) of its data from which tileHash
 * reconstructs that hash. Exported for tests; not part of mod.ts.
 */
export function tileForIndexRange(h: number, index: number): [Tile, number, number] {
  let [level, n] = splitStoredHashIndex(index);
  const l = Math.floor(level / h);
  level -= l * h; // now level within tile
  const tn = shr(shl(n, level), h);
  n -= shr(shl(tn, h), level); // now n within tile at level
  const w = shl(n + 1, level);
  return [{ h, l, n: tn, w }, shl(n, level) * HashSize, shl(n + 1, level) * HashSize];
}

/**
 * hashFromTile returns the hash at the given storage index, provided that
 * t is tileForIndex(t.h, index) or a wider version, and data is t's tile data
 * (at least t.w·32 bytes).
 *
 * @throws {Error} for an invalid tile, short data or an index not in t.
 */
export function hashFromTile(t: Tile, data: Uint8Array, index: number): Hash {
  if (t.h < 1 || t.h > 30 || t.l < 0 || t.l >= 64 || t.w < 1 || t.w > 2 ** t.h) {
    throw new Error(`invalid tile ${tilePath(t)}`);
  }
  if (data.length < t.w * HashSize) {
    throw new Error(`data len ${data.length} too short for tile ${tilePath(t)}`);
  }
  const [t1, start, end] = tileForIndexRange(t.h, index);
  if (t.l !== t1.l || t.n !== t1.n || t.w < t1.w) {
    throw new Error(`index ${index} is in ${tilePath(t1)} not ${tilePath(t)}`);
  }
  return tileHash(data.subarray(start, end));
}

/** tileHash computes the subtree hash corresponding to the 2^k hashes in data. */
function tileHash(data: Uint8Array): Hash {
  if (data.length === 0) throw new Error("internal error: bad math in tileHash");
  if (data.length === HashSize) return data.slice();
  const n = data.length / 2;
  return nodeHash(tileHash(data.subarray(0, n)), tileHash(data.subarray(n)));
}

/**
 * newTiles returns the coordinates of the tiles of height h ≥ 1 that must be
 * published when publishing from a tree of size oldTreeSize to replace a
 * tree of size newTreeSize. (No tiles need to be published for a tree of
 * size zero.)
 *
 * @throws {Error} "NewTiles: invalid height N" when h ≤ 0.
 */
export function newTiles(h: number, oldTreeSize: number, newTreeSize: number): Tile[] {
  if (h <= 0) throw new Error(`NewTiles: invalid height ${h}`);
  const tiles: Tile[] = [];
  for (let level = 0; shr(newTreeSize, h * level) > 0; level++) {
    const oldN = shr(oldTreeSize, h * level);
    const newN = shr(newTreeSize, h * level);
    if (oldN === newN) continue;
    for (let n = shr(oldN, h); n < shr(newN, h); n++) {
      tiles.push({ h, l: level, n, w: 2 ** h });
    }
    const n = shr(newN, h);
    const w = newN - shl(n, h);
    if (w > 0) tiles.push({ h, l: level, n, w });
  }
  return tiles;
}

/** readTileData reads the hashes for tile t from r and returns the tile data. */
export async function readTileData(t: Tile, r: HashReader): Promise<Uint8Array> {
  const size = t.w === 0 ? 2 ** t.h : t.w;
  const start = shl(t.n, t.h);
  const indexes = new Array<number>(size);
  for (let i = 0; i < size; i++) indexes[i] = storedHashIndex(t.h * t.l, start + i);
  const hashes = await r.readHashes(indexes);
  if (hashes.length !== indexes.length) {
    throw new Error(`tlog: ReadHashes(${indexes.length} indexes) = ${hashes.length} hashes`);
  }
  const tile = new Uint8Array(size * HashSize);
  for (let i = 0; i < size; i++) tile.set(hashes[i], i * HashSize);
  return tile;
}

// To limit the size of any particular directory listing, the (possibly very
// large) number N is encoded three digits at a time: 123456789 is
// x123/x456/789. Each directory has at most 1000 each xNNN, NNN and NNN.p
// children, so at most 3000 entries.
const pathBase = 1000;

/**
 * tilePath returns the tile coordinate path describing t.
 *
 * @example Full and partial tiles
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTilePath, tilePath } from "./tile.ts";
 * assert.equal(tilePath({ h: 3, l: 4, n: 1234067, w: 1 }), "tile/3/4/x001/x234/067.p/1");
 * assert.deepEqual(parseTilePath("tile/8/data/000.p/12"), { h: 8, l: -1, n: 0, w: 12 });
 * assert.throws(() => parseTilePath("tile/8/0/0"), /malformed tile path "tile\/8\/0\/0"/);
 * ```
 */
export function tilePath(t: Tile): string {
  let n = t.n;
  let nStr = String(n % pathBase).padStart(3, "0");
  while (n >= pathBase) {
    n = Math.floor(n / pathBase);
    nStr = `x${String(n % pathBase).padStart(3, "0")}/${nStr}`;
  }
  const pStr = t.w !== 2 ** t.h ? `.p/${t.w}` : "";
  const l = t.l === -1 ? "data" : String(t.l);
  return `tile/${t.h}/${l}/${nStr}${pStr}`;
}

/** atoi mirrors strconv.Atoi, returning undefined for an error or an unsafe integer. */
function atoi(s: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * parseTilePath parses a tile coordinate path. Only the canonical spelling
 * that tilePath produces is accepted.
 *
 * @throws {Error} `malformed tile path "…"`.
 */
export function parseTilePath(path: string): Tile {
  const bad = () => new Error(`malformed tile path ${goQuote(path)}`);
  let f = path.split("/");
  if (f.length < 4 || f[0] !== "tile") throw bad();
  const h = atoi(f[1]);
  let isData = false;
  if (f[2] === "data") {
    isData = true;
    f[2] = "0";
  }
  let l = atoi(f[2]);
  if (h === undefined || l === undefined || h < 1 || l < 0 || h > 30) throw bad();
  let w = 2 ** h;
  const dotP = f[f.length - 2];
  if (dotP.endsWith(".p")) {
    const ww = atoi(f[f.length - 1]);
    if (ww === undefined || ww <= 0 || ww >= w) throw bad();
    w = ww;
    f[f.length - 2] = dotP.slice(0, -".p".length);
    f = f.slice(0, -1);
  }
  let n = 0;
  for (const s of f.slice(3)) {
    const nn = atoi(s.startsWith("x") ? s.slice(1) : s);
    if (nn === undefined || nn < 0 || nn >= pathBase) throw bad();
    n = n * pathBase + nn;
    // Go's int64 would wrap and then fail the round trip below; a JS number
    // would lose precision, so stop here.
    if (!Number.isSafeInteger(n)) throw bad();
  }
  if (isData) l = -1;
  const t = { h, l, n, w };
  if (path !== tilePath(t)) throw bad();
  return t;
}

/** A TileReader reads tiles from a go.sum database log. */
export interface TileReader {
  /** height returns the height of the available tiles. */
  height(): number;

  /**
   * readTiles returns the data for each requested tile: one entry per tile,
   * each exactly tiles[i].w·32 bytes, or it throws.
   *
   * Tile data downloaded from a server is suspect: it must not be saved to a
   * persistent cache before readTiles returns. When the caller has
   * authenticated the data it calls saveTiles.
   */
  readTiles(tiles: readonly Tile[]): Promise<Uint8Array[]>;

  /**
   * saveTiles reports that the tile data returned by readTiles has been
   * confirmed valid and may be saved to persistent storage.
   */
  saveTiles(tiles: readonly Tile[], data: readonly Uint8Array[]): void | Promise<void>;
}

/**
 * tileParent returns t's k'th tile parent in the tiles for a tree of size n,
 * or the zero Tile if there is no such parent.
 */
function tileParent(t: Tile, k: number, n: number): Tile {
  const l = t.l + k;
  const tn = shr(t.n, k * t.h);
  let w = 2 ** t.h;
  const max = shr(n, l * t.h);
  if (shl(tn, t.h) + w >= max) {
    if (shl(tn, t.h) >= max) return { h: 0, l: 0, n: 0, w: 0 };
    w = max - shl(tn, t.h);
  }
  return { h: t.h, l, n: tn, w };
}

/**
 * tileHashReader returns a HashReader that satisfies requests by loading
 * tiles of the given tree through tr.
 *
 * Before returning any hash it checks the loaded tiles against tree: the
 * tiles holding the tree's subtree roots must reproduce tree.hash, and every
 * other full tile must hash to its entry in an authenticated parent tile.
 * Only then does it call tr.saveTiles. So any hash it returns is proven to be
 * in the tree.
 *
 * @throws {Error} "downloaded inconsistent tile" when tiles and tree disagree;
 * "indexes not in tree" for an index beyond the tree.
 */
export function tileHashReader(tree: Tree, tr: TileReader): HashReader {
  return { readHashes: (indexes) => readTileHashes(tree, tr, indexes) };
}

async function readTileHashes(
  tree: Tree,
  tr: TileReader,
  indexes: readonly number[],
): Promise<Hash[]> {
  const h = tr.height();
  const tileOrder = new Map<string, number>(); // tileOrder[tiles[i]] = i
  const tiles: Tile[] = [];

  // Plan to fetch tiles necessary to recompute tree hash.
  // If it matches, those tiles are authenticated.
  const stx = treeHashIndexes(tree.n);
  const stxTileOrder = new Array<number>(stx.length); // stx[i] is in tiles[stxTileOrder[i]]
  stx.forEach((x, i) => {
    const tile = tileParent(tileForIndexRange(h, x)[0], 0, tree.n);
    const j = tileOrder.get(tileKey(tile));
    if (j !== undefined) {
      stxTileOrder[i] = j;
      return;
    }
    stxTileOrder[i] = tiles.length;
    tileOrder.set(tileKey(tile), tiles.length);
    tiles.push(tile);
  });

  // Plan to fetch tiles containing the indexes, along with any parent tiles
  // needed for authentication. For most calls, the parents are being fetched
  // anyway.
  const indexTileOrder = new Array<number>(indexes.length); // indexes[i] is in tiles[indexTileOrder[i]]
  for (const [i, x] of indexes.entries()) {
    if (x >= storedHashIndex(0, tree.n)) throw new Error("indexes not in tree");
    const tile = tileForIndexRange(h, x)[0];

    // Walk up parent tiles until we find one we've requested.
    // That one will be authenticated.
    let k = 0;
    for (;; k++) {
      const j = tileOrder.get(tileKey(tileParent(tile, k, tree.n)));
      if (j !== undefined) {
        if (k === 0) indexTileOrder[i] = j;
        break;
      }
    }

    // Walk back down recording child tiles after parents.
    // This loop ends by revisiting the tile for this index
    // (tileParent(tile, 0, tree.n)) unless k === 0, in which
    // case the previous loop did it.
    for (k--; k >= 0; k--) {
      const p = tileParent(tile, k, tree.n);
      if (p.w !== 2 ** p.h) {
        // Only full tiles have parents.
        // This tile has a parent, so it must be full.
        throw new Error(`bad math in tileHashReader: ${tree.n} ${x} ${tilePath(p)}`);
      }
      tileOrder.set(tileKey(p), tiles.length);
      if (k === 0) indexTileOrder[i] = tiles.length;
      tiles.push(p);
    }
  }

  // Fetch all the tile data.
  const data = await tr.readTiles(tiles);
  if (data.length !== tiles.length) {
    throw new Error(
      `TileReader returned bad result slice (len=${data.length}, want ${tiles.length})`,
    );
  }
  for (const [i, tile] of tiles.entries()) {
    if (data[i].length !== tile.w * HashSize) {
      throw new Error(
        `TileReader returned bad result slice (${tilePath(tile)} len=${data[i].length}, want ${
          tile.w * HashSize
        })`,
      );
    }
  }

  // At this point, for example if h = 2, N = 15, indexes = [(0, 01)]:
  //
  //                 s3
  //           ┌───────┴───────┐
  //           ∘               ∘              s2        <- 1/000.p/3
  //       ┌───┴───┐       ┌───┴───┐       ┌───┴───┐
  //       ∘       ∘       ∘       ∘       ∘       ∘      s1     s0
  //     ┌─┴─┐   ┌─┴─┐   ┌─┴─┐   ┌─┴─┐   ┌─┴─┐   ┌─┴─┐   ┌─┴─┐    |
  //     00  01  02  03  04  05  06  07  08  09  10  11  12  13  14
  //
  //     └── 0/000 ───┘  └── 0/001 ───┘  └── 0/002 ───┘ └ 0/003.p/3 ┘
  //
  // stx = [s3, s2, s1, s0]
  //
  // tiles = [1/000.p/3, 0/003.p/3, 0/000]
  //                                  ┬
  //          └──── for stx ─────┘ for idx

  // Authenticate the initial tiles against the tree hash.
  // They are arranged so that parents are authenticated before children.
  // First the tiles needed for the tree hash.
  let th: Hash | undefined;
  for (let i = stx.length - 1; i >= 0; i--) {
    const hi = hashFromTile(tiles[stxTileOrder[i]], data[stxTileOrder[i]], stx[i]);
    th = th === undefined ? hi : nodeHash(hi, th);
  }
  // An empty tree has no tiles, and no index is in it, so nothing is read;
  // Go compares its zero Hash here, which no SHA-256 output equals.
  if (th === undefined || !hashEqual(th, tree.hash)) {
    // The tiles do not support the tree hash.
    // We know at least one is wrong, but not which one.
    throw new Error("downloaded inconsistent tile");
  }

  // Authenticate remaining full tiles against their parents.
  for (let i = stxTileOrder[stx.length - 1] + 1; i < tiles.length; i++) {
    const tile = tiles[i];
    const p = tileParent(tile, 1, tree.n);
    const j = tileOrder.get(tileKey(p));
    if (j === undefined) {
      throw new Error(
        `bad math in tileHashReader ${tree.n} [${indexes.join(" ")}]: lost parent of ${
          tilePath(tile)
        }`,
      );
    }
    let ph: Hash;
    try {
      ph = hashFromTile(p, data[j], storedHashIndex(p.l * p.h, tile.n));
    } catch (err) {
      throw new Error(
        `bad math in tileHashReader ${tree.n} [${indexes.join(" ")}]: lost hash of ${
          tilePath(tile)
        }: ${(err as Error).message}`,
      );
    }
    if (!hashEqual(ph, tileHash(data[i]))) throw new Error("downloaded inconsistent tile");
  }

  // Now we have all the tiles needed for the requested hashes,
  // and we've authenticated the full tile set against the trusted tree hash.
  await tr.saveTiles(tiles, data);

  // Pull out the requested hashes.
  return indexes.map((x, i) => {
    const j = indexTileOrder[i];
    try {
      return hashFromTile(tiles[j], data[j], x);
    } catch (err) {
      throw new Error(
        `bad math in tileHashReader ${tree.n} [${indexes.join(" ")}]: lost hash ${x}: ${
          (err as Error).message
        }`,
      );
    }
  });
}
