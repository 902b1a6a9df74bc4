/**
 * Toolchain names ("go1.21.3", "go1.21.0-bigcorp", "go1.500 (bigcorp)") and
 * the virtual "go" and "toolchain" modules of go get.
 *
 * Mirrors cmd/go/internal/gover/toolchain.go and mod.go (go1.26). A behaviour
 * change here needs a failing table or differential test first.
 *
 * @module
 */

import { compare, isLang, isPrerelease, isValid, lang } from "./version.ts";

/**
 * fromToolchain returns the Go version for the named toolchain, or "" when
 * the name is not a toolchain name. It cuts the version at the first space,
 * tab or '-' ("go1.21.1-bigcorp" → "1.21.1"), but not at '+'.
 *
 * @example
 * ```ts
 * import { assertEquals } from "node:assert/strict";
 * import { fromToolchain } from "./toolchain.ts";
 * assertEquals(fromToolchain("go1.500 (bigcorp)"), "1.500");
 * assertEquals(fromToolchain("go1.2.3+bigcorp"), "");
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
 * modCompare compares versions of the virtual "go" or "toolchain" module
 * (the only ones gtc needs; Go falls back to semver for real modules).
 */
export function modCompare(path: "go" | "toolchain", x: string, y: string): -1 | 0 | 1 {
  if (path === "go") return compare(x, y);
  return compare(maybeToolchainVersion(x), maybeToolchainVersion(y));
}

/** modIsValid reports whether vers is a valid version of the "go" or "toolchain" module. */
export function modIsValid(path: "go" | "toolchain", vers: string): boolean {
  if (path === "go") return isValid(vers);
  return isValid(fromToolchain(vers));
}

/** modIsPrefix reports whether vers is a version prefix ("1.21", "go1.21") of the module. */
export function modIsPrefix(path: "go" | "toolchain", vers: string): boolean {
  if (path === "go") return isLang(vers);
  return isLang(fromToolchain(vers));
}

/** modIsPrerelease reports whether vers is a prerelease of the module. */
export function modIsPrerelease(path: "go" | "toolchain", vers: string): boolean {
  if (path === "go") return isPrerelease(vers);
  return isPrerelease(fromToolchain(vers));
}

/** modMajorMinor returns the language version of vers ("1.21.3" → "1.21", "go1.21.3" → "go1.21"). */
export function modMajorMinor(path: "go" | "toolchain", vers: string): string {
  if (path === "go") return lang(vers);
  return "go" + lang(fromToolchain(vers));
}
