/**
 * Real interactive shells in tmux for the hook tests and the bench: start a
 * shell with a given rc in a private tmux server, type commands, and read
 * the output and the prompt drawn after them from the pane.
 *
 * @module
 */

import { sleep } from "../daemon/_harness.ts";

/** has reports whether program is on PATH. */
export function has(program: string): boolean {
  for (const d of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${d}/${program}`).isFile) return true;
    } catch {
      // Not here.
    }
  }
  return false;
}

/** The prompt every test shell draws: `<segment>$ `. */
export const PROMPT_RE = /^<([^>]*)>\$ ?$/;

/** ShellKind names a shell the tests drive. */
export type ShellKind = "bash" | "zsh" | "fish";

/** rcFor returns the rc text that loads hookFile and draws PROMPT_RE's prompt. */
export function rcFor(shell: ShellKind, hookFile: string): string {
  switch (shell) {
    case "bash":
      return `source '${hookFile}'\nPS1='<\${GTC_PROMPT}>$ '\nunset HISTFILE\n`;
    case "zsh":
      return `source '${hookFile}'\nsetopt prompt_subst\nPS1='<\${GTC_PROMPT}>$ '\nunset HISTFILE\nunsetopt beep\n`;
    case "fish":
      return `source '${hookFile}'\nfunction fish_prompt; printf '<%s>$ ' (gtc_prompt); end\n` +
        `function fish_greeting; end\nset -g fish_autosuggestion_enabled 0\n`;
  }
}

/** Step is what one typed command produced. */
export interface Step {
  /** Output lines between the command line and the marker. */
  output: string[];
  /** The segment in the prompt drawn after the command. */
  prompt: string;
}

/** TmuxShell is an interactive shell in its own tmux server. */
// How long a shell may take to draw what it was sent. Only a broken hook or
// shell reaches it: on a loaded 2-core machine 30 prompts under strace took
// over 10 s, so it is generous rather than tight.
const DRAW_MS = 120_000;

export class TmuxShell {
  readonly socket: string;
  readonly shell: ShellKind;
  #n = 0;

  private constructor(socket: string, shell: ShellKind) {
    this.socket = socket;
    this.shell = shell;
  }

  /** start runs shell with rc (text) in env, in a new tmux server under tmp. */
  static async start(
    opts: { shell: ShellKind; rc: string; env: Record<string, string>; tmp: string; cwd: string },
  ): Promise<TmuxShell> {
    const rcDir = await Deno.makeTempDir({ dir: opts.tmp, prefix: `${opts.shell}-rc-` });
    let argv: string[];
    const env = { ...opts.env, TERM: "xterm-256color", LANG: "C.UTF-8", LC_ALL: "C.UTF-8" };
    switch (opts.shell) {
      case "bash":
        await Deno.writeTextFile(`${rcDir}/bashrc`, opts.rc);
        argv = ["bash", "--noprofile", "--rcfile", `${rcDir}/bashrc`, "-i"];
        break;
      case "zsh":
        await Deno.writeTextFile(`${rcDir}/.zshrc`, opts.rc);
        argv = ["zsh", "-d", "-i"];
        Object.assign(env, { ZDOTDIR: rcDir });
        break;
      case "fish":
        await Deno.writeTextFile(`${rcDir}/config.fish`, opts.rc);
        argv = ["fish", "--no-config", "-i", "-C", `source '${rcDir}/config.fish'`];
        Object.assign(env, { XDG_CONFIG_HOME: `${rcDir}/xdg`, XDG_DATA_HOME: `${rcDir}/xdg` });
        break;
    }
    const socket = `${rcDir}/tmux.sock`;
    const t = new TmuxShell(socket, opts.shell);
    // The tmux server takes its environment from the client that starts it.
    const r = await new Deno.Command("tmux", {
      args: [
        "-S",
        socket,
        "-f",
        "/dev/null",
        "new-session",
        "-d",
        "-x",
        "400",
        "-y",
        "50",
        "-c",
        opts.cwd,
        argv.map(shellWord).join(" "),
      ],
      env,
      clearEnv: true,
    }).output();
    if (!r.success) throw new Error(`tmux: ${new TextDecoder().decode(r.stderr)}`);
    try {
      await t.#tmux("set-option", "-g", "history-limit", "50000");
      await t.waitPrompts(1);
    } catch (e) {
      await t.kill();
      throw e;
    }
    return t;
  }

  async #tmux(...args: string[]): Promise<string> {
    const r = await new Deno.Command("tmux", { args: ["-S", this.socket, ...args] }).output();
    if (!r.success) {
      throw new Error(`tmux ${args[0]}: ${new TextDecoder().decode(r.stderr).trim()}`);
    }
    return new TextDecoder().decode(r.stdout);
  }

  /** pid is the shell's process id. */
  async pid(): Promise<number> {
    return Number((await this.#tmux("display-message", "-p", "#{pane_pid}")).trim());
  }

  /** lines returns the pane's history and screen, wrapped lines joined. */
  async lines(): Promise<string[]> {
    const text = await this.#tmux("capture-pane", "-p", "-J", "-S", "-50000");
    return text.split("\n").map((l) => l.replace(/\s+$/, ""));
  }

  /** prompts counts the prompt lines in the pane. */
  async prompts(): Promise<string[]> {
    return (await this.lines()).filter((l) => /^<[^>]*>\$/.test(l));
  }

  /** waitPrompts waits until the pane shows at least n prompts. */
  async waitPrompts(n: number, ms = DRAW_MS): Promise<string[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const p = await this.prompts();
      if (p.length >= n) return p;
      if (Date.now() > deadline) {
        throw new Error(
          `${this.shell}: ${p.length} prompts after ${ms} ms, want ${n}:\n` +
            (await this.lines()).filter((l) => l !== "").slice(-20).join("\n"),
        );
      }
      await sleep(10);
    }
  }

  /** keys types keys (tmux key names: "Enter"). */
  async keys(...keys: string[]): Promise<void> {
    await this.#tmux("send-keys", "-t", "0", ...keys);
  }

  /** run types cmd and Enter, and returns its output and the prompt drawn after it. */
  async run(cmd: string, ms = DRAW_MS): Promise<Step> {
    const n = ++this.#n;
    const mark = `__M${n}`;
    await this.#tmux("send-keys", "-t", "0", "-l", `${cmd}; printf '%s%s\\n' __M ${n}`);
    await this.keys("Enter");
    const deadline = Date.now() + ms;
    for (;;) {
      const lines = await this.lines();
      const i = lines.lastIndexOf(mark);
      if (i >= 0) {
        const j = lines.findIndex((l, k) => k > i && PROMPT_RE.test(l));
        if (j > i) {
          let c = i - 1;
          while (c >= 0 && !lines[c].includes(`__M ${n}`)) c--;
          return { output: lines.slice(c + 1, i), prompt: PROMPT_RE.exec(lines[j])![1] };
        }
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${this.shell}: no prompt after ${JSON.stringify(cmd)} in ${ms} ms:\n` +
            lines.filter((l) => l !== "").slice(-20).join("\n"),
        );
      }
      await sleep(10);
    }
  }

  /** waitFor runs cmd until the prompt after it satisfies ok (at most ms). */
  async waitFor(cmd: string, ok: (s: Step) => boolean, ms = DRAW_MS): Promise<Step> {
    const deadline = Date.now() + ms;
    for (;;) {
      const s = await this.run(cmd);
      if (ok(s) || Date.now() > deadline) return s;
      await sleep(100);
    }
  }

  /** kill ends the tmux server and the shell. */
  async kill(): Promise<void> {
    await this.#tmux("kill-server").catch(() => {});
  }
}

// shellWord quotes s for the shell tmux runs the command with (/bin/sh).
function shellWord(s: string): string {
  return /^[A-Za-z0-9_./=:-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}
