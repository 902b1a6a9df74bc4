// Shell hooks end to end: real bash, zsh and fish in tmux, a real daemon on
// a real socket and loopback port, real files edited between prompts.

import assert from "node:assert/strict";
import { resolveSync } from "../../mod.ts";
import { daemonCommand } from "../../daemon/start.ts";
import { hookScript } from "../../lib/hooks/mod.ts";
import { connect } from "../../lib/rpc/client.ts";
import { ErrorCode } from "../../lib/rpc/protocol.ts";
import { makeWorkspace, repoRoot, sleep, startDaemon, type Workspace } from "../daemon/_harness.ts";
import { has, rcFor, type ShellKind, TmuxShell } from "./_tmux.ts";

const shells: ShellKind[] = (["bash", "zsh", "fish"] as const).filter((s) => has(s));
const noTmux = !has("tmux");

interface Env {
  tmp: string;
  ws: Workspace;
  run: string;
  /** A module directory with `go 1.99.0`. */
  m99: string;
  /** The toolchain of the go on PATH ("go1.26.8"). */
  local: string;
  hookFile(shell: ShellKind, switchPath: boolean): Promise<string>;
  /** Shells to end at cleanup. */
  shells: TmuxShell[];
  cleanup(): Promise<void>;
}

async function setup(opts: { daemon: boolean }): Promise<Env> {
  const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "gtc-hooks-" }));
  const ws = await makeWorkspace(tmp);
  delete ws.env.TERM;
  const run = `${tmp}/run`;
  const m99 = `${ws.root}/src/m99`;
  await Deno.mkdir(m99, { recursive: true });
  await Deno.writeTextFile(`${m99}/go.mod`, "module example.com/m99\n\ngo 1.99.0\n");
  const local = resolveSync({ dir: ws.root, env: ws.env }).toolchain!;
  const d = opts.daemon ? await startDaemon({ tmp, args: ["--shell-check", "0.2"] }) : undefined;
  const started: TmuxShell[] = [];
  return {
    tmp,
    ws,
    run,
    m99,
    local,
    async hookFile(shell, switchPath) {
      const f = `${tmp}/hook-${shell}-${switchPath}`;
      await Deno.writeTextFile(
        f,
        hookScript(shell, {
          socket: `${run}/gtc-v1.sock`,
          hookFile: `${run}/gtc-v1.hook`,
          switchPath,
          start: [...daemonCommand(), "--dir", run, "--idle-exit", "20", "--shell-check", "0.2"],
        }),
      );
      return f;
    },
    shells: started,
    async cleanup() {
      for (const s of started) await s.kill();
      await d?.stop();
      // A daemon a hook started is not our child: stop it by its lock file's pid.
      const pid = daemonPid(run);
      if (pid !== undefined) {
        try {
          Deno.kill(pid, "SIGTERM");
        } catch {
          // Gone.
        }
      }
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
    },
  };
}

