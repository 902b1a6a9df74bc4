/**
 * Semantic versions as golang.org/x/mod/semver reads them: isValid,
 * canonical, major, majorMinor, prerelease, build, compare and sort.
 *
 * Mirrors golang.org/x/mod/semver/semver.go as vendored in go1.26; used by
 * lib/module (module versions) and lib/gover (ModCompare for real modules).
 * A behaviour change here needs a failing table test first.
 *
 * Semantic versions have a leading "v": vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]],
 * where vMAJOR and vMAJOR.MINOR (with no suffixes) are short for vMAJOR.0.0
 * and vMAJOR.MINOR.0.
 *
 * @module
 */

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
 * canonical returns the canonical formatting of the semantic version v: it
 * fills in any missing .MINOR or .PATCH and discards build metadata. The
 * canonical invalid semantic version is "".
 */
export function canonical(v: string): string {
  const p = parse(v);
  if (p === undefined) return "";
  if (p.build !== "") return v.slice(0, v.length - p.build.length);
  if (p.short !== "") return v + p.short;
  return v;
}

/** major returns the major version prefix of v ("v2.1.0" → "v2"), or "" if v is invalid. */
export function major(v: string): string {
  const p = parse(v);
  if (p === undefined) return "";
  return v.slice(0, 1 + p.major.length);
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

/** prerelease returns the prerelease suffix of v ("v2.1.0-pre+meta" → "-pre"), or "". */
export function prerelease(v: string): string {
  return parse(v)?.prerelease ?? "";
}

/** build returns the build suffix of v ("v2.1.0+meta" → "+meta"), or "". */
export function build(v: string): string {
  return parse(v)?.build ?? "";
}

/**
 * compare returns -1, 0 or +1 as v < w, v == w or v > w by semantic version
 * precedence. An invalid version is less than a valid one; all invalid
 * versions compare equal.
 */
export function compare(v: string, w: string): -1 | 0 | 1 {
  const pv = parse(v);
  const pw = parse(w);
  if (pv === undefined && pw === undefined) return 0;
  if (pv === undefined) return -1;
  if (pw === undefined) return 1;
  return compareInt(pv.major, pw.major) || compareInt(pv.minor, pw.minor) ||
    compareInt(pv.patch, pw.patch) || comparePrerelease(pv.prerelease, pw.prerelease);
}

/**
 * sort sorts list in place by compare, breaking ties by string order
 * (semver.Sort), and returns it.
 */
export function sort(list: string[]): string[] {
  return list.sort((a, b) => compare(a, b) || (a < b ? -1 : a > b ? 1 : 0));
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

function parseInt(v: string): [string, string] | undefined {
  if (v === "") return undefined;
  if (v[0] < "0" || "9" < v[0]) return undefined;
  let i = 1;
  while (i < v.length && "0" <= v[i] && v[i] <= "9") i++;
  if (v[0] === "0" && i !== 1) return undefined;
  return [v.slice(0, i), v.slice(i)];
}

function parsePrerelease(v: string): [string, string] | undefined {
  // "Identifiers MUST comprise only ASCII alphanumerics and hyphen [0-9A-Za-z-].
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

function compareInt(x: string, y: string): -1 | 0 | 1 {
  if (x === y) return 0;
  if (x.length < y.length) return -1;
  if (x.length > y.length) return 1;
  return x < y ? -1 : 1;
}

function comparePrerelease(x: string, y: string): -1 | 0 | 1 {
  // "When major, minor, and patch are equal, a pre-release version has lower
  // precedence than a normal version. [...] identifiers consisting of only
  // digits are compared numerically and identifiers with letters or hyphens
  // are compared lexically in ASCII sort order. Numeric identifiers always
  // have lower precedence than non-numeric identifiers. A larger set of
  // pre-release fields has a higher precedence than a smaller set, if all of
  // the preceding identifiers are equal."
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
