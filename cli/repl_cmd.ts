/**
 * `gtc repl`: an interactive session (node:readline: line editing, history
 * in $GTC_HOME/repl_history, tab completion, colour) over lib/repl's
 * Session, or, with --script, the same commands read from stdin or a file
 * with no terminal.
 *
 * Everything but commander is imported when the command runs, so that
 * registering it costs the other commands nothing.
 *
 * @module
 */

import type { Command } from "commander";
import type { InstallFn, ListFn, Session } from "../lib/repl/mod.ts";

// install runs gtc install's installer (cli/install_cmd.ts), queries
// included ("1.22", "latest"), with the session's what-if environment.
const installFn: InstallFn = async (req) => {
  const { installToolchain, sourceFlag, toolchainFor } = await import("./install_cmd.ts");
  const source = sourceFlag(req.source, req.name);
  const name = await toolchainFor(req.name, source, req.env);
  const r = await installToolchain(name, source, req.env);
  const where = r.source === "cache" ? "module cache" : `gtc store, ${r.source}`;
  return r.notices.map((n) => `note: ${n}\n`).join("") +
    `${r.downloaded ? "installed" : "already installed:"} ${r.toolchain} (${where}) at ${r.dir}\n`;
};

// list runs `gtc list ARGS` in this process. It reads the process
// environment, not the session's what-if changes (cli/install_cmd.ts keeps
// its inventory function to itself).
const listFn: ListFn = async (req) => {
  const [{ Command }, { registerInstallCommands }] = await Promise.all([
    import("commander"),
    import("./install_cmd.ts"),
  ]);
  const p = new Command("gtc").exitOverride().configureOutput({ writeErr: () => {} });
  registerInstallCommands(p);
  await p.parseAsync(["list", ...req.args], { from: "user" });
  return "";
};

interface ReplFlags {
  script?: string | boolean;
  color?: boolean;
}

function write(fd: "out" | "err", s: string): void {
  if (s === "") return;
  const b = new TextEncoder().encode(s);
  const w = fd === "out" ? Deno.stdout : Deno.stderr;
  let n = 0;
  while (n < b.length) n += w.writeSync(b.subarray(n));
}

/** registerReplCommand adds `gtc repl [dir] [--script [file]] [--no-color]` to program. */
export function registerReplCommand(program: Command): void {
  program.command("repl")
    .description(
      "Interactive session: why, cd, env, and what-if changes (set/unset KEY, mod go|toolchain …) " +
        "that change nothing on disk",
    )
    .argument("[dir]", "directory to start in (default: here)")
    .option(
      "--script [file]",
      "read commands from file (default: stdin), one per line, without a terminal",
    )
    .option("--no-color", "no colour (also when NO_COLOR is set or stdout is not a terminal)")
    .action(async (dir: string | undefined, flags: ReplFlags) => {
      Deno.exitCode = await repl(dir, flags);
    });
}

async function repl(dir: string | undefined, flags: ReplFlags): Promise<number> {
  const interactive = flags.script === undefined || flags.script === false;
  if (interactive && !Deno.stdin.isTerminal()) {
    write(
      "err",
      "gtc repl: stdin is not a terminal; use --script to read commands from stdin or a file\n",
    );
    return 2;
  }
  if (dir !== undefined) {
    let info: Deno.FileInfo | undefined;
    try {
      info = Deno.statSync(dir);
    } catch {
      info = undefined;
    }
    if (!info?.isDirectory) {
      write("err", `gtc: ${dir}: ${info ? "not a directory" : "no such directory"}\n`);
      return 2;
    }
  }
  const [{ Session }, { denoHost }] = await Promise.all([
    import("../lib/repl/mod.ts"),
    import("../lib/host/host.ts"),
  ]);
  const color = flags.color !== false && (Deno.env.get("NO_COLOR") ?? "") === "" &&
    Deno.stdout.isTerminal();
  const session = new Session({
    host: denoHost,
    dir,
    env: Deno.env.toObject(),
    color,
    install: installFn,
    list: listFn,
  });
  if (!interactive) return await runScript(session, flags.script);
  return await runInteractive(session);
}

