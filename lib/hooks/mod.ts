/**
 * Shell hooks: the code `gtc hook bash|zsh|fish|pwsh` prints for `eval`, and
 * the prompt line the daemon answers them with (docs/hooks.md).
 *
 * The scripts are templates beside this file (bash.sh, zsh.zsh, fish.fish,
 * pwsh.ps1) with `@@NAME@@` placeholders that hookScript fills with quoted
 * values: the daemon's socket, the hook file, whether to switch PATH and the
 * command that starts a daemon.
 *
 * @module
 */

import bashTemplate from "./bash.sh" with { type: "text" };
import zshTemplate from "./zsh.zsh" with { type: "text" };
import fishTemplate from "./fish.fish" with { type: "text" };
import pwshTemplate from "./pwsh.ps1" with { type: "text" };

export {
  DOWNLOAD_MARK,
  ERROR_MARK,
  isSafeDir,
  NOT_ON_PATH_MARK,
  type PromptInput,
  promptLine,
  type PromptOptions,
  shimName,
  switchKind,
} from "./prompt.ts";

/** The shells gtc has hooks for. */
export const SHELLS = ["bash", "zsh", "fish", "pwsh"] as const;

/** Shell names a hook. */
export type Shell = typeof SHELLS[number];

/** isShell reports whether s names a shell gtc has a hook for. */
export function isShell(s: string): s is Shell {
  return (SHELLS as readonly string[]).includes(s);
}

/** HookOptions are what a hook script is made from. */
export interface HookOptions {
  /** The daemon's socket path (or Windows pipe name). */
  socket: string;
  /** The hook file: `<daemon pid> <generation> <port> <token>`. */
  hookFile: string;
  /** Put the selected toolchain first in PATH on every prompt (default false). */
  switchPath?: boolean;
  /** The argv that starts a daemon in the foreground; empty: the hook never starts one. */
  start: readonly string[];
}

const templates: Record<Shell, string> = {
  bash: bashTemplate,
  zsh: zshTemplate,
  fish: fishTemplate,
  pwsh: pwshTemplate,
};

/**
 * quote returns s as one literal word of shell: single quotes for POSIX
 * shells and PowerShell, fish's single quotes (which also escape `\`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quote } from "./mod.ts";
 * assert.equal(quote("bash", "it's"), `'it'\\''s'`);
 * assert.equal(quote("fish", "a\\b'c"), `'a\\\\b\\'c'`);
 * assert.equal(quote("pwsh", "it's"), `'it''s'`);
 * ```
 */
export function quote(shell: Shell, s: string): string {
  switch (shell) {
    case "bash":
    case "zsh":
      return `'${s.replaceAll("'", `'\\''`)}'`;
    case "fish":
      return `'${s.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
    case "pwsh":
      return `'${s.replaceAll("'", "''").replaceAll("’", "’’").replaceAll("‘", "‘‘")}'`;
  }
}

/**
 * hookScript returns the code for shell's `eval`: the prompt segment
 * (GTC_PROMPT, gtc_prompt) and, with switchPath, PATH switching.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hookScript } from "./mod.ts";
 * const s = hookScript("bash", {
 *   socket: "/run/user/1000/gtc/gtc-v1.sock",
 *   hookFile: "/run/user/1000/gtc/gtc-v1.hook",
 *   start: ["gtc", "daemon", "run"],
 * });
 * assert.match(s, /^_gtc_hookfile='\/run\/user\/1000\/gtc\/gtc-v1.hook'$/m);
 * assert.ok(!s.includes("@@"));
 * ```
 */
export function hookScript(shell: Shell, opts: HookOptions): string {
  const q = (s: string) => quote(shell, s);
  const sw = shell === "pwsh"
    ? (opts.switchPath ? "$true" : "$false")
    : (opts.switchPath ? "true" : "false");
  const values: Record<string, string> = {
    SOCKET: q(opts.socket),
    HOOKFILE: q(opts.hookFile),
    SWITCH: sw,
    START: opts.start.map(q).join(shell === "pwsh" ? ", " : " "),
  };
  return templates[shell].replace(/@@([A-Z]+)@@/g, (m, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`internal error: hook template ${shell}: unknown ${m}`);
    return v;
  });
}
