/**
 * strToFold mirrors golang.org/x/mod/zip's strToFold (x/mod as vendored in
 * go1.26): a key such that strings.EqualFold(s, t) iff
 * strToFold(s) === strToFold(t). Each rune becomes the smallest rune of its
 * unicode.SimpleFold orbit, except that A-Z become a-z.
 *
 * The table is generated from Go's unicode tables (Unicode 15.0.0 in go1.26),
 * not from the JS engine's case mappings, which differ (e.g. U+0130, U+1E9E).
 * Each run is "start,count,stride,delta" (hex start and count): runes
 * start, start+stride, … (count of them) map to rune+delta. Regenerate with:
 *
 *     for r := rune(0); r <= unicode.MaxRune; r++ {
 *       f := r; for { r0 := f; f = unicode.SimpleFold(r0); if f <= r0 { break } }
 *       if 'A' <= f && f <= 'Z' { f += 'a' - 'A' }
 *       if f != r { fmt.Printf("%x %x\n", r, f) }
 *     }
 *
 * and group consecutive rows with equal delta and stride.
 *
 * @module
 */

// deno-fmt-ignore
const runs =
  "41,1a,1,32 e0,17,1,-32 f8,7,1,-32 101,18,2,-1 133,3,2,-1 13a,8,2,-1 14b,17,2,-1 178,1,1,-121 " +
  "17a,3,2,-1 17f,1,1,-268 183,2,2,-1 188,1,1,-1 18c,1,1,-1 192,1,1,-1 199,1,1,-1 1a1,3,2,-1 " +
  "1a8,1,1,-1 1ad,1,1,-1 1b0,1,1,-1 1b4,2,2,-1 1b9,1,1,-1 1bd,1,1,-1 1c5,1,1,-1 1c6,1,1,-2 " +
  "1c8,1,1,-1 1c9,1,1,-2 1cb,1,1,-1 1cc,1,1,-2 1ce,8,2,-1 1dd,1,1,-79 1df,9,2,-1 1f2,1,1,-1 " +
  "1f3,1,1,-2 1f5,1,1,-1 1f6,1,1,-97 1f7,1,1,-56 1f9,14,2,-1 220,1,1,-130 223,9,2,-1 23c,1,1,-1 " +
  "23d,1,1,-163 242,1,1,-1 243,1,1,-195 247,5,2,-1 253,1,1,-210 254,1,1,-206 256,2,1,-205 " +
  "259,1,1,-202 25b,1,1,-203 260,1,1,-205 263,1,1,-207 268,1,1,-209 269,1,1,-211 26f,1,1,-211 " +
  "272,1,1,-213 275,1,1,-214 280,1,1,-218 283,1,1,-218 288,1,1,-218 289,1,1,-69 28a,2,1,-217 " +
  "28c,1,1,-71 292,1,1,-219 371,2,2,-1 377,1,1,-1 399,1,1,-84 39c,1,1,-743 3ac,1,1,-38 " +
  "3ad,3,1,-37 3b1,8,1,-32 3b9,1,1,-116 3ba,2,1,-32 3bc,1,1,-775 3bd,5,1,-32 3c2,1,1,-31 " +
  "3c3,9,1,-32 3cc,1,1,-64 3cd,2,1,-63 3d0,1,1,-62 3d1,1,1,-57 3d5,1,1,-47 3d6,1,1,-54 3d7,1,1,-8 " +
  "3d9,c,2,-1 3f0,1,1,-86 3f1,1,1,-80 3f3,1,1,-116 3f4,1,1,-92 3f5,1,1,-96 3f8,1,1,-1 3f9,1,1,-7 " +
  "3fb,1,1,-1 3fd,3,1,-130 430,20,1,-32 450,10,1,-80 461,11,2,-1 48b,1b,2,-1 4c2,7,2,-1 " +
  "4cf,1,1,-15 4d1,30,2,-1 561,26,1,-48 13f8,6,1,-8 1c80,1,1,-6254 1c81,1,1,-6253 1c82,1,1,-6244 " +
  "1c83,2,1,-6242 1c85,1,1,-6243 1c86,1,1,-6236 1c87,1,1,-6181 1c90,2b,1,-3008 1cbd,3,1,-3008 " +
  "1e01,4b,2,-1 1e9b,1,1,-59 1e9e,1,1,-7615 1ea1,30,2,-1 1f08,8,1,-8 1f18,6,1,-8 1f28,8,1,-8 " +
  "1f38,8,1,-8 1f48,6,1,-8 1f59,4,2,-8 1f68,8,1,-8 1f88,8,1,-8 1f98,8,1,-8 1fa8,8,1,-8 " +
  "1fb8,2,1,-8 1fba,2,1,-74 1fbc,1,1,-9 1fbe,1,1,-7289 1fc8,4,1,-86 1fcc,1,1,-9 1fd8,2,1,-8 " +
  "1fda,2,1,-100 1fe8,2,1,-8 1fea,2,1,-112 1fec,1,1,-7 1ff8,2,1,-128 1ffa,2,1,-126 1ffc,1,1,-9 " +
  "2126,1,1,-7549 212a,1,1,-8383 212b,1,1,-8294 214e,1,1,-28 2170,10,1,-16 2184,1,1,-1 " +
  "24d0,1a,1,-26 2c30,30,1,-48 2c61,1,1,-1 2c62,1,1,-10743 2c63,1,1,-3814 2c64,1,1,-10727 " +
  "2c65,1,1,-10795 2c66,1,1,-10792 2c68,3,2,-1 2c6d,1,1,-10780 2c6e,1,1,-10749 2c6f,1,1,-10783 " +
  "2c70,1,1,-10782 2c73,1,1,-1 2c76,1,1,-1 2c7e,2,1,-10815 2c81,32,2,-1 2cec,2,2,-1 2cf3,1,1,-1 " +
  "2d00,26,1,-7264 2d27,1,1,-7264 2d2d,1,1,-7264 a641,5,2,-1 a64a,1,1,-35266 a64b,1,1,-35267 " +
  "a64d,11,2,-1 a681,e,2,-1 a723,7,2,-1 a733,1f,2,-1 a77a,2,2,-1 a77d,1,1,-35332 a77f,5,2,-1 " +
  "a78c,1,1,-1 a78d,1,1,-42280 a791,2,2,-1 a797,a,2,-1 a7aa,1,1,-42308 a7ab,1,1,-42319 " +
  "a7ac,1,1,-42315 a7ad,1,1,-42305 a7ae,1,1,-42308 a7b0,1,1,-42258 a7b1,1,1,-42282 " +
  "a7b2,1,1,-42261 a7b5,8,2,-1 a7c4,1,1,-48 a7c5,1,1,-42307 a7c6,1,1,-35384 a7c8,2,2,-1 " +
  "a7d1,1,1,-1 a7d7,2,2,-1 a7f6,1,1,-1 ab53,1,1,-928 ab70,50,1,-38864 ff41,1a,1,-32 " +
  "10428,28,1,-40 104d8,24,1,-40 10597,b,1,-39 105a3,f,1,-39 105b3,7,1,-39 105bb,2,1,-39 " +
  "10cc0,33,1,-64 118c0,20,1,-32 16e60,20,1,-32 1e922,22,1,-34 ";

let table: Map<number, number> | undefined;

function foldTable(): Map<number, number> {
  if (table) return table;
  table = new Map();
  for (const run of runs.trim().split(" ")) {
    const [s, n, stride, delta] = run.split(",");
    const start = parseInt(s, 16);
    const count = parseInt(n, 16);
    for (let i = 0; i < count; i++) {
      const r = start + i * Number(stride);
      table.set(r, r + Number(delta));
    }
  }
  return table;
}

/** strToFold returns the case-fold key of s (see the module doc). */
export function strToFold(s: string): string {
  // Fast path: all ASCII, no upper case.
  let fast = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || (c >= 0x41 && c <= 0x5a)) {
      fast = false;
      break;
    }
  }
  if (fast) return s;
  const t = foldTable();
  let out = "";
  for (const ch of s) {
    let r = ch.codePointAt(0)!;
    // A lone surrogate is U+FFFD to Go, which folds to itself.
    if (r >= 0xd800 && r <= 0xdfff) r = 0xfffd;
    out += String.fromCodePoint(t.get(r) ?? r);
  }
  return out;
}
