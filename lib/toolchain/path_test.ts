import { deepEqual as assertEquals } from "node:assert/strict";
import { MemFs } from "../_internal/mem_fs.ts";
import { lookPath, pathExts, pathToolchainNames } from "./path.ts";

function fs(): MemFs {
  return new MemFs()
    .write("/a/go1.22.0", "", 0o755)
    .write("/b/go1.22.0", "", 0o755)
    .write("/b/go1.23.1", "", 0o644) // not executable
    .write("/b/go1.21.0-custom", "", 0o755)
    .write("/b/gofmt", "", 0o755)
    .mkdir("/b/go1.24.0") // a directory is never a program
    .write("/cwd/rel/go1.25.0", "", 0o755);
}

Deno.test("lookPath() mirrors exec.LookPath", async (t) => {
  const cases: [
    name: string,
    file: string,
    path: string,
    want: string | undefined,
    dot?: string,
  ][] = [
    ["first hit wins", "go1.22.0", "/a:/b", "/a/go1.22.0"],
    ["order matters", "go1.22.0", "/b:/a", "/b/go1.22.0"],
    ["not executable is skipped", "go1.23.1", "/a:/b", undefined],
    ["directory is skipped", "go1.24.0", "/b", undefined],
    ["missing", "go1.99.0", "/a:/b", undefined],
    ["relative hit stops the search (ErrDot)", "go1.25.0", "rel:/a", undefined, "rel/go1.25.0"],
    ["empty element means .", "go1.25.0", ":/a", undefined],
  ];
  for (const [name, file, path, want, dot] of cases) {
    await t.step(`lookPath(${file}, PATH=${path}): ${name}`, () => {
      const r = lookPath(fs(), file, { path, style: "posix", cwd: "/cwd" });
      assertEquals(r.found ? r.path : undefined, want);
      if (dot !== undefined) assertEquals(!r.found && r.dotPath, dot);
    });
  }
});

Deno.test("pathExts() defaults and normalises %PATHEXT%", () => {
  assertEquals(pathExts(undefined), [".com", ".exe", ".bat", ".cmd"]);
  assertEquals(pathExts(".EXE;;BAT"), [".exe", ".bat"]);
});

Deno.test("pathToolchainNames() scans absolute PATH dirs for executable go1.* files", () => {
  assertEquals(
    pathToolchainNames(fs(), { path: "/a:rel::/b:/missing", style: "posix" }).sort(),
    ["go1.21.0-custom", "go1.22.0", "go1.22.0"],
  );
});
