/**
 * `gtc ci`: the environment a CI step needs to run the toolchain the go
 * command selects (GOROOT, PATH with its bin first, GOTOOLCHAIN), and the
 * formats it is printed in: plain `KEY=value`, shell exports, JSON, and
 * GitHub Actions' $GITHUB_ENV / $GITHUB_PATH files.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ciEnv, formatPlain, githubEnvLines } from "./mod.ts";
 * const x = { dir: "/m", toolchain: "go1.22.3", version: "1.22.3", source: "path" } as const;
 * const ci = ciEnv(x, { goroot: "/sdk/go1.22.3", microsoft: false, path: "/bin", style: "posix" });
 * assert.equal(
 *   formatPlain(ci),
 *   "GOROOT=/sdk/go1.22.3\nPATH=/sdk/go1.22.3/bin:/bin\nGOTOOLCHAIN=go1.22.3\n",
 * );
 * assert.equal(githubEnvLines([["GOTOOLCHAIN", ci.env.GOTOOLCHAIN]]), "GOTOOLCHAIN=go1.22.3\n");
 * ```
 *
 * @module
 */

export {
  type CiEnv,
  ciEnv,
  type CiEnvInput,
  ciKeys,
  findGoroot,
  type GorootInput,
  type GorootResult,
  isMicrosoftGoroot,
  prependPath,
} from "./env.ts";
export {
  cacheVars,
  formatJson,
  formatPlain,
  formatShell,
  githubCacheOutputs,
  githubEnvLines,
  githubOutputs,
  githubPathLines,
  githubSummary,
  shellQuote,
} from "./format.ts";
export {
  type CacheSettings,
  type CiCache,
  ciCache,
  type CiCacheInput,
  goCacheDir,
  goModCacheDir,
  sumFiles,
  sumHash,
  userCacheDir,
} from "./cache.ts";
