/**
 * Crash safety of a whole gtc toolchain install (GOPROXY + checksum database
 * → module cache): a child process running installFromGoproxy against the
 * loopback fixture is SIGKILLed at random points — while it starts, while
 * the zip streams in (the fixture sends it slowly, or pauses it part way),
 * while the checksum database is asked, while the tree is extracted and
 * fixed up. After every kill:
 *
 * - no partial toolchain is visible: either isCachedToolchain is false, or
 *   the tree is complete (the same files, modes and bytes as a clean
 *   install) and its .ziphash is the recorded h1;
 * - the next gtc install succeeds and gives the complete tree;
 * - the real go command (GOTOOLCHAIN=go1.99.1 go version) accepts what is
 *   left: it runs the toolchain from the cache without a new download, or
 *   downloads cleanly when no verified zip was left.
 *
 * Kill times come from a seeded generator; the seed is printed, and
 * GTC_CRASH_SEED=<seed> repeats a run (GTC_CRASH_RUNS changes the count).
 */
import assert from "node:assert/strict";
import { GoEnv } from "../../lib/goenv/mod.ts";
import { denoFs } from "../../lib/host/fs.ts";
import { hostGoproxyDeps } from "../../lib/host/install_deps.ts";
import { installFromGoproxy } from "../../lib/install/mod.ts";
import { isCachedToolchain, toolchainCacheDir } from "../../lib/toolchain/mod.ts";
import { type Fixture, removeAll, startFixture } from "../fixtures/mod.ts";
import { findGo } from "../differential/gocmd.ts";

const { go, reason } = await findGo();
if (go === undefined) console.log(`skipping tests/install/crash_test.ts: ${reason}`);
const [goos, goarch] = ["linux", "amd64"];
const name = "go1.99.1";
const child = new URL("./testdata/install_child.ts", import.meta.url).pathname;
const config = new URL("../../deno.json", import.meta.url).pathname;

// Enough files that extraction and the fix-ups take a while, so kills land
// in every phase.
const files: Record<string, string> = {};
for (let i = 0; i < 800; i++) {
  files[`src/pkg${i % 50}/f${i}.go`] = `package p\n// ${i} ${"z".repeat(i % 700)}\n`;
}

/** denoDir is the module cache the child Deno shares with this one (its HOME is the fixture's). */
function denoDir(): string {
  const e = Deno.env;
  return e.get("DENO_DIR") ??
    `${e.get("XDG_CACHE_HOME") ?? `${e.get("HOME") ?? "/root"}/.cache`}/deno`;
}

/** spawnInstall starts install_child.ts in env (piped output). */
function spawnInstall(env: Record<string, string>): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", "--config", config, child, name, goos, goarch],
    env: { ...env, DENO_DIR: denoDir() },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

