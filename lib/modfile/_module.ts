/**
 * The parts of golang.org/x/mod/semver and x/mod/module that the strict
 * go.mod parser needs to check require, exclude and replace versions:
 * CanonicalVersion, SplitPathVersion and CheckPathMajor (x/mod as vendored in
 * go1.26). Messages are module.InvalidVersionError's.
 *
 * @module
 */

import { goQuote } from "../_internal/go_quote.ts";

interface Parsed {
  major: string;
  short: string;
  build: string;
}

// parseSemver mirrors semver.parse, keeping only what Canonical, Major and
// Build need.
function parseSemver(v: string): Parsed | undefined {
  if (v === "" || v[0] !== "v") return;
  const p: Parsed = { major: "", short: "", build: "" };
  let r = parseInt(v.slice(1));
  if (!r) return;
  p.major = r[0];
  v = r[1];
  if (v === "") {
    p.short = ".0.0";
    return p;
  }
  if (v[0] !== ".") return;
  r = parseInt(v.slice(1));
  if (!r) return;
  v = r[1];
  if (v === "") {
    p.short = ".0";
    return p;
  }
  if (v[0] !== ".") return;
  r = parseInt(v.slice(1));
  if (!r) return;
  v = r[1];
  if (v.length > 0 && v[0] === "-") {
    r = parseIdents(v, true);
    if (!r) return;
    v = r[1];
  }
  if (v.length > 0 && v[0] === "+") {
    r = parseIdents(v, false);
    if (!r) return;
    p.build = r[0];
    v = r[1];
  }
  return v === "" ? p : undefined;
}

// parseInt reads a decimal number without leading zeros.
function parseInt(v: string): [string, string] | undefined {
  const m = /^[0-9]+/.exec(v);
  if (!m || (m[0][0] === "0" && m[0].length !== 1)) return;
  return [m[0], v.slice(m[0].length)];
}

// parseIdents reads a prerelease ("-" ..., numbers without leading zeros,
// ending at "+") or a build suffix ("+" ...): dot-separated non-empty
// [0-9A-Za-z-] identifiers.
function parseIdents(v: string, pre: boolean): [string, string] | undefined {
  let i = 1;
  let start = 1;
  const bad = (s: string) => pre && /^[0-9]+$/.test(s) && s.length > 1 && s[0] === "0";
  while (i < v.length && !(pre && v[i] === "+")) {
    if (!/[0-9A-Za-z.-]/.test(v[i])) return;
    if (v[i] === ".") {
      if (start === i || bad(v.slice(start, i))) return;
      start = i + 1;
    }
    i++;
  }
  if (start === i || bad(v.slice(start, i))) return;
  return [v.slice(0, i), v.slice(i)];
}

/**
 * canonicalVersion mirrors module.CanonicalVersion: the canonical form of a
 * semantic version ("v1.2" → "v1.2.0", build metadata dropped but
 * "+incompatible" kept), or "" when v is not one.
 */
export function canonicalVersion(v: string): string {
  const p = parseSemver(v);
  if (!p) return "";
  let cv = v;
  if (p.build !== "") cv = v.slice(0, v.length - p.build.length);
  else if (p.short !== "") cv = v + p.short;
  if (p.build === "+incompatible") cv += "+incompatible";
  return cv;
}

function major(v: string): string {
  const p = parseSemver(v);
  return p ? v.slice(0, 1 + p.major.length) : "";
}

function build(v: string): string {
  return parseSemver(v)?.build ?? "";
}

/**
 * splitPathVersion mirrors module.SplitPathVersion: the path without its
 * major-version suffix ("/v2", or ".v1" for gopkg.in), the suffix, and whether
 * the path is well formed in this respect.
 */
export function splitPathVersion(path: string): [string, string, boolean] {
  if (path.startsWith("gopkg.in/")) return splitGopkgIn(path);
  let i = path.length;
  let dot = false;
  while (i > 0 && /[0-9.]/.test(path[i - 1])) {
    if (path[i - 1] === ".") dot = true;
    i--;
  }
  if (i <= 1 || i === path.length || path[i - 1] !== "v" || path[i - 2] !== "/") {
    return [path, "", true];
  }
  const prefix = path.slice(0, i - 2);
  const pathMajor = path.slice(i - 2);
  if (dot || pathMajor.length <= 2 || pathMajor[2] === "0" || pathMajor === "/v1") {
    return [path, "", false];
  }
  return [prefix, pathMajor, true];
}

function splitGopkgIn(path: string): [string, string, boolean] {
  let i = path.length;
  if (path.endsWith("-unstable")) i -= "-unstable".length;
  while (i > 0 && /[0-9]/.test(path[i - 1])) i--;
  if (i <= 1 || path[i - 1] !== "v" || path[i - 2] !== ".") {
    // All gopkg.in paths must end in vN for some N.
    return [path, "", false];
  }
  const prefix = path.slice(0, i - 2);
  const pathMajor = path.slice(i - 2);
  if (pathMajor.length <= 2 || (pathMajor[2] === "0" && pathMajor !== ".v0")) {
    return [path, "", false];
  }
  return [prefix, pathMajor, true];
}

/**
 * checkPathMajor mirrors module.CheckPathMajor: undefined when the version
 * v suits the path's major-version suffix, else the error text.
 */
export function checkPathMajor(v: string, pathMajor: string): string | undefined {
  if (pathMajor.startsWith(".v") && pathMajor.endsWith("-unstable")) {
    pathMajor = pathMajor.slice(0, -"-unstable".length);
  }
  if (v.startsWith("v0.0.0-") && pathMajor === ".v1") {
    // An old bug made v0.0.0- pseudo-versions for gopkg.in .v1 paths.
    return;
  }
  const m = major(v);
  if (pathMajor === "") {
    if (m === "v0" || m === "v1" || build(v) === "+incompatible") return;
    pathMajor = "v0 or v1";
  } else if (pathMajor[0] === "/" || pathMajor[0] === ".") {
    if (m === pathMajor.slice(1)) return;
    pathMajor = pathMajor.slice(1);
  }
  return invalidVersion(v, `should be ${pathMajor}, not ${major(v)}`);
}

/** invalidVersion is module.InvalidVersionError's text. */
export function invalidVersion(v: string, err: string): string {
  return `version ${goQuote(v)} invalid: ${err}`;
}
