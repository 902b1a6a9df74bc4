// What a hook trusts (docs/hooks.md, threat model): real bash, zsh and fish in
// tmux against a real squatter on the hook's loopback port and Unix socket,
// with hook files a dead daemon or another user left behind. No daemon runs:
// whatever answers is the squatter.

import assert from "node:assert/strict";
import { procStart } from "../../daemon/shells.ts";
import { hookScript } from "../../lib/hooks/mod.ts";
import { makeWorkspace, type Workspace } from "../daemon/_harness.ts";
import { has, rcFor, type ShellKind, TmuxShell } from "./_tmux.ts";

const shells: ShellKind[] = (["bash", "zsh", "fish"] as const).filter((s) => has(s));
const noTmux = !has("tmux");
/** Another user: nobody. Files are given to it with chown, which needs root. */
const OTHER_UID = 65534;
const isRoot = Deno.uid() === 0;
const UNTRUSTED = "gtc:untrusted";
const enc = new TextEncoder();

/**
 * Squatter listens where the hook looks for its daemon (the loopback port
 * for bash and fish, the Unix socket for zsh), records every request and
 * answers each with the line the test sets, then closes the connection.
 */
class Squatter {
  readonly received: string[] = [];
  answer = "";
  readonly port: number;
  #listeners: Deno.Listener[] = [];

  constructor() {
    const tcp = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.port = (tcp.addr as Deno.NetAddr).port;
    this.#listeners.push(tcp);
    this.#serve(tcp);
  }

  /** listenUnix serves the Unix socket at path too (zsh's way to the daemon). */
  listenUnix(path: string): void {
    const l = Deno.listen({ transport: "unix", path });
    this.#listeners.push(l);
    this.#serve(l);
  }

  async #serve(l: Deno.Listener): Promise<void> {
    try {
      for await (const c of l) this.#conn(c);
    } catch {
      // Closed.
    }
  }

  async #conn(c: Deno.Conn): Promise<void> {
    const buf = new Uint8Array(65536);
    let text = "";
    try {
      for (;;) {
        const n = await c.read(buf);
        if (n === null) break;
        text += new TextDecoder().decode(buf.subarray(0, n));
        let nl;
        while ((nl = text.indexOf("\n")) >= 0) {
          this.received.push(text.slice(0, nl));
          text = text.slice(nl + 1);
          await c.write(enc.encode(this.answer + "\n"));
        }
        // One request per connection, as the daemon's loopback listener
        // (bash reads the answer up to the end of the stream).
        if (this.received.length > 0 && text === "") break;
      }
    } catch {
      // The hook closed it.
    }
    try {
      c.close();
    } catch {
      // Closed.
    }
  }

  close(): void {
    for (const l of this.#listeners) l.close();
  }
}

/** A JSON-RPC answer carrying result as raw text (it may hold raw control bytes). */
function answer(result: string): string {
  return `{"jsonrpc":"2.0","id":1,"result":"${result}"}`;
}

interface Env {
  tmp: string;
  ws: Workspace;
  /** The run directory the hook reads its file from. */
  run: string;
  hookFile: string;
  squatter: Squatter;
  /** A GOROOT/bin of go1.99.0 that this user owns. */
  good: string;
  shells: TmuxShell[];
  cleanup(): Promise<void>;
}

async function setup(run?: string): Promise<Env> {
  const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "gtc-trust-" }));
  const ws = await makeWorkspace(tmp);
  delete ws.env.TERM;
  run ??= `${tmp}/run`;
  await Deno.mkdir(run, { recursive: true, mode: 0o700 });
  const good = `${tmp}/tc/go1.99.0/bin`;
  await goroot(good, "go1.99.0");
  const squatter = new Squatter();
  squatter.listenUnix(`${run}/gtc-v1.sock`);
  const started: TmuxShell[] = [];
  return {
    tmp,
    ws,
    run,
    hookFile: `${run}/gtc-v1.hook`,
    squatter,
    good,
    shells: started,
    async cleanup() {
      for (const s of started) await s.kill();
      squatter.close();
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
    },
  };
}

/** goroot makes bin/go and VERSION of a toolchain (go prints a marker when run). */
async function goroot(bin: string, version: string): Promise<void> {
  await Deno.mkdir(bin, { recursive: true });
  await Deno.writeTextFile(`${bin}/go`, `#!/bin/sh\necho ran ${bin}/go\n`);
  await Deno.chmod(`${bin}/go`, 0o755);
  await Deno.writeTextFile(`${bin.slice(0, -4)}/VERSION`, `${version}\ntime 2030-01-01\n`);
}

async function startShell(e: Env, shell: ShellKind, dir = e.run): Promise<TmuxShell> {
  const f = `${e.tmp}/hook-${shell}`;
  await Deno.writeTextFile(
    f,
    hookScript(shell, {
      socket: `${dir}/gtc-v1.sock`,
      hookFile: `${dir}/gtc-v1.hook`,
      switchPath: true,
      // Never start a daemon: the point is what the hook does with what it finds.
      start: [],
    }),
  );
  const sh = await TmuxShell.start({
    shell,
    rc: rcFor(shell, f),
    env: e.ws.env,
    tmp: e.tmp,
    cwd: e.ws.root,
  });
  e.shells.push(sh);
  return sh;
}

