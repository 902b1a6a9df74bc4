/**
 * gtc's state file on this machine ($GTC_HOME/state.json), kept apart from
 * the store so that recording a project costs no heavy imports on the
 * prompt and `gtc why` paths.
 *
 * @module
 */

import { join } from "../_internal/path.ts";
import type { StateStore } from "../inventory/mod.ts";
import { gtcHome } from "../store/home.ts";

/** home returns $GTC_HOME (default per OS), or throws when no home directory is known. */
export function home(env: Record<string, string | undefined>): string {
  const h = gtcHome(env, Deno.build.os);
  if (h === undefined) throw new Error("cannot find gtc's home: set GTC_HOME or HOME");
  return h;
}

/** hostStateStore keeps $GTC_HOME/state.json, replaced atomically (write a temp file, rename). */
export function hostStateStore(env: Record<string, string | undefined>): StateStore {
  const dir = home(env);
  const file = join(Deno.build.os === "windows" ? "windows" : "posix", dir, "state.json");
  return {
    read() {
      try {
        return Deno.readTextFileSync(file);
      } catch {
        return undefined;
      }
    },
    write(data) {
      Deno.mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${crypto.randomUUID()}.tmp`;
      Deno.writeTextFileSync(tmp, data, { mode: 0o600 });
      Deno.renameSync(tmp, file);
    },
  };
}
