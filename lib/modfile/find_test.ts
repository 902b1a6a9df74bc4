import assert from "node:assert/strict";
import { MemFs } from "../_internal/mem_fs.ts";
import type { FileInfo, ReadFs } from "../_internal/sys.ts";
import { denoFs } from "../host/fs.ts";
import { findGoMod, findGoWork, GoWorkError, willBeEnabled } from "./find.ts";

// The cases follow modload.FindGoWork, findWorkspaceFile, FindGoMod and
// findModuleRoot in go1.26 (no upstream unit test covers them directly;
// gotoolchain_local.txt lines 131-145 cover go.work beating go.mod).
const tree = {
  "/w/go.work": "go 1.22\n",
  "/w/m/go.mod": "module m\n",
  "/w/m/sub/": "",
  "/goroot/go.work": "go 1.22\n",
  "/goroot/src/go.mod": "module std\n",
  "/goroot/src/cmd/go.mod": "module cmd\n",
  "/goroot/src/cmd/go/": "",
  "/goroot/src/internal/": "",
  "/above/go.work": "go 1.22\n",
  "/above/goroot/src/": "",
  "/dirs/go.work/": "",
  "/dirs/go.mod/": "",
  "/dirs/x/": "",
  "/links/go.mod": "-> /w/m/go.mod",
  "/links/x/": "",
  "/broken/go.mod": "-> /nowhere",
  "/broken/go.work": "-> /nowhere",
  "/broken/x/": "",
  "/tmp/go.mod": "module t\n",
  "/tmp/scratch/": "",
  "/tmp/proj/go.mod": "module p\n",
  "/private/tmp/": "",
  "/tmplink": "-> /tmp",
  "/real/go.mod": "module r\n",
  "/real/x/": "",
  "/alias": "-> /real",
};

const findGoWorkTests: [
  desc: string,
  dir: string,
  gowork: string,
  goroot: string,
  want: string | undefined,
][] = [
  ["parent go.work", "/w/m/sub", "", "", "/w/go.work"],
  ["GOWORK=auto is the same", "/w/m/sub", "auto", "", "/w/go.work"],
  ["GOWORK=off", "/w/m/sub", "off", "", undefined],
  ["GOWORK absolute, missing file", "/w/m", "/nope/go.work", "", "/nope/go.work"],
  ["GOWORK absolute, not cleaned", "/w/m", "/a/../b/go.work", "", "/a/../b/go.work"],
  ["no go.work", "/dirs/x", "", "", undefined],
  ["a directory named go.work does not count", "/dirs", "", "", undefined],
  ["a broken symlink does not count", "/broken/x", "", "", undefined],
  ["search starts at GOROOT itself", "/goroot", "", "/goroot", "/goroot/go.work"],
  ["search stops before entering GOROOT", "/goroot/src/cmd/go", "", "/goroot", undefined],
  ["GOROOT/src stops too", "/goroot/src", "", "/goroot", undefined],
  ["without GOROOT the search goes on", "/goroot/src/cmd/go", "", "", "/goroot/go.work"],
  [
    "GOROOT elsewhere does not stop it",
    "/goroot/src/cmd/go",
    "",
    "/usr/local/go",
    "/goroot/go.work",
  ],
  [
    "GOROOT compared exactly (trailing slash never matches)",
    "/goroot/src",
    "",
    "/goroot/",
    "/goroot/go.work",
  ],
  [
    "a go.work above GOROOT is not seen from inside",
    "/above/goroot/src",
    "",
    "/above/goroot",
    undefined,
  ],
  ["dir is cleaned first", "/w/m/sub/../sub/.", "", "", "/w/go.work"],
];

Deno.test("findGoWork() mirrors modload.FindGoWork", async (t) => {
  const fs = new MemFs(tree);
  for (const [desc, dir, gowork, goroot, want] of findGoWorkTests) {
    await t.step(
      `${desc}: findGoWork(${dir}, GOWORK=${gowork}, GOROOT=${goroot}) = ${want}`,
      () => {
        assert.equal(findGoWork(fs, dir, { gowork, goroot }), want);
      },
    );
  }
});

