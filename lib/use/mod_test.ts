import { deepEqual as assertEquals } from "node:assert/strict";
import { describeGotoolchain, globalGotoolchain, toolchainName } from "./mod.ts";

Deno.test("toolchainName() accepts releases, refuses language versions and junk", () => {
  const cases: [string, ReturnType<typeof toolchainName>][] = [
    ["go1.25.3", { name: "go1.25.3" }],
    ["1.25.3", { name: "go1.25.3" }],
    ["1.26rc1", { name: "go1.26rc1" }],
    ["go1.20", { name: "go1.20" }],
    ["1.25", { error: "1.25: a language version, not a release; name one, e.g. go1.25.0" }],
    ["go1.25.3-bigcorp", {
      error: "go1.25.3-bigcorp: not a Go version (want e.g. go1.25.3 or 1.25.3)",
    }],
    ["../go", { error: "../go: not a Go version (want e.g. go1.25.3 or 1.25.3)" }],
    ["latest", { error: "latest: not a Go version (want e.g. go1.25.3 or 1.25.3)" }],
  ];
  for (const [arg, want] of cases) assertEquals(toolchainName(arg), want, arg);
});

Deno.test("globalGotoolchain() writes the mode as GOTOOLCHAIN's suffix", () => {
  const cases: [string, "auto" | "path" | "exact", string][] = [
    ["1.25.3", "auto", "go1.25.3+auto"],
    ["go1.25.3", "path", "go1.25.3+path"],
    ["go1.25.3", "exact", "go1.25.3"],
    ["local", "auto", "local"],
    ["auto", "exact", "auto"],
    ["path", "auto", "path"],
  ];
  for (const [arg, mode, want] of cases) {
    assertEquals(globalGotoolchain(arg, mode), { value: want });
  }
  assertEquals(
    describeGotoolchain("go1.25.3+bogus"),
    "go1.25.3+bogus: not a GOTOOLCHAIN the go command accepts",
  );
});
