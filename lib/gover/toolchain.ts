/**
 * Toolchain names ("go1.21.3", "go1.21.0-bigcorp", "go1.500 (bigcorp)") and
 * the virtual "go" and "toolchain" modules of go get.
 *
 * Mirrors cmd/go/internal/gover/toolchain.go and mod.go (go1.26). A behaviour
 * change here needs a failing table or differential test first. Module paths
 * other than "go" and "toolchain" fall back to semver, as in Go.
 *
 * @module
 */

import * as semver from "../semver/mod.ts";
import { compare, isLang, isPrerelease, isValid, lang } from "./version.ts";

/**
 * fromToolchain returns the Go version for the named toolchain, or "" when
 * the name is not a toolchain name. It cuts the version at the first space,
 * tab or '-' ("go1.21.1-bigcorp" → "1.21.1"), but not at '+'.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromToolchain } from "./toolchain.ts";
 * assert.equal(fromToolchain("go1.500 (bigcorp)"), "1.500");
 * assert.equal(fromToolchain("go1.2.3+bigcorp"), "");
 * ```
 */
export function fromToolchain(name: string): string {
  // The name is later passed to exec.LookPath: a path separator would let a
  // go.mod line run an arbitrary program (security fix in go1.21.1).
  if (name.includes("/") || name.includes("\\")) return "";
  if (!name.startsWith("go")) return "";
  let v = name.slice(2);
  const i = v.search(/[ \t-]/);
  if (i >= 0) v = v.slice(0, i);
  return isValid(v) ? v : "";
}

/** isToolchain reports whether path is one of the virtual modules "go" or "toolchain". */
export function isToolchain(path: string): boolean {
  return path === "go" || path === "toolchain";
}

// maybeToolchainVersion accepts both "1.2" and "go1.2" forms.
function maybeToolchainVersion(name: string): string {
  return isValid(name) ? name : fromToolchain(name);
}

/**
 * modCompare returns the result of comparing the versions x and y for the
 * module with the given path. The virtual "go" and "toolchain" modules use
 * Go version ordering ("toolchain" accepts "go1.21.0" and, non-standard,
 * "1.21.0"); every other module uses semver.
 */
export function modCompare(path: string, x: string, y: string): -1 | 0 | 1 {
  if (path === "go") return compare(x, y);
  if (path === "toolchain") return compare(maybeToolchainVersion(x), maybeToolchainVersion(y));
  return semver.compare(x, y);
}

/**
 * modSort sorts list in place by module path, then by version as modCompare
 * orders them, like module.Sort but understanding the "go" and "toolchain"
 * modules. A version may carry a "/file" suffix (as go.sum lines do): the
 * text before the '/' is compared as a version, the suffix as a string.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { modSort } from "./toolchain.ts";
 * const list = [{ path: "go", version: "1.21.0" }, { path: "go", version: "1.9" }];
 * modSort(list);
 * assert.deepEqual(list.map((m) => m.version), ["1.9", "1.21.0"]);
 * ```
 */
export function modSort<T extends { readonly path: string; readonly version: string }>(
  list: T[],
): void {
  list.sort((mi, mj) => {
    if (mi.path !== mj.path) return mi.path < mj.path ? -1 : 1;
    // To help go.sum formatting, allow version/file. Compare the version
    // prefix by version rules and the file by string order.
    let vi = mi.version;
    let vj = mj.version;
    let fi = "";
    let fj = "";
    let k = vi.indexOf("/");
    if (k >= 0) [vi, fi] = [vi.slice(0, k), vi.slice(k)];
    k = vj.indexOf("/");
    if (k >= 0) [vj, fj] = [vj.slice(0, k), vj.slice(k)];
    if (vi !== vj) return modCompare(mi.path, vi, vj);
    return fi === fj ? 0 : fi < fj ? -1 : 1;
  });
}

/** modIsValid reports whether vers is a valid version syntax for the module with the given path. */
export function modIsValid(path: string, vers: string): boolean {
  if (isToolchain(path)) {
    if (path === "toolchain") return isValid(fromToolchain(vers));
    return isValid(vers);
  }
  return semver.isValid(vers);
}

/**
 * modIsPrefix reports whether vers is a valid version syntax prefix ("1.21",
 * "go1.21", "v1.2") for the module with the given path. The caller is
 * assumed to have checked that modIsValid(path, vers) is true.
 */
export function modIsPrefix(path: string, vers: string): boolean {
  if (isToolchain(path)) {
    if (path === "toolchain") return isLang(fromToolchain(vers));
    return isLang(vers);
  }
  // Semver: at most one dot, and no prerelease or build suffix.
  let dots = 0;
  for (const c of vers) {
    switch (c) {
      case "-":
      case "+":
        return false;
      case ".":
        dots++;
        if (dots >= 2) return false;
    }
  }
  return true;
}

/**
 * modIsPrerelease reports whether vers is a prerelease version for the
 * module with the given path. The caller is assumed to have checked that
 * modIsValid(path, vers) is true.
 */
export function modIsPrerelease(path: string, vers: string): boolean {
  if (isToolchain(path)) {
    if (path === "toolchain") return isPrerelease(fromToolchain(vers));
    return isPrerelease(vers);
  }
  return semver.prerelease(vers) !== "";
}

/**
 * modMajorMinor returns the "major.minor" truncation of vers, for use as a
 * prefix in "@patch" queries ("1.21.3" → "1.21", "go1.21.3" → "go1.21",
 * "v1.2.3" → "v1.2").
 */
export function modMajorMinor(path: string, vers: string): string {
  if (isToolchain(path)) {
    if (path === "toolchain") return "go" + lang(fromToolchain(vers));
    return lang(vers);
  }
  return semver.majorMinor(vers);
}
