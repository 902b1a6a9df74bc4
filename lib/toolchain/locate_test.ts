import assert from "node:assert/strict";
import { MemFs } from "../_internal/mem_fs.ts";
import { GoEnv } from "../goenv/mod.ts";
import { locate, type Location } from "./locate.ts";
import { select } from "./select.ts";
import { sumdbMismatch } from "../sumdb/mod.ts";

// The lookup half of cmd/go/internal/toolchain.Exec (go1.26): the switch
// depth, PATH, the module cache and the download, with the child's
// environment. The selection comes from select with GOTOOLCHAIN naming the
// toolchain and a local go1.500. Go's script tests are ported in
// select_scenarios_test.ts.

interface LocateTest {
  name: string;
  /** GOTOOLCHAIN; the toolchain it names (before any +suffix) is located. */
  gotoolchain: string;
  environ?: Record<string, string>;
  files?: Record<string, string>;
  /** Executable files (mode 0755). */
  exes?: string[];
  source?: Location["source"];
  exe?: string | null;
  goroot?: string | null;
  moduleDir?: string;
  childEnv?: Record<string, string | null>;
  notices?: string[];
  error?: string;
}

const modcache = "/home/u/go/pkg/mod";
const dl = `${modcache}/cache/download/golang.org/toolchain/@v`;
const dir = (name: string) => `${modcache}/golang.org/toolchain@v0.0.1-${name}.linux-amd64`;
// A well-formed .ziphash (47 bytes); whether it verifies is the checksum tests' business.
const fakeHash = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
const cached = (name: string) => ({
  [`${dir(name)}/bin/go`]: "",
  [`${dl}/v0.0.1-${name}.linux-amd64.ziphash`]: `${fakeHash}\n`,
});

const locateTests: LocateTest[] = [
  // Switch depth: Atoi of GOTOOLCHAIN_INTERNAL_SWITCH_COUNT; notices from 90, fatal at 100.
  {
    name: "no count: the child gets 1",
    gotoolchain: "go1.600.0",
    childEnv: {
      GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "1",
      GOTOOLCHAIN_INTERNAL_SWITCH_VERSION: "go1.600.0",
      GOROOT: `${dir("go1.600.0")}`,
    },
    source: "download",
  },
  {
    name: "count 89 is quiet",
    gotoolchain: "go1.600.0",
    environ: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "89" },
    childEnv: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "90" },
    notices: [],
  },
  {
    name: "count 90 prints a notice with the local version",
    gotoolchain: "go1.600.0",
    environ: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "90" },
    childEnv: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "91" },
    notices: ["go: switching from go1.500 to go1.600.0 [depth 90]"],
  },
  {
    name: "count 99 still switches",
    gotoolchain: "go1.600.0",
    environ: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "99" },
    childEnv: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "100" },
    notices: ["go: switching from go1.500 to go1.600.0 [depth 99]"],
  },
  {
    name: "count 100 is fatal after the notice",
    gotoolchain: "go1.600.0",
    environ: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "100" },
    notices: ["go: switching from go1.500 to go1.600.0 [depth 100]"],
    error: "go: too many toolchain switches",
  },
  {
    name: "a garbage count is 0",
    gotoolchain: "go1.600.0",
    environ: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "lots" },
    childEnv: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "1" },
  },
  {
    name: "Atoi accepts a sign",
    gotoolchain: "go1.600.0",
    environ: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "+95" },
    childEnv: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "96" },
    notices: ["go: switching from go1.500 to go1.600.0 [depth 95]"],
  },

  // PATH.
  {
    name: "a toolchain in PATH runs with GOROOT unset",
    gotoolchain: "go1.600.0",
    environ: { PATH: "/a:/b" },
    exes: ["/b/go1.600.0"],
    source: "path",
    exe: "/b/go1.600.0",
    goroot: null,
    childEnv: {
      GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "1",
      GOTOOLCHAIN_INTERNAL_SWITCH_VERSION: "go1.600.0",
      GOROOT: null,
    },
  },
  {
    name: "the first hit in PATH wins",
    gotoolchain: "go1.600.0",
    environ: { PATH: "/a:/b" },
    exes: ["/a/go1.600.0", "/b/go1.600.0"],
    source: "path",
    exe: "/a/go1.600.0",
  },
  {
    name: "a file without execute permission is not a hit",
    gotoolchain: "go1.600.0",
    environ: { PATH: "/a:/b" },
    files: { "/a/go1.600.0": "" },
    exes: ["/b/go1.600.0"],
    exe: "/b/go1.600.0",
  },
  {
    name: "PATH beats the module cache",
    gotoolchain: "go1.600.0",
    environ: { PATH: "/a" },
    files: cached("go1.600.0"),
    exes: ["/a/go1.600.0"],
    source: "path",
  },
  {
    name: "a hit in a relative PATH entry is refused (ErrDot), and later entries are not tried",
    gotoolchain: "go1.600.0",
    environ: { PATH: "bin:/b" },
    exes: ["/src/m/bin/go1.600.0", "/b/go1.600.0"],
    source: "download",
  },
  {
    name: "GOTOOLCHAIN=<name>+path: not in PATH is fatal",
    gotoolchain: "go1.99+path",
    error: `go: cannot find "go1.99" in PATH`,
  },
  {
    name: "GOTOOLCHAIN=path: not in PATH is fatal, even when cached",
    gotoolchain: "path",
    files: { ...cached("go1.700.0"), "/src/m/go.mod": "module m\n\ngo 1.700\n" },
    error: `go: cannot find "go1.700.0" in PATH`,
  },
  {
    name: "GOTOOLCHAIN=<name>+path finds it in PATH",
    gotoolchain: "go1.99+path",
    environ: { PATH: "/a" },
    exes: ["/a/go1.99"],
    source: "path",
    exe: "/a/go1.99",
  },

  // The module cache (modfetch.DownloadDir): the directory, no .partial, a .ziphash.
  {
    name: "a complete toolchain in GOMODCACHE is used with GOROOT set to it",
    gotoolchain: "go1.600.0",
    files: cached("go1.600.0"),
    source: "cache",
    exe: `${dir("go1.600.0")}/bin/go`,
    goroot: dir("go1.600.0"),
    moduleDir: dir("go1.600.0"),
    childEnv: { GOROOT: dir("go1.600.0") },
  },
  {
    name: "a .partial marker means an unfinished extraction: download",
    gotoolchain: "go1.600.0",
    files: { ...cached("go1.600.0"), [`${dl}/v0.0.1-go1.600.0.linux-amd64.partial`]: "" },
    source: "download",
  },
  {
    name: "no .ziphash means not downloaded: download",
    gotoolchain: "go1.600.0",
    files: { [`${dir("go1.600.0")}/bin/go`]: "" },
    source: "download",
  },
  {
    name: "a .ziphash without the directory is not cached",
    gotoolchain: "go1.600.0",
    files: { [`${dl}/v0.0.1-go1.600.0.linux-amd64.ziphash`]: fakeHash },
    source: "download",
  },
  {
    name: "GOMODCACHE is used when set",
    gotoolchain: "go1.600.0",
    environ: { GOMODCACHE: "/mc" },
    files: {
      "/mc/golang.org/toolchain@v0.0.1-go1.600.0.linux-amd64/bin/go": "",
      "/mc/cache/download/golang.org/toolchain/@v/v0.0.1-go1.600.0.linux-amd64.ziphash": fakeHash,
    },
    source: "cache",
    goroot: "/mc/golang.org/toolchain@v0.0.1-go1.600.0.linux-amd64",
  },
  {
    name: "the first GOPATH entry holds the module cache",
    gotoolchain: "go1.600.0",
    environ: { GOPATH: "/gp1:/gp2" },
    source: "download",
    moduleDir: "/gp1/pkg/mod/golang.org/toolchain@v0.0.1-go1.600.0.linux-amd64",
  },

  // The selection is local: nothing to locate.
  {
    name: "the local toolchain",
    gotoolchain: "local",
    source: "local",
    exe: "/goroot/bin/go",
    goroot: "/goroot",
  },
];

