/**
 * The environment a CI step needs to run the toolchain the go command
 * selects: GOROOT, PATH with the toolchain's bin first, and GOTOOLCHAIN
 * pinned so the go found first in PATH runs itself and never switches.
 *
 * GOTOOLCHAIN is the selected toolchain's name (the go command runs itself
 * when GOTOOLCHAIN names its own toolchain: select.go's
 * `gotoolchain == gover.LocalToolchain()`; any other go that a later step
 * puts first switches to it), except for the Microsoft build of Go, which
 * exits unless GOTOOLCHAIN is `local` (its go.env sets that, patch 0008).
 *
 * @module
 */

import type { ReadFs } from "../_internal/sys.ts";
import { isAbs, join, listSeparator, type PathStyle, splitList } from "../_internal/path.ts";
import type { Explanation } from "../resolve/mod.ts";
import { gorootOf, type Runner, type Source } from "../toolchain/mod.ts";
import type { CiCache } from "./cache.ts";

/** What finding a GOROOT may read and run. */
export interface GorootInput {
  fs: ReadFs;
  /** Runs a PATH toolchain as `goX.Y.Z env GOROOT` when its location does not say. */
  runner: Runner;
  /** The environment to run it in (GOROOT is dropped, GOTOOLCHAIN forced to local). */
  environ: Readonly<Record<string, string | undefined>>;
  style: PathStyle;
  goos: string;
}

/** A GOROOT and how it was found. */
export type GorootResult =
  | { goroot: string; from: string }
  | { error: string };

function goExe(goos: string): string {
  return goos === "windows" ? "go.exe" : "go";
}

function hasGo(input: GorootInput, goroot: string): boolean {
  return input.fs.stat(join(input.style, goroot, "bin", goExe(input.goos)))?.isFile === true;
}

/**
 * findGoroot finds the GOROOT of the selected toolchain: the one resolve
 * reports (the local go's, a module-cache toolchain's directory); for a
 * goX.Y.Z program on PATH, the GOROOT its location implies (symlinks
 * followed, as cfg.findGOROOT does), else what `goX.Y.Z env GOROOT` prints
 * with GOTOOLCHAIN=local and GOROOT unset (golang.org/dl wrappers). The
 * GOROOT must hold bin/go.
 */
export function findGoroot(x: Explanation, input: GorootInput): GorootResult {
  if (x.error !== null) return { error: x.error };
  if (x.toolchain === null || x.source === null) return { error: "no toolchain selected" };
  if (x.source === "download") {
    return { error: `toolchain ${x.toolchain} is not on this machine` };
  }
  if (x.goroot) {
    if (!hasGo(input, x.goroot)) return { error: `${x.goroot}: no bin/${goExe(input.goos)}` };
    return { goroot: x.goroot, from: x.source === "cache" ? "module cache" : "local go" };
  }
  const exe = x.exe ?? x.local?.exe;
  if (!exe) return { error: `cannot find the go program of ${x.toolchain}` };
  const byPath = gorootOf(input.fs, exe, input.style);
  if (byPath !== "" && hasGo(input, byPath)) return { goroot: byPath, from: `location of ${exe}` };

  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.environ)) if (v !== undefined) env[k] = v;
  delete env.GOROOT;
  env.GOTOOLCHAIN = "local";
  const r = input.runner.run(exe, ["env", "GOROOT"], env);
  const out = r.stdout.replace(/\r?\n$/, "");
  if (r.code !== 0) {
    return { error: `cannot find GOROOT of ${exe}: GOTOOLCHAIN=local ${exe} env GOROOT failed` };
  }
  if (out === "" || out.includes("\n") || !isAbs(out, input.style) || !hasGo(input, out)) {
    return {
      error: `cannot find GOROOT of ${exe}: \`${exe} env GOROOT\` printed ${
        JSON.stringify(out.slice(0, 200))
      }, not a GOROOT`,
    };
  }
  return { goroot: out, from: `GOTOOLCHAIN=local ${exe} env GOROOT` };
}

export { isMicrosoftGoroot } from "../toolchain/mod.ts";

/**
 * prependPath puts dir first in a PATH list, removing its other
 * occurrences.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { prependPath } from "./env.ts";
 * assert.equal(prependPath("/usr/bin:/g/bin:/bin", "/g/bin"), "/g/bin:/usr/bin:/bin");
 * assert.equal(prependPath("", "/g/bin"), "/g/bin");
 * ```
 */
export function prependPath(path: string, dir: string, style: PathStyle = "posix"): string {
  const rest = path === "" ? [] : splitList(path, style).filter((d) => d !== dir);
  return [dir, ...rest].join(listSeparator(style));
}

/** The variables a CI step sets, in the order they are printed. */
export const ciKeys = ["GOROOT", "PATH", "GOTOOLCHAIN"] as const;

/** CiEnv is what `gtc ci` prints, in every format. */
export interface CiEnv {
  /** The directory evaluated. */
  dir: string;
  toolchain: string;
  version: string;
  /** How the toolchain was found (after any install). */
  source: Source;
  goroot: string;
  /** GOROOT/bin: the directory put first in PATH. */
  bin: string;
  /** Whether it is the Microsoft build of Go (GOTOOLCHAIN must be local). */
  microsoft: boolean;
  /** Whether `gtc ci` installed it just now. */
  installed: boolean;
  /** The variables to set. */
  env: Record<(typeof ciKeys)[number], string>;
  /** Directories to put first in PATH, first one first ($GITHUB_PATH lines). */
  pathPrepend: string[];
  /** The module and build caches to keep between jobs, and their keys (null: not computed). */
  cache: CiCache | null;
}

/** The inputs of ciEnv beyond the explanation. */
export interface CiEnvInput {
  goroot: string;
  microsoft: boolean;
  /** The step's current PATH. */
  path: string;
  style: PathStyle;
  /** @default false */
  installed?: boolean;
  /** The caches (ciCache); omitted: null. */
  cache?: CiCache;
}

/**
 * ciEnv computes the CI environment for a selected, present toolchain.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ciEnv } from "./env.ts";
 * const x = { dir: "/m", toolchain: "go1.22.3", version: "1.22.3", source: "cache" } as const;
 * const ci = ciEnv(x, { goroot: "/c/tc", microsoft: false, path: "/usr/bin", style: "posix" });
 * assert.deepEqual(ci.env, { GOROOT: "/c/tc", PATH: "/c/tc/bin:/usr/bin", GOTOOLCHAIN: "go1.22.3" });
 * ```
 */
export function ciEnv(
  x: Pick<Explanation, "dir" | "toolchain" | "version" | "source">,
  input: CiEnvInput,
): CiEnv {
  if (x.toolchain === null || x.source === null) {
    throw new Error("ciEnv: no toolchain selected");
  }
  const bin = join(input.style, input.goroot, "bin");
  return {
    dir: x.dir,
    toolchain: x.toolchain,
    version: x.version ?? "",
    source: x.source,
    goroot: input.goroot,
    bin,
    microsoft: input.microsoft,
    installed: input.installed ?? false,
    env: {
      GOROOT: input.goroot,
      PATH: prependPath(input.path, bin, input.style),
      GOTOOLCHAIN: input.microsoft ? "local" : x.toolchain,
    },
    pathPrepend: [bin],
    cache: input.cache ?? null,
  };
}
