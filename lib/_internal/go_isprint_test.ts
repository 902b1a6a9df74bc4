import assert from "node:assert/strict";
import { isPrint } from "./go_isprint.ts";

// isPrintTests checks isPrint at the edges of Go's fast paths and tables.
// The expected values are strconv.IsPrint's under go1.26.8.
const isPrintTests: [number, boolean][] = [
  [0x00, false],
  [0x1f, false],
  [0x20, true], // the ASCII space is the only printable space
  [0x7e, true],
  [0x7f, false],
  [0xa0, false], // no-break space
  [0xa1, true],
  [0xad, false], // soft hyphen
  [0xff, true],
  [0x100, true], // first rune past the Latin-1 fast path
  [0x378, false], // unassigned, inside a range of isPrint16: in isNotPrint16
  [0xfffd, true],
  [0xffff, false],
  [0x10000, true],
  [0x1000c, false], // in isNotPrint32 (stored as 0x000c)
  [0x1fae8, true], // Unicode 15.0
  [0x1fae9, false], // Unicode 16.0: newer than Go's tables
  [0x20000, true], // no isNotPrint32 check from here on
  [0xe0001, false],
  [0xe0100, true], // a variation selector (Mn) in the last range of isPrint32
  [0x10ffff, false],
];

Deno.test("isPrint() matches strconv.IsPrint", async (t) => {
  for (const [r, want] of isPrintTests) {
    await t.step(`isPrint(0x${r.toString(16)}) = ${want}`, () => {
      assert.equal(isPrint(r), want);
    });
  }
});

// The whole table, checked at once: count the printable code points and hash
// a bitmap of them (bit r%8 of byte r/8 set when r is printable). A Go
// program running strconv.IsPrint over 0..unicode.MaxRune under go1.26.8
// printed these two values (and found strconv.IsPrint equal to unicode.IsPrint).
Deno.test("isPrint() agrees with strconv.IsPrint on every code point", async () => {
  const maxRune = 0x10ffff;
  const bitmap = new Uint8Array((maxRune + 1) / 8);
  let n = 0;
  for (let r = 0; r <= maxRune; r++) {
    if (isPrint(r)) {
      bitmap[r >> 3] |= 1 << (r & 7);
      n++;
    }
  }
  const sum = new Uint8Array(await crypto.subtle.digest("SHA-256", bitmap));
  const hex = Array.from(sum, (b) => b.toString(16).padStart(2, "0")).join("");
  assert.equal(n, 148998);
  assert.equal(hex, "dbe4beecc0027b38c16c32d304958e611e27baa40412efea4cf616346eb631a2");
});
