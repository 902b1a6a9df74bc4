/**
 * $GTC_HOME and the paths of gtc's own toolchain store (docs/design/acquisition.md):
 *
 * ```
 * $GTC_HOME/toolchains/<source>/<name>/      a GOROOT (bin/go …); source ∈ godl, microsoft
 * $GTC_HOME/toolchains/<source>/<name>.json  metadata
 * $GTC_HOME/bin/<name>                       symlink to ../toolchains/<source>/<name>/bin/go
 * ```
 *
 * Names starting with "." are the store's own temporary files and lock; they
 * are never toolchains.
 *
 * @module
 */

import { join, type PathStyle } from "../_internal/path.ts";

/**
 * gtcHome returns $GTC_HOME: the variable when set and non-empty, else
 * $XDG_DATA_HOME/gtc, else ~/.local/share/gtc; on Windows %LocalAppData%\gtc.
 * It returns undefined when none of the needed variables is set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gtcHome } from "./home.ts";
 * assert.equal(gtcHome({ HOME: "/home/u" }, "linux"), "/home/u/.local/share/gtc");
 * ```
 */
export function gtcHome(env: Record<string, string | undefined>, goos: string): string | undefined {
  const style: PathStyle = goos === "windows" ? "windows" : "posix";
  if (env.GTC_HOME) return env.GTC_HOME;
  if (goos === "windows") {
    return env.LocalAppData ? join(style, env.LocalAppData, "gtc") : undefined;
  }
  if (env.XDG_DATA_HOME) return join(style, env.XDG_DATA_HOME, "gtc");
  return env.HOME ? join(style, env.HOME, ".local", "share", "gtc") : undefined;
}

/** StoreSourceName is a source whose toolchains live in gtc's store. */
export type StoreSourceName = "godl" | "microsoft";

/** storeSources lists the store's source directories. */
export const storeSources: readonly StoreSourceName[] = ["godl", "microsoft"];

/**
 * isToolchainName reports whether name may name a store toolchain: "go1.22.5",
 * "go1.23rc1", "go1.20", "go1.22.5-1", "go1.18.2-1-fips". Anything else —
 * notably names with separators or dots that could leave the store — is refused
 * whatever a listing says.
 */
export function isToolchainName(name: string): boolean {
  return /^go\d+(\.\d+){0,2}((rc|beta)\d+)?(-\d+)?(-[a-z][a-z0-9]*)?$/.test(name);
}

/** StorePaths computes the store's paths under one home. */
export class StorePaths {
  constructor(readonly home: string, readonly style: PathStyle = "posix") {}

  /** toolchains is $GTC_HOME/toolchains. */
  get toolchains(): string {
    return join(this.style, this.home, "toolchains");
  }
  /** bin is $GTC_HOME/bin, the directory to put on PATH. */
  get bin(): string {
    return join(this.style, this.home, "bin");
  }
  /** lock is the file whose flock serializes installs and removals. */
  get lock(): string {
    return join(this.style, this.toolchains, ".lock");
  }
  /** metaLock is the file whose flock serializes writers of metadata files. */
  get metaLock(): string {
    return join(this.style, this.toolchains, ".meta.lock");
  }
  /** sourceDir is $GTC_HOME/toolchains/<source>. */
  sourceDir(source: StoreSourceName): string {
    return join(this.style, this.toolchains, source);
  }
  /** goroot is the toolchain's GOROOT. */
  goroot(source: StoreSourceName, name: string): string {
    return join(this.style, this.sourceDir(source), name);
  }
  /** metadata is the toolchain's <name>.json. */
  metadata(source: StoreSourceName, name: string): string {
    return join(this.style, this.sourceDir(source), name + ".json");
  }
  /** link is $GTC_HOME/bin/<name>. */
  link(name: string): string {
    return join(this.style, this.bin, name);
  }
  /** linkTarget is what link(name) points to, relative to $GTC_HOME/bin so the home can move. */
  linkTarget(source: StoreSourceName, name: string): string {
    const sep = this.style === "windows" ? "\\" : "/";
    return ["..", "toolchains", source, name, "bin", "go"].join(sep);
  }
  /** goExe is the toolchain's bin/go (bin\go.exe on Windows targets). */
  goExe(source: StoreSourceName, name: string, goos: string): string {
    return join(this.style, this.goroot(source, name), "bin", goos === "windows" ? "go.exe" : "go");
  }
}
