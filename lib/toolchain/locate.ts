/**
 * How the selected toolchain would be obtained: the local go, a goX.Y.Z
 * program in PATH, the module cache, or a download; and the environment the
 * go command gives the toolchain it switches to.
 *
 * Mirrors the lookup half of cmd/go/internal/toolchain.Exec and
 * execGoToolchain (go1.26). A behaviour change here needs a failing table or
 * differential test first.
 *
 * @module
 */

import { goQuote } from "../_internal/go_quote.ts";
import type { ReadFs } from "../_internal/sys.ts";
import { join, type PathStyle } from "../_internal/path.ts";
import { compare, fromToolchain, isLang } from "../gover/mod.ts";
import type { GoEnv } from "../goenv/mod.ts";
import { lookPath, type PathEnv } from "./path.ts";
import type { Selection } from "./select.ts";
import type { TraceStep } from "./trace.ts";
import { checkCachedToolchain } from "./verify.ts";

/** How the toolchain is obtained. */
export type Source = "local" | "path" | "cache" | "download";

/** The inputs of locate. */
export interface LocateInput {
  selection: Selection;
  env: GoEnv;
  fs: ReadFs;
  path: PathEnv;
  /** runtime.GOOS and runtime.GOARCH of the go command: the toolchain module is built for them. */
  goos: string;
  goarch: string;
  /** GOROOT of the local toolchain (its own go, when local). */
  localGoroot?: string;
  localExe?: string;
  /** gover.Local() of the go command that switches ("" when there is none). */
  localVersion: string;
}

/** Where the selected toolchain comes from. */
export interface Location {
  source: Source | null;
  /** The go program that would run. */
  exe: string | null;
  /** Its GOROOT when known (local, cache); null for PATH toolchains, which find their own. */
  goroot: string | null;
  /** For cache/download: the module cache directory the toolchain lives (or would live) in. */
  moduleDir?: string;
  /** golang.org/toolchain@v0.0.1-<name>.<goos>-<goarch> */
  module?: string;
  /**
   * The environment changes the go command makes when it runs the switched-to
   * toolchain: a value to set, or null to unset. Absent when no switch.
   */
  childEnv?: Record<string, string | null>;
  /** Lines the go command prints on stderr before running it (depth warnings). */
  notices: string[];
  /** The go command's exact failure text, if obtaining fails before any download. */
  error?: string;
  /** Steps to append to the selection's trace. */
  trace: TraceStep[];
}

/** The toolchain module's path in the module cache and proxies. */
export const toolchainModulePath = "golang.org/toolchain";
/** The fixed module version prefix of toolchain modules. */
export const toolchainModuleVersion = "v0.0.1";

/** toolchainModule returns the module version that carries toolchain name for goos/goarch. */
export function toolchainModule(name: string, goos: string, goarch: string): string {
  return `${toolchainModuleVersion}-${name}.${goos}-${goarch}`;
}

/** toolchainCacheDir returns GOMODCACHE/golang.org/toolchain@v0.0.1-<name>.<goos>-<goarch>. */
export function toolchainCacheDir(
  gomodcache: string,
  name: string,
  goos: string,
  goarch: string,
  style: PathStyle = "posix",
): string {
  // Toolchain names are lower case; module.EscapeVersion would only change
  // upper-case letters, which names of released toolchains never have.
  const v = escapeVersion(toolchainModule(name, goos, goarch));
  return join(style, gomodcache, "golang.org", `toolchain@${v}`);
}

function escapeVersion(v: string): string {
  return v.replace(/[A-Z]/g, (c) => "!" + c.toLowerCase());
}

/**
 * isCachedToolchain reports whether the module cache holds the toolchain
 * complete, as modfetch.DownloadDir decides: the directory exists, no
 * .partial marker, and the .ziphash file was written.
 */
export function isCachedToolchain(fs: ReadFs, dir: string, style: PathStyle = "posix"): boolean {
  if (!fs.stat(dir)?.isDirectory) return false;
  const ver = dir.slice(dir.lastIndexOf("@") + 1);
  const cacheDownload = downloadDir(dir, style);
  if (fs.stat(join(style, cacheDownload, `${ver}.partial`)) !== undefined) return false;
  return fs.stat(join(style, cacheDownload, `${ver}.ziphash`)) !== undefined;
}

// downloadDir maps GOMODCACHE/golang.org/toolchain@v → GOMODCACHE/cache/download/golang.org/toolchain/@v.
function downloadDir(moduleDir: string, style: PathStyle): string {
  const sep = style === "windows" ? "\\" : "/";
  const marker = `${sep}golang.org${sep}toolchain@`;
  const i = moduleDir.lastIndexOf(marker);
  const cache = moduleDir.slice(0, i);
  return join(style, cache, "cache", "download", "golang.org", "toolchain", "@v");
}

/**
 * locate says how the selection would be obtained, mirroring the order of
 * Exec: the switch-depth guard, PATH, then (unless GOTOOLCHAIN is path or
 * +path) the module cache, then a download.
 */
