import assert from "node:assert/strict";
import {
  fromToolchain,
  isToolchain,
  modCompare,
  modIsPrefix,
  modIsPrerelease,
  modIsValid,
  modMajorMinor,
  modSort,
} from "./toolchain.ts";

// show quotes a string argument for a step name, so "" stays visible.
function show(s: string): string {
  return JSON.stringify(s);
}

// ---------------------------------------------------------------------------
// From go1.26 src/cmd/go/internal/gover/toolchain_test.go.

const fromToolchainTests: [string, string][] = [
  ["go1.2.3", "1.2.3"],
  ["1.2.3", ""],
  ["go1.2.3+bigcorp", ""],
  ["go1.2.3-bigcorp", "1.2.3"],
  ["go1.2.3-bigcorp more text", "1.2.3"],
  ["gccgo-go1.23rc4", ""],
  ["gccgo-go1.23rc4-bigdwarf", ""],
];

Deno.test("fromToolchain() matches cmd/go/internal/gover fromToolchainTests", async (t) => {
  for (const [name, want] of fromToolchainTests) {
    await t.step(`fromToolchain(${show(name)}) = ${show(want)}`, () => {
      assert.equal(fromToolchain(name), want);
    });
  }
});

// ---------------------------------------------------------------------------
// From go1.26 src/cmd/go/internal/gover/mod_test.go. Paths other than "go"
// and "toolchain" are compared as semver (lib/semver), as in Go.

const isToolchainTests: [string, boolean][] = [
  ["go", true],
  ["toolchain", true],
  ["anything", false],
  ["golang.org/toolchain", false],
];

const modCompareTests: [string, string, string, number][] = [
  ["go", "1.2", "1.3", -1],
  ["go", "v1.2", "v1.3", 0], // equal because invalid
  ["go", "1.2", "1.2", 0],
  ["toolchain", "go1.2", "go1.3", -1],
  ["toolchain", "go1.2", "go1.2", 0],
  ["toolchain", "1.2", "1.3", -1], // accepted but non-standard
  ["toolchain", "v1.2", "v1.3", 0], // equal because invalid
  ["rsc.io/quote", "v1.2", "v1.3", -1],
  ["rsc.io/quote", "1.2", "1.3", 0], // equal because invalid
];

const modIsValidTests: [string, string, boolean][] = [
  ["go", "1.2", true],
  ["go", "v1.2", false],
  ["toolchain", "go1.2", true],
  ["toolchain", "v1.2", false],
  ["rsc.io/quote", "v1.2", true],
  ["rsc.io/quote", "1.2", false],
];

interface ModuleVersion {
  path: string;
  version: string;
}

// mvl parses a list of module versions written "path vers; path vers; ...".
function mvl(s: string): ModuleVersion[] {
  const list: ModuleVersion[] = [];
  for (let f of s.split(";")) {
    f = f.trim();
    const i = f.indexOf(" ");
    const [path, version] = i >= 0 ? [f.slice(0, i), f.slice(i + 1)] : [f, ""];
    list.push({ path, version });
  }
  return list;
}

const modSortTests: [ModuleVersion[], ModuleVersion[]][] = [
  [
    mvl(`z v1.1; a v1.2; a v1.1; go 1.3; toolchain 1.3; toolchain 1.2; go 1.2`),
    mvl(`a v1.1; a v1.2; go 1.2; go 1.3; toolchain 1.2; toolchain 1.3; z v1.1`),
  ],
];

Deno.test("isToolchain() matches cmd/go/internal/gover isToolchainTests", async (t) => {
  for (const [path, want] of isToolchainTests) {
    await t.step(`isToolchain(${show(path)}) = ${want}`, () => {
      assert.equal(isToolchain(path), want);
    });
  }
});

Deno.test("modCompare() matches cmd/go/internal/gover modCompareTests", async (t) => {
  for (const [path, x, y, want] of modCompareTests) {
    await t.step(`modCompare(${show(path)}, ${show(x)}, ${show(y)}) = ${want}`, () => {
      assert.equal(modCompare(path, x, y), want);
    });
  }
});

Deno.test("modIsValid() matches cmd/go/internal/gover modIsValidTests", async (t) => {
  for (const [path, vers, want] of modIsValidTests) {
    await t.step(`modIsValid(${show(path)}, ${show(vers)}) = ${want}`, () => {
      assert.equal(modIsValid(path, vers), want);
    });
  }
});

// showList writes a module list the way mvl reads it.
function showList(list: ModuleVersion[]): string {
  return list.map((m) => `${m.path} ${m.version}`).join("; ");
}

