import assert from "node:assert/strict";
import { dlToGo, toolchainModuleVersion } from "./toolchain.ts";
import { escapeVersion } from "./module.ts";
import { isValid } from "../semver/mod.ts";
import { isPseudoVersion } from "./pseudo.ts";

Deno.test("toolchainModuleVersion() names what cmd/go downloads", () => {
  const v = toolchainModuleVersion("go1.21.3", "linux", "amd64");
  assert.equal(v, "v0.0.1-go1.21.3.linux-amd64");
  // The proxy client keeps it in @v/list and escapes it to itself.
  assert.ok(isValid(v));
  assert.ok(!isPseudoVersion(v));
  assert.equal(escapeVersion(v), v);
  assert.equal(
    toolchainModuleVersion("go1.22rc1", "windows", "arm64"),
    "v0.0.1-go1.22rc1.windows-arm64",
  );
});

const dlToGoTests: [v: string, want: string | undefined][] = [
  ["v0.0.1-go1.19.7.windows-amd64", "1.19.7"],
  ["v0.0.1-go1.21rc2.linux-arm", "1.21rc2"],
  ["v0.0.1-go1.2.linux-amd64", "1.2"],
  ["v0.0.1", undefined],
  ["v0.0.1-go1.21.3", undefined],
];

Deno.test("dlToGo() mirrors modfetch.dlToGo", async (t) => {
  for (const [v, want] of dlToGoTests) {
    await t.step(`dlToGo(${JSON.stringify(v)}) = ${want}`, () => assert.equal(dlToGo(v), want));
  }
});
