/**
 * `gtc completion bash|zsh|fish|pwsh`: shell code for tab completion, and the
 * hidden `gtc complete -- <words>` the shell code calls on each TAB.
 *
 * Both come from @bomb.sh/tab over the live commander program: its commander
 * adapter walks the command tree (commands, options, arguments, choices) and
 * its scripts (ported from Cobra's) ask `gtc complete` for candidates at TAB
 * time. So every command another module registers is completed without a
 * list kept here; the tree is read when a completion command runs, after
 * cli/main.ts has registered every command module (it registers them all
 * for a command it does not know to be lazy, as it does for these two).
 *
 * What gtc adds on top, by the name commander gives an argument or an
 * option's value: toolchain names (installed, and offered by GOPROXY) for
 * <version>, <name>, <toolchain>; directories for <dir>.
 *
 * @module
 */

import { Argument, type Command } from "commander";

const shells = ["bash", "zsh", "fish", "pwsh", "powershell"];
/** Value names completed with toolchain names. */
const toolchainValues = new Set(["version", "name", "toolchain"]);
/** Value names completed with directories. */
const dirValues = new Set(["dir"]);

// The ShellCompDirective bits of the protocol (Cobra's).
const noFileComp = 4;
const filterDirs = 16;

interface TabCompletion {
  value: string;
  description?: string;
}
interface TabOption {
  handler?: (complete: (v: string, d: string) => void) => void;
}
interface TabCommand {
  options: Map<string, TabOption>;
  arguments: Map<string, TabOption>;
}
interface TabRoot extends TabCommand {
  commands: Map<string, TabCommand>;
  completions: TabCompletion[];
  directive: number;
  setup(name: string, executable: string, shell: string): void;
  parse(args: string[]): void;
}

/** registerCompletionCommands adds `gtc completion` and the hidden `gtc complete` to program. */
export function registerCompletionCommands(program: Command): void {
  program.command("completion")
    .description(
      "Print shell code for tab completion of commands, flags, toolchain names and " +
        'directories: eval "$(gtc completion bash)" (zsh likewise; fish: ' +
        "gtc completion fish | source; pwsh: gtc completion pwsh | Out-String | Invoke-Expression)",
    )
    .addArgument(new Argument("<shell>", "the shell").choices(shells))
    .action(async (shell: string) => {
      const { t } = await completionTree(program);
      t.setup("gtc", "gtc", shell === "pwsh" ? "powershell" : shell);
    });
  program.command("complete", { hidden: true })
    .description("Print completion candidates for the words after -- (called by the shell code)")
    .argument("[words...]")
    .helpOption(false)
    .action(async (words: string[]) => {
      const { t, state } = await completionTree(program);
      // A silent first pass finds out whether toolchain names are wanted:
      // only then are they gathered (listing remote ones takes a request).
      state.silent = true;
      t.parse([...words]);
      state.silent = false;
      if (state.wantToolchains) state.names = await toolchainNames();
      t.parse([...words]);
    });
}

/** What the value handlers saw during one parse. */
interface State {
  silent: boolean;
  wantDirs: boolean;
  wantToolchains: boolean;
  /** Toolchain names and where each is, once gathered. */
  names?: [string, string][];
}

// completionTree builds @bomb.sh/tab's tree from program, as it is now (every
// command registered), and attaches gtc's value completions.
async function completionTree(program: Command): Promise<{ t: TabRoot; state: State }> {
  // The adapter adds its own "completion" and "complete" commands: ours are
  // taken out first (parsing is over; they are only names in the tree now).
  const commands = program.commands as Command[];
  let description = "";
  for (const name of ["completion", "complete"]) {
    const i = commands.findIndex((c) => c.name() === name);
    if (i < 0) continue;
    const [removed] = commands.splice(i, 1);
    if (name === "completion") description = removed.description();
  }
  const { default: tab } = await import("@bomb.sh/tab/commander");
  const t = tab(program, { completionCommandName: "completion" }) as unknown as TabRoot;
  // The shells: ours include pwsh, the adapter's list powershell.
  const completion = t.commands.get("completion") as
    | (TabCommand & { description: string })
    | undefined;
  if (completion) completion.description = description;
  const shellArg = completion?.arguments.get("shell");
  if (shellArg) shellArg.handler = (c) => shells.forEach((s) => c(s, ""));

  const state: State = { silent: false, wantDirs: false, wantToolchains: false };
  const dirs = () => {
    state.wantDirs = true;
  };
  const toolchains = (complete: (v: string, d: string) => void) => {
    state.wantToolchains = true;
    for (const [name, where] of state.names ?? []) complete(name, where);
  };
  const walk = (cmd: Command, path: string) => {
    const node: TabCommand | undefined = path === "" ? t : t.commands.get(path);
    if (node !== undefined) {
      for (const o of cmd.options) {
        const value = /[<[]([\w-]+)(\.\.\.)?[>\]]/.exec(o.flags)?.[1];
        const opt = o.long ? node.options.get(o.long.slice(2)) : undefined;
        if (value === undefined || opt === undefined || o.argChoices) continue;
        if (dirValues.has(value)) opt.handler = dirs;
        else if (toolchainValues.has(value)) opt.handler = toolchains;
      }
      for (const a of cmd.registeredArguments) {
        const arg = node.arguments.get(a.name());
        if (arg === undefined || a.argChoices) continue;
        if (dirValues.has(a.name())) arg.handler = dirs;
        else if (toolchainValues.has(a.name())) arg.handler = toolchains;
      }
    }
    for (const sub of cmd.commands) walk(sub, path === "" ? sub.name() : `${path} ${sub.name()}`);
  };
  walk(program, "");

  // The library's complete() always answers "no file completion"; for a
  // directory argument with no candidates of its own, the shell is told to
  // complete directories itself (Cobra's FilterDirs directive, which the
  // library's scripts implement). Everything else is as the library does it.
  const self = t as unknown as { complete(word: string): void };
  self.complete = function (word: string) {
    const wantDirs = state.wantDirs;
    state.wantDirs = false;
    if (state.silent) return;
    const seen = new Set<string>();
    const prefix = word.includes("=") ? word.slice(word.indexOf("=") + 1) : word;
    const out = t.completions.filter((c) => !seen.has(c.value) && seen.add(c.value))
      .filter((c) => c.value.startsWith(prefix));
    let text = out.map((c) => `${c.value}\t${c.description ?? ""}\n`).join("");
    text += `:${wantDirs && out.length === 0 ? filterDirs : noFileComp}\n`;
    Deno.stdout.writeSync(new TextEncoder().encode(text));
  };
  return { t, state };
}

/**
 * toolchainNames gathers the toolchain names a TAB offers: those installed
 * here (as gtc list finds them) and those GOPROXY offers (gtc list --remote),
 * asked with a short timeout: offline, only the installed ones.
 */
async function toolchainNames(): Promise<[string, string][]> {
  const env = Deno.env.toObject();
  const ops = await import("../lib/ops/mod.ts");
  const names = new Map<string, string>();
  try {
    for (const t of ops.installedToolchains(env, false, { projects: false })) {
      if (!names.has(t.name)) names.set(t.name, `installed (${t.source})`);
    }
  } catch {
    // nothing installed that can be listed
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const remote = await Promise.race([
      ops.remoteToolchains({ source: "goproxy" }, env),
      new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), 3000))),
    ]);
    for (const n of remote?.toolchains ?? []) if (!names.has(n)) names.set(n, "GOPROXY");
  } catch {
    // offline: installed names only
  } finally {
    clearTimeout(timer);
  }
  return [...names];
}
