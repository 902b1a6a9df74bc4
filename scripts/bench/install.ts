/**
 * Install benchmark: one toolchain-sized golang.org/toolchain zip, installed
 * from the loopback GOPROXY + checksum database (tests/fixtures) by gtc (a
 * fresh `deno run` of tests/install/testdata/install_child.ts, so Deno's
 * start-up is counted) and by the go command (`go mod download
 * golang.org/toolchain@<v>`), alternately, each into an empty module cache,
 * in the same run. Prints wall times (median of N), the ratio gtc / go, and
 * the peak RSS (VmHWM of /proc/<pid>/status) of both processes; gtc also
 * with V8's young generation capped (--max-semi-space-size=1), which is
 * what its peak RSS depends on most.
 *
 * The zip is the real thing: the local GOROOT (the go command's own) packed
 * the way cmd/distpack packs the module (api/, doc/, misc/, test/ removed,
 * pkg/ cut to pkg/include and the build tools, go.mod files renamed
 * _go.mod): for go1.26 on linux/amd64, about 11,500 files, ~250 MB unpacked.
 *
 * What differs between the two: the go command's `go mod download` also
 * fetches the .info and .mod (small) and does not apply the toolchain
 * first-use fix-ups (exec bits, _go.mod copies: a few dozen files), which
 * gtc does before the tree becomes visible.
 *
 *   scripts/deno run -A scripts/bench/install.ts [--install-runs N] [--goroot DIR]
 *
 * @module
 */

import { findGo } from "./_go.ts";

import { removeAll, startFixture } from "../../tests/fixtures/mod.ts";

/** Options of benchInstall. */
export interface BenchInstallOptions {
  /** Measured installs by each of gtc and go (after one warm-up each). @default 3 */
  runs?: number;
  /** The GOROOT to pack. @default the go command's (`go env GOROOT`) */
  goroot?: string;
  /** The go command. @default /usr/local/go/bin/go, else go on PATH */
  go?: string;
}

interface Run {
  ms: number;
  hwmKiB: number;
  stdout: string;
}

/**
 * distpackFiles returns the GOROOT files cmd/distpack puts into the module
 * zip, by name relative to GOROOT (go.mod already renamed _go.mod).
 */
export function distpackFiles(
  goroot: string,
  goos: string,
  goarch: string,
): Record<string, Uint8Array> {
  const tools = new Set(["asm", "cgo", "compile", "cover", "fix", "link", "preprofile", "vet"]);
  const keep = (name: string): boolean => {
    if (/^(api|doc|misc|test|\.git|\.github)\//.test(name)) return false;
    if ([".gitattributes", ".gitignore", "VERSION.cache", "src/cmd/dist/dist"].includes(name)) {
      return false;
    }
    if (name.endsWith("/.DS_Store") || name === ".DS_Store" || name.endsWith(".exe~")) return false;
    if (name.startsWith("bin/")) return name === "bin/go" || name === "bin/gofmt";
    if (name.startsWith("pkg/")) {
      if (name.startsWith("pkg/include/")) return true;
      const tool = `pkg/tool/${goos}_${goarch}/`;
      return name.startsWith(tool) && tools.has(name.slice(tool.length));
    }
    return true;
  };
  const files: Record<string, Uint8Array> = {};
  const walk = (dir: string, rel: string) => {
    for (const e of Deno.readDirSync(dir)) {
      const name = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory) walk(`${dir}/${e.name}`, name);
      else if (e.isFile && keep(name)) {
        const renamed = name === "go.mod" || name.endsWith("/go.mod")
          ? name.slice(0, -"go.mod".length) + "_go.mod"
          : name;
        files[renamed] = Deno.readFileSync(`${dir}/${e.name}`);
      }
    }
  };
  walk(goroot, "");
  return files;
}

