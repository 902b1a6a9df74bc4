/**
 * How gtc get writes go.mod, differentially against the real go command
 * (issue 9.6): through a symlink (the link stays, its target changes), with
 * the owner and mode kept when root edits a user's file, and on a read-only
 * or full file system the go command's message, the old contents and no
 * file left behind. The file-system cases mount a real tmpfs (root only;
 * skipped with a message where mount is not permitted).
 */
import assert from "node:assert/strict";
import { startFixture } from "../fixtures/mod.ts";
import { findGo } from "../differential/gocmd.ts";
import { getEnv, run } from "./_get.ts";

const cli = new URL("../../cli/main.ts", import.meta.url).pathname;
const { go, reason } = await findGo();
if (go === undefined) console.log(`skipping tests/cli/get_write_test.ts: ${reason}`);

const dec = new TextDecoder();

function sh(script: string): { ok: boolean; stderr: string } {
  const out = new Deno.Command("sh", { args: ["-c", script], stdout: "null", stderr: "piped" })
    .outputSync();
  return { ok: out.success, stderr: dec.decode(out.stderr).trim() };
}

// canMount reports whether this process may mount a tmpfs (root, not in a
// restricted container), with the reason when not.
function canMount(): string | undefined {
  if (Deno.build.os !== "linux") return "not Linux";
  if (Deno.uid() !== 0) return "not root";
  const dir = Deno.makeTempDirSync({ prefix: "gtc-mnt-probe-" });
  try {
    const r = sh(`mount -t tmpfs -o size=64k tmpfs '${dir}' && umount '${dir}'`);
    return r.ok ? undefined : `mount not permitted: ${r.stderr}`;
  } finally {
    Deno.removeSync(dir);
  }
}

interface Case {
  name: string;
  /** Prepares root (a module directory m/ with go.mod comes later), returning a cleanup. */
  setup?: (root: string) => void;
  /** go.mod's text. */
  gomod: string;
  /** Makes m/go.mod (default: a plain file). */
  place?: (root: string, text: string) => void;
  /** After writing the files, before the command (e.g. fill the disk, remount read-only). */
  before?: (root: string) => void;
  teardown?: (root: string) => void;
  args: string[];
  needsMount?: boolean;
  needsRoot?: boolean;
  /** The message the go command prints, to be sure the case tests what it says. */
  want: RegExp;
}

// A go.mod of exactly one 4 KiB page: on a full tmpfs, growing it needs a
// new page, so the write fails (within the page it would not).
const pageMod = (() => {
  const head = "module m\n\ngo 1.21\n";
  return head + "//" + "x".repeat(4096 - head.length - 3) + "\n";
})();

const cases: Case[] = [
  {
    name: "a symlinked go.mod is written through the link",
    gomod: "module m\n\ngo 1.21\n",
    place: (root, text) => {
      Deno.mkdirSync(`${root}/real`);
      Deno.writeTextFileSync(`${root}/real/go.mod`, text);
      Deno.symlinkSync("../real/go.mod", `${root}/m/go.mod`);
    },
    args: ["go@1.22.0"],
    want: /^go: upgraded go 1\.21 => 1\.22\.0\n$/,
  },
  {
    name: "root editing a user's go.mod keeps its owner and mode",
    needsRoot: true,
    gomod: "module m\n\ngo 1.21\n",
    place: (root, text) => {
      Deno.writeTextFileSync(`${root}/m/go.mod`, text, { mode: 0o640 });
      Deno.chmodSync(`${root}/m/go.mod`, 0o640);
      Deno.chownSync(`${root}/m/go.mod`, 12345, 12345);
    },
    args: ["go@1.22.0"],
    want: /^go: upgraded go 1\.21 => 1\.22\.0\n$/,
  },
  {
    name: "a read-only file system: go's message, nothing changed or left",
    needsMount: true,
    setup: (root) => assert.ok(sh(`mount -t tmpfs -o size=1m tmpfs '${root}'`).ok),
    gomod: "module m\n\ngo 1.21\n",
    before: (root) => assert.ok(sh(`mount -o remount,ro '${root}'`).ok),
    teardown: (root) => sh(`umount '${root}'`),
    args: ["go@1.22.0"],
    want: /^go: updating go\.mod: open .*\/m\/go\.mod: read-only file system\n$/,
  },
  {
    name: "a full file system: go's message, nothing changed or left",
    needsMount: true,
    setup: (root) => assert.ok(sh(`mount -t tmpfs -o size=64k tmpfs '${root}'`).ok),
    gomod: pageMod,
    // Fill what is left; dd fails when the disk is full, as intended.
    before: (root) => sh(`dd if=/dev/zero of='${root}/fill' bs=1k count=1024 2>/dev/null`),
    teardown: (root) => sh(`umount '${root}'`),
    args: ["go@1.22.0"],
    want: /^go: updating go\.mod: write .*\/m\/go\.mod: no space left on device\n$/,
  },
];

