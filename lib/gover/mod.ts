/**
 * Go versions and toolchain names, as the go command reads them.
 *
 * A version has no "go" prefix: "1.21" (a language version), "1.21rc1" (a
 * prerelease), "1.21.0" (a release). A toolchain name has it, and may carry a
 * suffix after a space, tab or '-': "go1.21.0", "go1.21.0-bigcorp",
 * "go1.500 (bigcorp)".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compare, fromToolchain } from "./mod.ts";
 * assert.equal(compare(fromToolchain("go1.22.0-bigcorp"), "1.21.5"), 1);
 * ```
 *
 * @module
 */

export {
  cmpInt,
  compare,
  decInt,
  isLang,
  isPrerelease,
  isValid,
  lang,
  max,
  parse,
  prev,
  type Version,
} from "./version.ts";
export {
  fromToolchain,
  isToolchain,
  modCompare,
  modIsPrefix,
  modIsPrerelease,
  modIsValid,
  modMajorMinor,
  modSort,
} from "./toolchain.ts";
export { goCompare, goIsValid, goLang } from "./go_version.ts";
