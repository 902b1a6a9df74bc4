// Vectors from FIPS 180-4 examples (NIST CSRC "SHA256.pdf") and the NESSIE set,
// plus a differential check against WebCrypto.

import assert from "node:assert/strict";
import { Sha256, sha256, toHex, utf8 } from "./_sha256.ts";

const sha256Tests: [string, string][] = [
  ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
  ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  [
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  ],
  [
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
  ],
  ["a".repeat(1000000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"],
];

Deno.test("sha256() matches FIPS 180-4 vectors", async (t) => {
  for (const [input, want] of sha256Tests) {
    await t.step(`sha256(${input.slice(0, 20)}…[${input.length}]) = ${want.slice(0, 8)}…`, () => {
      assert.equal(toHex(sha256(utf8(input))), want);
    });
  }
});

Deno.test("sha256() agrees with crypto.subtle at every length 0..300 and in pieces", async () => {
  const data = new Uint8Array(300);
  for (let i = 0; i < data.length; i++) data[i] = (i * 131 + 7) & 255;
  for (let n = 0; n <= data.length; n++) {
    const d = data.slice(0, n);
    const want = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", d)));
    assert.equal(toHex(sha256(d)), want, `length ${n}`);
    // The same input fed in two uneven pieces.
    const k = Math.floor(n / 3);
    assert.equal(toHex(new Sha256().update(d.subarray(0, k)).update(d.subarray(k)).digest()), want);
  }
});

Deno.test("Sha256 refuses use after digest", () => {
  const h = new Sha256();
  h.digest();
  assert.throws(() => h.digest(), /internal error/);
  assert.throws(() => h.update(new Uint8Array(1)), /internal error/);
});
