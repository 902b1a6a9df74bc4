/**
 * docs/prompts.md's snippets, read from the document and run: in real bash,
 * zsh and fish (tmux, a real daemon, the hook loaded as the snippet loads
 * it) a program run at each prompt, as starship and oh-my-posh are, sees the
 * current $GTC_PROMPT after cd — and sees nothing without the snippet's
 * export line. starship's TOML is parsed with Python's tomllib; oh-my-posh's
 * template runs in Go's text/template; powerlevel10k's segment function runs
 * in a real zsh with the hook loaded and p10k replaced by a recorder.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { resolveSync } from "../../mod.ts";
import { daemonCommand } from "../../daemon/start.ts";
import { hookScript } from "../../lib/hooks/mod.ts";
import { makeWorkspace, repoRoot, startDaemon } from "../daemon/_harness.ts";
import { findGo } from "../differential/gocmd.ts";
import { has, type ShellKind, TmuxShell } from "./_tmux.ts";

const dec = new TextDecoder();

/** snippet returns the fenced block of docs/prompts.md whose info string is `lang tag`. */
function snippet(lang: string, tag: string): string {
  const doc = Deno.readTextFileSync(`${repoRoot}/docs/prompts.md`);
  const m = new RegExp("```" + lang + " " + tag + "\\n([\\s\\S]*?)```").exec(doc);
  if (m === null) throw new Error(`docs/prompts.md: no \`\`\`${lang} ${tag} block`);
  return m[1];
}

// A stand-in for starship / oh-my-posh: `init <shell>` prints code that
// runs `<program> prompt` for every prompt (as their init scripts do), and
// `prompt` prints <$GTC_PROMPT>$ from the environment it was given.
function fakePromptProgram(name: string): string {
  return `#!/bin/sh
case "$1" in
init)
  case "$2" in
  bash) echo '_fp() { PS1="$(${name} prompt)"; }; PROMPT_COMMAND="\${PROMPT_COMMAND:+\${PROMPT_COMMAND%;};}_fp"' ;;
  zsh) echo '_fp() { PROMPT="$(${name} prompt)" }; precmd_functions+=(_fp)' ;;
  fish) echo 'function fish_prompt; ${name} prompt; end' ;;
  esac ;;
prompt) printf '<%s>$ ' "$GTC_PROMPT" ;;
esac
`;
}

const shells: ShellKind[] = (["bash", "zsh", "fish"] as const).filter((s) => has(s));

/** A workspace, a running daemon, a module needing go1.99.0, and hook files for it. */
interface PromptEnv {
  tmp: string;
  env: Record<string, string>;
  bin: string;
  root: string;
  m99: string;
  /** The toolchain of the go on PATH. */
  local: string;
  hookFile(shell: ShellKind): Promise<string>;
  close(): Promise<void>;
}

async function promptEnv(): Promise<PromptEnv> {
  const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "gtc-prompts-" }));
  const ws = await makeWorkspace(tmp);
  delete ws.env.TERM;
  const run = `${tmp}/run`;
  const m99 = `${ws.root}/src/m99`;
  await Deno.mkdir(m99, { recursive: true });
  await Deno.writeTextFile(`${m99}/go.mod`, "module example.com/m99\n\ngo 1.99.0\n");
  const d = await startDaemon({ tmp, args: ["--shell-check", "0.2"] });
  return {
    tmp,
    env: ws.env,
    bin: ws.bin,
    root: ws.root,
    m99,
    local: resolveSync({ dir: ws.root, env: ws.env }).toolchain!,
    async hookFile(shell) {
      const f = `${tmp}/hook.${shell}`;
      await Deno.writeTextFile(
        f,
        hookScript(shell, {
          socket: `${run}/gtc-v1.sock`,
          hookFile: `${run}/gtc-v1.hook`,
          switchPath: false,
          start: [...daemonCommand(), "--dir", run, "--idle-exit", "20", "--shell-check", "0.2"],
        }),
      );
      return f;
    },
    async close() {
      await d.stop();
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
    },
  };
}
const programs = [
  { name: "starship", lang: "starship" },
  { name: "oh-my-posh", lang: "oh-my-posh" },
];

