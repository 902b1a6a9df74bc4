/**
 * Real editors against `gtc lsp` and the real daemon: Neovim's built-in LSP
 * client (Debian's neovim, 0.7.x, driven by nvim_test.lua) and Emacs's eglot
 * (Debian's elpa-eglot 1.9 on Emacs 28, driven by eglot_test.el), both
 * headless. Each opens a go.mod whose toolchain the GOPROXY does not have,
 * receives the go command's diagnostic, hovers the go line, applies the code
 * action that sets the toolchain line and saves; the file's bytes must be
 * what `go get` writes, and the diagnostic must go. An editor that is not
 * installed is skipped with a message.
 */
import assert from "node:assert/strict";
import { startFixture } from "../fixtures/mod.ts";
import { findGo } from "../differential/gocmd.ts";
import { stopDaemon, worldEnv } from "./_client.ts";

const cli = new URL("../../cli/main.ts", import.meta.url).pathname;
const here = (f: string) => new URL(`./${f}`, import.meta.url).pathname;
const { go, reason } = await findGo();
const dec = new TextDecoder();

async function which(cmd: string): Promise<string | undefined> {
  for (const d of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if ((await Deno.stat(`${d}/${cmd}`)).isFile) return `${d}/${cmd}`;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

interface Editor {
  name: string;
  program: string;
  install: string;
  /** The editor's arguments for the script, given the go.mod to open. */
  args: (file: string) => string[];
  /** Extra checks an editor can make. */
  probe?: (exe: string) => Promise<string | undefined>;
}

const editors: Editor[] = [
  {
    name: "Neovim",
    program: "nvim",
    install: "apt-get install neovim",
    args: (
      file,
    ) => ["--headless", "--clean", "-u", "NONE", "-c", `luafile ${here("nvim_test.lua")}`, file],
  },
  {
    name: "Emacs eglot",
    program: "emacs",
    install: "apt-get install emacs-nox elpa-eglot",
    args: () => [
      "--batch",
      "-l",
      here("eglot_test.el"),
    ],
    // --batch reads no init file but, unlike -Q, the site start files that
    // put Debian's elpa-eglot on the load path.
    probe: async (exe) => {
      const out = await new Deno.Command(exe, {
        args: [
          "--batch",
          "--eval",
          "(require 'eglot)",
        ],
        stdout: "null",
        stderr: "null",
      }).output();
      return out.code === 0 ? undefined : "eglot is not installed (apt-get install elpa-eglot)";
    },
  },
];

for (const ed of editors) {
  const exe = await which(ed.program);
  const skip = go === undefined
    ? reason
    : exe === undefined
    ? `no ${ed.program} in PATH (${ed.install})`
    : Deno.build.os !== "linux" || Deno.build.arch !== "x86_64"
    ? "the fixture serves linux-amd64 toolchains"
    : await ed.probe?.(exe);
  if (skip !== undefined) console.log(`skipping ${ed.name} in tests/lsp/editors_test.ts: ${skip}`);

  Deno.test({
    name:
      `${ed.name}: diagnostics, hover, the toolchain code action, save: the bytes go get writes`,
    ignore: skip !== undefined,
    async fn() {
      const f = await startFixture({ toolchains: ["go1.99.0"] });
      const env = worldEnv(f, go!.bindir);
      try {
        const text =
          "module example.com/m\n\n// the go line\ngo 1.22\n\ntoolchain go1.99.7 // gone\n";
        const mine = `${f.work}/m`;
        const ref = `${f.work}/ref`;
        for (const d of [mine, ref]) {
          Deno.mkdirSync(d);
          Deno.writeTextFileSync(`${d}/go.mod`, text);
        }
        const local = go!.version;
        const outFile = `${f.dir}/editor.json`;
        const out = await new Deno.Command(exe!, {
          args: ed.args(`${mine}/go.mod`),
          env: {
            ...env,
            GTC_EDITOR_FILE: `${mine}/go.mod`,
            GTC_EDITOR_OUT: outFile,
            GTC_EDITOR_ACTION: `go get toolchain@${local}`,
            GTC_LSP_CMD: JSON.stringify([Deno.execPath(), "run", "-A", "--quiet", cli, "lsp"]),
          },
          clearEnv: true,
          cwd: mine,
          stdin: "null",
        }).output();
        let result;
        try {
          result = JSON.parse(Deno.readTextFileSync(outFile));
        } catch {
          result = {};
        }
        assert.equal(
          out.code,
          0,
          `${ed.name}: ${result.error ?? ""}\n${dec.decode(out.stdout)}\n${dec.decode(out.stderr)}`,
        );

        // The diagnostic is the go command's own text, on the toolchain line.
        const theirs = await new Deno.Command(go!.path, {
          args: ["list", "-m"],
          env,
          clearEnv: true,
          cwd: ref,
        }).output();
        const goSays = dec.decode(theirs.stderr);
        assert.equal(result.diagnostics.length, 1, JSON.stringify(result));
        assert.equal(result.diagnostics[0].line, 5);
        assert.ok(
          goSays.includes(result.diagnostics[0].message + "\n"),
          `${JSON.stringify(result.diagnostics)} in go's output:\n${goSays}`,
        );
        assert.match(result.hover, /`go 1\.22` at go\.mod:4/);
        assert.match(result.hover, /rules/);

        // The saved bytes are go get's (run with GOTOOLCHAIN=local: under auto
        // it would first try to switch to the toolchain that is not there).
        const get = await new Deno.Command(go!.path, {
          args: ["get", `toolchain@${local}`],
          env: { ...env, GOTOOLCHAIN: "local" },
          clearEnv: true,
          cwd: ref,
        }).output();
        assert.equal(get.code, 0, dec.decode(get.stderr));
        assert.equal(
          Deno.readTextFileSync(`${mine}/go.mod`),
          Deno.readTextFileSync(`${ref}/go.mod`),
        );
        assert.equal(result.cleared, true, "the diagnostic went after the save");
      } finally {
        await stopDaemon(env);
        await f.close();
      }
    },
  });
}
