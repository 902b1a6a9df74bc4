import assert from "node:assert/strict";
import { MemFs } from "../_internal/mem_fs.ts";
import { GoEnv } from "../goenv/mod.ts";
import { locate, type Location } from "./locate.ts";
import { select } from "./select.ts";

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
const cached = (name: string) => ({
  [`${dir(name)}/bin/go`]: "",
  [`${dl}/v0.0.1-${name}.linux-amd64.ziphash`]: "h1:x\n",
});

const locateTests: LocateTest[] = [
  // Switch depth: Atoi of GOTOOLCHAIN_INTERNAL_SWITCH_COUNT; notices from 90, fatal at 100.
  {
    name: "no count: the child gets 1",
    gotoolchain: "go1.600",
    childEnv: {
      GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "1",
      GOTOOLCHAIN_INTERNAL_SWITCH_VERSION: "go1.600",
      GOROOT: `${dir("go1.600")}`,
    },
    source: "download",
  },
  {
    name: "count 89 is quiet",
    gotoolchain: "go1.600",
    environ: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "89" },
    childEnv: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "90" },
    notices: [],
  },
  {
    name: "count 90 prints a notice with the local version",
    gotoolchain: "go1.600",
    environ: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "90" },
    childEnv: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "91" },
    notices: ["go: switching from go1.500 to go1.600 [depth 90]"],
  },
  {
    name: "count 99 still switches",
    gotoolchain: "go1.600",
    environ: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "99" },
    childEnv: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "100" },
    notices: ["go: switching from go1.500 to go1.600 [depth 99]"],
  },
  {
    name: "count 100 is fatal after the notice",
    gotoolchain: "go1.600",
    environ: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "100" },
    notices: ["go: switching from go1.500 to go1.600 [depth 100]"],
    error: "go: too many toolchain switches",
  },
  {
    name: "a garbage count is 0",
    gotoolchain: "go1.600",
    environ: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "lots" },
    childEnv: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "1" },
  },
  {
    name: "Atoi accepts a sign",
    gotoolchain: "go1.600",
    environ: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "+95" },
    childEnv: { GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "96" },
    notices: ["go: switching from go1.500 to go1.600 [depth 95]"],
  },

  // PATH.
  {
    name: "a toolchain in PATH runs with GOROOT unset",
    gotoolchain: "go1.600",
    environ: { PATH: "/a:/b" },
    exes: ["/b/go1.600"],
    source: "path",
    exe: "/b/go1.600",
    goroot: null,
    childEnv: {
      GOTOOLCHAIN_INTERNAL_SWITCH_COUNT: "1",
      GOTOOLCHAIN_INTERNAL_SWITCH_VERSION: "go1.600",
      GOROOT: null,
    },
  },
  {
    name: "the first hit in PATH wins",
    gotoolchain: "go1.600",
    environ: { PATH: "/a:/b" },
    exes: ["/a/go1.600", "/b/go1.600"],
    source: "path",
    exe: "/a/go1.600",
  },
  {
    name: "a file without execute permission is not a hit",
    gotoolchain: "go1.600",
    environ: { PATH: "/a:/b" },
    files: { "/a/go1.600": "" },
    exes: ["/b/go1.600"],
    exe: "/b/go1.600",
  },
  {
    name: "PATH beats the module cache",
    gotoolchain: "go1.600",
    environ: { PATH: "/a" },
    files: cached("go1.600"),
    exes: ["/a/go1.600"],
    source: "path",
  },
  {
    name: "a hit in a relative PATH entry is refused (ErrDot), and later entries are not tried",
    gotoolchain: "go1.600",
    environ: { PATH: "bin:/b" },
    exes: ["/src/m/bin/go1.600", "/b/go1.600"],
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
    gotoolchain: "go1.600",
    files: cached("go1.600"),
    source: "cache",
    exe: `${dir("go1.600")}/bin/go`,
    goroot: dir("go1.600"),
    moduleDir: dir("go1.600"),
    childEnv: { GOROOT: dir("go1.600") },
  },
  {
    name: "a .partial marker means an unfinished extraction: download",
    gotoolchain: "go1.600",
    files: { ...cached("go1.600"), [`${dl}/v0.0.1-go1.600.linux-amd64.partial`]: "" },
    source: "download",
  },
  {
    name: "no .ziphash means not downloaded: download",
    gotoolchain: "go1.600",
    files: { [`${dir("go1.600")}/bin/go`]: "" },
    source: "download",
  },
  {
    name: "a .ziphash without the directory is not cached",
    gotoolchain: "go1.600",
    files: { [`${dl}/v0.0.1-go1.600.linux-amd64.ziphash`]: "h1:x\n" },
    source: "download",
  },
  {
    name: "GOMODCACHE is used when set",
    gotoolchain: "go1.600",
    environ: { GOMODCACHE: "/mc" },
    files: {
      "/mc/golang.org/toolchain@v0.0.1-go1.600.linux-amd64/bin/go": "",
      "/mc/cache/download/golang.org/toolchain/@v/v0.0.1-go1.600.linux-amd64.ziphash": "",
    },
    source: "cache",
    goroot: "/mc/golang.org/toolchain@v0.0.1-go1.600.linux-amd64",
  },
  {
    name: "the first GOPATH entry holds the module cache",
    gotoolchain: "go1.600",
    environ: { GOPATH: "/gp1:/gp2" },
    source: "download",
    moduleDir: "/gp1/pkg/mod/golang.org/toolchain@v0.0.1-go1.600.linux-amd64",
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

Deno.test("locate() names the language-version failure of a download", () => {
  // Exec: a download of go1.22 finds no module, and go1.22 ≥ 1.21 is a
  // language version (gotoolchain_issue66175.txt).
  const loc = run({ name: "", gotoolchain: "go1.22" });
  assert.equal(loc.source, "download");
  assert.equal(loc.module, "golang.org/toolchain@v0.0.1-go1.22.linux-amd64");
  const step = loc.trace.find((s) => s.rule === "download");
  assert.ok(
    step?.detail.includes(
      "invalid toolchain: go1.22 is a language version but not a toolchain version (go1.22.x)",
    ),
  );
  const old = run({ name: "", gotoolchain: "go1.20" });
  assert.ok(!old.trace.find((s) => s.rule === "download")?.detail.includes("language version"));
});