Deno.test("findGoWork() refuses a relative GOWORK with Go's message", async (t) => {
  const fs = new MemFs(tree);
  for (const gowork of ["go.work", "./go.work", "../w/go.work", "~/go.work"]) {
    await t.step(`GOWORK=${gowork}`, () => {
      assert.throws(() => findGoWork(fs, "/w", { gowork }), (e) => {
        assert.ok(e instanceof GoWorkError);
        assert.equal(e.message, "go: invalid GOWORK: not an absolute path");
        assert.equal(e.gowork, gowork);
        return true;
      });
    });
  }
});

const findGoModTests: [desc: string, dir: string, tempDir: string, want: string | undefined][] = [
  ["in the module root", "/w/m", "/tmp", "/w/m/go.mod"],
  ["below the module root", "/w/m/sub", "/tmp", "/w/m/go.mod"],
  ["go.work is not a go.mod", "/w", "/tmp", undefined],
  ["nested modules: nearest wins", "/goroot/src/cmd/go", "/tmp", "/goroot/src/cmd/go.mod"],
  ["a directory named go.mod does not count", "/dirs/x", "/tmp", undefined],
  ["a symlink to a go.mod counts", "/links/x", "/tmp", "/links/go.mod"],
  ["a broken symlink does not count", "/broken/x", "/tmp", undefined],
  ["go.mod in the temp dir is ignored", "/tmp/scratch", "/tmp", undefined],
  ["and so is the temp dir itself", "/tmp", "/tmp", undefined],
  ["a module below the temp dir is fine", "/tmp/proj", "/tmp", "/tmp/proj/go.mod"],
  ["temp dir with a trailing slash, resolved", "/tmp/scratch", "/tmp/", undefined],
  ["temp dir through a symlink", "/tmp/scratch", "/tmplink", undefined],
  ["module root reached through a symlink", "/tmplink/scratch", "/tmp", undefined],
  ["a different temp dir", "/tmp/scratch", "/var/tmp", "/tmp/go.mod"],
  ["temp dir that does not exist", "/tmp/scratch", "/nope", "/tmp/go.mod"],
  ["module under a symlinked dir keeps the path as given", "/alias/x", "/tmp", "/alias/go.mod"],
  ["root dir", "/", "/tmp", undefined],
];

Deno.test("findGoMod() mirrors modload.FindGoMod", async (t) => {
  const fs = new MemFs(tree);
  for (const [desc, dir, tempDir, want] of findGoModTests) {
    await t.step(`${desc}: findGoMod(${dir}, TMPDIR=${tempDir}) = ${want}`, () => {
      assert.equal(findGoMod(fs, dir, { tempDir }), want);
    });
  }
});

const willBeEnabledTests: [go111module: string, dir: string, want: boolean][] = [
  ["", "/dirs/x", true],
  ["on", "/dirs/x", true],
  ["off", "/w/m", false],
  ["auto", "/w/m/sub", true],
  ["auto", "/dirs/x", false],
  // go1.26 counts only go.mod under auto; Go master also counts go.work
  // (golang/go#76728).
  ["auto", "/w", false],
  ["auto", "/tmp/scratch", false],
  // Anything else is off, even near misses.
  ["ON", "/w/m", false],
  ["1", "/w/m", false],
  [" on", "/w/m", false],
];

Deno.test("willBeEnabled() mirrors modload.WillBeEnabled (go1.26)", async (t) => {
  const fs = new MemFs(tree);
  for (const [go111module, dir, want] of willBeEnabledTests) {
    await t.step(`GO111MODULE=${JSON.stringify(go111module)} in ${dir} → ${want}`, () => {
      assert.equal(willBeEnabled(fs, dir, { go111module, tempDir: "/tmp" }), want);
    });
  }
});

