/**
 * Differential test: gtc against the real go command.
 *
 * For each scenario (seeded random ones from scenarios.ts, and fixed ones ported from Go's
 * script tests in ported.ts) the test lays out real files in a temp directory, runs the real
 * `go version` there with a controlled environment, and compares what happened with what
 * gtc's resolve() says for the same directory and environment.
 *
 * Environment knobs:
 *   GTC_DIFF_SEED   seed of the random scenarios (default: random; always printed)
 *   GTC_DIFF_N      number of random scenarios (default 500)
 *   GTC_DIFF_ONLY   run only the scenarios whose name contains this text
 *   GTC_DIFF_KEEP   "1": keep the temp directories (their path is printed)
 *
 * The test is ignored, with the reason printed, only when no go >= 1.21 is found.
 *
 * @module
 */

import { resolve } from "../../mod.ts";
import {
  type ChildEnv,
  findGo,
  type GoInfo,
  materialize,
  type Materialized,
  type Observation,
  observeRun,
  pool,
  removeSettled,
  type StderrNoise,
} from "./gocmd.ts";
import { childEnvVars, randomScenarios, type Scenario } from "./scenarios.ts";
import { portedScenarios } from "./ported.ts";

type Explanation = Awaited<ReturnType<typeof resolve>>;

const { go, reason } = await findGo();
if (!go) console.log(`differential: ignored: ${reason}`);

const seed = Number(Deno.env.get("GTC_DIFF_SEED") || Math.floor(Math.random() * 2 ** 31));
const count = Number(Deno.env.get("GTC_DIFF_N") || 500);
const only = Deno.env.get("GTC_DIFF_ONLY") ?? "";
const keep = Deno.env.get("GTC_DIFF_KEEP") === "1";
const CONCURRENCY = 4;

/** Case is one scenario after both sides ran. */
interface Case {
  scenario: Scenario;
  m: Materialized;
  obs: Observation;
  noise: StderrNoise;
  stdout: string;
  stderr: string;
  code: number;
  gtc?: Explanation;
  gtcThrew?: string;
  /** differences between gtc and the go command; empty when they agree */
  diffs: string[];
  /** differences between the ported expectation and the go command */
  wantDiffs: string[];
}

/**
 * compare returns the differences between what the go command did (obs) and what gtc says (x).
 * The rules are the Explanation contract: a toolchain that ran is (toolchain, source) with no
 * error; a toolchain that would be downloaded is source "download" with no error (GOPROXY=off
 * makes the real download fail; predicting that failure exactly is accepted too); a failure
 * before switching is the exact stderr text.
 */
