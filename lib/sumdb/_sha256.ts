/**
 * A small synchronous SHA-256 (FIPS 180-4), private to lib/sumdb.
 *
 * Why not WebCrypto: `crypto.subtle.digest` is asynchronous, and the
 * transparency-log math (tlog.ts) hashes thousands of tiny inputs (65 bytes
 * for a node hash) inside pure functions that x/mod keeps synchronous
 * (RecordHash, NodeHash, tile authentication). Making every one of them a
 * Promise would spread `await` through the proof logic that style.md §6 wants
 * synchronous and table-testable. Large inputs (module zips) are hashed by
 * lib/host with node:crypto and reach lib/sumdb as hex digests; this code is
 * only for small inputs and the h1: summary.
 *
 * Tested against FIPS 180-4 vectors and against crypto.subtle in
 * _sha256_test.ts.
 *
 * @module
 */

const K = new Int32Array([
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
]);

const IV = [
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
];

// W is the message schedule, shared by all hashes: hashing is synchronous and
// never re-entered, and reusing it avoids an allocation per block.
const W = new Int32Array(64);

/** compress runs the SHA-256 compression function on the 64 bytes of p at off. */
function compress(h: Int32Array, p: Uint8Array, off: number): void {
  for (let t = 0; t < 16; t++) {
    const j = off + t * 4;
    W[t] = (p[j] << 24) | (p[j + 1] << 16) | (p[j + 2] << 8) | p[j + 3];
  }
  for (let t = 16; t < 64; t++) {
    const x = W[t - 15], y = W[t - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
  }
  let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (hh + S1 + ch + K[t] + W[t]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0] + a) | 0;
  h[1] = (h[1] + b) | 0;
  h[2] = (h[2] + c) | 0;
  h[3] = (h[3] + d) | 0;
  h[4] = (h[4] + e) | 0;
  h[5] = (h[5] + f) | 0;
  h[6] = (h[6] + g) | 0;
  h[7] = (h[7] + hh) | 0;
}

/** finish pads the final partial block (len bytes in block) and returns the digest. */
function finish(h: Int32Array, block: Uint8Array, len: number, total: number): Uint8Array {
  block.fill(0, len);
  block[len] = 0x80;
  if (len >= 56) {
    compress(h, block, 0);
    block.fill(0);
  }
  // The length is a 64-bit big-endian bit count; split it without bit ops,
  // which would truncate to 32 bits.
  const bits = total * 8;
  const hi = Math.floor(bits / 0x100000000), lo = bits >>> 0;
  block[56] = hi >>> 24;
  block[57] = hi >>> 16;
  block[58] = hi >>> 8;
  block[59] = hi;
  block[60] = lo >>> 24;
  block[61] = lo >>> 16;
  block[62] = lo >>> 8;
  block[63] = lo;
  compress(h, block, 0);
  const out = new Uint8Array(32);
  for (let j = 0; j < 8; j++) {
    out[j * 4] = h[j] >>> 24;
    out[j * 4 + 1] = h[j] >>> 16;
    out[j * 4 + 2] = h[j] >>> 8;
    out[j * 4 + 3] = h[j];
  }
  return out;
}

/**
 * Sha256 is an incremental SHA-256 hash, like Go's sha256.New():
 * call update any number of times, then digest once.
 */
export class Sha256 {
  #h = new Int32Array(IV);
  #block = new Uint8Array(64);
  #blockLen = 0;
  #bytes = 0; // total length in bytes; exact up to 2^53
  #done = false;

  /** update adds data to the running hash and returns this. */
  update(data: Uint8Array): this {
    if (this.#done) throw new Error("internal error: sha256 update after digest");
    let i = 0;
    this.#bytes += data.length;
    if (this.#blockLen > 0) {
      const n = Math.min(64 - this.#blockLen, data.length);
      this.#block.set(data.subarray(0, n), this.#blockLen);
      this.#blockLen += n;
      i = n;
      if (this.#blockLen < 64) return this;
      compress(this.#h, this.#block, 0);
      this.#blockLen = 0;
    }
    for (; i + 64 <= data.length; i += 64) compress(this.#h, data, i);
    if (i < data.length) {
      this.#block.set(data.subarray(i), 0);
      this.#blockLen = data.length - i;
    }
    return this;
  }

  /** digest returns the 32-byte hash; the Sha256 cannot be used afterwards. */
  digest(): Uint8Array {
    if (this.#done) throw new Error("internal error: sha256 digest called twice");
    this.#done = true;
    return finish(this.#h, this.#block, this.#blockLen, this.#bytes);
  }
}

/** sha256 returns the SHA-256 hash of the concatenation of parts. */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) {
    // The common case (tree hashes): no copying but the last partial block.
    const p = parts[0];
    const h = new Int32Array(IV);
    let i = 0;
    for (; i + 64 <= p.length; i += 64) compress(h, p, i);
    const block = new Uint8Array(64);
    block.set(p.subarray(i));
    return finish(h, block, p.length - i, p.length);
  }
  const h = new Sha256();
  for (const p of parts) h.update(p);
  return h.digest();
}

/** toHex returns b in lower-case hexadecimal, like Go's %x. */
export function toHex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

/** utf8 encodes s as UTF-8. */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
