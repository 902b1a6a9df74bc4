/**
 * Fixed scenarios ported from Go's own script tests (go1.26.8, src/cmd/go/testdata/script/):
 * gotoolchain_local.txt, gotoolchain_path.txt and gotoolchain_godebug_trace.txt.
 *
 * Those scripts fake the local version with TESTGO_VERSION and fake switching with
 * TESTGO_VERSION_SWITCH=switch, which a released go ignores. Each step is translated to real
 * versions around the reference go (go1.26.8), keeping the relation between the versions
 * (older, equal, newer, same language, -suffix names). Where the script's switch hook "runs" a
 * toolchain, the translation either observes the download attempt (GOPROXY=off makes it fail
 * with "toolchain not available", which names the selected toolchain) or puts a fake toolchain
 * executable on PATH that prints its own name. Steps that need a module proxy (`go install
 * m@v`, `go run m@v`) or a build are skipped with a comment.
 *
 * The `want` of each scenario is checked against the real go command first (this validates the
 * translation), then gtc is compared with what the real go command did.
 *
 * @module
 */

import { type Expectation, fakeGoScript, type FileSpec, type Scenario } from "./scenarios.ts";

const LOCAL = "go1.26.8";

interface Step {
  line: number;
  gotoolchain?: string;
  /** go.mod text in the working directory */
  mod?: string;
  /** go.work text in the working directory */
  work?: string;
  /** names of fake toolchains on PATH ($ROOT/bin, before $GOBIN) */
  fakes?: string[];
  want: Expectation;
  godebug?: string;
  /** distinguishes added variants of one script step */
  variant?: string;
  note: string;
}

/** modText returns what `go mod init m; go mod edit -go=… -toolchain=…` writes. */
function modText(goVers: string, toolchain?: string): string {
  return `module m\n\ngo ${goVers}\n` + (toolchain ? `\ntoolchain ${toolchain}\n` : "");
}

/** workText returns what `go work init; go work edit -go=… -toolchain=…` writes. */
function workText(goVers: string, toolchain?: string): string {
  return `go ${goVers}\n` + (toolchain ? `\ntoolchain ${toolchain}\n` : "") + "\nuse .\n";
}

function toScenario(script: string, s: Step): Scenario {
  const files: FileSpec[] = [
    { path: "home", dir: true },
    { path: "gopath", dir: true },
    { path: "bin", dir: true },
    { path: "w", dir: true },
  ];
  if (s.mod !== undefined) files.push({ path: "w/go.mod", content: s.mod });
  if (s.work !== undefined) files.push({ path: "w/go.work", content: s.work });
  for (const name of s.fakes ?? []) {
    files.push({ path: `bin/${name}`, content: fakeGoScript(name), mode: 0o755 });
  }
  const env: Record<string, string> = {
    PATH: "$ROOT/bin:$GOBIN",
    HOME: "$ROOT/home",
    GOPATH: "$ROOT/gopath",
    GOPROXY: "off",
  };
  if (s.gotoolchain !== undefined) env.GOTOOLCHAIN = s.gotoolchain;
  if (s.godebug !== undefined) env.GODEBUG = s.godebug;
  return {
    name: `${script}:${s.line}${s.variant ?? ""}`,
    files,
    cwd: "w",
    env,
    args: ["version"],
    want: s.want,
    note: s.note,
  };
}

const local: Expectation = { kind: "local", toolchain: LOCAL };
const dl = (toolchain: string): Expectation => ({ kind: "download", toolchain });
const path = (toolchain: string): Expectation => ({ kind: "path", toolchain });

/**
 * gotoolchain_local.txt. Translation: local go1.500 → go1.26.8; 1.400 → 1.25.0; 1.300 → 1.24.0;
 * 1.600 → 1.27.0; 1.700 → 1.28.1; 1.800 → 1.29.0; 1.777 → 1.28.5; 1.999 → 1.30.1.
 * A version spelled like a language version in the script ("go1.600") is given a patch, since
 * a real "go1.27" cannot be downloaded (see gotoolchain_issue66175.txt).
 */
