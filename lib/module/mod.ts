/**
 * Module paths and versions (golang.org/x/mod/module): which paths are
 * valid, the major-version suffix rules, GOPRIVATE-style prefix patterns, the
 * case-encoding used in proxy URLs and the module cache, and the names of
 * golang.org/toolchain versions.
 *
 * A module path is slash-separated elements whose first is a lower-case
 * domain with a dot ("golang.org/toolchain", "github.com/Azure/x/v2"). A
 * version is a semantic version with a leading "v". The escaped form writes
 * each upper-case letter as "!" and its lower case, so that case-insensitive
 * file systems and URLs keep distinct paths apart:
 * "github.com/Azure/x" → "github.com/!azure/x".
 *
 * @example Escaping a module path for a proxy URL
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapePath, escapeVersion, toolchainModule, toolchainModuleVersion } from "./mod.ts";
 *
 * assert.equal(escapePath("github.com/GoogleCloudPlatform/omega"), "github.com/!google!cloud!platform/omega");
 * const v = toolchainModuleVersion("go1.21.3", "linux", "amd64");
 * assert.equal(`${escapePath(toolchainModule)}/@v/${escapeVersion(v)}.zip`, "golang.org/toolchain/@v/v0.0.1-go1.21.3.linux-amd64.zip");
 * ```
 *
 * @example Checking zip file names and matching GOPRIVATE
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkFilePath, matchPrefixPatterns } from "./mod.ts";
 *
 * assert.equal(checkFilePath("go/src/cmd/go.mod"), undefined);
 * assert.equal(checkFilePath("go/bin/a:b"), `malformed file path "go/bin/a:b": invalid char ':'`);
 * assert.ok(matchPrefixPatterns("*.corp.example.com,golang.org/*", "golang.org/toolchain"));
 * ```
 *
 * @module
 */

export {
  canonicalVersion,
  check,
  checkFilePath,
  checkImportPath,
  checkPath,
  checkPathMajor,
  escapePath,
  escapeVersion,
  matchPathMajor,
  matchPrefixPatterns,
  splitPathVersion,
  unescapePath,
  unescapeVersion,
} from "./module.ts";
export { InvalidPathError, InvalidVersionError, ModuleError, versionError } from "./errors.ts";
export { isPseudoVersion } from "./pseudo.ts";
export {
  dlToGo,
  toolchainModule,
  toolchainModuleVersion,
  toolchainModuleVersionPrefix,
} from "./toolchain.ts";
export {
  canonical as semverCanonical,
  compare as semverCompare,
  isValid as semverIsValid,
  sort as semverSort,
} from "../semver/mod.ts";
