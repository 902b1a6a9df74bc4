/**
 * The fast path (cli/fast.ts): `gtc why` and `gtc current` answered by a
 * running daemon before the full CLI loads must print exactly what the full
 * CLI prints, decline everything else, and trust the daemon's socket exactly
 * when the full client does.
 *
 * The full CLI is forced, with the same daemon running, by a what-if flag
 * that changes nothing (`--env GTC_FAST_TEST=1`: not a variable selection
 * reads); the parseFast table below asserts that the fast path declines it,
 * so the comparisons really are fast path against full CLI.
 */
import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import { parseFast } from "../../cli/fast.ts";
import { resolve } from "../../mod.ts";
import { makeWorkspace, repoRoot, startupDeadlineMs, waitSocket } from "../daemon/_harness.ts";
import { daemonCommand } from "../../daemon/start.ts";

const cli = `${repoRoot}/cli/main.ts`;
const noop = ["--env", "GTC_FAST_TEST=1"];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function gtc(args: string[], env: Record<string, string>, cwd?: string): Promise<Run> {
  return runIn(
    [Deno.execPath(), "run", "-A", "--quiet", `--config=${repoRoot}/deno.json`, cli, ...args],
    env,
    cwd,
  );
}

async function runIn(argv: string[], env: Record<string, string>, cwd?: string): Promise<Run> {
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    env: { ...env, DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno` },
    clearEnv: true,
    cwd,
    stdin: "null",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

function haveScript(): boolean {
  try {
    return Deno.statSync("/usr/bin/script").isFile;
  } catch {
    return false;
  }
}

// onTty runs gtc with stdout on a pseudo-terminal, through script(1).
function onTty(args: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  const q = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;
  const line = [
    Deno.execPath(),
    "run",
    "-A",
    "--quiet",
    `--config=${repoRoot}/deno.json`,
    cli,
    ...args,
  ]
    .map(q).join(" ");
  return runIn(["/usr/bin/script", "-qec", line, "/dev/null"], env, cwd);
}

Deno.test("parseFast takes why/current's boolean flags and one directory, declines the rest", () => {
  const env = {};
  const take: [string[], Record<string, unknown>][] = [
    [["why"], { command: "why", json: false, color: true, quiet: false }],
    [["current"], { command: "current", json: false, color: true, quiet: false }],
    [["current", "d"], { command: "current", dir: "d", json: false, color: true, quiet: false }],
    [["why", "--json", "d"], { command: "why", dir: "d", json: true, color: true, quiet: false }],
    [["why", "d", "-q", "--no-color"], {
      command: "why",
      dir: "d",
      json: false,
      color: false,
      quiet: true,
    }],
    [["why", "--quiet"], { command: "why", json: false, color: true, quiet: true }],
  ];
  for (const [args, want] of take) deepEqual(parseFast(args, env), want, args.join(" "));
  const decline: string[][] = [
    [],
    ["env"],
    ["exec", "--", "go", "version"],
    ["--version"],
    ["-h"],
    ["help", "why"],
    ["why", "--help"],
    ["why", "-h"],
    ["why", ...noop],
    ["why", "--env=GOTOOLCHAIN=local"],
    ["why", "--gotoolchain", "local"],
    ["current", "--gotoolchain", "local"],
    ["why", "--no-daemon"],
    ["current", "--no-daemon"],
    ["current", "--json"], // not a flag of current: commander says so
    ["current", "-q"],
    ["why", "-qj"],
    ["why", "--color"],
    ["why", "a", "b"],
    ["why", ""],
    ["why", "--", "d"],
    ["Why"],
  ];
  for (const args of decline) equal(parseFast(args, env), undefined, args.join(" "));
  equal(parseFast(["why"], { GTC_DAEMON: "off" }), undefined, "GTC_DAEMON=off");
  ok(parseFast(["why"], { GTC_DAEMON: "auto" }), "GTC_DAEMON=auto with a daemon: same answer");
});

// A workspace, and a daemon on $XDG_RUNTIME_DIR/gtc for it.
async function withDaemon(
  fn: (ws: Awaited<ReturnType<typeof makeWorkspace>>, env: Record<string, string>) => Promise<void>,
): Promise<void> {
  const tmp = await Deno.makeTempDir({ prefix: "gtc-fast-" });
  const ws = await makeWorkspace(tmp);
  const xdg = `${tmp}/xdg`;
  Deno.mkdirSync(xdg, { mode: 0o700 });
  const env = { ...ws.env, XDG_RUNTIME_DIR: xdg };
  const cmd = daemonCommand();
  const child = new Deno.Command(cmd[0], {
    args: [...cmd.slice(1), "--dir", `${xdg}/gtc`, "--idle-exit", "60"],
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    await waitSocket(`${xdg}/gtc/gtc-v1.sock`, startupDeadlineMs, child.status);
    await fn(ws, env);
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(tmp, { recursive: true });
  }
}

Deno.test("with a daemon running, the fast path prints what the full CLI prints, byte for byte", async () => {
  await withDaemon(async (ws, env) => {
    // A go.mod that makes the go command fail, for the error texts.
    const bad = `${ws.root}/bad`;
    Deno.mkdirSync(bad);
    Deno.writeTextFileSync(`${bad}/go.mod`, "module bad\n\ngo 1.21\ntoolchain go1.2.3+bad\n");
    const cases: { args: string[]; cwd?: string; env?: Record<string, string> }[] = [
      { args: ["why"], cwd: ws.mod },
      { args: ["why", "--json"], cwd: ws.mod },
      { args: ["why", "-q"], cwd: ws.mod },
      { args: ["why", "--no-color", ws.mod] },
      { args: ["why", "--json", "mod"], cwd: `${ws.mod}/..` },
      { args: ["why"], cwd: ws.mod, env: { NO_COLOR: "1" } },
      { args: ["current"], cwd: ws.mod },
      { args: ["current", ws.root] },
      { args: ["why"], cwd: ws.mod, env: { GOTOOLCHAIN: "go1.2.3+bad" } },
      { args: ["why", "--json"], cwd: ws.mod, env: { GOTOOLCHAIN: "go1.2.3+bad" } },
      { args: ["current"], cwd: ws.mod, env: { GOTOOLCHAIN: "go1.2.3+bad" } },
      { args: ["current", bad] },
      // Declined by the fast path: the full CLI's usage error either way.
      { args: ["why", `${ws.mod}/go.mod`] },
      { args: ["current", `${ws.root}/missing`] },
    ];
    for (const c of cases) {
      const e = { ...env, ...c.env };
      const fast = await gtc(c.args, e, c.cwd);
      const full = await gtc([...c.args, ...noop], e, c.cwd);
      const what = `${c.args.join(" ")} ${JSON.stringify(c.env ?? {})}`;
      deepEqual(fast, full, what);
      notEqual(fast.stdout + fast.stderr, "", what);
    }
    // On a terminal (script(1) gives gtc a pty): colour unless NO_COLOR or --no-color.
    if (haveScript()) {
      for (
        const [args, extra, coloured] of [
          [["why"], {}, true],
          [["why"], { NO_COLOR: "1" }, false],
          [["why", "--no-color"], {}, false],
        ] as const
      ) {
        const e = { ...env, ...extra };
        const fast = await onTty([...args], e, ws.mod);
        const full = await onTty([...args, ...noop], e, ws.mod);
        deepEqual(fast, full, `tty: ${args.join(" ")} ${JSON.stringify(extra)}`);
        equal(fast.stdout.includes("\x1b["), coloured, fast.stdout);
      }
    } else {
      console.log("skipping the terminal cases: no script(1) (apt-get install bsdutils)");
    }
    // The answer is the library's.
    const r = await gtc(["why", "--json"], env, ws.mod);
    deepEqual(
      JSON.parse(r.stdout),
      JSON.parse(JSON.stringify(await resolve({ dir: ws.mod, env }))),
    );
  });
});

// A fake daemon that answers every request with a forged Explanation: if a
// client trusted it, gtc would print go9.9.9-forged.
function forgedDaemon(socket: string, answer: unknown) {
  const listener = Deno.listen({ transport: "unix", path: socket });
  let accepted = 0;
  const served = (async () => {
    for await (const conn of listener) {
      accepted++;
      (async () => {
        const buf = new Uint8Array(1 << 16);
        let text = "";
        for (;;) {
          const n = await conn.read(buf).catch(() => null);
          if (n === null) break;
          text += new TextDecoder().decode(buf.subarray(0, n));
          let nl;
          while ((nl = text.indexOf("\n")) >= 0) {
            const req = JSON.parse(text.slice(0, nl));
            text = text.slice(nl + 1);
            const line = JSON.stringify({ jsonrpc: "2.0", id: req.id, result: answer }) + "\n";
            await conn.write(new TextEncoder().encode(line)).catch(() => {});
          }
        }
        conn.close();
      })();
    }
  })().catch(() => {});
  return {
    get accepted() {
      return accepted;
    },
    async close() {
      listener.close();
      await served;
    },
  };
}

Deno.test("the fast path trusts the daemon's socket exactly when the full client does", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "gtc-fast-trust-" });
  try {
    const ws = await makeWorkspace(tmp);
    const real = await resolve({ dir: ws.mod, env: ws.env });
    const forged = { ...JSON.parse(JSON.stringify(real)), toolchain: "go9.9.9-forged" };
    const isRoot = Deno.uid() === 0;
    const cases: {
      name: string;
      setup: (xdg: string) => void;
      trusted: boolean;
    }[] = [
      { name: "private directory (control)", setup: () => {}, trusted: true },
      {
        name: "directory others may enter",
        setup: (xdg) => Deno.chmodSync(`${xdg}/gtc`, 0o755),
        trusted: false,
      },
      {
        name: "directory is a symbolic link",
        setup: (xdg) => {
          Deno.renameSync(`${xdg}/gtc`, `${xdg}/real`);
          Deno.symlinkSync(`${xdg}/real`, `${xdg}/gtc`);
        },
        trusted: false,
      },
      ...(isRoot
        ? [{
          name: "socket owned by another user",
          setup: (xdg: string) => Deno.chownSync(`${xdg}/gtc/gtc-v1.sock`, 65534, 65534),
          trusted: false,
        }, {
          name: "directory owned by another user",
          setup: (xdg: string) => Deno.chownSync(`${xdg}/gtc`, 65534, 65534),
          trusted: false,
        }]
        : []),
    ];
    if (!isRoot) console.log("skipping the other-owner cases: chown needs root");
    for (const [i, c] of cases.entries()) {
      const xdg = `${tmp}/xdg${i}`;
      Deno.mkdirSync(`${xdg}/gtc`, { recursive: true, mode: 0o700 });
      Deno.chmodSync(`${xdg}/gtc`, 0o700);
      const fake = forgedDaemon(`${xdg}/gtc/gtc-v1.sock`, forged);
      try {
        c.setup(xdg);
        const env = { ...ws.env, XDG_RUNTIME_DIR: xdg };
        for (const args of [["current"], ["why", "--json"]]) {
          const fast = await gtc(args, env, ws.mod);
          const full = await gtc([...args, ...noop], env, ws.mod);
          deepEqual(fast, full, `${c.name}: ${args.join(" ")}`);
          equal(fast.code, 0, fast.stderr);
          const toolchain = args[0] === "current"
            ? fast.stdout.trim()
            : JSON.parse(fast.stdout).toolchain;
          equal(toolchain, c.trusted ? "go9.9.9-forged" : real.toolchain, c.name);
        }
        // Refused before dialling: nothing reached the socket.
        if (!c.trusted) equal(fake.accepted, 0, c.name);
        else ok(fake.accepted > 0, c.name);
      } finally {
        await fake.close();
      }
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("without a daemon, and with flags it does not take, gtc falls back to the full CLI", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "gtc-fast-none-" });
  try {
    const ws = await makeWorkspace(tmp);
    const xdg = `${tmp}/xdg`;
    Deno.mkdirSync(xdg, { mode: 0o700 });
    const env = { ...ws.env, XDG_RUNTIME_DIR: xdg };
    const want = JSON.parse(JSON.stringify(await resolve({ dir: ws.mod, env })));
    let r = await gtc(["why", "--json"], env, ws.mod);
    equal(r.code, 0, r.stderr);
    deepEqual(JSON.parse(r.stdout), want);
    r = await gtc(["current"], env, ws.mod);
    deepEqual(r, { code: 0, stdout: `${want.toolchain}\n`, stderr: "" });
    // What-if flags, computed in-process by the full CLI.
    const local = await resolve({ dir: ws.mod, env: { ...env, GOTOOLCHAIN: "local" } });
    r = await gtc(["current", "--gotoolchain", "local", "--no-daemon"], env, ws.mod);
    deepEqual(r, { code: 0, stdout: `${local.toolchain}\n`, stderr: "" });
    // Commands and options of the full CLI still work.
    r = await gtc(["why", "--help"], env, ws.mod);
    equal(r.code, 0, r.stderr);
    ok(r.stdout.includes("--gotoolchain <value>"), r.stdout);
    r = await gtc(["--version"], env);
    equal(r.stdout, "0.1.0\n");
    r = await gtc(["current", "--json"], env, ws.mod);
    equal(r.code, 2);
    ok(r.stderr.includes("unknown option '--json'"), r.stderr);
    // The fast path started no daemon.
    ok(![...Deno.readDirSync(xdg)].some((e) => e.name === "gtc"), "no daemon directory");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
