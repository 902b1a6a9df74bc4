import assert from "node:assert/strict";
import type { ReadFs } from "../_internal/sys.ts";
import { denoFs } from "../host/fs.ts";
import { denoHost } from "../host/host.ts";
import { ModFileErrorList, parseWork } from "../modfile/mod.ts";
import { resolve } from "./resolve.ts";

// countingFs is the real file system, counting the calls per method and path.
function countingFs(): { fs: ReadFs; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const count = (what: string, path: string) =>
    calls.set(`${what} ${path}`, (calls.get(`${what} ${path}`) ?? 0) + 1);
  const fs: ReadFs = {
    readFile: (p) => (count("readFile", p), denoFs.readFile(p)),
    stat: (p) => (count("stat", p), denoFs.stat(p)),
    lstat: (p) => (count("lstat", p), denoFs.lstat(p)),
    readLink: (p) => (count("readLink", p), denoFs.readLink(p)),
    realPath: (p) => (count("realPath", p), denoFs.realPath(p)),
    readDir: (p) => (count("readDir", p), denoFs.readDir(p)),
    isExecutable: (p) => (count("isExecutable", p), denoFs.isExecutable(p)),
  };
  return { fs, calls };
}

// fullParseErrors is what the full parser says, one error a line.
function fullParseErrors(name: string, data: string): string {
  try {
    parseWork(name, data);
  } catch (e) {
    if (e instanceof ModFileErrorList) return e.message;
    throw e;
  }
  return "";
}

const comments = "// a comment line\n".repeat(5000);

Deno.test("resolve() opens the governing go.work once and reports its errors exactly", async (t) => {
  const cases: [name: string, goWork: string][] = [
    ["a valid go.work", "go 1.22\n\nuse ./m\n"],
    ["thousands of comment lines, then a bad line", `go 1.22\n${comments}use ./m\nbogus 1\n`],
    ["a bad line, then thousands of comment lines", `go 1.22\nuse ./m extra\n${comments}`],
  ];
  for (const [name, goWork] of cases) {
    await t.step(name, () => {
      const root = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "gtc-resolve-" }));
      try {
        Deno.mkdirSync(`${root}/m/pkg`, { recursive: true });
        Deno.writeTextFileSync(`${root}/go.work`, goWork);
        Deno.writeTextFileSync(`${root}/m/go.mod`, "module m\n\ngo 1.22\n");
        const { fs, calls } = countingFs();
        const x = resolve({ ...denoHost, fs }, {
          dir: `${root}/m/pkg`,
          env: { PATH: `${root}/nobin`, HOME: root, GOENV: "off", GOTOOLCHAIN: "auto" },
        });
        assert.equal(x.file?.path, `${root}/go.work`);
        assert.equal(x.file?.shortPath, "../../go.work");
        // The errors under the "go: errors parsing …:" header.
        const want = fullParseErrors(x.file!.shortPath, goWork);
        assert.deepEqual(
          x.diagnostics.map((d) => d.slice(d.indexOf("\n") + 1)),
          want ? [want] : [],
        );
        const file = `${root}/go.work`;
        for (const what of ["readFile", "stat", "realPath"]) {
          assert.ok(
            (calls.get(`${what} ${file}`) ?? 0) <= 1,
            `${what} ${file}: ${calls.get(`${what} ${file}`)} times`,
          );
        }
        assert.equal(calls.get(`readFile ${file}`), 1);
      } finally {
        Deno.removeSync(root, { recursive: true });
      }
    });
  }
});
