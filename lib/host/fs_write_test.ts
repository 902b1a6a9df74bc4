/**
 * rewriteFile (lockedfile.Transform as modload.commitRequirements uses it)
 * on real files: in place through a symlink, growing and shrinking, no
 * write when nothing changes, and the go command's refusal when another
 * process changed the file since it was read.
 */

import assert from "node:assert/strict";
import { FsError } from "../_internal/sys.ts";
import { rewriteFile, TransformAbort } from "./fs_write.ts";

const enc = new TextEncoder();

interface Case {
  name: string;
  /** The file's bytes when the command read it, and now. */
  read: string;
  now: string;
  next: string;
  /** The outcome: written, unchanged, or the error's message. */
  want: "written" | "unchanged" | RegExp;
}

const cases: Case[] = [
  { name: "grows", read: "go 1.21\n", now: "go 1.21\n", next: "go 1.22.0\n", want: "written" },
  { name: "shrinks", read: "go 1.22.0\n", now: "go 1.22.0\n", next: "go 1.2\n", want: "written" },
  {
    name: "already the new text",
    read: "go 1.21\n",
    now: "go 1.22\n",
    next: "go 1.22\n",
    want: "unchanged",
  },
  {
    name: "changed by another process since read",
    read: "go 1.21\n",
    now: "go 1.21\n// edited\n",
    next: "go 1.22\n",
    want: /^existing contents have changed since last read$/,
  },
];

Deno.test({
  name: "rewriteFile writes in place through a symlink, as the go command does",
  ignore: Deno.build.os === "windows",
  fn: async (t) => {
    for (const c of cases) {
      await t.step(c.name, () => {
        const dir = Deno.makeTempDirSync({ prefix: "gtc-rewrite-" });
        try {
          Deno.mkdirSync(`${dir}/real`);
          Deno.writeTextFileSync(`${dir}/real/go.mod`, c.now, { mode: 0o640 });
          Deno.chmodSync(`${dir}/real/go.mod`, 0o640);
          Deno.symlinkSync("real/go.mod", `${dir}/go.mod`);
          const ino = Deno.statSync(`${dir}/real/go.mod`).ino;
          let got: "written" | "unchanged" | Error;
          try {
            got = rewriteFile(`${dir}/go.mod`, enc.encode(c.next), enc.encode(c.read))
              ? "written"
              : "unchanged";
          } catch (e) {
            if (!(e instanceof TransformAbort || e instanceof FsError)) throw e;
            got = e;
          }
          if (c.want instanceof RegExp) {
            assert.ok(got instanceof Error, `want an error, got ${got}`);
            assert.match(got.message, c.want);
          } else assert.equal(got, c.want);
          // The link and the file (same inode, mode) stay; nothing else appears.
          assert.equal(Deno.readLinkSync(`${dir}/go.mod`), "real/go.mod");
          const st = Deno.statSync(`${dir}/real/go.mod`);
          assert.equal(st.ino, ino);
          assert.equal(st.mode! & 0o777, 0o640);
          assert.deepEqual([...Deno.readDirSync(`${dir}/real`)].map((e) => e.name), ["go.mod"]);
          assert.equal(
            Deno.readTextFileSync(`${dir}/real/go.mod`),
            c.want === "written" ? c.next : c.now,
          );
        } finally {
          Deno.removeSync(dir, { recursive: true });
        }
      });
    }
  },
});
