/**
 * Pseudo-versions, as far as the proxy client needs them: recognising one.
 *
 * A pseudo-version names an untagged commit: vX.0.0-yyyymmddhhmmss-abcdef123456,
 * vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdef123456[+incompatible] or
 * vX.Y.Z-pre.0.yyyymmddhhmmss-abcdef123456[+incompatible].
 *
 * Mirrors golang.org/x/mod/module/pseudo.go (go1.26 vendored copy).
 *
 * @module
 */

import * as semver from "../semver/mod.ts";

const pseudoVersionRE =
  /^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** isPseudoVersion reports whether v is a pseudo-version (module.IsPseudoVersion). */
export function isPseudoVersion(v: string): boolean {
  return v.split("-").length - 1 >= 2 && semver.isValid(v) && pseudoVersionRE.test(v);
}
