/**
 * The go command's toolchain script tests, as data: every scenario of
 * gotoolchain_local.txt, gotoolchain_path.txt, gotoolchain_loop.txt,
 * gotoolchain_godebug_trace.txt, gotoolchain_issue66175.txt,
 * gotoolchain_net.txt, mod_toolchain_slash.txt, env_gomod_issue61455.txt and
 * gotoolchain_work_issue76728.txt (src/cmd/go/testdata/script, go1.26) is one
 * testdata/select/<script>_<line>.txtar file, run here through select and
 * locate.
 *
 * A fixture is a txtar archive. Its comment names the script lines it ports
 * and holds the spec, one key a line ("#" lines are comments):
 *
 *   source x.txt:8-11      the script and the lines this fixture ports; required
 *   local go1.500          the go command's own version (TESTGO_VERSION); required
 *   hook switch            TESTGO_VERSION_SWITCH: switch, mismatch or loop (default: none)
 *   env K=V                a process environment variable (repeatable; "K=" sets it empty)
 *   cwd dir                where the command runs ("cd"); relative to /work/gopath/src
 *   args version           the go command's arguments after "go" (default: version)
 *   chmod 0755 path        a file's permission bits (file sections are 0644)
 *   toonew what version    the command later reports a TooNewError (what requires
 *                          go >= version): the module query of "go install/run m@v",
 *                          which select does not perform, supplied as data (§7.2, §7.3)
 *   proxy go1.22.9 …       the toolchains the module proxy lists (for toonew with auto)
 *   unported lines: why    script lines this fixture does not check, and why
 *   skip why               nothing here can be checked: the step is ignored
 *   todo why               a known gtc bug makes this fail: the step is ignored
 *   want …                 an expectation (below)
 *
 * File sections are written into the in-memory file system; relative names
 * are relative to /work/gopath/src, the directory a script starts in.
 *
 * Expectations:
 *
 *   want toolchain go1.700.0   the toolchain that finally runs ("go version" prints it), or
 *                              that the go command fails to find
 *   want source path           how the first switch obtains it: local, path, cache, download
 *   want exe /work/bin/go1.50.0, want goroot dir, want module golang.org/toolchain@…
 *   want childenv K=V          in the environment of the switched-to toolchain
 *   want childenv K unset      removed from it
 *   want error go: …           the go command's failure, byte for byte (default: none)
 *   want notice go: …          stderr lines of the switch (depth, "requires go >="); the
 *                              list is compared whole (default: none)
 *   want trace go: …           a GODEBUG=toolchaintrace=1 line: exactly one step of the
 *                              parent's trace says it
 *   want no-trace go: …        no step of the parent's trace starts with this
 *   want rule install-version  the parent's trace has a step with this rule id
 *   want download-error go: …  what the go command prints when the proxy has no such
 *                              toolchain (the download step says so)
 *   want modules off           GO111MODULE leaves module mode off
 *   want file /path|none       the go.work or go.mod the parent consulted
 *   want startup k=v …         gover.Startup fields of the parent (GOTOOLCHAIN, autoFile,
 *                              autoGoVersion, autoToolchain), as TooNewError prints them
 *
 * The harness environment mirrors src/cmd/go/script_test.go: HOME=/no-home,
 * GOTOOLCHAIN=auto, GOROOT with Go's distributed go.env, GOPATH=$WORK/gopath,
 * TMPDIR=$WORK/tmp, and the test go binary alone in PATH. The test binary
 * process also sets GOENV=off, but the script environment is built from
 * scratch and does not carry it; with HOME=/no-home there is no user go/env
 * file either way.
 *
 * The TESTGO_VERSION_SWITCH hook is modelled as toolchain.Exec does it: after
 * the depth check and before the PATH lookup, the go command re-runs itself
 * with GOTOOLCHAIN_INTERNAL_SWITCH_VERSION set and the count incremented;
 * "switch" also sets TESTGO_VERSION to the target, "mismatch" does not, and
 * "loop" also skips the child's target check.
 *
 * @module
 */

import assert from "node:assert/strict";
import { MemFs } from "../_internal/mem_fs.ts";
import { join } from "../_internal/path.ts";
import { compare } from "../gover/mod.ts";
import { GoEnv } from "../goenv/mod.ts";
import { type LocalToolchain, localToolchainName } from "./local.ts";
import { locate, type Location } from "./locate.ts";
import { autoToolchainVersions, newerToolchain, pathToolchainVersions } from "./newer.ts";
import { type PathEnv, pathToolchainNames } from "./path.ts";
import { select, type Selection } from "./select.ts";
import type { TraceStep } from "./trace.ts";