function gotoolchainLocal(): Step[] {
  const mod = modText;
  return [
    { line: 8, gotoolchain: "auto", want: local, note: "auto without go.mod runs local" },
    { line: 13, gotoolchain: "path", want: local, note: "path without go.mod runs local" },
    {
      line: 18,
      gotoolchain: "asdf",
      want: { kind: "error", error: 'go: invalid GOTOOLCHAIN "asdf"' },
      note: "GOTOOLCHAIN=asdf is a syntax error",
    },
    { line: 23, gotoolchain: "go1.27.0", want: dl("go1.27.0"), note: "version used directly" },
    { line: 27, gotoolchain: "go1.25.0", want: dl("go1.25.0"), note: "older version too" },
    { line: 32, gotoolchain: "go1.27.0+auto", want: dl("go1.27.0"), note: "version+auto minimum" },
    { line: 36, gotoolchain: "go1.25.0+auto", want: dl("go1.25.0"), note: "min below local" },
    {
      line: 41,
      gotoolchain: "go1.27.0+path",
      fakes: ["go1.27.0"],
      want: path("go1.27.0"),
      note: "version+path minimum (fake in PATH instead of the switch hook)",
    },
    {
      line: 45,
      gotoolchain: "go1.25.0+path",
      fakes: ["go1.25.0"],
      want: path("go1.25.0"),
      note: "version+path minimum below local",
    },
    {
      line: 45,
      gotoolchain: "go1.25.0+path",
      want: { kind: "error", toolchain: "go1.25.0", error: 'go: cannot find "go1.25.0" in PATH' },
      variant: "-nopath",
      note: "(added) version+path minimum with nothing in PATH",
    },
    // GOTOOLCHAIN=auto with a go.mod.
    {
      line: 54,
      gotoolchain: "auto",
      mod: mod("1.28.1"),
      want: dl("go1.28.1"),
      note: "go line newer",
    },
    { line: 58, gotoolchain: "auto", mod: mod("1.24.0"), want: local, note: "local is newer" },
    {
      line: 62,
      gotoolchain: "auto",
      mod: mod("1.28.1", "go1.24.0"),
      want: dl("go1.28.1"),
      note: "toolchain too old, ignored",
    },
    { line: 66, gotoolchain: "auto", mod: mod("1.24.0", "default"), want: local, note: "default" },
    {
      line: 70,
      gotoolchain: "auto",
      mod: mod("1.28.1", "default"),
      want: local,
      note: "toolchain default wins over a newer go line (the go build step is skipped)",
    },
    // GOTOOLCHAIN=path does the same.
    {
      line: 77,
      gotoolchain: "path",
      mod: mod("1.28.1"),
      fakes: ["go1.28.1"],
      want: path("go1.28.1"),
      note: "path: go line newer",
    },
    {
      line: 77,
      gotoolchain: "path",
      mod: mod("1.28.1"),
      want: { kind: "error", toolchain: "go1.28.1", error: 'go: cannot find "go1.28.1" in PATH' },
      variant: "-nopath",
      note: "(added) path: go line newer, nothing in PATH",
    },
    { line: 81, gotoolchain: "path", mod: mod("1.24.0"), want: local, note: "path: local newer" },
    {
      line: 85,
      gotoolchain: "path",
      mod: mod("1.28.1", "go1.24.0"),
      fakes: ["go1.28.1", "go1.24.0"],
      want: path("go1.28.1"),
      note: "path: toolchain too old, ignored",
    },
    { line: 89, gotoolchain: "path", mod: mod("1.24.0", "default"), want: local, note: "default" },
    {
      line: 93,
      gotoolchain: "path",
      mod: mod("1.28.1", "default"),
      fakes: ["go1.28.1"],
      want: local,
      note: "path: toolchain default applies even if older than go line",
    },
    // GOTOOLCHAIN=min+auto with toolchain default uses min, not local.
    {
      line: 101,
      gotoolchain: "go1.25.0+auto",
      mod: mod("1.24.0", "default"),
      want: dl("go1.25.0"),
      note: "min+auto with toolchain default uses min (older than local)",
    },
    {
      line: 106,
      gotoolchain: "go1.27.0+auto",
      mod: mod("1.24.0", "default"),
      want: dl("go1.27.0"),
      note: "min+auto with toolchain default uses min (newer than local)",
    },
    // GOTOOLCHAIN names can have -suffix.
    {
      line: 111,
      gotoolchain: "go1.29.0-bigcorp",
      mod: mod("1.24.0", "default"),
      want: dl("go1.29.0-bigcorp"),
      note: "-suffix name used directly",
    },
    {
      line: 116,
      gotoolchain: "auto",
      mod: mod("1.30.1", "go1.29.0-bigcorp"),
      want: dl("go1.30.1"),
      note: "go line newer than a -suffix toolchain line",
    },
    {
      line: 120,
      gotoolchain: "auto",
      mod: mod("1.28.5", "go1.29.0-bigcorp"),
      fakes: ["go1.29.0-bigcorp"],
      want: path("go1.29.0-bigcorp"),
      note: "-suffix toolchain line newer than go line",
    },
    // go.work takes priority over go.mod.
    {
      line: 125,
      gotoolchain: "auto",
      mod: mod("1.28.1", "go1.30.1-wrong"),
      work: workText("1.25.0", "go1.27.0-right"),
      fakes: ["go1.27.0-right", "go1.30.1-wrong"],
      want: path("go1.27.0-right"),
      note: "go.work beats go.mod",
    },
    {
      line: 131,
      gotoolchain: "auto",
      mod: mod("1.28.1", "go1.30.1-wrong"),
      work: workText("1.25.0", "default"),
      want: local,
      note: "go.work toolchain default",
    },
    {
      line: 137,
      gotoolchain: "auto",
      mod: mod("1.28.1", "go1.30.1-wrong"),
      work: workText("1.27.0", "default"),
      want: local,
      note: "go.work go newer with toolchain default",
    },
    {
      line: 141,
      gotoolchain: "auto",
      mod: mod("1.28.1", "go1.30.1-wrong"),
      work: workText("1.27.0"),
      want: dl("go1.27.0"),
      note: "go.work without toolchain line",
    },
    // go.mod misconfiguration does not break go mod edit (rm go.work).
    { line: 148, gotoolchain: "auto", mod: mod("1.27.0", "default"), want: local, note: "" },
    { line: 152, gotoolchain: "auto", mod: mod("1.27.0"), want: dl("go1.27.0"), note: "" },
    // Custom local versions (TESTGO_VERSION=go1.500-bigcorp) cannot be faked with a release go;
    // the same rule (an equal version keeps the current name) is exercised with the minimum
    // GOTOOLCHAIN=go1.27.0-bigcorp+auto. Translation: 1.499 → 1.26.9, 1.500 → 1.27.0,
    // 1.501 → 1.27.1.
    ...[
      { line: 158, mod: mod("1.26.9"), want: path("go1.27.0-bigcorp") },
      { line: 162, mod: mod("1.26.9", "go1.26.9"), want: path("go1.27.0-bigcorp") },
      { line: 166, mod: mod("1.27.0"), want: path("go1.27.0-bigcorp") },
      { line: 170, mod: mod("1.27.0", "go1.27.0"), want: path("go1.27.0-bigcorp") },
      { line: 174, mod: mod("1.27.1"), want: path("go1.27.1") },
      { line: 179, mod: mod("1.26.9", "go1.27.1"), want: path("go1.27.1") },
    ].map((s) => ({
      ...s,
      gotoolchain: "go1.27.0-bigcorp+auto",
      fakes: ["go1.27.0-bigcorp", "go1.27.0", "go1.27.1"],
      note: "custom minimum name kept when versions are equal",
    })),
    ...[
      { line: 184, mod: mod("1.26.9"), want: path("go1.27.0 (bigcorp)") },
      { line: 188, mod: mod("1.27.0"), want: path("go1.27.0 (bigcorp)") },
      { line: 192, mod: mod("1.27.1"), want: path("go1.27.1") },
    ].map((s) => ({
      ...s,
      gotoolchain: "go1.27.0 (bigcorp)+auto",
      fakes: ["go1.27.0 (bigcorp)", "go1.27.0", "go1.27.1"],
      note: "minimum name with a space kept when versions are equal",
    })),
    // Lines 198–278 test `go install m@v` / `go run m@v` against the script test's module proxy
    // (rsc.io/fortune): skipped, they need a proxy serving golang.org/toolchain and rsc.io.
  ];
}