export function compare(
  obs: Observation,
  noise: StderrNoise,
  x: Explanation,
  parentEnv: Record<string, string>,
  go: GoInfo,
): string[] {
  const d: string[] = [];
  const eq = (what: string, got: unknown, want: unknown) => {
    if (got !== want) d.push(`${what}: gtc ${JSON.stringify(got)}, go ${JSON.stringify(want)}`);
  };
  switch (obs.kind) {
    case "ran":
      // A failure inside the selected toolchain (failedAfter) is not a selection failure;
      // predicting that the go command fails with exactly that text is accepted too.
      if (obs.failedAfter !== undefined && x.error === obs.failedAfter) break;
      eq("toolchain", x.toolchain, obs.toolchain);
      eq("source", x.source, obs.source);
      eq("error", x.error, null);
      if (obs.source !== "local") {
        if (x.childEnv == null) d.push("childEnv: gtc null, go switched");
        else {
          // The child sees the parent environment with gtc's changes applied.
          for (const v of childEnvVars) {
            const change = x.childEnv[v];
            const gtcView = change === undefined ? parentEnv[v] : change ?? undefined;
            eq(`child ${v}`, gtcView, (obs.child as ChildEnv)[v]);
          }
        }
      }
      break;
    case "download":
      eq("toolchain", x.toolchain, obs.toolchain);
      // A language version ("go1.22") is never downloadable: gtc must say the go command fails.
      if (/^go: invalid toolchain: /.test(obs.error)) eq("error", x.error, obs.error);
      if (!(x.source === "download" && x.error === null) && x.error !== obs.error) {
        d.push(
          `download: gtc source=${JSON.stringify(x.source)} error=${JSON.stringify(x.error)}, ` +
            `go tried to download ${JSON.stringify(obs.toolchain)} (${JSON.stringify(obs.error)})`,
        );
      }
      break;
    case "error": {
      const withDepth = [...noise.depth, obs.error].join("\n");
      if (x.error !== obs.error && x.error !== withDepth) eq("error", x.error, obs.error);
      if (obs.toolchain !== undefined && x.toolchain !== null) {
        eq("toolchain", x.toolchain, obs.toolchain);
      }
      break;
    }
    case "unknown":
      d.push(`go: unrecognised outcome (${obs.why})`);
      break;
  }
  // Warnings the go command prints before switching ("[depth N]") must be in the notices.
  for (const line of noise.depth) {
    if (!x.notices?.includes(line) && !(x.error ?? "").includes(line)) {
      d.push(
        `notice ${JSON.stringify(line)}: missing from gtc notices ${JSON.stringify(x.notices)}`,
      );
    }
  }
  // Not part of the selection, but a wrong local toolchain explains everything else.
  if (x.local?.toolchain !== go.version) {
    d.push(`local: gtc ${JSON.stringify(x.local?.toolchain ?? null)}, go ${go.version}`);
  }
  return d;
}

/** checkWant compares a ported scenario's expectation with what the go command did. */
function checkWant(s: Scenario, obs: Observation, go: GoInfo): string[] {
  const w = s.want;
  if (!w) return [];
  const got = obs.kind === "ran"
    ? { kind: obs.source, toolchain: obs.toolchain }
    : obs.kind === "download"
    ? { kind: "download", toolchain: obs.toolchain }
    : obs.kind === "error"
    ? { kind: "error", toolchain: obs.toolchain, error: obs.error }
    : { kind: "unknown" };
  const want = { ...w, toolchain: w.kind === "local" ? go.version : w.toolchain };
  const d: string[] = [];
  for (const k of ["kind", "toolchain", "error"] as const) {
    if (want[k] !== undefined && (got as Record<string, unknown>)[k] !== want[k]) {
      d.push(`ported want ${k}=${JSON.stringify(want[k])}, go did ${JSON.stringify(got)}`);
    }
  }
  return d;
}

/** describe renders a case for a failure report: everything needed to reproduce it. */
function describe(c: Case): string {
  const s = c.scenario;
  const out: string[] = [];
  out.push(`=== ${s.name}${s.note ? ` (${s.note})` : ""}   [seed ${seed}]`);
  out.push(`  dir: ${c.m.dir}`);
  out.push(`  args: go ${s.args.join(" ")}`);
  out.push(`  env (complete):`);
  for (const [k, v] of Object.entries(c.m.env)) out.push(`    ${k}=${JSON.stringify(v)}`);
  out.push(`  files:`);
  for (const f of s.files) {
    if (f.dir) continue;
    const mode = (f.mode ?? 0o644).toString(8);
    if (/^bin2?\//.test(f.path) || (f.content ?? "").startsWith("#!/bin/sh")) {
      out.push(`    ${f.path} (${mode}, fake toolchain)`);
    } else out.push(`    ${f.path} (${mode}): ${JSON.stringify(f.content)}`);
  }
  for (const f of s.files) if (f.dir && /go\.(mod|work)$/.test(f.path)) out.push(`    ${f.path}/`);
  out.push(`  go:  exit ${c.code}, stdout ${JSON.stringify(c.stdout)}`);
  out.push(`       stderr ${JSON.stringify(c.stderr)}`);
  out.push(`       => ${JSON.stringify(c.obs)}`);
  if (c.gtcThrew) out.push(`  gtc: threw ${c.gtcThrew}`);
  else if (c.gtc) {
    const { toolchain, source, error, childEnv, notices, mode, gotoolchain } = c.gtc;
    out.push(
      `  gtc: ${
        JSON.stringify({ toolchain, source, error, childEnv, notices, mode, gotoolchain })
      }`,
    );
  }
  for (const x of c.wantDiffs) out.push(`  ! ${x}`);
  for (const x of c.diffs) out.push(`  ! ${x}`);
  return out.join("\n");
}

