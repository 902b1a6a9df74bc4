import assert from "node:assert/strict";
import {
  cmpInt,
  compare,
  decInt,
  isLang,
  isValid,
  lang,
  max,
  parse,
  prev,
  type Version,
} from "./version.ts";

// show quotes a string argument for a step name, so "" stays visible.
function show(s: string): string {
  return JSON.stringify(s);
}

// ---------------------------------------------------------------------------
// From go1.26 src/internal/gover/gover_test.go.

const compareTests: [string, string, number][] = [
  ["", "", 0],
  ["x", "x", 0],
  ["", "x", 0],
  ["1", "1.1", -1],
  ["1.5", "1.6", -1],
  ["1.5", "1.10", -1],
  ["1.6", "1.6.1", -1],
  ["1.19", "1.19.0", 0],
  ["1.19rc1", "1.19", -1],
  ["1.20", "1.20.0", 0],
  ["1.20rc1", "1.20", -1],
  ["1.21", "1.21.0", -1],
  ["1.21", "1.21rc1", -1],
  ["1.21rc1", "1.21.0", -1],
  ["1.6", "1.19", -1],
  ["1.19", "1.19.1", -1],
  ["1.19rc1", "1.19", -1],
  ["1.19rc1", "1.19.1", -1],
  ["1.19rc1", "1.19rc2", -1],
  ["1.19.0", "1.19.1", -1],
  ["1.19rc1", "1.19.0", -1],
  ["1.19alpha3", "1.19beta2", -1],
  ["1.19beta2", "1.19rc1", -1],
  ["1.1", "1.99999999999999998", -1],
  ["1.99999999999999998", "1.99999999999999999", -1],
];

// version builds a Version from its fields in Go's order, like Go's
// Version{Major, Minor, Patch, Kind, Pre} literals.
function version(major: string, minor: string, patch: string, kind: string, pre: string): Version {
  return { major, minor, patch, kind, pre };
}

const parseTests: [string, Version][] = [
  ["1", version("1", "0", "0", "", "")],
  ["1.2", version("1", "2", "0", "", "")],
  ["1.2.3", version("1", "2", "3", "", "")],
  ["1.2rc3", version("1", "2", "", "rc", "3")],
  ["1.20", version("1", "20", "0", "", "")],
  ["1.21", version("1", "21", "", "", "")],
  ["1.21rc3", version("1", "21", "", "rc", "3")],
  ["1.21.0", version("1", "21", "0", "", "")],
  ["1.24", version("1", "24", "", "", "")],
  ["1.24rc3", version("1", "24", "", "rc", "3")],
  ["1.24.0", version("1", "24", "0", "", "")],
  ["1.999testmod", version("1", "999", "", "testmod", "")],
  ["1.99999999999999999", version("1", "99999999999999999", "", "", "")],
];

const langTests: [string, string][] = [
  ["1.2rc3", "1.2"],
  ["1.2.3", "1.2"],
  ["1.2", "1.2"],
  ["1", "1"],
  ["1.999testmod", "1.999"],
];

const isLangTests: [string, boolean][] = [
  ["1.2rc3", false],
  ["1.2.3", false],
  ["1.999testmod", false],
  ["1.22", true],
  ["1.21", true],
  ["1.20", false], // == 1.20.0
  ["1.19", false], // == 1.20.0
  ["1.3", false], // == 1.3.0
  ["1.2", false], // == 1.2.0
  ["1", false], // == 1.0.0
];

const isValidTests: [string, boolean][] = [
  ["1.2rc3", true],
  ["1.2.3", true],
  ["1.999testmod", true],
  ["1.600+auto", false],
  ["1.22", true],
  ["1.21.0", true],
  ["1.21rc2", true],
  ["1.21", true],
  ["1.20.0", true],
  ["1.20", true],
  ["1.19", true],
  ["1.3", true],
  ["1.2", true],
  ["1", true],
];

Deno.test("compare() matches internal/gover compareTests", async (t) => {
  for (const [x, y, want] of compareTests) {
    await t.step(`compare(${show(x)}, ${show(y)}) = ${want}`, () => {
      assert.equal(compare(x, y), want);
    });
  }
});

Deno.test("parse() matches internal/gover parseTests", async (t) => {
  for (const [x, want] of parseTests) {
    await t.step(`parse(${show(x)}) = ${JSON.stringify(want)}`, () => {
      assert.deepEqual(parse(x), want);
    });
  }
});

Deno.test("lang() matches internal/gover langTests", async (t) => {
  for (const [x, want] of langTests) {
    await t.step(`lang(${show(x)}) = ${show(want)}`, () => {
      assert.equal(lang(x), want);
    });
  }
});

