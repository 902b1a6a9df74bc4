/**
 * A 21 MB go.mod (3,000,000 comment lines, then the go and toolchain lines,
 * so every line scan reads all of it): `gtc why` (a fresh `deno run` of the
 * CLI, no daemon) against `go version` with GOTOOLCHAIN=auto (which reads
 * the go and toolchain lines to decide whether to switch), alternately, in
 * the same run. The same pair on a five-line go.mod is the anchor: it shows
 * what the file itself costs each of them.
 *
 * Prints, per command, the median and range of wall time, CPU time
 * (user + system) and peak RSS, then the ratios gtc / go. Wall time on a
 * loaded machine mostly measures the other processes; CPU time and RSS are
 * the steadier figures.
 *
 * Needs GNU time (/usr/bin/time, Debian package "time") for exact CPU time
 * and peak RSS; without it, wall time only and RSS sampled from /proc every
 * 5 ms.
 *
 *   scripts/deno run -A scripts/bench/bigmod.ts [--bigmod-runs N] [--lines N]
 *
 * @module
 */

import { findGo } from "./_go.ts";

/** Options of benchBigMod. */
export interface BenchBigModOptions {
  /** Measured runs of each command. @default 5 */
  runs?: number;
  /** Comment lines in the big go.mod. @default 3_000_000 */
  lines?: number;
}

interface Run {
  wallMs: number;
  /** user + system CPU, NaN without GNU time. */
  cpuMs: number;
  rssKiB: number;
}

const gnuTime = (() => {
  try {
    return Deno.statSync("/usr/bin/time").isFile ? "/usr/bin/time" : undefined;
  } catch {
    return undefined;
  }
})();

