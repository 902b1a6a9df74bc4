/**
 * Toolchain operations on this machine, shared by the CLI and the daemon:
 * install (module cache or gtc's store), the inventory of what is installed
 * where, and removal. They compose lib/install, lib/inventory, lib/cache and
 * lib/store with the host implementations; no rule lives here.
 *
 * @module
 */

import { resolve } from "../resolve/mod.ts";
import { GoEnv } from "../goenv/mod.ts";
import { denoFs } from "../host/fs.ts";
import { denoWriteFs } from "../host/fs_write.ts";
import { denoHost } from "../host/host.ts";
import { hostGoproxyDeps } from "../host/install_deps.ts";
import { dirSize, hostSources, hostStateStore, hostStore, mtime } from "../host/machine.ts";
import { installFromGoproxy, toolchainPath } from "../install/mod.ts";
import { type Installed, inventory, parseState } from "../inventory/mod.ts";
import { listInstalled, remove as cacheRemove } from "../cache/mod.ts";
import { toolchainModuleVersion } from "../module/mod.ts";
import type { Source } from "../sources/mod.ts";
import { findLocal, pathToolchainNames } from "../toolchain/mod.ts";
import type { Explanation } from "../resolve/mod.ts";

/** Where installToolchain puts a toolchain: goproxy → module cache; godl, microsoft → store. */
export type InstallSource = "goproxy" | "godl" | "microsoft";

const resolveSync = (o: { dir?: string; env: Record<string, string> }) => resolve(denoHost, o);

/** goEnvOf builds the Go settings for env, with the local go's GOROOT from x. */
export function goEnvOf(env: Record<string, string>, x?: Explanation): GoEnv {
  return new GoEnv({
    environ: env,
    fs: denoFs,
    goos: denoHost.goos,
    runtimeGoroot: x?.local?.goroot ?? undefined,
  });
}

/** The outcome of installing one toolchain. */
export interface Installation {
  toolchain: string;
  source: "cache" | "godl" | "microsoft" | "local" | "path";
  /** Its GOROOT (the program, for path). */
  dir: string;
  /** Whether anything was downloaded. */
  downloaded: boolean;
  /** Environment the toolchain must run with (Microsoft: GOTOOLCHAIN=local). */
  env: Record<string, string>;
  /** Things the user must know (weaker integrity basis…). */
  notices: string[];
}

/**
 * installToolchain installs name from source for this machine; the goproxy
 * source goes into the module cache, the others into gtc's store.
 */
export async function installToolchain(
  name: string,
  source: InstallSource,
  env: Record<string, string>,
  opts: { force?: boolean; onProgress?: (bytes: number, total?: number) => void } = {},
): Promise<Installation> {
  const { goos, goarch } = denoHost;
  const progress = opts.onProgress ?? (() => {});
  {
    if (source === "goproxy") {
      const x = resolveSync({ env });
      const r = await installFromGoproxy(hostGoproxyDeps(goEnvOf(env, x), goos), {
        name,
        goos,
        goarch,
        onEvent: (e) => {
          if (e.kind === "progress") progress(e.bytes, e.total);
        },
      });
      return {
        toolchain: name,
        source: "cache",
        dir: r.dir,
        downloaded: r.downloaded,
        env: {},
        notices: [],
      };
    }
    const sources = hostSources(env);
    const src: Source = sources[source];
    const artifact = await src.resolve(name, { goos, goarch });
    const notices: string[] = [];
    const r = await hostStore(env).install(src, artifact, {
      force: opts.force,
      onNotice: (n) => notices.push(n),
      onProgress: (done, total) => progress(done, total),
    });
    return {
      toolchain: r.toolchain.name,
      source,
      dir: r.toolchain.goroot,
      downloaded: !r.alreadyInstalled,
      env: r.toolchain.env,
      notices,
    };
  }
}

/**
 * installedToolchains lists every installed toolchain (see lib/inventory);
 * with projects: false, without the known projects that select each.
 */
export function installedToolchains(
  env: Record<string, string>,
  withSizes: boolean,
  opts: { projects?: boolean } = {},
): Installed[] {
  const x = resolveSync({ env });
  const genv = goEnvOf(env, x);
  const style = denoHost.pathStyle;
  const path = { path: env.PATH ?? "", pathext: env.PATHEXT, style };
  const local = findLocal({ fs: denoFs, path, runner: denoHost.runner, environ: env });
  const gomodcache = genv.lookup("GOMODCACHE").value;
  const cache = gomodcache === ""
    ? []
    : listInstalled(denoWriteFs, gomodcache).filter((c) =>
      c.goos === denoHost.goos && c.goarch === denoHost.goarch
    ).map((c) => ({
      name: c.name,
      dir: c.dir,
      complete: c.complete,
      installedAt: mtime(
        `${gomodcache}/cache/download/golang.org/toolchain/@v/${c.version}.ziphash`,
      ),
    }));
  let store: { name: string; source: "godl" | "microsoft"; goroot: string; lastUsed: string }[] =
    [];
  try {
    store = hostStore(env).list().map((t) => ({
      name: t.name,
      source: t.source,
      goroot: t.goroot,
      lastUsed: t.lastUsed,
    }));
  } catch {
    // No home directory: no store.
  }
  const state = parseState(hostStateStore(env).read());
  const selections: Record<string, string | undefined> = {};
  // Which known projects select each toolchain costs one resolve per project
  // (a big go.mod is a big parse): callers that want only the names skip it.
  for (const dir of opts.projects === false ? [] : Object.keys(state.projects)) {
    if (!denoFs.stat(dir)?.isDirectory) continue;
    selections[dir] = resolveSync({ dir, env }).toolchain ?? undefined;
  }
  const pathNames = pathToolchainNames(denoFs, path);
  return inventory({
    local: local ? { name: local.toolchain, goroot: local.goroot } : undefined,
    path: pathNames.map((n) => ({ name: n, exe: n })),
    cache,
    store,
    used: state.used,
    selections,
    sizeOf: withSizes ? dirSize : undefined,
  });
}

/** removeToolchain removes an installed cache or store toolchain. */
export async function removeToolchain(env: Record<string, string>, t: Installed): Promise<void> {
  if (t.source === "cache") {
    const gomodcache = goEnvOf(env).lookup("GOMODCACHE").value;
    await cacheRemove(denoWriteFs, gomodcache, {
      path: toolchainPath,
      version: toolchainModuleVersion(t.name, denoHost.goos, denoHost.goarch),
    });
  } else if (t.source === "godl" || t.source === "microsoft") {
    await hostStore(env).remove(t.name);
  }
}