function run(tt: LocateTest): Location {
  const fs = new MemFs({
    "/goroot/go.env": "GOTOOLCHAIN=auto\n",
    "/goroot/pkg/tool/": "",
    "/src/m/": "",
    ...tt.files,
  });
  for (const p of tt.exes ?? []) fs.write(p, "#!/bin/sh\n", 0o755);
  const environ: Record<string, string> = {
    GOENV: "off",
    HOME: "/home/u",
    PATH: "/usr/bin",
    GOTOOLCHAIN: tt.gotoolchain,
    // The distpack exception: these tests are about where the toolchain is,
    // not whether the checksum database vouches for it (see below).
    GOPROXY: "file:///proxy",
    GOSUMDB: "off",
    ...tt.environ,
  };
  const env = new GoEnv({ environ, fs, goos: "linux", runtimeGoroot: "/goroot" });
  const local = {
    exe: "/goroot/bin/go",
    goroot: "/goroot",
    toolchain: "go1.500",
    version: "1.500",
    versionFrom: "test",
  };
  const selection = select({ env, cwd: "/src/m", fs, local, tempDir: "/tmp" });
  assert.equal(selection.error, undefined, "select failed");
  return locate({
    selection,
    env,
    fs,
    path: { path: environ.PATH, style: "posix", cwd: "/src/m" },
    goos: "linux",
    goarch: "amd64",
    localGoroot: local.goroot,
    localExe: local.exe,
    localVersion: local.version,
  });
}

