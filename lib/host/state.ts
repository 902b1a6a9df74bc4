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
import * as rt from "./runtime.ts";

/** home returns $GTC_HOME (default per OS), or throws when no home directory is known. */
export function home(env: Record<string, string | undefined>): string {
  const h = gtcHome(env, rt.hostOs);
  if (h === undefined) throw new Error("cannot find gtc's home: set GTC_HOME or HOME");
  return h;
}

/** hostStateStore keeps $GTC_HOME/state.json, replaced atomically (write a temp file, rename). */
export function hostStateStore(env: Record<string, string | undefined>): StateStore {
  const dir = home(env);
  const file = join(rt.hostOs === "windows" ? "windows" : "posix", dir, "state.json");
  // Deno's own calls on Deno: node:fs would add its start-up cost here.
  if (!rt.isDeno) {
    const fs = rt.loadedBuiltins().fs;
    return {
      read() {
        try {
          return fs.readFileSync(file, "utf8");
        } catch {
          return undefined;
        }
      },
      write(data) {
        fs.mkdirSync(dir, { recursive: true });
        const tmp = `${file}.${crypto.randomUUID()}.tmp`;
        fs.writeFileSync(tmp, data, { mode: 0o600 });
        fs.renameSync(tmp, file);
      },
    };
  }
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
