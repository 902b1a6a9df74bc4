/**
 * The toolchain commands as data in, JSON out: what `gtc install`, `gtc
 * remove` and `gtc gc` decide and print with --json, shared by the CLI (in
 * process) and the daemon (over the protocol), so both answer with the same
 * object and fail with the same message.
 *
 * @module
 */

import { fromToolchain, isLang, isValid } from "../gover/mod.ts";
import { denoHost } from "../host/host.ts";
import { hostGoproxyDeps } from "../host/install_deps.ts";
import { listToolchainVersions, resolveQuery } from "../install/mod.ts";
import { gcPlan, type InstalledSource } from "../inventory/mod.ts";
import { dlToGo } from "../module/mod.ts";
import { autoToolchainVersions } from "../toolchain/mod.ts";
import { hostSources } from "../host/machine.ts";
import { goEnvOf, installedToolchains, type InstallSource, removeToolchain } from "./toolchains.ts";

/** OpError is a toolchain command that cannot be done as asked; its message is what gtc prints after "gtc: ". */
export class OpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OpError";
  }
}

/**
 * defaultSource returns where a query's toolchain comes from when no source
 * is named: a pinned Microsoft revision ("go1.22.5-1", "1.22-1") names its
 * source; everything else comes from GOPROXY.
 */
export function defaultSource(query?: string): InstallSource {
  return query !== undefined && /^(go)?1\.\d+(\.\d+)?-\d+$/.test(query) ? "microsoft" : "goproxy";
}

/**
 * toolchainForQuery turns an install query ("1.22", "1.22.5", "go1.22.5",
 * "latest") into a toolchain name. Exact names need no network; "1.N" and
 * "latest" are resolved against the GOPROXY list for this platform.
 */
export async function toolchainForQuery(
  query: string,
  source: InstallSource,
  env: Record<string, string>,
): Promise<string> {
  if (source !== "goproxy") return query.startsWith("go") ? query : "go" + query;
  const v = query.startsWith("go") ? fromToolchain(query) : isValid(query) ? query : "";
  if (query !== "latest" && v !== "" && !isLang(v)) return "go" + v;
  // The whole deps: GOAUTH's credentials come with them.
  const list = await listToolchainVersions(hostGoproxyDeps(goEnvOf(env), denoHost.goos));
  const mine = list.filter((m) => m.endsWith(`.${denoHost.goos}-${denoHost.goarch}`)).map((m) =>
    dlToGo(m) ?? ""
  );
  return resolveQuery(query, mine.filter((x) => x !== ""));
}

/** RemoveResult is what `gtc remove --json` prints. */
export interface RemoveResult {
  removed: { name: string; source: InstalledSource; path: string }[];
}

/**
 * removeNamed removes the one removable toolchain called name (in the module
 * cache or gtc's store; source chooses when it is in several).
 *
 * @throws {OpError} when none or several match.
 */
export async function removeNamed(
  env: Record<string, string>,
  name: string,
  opts: { source?: string } = {},
): Promise<RemoveResult> {
  const list = installedToolchains(env, false).filter((t) => t.name === name && t.removable);
  const matches = opts.source ? list.filter((t) => t.source === opts.source) : list;
  if (matches.length === 0) {
    throw new OpError(`${name}: no removable toolchain of that name (gtc list shows them)`);
  }
  if (matches.length > 1) {
    throw new OpError(
      `${name} is in ${matches.map((t) => t.source).join(" and ")}: choose with --source`,
    );
  }
  const t = matches[0];
  await removeToolchain(env, t);
  return { removed: [{ name, source: t.source, path: t.path }] };
}

/** GcResult is what `gtc gc --json` prints. */
export interface GcResult {
  dryRun: boolean;
  /** Bytes freed (or that would be). */
  bytes: number;
  removed: {
    name: string;
    source: InstalledSource;
    path: string;
    size?: number;
    reason: string;
  }[];
}

/**
 * collectGarbage removes (or with dryRun lists) the toolchains gcPlan picks:
 * not used within days days and selected by no known project.
 *
 * @throws {OpError} for a negative or non-finite days.
 */
export async function collectGarbage(
  env: Record<string, string>,
  opts: { days: number; dryRun?: boolean; now?: Date },
): Promise<GcResult> {
  if (!Number.isFinite(opts.days) || opts.days < 0) {
    throw new OpError(`--days ${opts.days}: want a number of days`);
  }
  const plan = gcPlan(installedToolchains(env, true), {
    days: opts.days,
    now: opts.now ?? new Date(),
  });
  const bytes = plan.reduce((n, c) => n + (c.toolchain.size ?? 0), 0);
  if (!opts.dryRun) { for (const c of plan) await removeToolchain(env, c.toolchain); }
  return {
    dryRun: !!opts.dryRun,
    bytes,
    removed: plan.map((c) => ({
      name: c.toolchain.name,
      source: c.toolchain.source,
      path: c.toolchain.path,
      size: c.toolchain.size,
      reason: c.reason,
    })),
  };
}

/** RemoteList is what `gtc list --remote --json` prints. */
export interface RemoteList {
  source: InstallSource;
  /** Toolchain names for this platform, newest first. */
  toolchains: string[];
}

/**
 * remoteToolchains lists the toolchains source offers for this platform,
 * newest first: from GOPROXY the golang.org/toolchain versions, from godl
 * or microsoft their release lists. Betas and release candidates only with
 * all.
 */
export async function remoteToolchains(
  req: { source?: InstallSource; all?: boolean },
  env: Record<string, string>,
): Promise<RemoteList> {
  const source = req.source ?? "goproxy";
  const { goos, goarch } = denoHost;
  let names: string[];
  if (source === "goproxy") {
    const deps = hostGoproxyDeps(goEnvOf(env), goos);
    const mods = await listToolchainVersions(deps);
    const mine = mods.filter((m) => m.endsWith(`.${goos}-${goarch}`));
    names = autoToolchainVersions(mine, "").map((v) => "go" + v).reverse();
  } else {
    const rel = await hostSources(env)[source].list({
      includeUnstable: req.all,
      platform: { goos, goarch },
    });
    names = rel.map((r) => r.version);
  }
  if (!req.all) names = names.filter((n) => !/(rc|beta)\d*$/.test(fromToolchain(n) || n));
  return { source, toolchains: names };
}