async function measure(
  argv: string[],
  env: Record<string, string>,
  cwd: string,
  tmp: string,
): Promise<Run> {
  const report = `${tmp}/time.out`;
  const [cmd, ...args] = gnuTime === undefined
    ? argv
    : [gnuTime, "-o", report, "-f", "%e %U %S %M", ...argv];
  const t0 = performance.now();
  const p = new Deno.Command(cmd, { args, env, clearEnv: true, cwd, stdout: "null" }).spawn();
  let hwm = 0;
  const timer = gnuTime !== undefined ? undefined : setInterval(() => {
    try {
      const m = /VmHWM:\s*(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${p.pid}/status`));
      if (m !== null) hwm = Math.max(hwm, Number(m[1]));
    } catch {
      // gone
    }
  }, 5);
  const st = await p.status;
  const wallMs = performance.now() - t0;
  clearInterval(timer);
  if (!st.success) throw new Error(`${argv.join(" ")}: exit ${st.code}`);
  if (gnuTime === undefined) return { wallMs, cpuMs: NaN, rssKiB: hwm };
  const [, user, sys, rss] = Deno.readTextFileSync(report).trim().split("\n").at(-1)!.split(" ");
  return { wallMs, cpuMs: (Number(user) + Number(sys)) * 1000, rssKiB: Number(rss) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** benchBigMod runs the benchmark and prints its numbers. */
export async function benchBigMod(opts: BenchBigModOptions = {}): Promise<void> {
  const runs = opts.runs ?? 5;
  const lines = opts.lines ?? 3_000_000;
  const go = findGo();
  if (go === undefined) {
    console.log("bench bigmod: no go command found; nothing to compare against");
    return;
  }
  // Under /var/tmp: other tools sweep /tmp while this runs.
  const tmp = await Deno.makeTempDir({ prefix: "gtc-bench-bigmod-", dir: "/var/tmp" });
  try {
    const tail = "go 1.22\n\ntoolchain go1.22.3\n";
    Deno.mkdirSync(`${tmp}/big`);
    Deno.mkdirSync(`${tmp}/small`);
    Deno.writeTextFileSync(`${tmp}/small/go.mod`, `module example.com/small\n\n${tail}`);
    const big = new Uint8Array(lines * 7);
    big.set(new TextEncoder().encode("// abc\n"));
    for (let n = 7; n < big.length; n *= 2) big.copyWithin(n, 0, Math.min(n, big.length - n));
    const file = await Deno.open(`${tmp}/big/go.mod`, { write: true, create: true });
    await file.write(new TextEncoder().encode("module example.com/big\n\n"));
    for (let o = 0; o < big.length;) o += await file.write(big.subarray(o));
    await file.write(new TextEncoder().encode(`\n${tail}`));
    file.close();
    const size = Deno.statSync(`${tmp}/big/go.mod`).size;

    const env: Record<string, string> = {
      PATH: `${go.slice(0, go.lastIndexOf("/"))}:/usr/bin:/bin`,
      HOME: Deno.env.get("HOME") ?? tmp,
      GOTOOLCHAIN: "auto",
      GOENV: "off",
      NO_COLOR: "1",
    };
    const config = new URL("../../deno.json", import.meta.url).pathname;
    const cli = new URL("../../cli/main.ts", import.meta.url).pathname;
    const gtcWhy = [Deno.execPath(), "run", "-A", "--quiet", "--config", config, cli, "why"];
    const cmds: [name: string, argv: string[], dir: string][] = [
      ["gtc why, 21 MB go.mod", gtcWhy, "big"],
      ["go version, 21 MB go.mod", [go, "version"], "big"],
      ["gtc why, 5-line go.mod", gtcWhy, "small"],
      ["go version, 5-line go.mod", [go, "version"], "small"],
    ];
    console.log(
      `bench bigmod: go.mod of ${(size / 1e6).toFixed(1)} MB (${lines} comment lines); ` +
        `${runs} runs each (+1 warm-up), alternating; ` +
        (gnuTime ? "CPU and peak RSS from GNU time" : "no /usr/bin/time: RSS sampled, no CPU") +
        `; load average ${loadavg()}`,
    );
    const results = cmds.map((): Run[] => []);
    for (let i = 0; i <= runs; i++) {
      for (const [k, [, argv, dir]] of cmds.entries()) {
        const r = await measure(argv, env, `${tmp}/${dir}`, tmp);
        if (i > 0) results[k].push(r);
      }
    }
    const stat = (rs: Run[], f: (r: Run) => number) => {
      const xs = rs.map(f);
      return { med: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
    };
    const fmt = (s: { med: number; min: number; max: number }, unit: string, d = 0) =>
      `${s.med.toFixed(d)} [${s.min.toFixed(d)}–${s.max.toFixed(d)}] ${unit}`;
    for (const [k, [name]] of cmds.entries()) {
      const rs = results[k];
      console.log(
        `  ${name.padEnd(27)} wall ${fmt(stat(rs, (r) => r.wallMs), "ms")}  CPU ${
          fmt(stat(rs, (r) => r.cpuMs), "ms")
        }  peak RSS ${fmt(stat(rs, (r) => r.rssKiB / 1024), "MiB")}`,
      );
    }
    const ratio = (a: number, b: number, f: (r: Run) => number) =>
      (median(results[a].map(f)) / median(results[b].map(f))).toFixed(2);
    for (
      const [what, f] of [
        ["wall", (r: Run) => r.wallMs],
        ["CPU", (r: Run) => r.cpuMs],
        ["peak RSS", (r: Run) => r.rssKiB],
      ] as const
    ) {
      console.log(
        `ratio gtc / go, ${what.padEnd(8)}: 21 MB go.mod ${ratio(0, 1, f)} (target ≤ 3), ` +
          `5-line go.mod ${ratio(2, 3, f)}`,
      );
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

function loadavg(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  } catch {
    return "n/a";
  }
}

if (import.meta.main) {
  const arg = (flag: string) => {
    const i = Deno.args.indexOf(flag);
    return i >= 0 ? Number(Deno.args[i + 1]) : undefined;
  };
  await benchBigMod({ runs: arg("--bigmod-runs"), lines: arg("--lines") });
}
