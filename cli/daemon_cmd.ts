/**
 * `gtc daemon start|stop|status|restart|run`, and resolveViaDaemon, which
 * `gtc why` and `gtc current` use to answer through the daemon (starting it
 * on demand) with the same Explanation they would compute in-process;
 * daemonClient, which `gtc install`, `list`, `remove` and `gc` use the same
 * way.
 *
 * Only `gtc daemon run` loads the daemon itself (and json-rpc-2.0); the
 * other commands use the thin client.
 *
 * @module
 */

import type { Command } from "commander";
import type { Explanation } from "../mod.ts";
import { type Client, connect } from "../lib/rpc/client.ts";
import { daemonAddress } from "../lib/rpc/address.ts";
import type { StatusResult } from "../lib/rpc/protocol.ts";
import { daemonCommand } from "../daemon/start.ts";

/** ResolveViaDaemonOptions: what `gtc why`/`current` evaluate. */
export interface ResolveViaDaemonOptions {
  /** The directory (default: here); relative to this process's directory. */
  dir?: string;
  /** The environment to evaluate in (the what-if flags already applied). */
  env: Record<string, string>;
  /** Start the daemon when none answers (default true). */
  start?: boolean;
  /** How long to wait for a started daemon (default 5000 ms). */
  startTimeoutMs?: number;
}

/**
 * resolveViaDaemon returns the daemon's Explanation for opts.dir and
 * opts.env — the object resolveSync would return — or undefined when the
 * daemon cannot be reached or started, so the caller can compute in-process.
 */
export async function resolveViaDaemon(
  opts: ResolveViaDaemonOptions,
): Promise<Explanation | undefined> {
  let c: Client | undefined;
  try {
    c = await connect({
      env: opts.env,
      start: opts.start === false ? false : daemonCommand(),
      startTimeoutMs: opts.startTimeoutMs,
      reconnect: true,
    });
    return await c.resolve(opts.dir ?? Deno.cwd());
  } catch {
    return undefined;
  } finally {
    c?.close();
  }
}

/**
 * daemonClient returns a client to the running daemon for a command that
 * can also run in this process, or undefined to run in-process: with
 * --no-daemon (enabled false) or GTC_DAEMON=off, and when no daemon answers
 * (GTC_DAEMON=auto starts one, as for `gtc why`).
 */
export async function daemonClient(
  opts: { enabled?: boolean; startTimeoutMs?: number } = {},
): Promise<Client | undefined> {
  const mode = Deno.env.get("GTC_DAEMON") ?? "";
  if (opts.enabled === false || mode === "off") return undefined;
  try {
    return await connect({
      start: mode === "auto" ? daemonCommand() : false,
      startTimeoutMs: opts.startTimeoutMs,
      reconnect: false,
    });
  } catch {
    return undefined;
  }
}

function print(s: string): void {
  Deno.stdout.writeSync(new TextEncoder().encode(s));
}

function fail(msg: string, code = 1): void {
  console.error(`gtc: ${msg}`);
  Deno.exitCode = code;
}

interface DirFlags {
  dir?: string;
}

function addressOf(flags: DirFlags) {
  return daemonAddress({ env: Deno.env.toObject(), goos: Deno.build.os, dir: flags.dir });
}

// running returns a client to a running daemon, or undefined (never starts one).
async function running(flags: DirFlags): Promise<Client | undefined> {
  try {
    return await connect({ dir: flags.dir, start: false, reconnect: false });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (msg.startsWith("gtc daemon: refusing")) throw e;
    return undefined;
  }
}

