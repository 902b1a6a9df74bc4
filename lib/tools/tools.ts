/**
 * `gtc tools`: the programs `go install` put in GOBIN (or the first GOPATH
 * entry's bin), with the module path@version and Go version each was built
 * from, read from the binary as `go version -m` reads it; and which of them
 * the toolchain selected here should rebuild.
 *
 * @module
 */

import type { ReadFs } from "../_internal/sys.ts";
import { isAbs, join, type PathStyle, splitList } from "../_internal/path.ts";
import { type BuildInfo, readBuildInfo, type ReaderAt } from "../buildinfo/mod.ts";
import { compare, fromToolchain } from "../gover/mod.ts";
import * as semver from "../semver/mod.ts";

/** The go settings gobinDir reads (a GoEnv fits). */
export interface GoSettings {
  /** The effective value, with the go command's defaults (GOPATH → $HOME/go). */
  lookup(key: string): { value: string };
}

/** Where `go install` puts programs, and why. */
export interface GobinDir {
  /** The directory; "" when the go command has none. */
  dir: string;
  /** "GOBIN" or "first GOPATH entry + /bin". */
  origin: string;
  /** Why there is none, or why the go command refuses it. */
  error?: string;
}

/**
 * gobinDir is where `go install` writes programs in module mode
 * (modload.BinDir): $GOBIN, else the first GOPATH entry's bin directory.
 * The go command refuses a relative GOBIN.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gobinDir } from "./tools.ts";
 * const env = (m: Record<string, string>) => ({ lookup: (k: string) => ({ value: m[k] ?? "" }) });
 * assert.equal(gobinDir(env({ GOPATH: "/p1:/p2" }), "posix").dir, "/p1/bin");
 * assert.equal(gobinDir(env({ GOBIN: "/b", GOPATH: "/p" }), "posix").dir, "/b");
 * ```
 */
export function gobinDir(env: GoSettings, style: PathStyle): GobinDir {
  const gobin = env.lookup("GOBIN").value;
  if (gobin !== "") {
    if (!isAbs(gobin, style)) {
      return { dir: gobin, origin: "GOBIN", error: "GOBIN must be an absolute path" };
    }
    return { dir: gobin, origin: "GOBIN" };
  }
  const first = splitList(env.lookup("GOPATH").value, style)[0] ?? "";
  if (first === "") {
    return { dir: "", origin: "GOPATH", error: "GOPATH is not set (and no GOBIN)" };
  }
  return { dir: join(style, first, "bin"), origin: "first GOPATH entry + /bin" };
}

/** Why a tool is flagged. */
export type Flag = "older" | "not-installed";

/** One program found in GOBIN. */
export interface Tool {
  /** Its file name relative to GOBIN ("gopls", "linux_arm64/gopls"). */
  name: string;
  /** The absolute path. */
  file: string;
  /** The Go version that built it, as the binary says ("go1.22.3", "go1.22.3 X:…"). */
  goVersion: string;
  /** The main package path ("golang.org/x/tools/gopls"); "" when unknown. */
  path: string;
  /** The main module and its version ("(devel)" for a local build); null outside module mode. */
  module: { path: string; version: string } | null;
  /** GOOS/GOARCH it was built for, from its build settings ("" when absent). */
  goos: string;
  goarch: string;
  /** Why it should be rebuilt: built by an older Go than the one selected, or by one not installed. */
  flags: Flag[];
  /** `go install` argument that rebuilds it (path@version), or null. */
  install: string | null;
  /** Why it cannot be reinstalled with path@version, when install is null. */
  noInstall?: string;
}

/** What listTools needs. */
export interface ToolsInput {
  fs: ReadFs;
  /** Opens a file for reading at offsets. */
  open(path: string): ReaderAt & { close(): void };
  style: PathStyle;
  /** The directory to list (gobinDir). */
  dir: string;
  /** The Go version selected here ("1.26.8"), or "" when none is. */
  selected: string;
  /** The toolchain names installed on this machine (inventory). */
  installed: readonly string[];
}

/**
 * listTools lists the Go programs in input.dir and its subdirectories (as
 * `go version dir` walks it: regular files and symlinks to regular files,
 * lexical order; files that are not Go programs are skipped, as go version
 * skips them) and flags those to rebuild.
 */
export function listTools(input: ToolsInput): Tool[] {
  const out: Tool[] = [];
  const installed = new Set(input.installed.map(fromToolchain).filter((v) => v !== ""));
  const walk = (dir: string, rel: string) => {
    let names: string[];
    try {
      names = input.fs.readDir(dir).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const file = join(input.style, dir, n);
      const name = rel === "" ? n : `${rel}/${n}`;
      const l = input.fs.lstat(file);
      if (l === undefined) continue;
      if (l.isDirectory) {
        walk(file, name);
        continue;
      }
      if (!l.isFile && !(l.isSymlink && input.fs.stat(file)?.isFile)) continue;
      const bi = readTool(input, file);
      if (bi !== undefined) out.push(describe(name, file, bi, input.selected, installed));
    }
  };
  walk(input.dir, "");
  return out;
}

function readTool(input: ToolsInput, file: string): BuildInfo | undefined {
  let r: (ReaderAt & { close(): void }) | undefined;
  try {
    r = input.open(file);
    return readBuildInfo(r);
  } catch {
    return undefined;
  } finally {
    r?.close();
  }
}

/** describe turns one binary's build information into a Tool. */
export function describe(
  name: string,
  file: string,
  bi: BuildInfo,
  selected: string,
  installed: ReadonlySet<string>,
): Tool {
  const setting = (k: string) => bi.Settings.find((s) => s.Key === k)?.Value ?? "";
  const built = fromToolchain(bi.GoVersion);
  const flags: Flag[] = [];
  if (built !== "" && selected !== "" && compare(built, selected) < 0) flags.push("older");
  if (built !== "" && !installed.has(built)) flags.push("not-installed");
  const module = bi.Main.Path !== "" ? { path: bi.Main.Path, version: bi.Main.Version } : null;
  let install: string | null = null;
  let noInstall: string | undefined;
  if (module === null) noInstall = "built outside module mode: no module version to install";
  else if (!semver.isValid(module.version)) {
    noInstall = `built from a local checkout (${module.version || "no version"}): ` +
      "reinstall it from its source";
  } else if (bi.Path === "") noInstall = "its package path is unknown";
  else install = `${bi.Path}@${module.version}`;
  return {
    name,
    file,
    goVersion: bi.GoVersion,
    path: bi.Path,
    module,
    goos: setting("GOOS"),
    goarch: setting("GOARCH"),
    flags,
    install,
    ...(noInstall !== undefined ? { noInstall } : {}),
  };
}

/** describeFlags says in words why a tool is flagged ("" when it is not). */
export function describeFlags(t: Tool, selectedToolchain: string): string {
  const built = t.goVersion.split(/[ \t]/)[0];
  return t.flags.map((f) =>
    f === "older" ? `older than ${selectedToolchain}` : `${built} is not installed`
  ).join("; ");
}