export function locate(input: LocateInput): Location {
  const { selection: sel, env, fs } = input;
  const trace: TraceStep[] = [];
  const loc: Location = { source: null, exe: null, goroot: null, notices: [], trace };
  if (sel.isLocal) {
    loc.source = "local";
    loc.exe = input.localExe ?? null;
    loc.goroot = input.localGoroot || null;
    return loc;
  }
  if (sel.error !== undefined) return loc;
  const name = sel.toolchain;

  // Switch-loop protection: each switch increments the count; 100 is fatal.
  const raw = env.osGetenv("GOTOOLCHAIN_INTERNAL_SWITCH_COUNT");
  const count = /^[+-]?\d+$/.test(raw) ? parseInt(raw, 10) : 0;
  if (count >= 90) {
    // Go prints its own version (gover.Local), not the minimum.
    loc.notices.push(
      `go: switching from go${input.localVersion ?? ""} to ${name} [depth ${count}]`,
    );
  }
  if (count >= 100) {
    trace.push({ rule: "switch-depth", fired: true, detail: `switch depth ${count} ≥ 100` });
    loc.error = "go: too many toolchain switches";
    return loc;
  }
  const gt = env.getenv("GOTOOLCHAIN");
  const pathOnly = gt === "path" || gt.endsWith("+path");

  const childEnv: Record<string, string | null> = {
    GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: String(count + 1),
    GOTOOLCHAIN_INTERNAL_SWITCH_VERSION: name,
  };

  // PATH first: custom toolchains and golang.org/dl wrappers are reused.
  const hit = lookPath(fs, name, input.path);
  if (hit.found) {
    trace.push({
      rule: "path-lookup",
      fired: true,
      detail: `using ${name} toolchain located in system PATH (${hit.path})`,
    });
    loc.source = "path";
    loc.exe = hit.path;
    // A PATH toolchain finds its own GOROOT: the go command unsets GOROOT.
    childEnv.GOROOT = null;
    loc.childEnv = childEnv;
    return loc;
  }
  trace.push({
    rule: "path-lookup",
    fired: false,
    detail: hit.dotPath
      ? `${name} found relative to the current directory (${hit.dotPath}), which is refused`
      : `${name} is not in PATH`,
  });
  if (pathOnly) {
    trace.push({ rule: "path-only", fired: true, detail: `GOTOOLCHAIN=${gt} only looks in PATH` });
    loc.error = `go: cannot find ${goQuote(name)} in PATH`;
    return loc;
  }

  const gomodcache = env.lookup("GOMODCACHE").value;
  loc.module = `${toolchainModulePath}@${toolchainModule(name, input.goos, input.goarch)}`;
  if (gomodcache !== "") {
    const dir = toolchainCacheDir(gomodcache, name, input.goos, input.goarch, input.path.style);
    loc.moduleDir = dir;
    if (isCachedToolchain(fs, dir, input.path.style)) {
      trace.push({
        rule: "module-cache",
        fired: true,
        detail: `found ${name} in the module cache at ${dir}`,
      });
      // modfetch.Download verifies a cache hit before Exec runs it.
      const check = checkCachedToolchain(
        fs,
        env,
        gomodcache,
        toolchainModule(name, input.goos, input.goarch),
        input.path.style,
      );
      trace.push(check.step);
      if (check.error !== undefined) {
        loc.error = check.error;
        return loc;
      }
      trace.push({
        rule: "module-cache",
        fired: true,
        detail: `using ${name} toolchain from cache located at ${
          join(input.path.style, dir, "bin", "go")
        }`,
      });
      loc.source = "cache";
      loc.exe = join(input.path.style, dir, "bin", "go");
      loc.goroot = dir;
      childEnv.GOROOT = dir;
      loc.childEnv = childEnv;
      return loc;
    }
    trace.push({
      rule: "module-cache",
      fired: false,
      detail: `${name} is not in the module cache (${dir})`,
    });
  }
  const tv = fromToolchain(name);
  const langOnly = isLang(tv) && compare(tv, "1.21") >= 0;
  const invalid =
    `invalid toolchain: ${name} is a language version but not a toolchain version (${name}.x)`;
  trace.push({
    rule: "download",
    fired: true,
    detail: `${name} must be downloaded as ${loc.module}` +
      (langOnly
        ? `; but ${name} is a language version, not a release: no proxy has that module, ` +
          `so the go command fails (${invalid}; proxy.golang.org answers 403, ` +
          `which it prints instead)`
        : ""),
  });
  loc.source = "download";
  if (langOnly) {
    // Since go1.21 a language version ("go1.22") names no release: the
    // download always fails. Exec's text for a proxy without the module.
    loc.error = `go: ${invalid}`;
    return loc;
  }
  if (loc.moduleDir) {
    loc.exe = join(input.path.style, loc.moduleDir, "bin", "go");
    childEnv.GOROOT = loc.moduleDir;
  }
  loc.childEnv = childEnv;
  return loc;
}