Deno.test("modSort() matches cmd/go/internal/gover modSortTests", async (t) => {
  for (const [list, want] of modSortTests) {
    await t.step(`modSort(${showList(list)}) = ${showList(want)}`, () => {
      const out = structuredClone(list);
      modSort(out);
      assert.deepEqual(out, want);
    });
  }
});

// ---------------------------------------------------------------------------
// gtc's own tables. Go 1.26 has no tests for ModIsPrefix, ModIsPrerelease or
// ModMajorMinor, nor a ModSort row with a "/file" suffix; every expected
// value below was checked by running a copy of cmd/go/internal/gover (go1.26.8)
// with golang.org/x/mod v0.30.0.

const modIsPrefixTests: [string, string, boolean][] = [
  ["go", "1.21", true],
  ["go", "1.21.0", false],
  ["go", "1.21rc1", false],
  ["toolchain", "go1.21", true],
  ["toolchain", "go1.21.0", false],
  ["toolchain", "1.21", false], // "toolchain" needs the "go" prefix here
  ["rsc.io/quote", "v1.2", true],
  ["rsc.io/quote", "v1", true],
  ["rsc.io/quote", "v1.2.3", false],
  ["rsc.io/quote", "v1.2-pre", false],
  ["rsc.io/quote", "v1+meta", false],
];

const modIsPrereleaseTests: [string, string, boolean][] = [
  ["go", "1.21rc1", true],
  ["go", "1.21.0", false],
  ["go", "1.21", false],
  ["toolchain", "go1.21rc1", true],
  ["toolchain", "go1.21.0", false],
  ["toolchain", "1.21rc1", false], // not a toolchain name
  ["rsc.io/quote", "v1.2.3-pre", true],
  ["rsc.io/quote", "v1.2.3", false],
  ["rsc.io/quote", "v1.2.3+meta", false],
];

const modMajorMinorTests: [string, string, string][] = [
  ["go", "1.21.3", "1.21"],
  ["go", "1.21rc1", "1.21"],
  ["go", "1", "1"],
  ["toolchain", "go1.21.3", "go1.21"],
  ["toolchain", "go1.21.3-bigcorp", "go1.21"],
  ["toolchain", "1.21.3", "go"], // not a toolchain name: Lang("") is ""
  ["rsc.io/quote", "v1.2.3", "v1.2"],
  ["rsc.io/quote", "v1", "v1.0"],
  ["rsc.io/quote", "v1.2.3-pre+meta", "v1.2"],
  ["rsc.io/quote", "1.2.3", ""], // invalid semver
];

const modSortMoreTests: [ModuleVersion[], ModuleVersion[]][] = [
  [
    // Go versions order numerically, "1.21" (a language) before "1.21.0";
    // semver too (v1.5.2 < v1.10.0), with a "/go.mod" suffix after the
    // bare version; paths order bytewise.
    mvl(
      `rsc.io/quote v1.5.2/go.mod; rsc.io/quote v1.5.2; rsc.io/quote v1.10.0; go 1.21.0; go 1.9; go 1.21; toolchain go1.21.0; toolchain go1.9.2; golang.org/toolchain v0.0.1-go1.21.0.linux-amd64`,
    ),
    mvl(
      `go 1.9; go 1.21; go 1.21.0; golang.org/toolchain v0.0.1-go1.21.0.linux-amd64; rsc.io/quote v1.5.2; rsc.io/quote v1.5.2/go.mod; rsc.io/quote v1.10.0; toolchain go1.9.2; toolchain go1.21.0`,
    ),
  ],
];

Deno.test("modIsPrefix() handles go, toolchain and semver paths", async (t) => {
  for (const [path, vers, want] of modIsPrefixTests) {
    await t.step(`modIsPrefix(${show(path)}, ${show(vers)}) = ${want}`, () => {
      assert.equal(modIsPrefix(path, vers), want);
    });
  }
});

Deno.test("modIsPrerelease() handles go, toolchain and semver paths", async (t) => {
  for (const [path, vers, want] of modIsPrereleaseTests) {
    await t.step(`modIsPrerelease(${show(path)}, ${show(vers)}) = ${want}`, () => {
      assert.equal(modIsPrerelease(path, vers), want);
    });
  }
});

Deno.test("modMajorMinor() handles go, toolchain and semver paths", async (t) => {
  for (const [path, vers, want] of modMajorMinorTests) {
    await t.step(`modMajorMinor(${show(path)}, ${show(vers)}) = ${show(want)}`, () => {
      assert.equal(modMajorMinor(path, vers), want);
    });
  }
});

Deno.test("modSort() compares a version/file suffix as a string", async (t) => {
  for (const [list, want] of modSortMoreTests) {
    await t.step(`modSort(${showList(list)}) = ${showList(want)}`, () => {
      const out = structuredClone(list);
      modSort(out);
      assert.deepEqual(out, want);
    });
  }
});
