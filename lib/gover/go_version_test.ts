import assert from "node:assert/strict";
import { goCompare, goIsValid, goLang } from "./go_version.ts";

// show quotes a string argument for a step name, so "" stays visible.
function show(s: string): string {
  return JSON.stringify(s);
}

// From go1.26 src/go/version/version_test.go.

const compareTests: [string, string, number][] = [
  ["", "", 0],
  ["x", "x", 0],
  ["", "x", 0],
  ["1", "1.1", 0],
  ["go1", "go1.1", -1],
  ["go1.5", "go1.6", -1],
  ["go1.5", "go1.10", -1],
  ["go1.6", "go1.6.1", -1],
  ["go1.19", "go1.19.0", 0],
  ["go1.19rc1", "go1.19", -1],
  ["go1.20", "go1.20.0", 0],
  ["go1.20", "go1.20.0-bigcorp", 0],
  ["go1.20rc1", "go1.20", -1],
  ["go1.21", "go1.21.0", -1],
  ["go1.21", "go1.21.0-bigcorp", -1],
  ["go1.21", "go1.21rc1", -1],
  ["go1.21rc1", "go1.21.0", -1],
  ["go1.6", "go1.19", -1],
  ["go1.19", "go1.19.1", -1],
  ["go1.19rc1", "go1.19", -1],
  ["go1.19rc1", "go1.19", -1],
  ["go1.19rc1", "go1.19.1", -1],
  ["go1.19rc1", "go1.19rc2", -1],
  ["go1.19.0", "go1.19.1", -1],
  ["go1.19rc1", "go1.19.0", -1],
  ["go1.19alpha3", "go1.19beta2", -1],
  ["go1.19beta2", "go1.19rc1", -1],
  ["go1.1", "go1.99999999999999998", -1],
  ["go1.99999999999999998", "go1.99999999999999999", -1],
];

const langTests: [string, string][] = [
  ["bad", ""],
  ["go1.2rc3", "go1.2"],
  ["go1.2.3", "go1.2"],
  ["go1.2", "go1.2"],
  ["go1", "go1"],
  ["go222", "go222.0"],
  ["go1.999testmod", "go1.999"],
];

const isValidTests: [string, boolean][] = [
  ["", false],
  ["1.2.3", false],
  ["go1.2rc3", true],
  ["go1.2.3", true],
  ["go1.999testmod", true],
  ["go1.600+auto", false],
  ["go1.22", true],
  ["go1.21.0", true],
  ["go1.21rc2", true],
  ["go1.21", true],
  ["go1.20.0", true],
  ["go1.20", true],
  ["go1.19", true],
  ["go1.3", true],
  ["go1.2", true],
  ["go1", true],
];

Deno.test("goCompare() matches go/version compareTests", async (t) => {
  for (const [x, y, want] of compareTests) {
    await t.step(`goCompare(${show(x)}, ${show(y)}) = ${want}`, () => {
      assert.equal(goCompare(x, y), want);
    });
  }
});

Deno.test("goLang() matches go/version langTests", async (t) => {
  for (const [x, want] of langTests) {
    await t.step(`goLang(${show(x)}) = ${show(want)}`, () => {
      assert.equal(goLang(x), want);
    });
  }
});

Deno.test("goIsValid() matches go/version isValidTests", async (t) => {
  for (const [x, want] of isValidTests) {
    await t.step(`goIsValid(${show(x)}) = ${want}`, () => {
      assert.equal(goIsValid(x), want);
    });
  }
});