// WinFs presents a MemFs under Windows paths: "C:\\a\\b" is "/C:/a/b".
class WinFs implements ReadFs {
  constructor(readonly mem: MemFs) {}
  #p(path: string): string {
    if (!/^[A-Za-z]:[\\/]/.test(path)) throw new Error(`not a Windows path: ${path}`);
    return "/" + path.replaceAll("\\", "/");
  }
  readFile(path: string): Uint8Array {
    return this.mem.readFile(this.#p(path));
  }
  stat(path: string): FileInfo | undefined {
    return this.mem.stat(this.#p(path));
  }
  lstat(path: string): FileInfo | undefined {
    return this.mem.lstat(this.#p(path));
  }
  readLink(path: string): string {
    return this.mem.readLink(this.#p(path));
  }
  realPath(path: string): string {
    return this.mem.realPath(this.#p(path)).slice(1).replaceAll("/", "\\");
  }
  readDir(path: string): string[] {
    return this.mem.readDir(this.#p(path));
  }
  isExecutable(path: string): boolean {
    return this.mem.isExecutable(this.#p(path));
  }
}

Deno.test("findGoWork() and findGoMod() handle Windows drive paths", () => {
  const fs = new WinFs(
    new MemFs({
      "/C:/src/go.work": "go 1.22\n",
      "/C:/src/m/go.mod": "module m\n",
      "/C:/src/m/x/": "",
      "/C:/Temp/go.mod": "module t\n",
      "/C:/Temp/x/": "",
    }),
  );
  const style = "windows";
  assert.equal(findGoWork(fs, "C:\\src\\m\\x", { style }), "C:\\src\\go.work");
  assert.equal(findGoWork(fs, "C:/src/m/x", { style }), "C:\\src\\go.work");
  assert.equal(findGoWork(fs, "C:\\src\\m\\x", { style, goroot: "C:\\src" }), undefined);
  assert.equal(findGoWork(fs, "C:\\src\\m", { style, gowork: "D:\\w\\go.work" }), "D:\\w\\go.work");
  assert.throws(() => findGoWork(fs, "C:\\src", { style, gowork: "\\w\\go.work" }), GoWorkError);
  assert.equal(
    findGoMod(fs, "C:\\src\\m\\x", { style, tempDir: "C:\\Temp" }),
    "C:\\src\\m\\go.mod",
  );
  assert.equal(findGoMod(fs, "C:\\Temp\\x", { style, tempDir: "C:\\Temp" }), undefined);
  // Volume names compare without case, as str.HasFilePathPrefix does.
  assert.equal(findGoMod(fs, "C:\\Temp\\x", { style, tempDir: "c:\\Temp" }), undefined);
  assert.equal(findGoMod(fs, "C:\\", { style }), undefined);
});

Deno.test("findGoWork() and findGoMod() on a real file system", () => {
  const root = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "gtc-modfile-find-" }));
  try {
    Deno.mkdirSync(`${root}/ws/mod/pkg`, { recursive: true });
    Deno.mkdirSync(`${root}/tmp/scratch`, { recursive: true });
    Deno.mkdirSync(`${root}/dirmod/go.mod`, { recursive: true });
    Deno.writeTextFileSync(`${root}/ws/go.work`, "go 1.22\n");
    Deno.writeTextFileSync(`${root}/ws/mod/go.mod`, "module m\n");
    Deno.writeTextFileSync(`${root}/tmp/go.mod`, "module t\n");
    Deno.symlinkSync(`${root}/tmp`, `${root}/tmplink`);

    const opts = { tempDir: `${root}/tmp` };
    assert.equal(findGoWork(denoFs, `${root}/ws/mod/pkg`, {}), `${root}/ws/go.work`);
    assert.equal(findGoMod(denoFs, `${root}/ws/mod/pkg`, opts), `${root}/ws/mod/go.mod`);
    assert.equal(findGoMod(denoFs, `${root}/tmp/scratch`, opts), undefined);
    assert.equal(
      findGoMod(denoFs, `${root}/tmp/scratch`, { tempDir: `${root}/tmplink` }),
      undefined,
    );
    assert.equal(findGoMod(denoFs, `${root}/dirmod`, opts), findGoMod(denoFs, root, opts));
    assert.equal(willBeEnabled(denoFs, `${root}/ws`, { go111module: "auto", ...opts }), false);
    assert.equal(willBeEnabled(denoFs, `${root}/ws/mod`, { go111module: "auto", ...opts }), true);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});
