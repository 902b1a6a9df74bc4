/**
 * Semantic versions (golang.org/x/mod/semver): "v1.2.3", "v1.2.3-pre+build",
 * with "v1" and "v1.2" as shorthands.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compare, isValid } from "./mod.ts";
 * assert.equal(isValid("v1.2"), true);
 * assert.equal(compare("v1.2.3-pre", "v1.2.3"), -1);
 * ```
 *
 * @module
 */

export {
  build,
  canonical,
  compare,
  isValid,
  major,
  majorMinor,
  prerelease,
  sort,
} from "./semver.ts";
