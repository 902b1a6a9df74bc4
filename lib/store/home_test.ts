import assert from "node:assert/strict";
import { gtcHome, isToolchainName, StorePaths } from "./home.ts";

Deno.test("gtcHome() follows GTC_HOME, XDG_DATA_HOME, HOME and LocalAppData", async (t) => {
  const tests: [Record<string, string>, string, string | undefined][] = [
    [{ GTC_HOME: "/opt/gtc", HOME: "/home/u" }, "linux", "/opt/gtc"],
    [{ GTC_HOME: "", XDG_DATA_HOME: "/xdg", HOME: "/home/u" }, "linux", "/xdg/gtc"],
    [{ HOME: "/home/u" }, "linux", "/home/u/.local/share/gtc"],
    [{ HOME: "/Users/u" }, "darwin", "/Users/u/.local/share/gtc"],
    [{}, "linux", undefined],
    [
      { LocalAppData: "C:\\Users\\u\\AppData\\Local", HOME: "/x" },
      "windows",
      "C:\\Users\\u\\AppData\\Local\\gtc",
    ],
    [{ GTC_HOME: "D:\\gtc" }, "windows", "D:\\gtc"],
    [{ HOME: "C:\\Users\\u" }, "windows", undefined],
  ];
  for (const [env, goos, want] of tests) {
    await t.step(
      `gtcHome(${JSON.stringify(env)}, ${goos}) = ${want}`,
      () => assert.equal(gtcHome(env, goos), want),
    );
  }
});

Deno.test("isToolchainName() accepts Go and Microsoft names only", async (t) => {
  const tests: [string, boolean][] = [
    ["go1.22.5", true],
    ["go1.20", true],
    ["go1.23rc1", true],
    ["go1.22.5-1", true],
    ["go1.18.2-1-fips", true],
    ["go1.22.5-bigcorp", true],
    ["go1", true],
    ["1.22.5", false],
    ["go1.22.5/../x", false],
    ["go1.22.5\\x", false],
    ["..", false],
    [".tmp-abc", false],
    ["go1.22.5.json", false],
    ["go1.22.5 ", false],
    ["", false],
  ];
  for (const [name, want] of tests) {
    await t.step(
      `isToolchainName(${JSON.stringify(name)}) = ${want}`,
      () => assert.equal(isToolchainName(name), want),
    );
  }
});

Deno.test("StorePaths lays out the store", () => {
  const p = new StorePaths("/h");
  assert.equal(p.goroot("microsoft", "go1.22.5-1"), "/h/toolchains/microsoft/go1.22.5-1");
  assert.equal(p.metadata("godl", "go1.22.5"), "/h/toolchains/godl/go1.22.5.json");
  assert.equal(p.link("go1.22.5"), "/h/bin/go1.22.5");
  assert.equal(p.linkTarget("godl", "go1.22.5"), "../toolchains/godl/go1.22.5/bin/go");
  assert.equal(p.goExe("godl", "go1.22.5", "windows"), "/h/toolchains/godl/go1.22.5/bin/go.exe");
  const w = new StorePaths("C:\\gtc", "windows");
  assert.equal(w.goroot("godl", "go1.22.5"), "C:\\gtc\\toolchains\\godl\\go1.22.5");
  assert.equal(w.linkTarget("godl", "go1.22.5"), "..\\toolchains\\godl\\go1.22.5\\bin\\go");
});