/** runCases runs the go command and gtc over scenarios and fills in the differences. */
async function runCases(go: GoInfo, scenarios: Scenario[], base: string): Promise<Case[]> {
  return await pool(scenarios, CONCURRENCY, async (scenario, i) => {
    const m = await materialize(scenario, `${base}/${i}`, go);
    // gtc first: the go command may change the layout (it sets execute bits on a cached
    // toolchain, creates module cache lock files), and gtc must see what the go command saw.
    let gtc: Explanation | undefined;
    let gtcThrew: string | undefined;
    try {
      gtc = await resolve({ dir: m.dir, env: { ...m.env }, args: scenario.args });
    } catch (e) {
      gtcThrew = e instanceof Error ? (e.stack ?? e.message) : String(e);
    }
    const { obs, noise, run: r } = await observeRun(go, m, scenario.args);
    const c: Case = {
      scenario,
      m,
      obs,
      noise,
      stdout: r.stdout,
      stderr: r.stderr,
      code: r.code,
      diffs: [],
      wantDiffs: checkWant(scenario, obs, go),
    };
    if (gtc) {
      c.gtc = gtc;
      c.diffs = compare(obs, noise, gtc, m.env, go);
    } else {
      c.gtcThrew = gtcThrew;
      c.diffs = ["gtc resolve threw"];
    }
    return c;
  });
}

