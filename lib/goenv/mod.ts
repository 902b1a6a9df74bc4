/**
 * Go settings as the go command reads them, each with its origin: the
 * process environment, the go env file (GOENV, default per OS), the
 * $GOROOT/go.env file, or a built-in default.
 *
 * @example
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { GoEnv } from "./mod.ts";
 * import { MemFs } from "../_internal/mem_fs.ts";
 * const env = new GoEnv({ environ: { GOTOOLCHAIN: "local", GOENV: "off" }, fs: new MemFs(), goos: "linux" });
 * assertEquals(env.getenv("GOTOOLCHAIN"), "local");
 * ```
 *
 * @module
 */

export { type EnvFileEntry, parseEnvFile } from "./env_file.ts";
export {
  describeOrigin,
  type EnvFileInfo,
  GoEnv,
  type GoEnvInput,
  knownKeys,
  type Origin,
  type Setting,
} from "./layers.ts";