// measure runs a command to its end, sampling its VmHWM every 5 ms (a
// child that reports its own, as install_child.ts does, refines it).
async function measure(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<Run> {
  const t0 = performance.now();
  const p = new Deno.Command(cmd, {
    args,
    env,
    clearEnv: true,
    cwd,
    stdout: "piped",
    stderr: "piped",
  })
    .spawn();
  let hwm = 0;
  const sample = () => {
    try {
      const m = /VmHWM:\s*(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${p.pid}/status`));
      if (m !== null) hwm = Math.max(hwm, Number(m[1]));
    } catch {
      // gone
    }
  };
  const timer = setInterval(sample, 5);
  const out = await p.output();
  const ms = performance.now() - t0;
  clearInterval(timer);
  const dec = new TextDecoder();
  const stdout = dec.decode(out.stdout);
  if (out.code !== 0) {
    throw new Error(`${cmd} ${args.join(" ")}: exit ${out.code}: ${dec.decode(out.stderr)}`);
  }
  const self = /^vmhwm (\d+)$/m.exec(stdout);
  if (self !== null) hwm = Math.max(hwm, Number(self[1]));
  return { ms, hwmKiB: hwm, stdout };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function denoDir(): string {
  const e = Deno.env;
  return e.get("DENO_DIR") ??
    `${e.get("XDG_CACHE_HOME") ?? `${e.get("HOME") ?? "/root"}/.cache`}/deno`;
}

// smallYoung caps V8's young generation: while gtc extracts 11,500 files,
// V8 grows its semi-spaces to 16 MB each for the allocation rate, which is
// most of the peak RSS above Deno's start-up; with 1 MB the same install
// peaks ~35 MB lower (the daemon runs with 2 MB). A flag of the process, so
// it is measured as its own row: it applies only where gtc is started with it.
const smallYoung = "--v8-flags=--max-semi-space-size=1";

/** benchInstall runs the benchmark and prints its numbers. */
export async function benchInstall(opts: BenchInstallOptions = {}): Promise<void> {
  const runs = opts.runs ?? 3;
  const go = opts.go ?? findGo();
  if (go === undefined) {
    console.log("bench install: no go command found; nothing to compare against");
    return;
  }
  if (Deno.build.os !== "linux") {
    console.log("bench install: needs /proc (linux)");
    return;
  }
  const goCmd = async (...args: string[]) => {
    const out = await new Deno.Command(go, {
      args,
      env: { GOTOOLCHAIN: "local", GOENV: "off", HOME: Deno.env.get("HOME") ?? "/" },
      clearEnv: true,
    }).output();
    return new TextDecoder().decode(out.stdout).trim();
  };
  const goroot = opts.goroot ?? await goCmd("env", "GOROOT");
  const [goos, goarch] = (await goCmd("env", "GOOS", "GOARCH")).split("\n");
  const version = Deno.readTextFileSync(`${goroot}/VERSION`).split("\n")[0];
  if (!/^go1\.\d+(\.\d+)?$/.test(version)) {
    console.log(`bench install: ${goroot}/VERSION says ${version}, not a release`);
    return;
  }

  let t = performance.now();
  const files = distpackFiles(goroot, goos, goarch);
  const f = await startFixture({ toolchains: [version], platforms: [`${goos}-${goarch}`], files });
  try {
    const tz = f.toolchain(version);
    const unpacked = tz.entries.reduce(
      (n, e) => n + (typeof e.data === "string" ? e.data.length : e.data?.length ?? 0),
      0,
    );
    console.log(
      `bench install: ${tz.moduleVersion} from ${goroot}: ${tz.entries.length} files, ` +
        `${(unpacked / 1e6).toFixed(0)} MB unpacked, zip ${(tz.zip.length / 1e6).toFixed(1)} MB ` +
        `(built in ${
          ((performance.now() - t) / 1000).toFixed(1)
        } s); ${runs} runs each (+1 warm-up)`,
    );
    const env = { ...f.env, PATH: `${go.slice(0, go.lastIndexOf("/"))}:/usr/bin:/bin` };
    const child = new URL("../../tests/install/testdata/install_child.ts", import.meta.url)
      .pathname;
    const config = new URL("../../deno.json", import.meta.url).pathname;
    const gtc = (v8flags: string[] = []) =>
      measure(
        Deno.execPath(),
        ["run", "-A", "--quiet", ...v8flags, "--config", config, child, version, goos, goarch],
        { ...env, DENO_DIR: denoDir(), GTC_CHILD_VMHWM: "1" },
        f.work,
      );
    const gomod = () =>
      measure(go, ["mod", "download", `${tz.path}@${tz.moduleVersion}`], env, f.work);
    const zp = f.zipPath(version);
    const gtcRuns: Run[] = [];
    const smallRuns: Run[] = [];
    const goRuns: Run[] = [];
    const gtcSmall = () => gtc([smallYoung]);
    for (let i = 0; i <= runs; i++) {
      for (
        const [who, fn, list] of [
          ["gtc", gtc, gtcRuns],
          ["gtc", gtcSmall, smallRuns],
          ["go", gomod, goRuns],
        ] as const
      ) {
        await removeAll(f.gomodcache);
        const before = f.requestCounts()[zp] ?? 0;
        const r = await fn();
        if ((f.requestCounts()[zp] ?? 0) !== before + 1) {
          throw new Error(`bench install: ${who} did not download the zip exactly once`);
        }
        // "true" last: the h1 hash was computed while downloading (one pass).
        if (who === "gtc" && !/^ok true true \S+ true$/m.test(r.stdout)) {
          throw new Error(`bench install: gtc child said ${r.stdout}`);
        }
        if (i > 0) list.push(r);
      }
    }
    // The tree gtc installed is a working toolchain.
    await removeAll(f.gomodcache);
    await gtc();
    const dir = `${f.gomodcache}/golang.org/toolchain@${tz.moduleVersion}`;
    const check = await new Deno.Command(`${dir}/bin/go`, {
      args: ["version"],
      env: { HOME: f.home, GOTOOLCHAIN: "local", GOENV: "off" },
      clearEnv: true,
    }).output();
    const said = new TextDecoder().decode(check.stdout).trim();

    t = 0;
    const row = (name: string, rs: Run[]) => {
      const ms = rs.map((r) => r.ms);
      console.log(
        `  ${name.padEnd(40)} ${median(ms).toFixed(0).padStart(6)} ms [${
          Math.min(...ms).toFixed(0)
        }–${Math.max(...ms).toFixed(0)}]  peak RSS ${
          (median(rs.map((r) => r.hwmKiB)) / 1024).toFixed(0)
        } MiB`,
      );
    };
    row("gtc install (deno run, cold process)", gtcRuns);
    // Where gtc's time goes, from install_child.ts's event times (ms since
    // its module graph was loaded).
    const at = (r: Run, kind: string) =>
      Number(new RegExp(`^event ${kind} (\\d+)$`, "m").exec(r.stdout)?.[1] ?? NaN);
    const phase = (from: string, to: string) =>
      median(gtcRuns.map((r) => at(r, to) - at(r, from))).toFixed(0);
    console.log(
      `    start-up + exit ${
        median(gtcRuns.map((r) => r.ms - at(r, "installed"))).toFixed(0)
      } ms, download + h1 hash (one pass) ${
        phase("downloading", "downloaded")
      } ms, checksum database ${phase("downloaded", "extracting")} ms, extract + fix-ups ${
        phase("extracting", "installed")
      } ms`,
    );
    row(`gtc install, ${smallYoung}`, smallRuns);
    row("go mod download", goRuns);
    const ratio = median(gtcRuns.map((r) => r.ms)) / median(goRuns.map((r) => r.ms));
    console.log(`ratio gtc install / go mod download: ${ratio.toFixed(2)}`);
    const hwm = (rs: Run[]) => median(rs.map((r) => r.hwmKiB));
    console.log(
      `gtc peak RSS (VmHWM): ${
        gtcRuns.map((r) => (r.hwmKiB / 1024).toFixed(0)).join(", ")
      } MiB; with ${smallYoung}: ${
        smallRuns.map((r) => (r.hwmKiB / 1024).toFixed(0)).join(", ")
      } MiB; go: ${goRuns.map((r) => (r.hwmKiB / 1024).toFixed(0)).join(", ")} MiB (zip ${
        (tz.zip.length / 1048576).toFixed(0)
      } MiB)`,
    );
    console.log(
      `ratio gtc / go peak RSS: ${(hwm(gtcRuns) / hwm(goRuns)).toFixed(2)}, with ${smallYoung}: ${
        (hwm(smallRuns) / hwm(goRuns)).toFixed(2)
      } (target ≤ 2)`,
    );
    console.log(`installed tree runs: ${said}`);
  } finally {
    await f.close();
  }
}

if (import.meta.main) {
  const arg = (flag: string) => {
    const i = Deno.args.indexOf(flag);
    return i >= 0 ? Deno.args[i + 1] : undefined;
  };
  await benchInstall({
    runs: arg("--install-runs") === undefined ? undefined : Number(arg("--install-runs")),
    goroot: arg("--goroot"),
  });
}