function printPath(shell: ShellKind): string {
  return shell === "fish" ? "string join : -- $PATH" : `printf '%s\\n' "$PATH"`;
}

let gen = 1;

/** writeHook writes a hook file line (a new generation each time, so fish asks too). */
async function writeHook(
  path: string,
  f: { pid: number; start: string; port: number; token?: string; proof: string },
): Promise<void> {
  gen++;
  const line = `${f.pid} ${f.start} ${gen} ${f.port} ${f.token ?? "t".repeat(48)} ${f.proof}\n`;
  await Deno.writeTextFile(`${path}.tmp`, line, { mode: 0o600 });
  await Deno.rename(`${path}.tmp`, path);
}

const PROOF = "5f0c9e2ab1d47c3e8f60a29b4d1c7e5a03b8f2d6c9e1a47b";
const myStart = () => procStart(Deno.pid)!;

for (const shell of shells) {
  Deno.test({
    name: `${shell}: a squatter on a dead daemon's port, or an answer without the proof, ` +
      `never reaches PATH or the terminal`,
    ignore: noTmux,
    async fn(t) {
      const e = await setup();
      const sh = await startShell(e, shell);
      const orig = e.ws.env.PATH;
      // The prompt drawn after a command, and PATH then.
      const step = async () => {
        const prompt = (await sh.run(":")).prompt;
        const path = (await sh.run(printPath(shell))).output[0];
        return { prompt, path };
      };
      const asked = () => e.squatter.received.length;
      try {
        await t.step("a reused pid (alive, another start time): nothing is sent", async () => {
          // The dead daemon's file names a pid that now belongs to another
          // process (this test): its start time differs.
          await writeHook(e.hookFile, {
            pid: Deno.pid,
            start: "1",
            port: e.squatter.port,
            proof: PROOF,
          });
          e.squatter.answer = answer(`${PROOF}|ps|go1.99.0|go1.99.0|${e.good}`);
          assert.deepEqual(await step(), { prompt: "", path: orig });
          assert.equal(asked(), 0, "the squatter got no request (no token, no environment)");
        });
        const live = { pid: Deno.pid, start: myStart(), port: e.squatter.port, proof: PROOF };
        await t.step("an answer without the proof: untrusted, PATH untouched", async () => {
          await writeHook(e.hookFile, live);
          e.squatter.answer = answer(`${"0".repeat(48)}|ps|go1.99.0|go1.99.0|${e.good}`);
          assert.deepEqual(await step(), { prompt: UNTRUSTED, path: orig });
          assert.ok(asked() > 0, "the hook did ask (the file says the daemon is alive)");
          // The old answer format, no proof at all.
          await writeHook(e.hookFile, live);
          e.squatter.answer = answer(`ps|go1.99.0|go1.99.0|${e.good}`);
          assert.deepEqual(await step(), { prompt: UNTRUSTED, path: orig });
        });
        await t.step("escape sequences in the text never reach the terminal", async () => {
          for (
            const [tc, text] of [
              ["go1.99.0", "go1.99.0\x1b]0;pwned\x07"],
              ["go1.99.0\x1b[2J", "go1.99.0\x1b[2J"],
              ["go1.99.0", "go1.99.0%F{red}"],
            ]
          ) {
            await writeHook(e.hookFile, live);
            e.squatter.answer = answer(`${PROOF}|p|${tc}|${text}|`);
            const s = await step();
            assert.equal(s.path, orig);
            const shown = (await sh.run(`printf '%s\\n' "$GTC_PROMPT" "$GTC_TOOLCHAIN"`)).output;
            assert.ok(!shown.join("").includes("\x1b"), JSON.stringify(shown));
            assert.ok(
              shown[0] === UNTRUSTED || /^[A-Za-z0-9._+?-]*[↓*!]*$/.test(shown[0]),
              JSON.stringify(shown),
            );
          }
        });
        await t.step("a directory that holds no toolchain gtc knows: not in PATH", async () => {
          const plain = `${e.tmp}/plain/bin`;
          await Deno.mkdir(plain, { recursive: true });
          await Deno.writeTextFile(`${plain}/go`, "#!/bin/sh\necho ran plain\n");
          await Deno.chmod(`${plain}/go`, 0o755);
          const older = `${e.tmp}/tc/go1.20.0/bin`;
          await goroot(older, "go1.20.0");
          for (const dir of [plain, older, `${e.good}/..`, "relative/bin", `${e.good}:/tmp`]) {
            await writeHook(e.hookFile, live);
            e.squatter.answer = answer(`${PROOF}|ps|go1.99.0|go1.99.0|${dir}`);
            assert.deepEqual(await step(), { prompt: UNTRUSTED, path: orig }, dir);
          }
        });
        await t.step({
          name: "a toolchain directory another user owns: not in PATH",
          ignore: !isRoot,
          fn: async () => {
            const evil = `${e.tmp}/evil/go1.99.0/bin`;
            await goroot(evil, "go1.99.0");
            for (
              const p of [
                evil,
                `${evil}/go`,
                `${e.tmp}/evil/go1.99.0`,
                `${e.tmp}/evil/go1.99.0/VERSION`,
              ]
            ) {
              await Deno.chown(p, OTHER_UID, OTHER_UID);
            }
            await writeHook(e.hookFile, live);
            e.squatter.answer = answer(`${PROOF}|ps|go1.99.0|go1.99.0|${evil}`);
            assert.deepEqual(await step(), { prompt: UNTRUSTED, path: orig });
            assert.notEqual((await sh.run("command -v go")).output[0], `${evil}/go`);
          },
        });
        await t.step(
          "the daemon's own answer (the proof, a toolchain this user owns) is used",
          async () => {
            await writeHook(e.hookFile, live);
            e.squatter.answer = answer(`${PROOF}|ps|go1.99.0|go1.99.0|${e.good}`);
            assert.deepEqual(await step(), { prompt: "go1.99.0", path: `${e.good}:${orig}` });
            assert.equal((await sh.run("command -v go")).output[0], `${e.good}/go`);
            // And the daemon dies, its pid reused: PATH is given back, nothing is sent.
            await writeHook(e.hookFile, { ...live, start: "1" });
            const n = asked();
            assert.deepEqual(await step(), { prompt: "", path: orig });
            assert.equal(asked(), n);
          },
        );
      } finally {
        await e.cleanup();
      }
    },
  });

  Deno.test({
    name: `${shell}: a run directory or hook file that is not this user's own is not read`,
    ignore: noTmux,
    async fn(t) {
      // A shared XDG_RUNTIME_DIR (1777) where another user got there first.
      const e = await setup();
      const xdg = `${e.tmp}/xdg`;
      const run = `${xdg}/gtc`;
      const hook = `${run}/gtc-v1.hook`;
      await Deno.mkdir(xdg);
      await Deno.chmod(xdg, 0o1777);
      const sh = await startShell(e, shell, run);
      const orig = e.ws.env.PATH;
      // The planted file is complete and right: a live pid with its start
      // time, the squatter's port, a proof the squatter sends back.
      const planted = { pid: Deno.pid, start: myStart(), port: e.squatter.port, proof: PROOF };
      e.squatter.answer = answer(`${PROOF}|p|go6.6.6|go6.6.6*|`);
      const check = async (what: string) => {
        const before = e.squatter.received.length;
        const s = await sh.run(":");
        assert.equal(s.prompt, UNTRUSTED, what);
        assert.equal((await sh.run(printPath(shell))).output[0], orig, what);
        assert.equal(e.squatter.received.length, before, `${what}: nothing sent`);
      };
      try {
        await t.step("the control: our own private directory and file are read", async () => {
          await Deno.mkdir(run, { mode: 0o700 });
          e.squatter.listenUnix(`${run}/gtc-v1.sock`);
          await writeHook(hook, planted);
          assert.equal((await sh.run(":")).prompt, "go6.6.6*");
        });
        await t.step("the hook file is a symbolic link", async () => {
          await Deno.rename(hook, `${e.tmp}/elsewhere`);
          await Deno.symlink(`${e.tmp}/elsewhere`, hook);
          await check("symlinked hook file");
          await Deno.remove(hook);
        });
        await t.step("the run directory is a symbolic link", async () => {
          await Deno.rename(run, `${xdg}/real`);
          await Deno.symlink(`${xdg}/real`, run);
          await writeHook(`${xdg}/real/gtc-v1.hook`, planted);
          await check("symlinked run directory");
          await Deno.remove(run);
          await Deno.rename(`${xdg}/real`, run);
        });
        await t.step({
          name: "zsh sees group and other bits (zstat); bash and fish cannot without a process",
          ignore: shell !== "zsh",
          fn: async () => {
            await writeHook(hook, planted);
            await Deno.chmod(run, 0o755);
            await check("run directory 0755");
            await Deno.chmod(run, 0o700);
            await Deno.chmod(hook, 0o644);
            await check("hook file 0644");
          },
        });
        await t.step({
          name: "another user's directory and file (needs root to chown)",
          ignore: !isRoot,
          fn: async () => {
            await writeHook(hook, planted);
            await Deno.chmod(hook, 0o644);
            await Deno.chown(hook, OTHER_UID, OTHER_UID);
            await check("hook file owned by another user");
            await Deno.chmod(run, 0o755);
            await Deno.chown(run, OTHER_UID, OTHER_UID);
            await check("run directory owned by another user");
          },
        });
      } finally {
        await e.cleanup();
      }
    },
  });
}

if (!isRoot) {
  console.log(
    `tests/hooks/trust_test.ts: not root: the steps with files of another user (uid ${OTHER_UID}) ` +
      "are skipped (they need chown)",
  );
}
