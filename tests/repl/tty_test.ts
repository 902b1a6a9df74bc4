/**
 * `gtc repl` on a real terminal, driven through tmux (send-keys,
 * capture-pane): tab completion, colour, history recall with Up (within a
 * session and from $GTC_HOME/repl_history in the next), Ctrl-C, Ctrl-D.
 * Skipped when tmux is not installed.
 */
import { equal, match, ok } from "node:assert/strict";
import { denoDir, gtcArgv, removeAll } from "./_gtc.ts";

function which(cmd: string): boolean {
  try {
    return new Deno.Command("sh", { args: ["-c", `command -v ${cmd}`] }).outputSync().success;
  } catch {
    return false;
  }
}

const hasTmux = which("tmux");

function shq(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** A tmux server of our own (-L), so nothing else's sessions are touched. */
class Tmux {
  readonly socket = `gtc-repl-test-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;

  run(...args: string[]): string {
    const out = new Deno.Command("tmux", { args: ["-L", this.socket, ...args] }).outputSync();
    if (!out.success) {
      throw new Error(`tmux ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
    }
    return new TextDecoder().decode(out.stdout);
  }

  start(name: string, cwd: string, argv: string[], env: Record<string, string>): void {
    const envArgs = Object.entries(env).map(([k, v]) => shq(`${k}=${v}`)).join(" ");
    const cmd = `env -i ${envArgs} ${argv.map(shq).join(" ")}; echo "EXITED:$?"; sleep 60`;
    this.run("new-session", "-d", "-s", name, "-x", "160", "-y", "60", "-c", cwd, cmd);
  }

  keys(name: string, ...keys: string[]): void {
    this.run("send-keys", "-t", name, ...keys);
  }

  /** The literal text, sent without key-name lookup. */
  type(name: string, text: string): void {
    this.run("send-keys", "-t", name, "-l", text);
  }

  screen(name: string, escapes = false): string {
    return this.run("capture-pane", "-t", name, "-p", ...(escapes ? ["-e"] : []));
  }

  /** lastLine is the last non-blank line of the screen. */
  lastLine(name: string): string {
    const lines = this.screen(name).split("\n").filter((l) => l.trim() !== "");
    return lines[lines.length - 1] ?? "";
  }

  async waitFor(name: string, what: string, ok: (screen: string) => boolean): Promise<string> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const s = this.screen(name);
      if (ok(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(): void {
    try {
      this.run("kill-server");
    } catch {
      // Already gone.
    }
  }
}

Deno.test({
  name: "gtc repl in a terminal: completion, colour, history, Ctrl-C, Ctrl-D",
  ignore: !hasTmux,
  async fn() {
    const dir = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "gtc-repl-tty-" }));
    const tmux = new Tmux();
    try {
      Deno.mkdirSync(`${dir}/m/sub`, { recursive: true });
      Deno.mkdirSync(`${dir}/bin`);
      Deno.writeTextFileSync(`${dir}/m/go.mod`, "module m\n\ngo 1.99.0\n");
      Deno.writeTextFileSync(`${dir}/bin/go1.99.0`, "#!/bin/sh\n", { mode: 0o755 });
      const env = {
        PATH: `${dir}/bin:/usr/bin:/bin`,
        HOME: `${dir}/home`,
        GTC_HOME: `${dir}/gtc`,
        GOENV: "off",
        GOTOOLCHAIN: "auto",
        GOPROXY: "off",
        TERM: "xterm-256color",
        DENO_DIR: denoDir(),
      };
      const t = "one";
      tmux.start(t, `${dir}/m`, [...gtcArgv(), "repl"], env);
      const prompt = "gtc m go1.99.0> ";
      await tmux.waitFor(t, "the prompt", () => tmux.lastLine(t) === prompt.trimEnd());

      // Tab completes a command word, then a directory.
      tmux.type(t, "wh");
      tmux.keys(t, "Tab");
      await tmux.waitFor(t, "why completed", () => tmux.lastLine(t) === `${prompt}why`);
      tmux.type(t, " -q");
      tmux.keys(t, "Enter");
      await tmux.waitFor(t, "the answer", (s) => s.includes(`go1.99.0 runs in ${dir}/m`));

      // Colour: the verdict is bold, the prompt's toolchain cyan.
      const colored = tmux.screen(t, true);
      ok(colored.includes("\x1b[1mgo1.99.0"), colored);
      ok(colored.includes("\x1b[36mgo1.99.0"), colored);

      tmux.type(t, "cd s");
      tmux.keys(t, "Tab");
      await tmux.waitFor(t, "sub/ completed", () => tmux.lastLine(t) === `${prompt}cd sub/`);
      tmux.keys(t, "Enter");
      const subPrompt = "gtc sub go1.99.0>";
      await tmux.waitFor(t, "the prompt in sub", () => tmux.lastLine(t) === subPrompt);

      tmux.type(t, "mod go 1.30");
      tmux.keys(t, "Enter");
      const whatIf = "gtc sub go1.30.0*>";
      await tmux.waitFor(t, "the what-if prompt", () => tmux.lastLine(t) === whatIf);

      // Up recalls earlier commands: mod go 1.30, cd sub/, why -q.
      tmux.keys(t, "Up");
      await tmux.waitFor(t, "Up once", () => tmux.lastLine(t) === `${whatIf} mod go 1.30`);
      tmux.keys(t, "Up", "Up");
      await tmux.waitFor(t, "Up three times", () => tmux.lastLine(t) === `${whatIf} why -q`);
      tmux.keys(t, "Enter");
      await tmux.waitFor(
        t,
        "the what-if answer",
        (s) => s.includes("what-if: go.mod edited") && s.includes(`go1.30.0 runs in ${dir}/m/sub`),
      );

      // Ctrl-C drops a line being typed and stays; Ctrl-D leaves.
      tmux.type(t, "bogus");
      tmux.keys(t, "C-c");
      await tmux.waitFor(t, "a fresh prompt after ^C", (s) => {
        const lines = s.split("\n").filter((l) => l.trim() !== "");
        return lines[lines.length - 1] === whatIf && lines[lines.length - 2].endsWith("^C");
      });
      tmux.keys(t, "C-d");
      await tmux.waitFor(t, "exit", (s) => s.includes("EXITED:0"));
      ok(!tmux.screen(t).includes("bogus\n"), "a ^C line must not run");

      // History is kept in $GTC_HOME/repl_history, oldest first.
      equal(
        Deno.readTextFileSync(`${dir}/gtc/repl_history`),
        "why -q\ncd sub/\nmod go 1.30\nwhy -q\n",
      );
      equal(Deno.statSync(`${dir}/gtc/repl_history`).mode! & 0o777, 0o600);
      // Nothing on disk changed.
      equal(Deno.readTextFileSync(`${dir}/m/go.mod`), "module m\n\ngo 1.99.0\n");

      // The next session recalls it; Ctrl-C at an empty prompt leaves.
      const t2 = "two";
      tmux.start(t2, `${dir}/m`, [...gtcArgv(), "repl"], env);
      await tmux.waitFor(t2, "the prompt", () => tmux.lastLine(t2) === prompt.trimEnd());
      tmux.keys(t2, "Up");
      await tmux.waitFor(t2, "recalled", () => tmux.lastLine(t2) === `${prompt}why -q`);
      tmux.keys(t2, "C-e", "C-u");
      await tmux.waitFor(t2, "line cleared", () => tmux.lastLine(t2) === prompt.trimEnd());
      tmux.keys(t2, "C-c");
      await tmux.waitFor(t2, "exit", (s) => s.includes("EXITED:0"));
      match(tmux.screen(t2), /gtc repl in .*: help lists the commands, Ctrl-D leaves/);
    } finally {
      tmux.kill();
      await removeAll(dir);
    }
  },
});
