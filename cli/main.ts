/**
 * gtc: the command line. Argument parsing and rendering only; every answer
 * comes from mod.ts.
 *
 * @module
 */

import type { Command } from "commander";
import type { Explanation } from "../mod.ts";
import { fastPath, print, printCurrent, printWhy } from "./fast.ts";
import { inWorker } from "../daemon/start.ts";
import * as rt from "../lib/host/runtime.ts";

// `gtc why` and `gtc current` with a daemon running are answered before
// anything below loads (cli/fast.ts). Static imports are evaluated before
// any code runs, so the full CLI's are dynamic and come after; with
// "lazy-dynamic-imports" (deno.json) Deno does not even read their files.
// A fast path that throws has printed nothing: the full CLI then reports it.
// In a worker (see the end of this file) there is no command line.
const fast = inWorker() ? undefined : await fastPath(rt.args()).catch(() => undefined);
if (fast !== undefined) rt.exit(fast);
const commander = await import("commander");
const { goenv, resolveSync } = await import("../mod.ts");
const { denoFs } = await import("../lib/host/fs.ts");
const { denoHost } = await import("../lib/host/host.ts");
const { resolveViaDaemon } = await import("./daemon_cmd.ts");
const { rememberProject, rememberUse } = await import("./state.ts");

// The other commands' modules are imported only when they run (or for the
// command list in --help): install pulls in the store, the sources and
// openpgp (~17 MB), which `gtc why` and `gtc current` must not pay for.
type Register = (program: Command) => void;
const lazyCommands: Record<string, () => Promise<Register>> = {
  install: () => import("./install_cmd.ts").then((m) => m.registerInstallCommands),
  repl: () => import("./repl_cmd.ts").then((m) => m.registerReplCommand),
  ci: () => import("./ci_cmd.ts").then((m) => m.registerCiCommand),
  daemon: () => import("./daemon_cmd.ts").then((m) => m.registerDaemonCommands),
  hook: () => import("./hook_cmd.ts").then((m) => m.registerHookCommands),
  lsp: () => import("./lsp_cmd.ts").then((m) => m.registerLspCommand),
  use: () => import("./use_cmd.ts").then((m) => m.registerUseCommand),
  doctor: () => import("./doctor_cmd.ts").then((m) => m.registerDoctorCommand),
  "self-update": () => import("./self_update_cmd.ts").then((m) => m.registerSelfUpdateCommand),
  tools: () => import("./tools_cmd.ts").then((m) => m.registerToolsCommand),
  completion: () => import("./completion_cmd.ts").then((m) => m.registerCompletionCommands),
};
// install_cmd.ts registers several commands.
const moduleOf: Record<string, string> = {
  install: "install",
  list: "install",
  remove: "install",
  gc: "install",
  get: "install",
  repl: "repl",
  ci: "ci",
  daemon: "daemon",
  hook: "hook",
  lsp: "lsp",
  use: "use",
  doctor: "doctor",
  "self-update": "self-update",
  tools: "tools",
};

/** UsageError is a mistake on the command line: printed without a stack, exit 2. */
class UsageError extends Error {}

interface EnvFlags {
  gotoolchain?: string;
  env?: string[];
  /** false with --no-daemon. */
  daemon?: boolean;
}

