/**
 * The reference side of the differential test: finds a real go command, lays out a scenario
 * on disk, runs `go version` there in a controlled environment and turns what it printed into
 * an Observation.
 *
 * @module
 */

import { childEnvVars, fakeMarker, type Scenario } from "./scenarios.ts";

/** GoInfo describes the reference go command. */
export interface GoInfo {
  /** absolute path of the go executable */
  path: string;
  /** its directory, put on PATH in scenarios as `$GOBIN` */
  bindir: string;
  /** LocalToolchain(): the name `go version` prints, e.g. "go1.26.8" */
  version: string;
  /** its GOROOT (`go env GOROOT`) */
  goroot: string;
  goos: string;
  goarch: string;
}

const versionRE = /^go version (.+) (\S+)\/(\S+)$/;

/** goVersionAtLeast reports whether toolchain name "go1.N…" has language version ≥ 1.minor. */
function goVersionAtLeast(name: string, minor: number): boolean {
  const m = /^go1\.(\d+)/.exec(name);
  return m !== null && Number(m[1]) >= minor;
}

/**
 * findGo returns the first go >= 1.21 among /usr/local/go/bin/go and `go` on PATH, or the reason
 * there is none. It runs each candidate with GOTOOLCHAIN=local so no switch happens.
 */
export async function findGo(): Promise<{ go?: GoInfo; reason: string }> {
  const candidates = ["/usr/local/go/bin/go"];
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir.startsWith("/")) candidates.push(`${dir}/go`);
  }
  const reasons: string[] = [];
  const home = await Deno.makeTempDir({ prefix: "gtc-diff-home-" });
  try {
    for (const path of candidates) {
      try {
        const st = await Deno.stat(path);
        if (!st.isFile) continue;
      } catch {
        continue;
      }
      const env = { PATH: "/usr/bin:/bin", HOME: home, GOTOOLCHAIN: "local", GOENV: "off" };
      const run = async (...args: string[]) => {
        const out = await new Deno.Command(path, { args, env, clearEnv: true }).output();
        return new TextDecoder().decode(out.stdout).trim();
      };
      try {
        const m = versionRE.exec(await run("version"));
        if (m === null) {
          reasons.push(`${path}: cannot parse go version output`);
          continue;
        }
        if (!goVersionAtLeast(m[1], 21)) {
          reasons.push(`${path}: ${m[1]} is older than go1.21`);
          continue;
        }
        const goroot = await run("env", "GOROOT");
        const bindir = path.slice(0, path.lastIndexOf("/"));
        return {
          go: { path, bindir, version: m[1], goroot, goos: m[2], goarch: m[3] },
          reason: "",
        };
      } catch (e) {
        reasons.push(`${path}: ${e instanceof Error ? e.message : e}`);
      }
    }
  } finally {
    await removeSettled(home);
  }
  return { reason: `no go >= 1.21 found (${reasons.join("; ") || "no candidates"})` };
}

/** Materialized is a scenario laid out on disk. */
export interface Materialized {
  root: string;
  /** absolute working directory */
  dir: string;
  /** the complete environment, placeholders substituted */
  env: Record<string, string>;
}

/** substitute replaces the `$ROOT`, `$GOBIN`, `$GOROOT`, `$GOOS` and `$GOARCH` placeholders. */
export function substitute(s: string, root: string, go: GoInfo): string {
  return s.replaceAll("$ROOT", root).replaceAll("$GOBIN", go.bindir)
    .replaceAll("$GOROOT", go.goroot).replaceAll("$GOOS", go.goos)
    .replaceAll("$GOARCH", go.goarch);
}

/** materialize creates the scenario's files under root (which must not exist yet). */
export async function materialize(s: Scenario, root: string, go: GoInfo): Promise<Materialized> {
  await Deno.mkdir(root, { recursive: true });
  for (const f of s.files) {
    const path = `${root}/${substitute(f.path, root, go)}`;
    if (f.dir) {
      await Deno.mkdir(path, { recursive: true });
      continue;
    }
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, substitute(f.content ?? "", root, go));
    await Deno.chmod(path, f.mode ?? 0o644);
  }
  const dir = s.cwd === "" ? root : `${root}/${s.cwd}`;
  await Deno.mkdir(dir, { recursive: true });
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.env)) env[k] = substitute(v, root, go);
  return { root, dir, env };
}

