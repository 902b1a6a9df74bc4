/**
 * `gtc completion` in real shells: the script it prints is loaded into bash
 * (with bash-completion, driven through its completion function), fish
 * (`complete -C`, fish's own completion engine) and zsh (an interactive zsh
 * in tmux, TAB typed), and each completes commands, flags, toolchain names
 * (installed: the local go; remote: a loopback GOPROXY's golang.org/toolchain
 * list) and directories. The commands offered are compared with the ones
 * `gtc --help` lists, so any command registered later is completed too.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { findGo } from "../differential/gocmd.ts";
import { startFixture } from "../fixtures/mod.ts";
import { denoDir, removeAll } from "../repl/_gtc.ts";
import { has, TmuxShell } from "../hooks/_tmux.ts";

const { go } = await findGo();
const repo = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const dec = new TextDecoder();
const bashCompletion = "/usr/share/bash-completion/bash_completion";
const haveBashCompletion = (() => {
  try {
    return Deno.statSync(bashCompletion).isFile;
  } catch {
    return false;
  }
})();
const linuxAmd64 = Deno.build.os === "linux" && Deno.build.arch === "x86_64";

interface Setup {
  root: string;
  cwd: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

// setup: `gtc` on PATH (this checkout's launcher), the real go as the local
// toolchain, a GOPROXY serving go1.99.1, and a working directory with two
// subdirectories.
async function setup(): Promise<Setup> {
  const fx = await startFixture({ toolchains: ["go1.99.1"] });
  const root = Deno.realPathSync(await Deno.makeTempDir({ prefix: "gtc-compl-" }));
  Deno.mkdirSync(`${root}/bin`);
  Deno.symlinkSync(`${repo}/scripts/gtc`, `${root}/bin/gtc`);
  for (const d of ["work/alpha", "work/beta", "home"]) {
    Deno.mkdirSync(`${root}/${d}`, { recursive: true });
  }
  const env = {
    ...fx.env,
    PATH: `${root}/bin:${go!.bindir}:/usr/bin:/bin`,
    HOME: `${root}/home`,
    GTC_HOME: `${root}/home/gtc`,
    GTC_DAEMON: "off",
    NO_COLOR: "1",
    DENO_DIR: denoDir(),
  };
  return {
    root,
    cwd: `${root}/work`,
    env,
    async close() {
      await removeAll(root);
      await fx.close();
    },
  };
}

async function run(cmd: string, args: string[], s: Setup): Promise<string> {
  const o = await new Deno.Command(cmd, { args, env: s.env, clearEnv: true, cwd: s.cwd }).output();
  equal(o.code, 0, `${cmd} ${args.join(" ")}: ${dec.decode(o.stderr)}`);
  return dec.decode(o.stdout);
}

// The commands `gtc --help` lists (the live definitions).
async function helpCommands(s: Setup): Promise<string[]> {
  const help = await run("gtc", ["--help"], s);
  const at = help.indexOf("Commands:\n");
  return [...help.slice(at).matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]).sort();
}

// What each case types, and what must (and must not) be offered.
const cases: { line: string; want: string[] }[] = [
  { line: "gtc ins", want: ["install"] },
  { line: "gtc install --so", want: ["--source"] },
  { line: "gtc install go1.9", want: ["go1.99.1"] },
  { line: "gtc remove go1.", want: [go?.version ?? "go1"] },
  { line: "gtc why a", want: ["alpha"] },
  { line: "gtc completion p", want: ["pwsh", "powershell"] },
];

Deno.test({
  name: "gtc completion bash: bash-completion's engine completes commands, flags, toolchains, dirs",
  ignore: go === undefined || !haveBashCompletion || !linuxAmd64,
  async fn() {
    const s = await setup();
    try {
      const script = `source ${bashCompletion}
eval "$(gtc completion bash)"
complete -p gtc
t() {
  COMP_LINE="$1"; COMP_POINT=\${#COMP_LINE}
  read -ra COMP_WORDS <<<"$1"; [[ $1 == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); COMPREPLY=()
  __gtc_complete 2>/dev/null
  printf '%s\\n' "[$1]" "\${COMPREPLY[@]}"
}
${cases.map((c) => `t '${c.line}'`).join("\n")}
t 'gtc '
`;
      const out = await run("bash", ["-c", script], s);
      const lines = out.split("\n");
      equal(lines[0], "complete -F __gtc_complete gtc");
      const blocks = new Map<string, string[]>();
      let cur = "";
      for (const l of lines.slice(1)) {
        const m = /^\[(.*)\]$/.exec(l);
        if (m) blocks.set(cur = m[1], []);
        else if (l !== "") blocks.get(cur)!.push(l);
      }
      for (const c of cases) {
        const got = blocks.get(c.line)!;
        for (const w of c.want) ok(got.includes(w), `${c.line}: ${w} not in ${got}`);
      }
      deepEqual(blocks.get("gtc ")!.sort(), await helpCommands(s));
    } finally {
      await s.close();
    }
  },
});

Deno.test({
  name: "gtc completion fish: fish's complete -C offers commands, flags, toolchains, dirs",
  ignore: go === undefined || !has("fish") || !linuxAmd64,
  async fn() {
    const s = await setup();
    try {
      const script = ["gtc completion fish | source"]
        .concat(
          [...cases.map((c) => c.line), "gtc "].map((l) => `echo '[${l}]'; complete -C '${l}'`),
        )
        .join("; ");
      const out = await run("fish", ["--no-config", "-c", script], s);
      const blocks = new Map<string, string[]>();
      let cur = "";
      for (const l of out.split("\n")) {
        const m = /^\[(.*)\]$/.exec(l);
        if (m) blocks.set(cur = m[1], []);
        else if (l !== "") blocks.get(cur)!.push(l.split("\t")[0]);
      }
      for (const c of cases) {
        const got = blocks.get(c.line)!;
        const want = c.line === "gtc why a" ? ["alpha/"] : c.want; // fish shows directories with a slash
        for (const w of want) ok(got.includes(w), `${c.line}: ${w} not in ${got}`);
      }
      const offered = blocks.get("gtc ")!.filter((c) => !c.startsWith("-")).sort();
      deepEqual(offered, await helpCommands(s));
    } finally {
      await s.close();
    }
  },
});

Deno.test({
  name:
    "gtc completion zsh: TAB in an interactive zsh (compinit) completes commands, flags, toolchains, dirs",
  ignore: go === undefined || !has("zsh") || !has("tmux") || !linuxAmd64,
  async fn() {
    const s = await setup();
    const rc = `autoload -Uz compinit; compinit -u -D
eval "$(gtc completion zsh)"
setopt prompt_subst; unsetopt beep; unset HISTFILE
zstyle ':completion:*' list-rows-first true
PS1='<\${GTC_PROMPT}>$ '
`;
    const sh = await TmuxShell.start({ shell: "zsh", rc, env: s.env, tmp: s.root, cwd: s.cwd });
    try {
      await sh.waitPrompts(1, 60_000);
      // until waits for the pane to show what TAB produced (each TAB runs gtc).
      const until = async (what: string, test: (screen: string) => boolean) => {
        const deadline = Date.now() + 60_000;
        for (;;) {
          const screen = (await sh.lines()).join("\n");
          if (test(screen)) return screen;
          if (Date.now() > deadline) throw new Error(`${what}: not completed; screen:\n${screen}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      };
      const tab = async (typed: string, what: string, test: (screen: string) => boolean) => {
        await sh.keys("C-u", "C-l");
        await sh.keys("-l", typed);
        await sh.keys("Tab");
        await until(`${typed}<TAB> → ${what}`, test);
      };
      // A unique match is inserted on the command line (tmux drops the
      // trailing space zsh adds after it).
      await tab("gtc ins", "install", (x) => /\$ gtc install\s*$/m.test(x));
      await tab("gtc install --so", "--source", (x) => /\$ gtc install --source\s*$/m.test(x));
      await tab("gtc install go1.9", "go1.99.1", (x) => /\$ gtc install go1\.99\.1\s*$/m.test(x));
      await tab("gtc why al", "alpha/", (x) => /\$ gtc why alpha\/$/m.test(x));
      // Several matches: listed with their descriptions.
      await tab(
        "gtc completion p",
        "pwsh and powershell",
        (x) => /pwsh/.test(x) && /powershell/.test(x),
      );
    } finally {
      await sh.kill();
      await s.close();
    }
  },
});

if (go === undefined) console.log("completion tests skipped: no go >= 1.21 (they use the real go)");
if (!haveBashCompletion) {
  console.log(
    `bash completion test skipped: ${bashCompletion} missing (apt-get install bash-completion)`,
  );
}
if (!has("fish")) console.log("fish completion test skipped: no fish");
if (!has("zsh") || !has("tmux")) console.log("zsh completion test skipped: needs zsh and tmux");
