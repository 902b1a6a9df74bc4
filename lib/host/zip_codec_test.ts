/**
 * The native inflater's contract (lib/modzip Inflater): where a stream ends
 * — inside a piece, exactly at a piece's end, or not at all — is what the
 * one-pass hash and the extractor rely on. It drives node:zlib's engine
 * handle, which is not a public API: the first test pins that the pinned Deno
 * still has it.
 */

import assert from "node:assert/strict";
import zlib from "node:zlib";
import { handleInflaterAvailable, nodeCodec } from "./zip_codec.ts";

const enc = new TextEncoder();

function collect(): { out: (d: Uint8Array) => void; text: () => string; n: () => number } {
  const parts: Uint8Array[] = [];
  return {
    out: (d) => parts.push(d.slice()),
    text: () => parts.map((p) => new TextDecoder().decode(p)).join(""),
    n: () => parts.reduce((a, p) => a + p.length, 0),
  };
}

Deno.test("node:zlib in this Deno exposes the engine handle the inflater drives", () => {
  assert.equal(handleInflaterAvailable(), true);
});

Deno.test("Inflater: where a stream ends", async (t) => {
  const text = "hello, deflate ".repeat(200);
  const raw = new Uint8Array(zlib.deflateRawSync(enc.encode(text)));
  const inf = nodeCodec.newInflater();
  try {
    await t.step("inside a piece: the rest is not consumed", () => {
      inf.reset();
      const c = collect();
      const piece = new Uint8Array([...raw, 0x50, 0x4b, 7, 8]);
      assert.equal(inf.push(piece, false, c.out), raw.length);
      assert.equal(inf.ended, true);
      assert.equal(c.text(), text);
    });
    await t.step("exactly at a piece's end: known at the next piece, which is not consumed", () => {
      inf.reset();
      const c = collect();
      assert.equal(inf.push(raw.subarray(0, 10), false, c.out), 10);
      assert.equal(inf.push(raw.subarray(10), false, c.out), raw.length - 10);
      assert.equal(c.text(), text);
      assert.equal(inf.push(new Uint8Array([1, 2, 3]), false, c.out), 0);
      assert.equal(inf.ended, true);
    });
    await t.step("a final piece that completes the stream", () => {
      inf.reset();
      const c = collect();
      assert.equal(inf.push(raw.subarray(0, 5), false, c.out), 5);
      assert.equal(inf.push(raw.subarray(5), true, c.out), raw.length - 5);
      assert.equal(inf.ended, true);
      assert.equal(c.text(), text);
    });
    await t.step("a final piece that does not: unexpected EOF", () => {
      inf.reset();
      assert.throws(() => inf.push(raw.subarray(0, raw.length - 1), true, () => {}), {
        message: "unexpected EOF",
      });
      inf.reset();
      assert.throws(() => inf.push(new Uint8Array(0), true, () => {}), {
        message: "unexpected EOF",
      });
    });
    await t.step("corrupt input throws, and reset recovers", () => {
      inf.reset();
      assert.throws(() => inf.push(new Uint8Array([0xff, 0xff, 0xff]), false, () => {}), {
        message: "invalid block type",
      });
      inf.reset();
      const c = collect();
      inf.push(raw, true, c.out);
      assert.equal(c.text(), text);
    });
  } finally {
    inf.close();
  }
});

Deno.test("Inflater: output larger than its buffer arrives whole and in order", () => {
  const big = new Uint8Array(3 << 20);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31) >>> 7;
  const raw = new Uint8Array(zlib.deflateRawSync(big));
  const inf = nodeCodec.newInflater();
  try {
    const parts: Uint8Array[] = [];
    let used = 0;
    for (let off = 0; off < raw.length; off += 1000) {
      used += inf.push(raw.subarray(off, off + 1000), false, (d) => parts.push(d.slice()));
    }
    assert.equal(used, raw.length);
    const got = new Uint8Array(big.length);
    let o = 0;
    for (const p of parts) {
      got.set(p, o);
      o += p.length;
    }
    assert.equal(o, big.length);
    assert.ok(got.every((b, i) => b === big[i]));
  } finally {
    inf.close();
  }
});
