/**
 * The toolchains on this machine, wherever they live — the local go, goX.Y.Z
 * programs in PATH, golang.org/toolchain trees in the module cache, and
 * gtc's own store — with their size, last use and the known projects that
 * select them; and the garbage-collection plan over them.
 *
 * Pure: the caller gathers each source (lib/toolchain, lib/cache, lib/store)
 * and passes the lists in.
 *
 * @module
 */

import { compare, fromToolchain } from "../gover/mod.ts";

/** Where an installed toolchain lives. */
export type InstalledSource = "local" | "path" | "cache" | "godl" | "microsoft";

/** One installed toolchain. */
export interface Installed {
  /** The toolchain name: "go1.22.0", "go1.22.5-1". */
  name: string;
  source: InstalledSource;
  /** Its GOROOT (for path: the program). */
  path: string;
  /** Bytes on disk, when measured. */
  size?: number;
  /** Last time gtc ran it, or when it was installed; RFC 3339. */
  lastUsed?: string;
  /** Known project directories whose selection is this toolchain. */
  projects: string[];
  /** Whether gtc may remove it (cache and store entries). */
  removable: boolean;
}

/** The lists gathered from each place. */
export interface InventoryInput {
  local?: { name: string; goroot: string };
  path: { name: string; exe: string }[];
  cache: { name: string; dir: string; complete: boolean; installedAt?: string }[];
  store: { name: string; source: "godl" | "microsoft"; goroot: string; lastUsed: string }[];
  /** Toolchain name → last use recorded by gtc. */
  used: Record<string, string>;
  /** Known project directory → the toolchain it selects now (undefined when it fails). */
  selections: Record<string, string | undefined>;
  /** Measures a directory's size in bytes (omit to skip sizes). */
  sizeOf?: (dir: string) => number;
}

/** inventory lists every installed toolchain, sorted by version then source. */
export function inventory(input: InventoryInput): Installed[] {
  const projectsOf = (name: string) =>
    Object.entries(input.selections).filter(([, t]) => t === name).map(([d]) => d).sort();
  const newest = (...ts: (string | undefined)[]) =>
    ts.filter((t): t is string => t !== undefined).sort().at(-1);
  const out: Installed[] = [];
  const add = (i: Omit<Installed, "projects" | "size">, dir?: string) => {
    const size = dir !== undefined && input.sizeOf ? input.sizeOf(dir) : undefined;
    out.push({ ...i, projects: projectsOf(i.name), ...(size !== undefined ? { size } : {}) });
  };
  if (input.local) {
    add({
      name: input.local.name,
      source: "local",
      path: input.local.goroot,
      lastUsed: input.used[input.local.name],
      removable: false,
    });
  }
  for (const p of input.path) {
    add({
      name: p.name,
      source: "path",
      path: p.exe,
      lastUsed: input.used[p.name],
      removable: false,
    });
  }
  for (const c of input.cache) {
    if (!c.complete) continue;
    add({
      name: c.name,
      source: "cache",
      path: c.dir,
      lastUsed: newest(input.used[c.name], c.installedAt),
      removable: true,
    }, c.dir);
  }
  for (const s of input.store) {
    add({
      name: s.name,
      source: s.source,
      path: s.goroot,
      lastUsed: newest(input.used[s.name], s.lastUsed),
      removable: true,
    }, s.goroot);
  }
  const order: InstalledSource[] = ["local", "path", "cache", "godl", "microsoft"];
  return out.sort((a, b) =>
    compare(fromToolchain(a.name), fromToolchain(b.name)) ||
    order.indexOf(a.source) - order.indexOf(b.source)
  );
}

/** A toolchain gc would remove, and why. */
export interface GcCandidate {
  toolchain: Installed;
  reason: string;
}

/**
 * gcPlan picks the removable toolchains that no known project selects and
 * that were not used within `days` days of now. A toolchain with no known
 * use is kept: gc never removes what it cannot date.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gcPlan } from "./inventory.ts";
 * const old = { name: "go1.20.1", source: "cache" as const, path: "/c", projects: [], removable: true, lastUsed: "2020-01-01T00:00:00Z" };
 * assert.equal(gcPlan([old], { days: 30, now: new Date("2026-01-01") }).length, 1);
 * ```
 */
export function gcPlan(
  list: readonly Installed[],
  opts: { days: number; now: Date },
): GcCandidate[] {
  const cutoff = opts.now.getTime() - opts.days * 86400_000;
  const out: GcCandidate[] = [];
  for (const t of list) {
    if (!t.removable || t.projects.length > 0 || t.lastUsed === undefined) continue;
    const used = Date.parse(t.lastUsed);
    if (!(used < cutoff)) continue;
    out.push({
      toolchain: t,
      reason: `not used since ${t.lastUsed.slice(0, 10)} and no known project selects it`,
    });
  }
  return out;
}