const testdata = new URL("./testdata/select/", import.meta.url);

/** $WORK/gopath/src: where a script starts and its files are extracted. */
const scriptDir = "/work/gopath/src";
const goos = "linux";
const goarch = "amd64";

/** The environment src/cmd/go/script_test.go (scriptEnv) gives every script. */
const defaultEnviron: Readonly<Record<string, string>> = {
  WORK: "/work",
  PATH: "/testbin",
  HOME: "/no-home",
  GOARCH: goarch,
  GOOS: goos,
  GOEXE: "",
  GODEBUG: "",
  GOPROXY: "http://proxy.test/mod",
  GOPRIVATE: "",
  GOROOT: "/goroot",
  GONOPROXY: "",
  GONOSUMDB: "",
  GOSUMDB: "localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK",
  GOTOOLCHAIN: "auto",
  GOPATH: "/work/gopath",
  TMPDIR: "/work/tmp",
};

/** The files every script sees: GOROOT with Go's go.env, the test go binary, $WORK. */
const defaultFiles: Readonly<Record<string, string>> = {
  "/goroot/go.env": "# This file contains the initial defaults for go command configuration.\n" +
    "GOPROXY=https://proxy.golang.org,direct\n" +
    "GOSUMDB=sum.golang.org\n" +
    "\n" +
    "GOTOOLCHAIN=auto\n",
  "/goroot/pkg/tool/": "",
  "/work/gopath/src/": "",
  "/work/tmp/": "",
};
const testGoExe = "/testbin/go";

interface Want {
  key: string;
  value: string;
}

interface Scenario {
  name: string;
  local: string;
  hook: "" | "switch" | "mismatch" | "loop";
  environ: Record<string, string>;
  cwd: string;
  args: string[];
  chmod: [string, number][];
  toonew?: { what: string; version: string };
  proxy: string[];
  skip?: string;
  todo?: string;
  files: [string, string][];
  wants: Want[];
}