/** summarize prints the outcome counts and the failures, and returns the failure text. */
function summarize(label: string, cases: Case[], ms: number): string | undefined {
  const kinds: Record<string, number> = {};
  for (const c of cases) {
    const k = c.obs.kind === "ran" ? `ran-${c.obs.source}` : c.obs.kind;
    kinds[k] = (kinds[k] ?? 0) + 1;
  }
  const bad = cases.filter((c) => c.diffs.length > 0 || c.wantDiffs.length > 0);
  console.log(
    `differential ${label}: seed=${seed} scenarios=${cases.length} go outcomes=${
      JSON.stringify(kinds)
    } mismatches=${bad.length} time=${(ms / 1000).toFixed(1)}s`,
  );
  if (bad.length === 0) return undefined;
  // Group by the first difference's shape so a systematic bug shows up as one line.
  const groups: Record<string, number> = {};
  for (const c of bad) {
    const key = (c.wantDiffs[0] ?? c.diffs[0]).replace(/"[^"]*"/g, '"…"');
    groups[key] = (groups[key] ?? 0) + 1;
  }
  const lines = [
    `${bad.length} of ${cases.length} scenarios disagree (seed ${seed}; rerun with GTC_DIFF_SEED=${seed}` +
    ` GTC_DIFF_N=${count}${only ? ` GTC_DIFF_ONLY=${only}` : ""}):`,
    ...Object.entries(groups).sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${n}× ${k}`),
    "",
    ...bad.slice(0, 25).map(describe),
  ];
  if (bad.length > 25) lines.push(`… and ${bad.length - 25} more`);
  return lines.join("\n");
}

function select(scenarios: Scenario[]): Scenario[] {
  return only ? scenarios.filter((s) => s.name.includes(only)) : scenarios;
}

async function withBase<T>(fn: (base: string) => Promise<T>): Promise<T> {
  const base = await Deno.makeTempDir({ prefix: "gtc-diff-" });
  try {
    return await fn(base);
  } finally {
    if (keep) console.log(`differential: kept ${base}`);
    else await removeSettled(base);
  }
}

Deno.test({
  name: "differential: gtc agrees with go version on seeded random scenarios",
  ignore: !go,
  async fn() {
    console.log(`differential: seed=${seed} (set GTC_DIFF_SEED to replay) n=${count}`);
    const failure = await withBase(async (base) => {
      const start = performance.now();
      const cases = await runCases(go!, select(randomScenarios(seed, count)), base);
      return summarize("random", cases, performance.now() - start);
    });
    if (failure) throw new Error(failure);
  },
});

Deno.test({
  name: "differential: gtc agrees with go version on scenarios ported from Go's script tests",
  ignore: !go,
  async fn() {
    const failure = await withBase(async (base) => {
      const start = performance.now();
      const cases = await runCases(go!, select(portedScenarios()), base);
      return summarize("ported", cases, performance.now() - start);
    });
    if (failure) throw new Error(failure);
  },
});

/** denoDir returns the DENO_DIR this test runs with, so the CLI child reuses its caches. */
function denoDir(): string {
  const set = Deno.env.get("DENO_DIR");
  if (set) return set;
  const cache = Deno.env.get("XDG_CACHE_HOME") || `${Deno.env.get("HOME") ?? "/root"}/.cache`;
  return `${cache}/deno`;
}

/** canonical renders JSON with sorted object keys, for a stable comparison. */
function canonical(v: unknown): string {
  return JSON.stringify(
    v,
    (_k, x) =>
      x !== null && typeof x === "object" && !Array.isArray(x)
        ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : x,
  );
}

const CLI_SCENARIOS = 20;

Deno.test({
  name: "differential: `gtc why --json` prints the library's Explanation and agrees with go",
  ignore: !go,
  async fn() {
    const repo = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
    // `gtc why` takes no go command arguments: only plain `go version` scenarios apply.
    const all = select(randomScenarios(seed, count)).filter((s) => s.args.join(" ") === "version");
    const stride = Math.max(1, Math.floor(all.length / CLI_SCENARIOS));
    const picked = all.filter((_, i) => i % stride === 0).slice(0, CLI_SCENARIOS);
    const failure = await withBase(async (base) => {
      const start = performance.now();
      const cases = await pool(picked, CONCURRENCY, async (scenario, i) => {
        const m = await materialize(scenario, `${base}/${i}`, go!);
        // The CLI evaluates its own process environment: the scenario's, plus what Deno needs.
        const env = { ...m.env, DENO_DIR: denoDir(), NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" };
        const out = await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", "--config", `${repo}/deno.json`, `${repo}/cli/main.ts`, "why"]
            .concat(["--json", m.dir]),
          cwd: repo,
          env,
          clearEnv: true,
          stdin: "null",
        }).output();
        const stdout = new TextDecoder().decode(out.stdout);
        const lib = JSON.parse(JSON.stringify(await resolve({ dir: m.dir, env })));
        const { obs, noise, run } = await observeRun(go!, m, scenario.args);
        const c: Case = {
          scenario,
          m: { ...m, env },
          obs,
          noise,
          stdout: run.stdout,
          stderr: run.stderr,
          code: run.code,
          diffs: [],
          wantDiffs: [],
        };
        let cli: Explanation;
        try {
          cli = JSON.parse(stdout);
        } catch {
          c.diffs.push(
            `cli: exit ${out.code}, stdout is not JSON: ${JSON.stringify(stdout.slice(0, 300))}` +
              ` stderr ${JSON.stringify(new TextDecoder().decode(out.stderr).slice(0, 500))}`,
          );
          return c;
        }
        c.gtc = cli;
        if (canonical(cli) !== canonical(lib)) {
          const keys = new Set([...Object.keys(cli), ...Object.keys(lib)]);
          for (const k of keys) {
            const a = canonical((cli as unknown as Record<string, unknown>)[k]);
            const b = canonical((lib as Record<string, unknown>)[k]);
            if (a !== b) c.diffs.push(`cli vs library, ${k}: cli ${a}, library ${b}`);
          }
        }
        c.diffs.push(...compare(obs, noise, cli, env, go!).map((d) => `cli ${d}`));
        return c;
      });
      return summarize("cli", cases, performance.now() - start);
    });
    if (failure) throw new Error(failure);
  },
});
