/**
 * Choosing a newer toolchain when a module needs one.
 *
 * Mirrors cmd/go/internal/toolchain/switch.go newerToolchain, autoToolchains
 * and pathToolchains (go1.26). A behaviour change here needs a failing table
 * or differential test first.
 *
 * @module
 */

import { compare, fromToolchain, isPrerelease, lang } from "../gover/mod.ts";

/**
 * newerToolchain returns the name of the toolchain to switch to when a
 * command needs at least Go version `need`, choosing from `list`, the
 * available versions in ascending order (as sorted by compare).
 *
 * It does not simply take the newest: when a newer language family already
 * has a release, it takes the latest patch of the family before it, which
 * has had more time to get its bugs fixed. When only one family qualifies,
 * it takes that family's newest entry, even a prerelease.
 *
 * @throws {Error} `no releases found for go >= ${need}` when nothing in list is new enough.
 *
 * @example
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { newerToolchain } from "./newer.ts";
 * const list = ["1.22.0", "1.22.9", "1.23.0", "1.23.4", "1.24.0"];
 * assertEquals(newerToolchain("1.22.1", list), "go1.23.4");
 * ```
 */
export function newerToolchain(need: string, list: readonly string[]): string {
  let latest = "";
  for (let i = list.length - 1; i >= 0; i--) {
    const v = list[i];
    if (compare(v, need) < 0) break;
    if (lang(latest) === lang(v)) continue;
    const newer = latest;
    latest = v;
    if (newer !== "" && !isPrerelease(newer)) {
      // latest is now the last patch of the previous family, and a newer
      // family (newer) has a release: prefer the older, well-patched one.
      break;
    }
  }
  if (latest === "") throw new Error(`no releases found for go >= ${need}`);
  return "go" + latest;
}

/**
 * autoToolchainVersions turns golang.org/toolchain module versions
 * ("v0.0.1-go1.21.0.linux-amd64") into a sorted, de-duplicated list of Go
 * versions ("1.21.0"), always including the local version, as autoToolchains
 * does. Versions of every GOOS-GOARCH count.
 */
export function autoToolchainVersions(moduleVersions: readonly string[], local: string): string[] {
  const seen = new Set<string>();
  for (let v of moduleVersions) {
    // "v0.0.1-go1.21.0.linux-amd64": cut at the first '-', then at the last
    // '.' whose suffix contains a '-' (the GOOS-GOARCH), then strip "go".
    const dash = v.indexOf("-");
    if (dash < 0) continue;
    v = v.slice(dash + 1);
    const dot = v.lastIndexOf(".");
    if (dot < 0 || !v.slice(dot + 1).includes("-")) continue;
    v = v.slice(0, dot);
    seen.add(v.startsWith("go") ? v.slice(2) : v);
  }
  if (local !== "") seen.add(local);
  return [...seen].sort(compare);
}

/**
 * pathToolchainVersions turns the names of "go1.*" executables found in PATH
 * directories into a sorted, de-duplicated list of Go versions, as
 * pathToolchains does. Names must already have any Windows PATHEXT extension
 * removed. The local version is NOT added.
 */
export function pathToolchainVersions(names: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const name of names) {
    if (!name.startsWith("go1.")) continue;
    const v = fromToolchain(name);
    if (v.startsWith("1.")) seen.add(v);
  }
  return [...seen].sort(compare);
}
