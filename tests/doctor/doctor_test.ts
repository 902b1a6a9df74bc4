/**
 * gtc doctor in real temp dirs with the real go: each finding appears for
 * the setting that causes it, says what the real go command prints, and its
 * fix command, run, makes it go away. Network probes against loopback
 * servers: one that answers, one that accepts and never answers, one port
 * that refuses.
 */
import assert from "node:assert/strict";
import { findGo } from "../differential/gocmd.ts";
import { connect } from "../../lib/rpc/client.ts";
import { startDaemon } from "../daemon/_harness.ts";
import type { DoctorReport, Finding } from "../../lib/doctor/mod.ts";

const cli = new URL("../../cli/main.ts", import.meta.url).pathname;
const { go, reason } = await findGo();
if (go === undefined) console.log(`skipping tests/doctor/doctor_test.ts: ${reason}`);
const dec = new TextDecoder();

async function run(cmd: string, args: string[], env: Record<string, string>, cwd: string) {
  const out = await new Deno.Command(cmd, { args, env, clearEnv: true, cwd }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

function gtc(args: string[], env: Record<string, string>, cwd: string) {
  return run(Deno.execPath(), ["run", "-A", "--quiet", cli, ...args], env, cwd);
}

async function doctor(env: Record<string, string>, cwd: string, ...args: string[]) {
  const r = await gtc(["doctor", "--json", ...args], env, cwd);
  assert.equal(r.stderr, "");
  return { code: r.code, report: JSON.parse(r.stdout) as DoctorReport };
}

function only(report: DoctorReport, check: string): Finding[] {
  return report.findings.filter((f) => f.check === check);
}

// fakeGoroot lays out a GOROOT the go command's lookup accepts (bin/go,
// pkg/tool, VERSION) without a working go in it.
function fakeGoroot(root: string, version: string, goEnv?: string): string {
  Deno.mkdirSync(`${root}/bin`, { recursive: true });
  Deno.mkdirSync(`${root}/pkg/tool/linux_amd64`, { recursive: true });
  Deno.writeTextFileSync(`${root}/bin/go`, "#!/bin/sh\nexit 2\n", { mode: 0o755 });
  Deno.writeTextFileSync(`${root}/VERSION`, `${version}\ntime 2024-01-01T00:00:00Z\n`);
  if (goEnv !== undefined) Deno.writeTextFileSync(`${root}/go.env`, goEnv);
  return root;
}

Deno.test({
  name: "gtc doctor: each conflict found, said as the go command says it, fixed by its command",
  ignore: go === undefined,
  async fn(t) {
    const tmp = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "gtc-doctor-" }));
    try {
      const mod = `${tmp}/src/m`;
      Deno.mkdirSync(mod, { recursive: true });
      Deno.mkdirSync(`${tmp}/home`);
      Deno.mkdirSync(`${tmp}/xdg`, { mode: 0o700 });
      const base: Record<string, string> = {
        PATH: `${go!.bindir}:/usr/bin:/bin`,
        HOME: `${tmp}/home`,
        XDG_RUNTIME_DIR: `${tmp}/xdg`,
        GOENV: `${tmp}/goenv`,
        GOMODCACHE: `${tmp}/modcache`,
        GOPROXY: "off",
        GOSUMDB: "off",
        GTC_DAEMON: "off",
        SHELL: "/bin/bash",
        NO_COLOR: "1",
        DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
      };
      const gomod = (goLine: string) =>
        Deno.writeTextFileSync(`${mod}/go.mod`, `module m\n\ngo ${goLine}\n`);
      gomod("1.22");

      await t.step("a clean setup: only the note about the hook, exit 0", async () => {
        const { code, report } = await doctor(base, mod);
        assert.equal(code, 0);
        assert.deepEqual(report.findings.map((f) => [f.check, f.severity]), [[
          "hook-daemon",
          "info",
        ]]);
        assert.equal(report.findings[0].fix, 'eval "$(gtc hook bash)"');
        const text = await gtc(["doctor"], base, mod);
        assert.match(text.stdout, /^ok +GOROOT is not exported for another Go$/m);
        assert.match(text.stdout, /nothing here makes the go command fail/);
      });

      await t.step("GOTOOLCHAIN=local in the environment, module needs newer", async () => {
        gomod("1.99.0");
        const env = { ...base, GOTOOLCHAIN: "local" };
        const { code, report } = await doctor(env, mod);
        assert.equal(code, 1);
        const [f] = only(report, "gotoolchain-too-old");
        assert.equal(f.severity, "error");
        assert.match(f.from, new RegExp(`environment; go 1\\.99\\.0 at ${mod}/go\\.mod:3`));
        const real = await run(go!.path, ["list", "-m"], env, mod);
        assert.equal(f.go, real.stderr.trim());
        assert.equal(f.fix, "export GOTOOLCHAIN=auto");
        const fixed = await doctor({ ...env, GOTOOLCHAIN: "auto" }, mod);
        assert.deepEqual(only(fixed.report, "gotoolchain-too-old"), []);
      });

      await t.step("GOTOOLCHAIN=local left in the go env file, module needs newer", async () => {
        Deno.writeTextFileSync(`${tmp}/goenv`, "GOFLAGS=-v\nGOTOOLCHAIN=local\n");
        const { code, report } = await doctor(base, mod);
        assert.equal(code, 1);
        const [old] = only(report, "gotoolchain-too-old");
        assert.equal(old.go, (await run(go!.path, ["list", "-m"], base, mod)).stderr.trim());
        assert.equal(old.fix, "gtc use --global auto");
        const [file] = only(report, "gotoolchain-file");
        assert.equal(file.severity, "error");
        assert.equal(file.from, `go env file ${tmp}/goenv:2`);
        // The fix, run: the go command now switches (a note remains: it is set on purpose).
        const r = await gtc(old.fix.split(" ").slice(1), base, mod);
        assert.equal(r.code, 0, r.stderr);
        const after = await doctor(base, mod);
        assert.deepEqual(only(after.report, "gotoolchain-too-old"), []);
        assert.deepEqual(only(after.report, "gotoolchain-file").map((f) => f.severity), ["info"]);
        // And the other fix: unset.
        const u = await gtc(file.fix.split(" ").slice(1), base, mod);
        assert.equal(u.code, 0, u.stderr);
        assert.deepEqual(only((await doctor(base, mod)).report, "gotoolchain-file"), []);
        assert.equal(Deno.readTextFileSync(`${tmp}/goenv`), "GOFLAGS=-v\n");
        gomod("1.22");
      });

      await t.step("GOTOOLCHAIN=local from $GOROOT/go.env of the go in PATH", async () => {
        const root = fakeGoroot(`${tmp}/distgo`, "go1.21.0", "GOPROXY=off\nGOTOOLCHAIN=local\n");
        gomod("1.22.0");
        const env = { ...base, PATH: `${root}/bin:/usr/bin:/bin` };
        const { code, report } = await doctor(env, mod);
        assert.equal(code, 1);
        const [f] = only(report, "gotoolchain-too-old");
        assert.match(f.from, new RegExp(`^GOTOOLCHAIN from ${root}/go\\.env:2;`));
        assert.equal(
          f.go,
          "go: go.mod requires go >= 1.22.0 (running go 1.21.0; GOTOOLCHAIN=local)",
        );
        assert.equal(f.fix, "gtc use --global auto");
        assert.equal((await gtc(["use", "--global", "auto"], env, mod)).code, 0);
        assert.deepEqual(only((await doctor(env, mod)).report, "gotoolchain-too-old"), []);
        Deno.removeSync(`${tmp}/goenv`);
        gomod("1.22");
      });

      await t.step("GOROOT exported for another Go, or missing", async () => {
        const other = fakeGoroot(`${tmp}/oldgo`, "go1.20.1");
        const { code, report } = await doctor({ ...base, GOROOT: other }, mod);
        assert.equal(code, 1);
        const [f] = only(report, "goroot-env");
        assert.equal(f.severity, "error");
        assert.match(f.what, new RegExp(`GOROOT=${other} \\(go1\\.20\\.1\\) is exported`));
        assert.equal(f.fix, "unset GOROOT");
        const env = { ...base, GOROOT: `${tmp}/nonexistent` };
        const missing = only((await doctor(env, mod)).report, "goroot-env")[0];
        const real = await run(go!.path, ["env", "GOVERSION"], env, mod);
        assert.ok(missing.go.endsWith(real.stderr.trim()), `${missing.go} vs ${real.stderr}`);
        // Its own GOROOT exported: nothing to say.
        assert.deepEqual(
          only((await doctor({ ...base, GOROOT: go!.goroot }, mod)).report, "goroot-env"),
          [],
        );
      });

      await t.step("two go commands in PATH", async () => {
        const old = fakeGoroot(`${tmp}/shadow`, "go1.20.1");
        const env = { ...base, PATH: `${old}/bin:${base.PATH}` };
        const { report } = await doctor(env, mod);
        const [f] = only(report, "path-shadowing");
        assert.equal(f.severity, "warning");
        assert.match(
          f.what,
          new RegExp(
            `${old}/bin/go \\(go1\\.20\\.1\\) comes first and shadows ${go!.bindir}/go \\(${
              go!.version
            }\\)`,
          ),
        );
        const path = /^export PATH=(.*)$/.exec(f.fix)![1];
        assert.equal(path, base.PATH);
        assert.deepEqual(
          only((await doctor({ ...env, PATH: path }, mod)).report, "path-shadowing"),
          [],
        );
        // The same go twice (a symlink) is one go.
        Deno.mkdirSync(`${tmp}/links`);
        Deno.symlinkSync(`${go!.bindir}/go`, `${tmp}/links/go`);
        const twice = { ...base, PATH: `${tmp}/links:${base.PATH}` };
        assert.deepEqual(only((await doctor(twice, mod)).report, "path-shadowing"), []);
      });

      await t.step("a .go-version that names another Go", async () => {
        Deno.writeTextFileSync(`${tmp}/src/.go-version`, "\n1.20.1\n");
        const { code, report } = await doctor(base, mod);
        assert.equal(code, 0);
        const [f] = only(report, "version-files");
        assert.equal(f.from, `${tmp}/src/.go-version:2`);
        assert.equal(f.fix, `gtc use --from-version-file ${tmp}/src/.go-version`);
        Deno.removeSync(`${tmp}/src/.go-version`);
      });

      await t.step({
        name: "a module cache owned by another user",
        ignore: Deno.uid() !== 0,
        fn: async () => {
          Deno.mkdirSync(`${tmp}/modcache`);
          Deno.chownSync(`${tmp}/modcache`, 65534, 65534);
          const { report } = await doctor(base, mod);
          const [f] = only(report, "module-cache");
          assert.match(f.what, /is owned by uid 65534, not you \(uid 0\)/);
          assert.equal(f.from, "GOMODCACHE from environment");
          assert.equal(f.fix, `sudo chown -R "$(id -u):$(id -g)" ${tmp}/modcache`);
          Deno.chownSync(`${tmp}/modcache`, 0, 0);
          assert.deepEqual(only((await doctor(base, mod)).report, "module-cache"), []);
        },
      });

      await t.step(
        "the hook: noted when no daemon serves this shell, quiet when one does",
        async () => {
          const d = await startDaemon({ tmp });
          try {
            Deno.renameSync(d.dir, `${tmp}/xdg/gtc`);
            const before = only((await doctor(base, mod)).report, "hook-daemon");
            assert.equal(before.length, 1);
            assert.equal(before[0].from, "the daemon's list of shells");
            // This test process is the doctor's parent: register it as a shell.
            const c = await connect({ address: `${tmp}/xdg/gtc/gtc-v1.sock` });
            try {
              await c.call("prompt", { dir: mod, env: base, pid: Deno.pid, shell: "bash" });
            } finally {
              c.close();
            }
            assert.deepEqual(only((await doctor(base, mod)).report, "hook-daemon"), []);
          } finally {
            Deno.renameSync(`${tmp}/xdg/gtc`, d.dir);
            await d.stop();
          }
        },
      );
    } finally {
      Deno.removeSync(tmp, { recursive: true });
    }
  },
});

