/**
 * The cost the version-file search (lib/versionfiles) adds to a resolve:
 * in one run, the median time of resolveSync in a module 10 levels deep and
 * of findVersionFiles alone for the same directory, with no version files
 * (the common case) and with one of each kind at the module root. The ratio
 * search / resolve is the share of `gtc why` and of the daemon's resolve it
 * takes (the daemon serves repeated asks from memory anyway).
 *
 * Usage: scripts/deno run -A scripts/bench/versionfiles.ts [--runs N]
 *
 * @module
 */

import { resolveSync } from "../../mod.ts";
import { denoFs } from "../../lib/host/fs.ts";
import { findVersionFiles } from "../../lib/versionfiles/mod.ts";

const i = Deno.args.indexOf("--runs");
const runs = i >= 0 ? Number(Deno.args[i + 1]) : 500;

function median(f: () => void): number {
  for (let k = 0; k < 20; k++) f();
  const t: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[t.length >> 1];
}

const root = Deno.makeTempDirSync({ prefix: "gtc-bench-vf-" });
try {
  const mod = `${root}/a/b/c/d/e/f/g/h/i/m`;
  Deno.mkdirSync(mod, { recursive: true });
  Deno.writeTextFileSync(`${mod}/go.mod`, "module m\n\ngo 1.22\n");
  const env = { PATH: Deno.env.get("PATH") ?? "", HOME: root, GOTOOLCHAIN: "local" };
  for (const withFiles of [false, true]) {
    if (withFiles) {
      Deno.writeTextFileSync(`${mod}/.go-version`, "1.21.5\n");
      Deno.writeTextFileSync(`${mod}/.tool-versions`, "golang 1.21.5\n");
      Deno.writeTextFileSync(`${mod}/mise.toml`, '[tools]\ngo = "1.21"\n');
      Deno.writeTextFileSync(`${mod}/.gvmrc`, "gvm use go1.21.5\n");
    }
    const r = median(() => resolveSync({ dir: mod, env }));
    const s = median(() => findVersionFiles(denoFs, mod));
    console.log(
      `${withFiles ? "with one file of each kind" : "no version files      "}: ` +
        `resolve ${r.toFixed(3)} ms (search included), search ${s.toFixed(3)} ms, ` +
        `share ${(100 * s / r).toFixed(1)}%`,
    );
  }
} finally {
  Deno.removeSync(root, { recursive: true });
}