/** gotoolchain_path.txt. Translation: local go1.21pre3 → go1.26.8; go1.50.0 stays. */
function gotoolchainPath(): Step[] {
  const fakes = ["go1.50.0"];
  return [
    {
      line: 16,
      gotoolchain: "",
      fakes,
      want: local,
      note: "GOTOOLCHAIN= falls back to $GOROOT/go.env (here: local)",
    },
    { line: 20, gotoolchain: "go1.50.0", fakes, want: path("go1.50.0"), note: "GOTOOLCHAIN name" },
    {
      line: 29,
      gotoolchain: "path",
      mod: modText("1.26.8", "go1.50.0"),
      fakes,
      want: path("go1.50.0"),
      note: "path with toolchain line",
    },
    {
      line: 37,
      gotoolchain: "path",
      mod: modText("1.50.0"),
      fakes,
      want: path("go1.50.0"),
      note: "path with go line",
    },
    {
      line: 45,
      gotoolchain: "auto",
      mod: modText("1.21", "go1.50.0"),
      fakes,
      want: path("go1.50.0"),
      note: "auto with toolchain line",
    },
    {
      line: 53,
      gotoolchain: "auto",
      mod: modText("1.50.0"),
      fakes,
      want: path("go1.50.0"),
      note: "auto with go line",
    },
    // Line 57 (`go run rsc.io/fortune@v0.0.1` finding go1.50.0 via NewerToolchain) needs a
    // module proxy: skipped.
  ];
}

/**
 * gotoolchain_godebug_trace.txt, with GODEBUG=toolchaintrace=1. Translation: local go1.21.0 →
 * go1.26.8; 1.21.1 → 1.26.9; 1.21.2 → 1.26.10; 1.22 → 1.27 (so go1.27.0); 1.22.0 → 1.27.0.
 */
