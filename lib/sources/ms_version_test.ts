import assert from "node:assert/strict";
import { msFull, msUpstream, newMsVersion, parseMsQuery } from "./ms_version.ts";

// newTests is TestNew from microsoft/go-infra goversion/goversion_test.go
// (go-infra a1dc93df): name, version, then major, minor, patch, revision,
// note, prerelease. Rows after the marker are gtc's.
const newTests: [string, string, string, string, string, string, string, string][] = [
  ["Full version", "1.2.3-4", "1", "2", "3", "4", "", ""],
  ["Major only", "1", "1", "0", "0", "1", "", ""],
  ["Major.minor", "1.42", "1", "42", "0", "1", "", ""],
  ["Major.minor-revision", "1.42-6", "1", "42", "0", "6", "", ""],
  ["Too many dotted parts", "1.2.3.4.5.6", "1", "2", "3", "1", "", ""],
  ["Many dashed parts", "1-2-3-4", "1", "0", "0", "2", "3-4", ""],
  ["Note without much else", "1-note", "1", "0", "0", "1", "note", ""],
  ["Note with revision", "1-2-note", "1", "0", "0", "2", "note", ""],
  ["Note with number after a dash", "1-note-2", "1", "0", "0", "1", "note-2", ""],
  ["Prerelease version", "1.18rc1", "1", "18", "0", "1", "", "rc1"],
  ["Major beta version", "2beta1", "2", "0", "0", "1", "", "beta1"],
  // This case should never happen, but the current behavior is that the parser removes
  // all prerelease parts and only preserves the last-specified prerelease identifier.
  ["Pick most minor prerelease part", "2beta1.42rc2", "2", "42", "0", "1", "", "rc2"],
  // gtc's rows.
  ["Floating minor", "1.22", "1", "22", "0", "1", "", ""],
  ["Floating patch", "1.22.5", "1", "22", "5", "1", "", ""],
  ["Pinned", "1.22.5-3", "1", "22", "5", "3", "", ""],
  ["FIPS pinned", "1.18.2-1-fips", "1", "18", "2", "1", "fips", ""],
  ["FIPS floating", "1.18-fips", "1", "18", "0", "1", "fips", ""],
  ["Prerelease with revision", "1.23rc1-2", "1", "23", "0", "2", "", "rc1"],
];

Deno.test("newMsVersion() fills goversion.New's defaults", async (t) => {
  for (const [name, v, major, minor, patch, revision, note, prerelease] of newTests) {
    await t.step(`${name}: newMsVersion(${JSON.stringify(v)})`, () => {
      assert.deepEqual(newMsVersion(v), {
        original: v,
        major,
        minor,
        patch,
        revision,
        note,
        prerelease,
      });
    });
  }
});

// upstreamFormatGitTagTests is TestGoVersion_UpstreamFormatGitTag (go-infra a1dc93df).
const upstreamFormatGitTagTests: [string, string, string][] = [
  ["drop all zeros", "1.0.0", "go1"],
  ["do not drop middle zero", "1.0.1", "go1.0.1"],
  ["drop ending zero", "1.1.0", "go1.1"],
  ["never drop ones", "1.1.1", "go1.1.1"],
  // 1.21 changed zero behavior. golang/go#57631
  ["no zero in 1.20", "1.20.0", "go1.20"],
  ["zero in 1.21", "1.21.0", "go1.21.0"],
  ["zero in 1.22", "1.22.0", "go1.22.0"],
  ["same 1.21 patching behavior", "1.21.1", "go1.21.1"],
  ["don't drop zeros for v2", "2.0.0", "go2.0.0"],
];

Deno.test("msUpstream() formats as UpstreamFormatGitTag", async (t) => {
  for (const [name, v, want] of upstreamFormatGitTagTests) {
    await t.step(
      `${name}: msUpstream(${v}) = ${want}`,
      () => assert.equal(msUpstream(newMsVersion(v)), want),
    );
  }
});

Deno.test("msFull() and msUpstream() format versions", async (t) => {
  const tests: [string, string, string][] = [
    ["1.22", "1.22.0-1", "go1.22.0"],
    ["1.22.5-2", "1.22.5-2", "go1.22.5"],
    ["1.18.2-1-fips", "1.18.2-1-fips", "go1.18.2"],
    ["1.20", "1.20.0-1", "go1.20"],
    ["1.20.3", "1.20.3-1", "go1.20.3"],
    ["1.21", "1.21.0-1", "go1.21.0"],
    ["1.23rc1-1", "1.23.0rc1-1", "go1.23rc1"],
  ];
  for (const [v, full, upstream] of tests) {
    await t.step(`${v} → ${full}, ${upstream}`, () => {
      assert.equal(msFull(newMsVersion(v)), full);
      assert.equal(msUpstream(newMsVersion(v)), upstream);
    });
  }
});

Deno.test("parseMsQuery() classifies floating and pinned versions", async (t) => {
  const tests: [string, string | undefined][] = [
    ["1.22", "minor"],
    ["go1.22", "minor"],
    ["1.22.5", "patch"],
    ["go1.22.5", "patch"],
    ["1.22.5-1", "pinned"],
    ["go1.22.5-12", "pinned"],
    ["1.22.5-1-fips", "pinned"],
    ["1.18-fips", "minor"],
    ["1.23rc1", "minor"],
    ["1", undefined],
    ["1.22-1", undefined],
    ["1.22.5.1", undefined],
    ["go1.22.5-", undefined],
    ["latest", undefined],
    ["../1.22", undefined],
    ["1.22.5-1/../x", undefined],
  ];
  for (const [q, want] of tests) {
    await t.step(`parseMsQuery(${JSON.stringify(q)}) = ${want}`, () => {
      assert.equal(parseMsQuery(q)?.granularity, want);
    });
  }
});