Deno.test("locate() follows toolchain.Exec", async (t) => {
  for (const tt of locateTests) {
    await t.step(tt.name, () => {
      const loc = run(tt);
      assert.equal(loc.error, tt.error, "error");
      if (tt.source !== undefined) assert.equal(loc.source, tt.source, "source");
      if (tt.exe !== undefined) assert.equal(loc.exe, tt.exe, "exe");
      if (tt.goroot !== undefined) assert.equal(loc.goroot, tt.goroot, "goroot");
      if (tt.moduleDir !== undefined) assert.equal(loc.moduleDir, tt.moduleDir, "moduleDir");
      for (const [k, v] of Object.entries(tt.childEnv ?? {})) {
        assert.ok(loc.childEnv !== undefined && k in loc.childEnv, `childEnv has no ${k}`);
        assert.equal(loc.childEnv[k], v, `childEnv ${k}`);
      }
      assert.deepEqual(loc.notices, tt.notices ?? [], "notices");
    });
  }
});

Deno.test("locate() fails a language version as Exec does", () => {
  // Exec: a download of go1.22 finds no module, and go1.22 ≥ 1.21 is a
  // language version (gotoolchain_issue66175.txt).
  const loc = run({ name: "", gotoolchain: "go1.22" });
  assert.equal(
    loc.error,
    "go: invalid toolchain: go1.22 is a language version but not a toolchain version (go1.22.x)",
  );
  assert.equal(loc.module, "golang.org/toolchain@v0.0.1-go1.22.linux-amd64");
  assert.ok(loc.trace.find((s) => s.rule === "download")?.detail.includes("language version"));
  const old = run({ name: "", gotoolchain: "go1.20" });
  assert.equal(old.error, undefined);
  assert.equal(old.source, "download");
});

// checkMod before Exec runs a cached toolchain: the .ziphash against the
// checksum database, even with GOSUMDB=off; its cached answer on disk.
Deno.test("locate() verifies a cached toolchain as modfetch.checkMod", async (t) => {
  const v = "v0.0.1-go1.600.0.linux-amd64";
  const mod = `golang.org/toolchain@${v}`;
  const lookup = `${modcache}/cache/download/sumdb/sum.golang.org/lookup/${mod}`;
  const answer = (h: string) =>
    `7\ngolang.org/toolchain ${v} ${h}\ngolang.org/toolchain ${v}/go.mod h1:x=\n\n` +
    "go.sum database tree\n8\nAAAA\n\n— sum.golang.org x\n";
  const other = "h1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=";
  const net = { GOPROXY: "https://proxy.golang.org,direct", GOSUMDB: "sum.golang.org" };
  const table: (LocateTest & { trace?: RegExp })[] = [
    {
      name: "GOSUMDB=off refuses it",
      gotoolchain: "go1.600.0",
      files: cached("go1.600.0"),
      environ: { ...net, GOSUMDB: "off" },
      error: `go: ${mod}: verifying module: checksum database disabled by GOSUMDB=off`,
    },
    {
      name: "GOSUMDB=off with a file:// proxy: not checked",
      gotoolchain: "go1.600.0",
      files: cached("go1.600.0"),
      source: "cache",
      trace: /not checked against the checksum database: GOPROXY=file:\/\/\/proxy/,
    },
    {
      name: "a malformed GOSUMDB",
      gotoolchain: "go1.600.0",
      files: cached("go1.600.0"),
      environ: { ...net, GOSUMDB: "bogus" },
      error: `go: ${mod}: verifying module: invalid GOSUMDB: malformed verifier id`,
    },
    {
      name: "a damaged .ziphash and no zip",
      gotoolchain: "go1.600.0",
      files: { ...cached("go1.600.0"), [`${dl}/${v}.ziphash`]: "h1:x" },
      environ: net,
      error: `go: verifying ${mod}: open ${dl}/${v}.zip: no such file or directory`,
    },
    {
      name: "a .ziphash that is not h1:",
      gotoolchain: "go1.600.0",
      files: { ...cached("go1.600.0"), [`${dl}/${v}.ziphash`]: "h2" + fakeHash.slice(2) },
      environ: net,
      error: `go: verifying ${mod}: unexpected ziphash: "h2${fakeHash.slice(2)}"`,
    },
    {
      name: "no cached answer: the go command asks the database",
      gotoolchain: "go1.600.0",
      files: cached("go1.600.0"),
      environ: net,
      source: "cache",
      trace: /no answer is cached/,
    },
    {
      name: "the cached answer vouches for it",
      gotoolchain: "go1.600.0",
      files: { ...cached("go1.600.0"), [lookup]: answer(fakeHash) },
      environ: net,
      source: "cache",
      trace: /matches the checksum database sum.golang.org answer/,
    },
    {
      name: "the cached answer contradicts it",
      gotoolchain: "go1.600.0",
      files: { ...cached("go1.600.0"), [lookup]: answer(other) },
      environ: net,
      error: `go: ${mod}: verifying module: checksum mismatch\n\tdownloaded: ${fakeHash}\n` +
        `\tsum.golang.org: ${other}` + sumdbMismatch,
    },
  ];
  for (const tt of table) {
    await t.step(tt.name, () => {
      const loc = run(tt);
      assert.equal(loc.error, tt.error);
      if (tt.source !== undefined) assert.equal(loc.source, tt.source);
      if (tt.trace !== undefined) {
        const step = loc.trace.find((s) => s.rule === "checksum");
        assert.match(step?.detail ?? "", tt.trace);
      }
    });
  }
});