// evalEnv applies the what-if flags to this process's environment.
function evalEnv(flags: EnvFlags): Record<string, string> {
  const env = rt.environ();
  for (const kv of flags.env ?? []) {
    const i = kv.indexOf("=");
    if (i <= 0) throw new UsageError(`--env ${kv}: expected KEY=VALUE`);
    env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  if (flags.gotoolchain !== undefined) env.GOTOOLCHAIN = flags.gotoolchain;
  return env;
}

function checkDir(dir: string | undefined): void {
  if (dir === undefined) return;
  const info = denoFs.stat(dir);
  if (info === undefined) throw new UsageError(`${dir}: no such directory`);
  if (!info.isDirectory) throw new UsageError(`${dir}: not a directory`);
}

// explain asks the daemon when one is running (it answers from memory) and
// computes in-process otherwise; the answer is the same object either way.
// It starts a daemon only when GTC_DAEMON=auto: a one-off `gtc why` should
// not leave a process behind.
async function explain(dir: string | undefined, flags: EnvFlags): Promise<Explanation> {
  checkDir(dir);
  const env = evalEnv(flags);
  const mode = rt.getEnv("GTC_DAEMON") ?? "";
  if (flags.daemon !== false && mode !== "off") {
    const x = await resolveViaDaemon({ dir, env, start: mode === "auto" });
    if (x !== undefined) return x;
  }
  return resolveSync({ dir, env });
}

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

function whatIf(cmd: Command): Command {
  return cmd
    .option("--gotoolchain <value>", "evaluate as if GOTOOLCHAIN were <value>")
    .option("--env <KEY=VALUE>", "evaluate with KEY set to VALUE (repeatable)", collect)
    .option("--no-daemon", "compute in this process even when the gtc daemon is running");
}

async function program(args: readonly string[]): Promise<Command> {
  const gtc = new commander.Command("gtc")
    .description("Which Go toolchain runs here, and why: exactly as the go command decides.")
    .version("0.1.0")
    .showHelpAfterError()
    .exitOverride();

  whatIf(
    gtc.command("why")
      .description(
        "Explain which Go toolchain the go command runs in [dir] (default: here), and why",
      )
      .argument("[dir]", "directory to explain")
      .option("--json", "print one JSON object (toolchain, source, goroot, error, trace, …)")
      .option("--no-color", "no colour (also when NO_COLOR is set or stdout is not a terminal)")
      .option("-q, --quiet", "list only the rules that fired"),
  ).action(async (dir: string | undefined, flags) => {
    const x = await explain(dir, flags);
    rememberProject(evalEnv(flags), x);
    if (printWhy(x, flags) !== 0) rt.setExitCode(1);
  });

  whatIf(
    gtc.command("current")
      .description("Print the name of the toolchain the go command runs in [dir], for scripts")
      .argument("[dir]", "directory (default: here)"),
  ).action(async (dir: string | undefined, flags) => {
    const x = await explain(dir, flags);
    if (printCurrent(x) !== 0) rt.setExitCode(1);
  });

  whatIf(
    gtc.command("env")
      .description("Show the Go settings gtc sees and the layer each value came from")
      .argument("[keys...]", "settings to show (default: all that matter to toolchain selection)")
      .option("--json", "print a JSON object KEY → {value, origin}"),
  ).action((keys: string[], flags) => {
    const environ = evalEnv(flags);
    const x = resolveSync({ env: environ });
    const env = new goenv.GoEnv({
      environ,
      fs: denoHost.fs,
      goos: denoHost.goos,
      runtimeGoroot: x.local?.goroot,
    });
    const list = keys.length > 0 ? keys : goenv.knownKeys;
    const rows = list.map((k) => {
      const s = env.lookup(k);
      return { key: k, value: s.value, origin: goenv.describeOrigin(s.origin) };
    });
    if (flags.json) {
      const obj: Record<string, { value: string; origin: string }> = {};
      for (const r of rows) obj[r.key] = { value: r.value, origin: r.origin };
      print(JSON.stringify(obj, null, 2) + "\n");
      return;
    }
    const w = Math.max(...rows.map((r) => `${r.key}=${r.value}`.length));
    for (const r of rows) print(`${`${r.key}=${r.value}`.padEnd(w)}  # ${r.origin}\n`);
    print(
      `# go env file: ${env.envFile.path || "none"} (${env.envFile.reason}${
        env.envFile.path && !env.envFile.exists ? ", missing" : ""
      })\n`,
    );
  });

  whatIf(
    gtc.command("exec")
      .description(
        "Run a command with the toolchain the go command selects in [dir]: " +
          "`gtc exec -- go build ./...`",
      )
      .argument("[dir]", "directory whose selection to use (default: here)")
      .argument("[command...]", "the command after --; `go` is replaced by the selected toolchain")
      .usage("[options] [dir] -- <command...>"),
  ).action(async (first: string | undefined, rest: string[], flags) => {
    // Everything after the first "--" is the command; before it, at most a dir.
    const dashdash = rt.args().indexOf("--");
    if (dashdash < 0) {
      throw new UsageError("exec: put the command after --: gtc exec [dir] -- go version");
    }
    const argv = rt.args().slice(dashdash + 1);
    const dir = first !== undefined && rt.args().indexOf(first) < dashdash ? first : undefined;
    void rest;
    if (argv.length === 0) throw new UsageError("exec: missing command after --");
    const x = await explain(dir, flags);
    rt.setExitCode(await execSelected(x, argv, evalEnv(flags), flags.daemon !== false));
  });

  // The command is the first word that is not an option; with none (or an
  // unknown one, or "help") every module registers, for the command list.
  const first = args.find((a) => !a.startsWith("-"));
  const wanted = first !== undefined && first in moduleOf
    ? [moduleOf[first]]
    : first !== undefined && ["why", "current", "env", "exec"].includes(first)
    ? []
    : Object.keys(lazyCommands);
  for (const m of wanted) (await lazyCommands[m]())(gtc);
  return gtc;
}

// execSelected runs argv with the selected toolchain and the environment the
// go command would give it, downloading the toolchain first when the go
// command would.
async function execSelected(
  x: Explanation,
  argv: string[],
  environ: Record<string, string>,
  useDaemon: boolean,
): Promise<number> {
  if (x.error !== null) {
    console.error(x.error.replace(/\n$/, ""));
    return 1;
  }
  rememberProject(environ, x);
  let exe = x.exe;
  if (x.source === "cache" && x.toolchain !== null) {
    // The go command verifies a cached toolchain against the checksum
    // database before it runs it; resolve checked what the files show.
    const { verifyCachedToolchain } = await import("./install_cmd.ts");
    const refused = await verifyCachedToolchain(x, environ, useDaemon);
    if (refused !== undefined) {
      console.error(`go: ${refused.replace(/\n$/, "")}`);
      return 1;
    }
  }
  if (x.source === "download" && x.toolchain !== null) {
    const { installToolchain } = await import("./install_cmd.ts");
    const r = await installToolchain(x.toolchain, "goproxy", environ, { daemon: useDaemon });
    exe = `${r.dir}/bin/go${Deno.build.os === "windows" ? ".exe" : ""}`;
  }
  if (exe === null) throw new Error(`${x.toolchain}: no program to run`);
  const { selectedEnv } = await import("../lib/tools/rebuild.ts");
  const env = selectedEnv(x, environ);
  if (x.toolchain !== null) rememberUse(environ, x.toolchain);
  let [cmd, ...args] = argv;
  if (cmd === "go") cmd = exe;
  try {
    const child = new Deno.Command(cmd, { args, env, clearEnv: true, cwd: x.dir }).spawn();
    const st = await child.status;
    return st.signal ? 128 + signalNumber(st.signal) : st.code;
  } catch (e) {
    console.error(`gtc: exec ${cmd}: ${e instanceof Error ? e.message : e}`);
    return 127;
  }
}

function signalNumber(sig: Deno.Signal): number {
  const n: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
  return n[sig] ?? 1;
}

async function main(args: string[]): Promise<number> {
  try {
    await rt.ready();
    await (await program(args)).parseAsync(args, { from: "user" });
    return rt.exitCode();
  } catch (e) {
    if (e instanceof commander.CommanderError) {
      // commander already printed help, the version or the usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      console.error(`gtc: ${e.message}`);
      return 2;
    }
    if (rt.getEnv("GTC_DEBUG")) throw e;
    // Programming errors are ours; every other error is a message for the
    // user (a failed download, a refused signature, a malformed file), printed
    // once with the gtc: prefix and, like Go's log, one final newline.
    if (
      !(e instanceof Error) || e instanceof TypeError || e instanceof ReferenceError ||
      e instanceof RangeError
    ) {
      console.error(
        `gtc: internal error: ${e instanceof Error ? e.message : e} (set GTC_DEBUG=1 for a trace)`,
      );
      return 3;
    }
    const msg = `gtc: ${e.message}`;
    rt.writeOut(2, msg.endsWith("\n") ? msg : msg + "\n");
    return 1;
  }
}

// In the one-file forms the daemon's worker (daemon/heavy.ts) loads this
// same file: there it computes answers instead of running the command line.
if (inWorker()) await import("../daemon/compute_worker.ts");
else rt.exit(await main(rt.args()));
