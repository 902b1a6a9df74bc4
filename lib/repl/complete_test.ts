import { deepEqual } from "node:assert/strict";
import { MemFs } from "../_internal/mem_fs.ts";
import { complete, type CompletionContext } from "./complete.ts";

const ctx: CompletionContext = {
  fs: new MemFs({
    "/src/m/go.mod": "module m\n",
    "/src/m/sub/": "",
    "/src/m/subway/": "",
    "/src/m/.git/": "",
    "/src/m/sublime.txt": "",
    "/src/m/lnk": "-> /src/m/sub",
    "/home/u/proj/": "",
  }),
  style: "posix",
  cwd: "/src/m",
  home: "/home/u",
  envKeys: () => ["GOFLAGS", "GOPATH", "GOTOOLCHAIN"],
  toolchains: () => ["go1.31.0", "go1.30.0"],
};

Deno.test("complete: commands, directories, keys, values, toolchains", () => {
  const cases: [string, [string[], string]][] = [
    ["", [[
      "why",
      "cd",
      "pwd",
      "set",
      "unset",
      "mod",
      "work",
      "changes",
      "reset",
      "env",
      "install",
      "list",
      "echo",
      "help",
      "exit",
      "quit",
    ], ""]],
    ["e", [["env", "echo", "exit"], "e"]],
    ["  wh", [["why"], "wh"]],
    ["nope x", [[], "x"]],
    ["cd ", [["lnk/", "sub/", "subway/"], ""]],
    ["cd su", [["sub/", "subway/"], "su"]],
    ["cd .g", [[".git/"], ".g"]],
    ["cd sub/", [[], "sub/"]],
    ["cd /src/", [["/src/m/"], "/src/"]],
    ["cd ~/p", [["~/proj/"], "~/p"]],
    ["cd ../m/s", [["../m/sub/", "../m/subway/"], "../m/s"]],
    ["cd /nope/", [[], "/nope/"]],
    ["cd a b", [[], "b"]],
    ["why -", [["-q", "--quiet", "--json"], "-"]],
    ["why s", [["sub/", "subway/"], "s"]],
    ["set GOT", [["GOTOOLCHAIN="], "GOT"]],
    ["set GOP", [["GOPATH="], "GOP"]],
    ["set GOTOOLCHAIN=l", [[
      "GOTOOLCHAIN=local",
      "GOTOOLCHAIN=local+auto",
      "GOTOOLCHAIN=local+path",
    ], "GOTOOLCHAIN=l"]],
    ["set GOTOOLCHAIN=go1.31", [[
      "GOTOOLCHAIN=go1.31.0",
      "GOTOOLCHAIN=go1.31.0+auto",
      "GOTOOLCHAIN=go1.31.0+path",
    ], "GOTOOLCHAIN=go1.31"]],
    ["set GOFLAGS=-", [[], "GOFLAGS=-"]],
    ["unset GOF", [["GOFLAGS"], "GOF"]],
    ["env GOP", [["GOPATH"], "GOP"]],
    ["env --", [["--json"], "--"]],
    ["mod ", [["go", "toolchain", "drop", "show", "reset"], ""]],
    ["work t", [["toolchain"], "t"]],
    ["mod drop ", [["go", "toolchain"], ""]],
    ["mod toolchain ", [["go1.31.0", "go1.30.0", "default", "none"], ""]],
    ["mod toolchain go1.30", [["go1.30.0"], "go1.30"]],
    ["mod go 1", [[], "1"]],
    ["install go1.3", [["go1.31.0", "go1.30.0"], "go1.3"]],
    ["help m", [["mod"], "m"]],
  ];
  for (const [line, want] of cases) deepEqual(complete(line, ctx), want, line);
});