interface Snapshot {
  names: string[];
  link: string | null;
  text: string;
  uid: number | null;
  gid: number | null;
  mode: number | null;
}

function snapshot(root: string): Snapshot {
  const p = `${root}/m/go.mod`;
  const l = Deno.lstatSync(p);
  const st = Deno.statSync(p);
  return {
    names: [...Deno.readDirSync(`${root}/m`)].map((e) => e.name).sort(),
    link: l.isSymlink ? Deno.readLinkSync(p) : null,
    text: Deno.readTextFileSync(p),
    uid: st.uid,
    gid: st.gid,
    mode: st.mode === null ? null : st.mode & 0o7777,
  };
}

Deno.test({
  name: "gtc get writes go.mod as the real go get: symlink, owner, read-only and full disk",
  ignore: go === undefined || Deno.build.os !== "linux" || Deno.build.arch !== "x86_64",
  async fn(t) {
    const noMount = canMount();
    const f = await startFixture({ toolchains: ["go1.99.0"] });
    try {
      const env = getEnv(f, go!.bindir);
      let n = 0;
      for (const c of cases) {
        const skip = c.needsMount && noMount !== undefined
          ? noMount
          : c.needsRoot && Deno.uid() !== 0
          ? "not root"
          : undefined;
        await t.step({
          name: c.name,
          ignore: skip !== undefined,
          fn: async () => {
            const roots = [`${f.work}/w${n}-gtc`, `${f.work}/w${n}-go`];
            n++;
            for (const root of roots) {
              Deno.mkdirSync(root, { recursive: true });
              c.setup?.(root);
            }
            try {
              for (const root of roots) {
                Deno.mkdirSync(`${root}/m`);
                if (c.place) c.place(root, c.gomod);
                else Deno.writeTextFileSync(`${root}/m/go.mod`, c.gomod);
                c.before?.(root);
              }
              const [a, b] = roots;
              const before = snapshot(a);
              const mine = await run(
                Deno.execPath(),
                ["run", "-A", "--quiet", cli, "get", ...c.args],
                env,
                `${a}/m`,
              );
              const theirs = await run(go!.path, ["get", ...c.args], env, `${b}/m`);
              const what = `gtc get ${c.args.join(" ")}`;
              assert.match(theirs.stderr, c.want, `the go command said: ${theirs.stderr}`);
              assert.equal(mine.stderr.replaceAll(a, b), theirs.stderr, `${what}: stderr`);
              assert.equal(mine.code, theirs.code, `${what}: exit`);
              const [sa, sb] = [snapshot(a), snapshot(b)];
              assert.deepEqual(sa, sb, `${what}: the file and its directory`);
              // The cases that fail keep the old bytes; the others keep the
              // link, owner and mode they started with.
              if (theirs.code !== 0) assert.equal(sa.text, before.text);
              assert.deepEqual(
                [sa.names, sa.link, sa.uid, sa.gid, sa.mode],
                [before.names, before.link, before.uid, before.gid, before.mode],
              );
              if (c.place !== undefined && before.link !== null) {
                assert.equal(sa.text, Deno.readTextFileSync(`${a}/real/go.mod`));
              }
            } finally {
              for (const root of roots) {
                c.teardown?.(root);
                Deno.removeSync(root, { recursive: true });
              }
            }
          },
        });
      }
      if (noMount !== undefined) {
        console.log(`skipped the read-only and full disk cases: ${noMount}`);
      }
    } finally {
      await f.close();
    }
  },
});
