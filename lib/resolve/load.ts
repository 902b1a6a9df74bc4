/**
 * loadDiagnostics: what the go command reports once the selected toolchain
 * runs and loads the workspace or main module of a directory (a go line
 * newer than the toolchain, a go.work module needing a newer go), read from
 * the files the answer was computed from. Composes lib/modfile and
 * lib/toolchain's loadErrors; no rule lives here.
 *
 * @module
 */

import { clean, dirname, isAbs, join } from "../_internal/path.ts";
import { GoEnv } from "../goenv/mod.ts";
import type { Host } from "../host/host.ts";
import { findGoMod, findGoWork, parseWithoutComments } from "../modfile/mod.ts";
import { loadErrors, shortPath, type UsedModule } from "../toolchain/mod.ts";
import type { Explanation } from "./resolve.ts";

/**
 * loadDiagnostics returns the go command's texts ("go: go.mod requires go
 * >= 1.30 (running go 1.26.8; GOTOOLCHAIN=local)") for x's directory in
 * environ, or nothing when the toolchain x selects loads it — or fails
 * earlier (x.error), or the files do not parse (their parse errors are
 * reported instead, see parseErrors).
 */
export function loadDiagnostics(
  host: Host,
  x: Explanation,
  environ: Readonly<Record<string, string | undefined>>,
): string[] {
  if (x.error !== null || !x.modules || x.version === null) return [];
  const fs = host.fs;
  const env = new GoEnv({
    environ,
    fs,
    goos: host.goos,
    runtimeGoroot: x.local?.goroot,
  });
  const startup = {
    GOTOOLCHAIN: x.gotoolchain.value,
    autoFile: x.file?.path ?? "",
    autoGoVersion: x.file?.go?.value ?? "",
    autoToolchain: x.file?.toolchain?.value ?? "",
  };
  const common = { running: x.version, startup, shortAutoFile: x.file?.shortPath };
  const short = (p: string) => shortPath(fs, x.dir, p);
  const text = (p: string) => fs.readFile(p);
  try {
    const workFile = findGoWork(fs, x.dir, {
      gowork: env.getenv("GOWORK"),
      goroot: env.goroot.value,
    });
    if (workFile !== undefined && fs.stat(workFile) !== undefined) {
      // Only the go and use lines matter here: no need to keep comments.
      const wf = parseWithoutComments(workFile, text(workFile), "go.work");
      const modules: UsedModule[] = wf.use.map((u) => {
        const root = clean(isAbs(u.path) ? u.path : join("posix", dirname(workFile), u.path));
        return {
          dir: short(root),
          go: parseWithoutComments(`${root}/go.mod`, text(`${root}/go.mod`), "go.mod").go
            ?.version,
        };
      });
      return loadErrors({
        ...common,
        work: { shortPath: short(workFile), go: wf.go?.version, modules },
      });
    }
    const modFile = findGoMod(fs, x.dir, {});
    if (modFile === undefined) return [];
    const mf = parseWithoutComments(modFile, text(modFile), "go.mod");
    return loadErrors({ ...common, mod: { shortPath: short(modFile), go: mf.go?.version } });
  } catch {
    // An unreadable or malformed file: the go command stops there with
    // another error, reported by parseErrors or the selection.
    return [];
  }
}
