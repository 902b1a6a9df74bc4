/**
 * `gtc tools`: the programs in GOBIN with the module and Go version that
 * built each (read as `go version -m` reads them), which ones the toolchain
 * selected here should rebuild, and how.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describe } from "./mod.ts";
 * const bi = {
 *   GoVersion: "go1.21.3",
 *   Path: "golang.org/x/tools/gopls",
 *   Main: { Path: "golang.org/x/tools/gopls", Version: "v0.14.2", Sum: "" },
 *   Deps: [],
 *   Settings: [],
 * };
 * const t = describe("gopls", "/b/gopls", bi, "1.26.8", new Set(["1.26.8"]));
 * assert.deepEqual(t.flags, ["older", "not-installed"]);
 * assert.equal(t.install, "golang.org/x/tools/gopls@v0.14.2");
 * ```
 *
 * @module
 */

export {
  describe,
  describeFlags,
  type Flag,
  type GobinDir,
  gobinDir,
  type GoSettings,
  listTools,
  type Tool,
  type ToolsInput,
} from "./tools.ts";
export { rebuildPlan, type Reinstall, selectedEnv } from "./rebuild.ts";
