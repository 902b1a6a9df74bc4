/**
 * The part of golang.org/x/mod/semver that cmd/go/internal/gover's mod.go
 * falls back to for module paths other than "go" and "toolchain": isValid,
 * compare, prerelease and majorMinor.
 *
 * Mirrors golang.org/x/mod/semver/semver.go (the copy vendored in go1.26,
 * x/mod v0.30.1-0.20260813213631-9239cba97fbe). A behaviour change here needs
 * a failing table or differential test first.
 *
 * Semantic versions have a leading "v": vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]],
 * where vMAJOR and vMAJOR.MINOR (with no suffixes) are short for vMAJOR.0.0
 * and vMAJOR.MINOR.0.
 *
 * @module
 */

import { cmpInt } from "./version.ts";

interface Parsed {
  major: string;
  minor: string;
  patch: string;
  short: string;
  prerelease: string;
  build: string;
}

/** isValid reports whether v is a valid semantic version string. */
export function isValid(v: string): boolean {
  return parse(v) !== undefined;
}

/**
 * majorMinor returns the major.minor version prefix of the semantic version
 * v ("v2.1.0" → "v2.1"), or "" if v is invalid.
 */
export function majorMinor(v: string): string {
  const pv = parse(v);
  if (pv === undefined) return "";
  const i = 1 + pv.major.length;
  const j = i + 1 + pv.minor.length;
  if (j <= v.length && v[i] === "." && v.slice(i + 1, j) === pv.minor) return v.slice(0, j);
  return v.slice(0, i) + "." + pv.minor;
}

/**
 * prerelease returns the prerelease suffix of the semantic version v
 * ("v2.1.0-pre+meta" → "-pre"), or "" if v is invalid.
 */
export function prerelease(v: string): string {
  return parse(v)?.prerelease ?? "";
}

/**
 * compare returns -1, 0 or +1 as v < w, v == w or v > w by semantic version
 * precedence. An invalid semantic version is less than a valid one, and all
 * invalid ones compare equal.
 */
export function compare(v: string, w: string): -1 | 0 | 1 {
  const pv = parse(v);
  const pw = parse(w);
  if (pv === undefined && pw === undefined) return 0;
  if (pv === undefined) return -1;
  if (pw === undefined) return 1;
  return cmpInt(pv.major, pw.major) || cmpInt(pv.minor, pw.minor) ||
    cmpInt(pv.patch, pw.patch) || comparePrerelease(pv.prerelease, pw.prerelease);
}

function parse(v: string): Parsed | undefined {
  if (v === "" || v[0] !== "v") return undefined;
  const p: Parsed = { major: "", minor: "", patch: "", short: "", prerelease: "", build: "" };
  let r = parseInt(v.slice(1));
  if (r === undefined) return undefined;
  [p.major, v] = r;
  if (v === "") {
    p.minor = "0";
    p.patch = "0";
    p.short = ".0.0";
    return p;
  }
  if (v[0] !== ".") return undefined;
  r = parseInt(v.slice(1));
  if (r === undefined) return undefined;
  [p.minor, v] = r;
  if (v === "") {
    p.patch = "0";
    p.short = ".0";
    return p;
  }
  if (v[0] !== ".") return undefined;
  r = parseInt(v.slice(1));
  if (r === undefined) return undefined;
  [p.patch, v] = r;
  if (v.length > 0 && v[0] === "-") {
    r = parsePrerelease(v);
    if (r === undefined) return undefined;
    [p.prerelease, v] = r;
  }
  if (v.length > 0 && v[0] === "+") {
    r = parseBuild(v);
    if (r === undefined) return undefined;
    [p.build, v] = r;
  }
  if (v !== "") return undefined;
  return p;
}

