import assert from "node:assert/strict";
import { isPseudoVersion } from "./pseudo.ts";

// Forms from x/mod module/pseudo.go; each row checked against go1.26's x/mod.
const isPseudoVersionTests: [v: string, want: boolean][] = [
  ["v0.0.0-20060102150405-hash", true], // form (1)
  ["v1.2.4-0.20060102150405-hash", true], // form (2)
  ["v1.2.3-pre.0.20060102150405-hash+incompatible", true], // form (5)
  ["v0.0.1-go1.21.3.linux-amd64", false], // a toolchain module version
  ["v1.2.3", false],
  ["v1.2.3-20060102150405-hash", false],
  ["v0.0.0-2006010215040-hash", false], // 13-digit time stamp
  ["v1.0.0-0.20060102150405-", false],
];

Deno.test("isPseudoVersion()", async (t) => {
  for (const [v, want] of isPseudoVersionTests) {
    await t.step(`isPseudoVersion(${JSON.stringify(v)}) = ${want}`, () => {
      assert.equal(isPseudoVersion(v), want);
    });
  }
});