// rng is a seeded generator (so a failing run can be repeated).
function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
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
      if (st.isSymlink) out.push(`${r} link ${mode} ${Deno.readLinkSync(p)}`);
      else if (st.isDirectory) {
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

function goEnv(env: Record<string, string>): GoEnv {
  return new GoEnv({ environ: env, fs: denoFs, goos });
}

// runGo is async: the fixture's server runs on this process's event loop.
async function runGo(f: Fixture, env: Record<string, string>, args: string[]) {
  const out = await new Deno.Command(go!.path, { args, env, clearEnv: true, cwd: f.work }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

// state names what a kill left in the module cache for the toolchain.
function state(f: Fixture, dir: string, moduleVersion: string): string {
  const dl = `${f.gomodcache}/cache/download/golang.org/toolchain/@v`;
  const has = (s: string) => denoFs.stat(`${dl}/${moduleVersion}${s}`) !== undefined;
  let tmp = false;
  try {
    tmp = [...Deno.readDirSync(dl)].some((e) => e.name.endsWith(".tmp"));
  } catch {
    // no download directory yet
  }
  if (isCachedToolchain(denoFs, dir)) return "complete";
  if (has(".partial")) return "partial tree";
  if (has(".zip") && has(".ziphash")) return "verified zip";
  if (has(".zip")) return "zip without ziphash";
  if (tmp) return "temp zip";
  return "nothing";
}

Deno.test({
  name: "gtc install killed at random points: never a partial toolchain; gtc and go recover",
  ignore: go === undefined || Deno.build.os !== "linux" || Deno.build.arch !== "x86_64",
  async fn() {
    const f = await startFixture({ toolchains: [name], files });
    try {
      const env = { ...f.env, PATH: `${go!.bindir}:/usr/bin:/bin` };
      const tz = f.toolchain(name);
      const zp = f.zipPath(name);
      const dir = toolchainCacheDir(f.gomodcache, name, goos, goarch);
      const zipCount = () => f.requestCounts()[zp] ?? 0;
      // ~0.5 s of download: 32 KiB every 15 ms.
      const slow = { kind: "slow", chunk: 32768, delayMs: 15 } as const;

      // The reference: a clean install by gtc, and how long a child takes.
      const ref = await installFromGoproxy(hostGoproxyDeps(goEnv(env), goos), {
        name,
        goos,
        goarch,
      });
      const want = snapshot(ref.dir);
      await removeAll(f.gomodcache);
      const h = f.proxy.fault(zp, slow);
      const t0 = performance.now();
      const full = await spawnInstall(env).output();
      const duration = performance.now() - t0;
      h.remove();
      assert.ok(full.success, new TextDecoder().decode(full.stderr));
      await removeAll(f.gomodcache);

      const seed = Number(Deno.env.get("GTC_CRASH_SEED") ?? Date.now() % 1000000);
      const runs = Number(Deno.env.get("GTC_CRASH_RUNS") ?? 24);
      console.log(`crash test: seed ${seed} (GTC_CRASH_SEED), ${runs} runs`);
      const rand = rng(seed);
      const states: Record<string, number> = {};
      const phases: Record<string, number> = {};
      for (let i = 0; i < runs; i++) {
        const at = `seed ${seed} run ${i}`;
        let how: string;
        let proc: Deno.ChildProcess;
        // One run in four pauses the zip part way and kills during the pause:
        // certainly mid-download. The others are killed after a random time
        // of up to a little past a whole run, so some runs finish.
        if (rand() < 0.25) {
          const after = Math.floor(rand() * tz.zip.length);
          const pause = f.proxy.fault(zp, { kind: "pause", after }, { times: 1 });
          proc = spawnInstall(env);
          await pause.hit;
          const extra = rand() * 50;
          await new Promise((r) => setTimeout(r, extra));
          how = `paused at ${after} of ${tz.zip.length} bytes, killed ${extra.toFixed(0)} ms later`;
          proc.kill("SIGKILL");
          pause.remove();
          pause.release();
        } else {
          const slowFault = f.proxy.fault(zp, slow);
          const delay = rand() * duration * 1.3;
          proc = spawnInstall(env);
          await new Promise((r) => setTimeout(r, delay));
          how = `killed after ${delay.toFixed(0)} of ${duration.toFixed(0)} ms`;
          try {
            proc.kill("SIGKILL");
          } catch {
            // already exited
          }
          slowFault.remove();
        }
        const out = await proc.output();
        const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
        const last = lines[lines.length - 1] ?? "";
        const phase = last.startsWith("ok ")
          ? "finished"
          : last.startsWith("event ")
          ? last.split(" ")[1]
          : "starting";
        phases[phase] = (phases[phase] ?? 0) + 1;
        const st = state(f, dir, tz.moduleVersion);
        states[st] = (states[st] ?? 0) + 1;
        const ctx = `${at} (${how}; last ${phase}; left ${st})`;

        // Never a partial toolchain: visible means complete and verified.
        if (isCachedToolchain(denoFs, dir)) {
          assert.deepEqual(snapshot(dir), want, `${ctx}: visible but not complete`);
          const zh = Deno.readTextFileSync(
            `${f.gomodcache}/cache/download/golang.org/toolchain/@v/${tz.moduleVersion}.ziphash`,
          );
          assert.equal(zh, tz.h1, `${ctx}: .ziphash`);
        }

        const verifiedZipLeft = st === "complete" || st === "verified zip" ||
          st === "partial tree";
        const gtcInstall = async () => {
          const before = zipCount();
          const r = await installFromGoproxy(hostGoproxyDeps(goEnv(env), goos), {
            name,
            goos,
            goarch,
          });
          assert.equal(r.h1, tz.h1, ctx);
          assert.deepEqual(snapshot(r.dir), want, `${ctx}: gtc reinstall`);
          return { downloaded: zipCount() - before };
        };
        const goVersion = async () => {
          const before = zipCount();
          const g = await runGo(f, { ...env, GOTOOLCHAIN: name }, ["version"]);
          assert.equal(g.stdout, `go version ${name} linux/amd64\n`, `${ctx}: go: ${g.stderr}`);
          return { downloaded: zipCount() - before, stderr: g.stderr };
        };
        if (i % 2 === 0) {
          // gtc recovers first; the real go then runs it without a download.
          const r = await gtcInstall();
          assert.equal(r.downloaded, verifiedZipLeft ? 0 : 1, `${ctx}: gtc downloads`);
          const g = await goVersion();
          assert.equal(g.downloaded, 0, `${ctx}: go downloaded again`);
          assert.equal(g.stderr, "", ctx);
        } else {
          // The real go meets the leftovers first: it runs the toolchain from
          // the cache, or downloads it cleanly; then gtc needs no download.
          const g = await goVersion();
          assert.equal(g.downloaded, verifiedZipLeft ? 0 : 1, `${ctx}: go downloads`);
          assert.equal(
            g.stderr,
            verifiedZipLeft ? "" : "go: downloading go1.99.1 (linux/amd64)\n",
            ctx,
          );
          const r = await gtcInstall();
          assert.equal(r.downloaded, 0, `${ctx}: gtc downloaded again`);
        }
        await removeAll(f.gomodcache);
      }
      console.log(
        `crash test seed ${seed}: child ${duration.toFixed(0)} ms; last event before the kill:`,
        phases,
        "left in the cache:",
        states,
      );
    } finally {
      await f.close();
    }
  },
});
