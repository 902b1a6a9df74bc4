/**
 * Eight installs of one toolchain at once, from different programs sharing
 * one module cache: gtc processes (installFromGoproxy), the real go command
 * switching toolchains (`GOTOOLCHAIN=go1.99.1 go version`) and the real go
 * command downloading the module (`go mod download
 * golang.org/toolchain@v0.0.1-go1.99.1.linux-amd64`). The zip streams in
 * slowly, so all of them meet on the version's lock. Exactly one zip
 * download reaches the proxy, all eight succeed, and the tree at the end is
 * the one a clean install gives.
 *
 * One exception, the go command's own race: its raceSafeCopy makes a
 * directory holding a _go.mod writable for the copy and then restores the
 * mode it read, "on a best-effort basis" (select.go). Two go commands doing
 * first-use fix-ups at once can each read the other's temporary mode, and
 * the directory stays writable: eight `GOTOOLCHAIN=go1.99.1 go version`
 * alone, with no gtc, left src/ or src/cmd/ at 0755 in about half of the
 * runs (checked with go1.26.8). So where a mix has a go command switching,
 * the write bits of those directories are not compared; a mix of gtc
 * processes alone (their fix-ups are under the version lock, and gtc
 * restores read-only directories as read-only) is compared in full.
 */
import assert from "node:assert/strict";
import { GoEnv } from "../../lib/goenv/mod.ts";
import { denoFs } from "../../lib/host/fs.ts";
import { hostGoproxyDeps } from "../../lib/host/install_deps.ts";
import { installFromGoproxy } from "../../lib/install/mod.ts";
import { isCachedToolchain, toolchainCacheDir } from "../../lib/toolchain/mod.ts";
import { removeAll, startFixture } from "../fixtures/mod.ts";
import { findGo } from "../differential/gocmd.ts";

const { go, reason } = await findGo();
if (go === undefined) console.log(`skipping tests/install/race_test.ts: ${reason}`);
const [goos, goarch] = ["linux", "amd64"];
const name = "go1.99.1";
const child = new URL("./testdata/install_child.ts", import.meta.url).pathname;
const config = new URL("../../deno.json", import.meta.url).pathname;

const files: Record<string, string> = {};
for (let i = 0; i < 400; i++) {
  files[`src/pkg${i % 20}/f${i}.go`] = `package p\n// ${i} ${"r".repeat(i % 500)}\n`;
}

// denoDir is the module cache the child Deno shares with this one (its HOME is the fixture's).
function denoDir(): string {
  const e = Deno.env;
  return e.get("DENO_DIR") ??
    `${e.get("XDG_CACHE_HOME") ?? `${e.get("HOME") ?? "/root"}/.cache`}/deno`;
}

// snapshot lists everything under root: "<rel> <kind> <mode> <content hash>", sorted.
function snapshot(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of Deno.readDirSync(d)) {
      const p = `${d}/${e.name}`;
      const r = rel === "" ? e.name : `${rel}/${e.name}`;
      const st = Deno.lstatSync(p);
      const mode = (st.mode! & 0o7777).toString(8);
      if (st.isDirectory) {
        out.push(`${r}/ dir ${mode}`);
        walk(p, r);
      } else out.push(`${r} file ${mode} ${fnv(Deno.readFileSync(p))}`);
    }
  };
  walk(root, "");
  return out.sort();
}

function fnv(b: Uint8Array): string {
  let h = 2166136261;
  for (const x of b) h = Math.imul(h ^ x, 16777619) >>> 0;
  return `${b.length}:${h.toString(16)}`;
}

type Racer = "gtc" | "go version" | "go mod download";

// Mixes of eight racers; a racer with "+" starts 300 ms after the others
// (the go command starts faster than Deno: left alone, it always wins).
const mixes: string[][] = [
  [
    "gtc",
    "+go version",
    "+go mod download",
    "gtc",
    "+go version",
    "+go mod download",
    "gtc",
    "gtc",
  ],
  [
    "go version",
    "go mod download",
    "gtc",
    "go version",
    "go mod download",
    "gtc",
    "go version",
    "go mod download",
  ],
  ["go mod download", "gtc", "gtc", "gtc", "gtc", "gtc", "gtc", "go version"],
  ["gtc", "gtc", "gtc", "gtc", "gtc", "gtc", "+go version", "+go mod download"],
  ["gtc", "gtc", "gtc", "gtc", "gtc", "gtc", "gtc", "gtc"],
];

// withoutCopyRace clears the write bits of directories that hold a _go.mod
// in snapshot lines (see the module comment: the go command's raceSafeCopy
// may leave them set when several go commands race).
function withoutCopyRace(lines: string[]): string[] {
  const goModDirs = new Set(
    lines.filter((l) => /(^|\/)_go\.mod file /.test(l)).map((l) =>
      l.slice(0, l.indexOf(" ")).replace(/_go\.mod$/, "")
    ),
  );
  return lines.map((l) => {
    const [rel, kind, mode, ...rest] = l.split(" ");
    if (kind !== "dir" || !goModDirs.has(rel)) return l;
    return [rel, kind, (parseInt(mode, 8) & ~0o222).toString(8), ...rest].join(" ");
  });
}

