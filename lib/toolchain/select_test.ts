import assert from "node:assert/strict";
import { MemFs } from "../_internal/mem_fs.ts";
import { GoEnv } from "../goenv/mod.ts";
import { type LocalToolchain, localToolchainName } from "./local.ts";
import { select, type Selection } from "./select.ts";

// Cases of cmd/go/internal/toolchain.Select (go1.26) that no Go test pins
// (go-toolchain-selection.md §6 and §11). Go's script tests are ported in
// select_scenarios_test.ts. Rows marked "go1.26.8" were run against the real
// go command (HOME, GOPATH and TMPDIR in a temp dir, GOPROXY=off, GOENV=off
// unless the row says otherwise); the others follow from the code cited.

interface SelectTest {
  name: string;
  /** TESTGO_VERSION: the go command's own version. */
  local?: string;
  /** Over the defaults: GOTOOLCHAIN=auto, GOENV=off, HOME=/home/u. */
  environ?: Record<string, string>;
  /** Over the defaults: $GOROOT (/goroot) with go.env saying GOTOOLCHAIN=auto. */
  files?: Record<string, string>;
  cwd?: string;
  args?: string[];
  /** The toolchain that runs, or that the go command fails to find. */
  toolchain?: string;
  isLocal?: boolean;
  /** The go command's output when it fails, byte for byte. */
  error?: string;
  /** The go.work or go.mod consulted ("" for none). */
  file?: string;
  modulesEnabled?: boolean;
}

const goroot = "/goroot";
const defaultFiles: Record<string, string> = {
  "/goroot/go.env":
    "GOPROXY=https://proxy.golang.org,direct\nGOSUMDB=sum.golang.org\nGOTOOLCHAIN=auto\n",
  "/goroot/pkg/tool/": "",
  "/src/m/": "",
  "/tmp/": "",
};
const defaultEnviron: Record<string, string> = {
  GOTOOLCHAIN: "auto",
  GOENV: "off",
  HOME: "/home/u",
};

const mod = (go: string, toolchain?: string) =>
  `module m\n\ngo ${go}\n` + (toolchain === undefined ? "" : `\ntoolchain ${toolchain}\n`);

