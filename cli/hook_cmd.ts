/**
 * `gtc hook bash|zsh|fish|pwsh`: print the shell code that shows the active
 * toolchain in the prompt and, with --switch-path, puts it first in PATH
 * (docs/hooks.md). The code talks to the daemon itself; this command runs
 * once per shell start, never per prompt.
 *
 * @module
 */

import type { Command } from "commander";
import { daemonAddress } from "../lib/rpc/address.ts";
import { hookScript, isShell, SHELLS } from "../lib/hooks/mod.ts";
import { daemonCommand } from "../daemon/start.ts";

/** HookFlags are the options of `gtc hook`. */
export interface HookFlags {
  switchPath?: boolean;
  dir?: string;
  /** false with --no-start. */
  start?: boolean;
  idleExit?: string;
}

/**
 * hookText returns what `gtc hook <shell>` prints, or throws an Error whose
 * message is the usage problem.
 */
export function hookText(shell: string, flags: HookFlags, env: Record<string, string>): string {
  if (!isShell(shell)) {
    throw new Error(`hook: unknown shell ${JSON.stringify(shell)}: want ${SHELLS.join(", ")}`);
  }
  const addr = daemonAddress({ env, goos: Deno.build.os, dir: flags.dir });
  let start: string[] = [];
  if (flags.start !== false) {
    try {
      start = [...daemonCommand(), ...(addr.dir !== "" ? ["--dir", addr.dir] : [])];
      if (flags.idleExit !== undefined) start.push("--idle-exit", flags.idleExit);
    } catch {
      // A gtc that cannot start its daemon this way: the hook waits for one.
    }
  }
  return hookScript(shell, {
    socket: addr.socket,
    hookFile: addr.hook,
    switchPath: flags.switchPath ?? false,
    start,
  });
}

/** registerHookCommands adds `gtc hook <shell>` to program. */
export function registerHookCommands(program: Command): void {
  program.command("hook")
    .description(
      "Print shell code for eval: the active Go toolchain in the prompt ($GTC_PROMPT), " +
        "and with --switch-path `go` in PATH follows it",
    )
    .argument("<shell>", SHELLS.join(", "))
    .option("--switch-path", "put the selected toolchain's bin directory first in PATH")
    .option("--dir <dir>", "the daemon's socket directory (default: $XDG_RUNTIME_DIR/gtc)")
    .option("--no-start", "never start a daemon from the hook")
    .option("--idle-exit <seconds>", "a daemon the hook starts exits after this long unused")
    .addHelpText(
      "after",
      `
Examples:
  bash  ~/.bashrc:   eval "$(gtc hook bash --switch-path)"; PS1='\${GTC_PROMPT:+($GTC_PROMPT) }'$PS1
  zsh   ~/.zshrc:    eval "$(gtc hook zsh)"; setopt prompt_subst; PROMPT='\${GTC_PROMPT} '$PROMPT
  fish  config.fish: gtc hook fish | source   (then call gtc_prompt in fish_prompt)
  pwsh  $PROFILE:    Invoke-Expression (& gtc hook pwsh | Out-String)`,
    )
    .action((shell: string, flags: HookFlags) => {
      let text: string;
      try {
        text = hookText(shell, flags, Deno.env.toObject());
      } catch (e) {
        console.error(`gtc: ${e instanceof Error ? e.message : e}`);
        Deno.exitCode = 2;
        return;
      }
      Deno.stdout.writeSync(new TextEncoder().encode(text));
    });
}