/** RunResult is the raw outcome of one go command. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** runGo runs the reference go with exactly m.env (nothing inherited) in m.dir. */
export async function runGo(go: GoInfo, m: Materialized, args: string[]): Promise<RunResult> {
  const start = performance.now();
  const out = await new Deno.Command(go.path, {
    args,
    cwd: m.dir,
    env: m.env,
    clearEnv: true,
    stdin: "null",
    signal: AbortSignal.timeout(30_000),
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
    ms: performance.now() - start,
  };
}

/**
 * ChildEnv is the view a switched-to fake toolchain had of the variables the go command sets
 * when it switches. A value of undefined means the variable was unset.
 */
export type ChildEnv = Partial<Record<(typeof childEnvVars)[number], string>>;

/** Observation is what the reference go command did in a scenario. */
export type Observation =
  | {
    /** a toolchain ran and printed its version */
    kind: "ran";
    toolchain: string;
    source: "local" | "path" | "cache";
    /** for a fake toolchain: the executable and the environment it saw */
    exe?: string;
    child?: ChildEnv;
    /**
     * the command then failed inside the selected toolchain with this text (seen for the local
     * toolchain, e.g. a relative GOWORK with GOTOOLCHAIN=local: selection never reads GOWORK,
     * but the command itself does)
     */
    failedAfter?: string;
    /** other stderr lines of a successful local run (`go env` warnings) */
    warnings?: string[];
  }
  | {
    /**
     * the go command selected `toolchain`, did not find it in PATH or the module cache, and
     * tried to download it (which fails, GOPROXY=off); `error` is what it printed
     */
    kind: "download";
    toolchain: string;
    error: string;
  }
  | {
    /** the go command failed before running any toolchain */
    kind: "error";
    error: string;
    /** for "cannot find in PATH": the toolchain it looked for */
    toolchain?: string;
  }
  | { kind: "unknown"; why: string };

/** Stderr lines that are progress or warnings rather than the failure itself. */
export interface StderrNoise {
  downloading: string[];
  depth: string[];
  trace: string[];
}

const downloadingRE = /^go: downloading (.+) \(\S+\/\S+\)$/;
const depthRE = /^go: switching from go\S+ to .* \[depth \d+\]$/;
const traceRE = /^go: (upgrading toolchain to |using |default toolchain set to )/;

/** unquoteGo undoes Go's %q for the plain strings the scenarios use. */
function unquoteGo(q: string): string {
  try {
    return JSON.parse(q);
  } catch {
    return q.slice(1, -1);
  }
}

/** observe interprets a RunResult. goModCache is the scenario's module cache directory. */
export function observe(
  r: RunResult,
  go: GoInfo,
  goModCache: string,
): { obs: Observation; noise: StderrNoise } {
  const noise: StderrNoise = { downloading: [], depth: [], trace: [] };
  const errLines: string[] = [];
  const fake: Record<string, string> = {};
  for (const line of r.stderr.split("\n")) {
    if (line === "") continue;
    if (line.startsWith(fakeMarker + " ")) {
      const kv = line.slice(fakeMarker.length + 1);
      const eq = kv.indexOf("=");
      fake[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else if (downloadingRE.test(line)) noise.downloading.push(line);
    else if (depthRE.test(line)) noise.depth.push(line);
    else if (traceRE.test(line)) noise.trace.push(line);
    else errLines.push(line);
  }
  const stdout = r.stdout.replace(/\n$/, "");
  const vm = versionRE.exec(stdout);
  if (r.code === 0 && vm !== null && errLines.length === 0) {
    const toolchain = vm[1];
    if (fake.name === undefined) {
      if (toolchain !== go.version) {
        return { obs: { kind: "unknown", why: `non-fake go printed ${toolchain}` }, noise };
      }
      return { obs: { kind: "ran", toolchain, source: "local" }, noise };
    }
    const child: ChildEnv = {};
    for (const v of childEnvVars) {
      const x = fake[v];
      if (x !== undefined && x.startsWith("set:")) child[v] = x.slice(4);
    }
    const exe = fake.exe;
    const source = exe.startsWith(goModCache + "/") ? "cache" : "path";
    return { obs: { kind: "ran", toolchain, source, exe, child }, noise };
  }
  if (r.code === 0 && fake.name === undefined) {
    // Another command (`go env …`) that the local toolchain ran, maybe printing warnings:
    // fakes always print a marker.
    return {
      obs: { kind: "ran", toolchain: go.version, source: "local", warnings: errLines },
      noise,
    };
  }
  if (r.code === 0) {
    return { obs: { kind: "unknown", why: "exit 0 without a parsable version" }, noise };
  }
  const error = errLines.join("\n");
  const first = errLines[0] ?? "";
  let m: RegExpExecArray | null;
  if ((m = /^go: download (.+) for \S+: toolchain not available$/s.exec(first))) {
    return { obs: { kind: "download", toolchain: m[1], error }, noise };
  }
  if (
    (m = /^go: invalid toolchain: (.+) is a language version but not a toolchain version \(/s
      .exec(first))
  ) {
    return { obs: { kind: "download", toolchain: m[1], error }, noise };
  }
  if ((m = /^go: download (.+?): (.+)$/s.exec(first))) {
    return { obs: { kind: "download", toolchain: m[1], error }, noise };
  }
  if ((m = /^go: cannot find ("(?:[^"\\]|\\.)*") in PATH$/s.exec(first))) {
    return { obs: { kind: "error", error, toolchain: unquoteGo(m[1]) }, noise };
  }
  if (first === "") return { obs: { kind: "unknown", why: `exit ${r.code}, empty stderr` }, noise };
  return { obs: { kind: "error", error }, noise };
}

const usingLocalRE = /^go: using local toolchain (.+)$/s;

/** lastLine returns the last line of s. */
function lastLine(s: string): string {
  return s.slice(s.lastIndexOf("\n") + 1);
}

/**
 * observeRun runs the go command for a scenario and interprets the result.
 *
 * A failure whose text names no toolchain may come from selection itself or from the local
 * toolchain after it was selected (`go env -w` without a config dir, a relative GOWORK read by
 * the command, …). Two probes tell them apart; they only add evidence, the reported outcome is
 * the first run's:
 *  1. the same command with GODEBUG=toolchaintrace=1: selection that ends in the local
 *     toolchain prints "go: using local toolchain …";
 *  2. the same command with selection disabled (GOTOOLCHAIN=local, no
 *     GOTOOLCHAIN_INTERNAL_SWITCH_VERSION): if it fails the same way, the failure does not
 *     depend on selection. This also covers the cases where selection returns before printing
 *     the trace (the `go env GOTOOLCHAIN` argv shapes, a switched-to child).
 */
export async function observeRun(
  go: GoInfo,
  m: Materialized,
  args: string[],
): Promise<{ obs: Observation; noise: StderrNoise; run: RunResult }> {
  const run = await runGo(go, m, args);
  const modCache = `${m.root}/gopath/pkg/mod`;
  const { obs, noise } = observe(run, go, modCache);
  if (obs.kind !== "error" || obs.toolchain !== undefined) return { obs, noise, run };
  const failedLocally: Observation = {
    kind: "ran",
    toolchain: go.version,
    source: "local",
    failedAfter: obs.error,
  };

  const godebug = m.env.GODEBUG ? `${m.env.GODEBUG},toolchaintrace=1` : "toolchaintrace=1";
  const p1 = observe(
    await runGo(go, { ...m, env: { ...m.env, GODEBUG: godebug } }, args),
    go,
    modCache,
  );
  const using = p1.noise.trace.map((l) => usingLocalRE.exec(l)).find((x) => x !== null);
  if (using && p1.obs.kind === "error" && p1.obs.error === obs.error) {
    return { obs: { ...failedLocally, toolchain: using[1] }, noise, run };
  }

  const env2: Record<string, string> = { ...m.env, GOTOOLCHAIN: "local" };
  delete env2.GOTOOLCHAIN_INTERNAL_SWITCH_VERSION;
  const p2 = observe(await runGo(go, { ...m, env: env2 }, args), go, modCache);
  if (p2.obs.kind === "error" && lastLine(p2.obs.error) === lastLine(obs.error)) {
    return { obs: failedLocally, noise, run };
  }
  return { obs, noise, run };
}

/** pool runs fn over items with at most n in flight, keeping the results in order. */
export async function pool<T, R>(
  items: readonly T[],
  n: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/**
 * removeSettled removes dir, retrying for a while: the go command may leave
 * a telemetry child writing under HOME (inside dir) for a moment after it
 * exits, which makes a recursive remove fail with "Directory not empty".
 */
export async function removeSettled(dir: string): Promise<void> {
  for (let i = 0;; i++) {
    try {
      return await Deno.remove(dir, { recursive: true });
    } catch (e) {
      if (i >= 20 || e instanceof Deno.errors.NotFound) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