Deno.test("isLang() matches internal/gover isLangTests", async (t) => {
  for (const [x, want] of isLangTests) {
    await t.step(`isLang(${show(x)}) = ${want}`, () => {
      assert.equal(isLang(x), want);
    });
  }
});

Deno.test("isValid() matches internal/gover isValidTests", async (t) => {
  for (const [x, want] of isValidTests) {
    await t.step(`isValid(${show(x)}) = ${want}`, () => {
      assert.equal(isValid(x), want);
    });
  }
});

// ---------------------------------------------------------------------------
// From go1.26 src/cmd/go/internal/gover/gover_test.go. cmd/go's gover wraps
// internal/gover, and its tables repeat internal/gover's, plus prevTests; they
// are ported again so that a divergence between the two copies shows up here.

const cmdGoCompareTests: [string, string, number][] = [
  ["", "", 0],
  ["x", "x", 0],
  ["", "x", 0],
  ["1", "1.1", -1],
  ["1.5", "1.6", -1],
  ["1.5", "1.10", -1],
  ["1.6", "1.6.1", -1],
  ["1.19", "1.19.0", 0],
  ["1.19rc1", "1.19", -1],
  ["1.20", "1.20.0", 0],
  ["1.20rc1", "1.20", -1],
  ["1.21", "1.21.0", -1],
  ["1.21", "1.21rc1", -1],
  ["1.21rc1", "1.21.0", -1],
  ["1.6", "1.19", -1],
  ["1.19", "1.19.1", -1],
  ["1.19rc1", "1.19", -1],
  ["1.19rc1", "1.19.1", -1],
  ["1.19rc1", "1.19rc2", -1],
  ["1.19.0", "1.19.1", -1],
  ["1.19rc1", "1.19.0", -1],
  ["1.19alpha3", "1.19beta2", -1],
  ["1.19beta2", "1.19rc1", -1],
  ["1.1", "1.99999999999999998", -1],
  ["1.99999999999999998", "1.99999999999999999", -1],
];

const cmdGoLangTests: [string, string][] = [
  ["1.2rc3", "1.2"],
  ["1.2.3", "1.2"],
  ["1.2", "1.2"],
  ["1", "1"],
  ["1.999testmod", "1.999"],
];

const cmdGoIsLangTests: [string, boolean][] = [
  ["1.2rc3", false],
  ["1.2.3", false],
  ["1.999testmod", false],
  ["1.22", true],
  ["1.21", true],
  ["1.20", false], // == 1.20.0
  ["1.19", false], // == 1.20.0
  ["1.3", false], // == 1.3.0
  ["1.2", false], // == 1.2.0
  ["1", false], // == 1.0.0
];

const cmdGoPrevTests: [string, string][] = [
  ["", ""],
  ["0", "0"],
  ["1.3rc4", "1.2"],
  ["1.3.5", "1.2"],
  ["1.3", "1.2"],
  ["1", "1"],
  ["1.99999999999999999", "1.99999999999999998"],
  ["1.40000000000000000", "1.39999999999999999"],
];

const cmdGoIsValidTests: [string, boolean][] = [
  ["1.2rc3", true],
  ["1.2.3", true],
  ["1.999testmod", true],
  ["1.600+auto", false],
  ["1.22", true],
  ["1.21.0", true],
  ["1.21rc2", true],
  ["1.21", true],
  ["1.20.0", true],
  ["1.20", true],
  ["1.19", true],
  ["1.3", true],
  ["1.2", true],
  ["1", true],
];

Deno.test("compare() matches cmd/go/internal/gover compareTests", async (t) => {
  for (const [x, y, want] of cmdGoCompareTests) {
    await t.step(`compare(${show(x)}, ${show(y)}) = ${want}`, () => {
      assert.equal(compare(x, y), want);
    });
  }
});

Deno.test("lang() matches cmd/go/internal/gover langTests", async (t) => {
  for (const [x, want] of cmdGoLangTests) {
    await t.step(`lang(${show(x)}) = ${show(want)}`, () => {
      assert.equal(lang(x), want);
    });
  }
});

Deno.test("isLang() matches cmd/go/internal/gover isLangTests", async (t) => {
  for (const [x, want] of cmdGoIsLangTests) {
    await t.step(`isLang(${show(x)}) = ${want}`, () => {
      assert.equal(isLang(x), want);
    });
  }
});

Deno.test("prev() matches cmd/go/internal/gover prevTests", async (t) => {
  for (const [x, want] of cmdGoPrevTests) {
    await t.step(`prev(${show(x)}) = ${show(want)}`, () => {
      assert.equal(prev(x), want);
    });
  }
});

Deno.test("isValid() matches cmd/go/internal/gover isValidTests", async (t) => {
  for (const [x, want] of cmdGoIsValidTests) {
    await t.step(`isValid(${show(x)}) = ${want}`, () => {
      assert.equal(isValid(x), want);
    });
  }
});

