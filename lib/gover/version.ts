/**
 * Go version strings without the "go" prefix: "1.21", "1.21rc1", "1.21.0".
 *
 * Mirrors go/src/internal/gover/gover.go and cmd/go/internal/gover/gover.go
 * (go1.26). A behaviour change here needs a failing table or differential test
 * first: these rules decide which toolchain runs.
 *
 * Fields stay decimal strings, as in Go, because Go's own test vectors use
 * numbers such as 1.99999999999999999 that no JS number holds exactly.
 *
 * @module
 */

/** A parsed Go version. Every field is a decimal string or "". */
export interface Version {
  /** Major number, e.g. "1". */
  major: string;
  /** Minor number, e.g. "21" ("1" parses as 1.0.0). */
  minor: string;
  /** Patch number; "" for a language version ("1.21") or a prerelease. */
  patch: string;
  /** Prerelease kind ("alpha", "beta", "rc", any lowercase word); "" for a release. */
  kind: string;
  /** Prerelease number; "" when absent ("1.21rc" is valid). */
  pre: string;
}

const zero: Version = { major: "", minor: "", patch: "", kind: "", pre: "" };

/**
 * parse parses a Go version string, returning undefined when x is not valid.
 *
 * @example Parsing a release
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "./version.ts";
 * assert.equal(parse("1.21.3")?.patch, "3");
 * assert.equal(parse("1.21.3rc1"), undefined);
 * ```
 */
export function parse(x: string): Version | undefined {
  const v = parseOrZero(x);
  return v.major === "" ? undefined : v;
}

// parseOrZero is Go's parse: malformed input gives the zero Version.
function parseOrZero(x: string): Version {
  const v: Version = { major: "", minor: "", patch: "", kind: "", pre: "" };
  let rest: string;
  let ok: boolean;

  [v.major, rest, ok] = cutInt(x);
  if (!ok) return zero;
  if (rest === "") {
    // "1" means "1.0.0".
    v.minor = "0";
    v.patch = "0";
    return v;
  }
  if (rest[0] !== ".") return zero;
  [v.minor, rest, ok] = cutInt(rest.slice(1));
  if (!ok) return zero;
  if (rest === "") {
    // Old versions (before 1.21) left off the patch: 1.20 means 1.20.0.
    // Go compares only the minor here, whatever the major (so 2.5 is 2.5.0).
    if (cmpInt(v.minor, "21") < 0) v.patch = "0";
    return v;
  }
  if (rest[0] === ".") {
    [v.patch, rest, ok] = cutInt(rest.slice(1));
    // No prerelease is allowed after a patch number (1.21.3rc1 is invalid).
    if (!ok || rest !== "") return zero;
    return v;
  }
  // Prerelease: a run of lowercase letters, then an optional number.
  let i = 0;
  while (i < rest.length && (rest[i] < "0" || rest[i] > "9")) {
    if (rest[i] < "a" || rest[i] > "z") return zero;
    i++;
  }
  if (i === 0) return zero;
  v.kind = rest.slice(0, i);
  rest = rest.slice(i);
  if (rest === "") return v;
  [v.pre, rest, ok] = cutInt(rest);
  if (!ok || rest !== "") return zero;
  return v;
}

// cutInt scans the leading decimal number at the start of x to an integer
// and returns that value and the rest of the string. A number with a leading
// zero (other than "0" itself) is rejected.
function cutInt(x: string): [string, string, boolean] {
  let i = 0;
  while (i < x.length && x[i] >= "0" && x[i] <= "9") i++;
  if (i === 0 || (x[0] === "0" && i !== 1)) return ["", "", false];
  return [x.slice(0, i), x.slice(i), true];
}

/**
 * cmpInt compares two decimal strings without leading zeros: a longer string
 * is larger; equal lengths compare byte by byte. "" sorts before "0".
 */
export function cmpInt(x: string, y: string): -1 | 0 | 1 {
  if (x === y) return 0;
  if (x.length < y.length) return -1;
  if (x.length > y.length) return 1;
  return x < y ? -1 : 1;
}

/** decInt returns the decimal string decremented by 1, or "" for "0". */
export function decInt(decimal: string): string {
  const a = decimal.split("");
  let i = a.length - 1;
  while (i >= 0 && a[i] === "0") {
    a[i] = "9";
    i--;
  }
  if (i < 0) {
    // decimal was all zeros.
    return "";
  }
  if (i === 0 && a[i] === "1" && a.length > 1) return a.slice(1).join("");
  a[i] = String.fromCharCode(a[i].charCodeAt(0) - 1);
  return a.join("");
}

/**
 * compare returns -1, 0 or +1 depending on whether x < y, x == y or x > y,
 * interpreted as Go versions. Malformed versions compare less than every
 * valid version and equal to each other.
 *
 * @example Language versions sort before their prereleases
 * ```ts
 * import assert from "node:assert/strict";
 * import { compare } from "./version.ts";
 * assert.equal(compare("1.21", "1.21rc1"), -1);
 * assert.equal(compare("1.20", "1.20.0"), 0);
 * ```
 */
export function compare(x: string, y: string): -1 | 0 | 1 {
  const vx = parseOrZero(x);
  const vy = parseOrZero(y);
  return cmpInt(vx.major, vy.major) || cmpInt(vx.minor, vy.minor) ||
    cmpInt(vx.patch, vy.patch) || cmpString(vx.kind, vy.kind) ||
    cmpInt(vx.pre, vy.pre);
}

function cmpString(x: string, y: string): -1 | 0 | 1 {
  return x === y ? 0 : x < y ? -1 : 1;
}

/** max returns the larger of x and y; on a tie, x. */
export function max(x: string, y: string): string {
  return compare(x, y) < 0 ? y : x;
}

/**
 * lang returns the Go language version for x: "1.21.3" → "1.21", "1" → "1",
 * "222" → "222.0". Invalid input gives "".
 */
export function lang(x: string): string {
  const v = parseOrZero(x);
  // Go 1.0 and its patches report "1" as their language.
  if (v.minor === "" || (v.major === "1" && v.minor === "0")) return v.major;
  return `${v.major}.${v.minor}`;
}

/** isLang reports whether x names a language version ("1.21"), not a release. */
export function isLang(x: string): boolean {
  const v = parseOrZero(x);
  return v.major !== "" && v.patch === "" && v.kind === "" && v.pre === "";
}

/** isValid reports whether x is a valid Go version. */
export function isValid(x: string): boolean {
  return parseOrZero(x).major !== "";
}

/** isPrerelease reports whether x is a prerelease ("1.21rc1", "1.22beta"). */
export function isPrerelease(x: string): boolean {
  return parseOrZero(x).kind !== "";
}

/**
 * prev returns the language version before x: "1.3rc4" → "1.2",
 * "1.1" → "1". Mirrors cmd/go/internal/gover.Prev.
 */
export function prev(x: string): string {
  const v = parseOrZero(x);
  if (cmpInt(v.minor, "1") <= 0) return v.major;
  return `${v.major}.${decInt(v.minor)}`;
}