function gotoolchainGodebugTrace(): Step[] {
  const godebug = "toolchaintrace=1";
  return [
    {
      line: 9,
      gotoolchain: "auto",
      mod: modText("1.26.9"),
      want: dl("go1.26.9"),
      note: "go line newer than local",
    },
    {
      line: 18,
      gotoolchain: "auto",
      mod: modText("1.26.9", "go1.26.10"),
      want: dl("go1.26.10"),
      note: "toolchain line newer than go line",
    },
    {
      line: 27,
      gotoolchain: "auto",
      mod: modText("1.27", "go1.26.10"),
      want: dl("go1.27.0"),
      note: "go line newer than local and toolchain line",
    },
    {
      line: 37,
      gotoolchain: "auto",
      mod: modText("1.26.8", "go1.26.8"),
      want: local,
      note: "no switch",
    },
    {
      line: 46,
      gotoolchain: "go1.26.8+auto",
      mod: modText("1.27", "go1.26.10"),
      want: dl("go1.27.0"),
      note: "GOTOOLCHAIN+auto older than go line and toolchain line",
    },
    {
      line: 57,
      gotoolchain: "go1.26.9",
      mod: modText("1.27", "go1.26.10"),
      want: dl("go1.26.9"),
      note: "GOTOOLCHAIN older than go line and toolchain line is used as is",
    },
    {
      line: 68,
      gotoolchain: "go1.27.0+auto",
      mod: modText("1.26.9", "go1.26.10"),
      want: dl("go1.27.0"),
      note: "GOTOOLCHAIN+auto newer than go line and toolchain line",
    },
    {
      line: 77,
      gotoolchain: "local",
      mod: modText("1.26.9", "go1.26.10"),
      want: local,
      note: "GOTOOLCHAIN=local",
    },
    {
      line: 93,
      gotoolchain: "auto",
      mod: modText("1.27.0"),
      fakes: ["go1.27.0"],
      want: path("go1.27.0"),
      note: "toolchain found in PATH",
    },
  ].map((s) => ({ ...s, godebug }));
}

/**
 * Not from a script: the disagreements issue 12 found (points 2 and 3). Lines number the cases.
 * - A UTF-8 byte-order mark before the first directive: GoModLookup reads bytes, so
 *   "\ufeffgo 1.28.1" is no go line and the local toolchain runs (go.work too); a later
 *   toolchain line still counts.
 * - GOTOOLCHAIN=go1.22, a language version (go ≥ 1.21): no such release, the go command fails.
 */
function issue12(): Step[] {
  const bom = "\ufeff";
  return [
    {
      line: 1,
      gotoolchain: "auto",
      mod: `${bom}go 1.28.1\n\nmodule m\n`,
      want: local,
      note: "BOM before the go line of go.mod: no go line",
    },
    {
      line: 2,
      gotoolchain: "auto",
      mod: `${bom}module m\n\ngo 1.28.1\n`,
      want: dl("go1.28.1"),
      note: "BOM before the module line: the go line counts",
    },
    {
      line: 3,
      gotoolchain: "auto",
      mod: modText("1.22"),
      work: `${bom}go 1.28.1\n\nuse .\n`,
      want: local,
      note: "BOM before the go line of go.work",
    },
    {
      line: 4,
      gotoolchain: "auto",
      mod: `${bom}go 1.26.8\ntoolchain go1.28.5\n`,
      want: dl("go1.28.5"),
      note: "BOM hides the go line, not the toolchain line",
    },
    {
      line: 5,
      gotoolchain: "go1.22",
      want: { kind: "download", toolchain: "go1.22" },
      note: "GOTOOLCHAIN is a language version: invalid toolchain",
    },
    {
      line: 6,
      gotoolchain: "go1.27",
      mod: modText("1.22"),
      want: { kind: "download", toolchain: "go1.27" },
      note: "GOTOOLCHAIN is a newer language version: invalid toolchain",
    },
    {
      line: 7,
      gotoolchain: "auto",
      mod: modText("1.22", "go1.28"),
      want: { kind: "download", toolchain: "go1.28" },
      note: "toolchain line is a language version: invalid toolchain",
    },
  ];
}

/** portedScenarios returns all the fixed scenarios. */
export function portedScenarios(): Scenario[] {
  return [
    ...gotoolchainLocal().map((s) => toScenario("gotoolchain_local", s)),
    ...gotoolchainPath().map((s) => toScenario("gotoolchain_path", s)),
    ...gotoolchainGodebugTrace().map((s) => toScenario("gotoolchain_godebug_trace", s)),
    ...issue12().map((s) => toScenario("issue12", s)),
  ];
}
