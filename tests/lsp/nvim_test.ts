/**
 * A real editor: Neovim's built-in LSP client (Debian's neovim, 0.7.x)
 * headless, driven by tests/lsp/nvim_test.lua, against `gtc lsp` and the
 * real daemon. It opens a go.mod whose toolchain the GOPROXY does not have,
 * receives the go command's diagnostic, hovers the go line, applies the
 * code action that sets the toolchain line, saves; the file's bytes must be
 * what `go get` writes. Skipped, with a message, without nvim or go.
 */
import assert from "node:assert/strict";
import { startFixture } from "../fixtures/mod.ts";
import { findGo } from "../differential/gocmd.ts";
import { stopDaemon, worldEnv } from "./_client.ts";

const cli = new URL("../../cli/main.ts", import.meta.url).pathname;
const lua = new URL("./nvim_test.lua", import.meta.url).pathname;
const { go, reason } = await findGo();

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
const nvim = await which("nvim");
const skip = go === undefined
  ? reason
  : nvim === undefined
  ? "no nvim in PATH (apt-get install neovim)"
  : Deno.build.os !== "linux" || Deno.build.arch !== "x86_64"
  ? "the fixture serves linux-amd64 toolchains"
  : undefined;
if (skip !== undefined) console.log(`skipping tests/lsp/nvim_test.ts: ${skip}`);

Deno.test({
  name: "Neovim: diagnostics, hover, the toolchain code action, save: the bytes go get writes",
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
      const outFile = `${f.dir}/nvim.json`;
      const out = await new Deno.Command(nvim!, {
        args: ["--headless", "--clean", "-u", "NONE", "-c", `luafile ${lua}`, `${mine}/go.mod`],
        env: {
          ...env,
          GTC_NVIM_OUT: outFile,
          GTC_NVIM_ACTION: `go get toolchain@${local}`,
          GTC_LSP_CMD: JSON.stringify([Deno.execPath(), "run", "-A", "--quiet", cli, "lsp"]),
        },
        clearEnv: true,
        cwd: mine,
        stdin: "null",
      }).output();
      const result = JSON.parse(Deno.readTextFileSync(outFile));
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, `nvim: ${result.error ?? ""}\n${stderr}`);

      // The diagnostic is the go command's own text, on the toolchain line.
      const theirs = await new Deno.Command(go!.path, {
        args: ["list", "-m"],
        env,
        clearEnv: true,
        cwd: ref,
      }).output();
      const goSays = new TextDecoder().decode(theirs.stderr);
      assert.equal(result.diagnostics.length, 1, JSON.stringify(result));
      assert.equal(result.diagnostics[0].lnum, 5);
      assert.ok(goSays.includes(result.diagnostics[0].message + "\n"), goSays);
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
      assert.equal(get.code, 0, new TextDecoder().decode(get.stderr));
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
