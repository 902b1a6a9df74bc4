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

const K = new Uint32Array([
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

/**
 * Sha256 is an incremental SHA-256 hash, like Go's sha256.New():
 * call update any number of times, then digest once.
 */
export class Sha256 {
  #h = new Uint32Array(IV);
  #w = new Uint32Array(64);
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
      this.#compress(this.#block, 0);
      this.#blockLen = 0;
    }
    for (; i + 64 <= data.length; i += 64) this.#compress(data, i);
    if (i < data.length) {
      this.#block.set(data.subarray(i), 0);
      this.#blockLen = data.length - i;
    }
    return this;
  }

  /** digest returns the 32-byte hash; the Sha256 cannot be used afterwards. */
  digest(): Uint8Array {
    if (this.#done) throw new Error("internal error: sha256 digest called twice");
    const bits = this.#bytes * 8;
    const pad = new Uint8Array((this.#blockLen < 56 ? 64 : 128) - this.#blockLen);
    pad[0] = 0x80;
    const view = new DataView(pad.buffer);
    // The length is a 64-bit big-endian bit count; split it without bit ops,
    // which would truncate to 32 bits.
    view.setUint32(pad.length - 8, Math.floor(bits / 0x100000000));
    view.setUint32(pad.length - 4, bits >>> 0);
    this.#bytes -= pad.length; // update below must not count the padding
    this.update(pad);
    this.#done = true;
    const out = new Uint8Array(32);
    const ov = new DataView(out.buffer);
    for (let j = 0; j < 8; j++) ov.setUint32(j * 4, this.#h[j]);
    return out;
  }

  #compress(p: Uint8Array, off: number): void {
    const w = this.#w;
    for (let t = 0; t < 16; t++) {
      const j = off + t * 4;
      w[t] = (p[j] << 24) | (p[j + 1] << 16) | (p[j + 2] << 8) | p[j + 3];
    }
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15], y = w[t - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
    }
    const h = this.#h;
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K[t] + w[t]) | 0;
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
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
}

/** sha256 returns the SHA-256 hash of the concatenation of parts. */
export function sha256(...parts: Uint8Array[]): Uint8Array {
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
