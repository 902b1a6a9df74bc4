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
  const f = textFiles();
  return {
    read() {
      try {
        return f.read(file);
      } catch {
        return undefined;
      }
    },
    write(data) {
      f.mkdirAll(dir);
      const tmp = `${file}.${crypto.randomUUID()}.tmp`;
      f.write(tmp, data);
      f.rename(tmp, file);
    },
  };
}

// The four file calls the state file needs: Deno's own on Deno (node:fs
// would add its start-up cost to the prompt path), node:fs on Node.
function textFiles(): {
  read(path: string): string;
  mkdirAll(dir: string): void;
  write(path: string, data: string): void;
  rename(from: string, to: string): void;
} {
  if (rt.isDeno) {
    return {
      read: (p) => Deno.readTextFileSync(p),
      mkdirAll: (d) => Deno.mkdirSync(d, { recursive: true }),
      write: (p, data) => Deno.writeTextFileSync(p, data, { mode: 0o600 }),
      rename: (a, b) => Deno.renameSync(a, b),
    };
  }
  const fs = rt.loadedBuiltins().fs;
  return {
    read: (p) => fs.readFileSync(p, "utf8"),
    mkdirAll: (d) => void fs.mkdirSync(d, { recursive: true }),
    write: (p, data) => fs.writeFileSync(p, data, { mode: 0o600 }),
    rename: (a, b) => fs.renameSync(a, b),
  };
}