function daemonPid(run: string): number | undefined {
  try {
    const pid = Number(Deno.readTextFileSync(`${run}/gtc-v1.lock`).trim());
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The hook file's fields (docs/hooks.md); all "" when there is none. */
interface HookLine {
  pid: string;
  start: string;
  gen: string;
  port: string;
  token: string;
  proof: string;
}

function hookLine(run: string): HookLine {
  let f: string[] = [];
  try {
    f = Deno.readTextFileSync(`${run}/gtc-v1.hook`).trim().split(" ");
  } catch {
    // None.
  }
  const [pid = "", start = "", gen = "", port = "", token = "", proof = ""] = f;
  return { pid, start, gen, port, token, proof };
}

async function startShell(e: Env, shell: ShellKind, switchPath = false): Promise<TmuxShell> {
  const sh = await TmuxShell.start({
    shell,
    rc: rcFor(shell, await e.hookFile(shell, switchPath)),
    env: e.ws.env,
    tmp: e.tmp,
    cwd: e.ws.root,
  });
  e.shells.push(sh);
  return sh;
}

// The shell syntax the tests type.
function exportVar(shell: ShellKind, k: string, v: string): string {
  return shell === "fish" ? `set -gx ${k} '${v}'` : `export ${k}='${v}'`;
}
function printPath(shell: ShellKind): string {
  return shell === "fish" ? "string join : -- $PATH" : `printf '%s\\n' "$PATH"`;
}
function prependPath(shell: ShellKind, dir: string): string {
  return shell === "fish" ? `set -gx PATH ${dir} $PATH` : `export PATH=${dir}:$PATH`;
}

async function fakeGo(path: string, version: string): Promise<void> {
  await Deno.writeTextFile(path, `#!/bin/sh\necho go version go${version} linux/amd64\n`);
  await Deno.chmod(path, 0o755);
}

// A toolchain in the module cache, as the go command leaves it (locate's
// isCachedToolchain: the directory and its .ziphash, no .partial). The go
// command runs a cached toolchain only once the checksum database vouches
// for its .ziphash, except with a single file:// GOPROXY and GOSUMDB=off
// (testing a distpack): the user's go env file says so, as `go env -w` would.
async function cachedToolchain(home: string, version: string): Promise<string> {
  await Deno.mkdir(`${home}/.config/go`, { recursive: true });
  await Deno.writeTextFile(
    `${home}/.config/go/env`,
    `GOPROXY=file://${home}/proxy\nGOSUMDB=off\n`,
  );
  const arch = Deno.build.arch === "aarch64" ? "arm64" : "amd64";
  const v = `v0.0.1-go${version}.linux-${arch}`;
  const modcache = `${home}/go/pkg/mod`;
  const dir = `${modcache}/golang.org/toolchain@${v}`;
  await Deno.mkdir(`${dir}/bin`, { recursive: true });
  await fakeGo(`${dir}/bin/go`, version);
  await Deno.writeTextFile(`${dir}/VERSION`, `go${version}\n`);
  const dl = `${modcache}/cache/download/golang.org/toolchain/@v`;
  await Deno.mkdir(dl, { recursive: true });
  await Deno.writeTextFile(`${dl}/${v}.ziphash`, `h1:${"A".repeat(43)}=\n`);
  return `${dir}/bin`;
}

for (const shell of shells) {
  Deno.test({
    name: `${shell}: the prompt shows the selected toolchain and its marks, and follows edits`,
    ignore: noTmux,
    async fn() {
      const e = await setup({ daemon: true });
      const sh = await startShell(e, shell);
      // The prompt drawn right after cmd. bash and zsh ask the daemon after
      // every command, and it takes the events that command caused first, so
      // that prompt is exact. fish cannot ask without a process: it sees a
      // change through the hook file's generation, which the daemon moves
      // within milliseconds, so a prompt drawn sooner shows the change one
      // prompt late (docs/hooks.md).
      const after = async (cmd: string, want: string, msg?: string) => {
        let got = (await sh.run(cmd)).prompt;
        if (shell === "fish" && got !== want) {
          got = (await sh.waitFor("true", (s) => s.prompt === want, 3000)).prompt;
        }
        assert.equal(got, want, msg);
      };
      try {
        await after(`cd ${e.m99}`, "go1.99.0↓", "needs a download");
        // An edit by a shell builtin (no process: the tightest race with the watcher).
        await after(`printf 'module example.com/m99\\n\\ngo 1.98.0\\n' > go.mod`, "go1.98.0↓");
        // A go1.98.0 program appears in PATH: no download, but not the go on PATH.
        const prog = `${e.ws.bin}/go1.98.0`;
        const mk = `printf '#!/bin/sh\\necho go version go1.98.0\\n' > ${prog}; chmod +x ${prog}`;
        await after(mk, "go1.98.0*");
        await after(`rm ${prog}`, "go1.98.0↓");
        // The environment: a malformed GOTOOLCHAIN makes the go on PATH fail.
        await after(exportVar(shell, "GOTOOLCHAIN", "bogus"), `${e.local}!`);
        await after(exportVar(shell, "GOTOOLCHAIN", "auto"), "go1.98.0↓");
        // Leaving the module: the go on PATH, no mark.
        await after(`cd ${e.ws.root}`, e.local);
        await after(`cd ${e.m99}`, "go1.98.0↓");
        // A change made elsewhere reaches a prompt after an empty line
        // through the generation in the hook file.
        const gen = hookLine(e.run).gen;
        await Deno.writeTextFile(`${e.m99}/go.mod`, "module example.com/m99\n\ngo 1.97.0\n");
        for (let i = 0; i < 200 && hookLine(e.run).gen === gen; i++) await sleep(10);
        assert.notEqual(hookLine(e.run).gen, gen, "the generation moved");
        const before = (await sh.prompts()).length;
        await sh.keys("Enter");
        const ps = await sh.waitPrompts(before + 1);
        assert.equal(ps[ps.length - 1], "<go1.97.0↓>$");
      } finally {
        await e.cleanup();
      }
    },
  });

  Deno.test({
    name:
      `${shell}: --switch-path puts the selected toolchain first in PATH, once, and takes it out`,
    ignore: noTmux,
    async fn() {
      const e = await setup({ daemon: true });
      const sh = await startShell(e, shell, true);
      try {
        const orig = (await sh.run(printPath(shell))).output[0];
        assert.equal(orig, e.ws.env.PATH);
        await fakeGo(`${e.ws.bin}/go1.99.0`, "1.99.0");
        // A goX.Y.Z program: a shim directory whose go links to it.
        assert.equal((await sh.run(`cd ${e.m99}`)).prompt, "go1.99.0", "switched: no mark");
        const goPath = (await sh.run("command -v go")).output[0];
        assert.match(goPath, new RegExp(`^${e.run}/shims/go1\\.99\\.0-[0-9a-f]{16}/go$`));
        assert.equal(Deno.readLinkSync(goPath), `${e.ws.bin}/go1.99.0`);
        assert.deepEqual((await sh.run("go version")).output, ["go version go1.99.0 linux/amd64"]);
        const shim = goPath.slice(0, -3);
        assert.equal((await sh.run(printPath(shell))).output[0], `${shim}:${orig}`);
        // A toolchain in the module cache: its GOROOT/bin.
        const bin97 = await cachedToolchain(e.ws.home, "1.97.0");
        const m97 = `${e.ws.root}/src/m97`;
        await Deno.mkdir(m97, { recursive: true });
        await Deno.writeTextFile(`${m97}/go.mod`, "module example.com/m97\n\ngo 1.97.0\n");
        assert.equal(resolveSync({ dir: m97, env: e.ws.env }).source, "cache");
        assert.equal((await sh.run(`cd ${m97}`)).prompt, "go1.97.0");
        assert.equal((await sh.run("command -v go")).output[0], `${bin97}/go`);
        assert.equal((await sh.run(printPath(shell))).output[0], `${bin97}:${orig}`);
        // Leaving: PATH is the user's again, exactly.
        assert.equal((await sh.run(`cd ${e.ws.root}`)).prompt, e.local);
        assert.equal((await sh.run(printPath(shell))).output[0], orig);
        assert.notEqual((await sh.run("command -v go")).output[0], goPath);
        // The user changes PATH while switched: the entry moves to the front, never twice.
        await sh.run(`cd ${e.m99}`);
        await Deno.mkdir(`${e.tmp}/extra`);
        await sh.run(prependPath(shell, `${e.tmp}/extra`));
        const p = (await sh.run(printPath(shell))).output[0];
        assert.equal(p, `${shim}:${e.tmp}/extra:${orig}`);
        await sh.run(`cd ${e.ws.root}`);
        assert.equal((await sh.run(printPath(shell))).output[0], `${e.tmp}/extra:${orig}`);
      } finally {
        await e.cleanup();
      }
    },
  });

  Deno.test({
    name: `${shell}: an unchanged prompt runs no process`,
    ignore: noTmux || !has("strace"),
    async fn() {
      const e = await setup({ daemon: true });
      const sh = await startShell(e, shell);
      try {
        assert.equal((await sh.run(`cd ${e.m99}`)).prompt, "go1.99.0↓");
        const pid = await sh.pid();
        const log = `${e.tmp}/strace-${shell}`;
        const tracer = new Deno.Command("strace", {
          args: [
            "-f",
            "-qq",
            "-e",
            "trace=fork,vfork,clone,clone3,execve",
            "-o",
            log,
            "-p",
            `${pid}`,
          ],
          stdout: "null",
          stderr: "null",
        }).spawn();
        try {
          // Wait until strace is attached.
          for (let i = 0; i < 300; i++) {
            const st = await Deno.readTextFile(`/proc/${pid}/status`);
            if (!/^TracerPid:\s+0$/m.test(st)) break;
            await sleep(10);
          }
          const spawns = async () =>
            (await Deno.readTextFile(log).catch(() => "")).split("\n")
              .filter((l) => /\b(fork|vfork|clone|clone3|execve)\(/.test(l))
              // A thread is no process: fish starts its own I/O threads
              // (clone3 with CLONE_THREAD) when it is busy, e.g. under load.
              .filter((l) => !l.includes("CLONE_THREAD"));
          const n0 = (await sh.prompts()).length;
          for (let i = 0; i < 30; i++) await sh.keys("Enter");
          const ps = await sh.waitPrompts(n0 + 30);
          assert.equal(ps[ps.length - 1], "<go1.99.0↓>$");
          assert.deepEqual(await spawns(), [], "30 unchanged prompts");
          if (shell !== "fish") {
            // bash and zsh ask the daemon without a process, too.
            assert.equal((await sh.run(`cd ${e.ws.root}`)).prompt, e.local);
            assert.equal((await sh.run(`cd ${e.m99}`)).prompt, "go1.99.0↓");
            assert.deepEqual(await spawns(), [], "prompts that asked the daemon");
          }
          // The control: a command that does run a process is seen.
          await sh.run("/bin/true");
          assert.ok((await spawns()).length > 0, "strace sees a process started");
        } finally {
          try {
            tracer.kill("SIGINT");
          } catch {
            // Gone.
          }
          await tracer.status;
        }
      } finally {
        await e.cleanup();
      }
    },
  });
}

Deno.test({
  name: "no daemon: the hook starts one and shows nothing until it answers; restarts are followed",
  ignore: noTmux || shells.length === 0,
  async fn(t) {
    for (const shell of shells) {
      await t.step(shell, async () => {
        const e = await setup({ daemon: false });
        const sh = await startShell(e, shell);
        try {
          assert.equal(
            (await sh.run(`cd ${e.m99}`)).prompt,
            "",
            "nothing before the daemon answers",
          );
          const s = await sh.waitFor("true", (s) => s.prompt === "go1.99.0↓");
          assert.equal(s.prompt, "go1.99.0↓", "the hook started a daemon");
          const { pid: pid1, port: port1, token: token1 } = hookLine(e.run);
          assert.equal(Number(pid1), daemonPid(e.run));
          // A daemon killed hard leaves its hook file: the dead pid is noticed.
          Deno.kill(Number(pid1), "SIGKILL");
          for (let i = 0; i < 100; i++) {
            try {
              Deno.kill(Number(pid1), "SIGCONT");
              await sleep(20);
            } catch {
              break;
            }
          }
          const s2 = await sh.waitFor("true", (s) => s.prompt === "go1.99.0↓");
          assert.equal(s2.prompt, "go1.99.0↓", "a new daemon answers");
          const { pid: pid2, port: port2, token: token2 } = hookLine(e.run);
          assert.notEqual(pid2, pid1);
          assert.notEqual(token2, token1, "a new token");
          assert.notEqual(port2 + token2, port1 + token1);
        } finally {
          await e.cleanup();
        }
      });
    }
  },
});

Deno.test({
  name:
    "the daemon knows which shells are alive and forgets the ones that exit; no per-shell files",
  ignore: noTmux || shells.length === 0,
  async fn() {
    const e = await setup({ daemon: true });
    const started: [ShellKind, TmuxShell, number][] = [];
    try {
      for (const shell of shells) {
        const sh = await startShell(e, shell);
        await sh.run(`cd ${e.m99}`);
        started.push([shell, sh, await sh.pid()]);
      }
      const c = await connect({ address: `${e.run}/gtc-v1.sock` });
      try {
        const live = async () => ((await c.status()).hooks?.list ?? []).map((s) => s.pid).sort();
        assert.deepEqual(await live(), started.map(([, , pid]) => pid).sort());
        const st = await c.status();
        assert.deepEqual(
          st.hooks!.list.map((s) => [s.shell, s.dir]).sort(),
          started.map(([shell]) => [shell, e.m99]).sort(),
        );
        const [, first] = started.shift()!;
        await first.kill();
        let now = await live();
        for (let i = 0; i < 100 && now.length !== started.length; i++) {
          await sleep(50);
          now = await live();
        }
        assert.deepEqual(now, started.map(([, , pid]) => pid).sort(), "the exited shell is gone");
        const files = [...Deno.readDirSync(e.run)].map((f) => f.name).sort();
        assert.deepEqual(files, ["daemon.log", "gtc-v1.hook", "gtc-v1.lock", "gtc-v1.sock"]);
        assert.equal(Deno.statSync(`${e.run}/gtc-v1.hook`).mode! & 0o777, 0o600);
      } finally {
        c.close();
      }
    } finally {
      for (const [, sh] of started) await sh.kill();
      await e.cleanup();
    }
  },
});

Deno.test("the loopback listener answers only prompt requests that carry the token", async (t) => {
  const e = await setup({ daemon: true });
  try {
    const { pid, port, token, proof } = hookLine(e.run);
    assert.equal(Number(pid), daemonPid(e.run));
    const ask = async (frame: string): Promise<[unknown, boolean]> => {
      const c = await Deno.connect({ hostname: "127.0.0.1", port: Number(port) });
      await c.write(new TextEncoder().encode(frame + "\n"));
      const buf = new Uint8Array(65536);
      let text = "";
      let closed = false;
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) {
        const n = await c.read(buf);
        if (n === null) {
          closed = true;
          break;
        }
        text += new TextDecoder().decode(buf.subarray(0, n));
        if (text.endsWith("\n")) {
          // Is the connection closed after the answer?
          const t = setTimeout(() => c.close(), 300);
          try {
            closed = (await c.read(buf)) === null;
          } catch {
            closed = false;
          }
          clearTimeout(t);
          break;
        }
      }
      try {
        c.close();
      } catch {
        // Closed.
      }
      return [JSON.parse(text.split("\n")[0]), closed];
    };
    const params = { dir: e.m99, env: e.ws.env };
    const req = (method: string, p: unknown) =>
      JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: p });
    await t.step("with the token: the prompt line", async () => {
      const [r] = await ask(req("prompt", { ...params, token }));
      assert.deepEqual(r, { jsonrpc: "2.0", id: 1, result: `${proof}|dp|go1.99.0|go1.99.0↓|` });
    });
    for (
      const [name, frame] of [
        ["no token", req("prompt", params)],
        ["a wrong token", req("prompt", { ...params, token: token.replace(/.$/, "x") })],
        ["another method, with the token", req("resolve", { ...params, token })],
        ["status", req("status", {})],
        ["an HTTP request", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n{}"],
        ["a batch", `[${req("prompt", { ...params, token })}]`],
      ]
    ) {
      await t.step(`${name}: refused, and the connection is closed`, async () => {
        const [r, closed] = await ask(frame);
        const code = (r as { error?: { code: number } }).error?.code;
        assert.ok(
          code === ErrorCode.Unauthorized || code === ErrorCode.ParseError,
          JSON.stringify(r),
        );
        assert.equal(closed, true);
      });
    }
    await t.step("the Unix socket needs no token", async () => {
      const c = await connect({ address: `${e.run}/gtc-v1.sock` });
      try {
        assert.equal(await c.call("prompt", params), `${proof}|dp|go1.99.0|go1.99.0↓|`);
      } finally {
        c.close();
      }
    });
  } finally {
    await e.cleanup();
  }
});

Deno.test("gtc hook prints each shell's code; an unknown shell is a usage error", async (t) => {
  const cli = `${repoRoot}/cli/main.ts`;
  const gtc = (args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `--config=${repoRoot}/deno.json`, cli, ...args],
      env: { XDG_RUNTIME_DIR: "/run/user/4242" },
    }).output();
  for (const shell of ["bash", "zsh", "fish", "pwsh"]) {
    await t.step(shell, async () => {
      const r = await gtc(["hook", shell, "--switch-path"]);
      assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
      const text = new TextDecoder().decode(r.stdout);
      assert.ok(!text.includes("@@"), "every placeholder filled");
      assert.ok(text.includes("/run/user/4242/gtc/gtc-v1.hook"));
      if (shell !== "pwsh" && has(shell)) {
        // The code parses in the shell itself.
        const flag = shell === "fish" ? ["--no-execute"] : ["-n"];
        const p = await new Deno.Command(shell, {
          args: [...flag, "-c", text],
          stderr: "piped",
        }).output();
        assert.equal(p.code, 0, new TextDecoder().decode(p.stderr));
      }
    });
  }
  await t.step("unknown shell", async () => {
    const r = await gtc(["hook", "tcsh"]);
    assert.equal(r.code, 2);
    assert.match(new TextDecoder().decode(r.stderr), /unknown shell "tcsh"/);
  });
});
