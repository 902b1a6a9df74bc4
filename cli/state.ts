/**
 * What the CLI records between runs (lib/inventory state): the projects it
 * resolved and the toolchains it ran. Advisory: with no home directory, or a
 * read-only one, nothing is recorded and the command goes on.
 *
 * @module
 */

import type { Explanation } from "../mod.ts";
import { recordProject, recordUse, updateState } from "../lib/inventory/mod.ts";
import { hostStateStore } from "../lib/host/state.ts";

/** rememberProject records the project directory an Explanation consulted. */
export function rememberProject(env: Record<string, string>, x: Explanation): void {
  const file = x.file?.path;
  if (file === undefined) return;
  const dir = file.slice(0, Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")));
  try {
    updateState(hostStateStore(env), (s) => recordProject(s, dir, new Date()));
  } catch {
    // no gtc home
  }
}

/** rememberUse records that gtc ran toolchain name. */
export function rememberUse(env: Record<string, string>, name: string): void {
  try {
    updateState(hostStateStore(env), (s) => recordUse(s, name, new Date()));
  } catch {
    // no gtc home
  }
}