Deno.test({
  name: "gtc doctor probes GOPROXY and GOSUMDB with a timeout: answering, hanging, refusing",
  ignore: go === undefined,
  async fn() {
    const tmp = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "gtc-doctor-net-" }));
    const asked: string[] = [];
    const ok = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
      const path = new URL(req.url).pathname;
      asked.push(path);
      return new Response("", { status: path.endsWith("/supported") ? 200 : 404 });
    });
    // Accepts connections and never answers.
    const hang = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const held: Deno.Conn[] = [];
    const accepting = (async () => {
      for await (const c of hang) held.push(c);
    })();
    // A port nobody listens on: bind, note, close.
    const gone = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const refused = (gone.addr as Deno.NetAddr).port;
    gone.close();
    try {
      const mod = `${tmp}/m`;
      Deno.mkdirSync(mod);
      Deno.writeTextFileSync(`${mod}/go.mod`, "module m\n\ngo 1.99.0\n");
      const okURL = `http://127.0.0.1:${ok.addr.port}`;
      const hangURL = `http://127.0.0.1:${(hang.addr as Deno.NetAddr).port}`;
      const env: Record<string, string> = {
        PATH: `${go!.bindir}:/usr/bin:/bin`,
        HOME: tmp,
        XDG_RUNTIME_DIR: tmp,
        GOENV: "off",
        GOTOOLCHAIN: "auto",
        GOMODCACHE: `${tmp}/modcache`,
        GOPROXY: `${okURL},${hangURL}`,
        GOSUMDB: `sum.golang.org http://127.0.0.1:${refused}`,
        GTC_DAEMON: "off",
        DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
      };
      const { code, report } = await doctor(env, mod, "--timeout", "1500");
      // go1.99.0 must be downloaded here: an unreachable proxy makes the go command fail.
      assert.equal(code, 1);
      const net = only(report, "network").map((f) => [f.severity, f.what]);
      assert.equal(net.length, 2, JSON.stringify(net));
      assert.deepEqual(net[0], [
        "error",
        `GOPROXY ${hangURL}/golang.org/toolchain/@v/list does not answer: no answer within 1500 ms`,
      ]);
      assert.equal(net[1][0], "error");
      assert.match(
        net[1][1],
        new RegExp(
          `^GOSUMDB http://127\\.0\\.0\\.1:${refused}/latest does not answer: .*refused`,
          "i",
        ),
      );
      // --no-network: no probe at all.
      const off = await doctor(env, mod, "--no-network");
      assert.deepEqual(only(off.report, "network"), []);
      assert.ok(
        !off.report.passed.some((t) => /GOPROXY/.test(t)),
        `--no-network probed nothing, so the network check cannot have passed: ${off.report.passed}`,
      );
      // A proxy that serves the checksum database is enough (the go command
      // asks it first): the database itself is not asked.
      const via = await doctor(
        { ...env, GOPROXY: okURL, GOSUMDB: "sum.golang.org" },
        mod,
        "--timeout",
        "1500",
      );
      assert.deepEqual(only(via.report, "network"), []);
      assert.ok(asked.includes("/sumdb/sum.golang.org/supported"), asked.join(" "));
    } finally {
      await ok.shutdown();
      hang.close();
      for (const c of held) c.close();
      await accepting.catch(() => {});
      Deno.removeSync(tmp, { recursive: true });
    }
  },
});