async function waitGone(socket: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      Deno.lstatSync(socket);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

function describe(s: StatusResult): string {
  const mb = (s.rssBytes / 1e6).toFixed(1);
  return [
    `gtc daemon: running (pid ${s.pid}, gtc ${s.version}, protocol v${s.protocol})`,
    `  address:       ${s.address}`,
    `  log:           ${s.logFile ?? "none"}`,
    `  up:            ${
      Math.round(s.uptimeMs / 1000)
    } s, ${s.requests} requests, ${s.connections} connections`,
    `  answers:       ${s.entries} cached, ${s.subscriptions} subscriptions, ${s.watcher.evicted} evicted`,
    `  watcher:       ${s.watcher.kind}, ${s.watcher.dirs} directories` +
    (s.watcher.unwatchable ? `, ${s.watcher.unwatchable} unwatchable (not cached)` : "") +
    `, ${s.watcher.rescans} rescans, ${s.watcher.missed} missed changes`,
    `  memory:        ${mb} MB RSS`,
    `  idle exit:     ${s.idleExitMs ? `${s.idleExitMs / 1000} s` : "never"}`,
    "",
  ].join("\n");
}

async function start(flags: DirFlags & { idleExit?: string }): Promise<void> {
  const c0 = await running(flags);
  if (c0 !== undefined) {
    const s = await c0.status();
    c0.close();
    print(`gtc daemon: already running (pid ${s.pid}) at ${s.address}\n`);
    return;
  }
  const cmd = daemonCommand();
  if (flags.idleExit !== undefined) cmd.push("--idle-exit", flags.idleExit);
  const c = await connect({ dir: flags.dir, start: cmd, reconnect: false });
  const s = await c.status();
  c.close();
  print(`gtc daemon: started (pid ${s.pid}) at ${s.address}\n`);
}

async function stop(flags: DirFlags): Promise<boolean> {
  const c = await running(flags);
  if (c === undefined) {
    print("gtc daemon: not running\n");
    return false;
  }
  const { pid } = await c.shutdown();
  c.close();
  if (!await waitGone(addressOf(flags).socket, 5000)) {
    fail(`daemon (pid ${pid}) did not stop within 5 s`);
    return true;
  }
  print(`gtc daemon: stopped (pid ${pid})\n`);
  return true;
}

/** registerDaemonCommands adds `gtc daemon …` to program. */
export function registerDaemonCommands(program: Command): void {
  const d = program.command("daemon")
    .description("Manage the per-user gtc daemon that caches and watches answers");
  const dirOpt = (c: Command) =>
    c.option(
      "--dir <dir>",
      "the daemon's private socket directory (default: $XDG_RUNTIME_DIR/gtc)",
    );

  dirOpt(
    d.command("start")
      .description("Start the daemon in the background unless it runs")
      .option("--idle-exit <seconds>", "exit after this long without clients"),
  ).action(async (flags) => {
    await start(flags);
  });

  dirOpt(d.command("stop").description("Stop the daemon")).action(async (flags) => {
    await stop(flags);
  });

  dirOpt(
    d.command("status")
      .description("Show whether the daemon runs, and its caches, watches and memory")
      .option("--json", "print the status object"),
  ).action(async (flags) => {
    const c = await running(flags);
    if (c === undefined) {
      if (flags.json) print("null\n");
      else print(`gtc daemon: not running (${addressOf(flags).socket})\n`);
      Deno.exitCode = 3;
      return;
    }
    const s = await c.status();
    c.close();
    print(flags.json ? JSON.stringify(s, null, 2) + "\n" : describe(s));
  });

  dirOpt(
    d.command("restart")
      .description("Stop the daemon if it runs, then start it")
      .option("--idle-exit <seconds>", "exit after this long without clients"),
  ).action(async (flags) => {
    await stop(flags);
    if (Deno.exitCode) return;
    await start(flags);
  });

  dirOpt(
    d.command("run")
      .description("Run the daemon in the foreground (logs to stderr and its log file)")
      .option("--idle-exit <seconds>", "exit after this long without clients", "0")
      .option("--log <file>", "log file (default: daemon.log beside the socket)")
      .option("--watcher <kind>", "inotify (Linux default) or deno")
      // The daemon's tuning options (--shell-check, --stall-timeout, …) are
      // read by its own parser below, which `daemon/main.ts run` also uses.
      .allowUnknownOption()
      .allowExcessArguments(),
  ).action(async () => {
    const { parseDaemonArgs, runDaemon } = await import("../daemon/main.ts");
    const args = Deno.args.slice(Deno.args.indexOf("run", Deno.args.indexOf("daemon")) + 1);
    const o = parseDaemonArgs(args);
    if (typeof o === "string") {
      fail(`daemon run: ${o}`, 2);
      return;
    }
    Deno.exitCode = await runDaemon({ ...o, foreground: o.foreground ?? true });
  });
}