async function runScript(session: Session, script: string | boolean | undefined): Promise<number> {
  let text: string;
  try {
    if (typeof script === "string" && script !== "-") text = Deno.readTextFileSync(script);
    else text = await new Response(Deno.stdin.readable).text();
  } catch (e) {
    write("err", `gtc repl: ${e instanceof Error ? e.message : e}\n`);
    return 2;
  }
  let failed = false;
  const lines = text.split("\n");
  for (const [i, line] of lines.entries()) {
    const o = await session.run(line.endsWith("\r") ? line.slice(0, -1) : line);
    write("out", o.out);
    // Errors name the script line they come from.
    if (o.err !== "") write("err", `line ${i + 1}: ${o.err}`);
    if (o.failed) failed = true;
    if (o.exit) break;
  }
  return failed ? 1 : 0;
}

async function historyFile(): Promise<string | undefined> {
  const [{ gtcHome }, { historyPath }, { denoHost }] = await Promise.all([
    import("../lib/store/mod.ts"),
    import("../lib/repl/mod.ts"),
    import("../lib/host/host.ts"),
  ]);
  const home = gtcHome(Deno.env.toObject(), denoHost.goos);
  return home === undefined ? undefined : historyPath(home, denoHost.pathStyle);
}

async function runInteractive(session: Session): Promise<number> {
  const [readline, { default: process }, hist] = await Promise.all([
    import("node:readline"),
    import("node:process"),
    import("../lib/repl/mod.ts"),
  ]);
  const file = await historyFile();
  let entries: string[] = [];
  if (file !== undefined) {
    try {
      entries = hist.parseHistory(Deno.readTextFileSync(file));
    } catch {
      entries = [];
    }
  }
  let warned = false;
  const save = () => {
    if (file === undefined) return;
    try {
      const dir = file.slice(0, Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")));
      Deno.mkdirSync(dir || "/", { recursive: true, mode: 0o700 });
      // Commands may carry secrets (set GOPROXY=https://user:token@…): owner-only.
      Deno.writeTextFileSync(file, hist.formatHistory(entries), { mode: 0o600 });
    } catch (e) {
      if (!warned) write("err", `gtc repl: cannot save history: ${(e as Error).message}\n`);
      warned = true;
    }
  };

  const rl = readline.createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: true,
    // readline keeps the newest entry first.
    history: [...entries].reverse(),
    historySize: hist.historyLimit,
    completer: (line: string) => session.complete(line),
  });
  write("out", `gtc repl in ${session.cwd}: help lists the commands, Ctrl-D leaves\n`);
  rl.setPrompt(session.prompt());
  rl.prompt();

  return await new Promise<number>((resolve) => {
    let queue = Promise.resolve();
    let closed = false;
    let exiting = false;
    rl.on("line", (line: string) => {
      entries = hist.addHistory(entries, line);
      save();
      queue = queue.then(async () => {
        if (closed) return;
        let o;
        try {
          o = await session.run(line);
        } catch (e) {
          o = { out: "", err: `internal error: ${(e as Error).message}\n`, exit: false };
        }
        write("out", o.out);
        write("err", o.err);
        if (o.exit) {
          exiting = true;
          rl.close();
          return;
        }
        rl.setPrompt(session.prompt());
        rl.prompt();
      });
    });
    // Ctrl-C discards a line being typed, and leaves at an empty prompt.
    rl.on("SIGINT", () => {
      if (rl.line === "") {
        rl.close();
        return;
      }
      rl.write(null, { ctrl: true, name: "e" });
      rl.write(null, { ctrl: true, name: "u" });
      write("out", "^C\n");
      rl.prompt();
    });
    rl.on("close", () => {
      if (closed) return;
      closed = true;
      // Ctrl-D and Ctrl-C leave the cursor after the prompt.
      if (!exiting) write("out", "\n");
      save();
      queue.then(() => resolve(0));
    });
  });
}
