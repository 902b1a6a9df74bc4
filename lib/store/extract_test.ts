import assert from "node:assert/strict";
import { denoStoreFs } from "../host/store_fs.ts";
import {
  type DistEntry,
  goDistribution,
  gzip,
  makeTar,
  makeTarGz,
  makeZip,
} from "../sources/test_server.ts";
import { ArchiveError, archivePath, extractTarGz, extractZip, type Limits } from "./extract.ts";

// archivePathTests: entry name, whether it is a directory, the path below go/ or the error.
const archivePathTests: [string, boolean, string | RegExp][] = [
  ["go/", true, ""],
  ["go", true, ""],
  ["go/bin/go", false, "bin/go"],
  ["go/bin/", true, "bin"],
  ["go/src/cmd/go/testdata/script/mod_x.txt", false, "src/cmd/go/testdata/script/mod_x.txt"],
  ["go/test/fixedbugs/issue 1.go", false, "test/fixedbugs/issue 1.go"],
  ["go/src/ünïcode.go", false, "src/ünïcode.go"],
  ["/go/bin/go", false, /absolute path/],
  ["/etc/passwd", false, /absolute path/],
  ["C:/go/bin/go", false, /drive letter/],
  ["go/../../evil", false, /escapes the archive/],
  ["../evil", false, /escapes the archive/],
  ["go/bin/../../evil", false, /escapes the archive/],
  ["go/./bin/go", false, /not clean/],
  ["go//bin/go", false, /not clean/],
  ["go/bin/go/", false, /file name ends in \//],
  ["go\\bin\\go", false, /backslash/],
  ["go/bin/go\0x", false, /NUL/],
  ["go/bin/a:b", false, /colon/],
  ["go/bin/a\nb", false, /control character/],
  ["evil/bin/go", false, /not under the top-level go\/ directory/],
  ["gopher/bin/go", false, /not under the top-level go\/ directory/],
  ["go", false, /go is a file/],
  ["", false, /not clean/],
];

Deno.test("archivePath() keeps entries inside go/", async (t) => {
  for (const [name, isDir, want] of archivePathTests) {
    await t.step(`archivePath(${JSON.stringify(name)}, ${isDir}) = ${want}`, () => {
      if (typeof want === "string") assert.equal(archivePath("a.tar.gz", name, isDir), want);
      else {
        assert.throws(
          () => archivePath("a.tar.gz", name, isDir),
          (e: Error) => e instanceof ArchiveError && want.test(e.message),
        );
      }
    });
  }
});

function stream(b: Uint8Array): ReadableStream<Uint8Array> {
  // Small chunks, so entries straddle reads.
  let off = 0;
  return new ReadableStream({
    pull(c) {
      if (off >= b.length) return c.close();
      c.enqueue(b.slice(off, off + 7));
      off += 7;
    },
  });
}

function tempDir(): string {
  return Deno.makeTempDirSync({ prefix: "gtc-extract-" });
}

function tree(root: string, rel = ""): string[] {
  const out: string[] = [];
  for (
    const e of [...Deno.readDirSync(root + (rel ? "/" + rel : ""))].sort((a, b) =>
      a.name < b.name ? -1 : 1
    )
  ) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory) out.push(p + "/", ...tree(root, p));
    else out.push(p + (e.isSymlink ? "@" : ""));
  }
  return out;
}

const dist = goDistribution({ version: "go1.22.5", goos: "linux", goarch: "amd64" });

Deno.test("extractTarGz() unpacks a Go distribution with its modes", async () => {
  const dest = tempDir();
  try {
    const stats = await extractTarGz({
      fs: denoStoreFs,
      data: stream(await makeTarGz(dist)),
      dest,
      archive: "x.tar.gz",
    });
    assert.deepEqual(tree(dest), [
      "VERSION",
      "bin/",
      "bin/go",
      "bin/gofmt",
      "go.env",
      "pkg/",
      "pkg/tool/",
      "pkg/tool/linux_amd64/",
      "pkg/tool/linux_amd64/compile",
      "src/",
      "src/fmt/",
      "src/fmt/print.go",
    ]);
    assert.equal(stats.files, 6);
    assert.equal(Deno.statSync(`${dest}/bin/go`).mode! & 0o777, 0o755);
    assert.equal(Deno.statSync(`${dest}/VERSION`).mode! & 0o777, 0o644);
    assert.equal(Deno.readTextFileSync(`${dest}/VERSION`).split("\n")[0], "go1.22.5");
  } finally {
    Deno.removeSync(dest, { recursive: true });
  }
});

Deno.test("extractZip() unpacks a Windows distribution", async () => {
  const dest = tempDir();
  try {
    const win = goDistribution({ version: "go1.22.5", goos: "windows", goarch: "amd64" });
    await extractZip({ fs: denoStoreFs, data: stream(makeZip(win)), dest, archive: "x.zip" });
    assert.ok(tree(dest).includes("bin/go.exe"));
    assert.ok(tree(dest).includes("pkg/tool/windows_amd64/compile.exe"));
    assert.match(Deno.readTextFileSync(`${dest}/bin/go.exe`), /go version go1.22.5 windows\/amd64/);
  } finally {
    Deno.removeSync(dest, { recursive: true });
  }
});