const selectTests: SelectTest[] = [
  // GOTOOLCHAIN syntax, and the order of the checks (§11.11): the minimum,
  // then the suffix, then the toolchain line, then the go1 sanity check.
  {
    name: "GOTOOLCHAIN=asdf",
    environ: { GOTOOLCHAIN: "asdf" },
    error: `go: invalid GOTOOLCHAIN "asdf"`,
  },
  {
    name: "an invalid minimum is reported before a bad suffix (go1.26.8)",
    environ: { GOTOOLCHAIN: "bad+foo" },
    error: `go: invalid GOTOOLCHAIN "bad+foo": invalid minimum toolchain "bad"`,
  },
  {
    name: "invalid minimum with +auto",
    environ: { GOTOOLCHAIN: "bad+auto" },
    error: `go: invalid GOTOOLCHAIN "bad+auto": invalid minimum toolchain "bad"`,
  },
  {
    name: "empty minimum (go1.26.8)",
    environ: { GOTOOLCHAIN: "+auto" },
    error: `go: invalid GOTOOLCHAIN "+auto": invalid minimum toolchain ""`,
  },
  {
    name: "unknown suffix (go1.26.8)",
    environ: { GOTOOLCHAIN: "go1.2+foo" },
    error: `go: invalid GOTOOLCHAIN "go1.2+foo": only version suffixes are +auto and +path`,
  },
  {
    name: "unknown suffix after local (go1.26.8)",
    environ: { GOTOOLCHAIN: "local+foo" },
    error: `go: invalid GOTOOLCHAIN "local+foo": only version suffixes are +auto and +path`,
  },
  {
    name: "the cut is at the first + (go1.26.8)",
    environ: { GOTOOLCHAIN: "go1.22+auto+path" },
    error: `go: invalid GOTOOLCHAIN "go1.22+auto+path": only version suffixes are +auto and +path`,
  },
  {
    name: "the suffix is checked before go.mod is read",
    environ: { GOTOOLCHAIN: "go1.2+foo" },
    files: { "/src/m/go.mod": mod("1.21", "local") },
    error: `go: invalid GOTOOLCHAIN "go1.2+foo": only version suffixes are +auto and +path`,
  },
  {
    name: "GOTOOLCHAIN=default is invalid (go1.26.8)",
    environ: { GOTOOLCHAIN: "default" },
    error: `go: invalid GOTOOLCHAIN "default"`,
  },
  {
    name: "go2.0 passes FromToolchain but fails the go1 check (go1.26.8)",
    environ: { GOTOOLCHAIN: "go2.0" },
    error: `go: invalid GOTOOLCHAIN "go2.0"`,
  },
  {
    name: "the toolchain line is checked before the go1 check",
    environ: { GOTOOLCHAIN: "go2.0+auto" },
    files: { "/src/m/go.mod": mod("1.21", "local") },
    error: `go: invalid toolchain "local" in go.mod`,
  },
  {
    name: "toolchain local in go.mod (go1.26.8)",
    files: { "/src/m/go.mod": mod("1.21", "local") },
    error: `go: invalid toolchain "local" in go.mod`,
  },
  {
    name: "a toolchain line needs the go prefix",
    files: { "/src/m/go.mod": mod("1.21", "1.22") },
    error: `go: invalid toolchain "1.22" in go.mod`,
  },
  {
    name: "the file in the error is ShortPath: ../go.mod",
    cwd: "/src/m/sub",
    files: { "/src/m/go.mod": mod("1.21", "local"), "/src/m/sub/": "" },
    error: `go: invalid toolchain "local" in ../go.mod`,
  },
  {
    // Select's own check allows "-go" names, but FromToolchain needs a go prefix.
    name: "a toolchain line gccgo-go1.500.1 is invalid (go1.26.8)",
    files: { "/src/m/go.mod": mod("1.21", "gccgo-go1.500.1") },
    error: `go: invalid toolchain "gccgo-go1.500.1" in go.mod`,
  },

  // Modes.
  {
    name: "GOTOOLCHAIN=local ignores go.mod",
    environ: { GOTOOLCHAIN: "local" },
    files: { "/src/m/go.mod": mod("1.999") },
    toolchain: "go1.500",
    isLocal: true,
  },
  {
    name: "local+auto is auto",
    environ: { GOTOOLCHAIN: "local+auto" },
    files: { "/src/m/go.mod": mod("1.700") },
    toolchain: "go1.700.0",
    isLocal: false,
  },
  {
    name: "local+path is path",
    environ: { GOTOOLCHAIN: "local+path" },
    files: { "/src/m/go.mod": mod("1.700") },
    toolchain: "go1.700.0",
    isLocal: false,
  },
  {
    name: "a name without suffix ignores a newer go line",
    environ: { GOTOOLCHAIN: "go1.600" },
    files: { "/src/m/go.mod": mod("1.700") },
    toolchain: "go1.600",
    isLocal: false,
    file: "",
  },
  {
    name: "GOTOOLCHAIN naming the local toolchain runs it",
    environ: { GOTOOLCHAIN: "go1.500" },
    toolchain: "go1.500",
    isLocal: true,
  },
  {
    name: "go1.500+auto with nothing newer runs the local go1.500",
    environ: { GOTOOLCHAIN: "go1.500+auto" },
    files: { "/src/m/go.mod": mod("1.400") },
    toolchain: "go1.500",
    isLocal: true,
  },

  // The go line and the toolchain line (§6, §11.4-§11.7).
  {
    name: "go 1.21 selects go1.21.0",
    local: "go1.14",
    files: { "/src/m/go.mod": mod("1.21") },
    toolchain: "go1.21.0",
  },
  {
    name: "go 1.20 selects go1.20",
    local: "go1.14",
    files: { "/src/m/go.mod": mod("1.20") },
    toolchain: "go1.20",
  },
  {
    name: "go 1.22rc1 selects go1.22rc1",
    local: "go1.14",
    files: { "/src/m/go.mod": mod("1.22rc1") },
    toolchain: "go1.22rc1",
  },
  {
    name: "go 1.22.3 selects go1.22.3",
    local: "go1.14",
    files: { "/src/m/go.mod": mod("1.22.3") },
    toolchain: "go1.22.3",
  },
  {
    name: "a toolchain line go1.22 is used as is",
    local: "go1.14",
    files: { "/src/m/go.mod": mod("1.14", "go1.22") },
    toolchain: "go1.22",
  },
  {
    name: "a toolchain line equal to the minimum keeps the name go1.500-bigcorp",
    local: "go1.500-bigcorp",
    files: { "/src/m/go.mod": mod("1.499", "go1.500") },
    toolchain: "go1.500-bigcorp",
    isLocal: true,
  },
  {
    name: "a toolchain line equal to a GOTOOLCHAIN minimum keeps the minimum's name",
    local: "go1.400",
    environ: { GOTOOLCHAIN: "go1.500-bigcorp+auto" },
    files: { "/src/m/go.mod": mod("1.499", "go1.500") },
    toolchain: "go1.500-bigcorp",
    isLocal: false,
  },
  {
    name: "the go line is compared with the minimum raised by the toolchain line",
    files: { "/src/m/go.mod": mod("1.550", "go1.600") },
    toolchain: "go1.600",
  },
  {
    name: "toolchain default keeps the GOTOOLCHAIN minimum over a newer go line",
    environ: { GOTOOLCHAIN: "go1.600+auto" },
    files: { "/src/m/go.mod": mod("1.700", "default") },
    toolchain: "go1.600",
  },
  {
    name: "an invalid go line is never newer",
    files: { "/src/m/go.mod": "module m\n\ngo banana\n" },
    toolchain: "go1.500",
    isLocal: true,
  },

  // Which file: go.work over go.mod, GOWORK, GOROOT and TempDir (§5).
  {
    name: "a go.work in a parent beats a go.mod in cwd (go1.26.8)",
    cwd: "/src/m/sub",
    files: { "/src/m/go.work": "go 1.600\n", "/src/m/sub/go.mod": mod("1.700") },
    toolchain: "go1.600.0",
    file: "/src/m/go.work",
  },
  {
    name: "GOWORK=off uses go.mod (go1.26.8)",
    environ: { GOWORK: "off" },
    files: { "/src/m/go.work": "go 1.600\n", "/src/m/go.mod": mod("1.700") },
    toolchain: "go1.700.0",
    file: "/src/m/go.mod",
  },
  {
    name: "a GOWORK naming a missing file falls back to go.mod (go1.26.8)",
    environ: { GOWORK: "/nope/go.work" },
    files: { "/src/m/go.work": "go 1.600\n", "/src/m/go.mod": mod("1.700") },
    toolchain: "go1.700.0",
    file: "/src/m/go.mod",
  },
  {
    name: "GOWORK may name a file anywhere",
    environ: { GOWORK: "/elsewhere/my.work" },
    files: { "/elsewhere/my.work": "go 1.800\n", "/src/m/go.mod": mod("1.700") },
    toolchain: "go1.800.0",
    file: "/elsewhere/my.work",
  },
  {
    name: "a relative GOWORK is fatal, with the go: prefix twice (go1.26.8)",
    environ: { GOWORK: "rel/go.work" },
    error: "go: go: invalid GOWORK: not an absolute path",
  },
  {
    name: "a relative GOWORK with GOTOOLCHAIN=local fails at startup, with one go: (go1.26.8)",
    environ: { GOWORK: "rel/go.work", GOTOOLCHAIN: "local" },
    error: "go: invalid GOWORK: not an absolute path",
  },
  {
    name: "a relative GOWORK does not matter with modules off (go1.26.8)",
    environ: { GOWORK: "rel/go.work", GO111MODULE: "off" },
    toolchain: "go1.500",
    isLocal: true,
  },
  {
    name: "the go.work search does not cross GOROOT (go1.26.8)",
    environ: { GOROOT: goroot },
    cwd: "/goroot/src/x",
    files: { "/goroot/go.work": "go 1.600\n", "/goroot/src/x/": "" },
    toolchain: "go1.500",
    isLocal: true,
    file: "",
  },
  {
    name: "a go.work in GOROOT itself is found from GOROOT (go1.26.8)",
    environ: { GOROOT: goroot },
    cwd: "/goroot",
    files: { "/goroot/go.work": "go 1.600\n" },
    toolchain: "go1.600.0",
    file: "/goroot/go.work",
  },
  {
    name: "a go.work above GOROOT is not found from inside it (go1.26.8)",
    environ: { GOROOT: goroot },
    cwd: "/goroot/src",
    files: { "/go.work": "go 1.600\n" },
    toolchain: "go1.500",
    isLocal: true,
  },
  {
    name: "a go.mod directly in TempDir is ignored and the search stops (go1.26.8)",
    cwd: "/tmp/x",
    files: { "/tmp/go.mod": mod("1.700"), "/go.mod": mod("1.800"), "/tmp/x/": "" },
    toolchain: "go1.500",
    isLocal: true,
    file: "",
  },
  {
    name: "a directory named go.mod is not a go.mod",
    cwd: "/src/m",
    files: { "/src/m/go.mod/": "", "/src/go.mod": mod("1.700") },
    toolchain: "go1.700.0",
    file: "/src/go.mod",
  },

  // Where GOTOOLCHAIN comes from (§4).
  {
    name: "an empty GOTOOLCHAIN in the environment counts as unset: go.env says auto (go1.26.8)",
    environ: { GOTOOLCHAIN: "" },
    files: { "/src/m/go.mod": mod("1.700") },
    toolchain: "go1.700.0",
  },
  {
    name: "an empty GOTOOLCHAIN in the user go/env file masks go.env (go1.26.8)",
    environ: { GOTOOLCHAIN: "", GOENV: "" },
    files: { "/home/u/.config/go/env": "GOTOOLCHAIN=\n", "/src/m/go.mod": mod("1.700") },
    toolchain: "go1.500",
    isLocal: true,
  },
  {
    name: "the user go/env file beats go.env",
    environ: { GOTOOLCHAIN: "", GOENV: "" },
    files: { "/home/u/.config/go/env": "GOTOOLCHAIN=go1.600\n", "/src/m/go.mod": mod("1.700") },
    toolchain: "go1.600",
  },
  {
    name: "the environment beats the user go/env file",
    environ: { GOTOOLCHAIN: "local", GOENV: "" },
    files: { "/home/u/.config/go/env": "GOTOOLCHAIN=go1.600\n", "/src/m/go.mod": mod("1.700") },
    toolchain: "go1.500",
    isLocal: true,
  },
  {
    name: "no GOTOOLCHAIN anywhere: the local go runs",
    environ: { GOTOOLCHAIN: "" },
    files: {
      "/goroot/go.env": "GOPROXY=https://proxy.golang.org,direct\n",
      "/src/m/go.mod": mod("1.700"),
    },
    toolchain: "go1.500",
    isLocal: true,
  },

  // The go env command lines handled locally (§11.15; all go1.26.8).
  ...[
    ["env", "GOTOOLCHAIN"],
    ["env", "-w", "GOTOOLCHAIN=x"],
    ["env", "-w", "GOTOOLCHAIN="],
    ["env", "GOMOD"],
    ["env", "GOWORK"],
  ].map((args): SelectTest => ({
    name: `go ${args.join(" ")} is handled locally`,
    environ: { GOTOOLCHAIN: "asdf" },
    args,
    toolchain: "go1.500",
    isLocal: true,
  })),
  ...[
    ["env", "-json", "GOTOOLCHAIN"],
    ["env", "GOTOOLCHAIN", "GOMOD"],
    ["env", "-u", "GOTOOLCHAIN"],
    ["env", "gotoolchain"],
    ["env", "-w", "GOTOOLCHAIN=x", "extra"],
    ["env", "GOTOOLCHAIN=x"],
    ["env", "-json", "GOMOD"],
  ].map((args): SelectTest => ({
    name: `go ${args.join(" ")} is not special`,
    environ: { GOTOOLCHAIN: "asdf" },
    args,
    error: `go: invalid GOTOOLCHAIN "asdf"`,
  })),

  // Module mode (§5.1, go1.26).
  {
    name: "GO111MODULE=off never switches",
    environ: { GO111MODULE: "off" },
    files: { "/src/m/go.mod": mod("1.700") },
    toolchain: "go1.500",
    isLocal: true,
    modulesEnabled: false,
  },
  {
    name: "GO111MODULE=auto with a go.mod switches",
    environ: { GO111MODULE: "auto" },
    files: { "/src/m/go.mod": mod("1.700") },
    toolchain: "go1.700.0",
    modulesEnabled: true,
  },
  {
    name: "GO111MODULE=auto with only a go.work leaves modules off (go1.26; master counts go.work)",
    environ: { GO111MODULE: "auto" },
    files: { "/src/m/go.work": "go 1.700\n" },
    toolchain: "go1.500",
    isLocal: true,
    modulesEnabled: false,
  },
  {
    name: "an unknown GO111MODULE is off",
    environ: { GO111MODULE: "yes" },
    files: { "/src/m/go.mod": mod("1.700") },
    toolchain: "go1.500",
    isLocal: true,
    modulesEnabled: false,
  },

  // A go command started by a switch (§6, §7.1).
  {
    name: "a switched-to go that is not the target fails",
    local: "go1.21.1",
    environ: { GOTOOLCHAIN_INTERNAL_SWITCH_VERSION: "go1.21.99" },
    files: { "/src/m/go.mod": mod("1.21.99") },
    error: "go: toolchain go1.21.1 invoked to provide go1.21.99",
  },
  {
    name: "a switched-to go that is the target runs, whatever go.mod says",
    local: "go1.21.1",
    environ: { GOTOOLCHAIN_INTERNAL_SWITCH_VERSION: "go1.21.1" },
    files: { "/src/m/go.mod": mod("1.30") },
    toolchain: "go1.21.1",
    isLocal: true,
  },
  {
    name: "the target check comes after the go.mod checks",
    local: "go1.21.1",
    environ: { GOTOOLCHAIN_INTERNAL_SWITCH_VERSION: "go1.21.1" },
    files: { "/src/m/go.mod": mod("1.30", "local") },
    error: `go: invalid toolchain "local" in go.mod`,
  },
];

