import assert from "node:assert/strict";
import { describe, rebuildPlan } from "./mod.ts";
import type { BuildInfo } from "../buildinfo/mod.ts";

const bi = (goVersion: string, main: string, version: string, settings = {}): BuildInfo => ({
  GoVersion: goVersion,
  Path: main === "" ? "cmd/x" : `${main}/cmd/x`,
  Main: { Path: main, Version: version, Sum: "" },
  Deps: [],
  Settings: Object.entries(settings).map(([Key, Value]) => ({ Key, Value: String(Value) })),
});

const cases: {
  name: string;
  info: BuildInfo;
  flags: string[];
  install: string | null;
  noInstall?: RegExp;
}[] = [
  {
    name: "current",
    info: bi("go1.26.8", "x.org/m", "v1.2.3"),
    flags: [],
    install: "x.org/m/cmd/x@v1.2.3",
  },
  {
    name: "older and gone",
    info: bi("go1.21.0", "x.org/m", "v1.2.3"),
    flags: ["older", "not-installed"],
    install: "x.org/m/cmd/x@v1.2.3",
  },
  {
    name: "older, installed",
    info: bi("go1.25.1", "x.org/m", "v1.0.0"),
    flags: ["older"],
    install: "x.org/m/cmd/x@v1.0.0",
  },
  {
    name: "experiment suffix",
    info: bi("go1.26.8 X:nocoverageredesign", "x.org/m", "v1.0.0"),
    flags: [],
    install: "x.org/m/cmd/x@v1.0.0",
  },
  {
    name: "newer, not installed",
    info: bi("go1.27.0", "x.org/m", "v1.0.0"),
    flags: ["not-installed"],
    install: "x.org/m/cmd/x@v1.0.0",
  },
  {
    name: "devel toolchain",
    info: bi("devel go1.27-abc", "x.org/m", "v1.0.0"),
    flags: [],
    install: "x.org/m/cmd/x@v1.0.0",
  },
  {
    name: "local checkout",
    info: bi("go1.26.8", "x.org/m", "(devel)"),
    flags: [],
    install: null,
    noInstall: /local checkout \(\(devel\)\)/,
  },
  {
    name: "GOPATH mode",
    info: bi("go1.26.8", "", ""),
    flags: [],
    install: null,
    noInstall: /outside module mode/,
  },
];

for (const c of cases) {
  Deno.test(`tools.describe: ${c.name}`, () => {
    const t = describe("x", "/b/x", c.info, "1.26.8", new Set(["1.26.8", "1.25.1"]));
    assert.deepEqual(t.flags, c.flags);
    assert.equal(t.install, c.install);
    if (c.noInstall) assert.match(t.noInstall ?? "", c.noInstall);
  });
}

Deno.test("tools.rebuildPlan: flagged by default, named ones on request, cross targets kept", () => {
  const installed = new Set(["1.26.8"]);
  const host = { goos: "linux", goarch: "amd64" };
  const tools = [
    describe("a", "/b/a", bi("go1.20.0", "x.org/a", "v1.0.0"), "1.26.8", installed),
    describe("b", "/b/b", bi("go1.26.8", "x.org/b", "v1.0.0"), "1.26.8", installed),
    describe("c", "/b/c", bi("go1.20.0", "x.org/c", "(devel)"), "1.26.8", installed),
    describe(
      "windows_arm64/d.exe",
      "/b/windows_arm64/d.exe",
      bi("go1.26.8", "x.org/d", "v2.0.0", { GOOS: "windows", GOARCH: "arm64" }),
      "1.26.8",
      installed,
    ),
  ];
  const all = rebuildPlan(tools, [], host);
  assert.deepEqual(all.plan.map((p) => p.args), [["install", "x.org/a/cmd/x@v1.0.0"]]);
  assert.deepEqual(all.skipped.map((t) => t.name), ["c"]);
  const named = rebuildPlan(tools, ["windows_arm64/d.exe", "zz"], host);
  assert.deepEqual(named.plan.map((p) => p.env), [{ GOOS: "windows", GOARCH: "arm64" }]);
  assert.deepEqual(named.unknown, ["zz"]);
});