Deno.test({
  name:
    "prompts: starship/oh-my-posh snippets let the prompt program see $GTC_PROMPT (bash, zsh, fish)",
  ignore: shells.length === 0 || !has("tmux"),
  async fn(t) {
    const e = await promptEnv();
    const { tmp, m99, local } = e;
    for (const p of programs) {
      await Deno.writeTextFile(`${e.bin}/${p.name}`, fakePromptProgram(p.name), { mode: 0o755 });
    }
    const started: TmuxShell[] = [];
    try {
      for (const shell of shells) {
        const hook = await e.hookFile(shell);
        for (const p of programs) {
          for (const exported of [true, false]) {
            await t.step(`${shell} ${p.name}${exported ? "" : " without the export"}`, async () => {
              // The snippet, with the hook loaded from its file instead of
              // `gtc hook` (same text) and, for the control, the export left out.
              let rc = snippet(shell, p.lang)
                .replace(
                  /^eval "\$\(gtc hook \w+\)"$|^gtc hook fish \| source$/m,
                  `source '${hook}'`,
                )
                .replace(/ --config [^\s)"]+/, "");
              if (!exported) rc = rc.replace(/^(export GTC_PROMPT|set -gx GTC_PROMPT .*)$/m, "");
              ok(rc.includes(`source '${hook}'`), rc);
              rc += shell === "fish"
                ? "function fish_greeting; end\nset -g fish_autosuggestion_enabled 0\n"
                : "unset HISTFILE\n";
              const sh = await TmuxShell.start({ shell, rc, env: e.env, tmp, cwd: e.root });
              started.push(sh);
              // The first prompt may come before the daemon's answer: wait for it.
              const want = exported ? local : "";
              let step = await sh.waitFor("true", (s) => s.prompt === want, 30_000);
              equal(step.prompt, want);
              step = await sh.waitFor(
                `cd ${m99}`,
                (s) => s.prompt === (exported ? "go1.99.0↓" : ""),
                30_000,
              );
              equal(step.prompt, exported ? "go1.99.0↓" : "");
              // The hook did run: the shell itself has the value.
              const v = await sh.run(shell === "fish" ? "echo $GTC_PROMPT" : 'echo "$GTC_PROMPT"');
              deepEqual(v.output, ["go1.99.0↓"]);
              await sh.kill();
            });
          }
        }
      }
    } finally {
      for (const s of started) await s.kill();
      await e.close();
    }
  },
});

Deno.test("prompts: the starship config is TOML with an env_var.GTC_PROMPT module", async (t) => {
  const py = "import sys, tomllib, json; print(json.dumps(tomllib.loads(sys.stdin.read())))";
  let out: Deno.CommandOutput;
  try {
    const child = new Deno.Command("python3", {
      args: ["-c", py],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(snippet("toml", "starship")));
    await w.close();
    out = await child.output();
  } catch {
    return void t.step({ name: "no python3", ignore: true, fn() {} });
  }
  if (/No module named 'tomllib'/.test(dec.decode(out.stderr))) {
    return void t.step({ name: "python3 < 3.11 has no tomllib", ignore: true, fn() {} });
  }
  equal(out.code, 0, dec.decode(out.stderr));
  const cfg = JSON.parse(dec.decode(out.stdout));
  const m = cfg.env_var.GTC_PROMPT;
  ok(m.format.includes("$env_value"), m.format);
  equal(m.variable ?? "GTC_PROMPT", "GTC_PROMPT");
});

const { go } = await findGo();

Deno.test({
  name: "prompts: the oh-my-posh segment's template, run by Go's text/template with .Env",
  ignore: go === undefined,
  async fn() {
    const seg = JSON.parse(snippet("json", "oh-my-posh"));
    equal(seg.type, "text");
    const dir = await Deno.makeTempDir({ prefix: "gtc-omp-" });
    try {
      await Deno.writeTextFile(`${dir}/go.mod`, "module example.com/omp\n\ngo 1.21\n");
      await Deno.writeTextFile(
        `${dir}/main.go`,
        `package main

import (
	"os"
	"text/template"
)

func main() {
	t := template.Must(template.New("segment").Parse(os.Args[1]))
	for _, v := range os.Args[2:] {
		t.Execute(os.Stdout, map[string]any{"Env": map[string]string{"GTC_PROMPT": v}})
		os.Stdout.WriteString("|")
	}
}
`,
      );
      const o = await new Deno.Command(go!.path, {
        args: ["run", ".", seg.template, "go1.22.4", "go1.99.0↓", ""],
        cwd: dir,
        env: { GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod", GOPROXY: "off", GOTELEMETRY: "off" },
      }).output();
      equal(o.code, 0, dec.decode(o.stderr));
      equal(dec.decode(o.stdout), " go1.22.4 | go1.99.0↓ ||");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "prompts: the powerlevel10k segment in a real zsh with the hook loaded",
  ignore: !has("zsh") || !has("tmux"),
  async fn() {
    const e = await promptEnv();
    const { tmp, m99, local } = e;
    let sh: TmuxShell | undefined;
    try {
      const hook = await e.hookFile("zsh");
      const rc =
        snippet("zsh", "p10k").replace(/^eval "\$\(gtc hook zsh\)"$/m, `source '${hook}'`) +
        // p10k, reduced to what the segment calls: record the -t text. The
        // prompt is drawn from the segments after the hook ran, as p10k does.
        `p10k() { [[ $1 == segment ]] || return 1; shift; local OPTIND o
  while getopts 'f:b:i:t:c:e' o; do [[ $o == t ]] && _seg+=$OPTARG; done }
_draw() { _seg=; prompt_gtc; PROMPT="<$_seg>$ " }
precmd_functions+=(_draw)
unset HISTFILE
`;
      sh = await TmuxShell.start({ shell: "zsh", rc, env: e.env, tmp, cwd: e.root });
      let step = await sh.waitFor("true", (s) => s.prompt === local, 30_000);
      equal(step.prompt, local);
      step = await sh.waitFor(`cd ${m99}`, (s) => s.prompt === "go1.99.0↓", 30_000);
      equal(step.prompt, "go1.99.0↓");
      // The elements list names the segment.
      const list = await sh.run("print -r -- ${POWERLEVEL9K_LEFT_PROMPT_ELEMENTS[(r)gtc]}");
      deepEqual(list.output, ["gtc"]);
    } finally {
      await sh?.kill();
      await e.close();
    }
  },
});