/** parseTxtar splits an archive into its comment and "-- name --" sections. */
function parseTxtar(text: string): { comment: string; files: [string, string][] } {
  const files: [string, string][] = [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  let comment = "";
  let name: string | undefined;
  let body: string[] = [];
  const flush = () => {
    const data = body.map((l) => l + "\n").join("");
    if (name === undefined) comment = data;
    else files.push([name, data]);
  };
  for (const line of lines) {
    const m = /^-- (.+) --$/.exec(line);
    if (m === null) {
      body.push(line);
      continue;
    }
    flush();
    name = m[1];
    body = [];
  }
  flush();
  return { comment, files };
}

function abs(p: string): string {
  return p.startsWith("/") ? p : join("posix", scriptDir, p);
}

function parseScenario(name: string, text: string): Scenario {
  const { comment, files } = parseTxtar(text);
  const sc: Scenario = {
    name,
    local: "",
    hook: "",
    environ: { ...defaultEnviron },
    cwd: scriptDir,
    args: ["version"],
    chmod: [],
    proxy: [],
    files,
    wants: [],
  };
  let hasSource = false;
  for (const line of comment.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const sp = line.indexOf(" ");
    const key = sp < 0 ? line : line.slice(0, sp);
    const rest = sp < 0 ? "" : line.slice(sp + 1);
    switch (key) {
      case "local":
        sc.local = rest;
        break;
      case "hook":
        if (rest !== "switch" && rest !== "mismatch" && rest !== "loop") {
          throw new Error(`${name}: bad hook ${rest}`);
        }
        sc.hook = rest;
        break;
      case "env": {
        const eq = rest.indexOf("=");
        if (eq <= 0) throw new Error(`${name}: bad env line: ${line}`);
        sc.environ[rest.slice(0, eq)] = rest.slice(eq + 1);
        break;
      }
      case "cwd":
        sc.cwd = abs(rest);
        break;
      case "args":
        sc.args = rest.split(" ").filter((a) => a !== "");
        break;
      case "chmod": {
        const [mode, path] = rest.split(" ");
        sc.chmod.push([abs(path), parseInt(mode, 8)]);
        break;
      }
      case "toonew": {
        const [what, version] = rest.split(" ");
        sc.toonew = { what, version };
        break;
      }
      case "proxy":
        sc.proxy = rest.split(" ").filter((a) => a !== "");
        break;
      case "skip":
        sc.skip = rest;
        break;
      case "todo":
        sc.todo = rest;
        break;
      case "unported":
        if (!/^\d+(-\d+)?(, ?\d+(-\d+)?)*: ./.test(rest)) {
          throw new Error(`${name}: unported needs "lines: reason": ${line}`);
        }
        break;
      case "source":
        hasSource = true;
        break;
      case "want": {
        const wsp = rest.indexOf(" ");
        sc.wants.push({
          key: wsp < 0 ? rest : rest.slice(0, wsp),
          value: wsp < 0 ? "" : rest.slice(wsp + 1),
        });
        break;
      }
      default:
        throw new Error(`${name}: unknown key ${JSON.stringify(key)}`);
    }
  }
  if (!hasSource) throw new Error(`${name}: no "source script.txt:lines" line`);
  if (sc.local === "" && sc.skip === undefined) throw new Error(`${name}: no local line`);
  if (sc.wants.length === 0 && sc.skip === undefined) throw new Error(`${name}: nothing wanted`);
  return sc;
}

function localOf(runtimeVersion: string): LocalToolchain {
  const tv = localToolchainName(runtimeVersion);
  if (tv === undefined) throw new Error(`bad local version ${runtimeVersion}`);
  return { exe: testGoExe, goroot: "/goroot", ...tv, versionFrom: "TESTGO_VERSION" };
}

/** What a simulated go command run did. */
interface Run {
  /** The parent's selection, and the location of its first switch (if it switched). */
  selection: Selection;
  location?: Location;
  /** The parent's trace (select and locate steps): what GODEBUG=toolchaintrace=1 prints. */
  trace: TraceStep[];
  /** The toolchain whose code finally runs the command. */
  toolchain: string;
  notices: string[];
  error?: string;
}

// goAtoi mirrors strconv.Atoi for the switch count: garbage is 0.
function goAtoi(s: string): number {
  return /^[+-]?\d+$/.test(s) ? parseInt(s, 10) : 0;
}

function simulate(sc: Scenario, fs: MemFs): Run {
  let environ: Record<string, string> = { ...sc.environ };
  let localName = sc.local;
  let run: Run | undefined;
  for (let depth = 0; depth <= 200; depth++) {
    const local = localOf(localName);
    const env = new GoEnv({ environ, fs, goos, runtimeGoroot: local.goroot });
    const sel = select({
      env,
      cwd: sc.cwd,
      fs,
      local,
      args: sc.args,
      tempDir: environ.TMPDIR || "/tmp",
    });
    if (run === undefined) {
      run = { selection: sel, trace: [...sel.trace], toolchain: "", notices: [] };
    }
    if (sel.error !== undefined) {
      run.error = sel.error;
      return run;
    }

    // maybeSwitchForGoInstallVersion, then Switch: a module the command
    // needs asks for a newer Go than the minimum (after go.mod/go.work).
    let target = sel.isLocal ? "" : sel.toolchain;
    let exeSel = sel;
    if (
      sc.toonew && (sel.mode === "auto" || sel.mode === "path") &&
      compare(sc.toonew.version, sel.version) > 0
    ) {
      const gt = env.getenv("GOTOOLCHAIN");
      const hasAuto = gt === "auto" || gt.endsWith("+auto");
      const pathEnv: PathEnv = { path: environ.PATH ?? "", style: "posix", cwd: sc.cwd };
      const list = hasAuto
        ? autoToolchainVersions(sc.proxy.map((n) => `v0.0.1-${n}.${goos}-${goarch}`), local.version)
        : pathToolchainVersions(pathToolchainNames(fs, pathEnv));
      try {
        target = newerToolchain(sc.toonew.version, list);
      } catch (e) {
        run.error = `go: switching to go >= ${sc.toonew.version}: ${(e as Error).message}`;
        return run;
      }
      run.notices.push(
        `go: ${sc.toonew.what} requires go >= ${sc.toonew.version}; switching to ${target}`,
      );
      exeSel = { ...sel, toolchain: target, isLocal: false };
    }
    if (target === "") {
      run.toolchain = local.toolchain;
      return run;
    }

    // Exec(target).
    const loc = locate({
      selection: exeSel,
      env,
      fs,
      path: { path: environ.PATH ?? "", style: "posix", cwd: sc.cwd },
      goos,
      goarch,
      localGoroot: local.goroot,
      localExe: local.exe,
      localVersion: local.version,
    });
    if (depth === 0) {
      run.location = loc;
      run.trace.push(...loc.trace);
    }
    run.notices.push(...loc.notices);
    if (sc.hook === "") {
      run.toolchain = target;
      if (loc.error !== undefined) run.error = loc.error;
      return run;
    }
    // The test hook re-runs the go command right after the depth check: only
    // that check's error can happen first.
    if (loc.error === "go: too many toolchain switches") {
      run.error = loc.error;
      return run;
    }
    const count = goAtoi(environ.GOTOOLCHAIN_INTERNAL_SWITCH_COUNT ?? "");
    environ = {
      ...environ,
      GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: String(count + 1),
      GOTOOLCHAIN_INTERNAL_SWITCH_VERSION: target,
    };
    if (sc.hook === "switch") localName = target;
    if (sc.hook === "loop") delete environ.GOTOOLCHAIN_INTERNAL_SWITCH_VERSION;
  }
  throw new Error("internal error: the switch loop did not end");
}

function buildFs(sc: Scenario): MemFs {
  const fs = new MemFs(defaultFiles);
  fs.write(testGoExe, "test go binary\n", 0o755);
  for (const [name, data] of sc.files) fs.write(abs(name), data);
  for (const [path, mode] of sc.chmod) {
    const data = fs.readFile(path);
    fs.write(path, data, mode);
  }
  return fs;
}

function check(sc: Scenario, r: Run): void {
  const stepText = (s: TraceStep) => "go: " + s.detail;
  const notices: string[] = [];
  let wantsError = false;
  for (const { key, value } of sc.wants) {
    const what = `want ${key} ${value}`;
    switch (key) {
      case "toolchain":
        assert.equal(r.toolchain, value, what);
        break;
      case "source":
        assert.equal(r.location?.source ?? (r.selection.isLocal ? "local" : null), value, what);
        break;
      case "exe":
        assert.equal(r.location?.exe, value, what);
        break;
      case "goroot":
        assert.equal(r.location?.goroot, value, what);
        break;
      case "module":
        assert.equal(r.location?.module, value, what);
        break;
      case "childenv": {
        const env = r.location?.childEnv;
        assert.ok(env !== undefined, `${what}: no switch`);
        const m = /^(\w+)(?:=(.*)| (unset))$/.exec(value);
        if (m === null) throw new Error(`${sc.name}: bad ${what}`);
        assert.ok(m[1] in env, `${what}: ${m[1]} is not changed`);
        assert.equal(env[m[1]], m[3] === "unset" ? null : m[2], what);
        break;
      }
      case "error":
        wantsError = true;
        assert.equal(r.error, value, what);
        break;
      case "notice":
        notices.push(value);
        break;
      case "trace": {
        const hits = r.trace.filter((s) =>
          stepText(s) === value || stepText(s).startsWith(value + ";")
        );
        assert.equal(
          hits.length,
          1,
          `${what}: ${hits.length} steps say it; trace:\n${r.trace.map(stepText).join("\n")}`,
        );
        break;
      }
      case "no-trace": {
        const hits = r.trace.filter((s) => stepText(s).startsWith(value));
        assert.deepEqual(hits.map(stepText), [], what);
        break;
      }
      case "rule":
        assert.ok(r.trace.some((s) => s.rule === value), what);
        break;
      case "download-error": {
        const dl = r.trace.find((s) => s.rule === "download");
        assert.ok(dl !== undefined, `${what}: no download step`);
        assert.ok(
          dl.detail.includes(value.replace(/^go: /, "")),
          `${what}: the download step says: ${dl.detail}`,
        );
        // A language version is never downloadable: gtc reports the failure.
        if (/^go: invalid toolchain: /.test(value)) {
          wantsError = true;
          assert.equal(r.error, value, what);
        }
        break;
      }
      case "modules":
        assert.equal(r.selection.modulesEnabled, value === "on", what);
        break;
      case "file":
        assert.equal(r.selection.file?.path ?? "none", value, what);
        break;
      case "startup":
        for (const kv of value.split(" ")) {
          const eq = kv.indexOf("=");
          const k = kv.slice(0, eq) as keyof Selection["startup"];
          assert.equal(r.selection.startup[k], kv.slice(eq + 1), `${what}: ${k}`);
        }
        break;
      default:
        throw new Error(`${sc.name}: unknown want ${key}`);
    }
  }
  if (!wantsError) assert.equal(r.error, undefined, "unexpected error");
  assert.deepEqual(r.notices, notices, "notices");
}

function loadScenarios(): Scenario[] {
  const out: Scenario[] = [];
  for (const e of Deno.readDirSync(testdata)) {
    if (!e.name.endsWith(".txtar")) continue;
    const name = e.name.slice(0, -".txtar".length);
    out.push(parseScenario(name, Deno.readTextFileSync(new URL(e.name, testdata))));
  }
  return out.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

Deno.test("select() and locate() pass Go's toolchain script scenarios", async (t) => {
  for (const sc of loadScenarios()) {
    await t.step({
      name: sc.name,
      ignore: sc.skip !== undefined || sc.todo !== undefined,
      fn: () => check(sc, simulate(sc, buildFs(sc))),
    });
  }
});
