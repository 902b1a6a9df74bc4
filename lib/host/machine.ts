/**
 * This machine's gtc home: the store of go.dev/dl and Microsoft toolchains,
 * the configured sources, and the state file.
 *
 * @module
 */

import { join } from "../_internal/path.ts";
import type { StateStore } from "../inventory/mod.ts";
import { type Sources, sourcesFromEnv } from "../sources/mod.ts";
import { gtcHome, Store } from "../store/mod.ts";
import { denoFs } from "./fs.ts";
import { denoHttp } from "./http.ts";
import { denoStoreFs } from "./store_fs.ts";

/** home returns $GTC_HOME (default per OS), or throws when no home directory is known. */
export function home(env: Record<string, string | undefined>): string {
  const h = gtcHome(env, Deno.build.os);
  if (h === undefined) throw new Error("cannot find gtc's home: set GTC_HOME or HOME");
  return h;
}

/** hostStore opens gtc's store under $GTC_HOME. */
export function hostStore(env: Record<string, string | undefined>): Store {
  return new Store({
    home: home(env),
    fs: denoStoreFs,
    http: denoHttp,
    style: Deno.build.os === "windows" ? "windows" : "posix",
  });
}

/** hostSources configures go.dev/dl and Microsoft sources from env (mirrors, key file). */
export function hostSources(env: Record<string, string | undefined>): Sources {
  return sourcesFromEnv({ http: denoHttp, env, fs: denoFs });
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

/** dirSize sums the sizes of the regular files under dir (symlinks not followed). */
export function dirSize(dir: string): number {
  let total = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    let entries: Iterable<Deno.DirEntry>;
    try {
      entries = Deno.readDirSync(d);
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory) stack.push(p);
      else if (e.isFile) {
        try {
          total += Deno.lstatSync(p).size;
        } catch {
          // vanished
        }
      }
    }
  }
  return total;
}

/** mtime returns a file's modification time as RFC 3339, or undefined. */
export function mtime(path: string): string | undefined {
  try {
    return Deno.statSync(path).mtime?.toISOString();
  } catch {
    return undefined;
  }
}
