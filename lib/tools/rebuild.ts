/**
 * Reinstalling tools with the toolchain selected here: the environment the
 * selected toolchain runs with (as `gtc exec` gives it) and the `go install
 * path@version` commands.
 *
 * @module
 */

import type { Explanation } from "../resolve/mod.ts";
import type { Tool } from "./tools.ts";

/**
 * selectedEnv is the environment the go command gives a toolchain it
 * switches to: environ with Explanation.childEnv applied (null unsets). The
 * Microsoft build of Go exits unless GOTOOLCHAIN is local, and would not
 * recognise the switch variables' target name (go1.22.5-1 vs go1.22.5), so it
 * gets GOTOOLCHAIN=local and no switch variables.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectedEnv } from "./rebuild.ts";
 * const x = { childEnv: { GOROOT: null, GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "1" }, microsoft: false };
 * assert.deepEqual(selectedEnv(x, { GOROOT: "/g", HOME: "/h" }), {
 *   HOME: "/h",
 *   GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "1",
 * });
 * ```
 */
export function selectedEnv(
  x: Pick<Explanation, "childEnv" | "microsoft">,
  environ: Readonly<Record<string, string>>,
): Record<string, string> {
  const env = { ...environ };
  for (const [k, v] of Object.entries(x.childEnv ?? {})) {
    if (v === null) delete env[k];
    else env[k] = v;
  }
  if (x.microsoft) {
    env.GOTOOLCHAIN = "local";
    delete env.GOTOOLCHAIN_INTERNAL_SWITCH_VERSION;
    delete env.GOTOOLCHAIN_INTERNAL_SWITCH_COUNT;
  }
  return env;
}

/** One `go install` to run. */
export interface Reinstall {
  tool: Tool;
  /** Arguments after the go program: ["install", "path@version"]. */
  args: string[];
  /** Variables set for this install on top of the selected environment (GOOS/GOARCH of a cross-built tool). */
  env: Record<string, string>;
}

/**
 * rebuildPlan picks the tools to reinstall — those named, else the flagged
 * ones — and the `go install path@version` for each. A tool built for
 * another GOOS/GOARCH is rebuilt for that target again. Tools that cannot be
 * reinstalled by path@version are returned in skipped with the reason.
 */
export function rebuildPlan(
  tools: readonly Tool[],
  names: readonly string[],
  host: { goos: string; goarch: string },
): { plan: Reinstall[]; skipped: Tool[]; unknown: string[] } {
  const picked = names.length > 0
    ? tools.filter((t) => names.includes(t.name))
    : tools.filter((t) => t.flags.length > 0);
  const unknown = names.filter((n) => !tools.some((t) => t.name === n));
  const plan: Reinstall[] = [];
  const skipped: Tool[] = [];
  for (const t of picked) {
    if (t.install === null) {
      skipped.push(t);
      continue;
    }
    const env: Record<string, string> = {};
    if (t.goos !== "" && t.goos !== host.goos) env.GOOS = t.goos;
    if (t.goarch !== "" && t.goarch !== host.goarch) env.GOARCH = t.goarch;
    plan.push({ tool: t, args: ["install", t.install], env });
  }
  return { plan, skipped, unknown };
}