// parseInt cuts a decimal number without extra leading zeros off the front
// of v, returning it and the rest.
function parseInt(v: string): [string, string] | undefined {
  if (v === "") return undefined;
  if (v[0] < "0" || "9" < v[0]) return undefined;
  let i = 1;
  while (i < v.length && "0" <= v[i] && v[i] <= "9") i++;
  if (v[0] === "0" && i !== 1) return undefined;
  return [v.slice(0, i), v.slice(i)];
}

function parsePrerelease(v: string): [string, string] | undefined {
  // "A pre-release version MAY be denoted by appending a hyphen and
  // a series of dot separated identifiers immediately following the patch version.
  // Identifiers MUST comprise only ASCII alphanumerics and hyphen [0-9A-Za-z-].
  // Identifiers MUST NOT be empty. Numeric identifiers MUST NOT include leading zeroes."
  if (v === "" || v[0] !== "-") return undefined;
  let i = 1;
  let start = 1;
  while (i < v.length && v[i] !== "+") {
    if (!isIdentChar(v[i]) && v[i] !== ".") return undefined;
    if (v[i] === ".") {
      if (start === i || isBadNum(v.slice(start, i))) return undefined;
      start = i + 1;
    }
    i++;
  }
  if (start === i || isBadNum(v.slice(start, i))) return undefined;
  return [v.slice(0, i), v.slice(i)];
}

function parseBuild(v: string): [string, string] | undefined {
  if (v === "" || v[0] !== "+") return undefined;
  let i = 1;
  let start = 1;
  while (i < v.length) {
    if (!isIdentChar(v[i]) && v[i] !== ".") return undefined;
    if (v[i] === ".") {
      if (start === i) return undefined;
      start = i + 1;
    }
    i++;
  }
  if (start === i) return undefined;
  return [v.slice(0, i), v.slice(i)];
}

function isIdentChar(c: string): boolean {
  return "A" <= c && c <= "Z" || "a" <= c && c <= "z" || "0" <= c && c <= "9" || c === "-";
}

function isBadNum(v: string): boolean {
  let i = 0;
  while (i < v.length && "0" <= v[i] && v[i] <= "9") i++;
  return i === v.length && i > 1 && v[0] === "0";
}

function isNum(v: string): boolean {
  let i = 0;
  while (i < v.length && "0" <= v[i] && v[i] <= "9") i++;
  return i === v.length;
}

function comparePrerelease(x: string, y: string): -1 | 0 | 1 {
  // "When major, minor, and patch are equal, a pre-release version has
  // lower precedence than a normal version.
  // Example: 1.0.0-alpha < 1.0.0.
  // Precedence for two pre-release versions with the same major, minor,
  // and patch version MUST be determined by comparing each dot separated
  // identifier from left to right until a difference is found as follows:
  // identifiers consisting of only digits are compared numerically and
  // identifiers with letters or hyphens are compared lexically in ASCII
  // sort order. Numeric identifiers always have lower precedence than
  // non-numeric identifiers. A larger set of pre-release fields has a
  // higher precedence than a smaller set, if all of the preceding
  // identifiers are equal.
  // Example: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta <
  // 1.0.0-beta < 1.0.0-beta.2 < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0."
  if (x === y) return 0;
  if (x === "") return 1;
  if (y === "") return -1;
  while (x !== "" && y !== "") {
    x = x.slice(1); // skip - or .
    y = y.slice(1); // skip - or .
    let dx: string;
    let dy: string;
    [dx, x] = nextIdent(x);
    [dy, y] = nextIdent(y);
    if (dx !== dy) {
      const ix = isNum(dx);
      const iy = isNum(dy);
      if (ix !== iy) return ix ? -1 : 1;
      if (ix) {
        if (dx.length < dy.length) return -1;
        if (dx.length > dy.length) return 1;
      }
      return dx < dy ? -1 : 1;
    }
  }
  return x === "" ? -1 : 1;
}

function nextIdent(x: string): [string, string] {
  let i = 0;
  while (i < x.length && x[i] !== ".") i++;
  return [x.slice(0, i), x.slice(i)];
}