Deno.test({
  name: "8 concurrent installs (gtc, go version, go mod download): one download, one tree",
  ignore: go === undefined || Deno.build.os !== "linux" || Deno.build.arch !== "x86_64",
  async fn(t) {
    const f = await startFixture({ toolchains: [name], files });
    try {
      const env = { ...f.env, PATH: `${go!.bindir}:/usr/bin:/bin` };
      const tz = f.toolchain(name);
      const zp = f.zipPath(name);
      const dir = toolchainCacheDir(f.gomodcache, name, goos, goarch);
      const dl = `${f.gomodcache}/cache/download/golang.org/toolchain/@v`;

      // The reference tree: one clean gtc install.
      const ref = await installFromGoproxy(
        hostGoproxyDeps(new GoEnv({ environ: env, fs: denoFs, goos }), goos),
        { name, goos, goarch },
      );
      const want = snapshot(ref.dir);
      await removeAll(f.gomodcache);

      for (const [m, mix] of mixes.entries()) {
        await t.step(`mix ${m}: ${mix.join(", ")}`, async () => {
          f.proxy.resetCounts();
          // ~0.4 s of download, so the others arrive while the lock is held.
          const slow = f.proxy.fault(zp, { kind: "slow", chunk: 16384, delayMs: 20 });
          const procs = mix.map(async (spec) => {
            const racer = spec.replace(/^\+/, "") as Racer;
            if (spec.startsWith("+")) await new Promise((r) => setTimeout(r, 300));
            const cmd = racer === "gtc"
              ? new Deno.Command(Deno.execPath(), {
                args: ["run", "-A", "--quiet", "--config", config, child, name, goos, goarch],
                env: { ...env, DENO_DIR: denoDir() },
                clearEnv: true,
                stdout: "piped",
                stderr: "piped",
              })
              : new Deno.Command(go!.path, {
                args: racer === "go version"
                  ? ["version"]
                  : ["mod", "download", `${tz.path}@${tz.moduleVersion}`],
                env: { ...env, GOTOOLCHAIN: racer === "go version" ? name : "local" },
                clearEnv: true,
                cwd: f.work,
                stdout: "piped",
                stderr: "piped",
              });
            return await cmd.spawn().output();
          });
          const outs = await Promise.all(procs);
          slow.remove();
          const dec = new TextDecoder();
          const report = outs.map((o, i) =>
            `${mix[i]}: exit ${o.code}: ${dec.decode(o.stdout).trim().split("\n").pop()} ${
              dec.decode(o.stderr).trim()
            }`
          ).join("\n");
          for (const [i, o] of outs.entries()) {
            assert.equal(o.code, 0, report);
            const stdout = dec.decode(o.stdout);
            if (mix[i].endsWith("go version")) {
              assert.equal(stdout, `go version ${name} linux/amd64\n`, report);
            } else if (mix[i] === "gtc") {
              const last = stdout.trim().split("\n").pop() ?? "";
              assert.match(last, /^ok (true|false) (true|false) /, report);
              assert.equal(last.split(" ")[3], tz.h1, report);
            }
          }
          assert.equal(f.requestCounts()[zp], 1, `zip downloads:\n${report}`);
          // At most one gtc process says it downloaded (none if a go did).
          const gtcDownloads = outs.filter((o) => /^ok true /m.test(dec.decode(o.stdout)));
          assert.ok(gtcDownloads.length <= 1, report);
          const gtcExtracts = outs.filter((o) => /^ok \S+ true /m.test(dec.decode(o.stdout)));
          console.log(
            `mix ${m}: the zip was downloaded by ${
              gtcDownloads.length ? "gtc" : "the go command"
            }` +
              `, the tree extracted by ${gtcExtracts.length ? "gtc" : "the go command"}`,
          );
          assert.ok(isCachedToolchain(denoFs, dir));
          if (mix.some((r) => r.endsWith("go version"))) {
            assert.deepEqual(
              withoutCopyRace(snapshot(dir)),
              withoutCopyRace(want),
              `final tree differs\n${report}`,
            );
          } else {
            assert.deepEqual(snapshot(dir), want, `final tree differs\n${report}`);
          }
          assert.deepEqual(Deno.readFileSync(`${dl}/${tz.moduleVersion}.zip`), tz.zip);
          assert.equal(Deno.readTextFileSync(`${dl}/${tz.moduleVersion}.ziphash`), tz.h1);
          const left = [...Deno.readDirSync(dl)].map((e) => e.name).filter((n) =>
            n.endsWith(".tmp") || n.endsWith(".partial")
          );
          assert.deepEqual(left, []);
          await removeAll(f.gomodcache);
        });
      }
    } finally {
      await f.close();
    }
  },
});
