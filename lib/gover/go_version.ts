/**
 * The public go/version API, which takes "go"-prefixed names.
 *
 * Mirrors go/src/go/version/version.go (go1.26).
 *
 * @module
 */

import * as gover from "./version.ts";

// stripGo converts from a "go1.21-bigcorp" version to a "1.21" version.
// An input without the "go" prefix gives "", which is invalid.
function stripGo(v: string): string {
  const i = v.indexOf("-");
  if (i >= 0) v = v.slice(0, i);
  return v.startsWith("go") ? v.slice(2) : "";
}

/** goCompare compares two "go"-prefixed versions ("go1.21.0-bigcorp" == "go1.21.0"). */
export function goCompare(x: string, y: string): -1 | 0 | 1 {
  return gover.compare(stripGo(x), stripGo(y));
}

/** goIsValid reports whether x is a valid "go"-prefixed version. */
export function goIsValid(x: string): boolean {
  return gover.isValid(stripGo(x));
}

/** goLang returns the "go"-prefixed language version of x, or "" when x is invalid. */
export function goLang(x: string): string {
  const v = gover.lang(stripGo(x));
  return v === "" ? "" : "go" + v;
}