function localOf(runtimeVersion: string): LocalToolchain {
  const tv = localToolchainName(runtimeVersion);
  if (tv === undefined) throw new Error(`bad local version ${runtimeVersion}`);
  return { exe: "/goroot/bin/go", goroot, ...tv, versionFrom: "test" };
}

function run(tt: SelectTest): Selection {
  const fs = new MemFs({ ...defaultFiles, ...tt.files });
  const environ = { ...defaultEnviron, ...tt.environ };
  const env = new GoEnv({ environ, fs, goos: "linux", runtimeGoroot: goroot });
  return select({
    env,
    cwd: tt.cwd ?? "/src/m",
    fs,
    local: localOf(tt.local ?? "go1.500"),
    args: tt.args ?? ["version"],
    tempDir: "/tmp",
  });
}

Deno.test("select() follows toolchain.Select where Go has no test", async (t) => {
  for (const tt of selectTests) {
    await t.step(tt.name, () => {
      const s = run(tt);
      assert.equal(s.error, tt.error, "error");
      if (tt.toolchain !== undefined) assert.equal(s.toolchain, tt.toolchain, "toolchain");
      if (tt.isLocal !== undefined) assert.equal(s.isLocal, tt.isLocal, "isLocal");
      if (tt.file !== undefined) assert.equal(s.file?.path ?? "", tt.file, "file");
      if (tt.modulesEnabled !== undefined) {
        assert.equal(s.modulesEnabled, tt.modulesEnabled, "modulesEnabled");
      }
    });
  }
});
