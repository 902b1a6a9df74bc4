/**
 * The local toolchain: the `go` found on PATH, its GOROOT and its version.
 *
 * The GOROOT is derived the way cmd/go/internal/cfg.findGOROOT derives it from
 * the executable (bin/go two or three levels below a directory that has
 * pkg/tool), following symlinks so /usr/bin/go → /usr/lib/go-1.x/bin/go and
 * Homebrew's links work. The version is gover.LocalToolchain(): the first line
 * of $GOROOT/VERSION, or what the binary reports when there is no VERSION file.
 *
 * @module
 */

import type { ReadFs } from "../_internal/sys.ts";
import { dirname, join, type PathStyle } from "../_internal/path.ts";
import { fromToolchain } from "../gover/mod.ts";
import { lookPath, type PathEnv } from "./path.ts";

/** LocalToolchain describes the go command on PATH. */
export interface LocalToolchain {
  /** The go executable as found in PATH. */
  exe: string;
  /** Its GOROOT, derived from its location; "" when none could be found. */
  goroot: string;
  /** gover.LocalToolchain(): "go1.26.8", "go1.21.0-bigcorp", "go1.27" for a devel build. */
  toolchain: string;
  /** gover.Local(): the version in toolchain, "1.26.8". */
  version: string;
  /** Where the version came from: the VERSION file's path, or the command that was run. */
  versionFrom: string;
}

/** RunResult is what a finished command printed. */
export interface RunResult {
  code: number;
  stdout: string;
}

/** Runner runs a program to completion; used only when a GOROOT has no VERSION file. */
export interface Runner {
  /** run executes exe with args and the given complete environment. */
  run(exe: string, args: string[], env: Record<string, string>): RunResult;
}

/** The inputs findLocal reads. */
export interface FindLocalInput {
  fs: ReadFs;
  path: PathEnv;
  /** Used only when the GOROOT has no VERSION file; omit to never run anything. */
  runner?: Runner;
  /** The environment for that run (GOTOOLCHAIN is forced to "local"). */
  environ?: Readonly<Record<string, string | undefined>>;
}

/**
 * findLocal finds the go command on PATH, or returns undefined when there is
 * none: a valid state, in which gtc can still say what a go.mod asks for.
 */
export function findLocal(input: FindLocalInput): LocalToolchain | undefined {
  const { fs, path } = input;
  const hit = lookPath(fs, "go", path);
  if (!hit.found) return undefined;
  const exe = hit.path;
  const goroot = gorootOf(fs, exe, path.style);

  if (goroot !== "") {
    const versionFile = join(path.style, goroot, "VERSION");
    try {
      const first = new TextDecoder().decode(fs.readFile(versionFile)).split("\n")[0].trim();
      const tv = localToolchainName(first);
      if (tv !== undefined) return { exe, goroot, ...tv, versionFrom: versionFile };
    } catch {
      // No VERSION file (a source build): ask the binary below.
    }
  }
  if (input.runner === undefined) return undefined;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.environ ?? {})) if (v !== undefined) env[k] = v;
  // GOTOOLCHAIN=local makes the binary describe itself instead of switching.
  env.GOTOOLCHAIN = "local";
  const r = input.runner.run(exe, ["env", "GOVERSION"], env);
  if (r.code !== 0) return undefined;
  const tv = localToolchainName(r.stdout.trim());
  if (tv === undefined) return undefined;
  return { exe, goroot, ...tv, versionFrom: `GOTOOLCHAIN=local ${exe} env GOVERSION` };
}

/**
 * localToolchainName turns runtime.Version() text into LocalToolchain() and
 * Local(), as cmd/go/internal/gover.local does: a release name is kept as is
 * ("go1.21.0-bigcorp"); a development build ("devel go1.27-e4283592e5 …")
 * becomes "go1.27".
 */
export function localToolchainName(
  runtimeVersion: string,
): { toolchain: string; version: string } | undefined {
  const v = fromToolchain(runtimeVersion);
  if (v !== "") return { toolchain: runtimeVersion, version: v };
  const m = /\bgo1\.(\d+)/.exec(runtimeVersion);
  if (m === null) return undefined;
  return { toolchain: `go1.${m[1]}`, version: `1.${m[1]}` };
}

/**
 * gorootOf derives a GOROOT from a go executable's path the way findGOROOT
 * does: bin/go or bin/GOOS_GOARCH/go under a directory with pkg/tool, trying
 * the path as given and then with symlinks resolved.
 */
export function gorootOf(fs: ReadFs, exe: string, style: PathStyle): string {
  const candidates = [exe];
  try {
    const real = fs.realPath(exe);
    if (real !== exe) candidates.push(real);
  } catch {
    // A dangling link: only the path as given remains.
  }
  for (const e of candidates) {
    const bin = dirname(e, style);
    for (const dir of [dirname(bin, style), dirname(dirname(bin, style), style)]) {
      if (fs.stat(join(style, dir, "pkg", "tool"))?.isDirectory) return dir;
    }
  }
  return "";
}
