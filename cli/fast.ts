/**
 * The CLI's fast path: `gtc why` and `gtc current` answered by a running
 * daemon without loading commander, the resolver or the other commands.
 *
 * Start-up is the whole cost of these commands: commander alone costs about
 * as much CPU as an empty `deno run` and +18 MB, and the resolver's module
 * graph more. This module parses the few flags of those two commands itself
 * and asks the daemon through the same function the full CLI uses
 * (resolveViaDaemon: the same trust checks of the socket directory and the
 * socket, the same request), then prints through the same functions as the
 * full CLI (printWhy, printCurrent), so the bytes are the same. Anything it
 * does not handle — another command, --help, a what-if flag, --no-daemon,
 * GTC_DAEMON=off, a directory that is not one, no daemon answering — it
 * declines, and cli/main.ts runs the full CLI in the same process.
 *
 * It must stay small: every static import here is paid by every gtc command.
 *
 * @module
 */

import type { Explanation } from "../lib/resolve/mod.ts";
import { renderProse } from "../lib/explain/render.ts";
import { resolveViaDaemon } from "./daemon_cmd.ts";
import { rememberProject } from "./state.ts";
import * as rt from "../lib/host/runtime.ts";

/** FastCommand is a command line the fast path can answer. */
export interface FastCommand {
  command: "why" | "current";
  /** The directory argument, as given. */
  dir?: string;
  /** why: --json. */
  json: boolean;
  /** why: false with --no-color. */
  color: boolean;
  /** why: -q, --quiet. */
  quiet: boolean;
}

// The flags each command takes that the fast path understands: booleans
// only. Everything else (what-if flags, --help, --) goes to commander.
const fastFlags: Record<FastCommand["command"], Record<string, keyof FastCommand>> = {
  why: { "--json": "json", "--no-color": "color", "-q": "quiet", "--quiet": "quiet" },
  current: {},
};

/**
 * parseFast returns the command line when the fast path may answer it, or
 * undefined for anything the full CLI must handle. env is the environment
 * (GTC_DAEMON=off means: never ask the daemon).
 */
export function parseFast(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): FastCommand | undefined {
  const command = args[0];
  if (command !== "why" && command !== "current") return undefined;
  // GTC_DAEMON=auto may also start a daemon: when none answers, the full
  // CLI does that; when one answers, the answer is the same either way.
  if (env.GTC_DAEMON === "off") return undefined;
  const cmd: FastCommand = { command, json: false, color: true, quiet: false };
  const flags = fastFlags[command];
  for (const a of args.slice(1)) {
    if (a.startsWith("-")) {
      const key = flags[a];
      if (key === undefined) return undefined;
      if (key === "color") cmd.color = false;
      else (cmd as unknown as Record<string, boolean>)[key] = true;
    } else {
      // commander refuses a second argument; let it say so.
      if (cmd.dir !== undefined || a === "") return undefined;
      cmd.dir = a;
    }
  }
  return cmd;
}

/**
 * useColor says whether `gtc why` colours its prose: not with --no-color,
 * not when NO_COLOR is set (https://no-color.org), not when stdout is not a
 * terminal.
 */
export function useColor(flags: { color?: boolean }): boolean {
  if (flags.color === false) return false;
  if ((rt.getEnv("NO_COLOR") ?? "") !== "") return false;
  return rt.isTerminal(1);
}

/** print writes s to stdout, all of it, without console's formatting. */
export function print(s: string): void {
  rt.writeOut(1, s);
}

/** printWhy prints what `gtc why` prints for x and returns the exit code. */
export function printWhy(
  x: Explanation,
  flags: { json?: boolean; color?: boolean; quiet?: boolean },
): number {
  if (flags.json) print(JSON.stringify(x, null, 2) + "\n");
  else print(renderProse(x, { color: useColor(flags), verbose: !flags.quiet }));
  return x.error !== null ? 1 : 0;
}

/** printCurrent prints what `gtc current` prints for x and returns the exit code. */
export function printCurrent(x: Explanation): number {
  if (x.error !== null) {
    // Go's log adds a newline only when the message has none.
    console.error(x.error.replace(/\n$/, ""));
    return 1;
  }
  print(`${x.toolchain}\n`);
  return 0;
}

/**
 * fastPath answers `gtc why` or `gtc current` through a running daemon and
 * returns the exit code, or returns undefined, having printed nothing, when
 * the full CLI must run instead.
 */
export async function fastPath(args: readonly string[]): Promise<number | undefined> {
  await rt.ready();
  const env = rt.environ();
  const cmd = parseFast(args, env);
  if (cmd === undefined) return undefined;
  if (cmd.dir !== undefined) {
    // The full CLI names a missing directory or a file as a usage error.
    try {
      if (!rt.isDirectory(cmd.dir)) return undefined;
    } catch {
      return undefined;
    }
  }
  // Never starts a daemon: with none running, the full CLI decides whether
  // to start one (GTC_DAEMON=auto) or compute here.
  const x = await resolveViaDaemon({ dir: cmd.dir, env, start: false });
  if (x === undefined) return undefined;
  if (cmd.command === "current") return printCurrent(x);
  rememberProject(env, x);
  return printWhy(x, cmd);
}
