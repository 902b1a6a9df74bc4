/**
 * deno task bench: wall time of `gtc why` (no daemon, in-process CLI from
 * source) in a Go module, against the go command measured in the same run:
 * `GOTOOLCHAIN=local go env GOVERSION` and `go version`. Prints medians and
 * the ratios gtc / go.
 *
 * Then scripts/bench/bigmod.ts: `gtc why` against `go version` on a 21 MB
 * go.mod (time, CPU and peak RSS ratios), and scripts/bench/install.ts: a
 * toolchain-sized install from a loopback GOPROXY by gtc against `go mod
 * download` (wall time ratio, peak RSS).
 *
 * Then scripts/bench/startup.ts: CPU time and peak RSS of `gtc why` and
 * `gtc current` through a running daemon and without one, against an empty
 * `deno run` in the same run.
 *
 * Usage: scripts/deno task bench [--runs N] [--startup-runs N] [--bigmod-runs N]
 *   [--install-runs N]
 *
 * @module
 */

import { findGo } from "./_go.ts";

const runs = Number(argValue("--runs") ?? 30);
const warmup = 3;

function argValue(flag: string): string | undefined {
  const i = Deno.args.indexOf(flag);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}

interface Stats {
  median: number;
  p10: number;
  p90: number;
}

function measure(cmd: string, args: string[], env: Record<string, string>, cwd: string): Stats {
  const times: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const t0 = performance.now();
    const out = new Deno.Command(cmd, {
      args,
      env,
      clearEnv: true,
      cwd,
      stdout: "null",
      stderr: "piped",
    })
      .outputSync();
    const dt = performance.now() - t0;
    if (out.code !== 0) {
      throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
    }
    if (i >= warmup) times.push(dt);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { median: q(0.5), p10: q(0.1), p90: q(0.9) };
}

const go = findGo();
if (go === undefined) {
  console.log("bench: no go command found; nothing to compare against");
  Deno.exit(0);
}
const dir = Deno.makeTempDirSync({ prefix: "gtc-bench-" });
try {
  Deno.mkdirSync(`${dir}/m/internal/pkg`, { recursive: true });
  Deno.writeTextFileSync(
    `${dir}/m/go.mod`,
    "module example.com/m\n\ngo 1.22\n\ntoolchain go1.22.3\n",
  );
  const env: Record<string, string> = {
    PATH: `${go.slice(0, go.lastIndexOf("/"))}:/usr/bin:/bin`,
    HOME: Deno.env.get("HOME") ?? dir,
    GOTOOLCHAIN: "local",
    NO_COLOR: "1",
  };
  const deno = Deno.execPath();
  const cli = new URL("../../cli/main.ts", import.meta.url).pathname;
  const cwd = `${dir}/m/internal/pkg`;
  console.log(
    `bench: ${runs} runs each (+${warmup} warm-up), median [p10–p90] wall ms, cwd ${cwd}`,
  );
  const rows: [string, Stats][] = [
    [
      "gtc why (deno run, no daemon)",
      measure(deno, ["run", "-A", "--quiet", cli, "why"], env, cwd),
    ],
    ["gtc why --json", measure(deno, ["run", "-A", "--quiet", cli, "why", "--json"], env, cwd)],
    ["GOTOOLCHAIN=local go env GOVERSION", measure(go, ["env", "GOVERSION"], env, cwd)],
    ["go version", measure(go, ["version"], env, cwd)],
  ];
  for (const [name, s] of rows) {
    console.log(
      `  ${name.padEnd(38)} ${s.median.toFixed(1).padStart(7)} [${s.p10.toFixed(1)}–${
        s.p90.toFixed(1)
      }]`,
    );
  }
  const gtc = rows[0][1].median;
  console.log(`ratio gtc why / go env GOVERSION: ${(gtc / rows[2][1].median).toFixed(2)}`);
  console.log(`ratio gtc why / go version:       ${(gtc / rows[3][1].median).toFixed(2)}`);
} finally {
  Deno.removeSync(dir, { recursive: true });
}

// Start-up of `gtc why`/`current` with and without a daemon, against an empty `deno run`.
const { benchStartup } = await import("./startup.ts");
await benchStartup({ runs: Number(argValue("--startup-runs") ?? 15) });

// A 21 MB go.mod: gtc why against go version.
const { benchBigMod } = await import("./bigmod.ts");
await benchBigMod({ runs: Number(argValue("--bigmod-runs") ?? 5) });

// Last: toolchain install from a loopback GOPROXY, gtc against `go mod download`.
const { benchInstall } = await import("./install.ts");
await benchInstall({ runs: Number(argValue("--install-runs") ?? 3) });
