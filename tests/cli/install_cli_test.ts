/**
 * gtc install, list, exec, remove, gc and get end to end: real CLI processes
 * against the loopback GOPROXY + checksum database, and the real go command.
 */
import assert from "node:assert/strict";
import { startFixture } from "../fixtures/mod.ts";
import { findGo } from "../differential/gocmd.ts";

const cli = new URL("../../cli/main.ts", import.meta.url).pathname;
const { go, reason } = await findGo();
if (go === undefined) console.log(`skipping tests/cli/install_cli_test.ts: ${reason}`);

// async: the fixture's servers share this process's event loop.
async function gtc(args: string[], env: Record<string, string>, cwd: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", cli, ...args],
    env,
    clearEnv: true,
    cwd,
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test({
  name: "gtc install / list / exec / remove / gc / get against a loopback GOPROXY",
  ignore: go === undefined || Deno.build.os !== "linux" || Deno.build.arch !== "x86_64",
  async fn(t) {
    const f = await startFixture({ toolchains: ["go1.99.0", "go1.99.1", "go1.99rc1"] });
    try {
      const env: Record<string, string> = {
        ...f.env,
        PATH: `${go!.bindir}:/usr/bin:/bin`,
        GTC_HOME: `${f.dir}/gtchome`,
        GTC_DAEMON: "off",
        NO_COLOR: "1",
        DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
      };
      const m = `${f.work}/m`;
      Deno.mkdirSync(m);
      Deno.writeTextFileSync(`${m}/go.mod`, "module example.com/m\n\n// keep me\ngo 1.99.1\n");

      await t.step(
        "install 1.99 resolves the latest 1.99.x release from the proxy list",
        async () => {
          const r = await gtc(["install", "1.99", "--json"], env, m);
          assert.equal(r.code, 0, r.stderr);
          const out = JSON.parse(r.stdout);
          assert.equal(out.toolchain, "go1.99.1");
          assert.equal(out.source, "cache");
          assert.equal(out.downloaded, true);
          assert.equal(f.requestCounts()[f.zipPath("go1.99.1")], 1);
        },
      );

      await t.step(
        "install with no argument installs what why selects (already there)",
        async () => {
          const r = await gtc(["install", "--json"], { ...env, GOTOOLCHAIN: "auto" }, m);
          assert.equal(r.code, 0, r.stderr);
          assert.equal(JSON.parse(r.stdout).downloaded, false);
        },
      );

      await t.step(
        "why now says cache; exec runs it like the go command, no download",
        async () => {
          const w = await gtc(["why", "--json"], { ...env, GOTOOLCHAIN: "auto" }, m);
          assert.equal(JSON.parse(w.stdout).source, "cache");
          const r = await gtc(["exec", "--", "go", "version"], { ...env, GOTOOLCHAIN: "auto" }, m);
          assert.equal(r.stdout, "go version go1.99.1 linux/amd64\n", r.stderr);
          assert.equal(f.requestCounts()[f.zipPath("go1.99.1")], 1);
        },
      );

      await t.step("exec downloads go1.99.0 when the go command would", async () => {
        const r = await gtc(["exec", "--gotoolchain", "go1.99.0", "--", "go", "version"], env, m);
        assert.equal(r.stdout, "go version go1.99.0 linux/amd64\n", r.stderr);
        assert.equal(f.requestCounts()[f.zipPath("go1.99.0")], 1);
      });

      await t.step("list shows both, with the project that selects go1.99.1", async () => {
        const r = await gtc(["list", "--json"], { ...env, GOTOOLCHAIN: "auto" }, m);
        assert.equal(r.code, 0, r.stderr);
        const list = JSON.parse(r.stdout) as {
          name: string;
          source: string;
          projects: string[];
          size?: number;
        }[];
        const cached = list.filter((x) => x.source === "cache").map((x) => x.name);
        assert.deepEqual(cached, ["go1.99.0", "go1.99.1"]);
        assert.deepEqual(list.find((x) => x.name === "go1.99.1")!.projects, [m]);
        assert.ok(list.every((x) => x.source !== "cache" || (x.size ?? 0) > 0));
        assert.ok(list.some((x) => x.source === "local"));
      });

      await t.step("list --remote lists the proxy's releases for this platform", async () => {
        const r = await gtc(["list", "--remote"], env, m);
        assert.equal(r.stdout, "go1.99.1\ngo1.99.0\n", r.stderr);
        const all = await gtc(["list", "--remote", "--all"], env, m);
        assert.equal(all.stdout, "go1.99.1\ngo1.99.0\ngo1.99rc1\n");
      });

      await t.step("gc keeps what a project selects or was used recently", async () => {
        const r = await gtc(["gc", "--days", "0", "--dry-run", "--json"], {
          ...env,
          GOTOOLCHAIN: "auto",
        }, m);
        assert.equal(r.code, 0, r.stderr);
        const plan = JSON.parse(r.stdout);
        // go1.99.1 is selected by the known project; go1.99.0 was used just now, but --days 0 keeps nothing by age.
        assert.deepEqual(plan.removed.map((x: { name: string }) => x.name), ["go1.99.0"]);
        assert.ok(plan.bytes > 0);
        assert.equal(plan.dryRun, true);
      });

      await t.step("remove deletes it so that neither gtc nor go sees it", async () => {
        const r = await gtc(["remove", "go1.99.0"], env, m);
        assert.equal(r.code, 0, r.stderr);
        const w = await gtc(["why", "--json", "--gotoolchain", "go1.99.0"], env, m);
        assert.equal(JSON.parse(w.stdout).source, "download");
        const again = await gtc(["remove", "go1.99.0"], env, m);
        assert.equal(again.code, 1);
        assert.match(again.stderr, /^gtc: go1\.99\.0: no removable toolchain of that name/);
      });

      await t.step("get edits go.mod exactly as the real go get (differential)", async () => {
        const cases: [string, string[]][] = [
          ["module example.com/m\n\n// keep me\ngo 1.21 // old\n", ["go@1.26.8"]],
          ["module example.com/m\n\ngo 1.22\ntoolchain go1.23.0\n", ["toolchain@none"]],
          ["module example.com/m\ngo 1.22.0\n", ["toolchain@go1.26.8"]],
          ["module example.com/m\ngo 1.22.0\n", ["go@1.99.1"]], // needs a newer go: fails with GOTOOLCHAIN=local
        ];
        for (const [gomod, args] of cases) {
          const a = `${f.work}/get-a`, b = `${f.work}/get-b`;
          for (const d of [a, b]) {
            Deno.mkdirSync(d, { recursive: true });
            Deno.writeTextFileSync(`${d}/go.mod`, gomod);
          }
          const e = { ...env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod" };
          const mine = await gtc(["get", ...args], e, a);
          const out = await new Deno.Command(go!.path, {
            args: ["get", ...args],
            env: e,
            clearEnv: true,
            cwd: b,
          })
            .output();
          const theirs = new TextDecoder().decode(out.stderr);
          assert.equal(mine.stderr, theirs, `gtc get ${args}`);
          assert.equal(mine.code, out.code, `gtc get ${args}: exit`);
          assert.equal(
            Deno.readTextFileSync(`${a}/go.mod`),
            Deno.readTextFileSync(`${b}/go.mod`),
            `gtc get ${args}: go.mod`,
          );
          for (const d of [a, b]) Deno.removeSync(d, { recursive: true });
        }
        const bad = await gtc(["get", "rsc.io/quote"], env, m);
        assert.equal(bad.code, 1);
        assert.match(bad.stderr, /gtc get changes only the go and toolchain lines/);
      });
    } finally {
      await f.close();
    }
  },
});
