import assert from "node:assert/strict";
import { compare, isValid, majorMinor, prerelease } from "./semver.ts";

// show quotes a string argument for a step name.
function show(s: string): string {
  return JSON.stringify(s);
}

// From golang.org/x/mod v0.30.0 semver/semver_test.go (its semver.go is
// identical to the copy vendored in go1.26). Each row is an input and its
// canonical form ("" when invalid), in ascending order: TestCompare expects
// compare to follow the row order, and rows with the same canonical form to
// compare equal. gtc has no Canonical; the column still drives the tests.
const tests: [string, string][] = [
  ["bad", ""],
  ["v1-alpha.beta.gamma", ""],
  ["v1-pre", ""],
  ["v1+meta", ""],
  ["v1-pre+meta", ""],
  ["v1.2-pre", ""],
  ["v1.2+meta", ""],
  ["v1.2-pre+meta", ""],
  ["v1.0.0-alpha", "v1.0.0-alpha"],
  ["v1.0.0-alpha.1", "v1.0.0-alpha.1"],
  ["v1.0.0-alpha.beta", "v1.0.0-alpha.beta"],
  ["v1.0.0-beta", "v1.0.0-beta"],
  ["v1.0.0-beta.2", "v1.0.0-beta.2"],
  ["v1.0.0-beta.11", "v1.0.0-beta.11"],
  ["v1.0.0-rc.1", "v1.0.0-rc.1"],
  ["v1", "v1.0.0"],
  ["v1.0", "v1.0.0"],
  ["v1.0.0", "v1.0.0"],
  ["v1.2", "v1.2.0"],
  ["v1.2.0", "v1.2.0"],
  ["v1.2.3-456", "v1.2.3-456"],
  ["v1.2.3-456.789", "v1.2.3-456.789"],
  ["v1.2.3-456-789", "v1.2.3-456-789"],
  ["v1.2.3-456a", "v1.2.3-456a"],
  ["v1.2.3-pre", "v1.2.3-pre"],
  ["v1.2.3-pre+meta", "v1.2.3-pre"],
  ["v1.2.3-pre.1", "v1.2.3-pre.1"],
  ["v1.2.3-zzz", "v1.2.3-zzz"],
  ["v1.2.3", "v1.2.3"],
  ["v1.2.3+meta", "v1.2.3"],
  ["v1.2.3+meta-pre", "v1.2.3"],
  ["v1.2.3+meta-pre.sha.256a", "v1.2.3"],
];

Deno.test("isValid() matches x/mod/semver TestIsValid", async (t) => {
  for (const [v, out] of tests) {
    const want = out !== "";
    await t.step(`isValid(${show(v)}) = ${want}`, () => {
      assert.equal(isValid(v), want);
    });
  }
});

Deno.test("majorMinor() matches x/mod/semver TestMajorMinor", async (t) => {
  for (const [v, out] of tests) {
    let want = "";
    if (out !== "") {
      want = v;
      let i = want.indexOf("+");
      if (i >= 0) want = want.slice(0, i);
      i = want.indexOf("-");
      if (i >= 0) want = want.slice(0, i);
      switch (want.split(".").length - 1) {
        case 0:
          want += ".0";
          break;
        case 1:
          // ok
          break;
        case 2:
          want = want.slice(0, want.lastIndexOf("."));
          break;
      }
    }
    await t.step(`majorMinor(${show(v)}) = ${show(want)}`, () => {
      assert.equal(majorMinor(v), want);
    });
  }
});

Deno.test("prerelease() matches x/mod/semver TestPrerelease", async (t) => {
  for (const [v, out] of tests) {
    let want = "";
    if (out !== "") {
      const i = out.indexOf("-");
      if (i >= 0) want = out.slice(i);
    }
    await t.step(`prerelease(${show(v)}) = ${show(want)}`, () => {
      assert.equal(prerelease(v), want);
    });
  }
});

Deno.test("compare() matches x/mod/semver TestCompare", async (t) => {
  for (const [i, [vi, outi]] of tests.entries()) {
    await t.step(`compare(${show(vi)}, each row) follows the row order`, () => {
      for (const [j, [vj, outj]] of tests.entries()) {
        const want = outi === outj ? 0 : i < j ? -1 : 1;
        assert.equal(compare(vi, vj), want, `compare(${show(vi)}, ${show(vj)}) != ${want}`);
      }
    });
  }
});
