/**
 * Other managers' version files in `gtc why`: listed as inputs that do not
 * decide, with file:line, warned about when they disagree (text, --json,
 * trace), absent when there are none; and the daemon's answer follows a
 * .go-version created or edited after it answered.
 */
import assert from "node:assert/strict";
import { renderProse, resolveSync } from "../../mod.ts";
import { connect } from "../../lib/rpc/client.ts";
import { makeWorkspace, sleep, startDaemon } from "../daemon/_harness.ts";

const cli = new URL("../../cli/main.ts", import.meta.url).pathname;
const dec = new TextDecoder();

async function why(args: string[], env: Record<string, string>, cwd: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", cli, "why", ...args],
    env: {
      ...env,
      GTC_DAEMON: "off",
      NO_COLOR: "1",
      DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
    },
    clearEnv: true,
    cwd,
  }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("gtc why lists version files that do not decide and warns when they disagree", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "gtc-vf-" });
  try {
    const ws = await makeWorkspace(tmp);
    const env = { ...ws.env, GOTOOLCHAIN: "local", GOENV: "off" };
    const local = resolveSync({ dir: ws.mod, env }).toolchain!;

    // None: no versionFiles key, no new rule, no new lines.
    const before = await why(["--json"], env, ws.mod);
    assert.equal("versionFiles" in JSON.parse(before.stdout), false);
    const plainText = (await why([], env, ws.mod)).stdout;
    assert.doesNotMatch(plainText, /not read by the go command|version-files/);

    // One that agrees (mise prefix) and one that does not (goenv).
    const wrong = local === "go1.21.5" ? "1.21.4" : "1.21.5";
    await Deno.writeTextFile(`${ws.mod}/.go-version`, `${wrong}\n`);
    const lang = local.slice(2).split(".").slice(0, 2).join(".");
    await Deno.writeTextFile(
      `${ws.root}/src/mise.toml`,
      `[env]\nX = "1"\n\n[tools]\ngo = "${lang}"\n`,
    );
    const text = await why([], env, ws.mod);
    assert.equal(text.code, 0);
    assert.match(
      text.stdout,
      new RegExp(`${wrong} for goenv  ${ws.mod}/\\.go-version:1  disagrees`),
    );
    assert.match(text.stdout, new RegExp(`${lang} for mise  ${ws.root}/src/mise\\.toml:5  agrees`));
    assert.match(
      text.stdout,
      new RegExp(
        `warning: ${ws.mod}/\\.go-version:1 says ${wrong} for goenv, but the go command runs ${local}`,
      ),
    );
    assert.equal(text.stdout.match(/^warning:/gm)?.length, 1);
    // Everything that was there before is still there, in order.
    const lines = text.stdout.split("\n");
    let i = 0;
    for (const l of plainText.split("\n")) {
      while (i < lines.length && lines[i] !== l) i++;
      assert.ok(i < lines.length, `line kept: ${l}`);
    }

    const x = JSON.parse((await why(["--json"], env, ws.mod)).stdout);
    assert.deepEqual(
      x.versionFiles.map((
        f: { path: string; line: number; agrees: boolean },
      ) => [f.path, f.line, f.agrees]),
      [[`${ws.mod}/.go-version`, 1, false], [`${ws.root}/src/mise.toml`, 5, true]],
    );
    const step = x.trace.at(-1);
    assert.equal(step.rule, "version-files");
    assert.equal(step.fired, false);
    assert.deepEqual(step.inputs.map((i: { origin: string }) => i.origin), [
      `${ws.mod}/.go-version:1`,
      `${ws.root}/src/mise.toml:5`,
    ]);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("the daemon's answer follows a .go-version created and edited after it answered", async () => {
  const d = await startDaemon();
  const ws = await makeWorkspace(d.tmp);
  const c = await connect({ address: d.socket });
  try {
    const env = { ...ws.env, GOTOOLCHAIN: "local" };
    const ask = async () => {
      const got = await c.resolve(ws.mod, { env });
      assert.deepEqual(got, JSON.parse(JSON.stringify(resolveSync({ dir: ws.mod, env }))));
      const w = await c.why(ws.mod, { env });
      assert.equal(w.text, renderProse(resolveSync({ dir: ws.mod, env }), { color: false }));
      return got;
    };
    assert.equal((await ask()).versionFiles, undefined);
    await Deno.writeTextFile(`${ws.root}/src/.go-version`, "1.20.1\n");
    // The watcher may report the event after the next ask; wait for it, no fixed deadline.
    const says = async () => (await ask()).versionFiles?.[0]?.says as string | undefined;
    while (await says() !== "1.20.1") await sleep(20);
    await Deno.writeTextFile(`${ws.root}/src/.go-version`, "1.20.2\n");
    while (await says() !== "1.20.2") await sleep(20);
  } finally {
    c.close();
    await d.stop();
  }
});
