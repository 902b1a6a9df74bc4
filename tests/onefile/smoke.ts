/**
 * The one-file smoke suite: every kind of gtc command, run through whatever
 * command runs gtc (a bundle on Deno, an arm64 Deno under qemu, a compiled
 * binary, later Node), against the loopback GOPROXY + checksum database
 * fixture, in a temp directory with no checkout in it. The fixture and this
 * runner live in the calling Deno process; only gtc runs through the given
 * command.
 *
 * Steps: --version, why, current, install (from the loopback proxy, verified
 * by the fixture's checksum database), exec, ci, repl --script, daemon
 * start / status (and an answer through it), an answer the daemon computes
 * in its worker (a go.mod over 1 MiB), one bash and one zsh prompt
 * through `gtc hook`, daemon stop, and a hook starting the daemon by itself
 * (its `_gtc_start` re-runs this very program).
 *
 * As a program:
 *
 *   deno run -A tests/onefile/smoke.ts [--platform linux-arm64] [--no-self-spawn REASON]
 *     [--daemon-arg WORD] [--only why,current] [--json] -- <argv that runs gtc…>
 *
 * prints one line per step and a closing `smoke: N passed, N failed, N
 * skipped in S s` line; exit 1 when a step failed.
 *
 * @module
 */

import { hostPlatform, startFixture } from "../fixtures/mod.ts";
import { fakeGoScript } from "../fixtures/toolchain_zip.ts";
import { NOT_ON_PATH_MARK } from "../../lib/hooks/mod.ts";

/** SmokeOptions say how to run gtc and what it runs on. */
export interface SmokeOptions {
  /** The argv that runs gtc; gtc's own arguments are appended. */
  gtc: readonly string[];
  /** "<goos>-<goarch>" of the gtc under test, in Go's names (default: this machine's). */
  platform?: string;
  /**
   * Why gtc cannot start itself here (e.g. an emulated binary without
   * binfmt_misc): the daemon and hook steps are skipped with this reason.
   */
  noSelfSpawn?: string;
  /**
   * A word the started daemon's command line must contain (the bundle's or
   * binary's path): proves the daemon is this program, not a checkout. Checked
   * where /proc exists.
   */
  daemonArg?: string;
  /** Run only the steps with these names (default: all). */
  only?: readonly string[];
  /** Called as each step ends. */
  onResult?: (r: StepResult) => void;
}

