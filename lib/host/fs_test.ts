/**
 * denoFs.readFile on real special files: it reads only regular files of at
 * most MAX_READ_BYTES, never blocks on a named pipe, never reads a device,
 * and keeps Go's error texts for the ordinary failures.
 */

import assert from "node:assert/strict";
import { FsError, MAX_READ_BYTES } from "../_internal/sys.ts";
import { denoFs } from "./fs.ts";

const posix = Deno.build.os !== "windows";

interface Case {
  name: string;
  /** make creates the file in dir and returns its path. */
  make(dir: string): string;
  /** The bytes read, or the error's kind and message. */
  want: { text: string } | { kind: string; message: RegExp };
}

const cases: Case[] = [
  {
    name: "a regular file",
    make: (d) => (Deno.writeTextFileSync(`${d}/go.mod`, "module m\n\ngo 1.22\n"), `${d}/go.mod`),
    want: { text: "module m\n\ngo 1.22\n" },
  },
  {
    name: "a regular file through a symlink",
    make: (d) => {
      Deno.writeTextFileSync(`${d}/real.mod`, "module m\n");
      Deno.symlinkSync("real.mod", `${d}/go.mod`);
      return `${d}/go.mod`;
    },
    want: { text: "module m\n" },
  },
  {
    name: "exactly MAX_READ_BYTES (sparse)",
    make: (d) => {
      Deno.writeFileSync(`${d}/go.mod`, new Uint8Array(0));
      Deno.truncateSync(`${d}/go.mod`, MAX_READ_BYTES);
      return `${d}/go.mod`;
    },
    want: { text: "<MAX>" },
  },
  {
    name: "a named pipe with no writer",
    make: (d) => {
      const p = `${d}/go.mod`;
      const r = new Deno.Command("mkfifo", { args: [p] }).outputSync();
      assert.ok(r.success, "mkfifo failed");
      return p;
    },
    want: {
      kind: "refused",
      message: /^open .*\/go\.mod: a named pipe \(FIFO\), not a regular file: .*would block/,
    },
  },
  {
    name: "a symlink to /dev/zero",
    make: (d) => (Deno.symlinkSync("/dev/zero", `${d}/go.mod`), `${d}/go.mod`),
    want: {
      kind: "refused",
      message: /^open .*\/go\.mod: a character device, not a regular file: .*\/dev\/zero/,
    },
  },
  {
    name: "a 3 GB sparse file",
    make: (d) => {
      Deno.writeFileSync(`${d}/go.mod`, new Uint8Array(0));
      Deno.truncateSync(`${d}/go.mod`, 3 * 2 ** 30);
      return `${d}/go.mod`;
    },
    want: {
      kind: "refused",
      message: /^read .*\/go\.mod: file is larger than 64 MiB \(3221225472 bytes\)/,
    },
  },
  {
    name: "a directory (os.ReadFile's text)",
    make: (d) => (Deno.mkdirSync(`${d}/go.mod`), `${d}/go.mod`),
    want: { kind: "other", message: /^read .*\/go\.mod: is a directory$/ },
  },
  {
    name: "missing",
    make: (d) => `${d}/go.mod`,
    want: { kind: "not-exist", message: /^open .*\/go\.mod: no such file or directory$/ },
  },
  {
    name: "a symlink loop (Go's strerror text, not libuv's)",
    make: (d) => (Deno.symlinkSync("go.mod", `${d}/go.mod`), `${d}/go.mod`),
    want: { kind: "other", message: /^open .*\/go\.mod: too many levels of symbolic links$/ },
  },
  {
    name: "below a file",
    make: (d) => (Deno.writeTextFileSync(`${d}/f`, ""), `${d}/f/go.mod`),
    want: { kind: "not-dir", message: /^open .*\/f\/go\.mod: not a directory$/ },
  },
];

Deno.test({
  name: "denoFs.readFile reads only bounded regular files, and never blocks",
  ignore: !posix,
  fn: async (t) => {
    for (const c of cases) {
      await t.step(c.name, async () => {
        const dir = Deno.makeTempDirSync({ prefix: "gtc-fs-" });
        // Without the fix a pipe blocks readFile (and this whole test) until
        // something writes to it: a writer a long while later turns the hang
        // into a failed assertion. With the fix it is killed unused.
        let writer: Deno.ChildProcess | undefined;
        try {
          const path = c.make(dir);
          if (c.name.includes("pipe")) {
            writer = new Deno.Command("sh", {
              args: [
                "-c",
                'sleep 30; while :; do printf "module unblocked\\n" > "$1"; done',
                "sh",
                path,
              ],
            }).spawn();
          }
          let got: Uint8Array | FsError;
          try {
            got = denoFs.readFile(path);
          } catch (e) {
            if (!(e instanceof FsError)) throw e;
            got = e;
          }
          if ("text" in c.want) {
            assert.ok(got instanceof Uint8Array, `want bytes, got ${got}`);
            if (c.want.text === "<MAX>") {
              assert.equal(got.length, MAX_READ_BYTES);
            } else assert.equal(new TextDecoder().decode(got), c.want.text);
          } else {
            assert.ok(got instanceof FsError, "want an error, got bytes");
            assert.equal(got.kind, c.want.kind, got.message);
            assert.match(got.message, c.want.message);
            assert.ok(got.message.includes(dir), "the error names the file");
          }
        } finally {
          if (writer !== undefined) {
            try {
              writer.kill("SIGKILL");
            } catch {
              // Already done.
            }
            await writer.status;
          }
          Deno.removeSync(dir, { recursive: true });
        }
      });
    }
  },
});
