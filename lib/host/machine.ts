/**
 * This machine's gtc home: the store of go.dev/dl and Microsoft toolchains,
 * the configured sources, and the state file.
 *
 * @module
 */

import { hostOs } from "./runtime.ts";
import { type Sources, sourcesFromEnv } from "../sources/mod.ts";
import { Store } from "../store/mod.ts";
import { denoFs } from "./fs.ts";
import { denoHttp } from "./http.ts";
import { home } from "./state.ts";
import { denoStoreFs } from "./store_fs.ts";

export { home, hostStateStore } from "./state.ts";

/** hostStore opens gtc's store under $GTC_HOME. */
export function hostStore(env: Record<string, string | undefined>): Store {
  return new Store({
    home: home(env),
    fs: denoStoreFs,
    http: denoHttp,
    style: hostOs === "windows" ? "windows" : "posix",
  });
}

/** hostSources configures go.dev/dl and Microsoft sources from env (mirrors, key file). */
export function hostSources(env: Record<string, string | undefined>): Sources {
  return sourcesFromEnv({ http: denoHttp, env, fs: denoFs });
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
