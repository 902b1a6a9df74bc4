/**
 * Microsoft build of Go version strings: `major.minor[.patch][pre][-revision][-note]`.
 *
 * Mirrors microsoft/go-infra goversion.New and its formatting methods
 * (go-infra a1dc93df). Defaults: minor "0", patch "0", revision "1"; the
 * note is the dash part that is not an integer ("fips" in "1.18.2-1-fips").
 * Fields stay strings, as in Go.
 *
 * @module
 */

/** MsVersion is a parsed Microsoft build of Go version (goversion.GoVersion). */
export interface MsVersion {
  /** The input, without defaults filled in. */
  original: string;
  major: string;
  minor: string;
  patch: string;
  revision: string;
  /** Non-integer dash part, e.g. "fips"; "" when absent. */
  note: string;
  /** "rc1", "beta2", …; "" for a release. */
  prerelease: string;
}

// isInt mirrors strconv.Atoi succeeding: an optional sign and decimal digits.
function isInt(s: string): boolean {
  return /^[+-]?\d+$/.test(s);
}

// extractPrerelease splits the first non-digit run off a version part.
function extractPrerelease(part: string): [string, string] {
  for (let i = 0; i < part.length; i++) {
    if (!isInt(part[i])) return [part.slice(0, i), part.slice(i)];
  }
  return [part, ""];
}

/**
 * newMsVersion parses v (no "go" prefix) as goversion.New does: it never
 * fails, filling blanks with defaults. Use isMsVersion to validate first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { msFull, newMsVersion } from "./ms_version.ts";
 * assert.equal(msFull(newMsVersion("1.22")), "1.22.0-1");
 * assert.equal(msFull(newMsVersion("1.18.2-fips")), "1.18.2-1-fips");
 * ```
 */
export function newMsVersion(v: string): MsVersion {
  const dashParts = v.split("-");
  const majorMinorPatch = dashParts[0];
  let revision = "1";
  let note = "";
  if (dashParts.length > 1) {
    let noteBegin = 1;
    if (isInt(dashParts[1])) {
      revision = dashParts[1];
      noteBegin = 2;
    }
    note = dashParts.slice(noteBegin).join("-");
  }
  const dotParts = majorMinorPatch.split(".");
  let major = dotParts[0];
  let minor = dotParts.length > 1 ? dotParts[1] : "0";
  let patch = dotParts.length > 2 ? dotParts[2] : "0";
  // Go's extractPrerelease overwrites prerelease for each part that has one; the last wins.
  let prerelease = "";
  let p: string;
  [major, p] = extractPrerelease(major);
  if (p !== "") prerelease = p;
  [minor, p] = extractPrerelease(minor);
  if (p !== "") prerelease = p;
  [patch, p] = extractPrerelease(patch);
  if (p !== "") prerelease = p;
  return { original: v, major, minor, patch, revision, note, prerelease };
}

/** msMajorMinor returns "1.22" (MajorMinor). */
export function msMajorMinor(v: MsVersion): string {
  return `${v.major}.${v.minor}`;
}

/** msMajorMinorPatch returns "1.22.5" (MajorMinorPatch). */
export function msMajorMinorPatch(v: MsVersion): string {
  return `${msMajorMinor(v)}.${v.patch}`;
}

/** msFull returns the normalized "1.22.5-1" or "1.22.5rc1-1-fips" (Full). */
export function msFull(v: MsVersion): string {
  return `${msMajorMinorPatch(v)}${v.prerelease}-${v.revision}${v.note === "" ? "" : "-" + v.note}`;
}

/**
 * msUpstream returns the upstream Go toolchain name the build reports, as
 * UpstreamFormatGitTag does: "go1.22.5", and for Go before 1.21 without zero
 * parts ("go1.20" for 1.20.0). Unlike UpstreamFormatGitTag, a prerelease
 * keeps Go's spelling: "go1.23rc1", not "go1.23.0rc1".
 */
export function msUpstream(v: MsVersion): string {
  if (v.prerelease !== "" && v.patch === "0") return `go${v.major}.${v.minor}${v.prerelease}`;
  let omitZeros = false;
  if (v.major === "1" && /^\d+$/.test(v.minor)) omitZeros = Number(v.minor) < 21;
  let n: string;
  if (omitZeros) {
    n = v.major;
    if (v.patch !== "0" || v.minor !== "0") n += "." + v.minor;
    if (v.patch !== "0") n += "." + v.patch;
  } else {
    n = `${v.major}.${v.minor}.${v.patch}`;
  }
  return "go" + n + v.prerelease;
}

/** Granularity says how much of a build a version string pins. */
export type Granularity =
  /** "1.22": the newest build of the 1.22 line (aka.ms floating link). */
  | "minor"
  /** "1.22.5": the newest revision of 1.22.5. */
  | "patch"
  /** "1.22.5-1": exactly one build. */
  | "pinned";

/**
 * parseMsQuery validates a user's query for the Microsoft source ("go" prefix
 * optional) and reports its granularity, or undefined when it is not a
 * version aka.ms publishes links for: `N.N`, `N.N.N`, `N.N.N-R`, each with an
 * optional prerelease after the last number part ("1.23rc1") and an optional
 * note ("-fips").
 */
export function parseMsQuery(
  query: string,
): { version: MsVersion; granularity: Granularity } | undefined {
  const q = query.startsWith("go") ? query.slice(2) : query;
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?((?:rc|beta)\d+)?(?:-(\d+))?(?:-([a-z][a-z0-9]*))?$/.exec(q);
  if (m === null) return undefined;
  const [, , , patch, , revision] = m;
  if (revision !== undefined && patch === undefined) return undefined;
  const granularity: Granularity = revision !== undefined
    ? "pinned"
    : patch !== undefined
    ? "patch"
    : "minor";
  return { version: newMsVersion(q), granularity };
}
