/**
 * Start-up cost of `gtc why` and `gtc current` (issue 12, speed point 6):
 * CPU time (user+sys) and peak RSS of each process, through a running daemon
 * and without one, against an empty `deno run` measured in the same run.
 * Targets: through a daemon CPU ≤ 1.3× the empty script and peak RSS
 * ≤ 35 MiB; without one CPU ≤ 2×.
 *
 * The variants run interleaved, one of each per round, so that a loaded
 * machine slows them alike; a CPU ratio is the ratio of the means, with the
 * p10–p90 spread of the per-round ratios. CPU and RSS come from GNU time
 * (/usr/bin/time -f "%U %S %M": the getrusage of the child), which Deno
 * itself cannot read for a child.
 *
 * Usage: scripts/deno run -A scripts/bench/startup.ts [--startup-runs N]
 *
 * @module
 */

import { daemonCommand } from "../../daemon/start.ts";

/** One process's cost. */
interface Cost {
  cpu: number;
  rssMiB: number;
}

const gnuTime = "/usr/bin/time";

function runTimed(argv: string[], env: Record<string, string>, cwd: string): Cost {
  const out = new Deno.Command(gnuTime, {
    args: ["-f", "@@cost %U %S %M", ...argv],
    env,
    clearEnv: true,
    cwd,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).outputSync();
  const err = new TextDecoder().decode(out.stderr);
  const m = /@@cost ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(err);
  if (!out.success || m === null) throw new Error(`${argv.join(" ")} failed: ${err}`);
  return { cpu: Number(m[1]) + Number(m[2]), rssMiB: Number(m[3]) / 1024 };
}

function quantile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

// spread prints the mean and the p10–p90 range. The mean, not the median:
// GNU time prints CPU seconds to 10 ms, coarse beside a 70 ms process, and
// the mean of many such readings is finer than any one of them.
function spread(xs: number[], digits: number): string {
  const f = (v: number) => v.toFixed(digits);
  return `${f(mean(xs))} [${f(quantile(xs, 0.1))}–${f(quantile(xs, 0.9))}]`;
}

/** benchStartup measures and prints; runs rounds of every variant. */
export async function benchStartup(opts: { runs: number }): Promise<void> {
  try {
    Deno.statSync(gnuTime);
  } catch {
    console.log(`bench startup: skipped: ${gnuTime} missing (apt-get install time)`);
    return;
  }
  const root = new URL("../..", import.meta.url).pathname;
  const tmp = await Deno.makeTempDir({ prefix: "gtc-bench-startup-" });
  const deno = Deno.execPath();
  const empty = `${tmp}/empty.ts`;
  Deno.writeTextFileSync(empty, "");
  // The floor of any client: one status request on the socket, no imports.
  const raw = `${tmp}/raw_client.ts`;
  Deno.writeTextFileSync(
    raw,
    `const c = await Deno.connect({ transport: "unix", path: Deno.args[0] });
await c.write(new TextEncoder().encode('{"jsonrpc":"2.0","id":1,"method":"status","params":{}}\\n'));
const b = new Uint8Array(1 << 16);
await c.read(b);
c.close();
`,
  );
  const mod = `${tmp}/m/sub`;
  Deno.mkdirSync(mod, { recursive: true });
  Deno.writeTextFileSync(`${tmp}/m/go.mod`, "module example.com/m\n\ngo 1.22\n");
  const withDaemon = `${tmp}/xdg`;
  const without = `${tmp}/xdg-none`;
  Deno.mkdirSync(withDaemon, { mode: 0o700 });
  Deno.mkdirSync(without, { mode: 0o700 });
  const base: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: Deno.env.get("HOME") ?? tmp,
    NO_COLOR: "1",
  };
  const denoDir = Deno.env.get("DENO_DIR");
  if (denoDir) base.DENO_DIR = denoDir;
  const env = (xdg: string) => ({ ...base, XDG_RUNTIME_DIR: xdg });
  const cmd = daemonCommand();
  const daemon = new Deno.Command(cmd[0], {
    args: [...cmd.slice(1), "--dir", `${withDaemon}/gtc`, "--idle-exit", "600"],
    env: env(withDaemon),
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    // The daemon answers once it listens: wait for its socket.
    for (;;) {
      try {
        (await Deno.connect({ transport: "unix", path: `${withDaemon}/gtc/gtc-v1.sock` }))
          .close();
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    // As scripts/gtc runs it.
    const gtc = [
      deno,
      "run",
      "--allow-all",
      "--quiet",
      `--config=${root}deno.json`,
      `${root}cli/main.ts`,
    ];
    const variants: [string, string[], string][] = [
      ["empty deno run (anchor)", [deno, "run", "--quiet", empty], without],
      ["empty deno run --config deno.json", [
        deno,
        "run",
        "--quiet",
        `--config=${root}deno.json`,
        empty,
      ], without],
      ["raw socket client, --config", [
        deno,
        "run",
        "-A",
        "--quiet",
        `--config=${root}deno.json`,
        raw,
        `${withDaemon}/gtc/gtc-v1.sock`,
      ], withDaemon],
      ["gtc why, daemon", [...gtc, "why"], withDaemon],
      ["gtc current, daemon", [...gtc, "current"], withDaemon],
      ["gtc why --json, daemon", [...gtc, "why", "--json"], withDaemon],
      ["gtc why, daemon, full CLI (--env)", [...gtc, "why", "--env", "GTC_BENCH=1"], withDaemon],
      ["gtc why, no daemon", [...gtc, "why"], without],
      ["gtc current, no daemon", [...gtc, "current"], without],
    ];
    const costs: Cost[][] = variants.map(() => []);
    for (let round = -2; round < opts.runs; round++) {
      for (const [i, [, argv, xdg]] of variants.entries()) {
        const c = runTimed(argv, env(xdg), mod);
        if (round >= 0) costs[i].push(c); // two warm-up rounds fill Deno's caches
      }
    }
    console.log(
      `bench startup: ${opts.runs} interleaved rounds; mean [p10–p90] per process; ` +
        `CPU ratio = ratio of means [p10–p90 of per-round ratios]`,
    );
    console.log(
      `  ${"".padEnd(36)} ${"CPU s".padEnd(20)} ${"CPU ratio".padEnd(20)} ${"peak RSS MiB"}`,
    );
    for (const [i, [name]] of variants.entries()) {
      const cpu = costs[i].map((c) => c.cpu);
      const anchor = costs[0].map((c) => c.cpu);
      // Per-round ratios give the spread; their centre is the ratio of the means.
      const ratios = cpu.map((c, r) => c / Math.max(anchor[r], 0.005));
      const ratio = `${(mean(cpu) / mean(anchor)).toFixed(2)} [${
        quantile(ratios, 0.1).toFixed(2)
      }–${quantile(ratios, 0.9).toFixed(2)}]`;
      const rss = costs[i].map((c) => c.rssMiB);
      console.log(
        `  ${name.padEnd(36)} ${spread(cpu, 3).padEnd(20)} ${(i === 0 ? "1" : ratio).padEnd(20)} ${
          spread(rss, 1)
        }`,
      );
    }
    console.log("  targets: daemon CPU ≤ 1.3×, RSS ≤ 35 MiB; no daemon CPU ≤ 2×");
  } finally {
    daemon.kill("SIGTERM");
    await daemon.status;
    await Deno.remove(tmp, { recursive: true });
  }
}

if (import.meta.main) {
  const i = Deno.args.indexOf("--startup-runs");
  await benchStartup({ runs: i >= 0 ? Number(Deno.args[i + 1]) : 15 });
}