// ---------------------------------------------------------------------------
// gtc's own tables. Go 1.26 has no tests for these rules (nor for CmpInt or
// DecInt); the rows follow internal/gover/gover.go and cmd/go/internal/gover
// (DecInt), and every expected value was checked by running a copy of those
// functions under go1.26.8.

// parseInvalidTests: inputs Go's parse turns into the zero Version, for which
// gtc's parse returns undefined.
const parseInvalidTests: string[] = [
  "",
  "x",
  "v1.21.0", // no "v" prefix
  "go1.21.0", // no "go" prefix
  "1.", // trailing dot
  "1.21.", // trailing dot
  "1.021", // leading zero
  "01.21", // leading zero
  "1.21.03", // leading zero
  "1.21rc01", // leading zero
  "1.2.3.4",
  "1.21.3rc1", // no prerelease after a patch
  "1.9.2rc2", // accepted only by the unmerged golang/go#68681
  "1.21RC1", // the kind must be lowercase
  "1.21-rc1",
  "1.21rc1x",
  "1.21.0-bigcorp",
  "1.21.0+auto",
  "1.21 ",
  " 1.21",
];

// parseMoreTests: valid edge cases of parse.
const parseMoreTests: [string, Version][] = [
  ["0", version("0", "0", "0", "", "")],
  ["2.5", version("2", "5", "0", "", "")], // minor < 21 gets patch 0, whatever the major
  ["2.21", version("2", "21", "", "", "")],
  ["1.21rc", version("1", "21", "", "rc", "")], // a kind without a number
  ["1.21pre3", version("1", "21", "", "pre", "3")], // any lowercase kind
  ["1.1.0", version("1", "1", "0", "", "")],
  ["222", version("222", "0", "0", "", "")],
];

// cmpIntTests: CmpInt compares decimal strings by length, then bytes.
const cmpIntTests: [string, string, number][] = [
  ["", "", 0],
  ["", "0", -1], // "" sorts before "0" (a language version before its .0 release)
  ["0", "0", 0],
  ["9", "10", -1],
  ["10", "9", 1],
  ["21", "21", 0],
  ["20", "21", -1],
  ["99999999999999998", "99999999999999999", -1],
  ["99999999999999999", "100000000000000000", -1],
];

// decIntTests: DecInt subtracts one from a decimal string.
const decIntTests: [string, string][] = [
  ["0", ""], // all zeros
  ["1", "0"],
  ["9", "8"],
  ["10", "9"],
  ["21", "20"],
  ["100", "99"],
  ["1000", "999"],
  ["1001", "1000"],
  ["99999999999999999", "99999999999999998"],
  ["40000000000000000", "39999999999999999"],
];

// maxTests: Max returns y only if x < y, so on a tie it returns x, even when
// the two spell the same version differently.
const maxTests: [string, string, string][] = [
  ["1.21", "1.22", "1.22"],
  ["1.22", "1.21", "1.22"],
  ["1.20", "1.20.0", "1.20"], // equal: the first argument wins
  ["1.20.0", "1.20", "1.20.0"], // equal: the first argument wins
  ["x", "", "x"], // both invalid, so equal
  ["", "x", ""], // both invalid, so equal
  ["", "1.21", "1.21"], // invalid sorts below valid
  ["1.21", "bad", "1.21"],
  ["1.21", "1.21rc1", "1.21rc1"],
  ["1.21rc2", "1.21.0", "1.21.0"],
];

Deno.test("parse() returns undefined for invalid versions", async (t) => {
  for (const x of parseInvalidTests) {
    await t.step(`parse(${show(x)}) = undefined`, () => {
      assert.equal(parse(x), undefined);
      assert.equal(isValid(x), false);
    });
  }
});

Deno.test("parse() handles edge cases", async (t) => {
  for (const [x, want] of parseMoreTests) {
    await t.step(`parse(${show(x)}) = ${JSON.stringify(want)}`, () => {
      assert.deepEqual(parse(x), want);
    });
  }
});

Deno.test("cmpInt() compares decimal strings", async (t) => {
  for (const [x, y, want] of cmpIntTests) {
    await t.step(`cmpInt(${show(x)}, ${show(y)}) = ${want}`, () => {
      assert.equal(cmpInt(x, y), want);
    });
  }
});

Deno.test("decInt() decrements decimal strings", async (t) => {
  for (const [x, want] of decIntTests) {
    await t.step(`decInt(${show(x)}) = ${show(want)}`, () => {
      assert.equal(decInt(x), want);
    });
  }
});

Deno.test("max() returns the first argument on a tie", async (t) => {
  for (const [x, y, want] of maxTests) {
    await t.step(`max(${show(x)}, ${show(y)}) = ${show(want)}`, () => {
      assert.equal(max(x, y), want);
    });
  }
});