/** StepResult is one step's outcome. */
export interface StepResult {
  name: string;
  status: "pass" | "fail" | "skip";
  /** Wall time of the step (the gtc processes it ran), in milliseconds. */
  ms: number;
  /** Why it failed or was skipped. */
  detail: string;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const TOOLCHAIN = "go1.99.1";
const LOCAL = "go1.98.0";

function check(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(msg);
}

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function which(program: string): boolean {
  for (const d of ["/usr/bin", "/bin", "/usr/local/bin"]) {
    try {
      if (Deno.statSync(`${d}/${program}`).isFile) return true;
    } catch {
      // Not here.
    }
  }
  return false;
}

/** runSmoke runs every step and returns their results (it throws only when the fixture fails). */
export async function runSmoke(opts: SmokeOptions): Promise<StepResult[]> {
  const platform = opts.platform ?? hostPlatform();
  const [goos, goarch] = platform.split("-");
  const f = await startFixture({ toolchains: [TOOLCHAIN], platforms: [platform] });
  const results: StepResult[] = [];
  try {
    // The go on PATH: go1.98.0, older than go.mod's go line, so GOTOOLCHAIN=auto
    // switches to go1.99.1, which only the loopback proxy has.
    const goroot = `${f.dir}/goroot`;
    Deno.mkdirSync(`${goroot}/bin`, { recursive: true });
    Deno.writeTextFileSync(`${goroot}/bin/go`, fakeGoScript(LOCAL, goos, goarch), { mode: 0o755 });
    Deno.writeTextFileSync(`${goroot}/VERSION`, `${LOCAL}\ntime 2026-01-01T00:00:00Z\n`);
    const m = `${f.work}/m`;
    Deno.mkdirSync(m);
    Deno.writeTextFileSync(`${m}/go.mod`, `module example.com/m\n\ngo ${TOOLCHAIN.slice(2)}\n`);
    const xdg = `${f.dir}/xdg`;
    Deno.mkdirSync(xdg, { mode: 0o700 });
    const env: Record<string, string> = {
      ...f.env,
      PATH: `${goroot}/bin:/usr/bin:/bin`,
      GOTOOLCHAIN: "auto",
      GTC_HOME: `${f.dir}/gtchome`,
      XDG_RUNTIME_DIR: xdg,
      NO_COLOR: "1",
      LANG: "C.UTF-8",
      // A gtc run from source finds its npm packages; a bundle needs none.
      DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
    };
    const cachedDir = `${f.gomodcache}/golang.org/toolchain@v0.0.1-${TOOLCHAIN}.${goos}-${goarch}`;

    const gtc = async (args: string[], stdin?: string, extra: Record<string, string> = {}) => {
      const [cmd, ...pre] = opts.gtc;
      return await run([cmd, ...pre, ...args], { ...env, ...extra }, m, stdin);
    };
    const step = async (name: string, fn: () => Promise<void>, skip?: string) => {
      const t0 = performance.now();
      let r: StepResult;
      if (opts.only !== undefined && !opts.only.includes(name)) return;
      if (skip !== undefined) r = { name, status: "skip", ms: 0, detail: skip };
      else {
        try {
          await fn();
          r = { name, status: "pass", ms: performance.now() - t0, detail: "" };
        } catch (e) {
          const detail = e instanceof Error ? e.message : String(e);
          r = { name, status: "fail", ms: performance.now() - t0, detail };
        }
      }
      results.push(r);
      opts.onResult?.(r);
    };
    const ok = (r: Run, what: string) =>
      check(r.code === 0, `${what}: exit ${r.code}\n${r.stderr}${r.stdout}`);

    await step("--version", async () => {
      const r = await gtc(["--version"]);
      ok(r, "gtc --version");
      check(/^\d+\.\d+\.\d+\n$/.test(r.stdout), `--version printed ${JSON.stringify(r.stdout)}`);
    });
    await step("why", async () => {
      const r = await gtc(["why", "--json", "--no-daemon"]);
      ok(r, "gtc why");
      const x = JSON.parse(r.stdout);
      check(x.toolchain === TOOLCHAIN, `why: toolchain ${x.toolchain}, want ${TOOLCHAIN}`);
      check(x.source === "download", `why: source ${x.source}, want download`);
      check(x.local?.toolchain === LOCAL, `why: local ${JSON.stringify(x.local)}, want ${LOCAL}`);
    });
    await step("current", async () => {
      const r = await gtc(["current"]);
      ok(r, "gtc current");
      check(r.stdout === `${TOOLCHAIN}\n`, `current printed ${JSON.stringify(r.stdout)}`);
    });
    await step("install", async () => {
      const r = await gtc(["install", "--json"]);
      ok(r, "gtc install");
      const x = JSON.parse(r.stdout);
      check(x.toolchain === TOOLCHAIN && x.downloaded === true, `install printed ${r.stdout}`);
      check(Deno.statSync(`${cachedDir}/bin/go`).isFile, `no ${cachedDir}/bin/go`);
      const n = f.requestCounts()[f.zipPath(TOOLCHAIN)];
      check(n === 1, `the zip was fetched ${n} times, want 1`);
    });
    await step("exec", async () => {
      const r = await gtc(["exec", "--", "go", "version"]);
      ok(r, "gtc exec");
      const want = `go version ${TOOLCHAIN} ${goos}/${goarch}\n`;
      check(r.stdout === want, `exec printed ${JSON.stringify(r.stdout)}, want ${want}`);
      check(f.requestCounts()[f.zipPath(TOOLCHAIN)] === 1, "exec downloaded again");
    });
    await step("ci", async () => {
      const r = await gtc(["ci", "--format", "json"]);
      ok(r, "gtc ci");
      const x = JSON.parse(r.stdout);
      check(x.toolchain === TOOLCHAIN && x.installed === false, `ci printed ${r.stdout}`);
      check(x.env.GOROOT === cachedDir, `ci: GOROOT ${x.env.GOROOT}, want ${cachedDir}`);
    });
    await step("repl --script", async () => {
      const r = await gtc(["repl", "--script"], "set GOTOOLCHAIN=local\nwhy --json\n");
      ok(r, "gtc repl --script");
      check(r.stderr === "", `repl wrote to stderr: ${r.stderr}`);
      const brace = r.stdout.indexOf("{");
      check(brace >= 0, `repl printed no JSON: ${r.stdout}`);
      const x = JSON.parse(r.stdout.slice(brace));
      check(x.toolchain === LOCAL, `repl: with GOTOOLCHAIN=local, toolchain ${x.toolchain}`);
    });

    const noSpawn = opts.noSelfSpawn;
    let pid = 0;
    let startMs = 0;
    await step("daemon start", async () => {
      const t0 = Date.now();
      const r = await gtc(["daemon", "start", "--idle-exit", "120"]);
      startMs = Date.now() - t0;
      ok(r, "gtc daemon start");
      const mm = /started \(pid (\d+)\)/.exec(r.stdout);
      check(mm, `daemon start printed ${JSON.stringify(r.stdout)}`);
      pid = Number(mm[1]);
      if (opts.daemonArg !== undefined) {
        let cmdline: string | undefined;
        try {
          cmdline = Deno.readTextFileSync(`/proc/${pid}/cmdline`);
        } catch {
          // No /proc: nothing to compare.
        }
        if (cmdline !== undefined) {
          check(
            cmdline.split("\0").includes(opts.daemonArg),
            `the daemon runs ${cmdline.replaceAll("\0", " ")}, not ${opts.daemonArg}`,
          );
        }
      }
    }, noSpawn);
    await step("daemon status", async () => {
      const before = await status(gtc);
      check(before?.pid === pid, `status: pid ${before?.pid}, want ${pid}`);
      const r = await gtc(["current"]);
      ok(r, "gtc current through the daemon");
      check(r.stdout === `${TOOLCHAIN}\n`, `current printed ${JSON.stringify(r.stdout)}`);
      const after = await status(gtc);
      check(after!.requests > before!.requests, "current did not ask the daemon");
    }, noSpawn);
    await step("daemon worker (large go.mod)", async () => {
      // Over the daemon's inline limit (1 MiB), a go.mod is parsed in a
      // worker (daemon/heavy.ts): in one-file forms that worker is this
      // same program, loaded again.
      const big = `${f.work}/big`;
      Deno.mkdirSync(big);
      const pad = "// padding to make the daemon read this file in a worker\n".repeat(24_000);
      Deno.writeTextFileSync(`${big}/go.mod`, `module example.com/big\n\n${pad}go 1.99.1\n`);
      const r = await gtc(["current", big]);
      ok(r, "gtc current through the daemon's worker");
      check(r.stdout === `${TOOLCHAIN}\n`, `current printed ${JSON.stringify(r.stdout)}`);
    }, noSpawn);
    const prompt = async (shell: "bash" | "zsh") => {
      const h = await gtc(["hook", shell, "--no-start"]);
      ok(h, `gtc hook ${shell}`);
      const hook = `${f.dir}/hook.${shell}`;
      Deno.writeTextFileSync(hook, h.stdout);
      // One prompt: what the shell runs before drawing it (PROMPT_COMMAND,
      // precmd), then the variables the prompt shows.
      const script = `source '${hook}'\ncd '${m}'\n_gtc_hook\n` +
        `printf '%s|%s\\n' "$GTC_TOOLCHAIN" "$GTC_PROMPT"\n`;
      const argv = shell === "bash"
        ? ["bash", "--noprofile", "--norc", "-c", script]
        : ["zsh", "-f", "-c", script];
      const r = await run(argv, env, f.work);
      ok(r, shell);
      const want = `${TOOLCHAIN}|${TOOLCHAIN}${NOT_ON_PATH_MARK}\n`;
      check(r.stdout === want, `${shell} prompt: ${JSON.stringify(r.stdout)}, want ${want}`);
    };
    for (const shell of ["bash", "zsh"] as const) {
      await step(
        `${shell} prompt`,
        () => prompt(shell),
        noSpawn ?? (which(shell) ? undefined : `${shell} is not installed`),
      );
    }
    await step("daemon stop", async () => {
      const r = await gtc(["daemon", "stop"]);
      ok(r, "gtc daemon stop");
      check(r.stdout === `gtc daemon: stopped (pid ${pid})\n`, `daemon stop printed ${r.stdout}`);
      check(await status(gtc) === null, "the daemon still answers");
    }, noSpawn);
    await step("hook starts the daemon", async () => {
      const h = await gtc(["hook", "bash", "--idle-exit", "60"]);
      ok(h, "gtc hook bash");
      const hook = `${f.dir}/hook-start.bash`;
      Deno.writeTextFileSync(hook, h.stdout);
      // No daemon answers: the prompt starts one with the hook's _gtc_start
      // (this program, re-run as `gtc daemon run`).
      const t0 = Date.now();
      const r = await run(
        ["bash", "--noprofile", "--norc", "-c", `source '${hook}'\n_gtc_hook\n`],
        env,
        m,
      );
      ok(r, "bash");
      // Wait for the started daemon's socket: as long as `gtc daemon start`
      // took in this run, ten times over (emulated runtimes are slow), and
      // at least a minute.
      const socket = `${xdg}/gtc/gtc-v1.sock`;
      const deadline = Date.now() + Math.max(60_000, 10 * startMs);
      while (!exists(socket) && Date.now() < deadline) {
        await new Promise((res) => setTimeout(res, 100));
      }
      const s = await status(gtc);
      check(
        s !== null,
        `no daemon ${Math.round((Date.now() - t0) / 1000)} s after the hook's prompt`,
      );
      const st = await gtc(["daemon", "stop"]);
      ok(st, "gtc daemon stop");
    }, noSpawn ?? (which("bash") ? undefined : "bash is not installed"));
  } finally {
    // A daemon left by a failed step: stop it, by its own command.
    const lock = `${f.dir}/xdg/gtc/gtc-v1.lock`;
    try {
      const pid = Number(Deno.readTextFileSync(lock).trim());
      if (pid > 0) Deno.kill(pid, "SIGTERM");
    } catch {
      // None.
    }
    await f.close();
  }
  return results;
}

async function status(
  gtc: (args: string[]) => Promise<Run>,
): Promise<{ pid: number; requests: number } | null> {
  const r = await gtc(["daemon", "status", "--json"]);
  if (r.code === 3) return null;
  check(r.code === 0, `daemon status: exit ${r.code}\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function run(
  argv: string[],
  env: Record<string, string>,
  cwd: string,
  stdin?: string,
): Promise<Run> {
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    env,
    clearEnv: true,
    cwd,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** formatResult is one line of the suite's output. */
export function formatResult(r: StepResult): string {
  const head = `${r.status.padEnd(4)}  ${r.name.padEnd(28)} ${
    (r.ms / 1000).toFixed(2).padStart(7)
  } s`;
  return r.detail === "" ? head : `${head}  ${r.detail.split("\n").join("\n      ")}`;
}

/** summarize counts results: "N passed, N failed, N skipped in S s". */
export function summarize(results: readonly StepResult[]): string {
  const n = (s: StepResult["status"]) => results.filter((r) => r.status === s).length;
  const total = results.reduce((a, r) => a + r.ms, 0) / 1000;
  return `${n("pass")} passed, ${n("fail")} failed, ${n("skip")} skipped in ${total.toFixed(1)} s`;
}

if (import.meta.main) {
  const args = [...Deno.args];
  const dd = args.indexOf("--");
  const gtcArgv = dd >= 0 ? args.slice(dd + 1) : [];
  const own = dd >= 0 ? args.slice(0, dd) : args;
  const opt = (name: string) => {
    const i = own.indexOf(name);
    return i >= 0 ? own[i + 1] : undefined;
  };
  if (gtcArgv.length === 0) {
    console.error(
      "usage: smoke.ts [--platform goos-goarch] [--no-self-spawn REASON] [--daemon-arg WORD] " +
        "[--only step,step] [--json] -- <gtc argv>",
    );
    Deno.exit(2);
  }
  const json = own.includes("--json");
  const results = await runSmoke({
    gtc: gtcArgv,
    platform: opt("--platform"),
    noSelfSpawn: opt("--no-self-spawn"),
    daemonArg: opt("--daemon-arg"),
    only: opt("--only")?.split(","),
    onResult: json ? undefined : (r) => console.log(formatResult(r)),
  });
  if (json) console.log(JSON.stringify(results, null, 2));
  else console.log(`smoke: ${summarize(results)}`);
  Deno.exit(results.some((r) => r.status === "fail") ? 1 : 0);
}
