/**
 * `gtc lsp` through a real LSP client (vscode-languageserver-protocol over
 * the server's stdio), with the real daemon (started on demand in a private
 * runtime directory), a loopback GOPROXY and checksum database, and the real
 * go command as the reference for texts and edits.
 */
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import type {
  CodeAction,
  Hover,
  InlayHint,
  MarkupContent,
  TextEdit,
} from "vscode-languageserver-protocol/node";
import { startFixture } from "../fixtures/mod.ts";
import { findGo } from "../differential/gocmd.ts";
import { capabilities, type LspSession, startLsp, stopDaemon, worldEnv } from "./_client.ts";
import { connect } from "../../lib/rpc/client.ts";
import { sleep } from "../daemon/_harness.ts";

const cli = new URL("../../cli/main.ts", import.meta.url).pathname;
const { go, reason } = await findGo();
if (go === undefined) console.log(`skipping tests/lsp/lsp_test.ts: ${reason}`);
const dec = new TextDecoder();

async function run(cmd: string, args: string[], env: Record<string, string>, cwd: string) {
  const out = await new Deno.Command(cmd, { args, env, clearEnv: true, cwd }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

function write(path: string, text: string): void {
  Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  Deno.writeTextFileSync(path, text);
}

/** applyEdits applies LSP text edits (sorted, non-overlapping) to text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split("\n");
  const offset = (p: { line: number; character: number }) => {
    let o = 0;
    for (let i = 0; i < p.line && i < lines.length; i++) o += lines[i].length + 1;
    return o + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) {
    out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  }
  return out;
}

async function open(s: LspSession, path: string, text: string): Promise<string> {
  const uri = pathToFileURL(path).href;
  await s.conn.sendNotification("textDocument/didOpen", {
    textDocument: {
      uri,
      languageId: path.endsWith("go.work") ? "gowork" : "gomod",
      version: 1,
      text,
    },
  });
  return uri;
}

async function hints(s: LspSession, uri: string): Promise<InlayHint[]> {
  return await s.conn.sendRequest("textDocument/inlayHint", {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } },
  }) as InlayHint[];
}

// waitHint waits until the go line's hint reads want, asking again after
// every refresh the server requests.
async function waitHint(s: LspSession, uri: string, want: string): Promise<InlayHint> {
  for (;;) {
    const seen = s.serverRequests.length;
    const h = await hints(s, uri);
    if (h.length === 1 && h[0].label === want) return h[0];
    await s.waitFor(`inlay hint ${want}`, () => s.serverRequests.length > seen);
  }
}

Deno.test({
  name: "gtc lsp: initialize, diagnostics, hover, hints, code actions, pushed updates, exit",
  ignore: go === undefined || Deno.build.os !== "linux" || Deno.build.arch !== "x86_64",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const f = await startFixture({ toolchains: ["go1.99.0"] });
    const env: Record<string, string> = { ...worldEnv(f, go!.bindir), GOFLAGS: "-mod=mod" };
    const run0 = env.XDG_RUNTIME_DIR;
    const s = startLsp(env, f.work);
    try {
      const w = f.work;
      const init = await s.conn.sendRequest("initialize", {
        processId: Deno.pid,
        rootUri: pathToFileURL(w).href,
        capabilities,
        // Overrides the process environment: GOFLAGS is the editor's.
        initializationOptions: { env: { GOFLAGS: "-mod=mod" } },
      }) as { capabilities: Record<string, unknown> };
      assert.ok(init.capabilities.inlayHintProvider, "inlay hints announced");
      assert.ok(init.capabilities.hoverProvider);
      await s.conn.sendNotification("initialized", {});

      await t.step("a malformed go.mod: the go command's own text on its line", async () => {
        const text = "module bad\n\ngo 1.22\nfoo bar\n";
        write(`${w}/bad/go.mod`, text);
        const uri = await open(s, `${w}/bad/go.mod`, text);
        const diags = await s.waitFor("diagnostics", () => s.diagnostics.get(uri)?.at(-1));
        const theirs = await run(go!.path, ["build", "./..."], env, `${w}/bad`);
        assert.equal(diags.length, 1, JSON.stringify(diags));
        assert.equal(diags[0].range.start.line, 3);
        assert.ok(
          theirs.stderr.includes(String(diags[0].message)),
          `${diags[0].message} in go's output:\n${theirs.stderr}`,
        );
        assert.equal(diags[0].message, "go.mod:4: unknown directive: foo");
        // The editor fixes the buffer: the error goes without a save.
        await s.conn.sendNotification("textDocument/didChange", {
          textDocument: { uri, version: 2 },
          contentChanges: [{
            range: { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } },
            text: "",
          }],
        });
        await s.waitFor("diagnostics cleared", () => s.diagnostics.get(uri)?.at(-1)?.length === 0);
      });

      const mod = `${w}/m/go.mod`;
      const modText = "module example.com/m\n\ngo 1.22 // keep\n";
      write(mod, modText);
      let uri = "";
      await t.step("hover on the go line is gtc why's prose", async () => {
        uri = await open(s, mod, modText);
        await s.waitFor("diagnostics", () => s.diagnostics.get(uri)?.at(-1));
        assert.deepEqual(s.diagnostics.get(uri)?.at(-1), []);
        const h = await s.conn.sendRequest("textDocument/hover", {
          textDocument: { uri },
          position: { line: 2, character: 1 },
        }) as Hover;
        const md = (h.contents as MarkupContent).value;
        const why = await run(Deno.execPath(), ["run", "-A", "--quiet", cli, "why", "--no-color"], {
          ...env,
          GTC_DAEMON: "off",
        }, `${w}/m`);
        assert.ok(
          md.includes(why.stdout.replace(/\n+$/, "")),
          `hover:\n${md}\nwhy:\n${why.stdout}`,
        );
        assert.match(md, /`go 1.22` at go.mod:3/);
        const none = await s.conn.sendRequest("textDocument/hover", {
          textDocument: { uri },
          position: { line: 0, character: 1 },
        });
        assert.equal(none, null, "no hover on the module line");
      });

      await t.step("gtc.why returns gtc why --json", async () => {
        const x = await s.conn.sendRequest("workspace/executeCommand", {
          command: "gtc.why",
          arguments: [uri],
        });
        const json = await run(Deno.execPath(), ["run", "-A", "--quiet", cli, "why", "--json"], {
          ...env,
          GTC_DAEMON: "off",
        }, `${w}/m`);
        assert.deepEqual(x, JSON.parse(json.stdout));
      });

      await t.step("inlay hint on the go line", async () => {
        const h = await waitHint(s, uri, `runs ${go!.version} (local)`);
        assert.deepEqual(h.position, { line: 2, character: "go 1.22".length });
      });

      for (const args of [[`toolchain@${go!.version}`], [`go@${go!.version.slice(2)}`]]) {
        await t.step(`code action ${args.join(" ")} edits as go get does`, async () => {
          const actions = await s.conn.sendRequest("textDocument/codeAction", {
            textDocument: { uri },
            range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } },
            context: { diagnostics: [] },
          }) as CodeAction[];
          const a = actions.find((a) => a.title.includes(`go get ${args.join(" ")}`));
          assert.ok(a?.edit?.changes?.[uri], JSON.stringify(actions, null, 1));
          const mine = applyEdits(modText, a.edit.changes[uri]);
          const ref = `${w}/ref-${args[0].replace("@", "-")}`;
          write(`${ref}/go.mod`, modText);
          const theirs = await run(go!.path, ["get", ...args], env, ref);
          assert.equal(theirs.code, 0, theirs.stderr);
          assert.equal(mine, Deno.readTextFileSync(`${ref}/go.mod`));
          assert.equal(Deno.readTextFileSync(mod), modText, "the server wrote nothing");
        });
      }

      await t.step("go.mod changed on disk: the new answer is pushed", async () => {
        const seen = s.serverRequests.length;
        write(mod, "module example.com/m\n\ngo 1.99.0\n");
        await s.waitFor("a refresh", () => s.serverRequests.length > seen);
        await waitHint(s, uri, "↓ go1.99.0 (download)");
      });

      await t.step("install through the daemon, with progress; the hint follows", async () => {
        const actions = await s.conn.sendRequest("textDocument/codeAction", {
          textDocument: { uri },
          range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } },
          context: { diagnostics: [] },
        }) as CodeAction[];
        const a = actions.find((a) => a.command?.command === "gtc.install");
        assert.ok(a, JSON.stringify(actions));
        const r = await s.conn.sendRequest("workspace/executeCommand", a.command) as {
          toolchain: string;
        };
        assert.equal(r.toolchain, "go1.99.0");
        assert.ok(
          s.progress.some((p) => (p as { kind: string }).kind === "begin") &&
            s.progress.some((p) => (p as { kind: string }).kind === "end"),
          JSON.stringify(s.progress),
        );
        await waitHint(s, uri, "runs go1.99.0 (cache)");
      });

      // Each case: files, the file opened, where the go command runs, and
      // the line its message belongs on.
      const goCases = [
        {
          name: "a toolchain the GOPROXY does not have",
          files: { "na/go.mod": "module na\n\ngo 1.22\n\ntoolchain go1.99.7\n" },
          open: "na/go.mod",
          cwd: "na",
          line: 4,
        },
        {
          name: "a go.work module newer than the go.work, on its use line",
          files: {
            "ws/go.work": "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n",
            "ws/a/go.mod": "module a\n\ngo 1.22\n",
            "ws/b/go.mod": "module b\n\ngo 1.24\n",
          },
          open: "ws/go.work",
          cwd: "ws",
          line: 4,
        },
        {
          name: "the same from the module's go.mod",
          files: {},
          open: "ws/b/go.mod",
          cwd: "ws/b",
          line: 2,
        },
      ];
      for (const c of goCases) {
        await t.step(`diagnostics: ${c.name}`, async () => {
          for (const [p, text] of Object.entries(c.files)) write(`${w}/${p}`, text);
          const path = `${w}/${c.open}`;
          const u = await open(s, path, Deno.readTextFileSync(path));
          const diags = await s.waitFor("diagnostics", () => s.diagnostics.get(u)?.at(-1));
          // GOFLAGS=-mod=mod is refused in workspace mode before anything else.
          const theirs = await run(
            go!.path,
            ["list", "-m"],
            { ...env, GOFLAGS: "" },
            `${w}/${c.cwd}`,
          );
          assert.notEqual(theirs.code, 0);
          assert.equal(diags.length, 1, JSON.stringify(diags));
          assert.equal(diags[0].range.start.line, c.line);
          assert.ok(
            theirs.stderr.includes(String(diags[0].message) + "\n"),
            `${diags[0].message} in go's output:\n${theirs.stderr}`,
          );
        });
      }

      await t.step("hover on a use line names the module and its go line", async () => {
        const u = pathToFileURL(`${w}/ws/go.work`).href;
        const h = await s.conn.sendRequest("textDocument/hover", {
          textDocument: { uri: u },
          position: { line: 4, character: 2 },
        }) as Hover;
        assert.match((h.contents as MarkupContent).value, /^`use \.\/b`: module b, go 1\.24/);
      });

      await t.step("closing a document forgets it and ends its subscription", async () => {
        const c = await connect({ dir: `${run0}/gtc`, env, start: false, reconnect: false });
        try {
          const before = (await c.status()).subscriptions;
          const text = "module n\n\ngo 1.21\n";
          write(`${w}/n/go.mod`, text);
          const nuri = await open(s, `${w}/n/go.mod`, text);
          await s.waitFor("diagnostics", () => s.diagnostics.get(nuri)?.at(-1));
          assert.equal((await c.status()).subscriptions, before + 1);
          await s.conn.sendNotification("textDocument/didClose", { textDocument: { uri: nuri } });
          await s.waitFor("closed clears", () => s.diagnostics.get(nuri)?.length === 2);
          assert.deepEqual(s.diagnostics.get(nuri)?.at(-1), []);
          // The unsubscribe follows the close; wait for the daemon to see it.
          while ((await c.status()).subscriptions !== before) await sleep(20);
        } finally {
          c.close();
        }
      });

      await t.step("shutdown and exit", async () => {
        await s.conn.sendRequest("shutdown");
        await s.conn.sendNotification("exit");
        assert.equal(await s.exited, 0);
      });
    } finally {
      s.conn.dispose();
      s.child.kill();
      await s.exited;
      // The daemon started on demand: stop it.
      await stopDaemon(env);
      await f.close();
    }
  },
});

Deno.test({
  name: "gtc lsp with GTC_DAEMON=off: answers in-process, recomputed on save, no daemon",
  ignore: go === undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "gtc-lsp-off-" });
    const run0 = `${tmp}/run`;
    Deno.mkdirSync(run0, { mode: 0o700 });
    const env: Record<string, string> = {
      PATH: `${go!.bindir}:/usr/bin:/bin`,
      HOME: `${tmp}/home`,
      XDG_RUNTIME_DIR: run0,
      GOENV: "off",
      GOPROXY: "off",
      GOTOOLCHAIN: "auto",
      GTC_DAEMON: "off",
      DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
    };
    const s = startLsp(env, tmp);
    try {
      await s.conn.sendRequest("initialize", { processId: Deno.pid, rootUri: null, capabilities });
      await s.conn.sendNotification("initialized", {});
      const mod = `${tmp}/m/go.mod`;
      write(mod, "module m\n\ngo 1.22\n");
      const uri = await open(s, mod, "module m\n\ngo 1.22\n");
      await waitHint(s, uri, `runs ${go!.version} (local)`);
      write(mod, "module m\n\ngo 1.99.0\n");
      await s.conn.sendNotification("textDocument/didSave", { textDocument: { uri } });
      await waitHint(s, uri, "↓ go1.99.0 (download)");
      await s.conn.sendRequest("shutdown");
      await s.conn.sendNotification("exit");
      assert.equal(await s.exited, 0);
      assert.deepEqual([...Deno.readDirSync(run0)], [], "no daemon was started");
    } finally {
      s.conn.dispose();
      s.child.kill();
      await s.exited;
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
