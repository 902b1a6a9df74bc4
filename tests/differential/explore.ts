/**
 * explore prints what the real go command does in generated scenarios, without involving gtc.
 *
 *     scripts/deno run -A tests/differential/explore.ts [N] [SEED] [--verbose]
 *
 * Use it to eyeball the generator and the observation parser, or to replay one failing seed.
 *
 * @module
 */

import { findGo, materialize, observeRun, pool } from "./gocmd.ts";
import { randomScenarios } from "./scenarios.ts";
import { portedScenarios } from "./ported.ts";

const args = Deno.args.filter((a) => !a.startsWith("--"));
const verbose = Deno.args.includes("--verbose");
const ported = Deno.args.includes("--ported");
const n = Number(args[0] ?? 50);
const seed = Number(args[1] ?? Date.now() % 1_000_000);

const { go, reason } = await findGo();
if (!go) {
  console.error(reason);
  Deno.exit(1);
}
console.log(`go=${go.path} ${go.version} seed=${seed} n=${n}`);
const scenarios = ported ? portedScenarios() : randomScenarios(seed, n);
const base = await Deno.makeTempDir({ prefix: "gtc-diff-" });
const counts: Record<string, number> = {};
const start = performance.now();
await pool(scenarios, 4, async (s, i) => {
  const m = await materialize(s, `${base}/${i}`, go);
  const { obs, noise } = await observeRun(go, m, s.args);
  const key = obs.kind === "ran" ? `ran-${obs.source}` : obs.kind;
  counts[key] = (counts[key] ?? 0) + 1;
  const env = Object.entries(m.env).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ");
  console.log(`--- ${s.name} (${s.note ?? ""}) cwd=${s.cwd}\n    ${env}`);
  if (verbose) {
    for (const f of s.files) {
      if (f.content !== undefined && !/^bin2?\//.test(f.path)) {
        console.log(`    [${f.path}] ${JSON.stringify(f.content)}`);
      }
    }
    if (s.want) console.log(`    want: ${JSON.stringify(s.want)}`);
    const fk = s.files.filter((f) => /^bin2?\//.test(f.path)).map((f) =>
      `${f.path}(${f.mode?.toString(8)})`
    );
    console.log(`    fakes: ${fk.join(" ")}`);
  }
  console.log(`    => ${JSON.stringify(obs)}${noise.depth.length ? " " + noise.depth : ""}`);
});
console.log(counts, `${((performance.now() - start) / 1000).toFixed(1)}s`);
await Deno.remove(base, { recursive: true });