// rejectTests: a name, the archive members after a valid prefix, the error, and the limits.
const rejectTests: [string, DistEntry[], RegExp, Partial<Limits>?][] = [
  ["../evil", [{ name: "go/../evil", data: "x" }], /escapes the archive/],
  ["top-level ../evil", [{ name: "../evil", data: "x" }], /escapes the archive/],
  ["absolute path", [{ name: "/tmp/evil", data: "x" }], /absolute path/],
  [
    "symlink inside",
    [{ name: "go/bin/link", type: "symlink", linkname: "go" }],
    /symlink to "go": Go distributions contain only files/,
  ],
  [
    "symlink escaping",
    [{ name: "go/evil", type: "symlink", linkname: "/etc" }],
    /symlink to "\/etc"/,
  ],
  ["hardlink", [{ name: "go/bin/hard", type: "link", linkname: "go/bin/go" }], /hardlink/],
  ["character device", [{ name: "go/dev", type: "character-device" }], /character-device/],
  ["fifo", [{ name: "go/fifo", type: "fifo" }], /fifo/],
  [
    "file over maxFileBytes",
    [{ name: "go/big", data: "x".repeat(2000) }],
    /file larger than 1000 bytes/,
    { maxFileBytes: 1000 },
  ],
  [
    "total over maxTotalBytes",
    [{ name: "go/a", data: "x".repeat(600) }, { name: "go/b", data: "y".repeat(600) }],
    /expands to more than 1000 bytes/,
    { maxTotalBytes: 1000 },
  ],
  [
    "too many entries",
    [{ name: "go/a", data: "" }, { name: "go/b", data: "" }, { name: "go/c", data: "" }],
    /more than 2 entries/,
    { maxEntries: 2 },
  ],
  [
    "duplicate file",
    [{ name: "go/a", data: "1" }, { name: "go/a", data: "2" }],
    /multiple entries for file/,
  ],
  [
    "file then directory",
    [{ name: "go/a", data: "1" }, { name: "go/a/", type: "directory" }],
    /both a file and a directory/,
  ],
  ["not under go/", [{ name: "bin/go", data: "x" }], /not under the top-level go\//],
];

Deno.test("extractTarGz() refuses unsafe members", async (t) => {
  for (const [name, members, want, limits] of rejectTests) {
    await t.step(name, async () => {
      const dest = tempDir();
      try {
        const tgz = await makeTarGz([{ name: "go/", type: "directory" }, ...members]);
        await assert.rejects(
          extractTarGz({
            fs: denoStoreFs,
            data: stream(tgz),
            dest,
            archive: "x.tar.gz",
            limits: limits ?? {},
          }),
          (e: Error) => e instanceof ArchiveError && want.test(e.message),
        );
        // Nothing was written outside dest.
        assert.throws(() => Deno.lstatSync(`${dest}/../evil`));
      } finally {
        Deno.removeSync(dest, { recursive: true });
      }
    });
  }
});

Deno.test("extractTarGz() refuses a header whose size lies past maxFileBytes before reading it", async () => {
  const dest = tempDir();
  try {
    const tar = await makeTar([{ name: "go/huge", data: "x".repeat(3000) }]);
    await assert.rejects(
      extractTarGz({
        fs: denoStoreFs,
        data: stream(await gzip(tar)),
        dest,
        archive: "x",
        limits: { maxFileBytes: 100 },
      }),
      /file larger than 100 bytes/,
    );
    assert.throws(() => Deno.lstatSync(`${dest}/huge`));
  } finally {
    Deno.removeSync(dest, { recursive: true });
  }
});

Deno.test("extractTarGz() rejects corrupt input", async () => {
  const dest = tempDir();
  try {
    await assert.rejects(
      extractTarGz({
        fs: denoStoreFs,
        data: stream(new TextEncoder().encode("not gzip")),
        dest,
        archive: "x",
      }),
    );
  } finally {
    Deno.removeSync(dest, { recursive: true });
  }
});

Deno.test("extractZip() refuses unsafe names and sizes", async (t) => {
  const cases: [string, DistEntry[], RegExp, Partial<Limits>?][] = [
    ["../evil", [{ name: "go/../evil", data: "x" }], /escapes the archive/],
    ["absolute", [{ name: "/evil", data: "x" }], /absolute path/],
    ["backslash", [{ name: "go\\..\\evil", data: "x" }], /backslash/],
    ["oversize", [{ name: "go/big", data: "x".repeat(5000) }], /file larger than 100 bytes/, {
      maxFileBytes: 100,
    }],
  ];
  for (const [name, members, want, limits] of cases) {
    await t.step(name, async () => {
      const dest = tempDir();
      try {
        await assert.rejects(
          extractZip({
            fs: denoStoreFs,
            data: stream(makeZip(members)),
            dest,
            archive: "x.zip",
            limits: limits ?? {},
          }),
          (e: Error) => e instanceof ArchiveError && want.test(e.message),
        );
      } finally {
        Deno.removeSync(dest, { recursive: true });
      }
    });
  }
});
