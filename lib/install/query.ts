/**
 * Resolving what the user asked to install ("1.22", "go1.22.5", "latest")
 * against the Go versions a source offers, with go get's query rules for the
 * toolchain module: "1.N" means the latest 1.N.x release and never a
 * prerelease; "latest" the newest release; anything else names one exact
 * version.
 *
 * @module
 */

import { compare, fromToolchain, isLang, isPrerelease, isValid } from "../gover/mod.ts";

/**
 * resolveQuery returns the toolchain name ("go1.22.9") for query among
 * versions (Go versions such as "1.22.9", any order), or throws with the
 * go command's wording: `no matching versions for query "1.24"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveQuery } from "./query.ts";
 * const vs = ["1.21.0", "1.22.0", "1.22.9", "1.23rc1"];
 * assert.equal(resolveQuery("1.22", vs), "go1.22.9");
 * assert.equal(resolveQuery("latest", vs), "go1.22.9");
 * assert.equal(resolveQuery("go1.23rc1", vs), "go1.23rc1");
 * ```
 */
export function resolveQuery(query: string, versions: readonly string[]): string {
  const q = query.trim();
  const releases = versions.filter((v) => !isPrerelease(v) && !isLang(v)).sort(compare);
  if (q === "latest") {
    const v = releases.at(-1);
    if (v === undefined) throw new Error(`no matching versions for query "latest"`);
    return "go" + v;
  }
  const v = q.startsWith("go") ? fromToolchain(q) : isValid(q) ? q : "";
  if (v === "") {
    throw new Error(
      `invalid version ${
        JSON.stringify(query)
      }: want a Go version such as 1.22, 1.22.5, go1.22.5 or latest`,
    );
  }
  // "1.N" for N ≥ 21 is a language version: the latest release of it.
  if (isLang(v)) {
    const m = releases.filter((r) => r.startsWith(v + ".")).at(-1);
    if (m === undefined) throw new Error(`no matching versions for query "${v}"`);
    return "go" + m;
  }
  if (!versions.some((x) => compare(x, v) === 0 && x === v)) {
    throw new Error(`no matching versions for query "${v}"`);
  }
  return "go" + v;
}
