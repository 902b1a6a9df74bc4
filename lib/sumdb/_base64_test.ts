// Expected results checked against Go 1.26 base64.StdEncoding.DecodeString.

import assert from "node:assert/strict";
import { decodeBase64, encodeBase64 } from "./_base64.ts";

// [input, decoded bytes as hex, or undefined where Go returns an error]
const decodeTests: [string, string | undefined][] = [
  ["", ""],
  ["AA==", "00"],
  ["AAA=", "0000"],
  ["AAAA", "000000"],
  ["AB==", "00"], // non-zero unused bits: StdEncoding is not Strict
  ["AA==\n", "00"],
  ["A\nA\r==", "00"],
  ["AA=\n=", "00"],
  ["AA", undefined], // padding required
  ["AAA", undefined],
  ["A===", undefined],
  ["====", undefined],
  ["AA=", undefined],
  ["AA==AA==", undefined], // data after padding
  ["AA== ", undefined],
  [" AA==", undefined],
  ["AA\t==", undefined],
  ["AA-_", undefined], // URL alphabet
  ["AAAA\u00e9", undefined],
  ["AA=A", undefined],
];

Deno.test("decodeBase64() mirrors Go's StdEncoding", async (t) => {
  for (const [input, want] of decodeTests) {
    await t.step(`decodeBase64(${JSON.stringify(input)}) = ${want ?? "error"}`, () => {
      const got = decodeBase64(input);
      assert.equal(got === undefined ? undefined : got.toHex(), want);
    });
  }
});

Deno.test("encodeBase64() round-trips and matches toBase64", () => {
  for (let n = 0; n < 70; n++) {
    const b = new Uint8Array(n).map((_, i) => (i * 37 + n) & 255);
    assert.equal(encodeBase64(b), b.toBase64());
    assert.deepEqual(decodeBase64(encodeBase64(b)), b);
  }
});
