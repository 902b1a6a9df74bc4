import assert from "node:assert/strict";
import { resolveQuery } from "./query.ts";

const versions = ["1.20", "1.20.14", "1.21.0", "1.21.13", "1.22rc1", "1.22.0", "1.22.9", "1.23rc2"];

const resolveQueryTests: [string, string | RegExp][] = [
  ["1.22", "go1.22.9"],
  ["1.21", "go1.21.13"],
  ["go1.22", "go1.22.9"],
  ["latest", "go1.22.9"],
  ["1.22.0", "go1.22.0"],
  ["go1.22.0", "go1.22.0"],
  ["1.22rc1", "go1.22rc1"],
  ["1.23rc2", "go1.23rc2"],
  // Before 1.21 there is no language/release split: 1.20 is the release 1.20.
  ["1.20", "go1.20"],
  ["1.23", /no matching versions for query "1\.23"/],
  ["1.22.5", /no matching versions for query "1\.22\.5"/],
  ["banana", /invalid version "banana"/],
  ["go1.22.0/../x", /invalid version/],
];

Deno.test("resolveQuery()", async (t) => {
  for (const [q, want] of resolveQueryTests) {
    await t.step(`resolveQuery(${JSON.stringify(q)})`, () => {
      if (typeof want === "string") assert.equal(resolveQuery(q, versions), want);
      else assert.throws(() => resolveQuery(q, versions), want);
    });
  }
});
