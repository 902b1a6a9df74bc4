/**
 * `gtc repl --script` end to end: what-if changes made in a session give the
 * answer resolve() gives once the same change is on disk (made there by the
 * real go command's `go mod edit` / `go work edit` when there is one, whose
 * text the session's edit must equal byte for byte), and nothing on disk
 * changes while the session runs.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { resolveSync } from "../../mod.ts";
import { findGo } from "../differential/gocmd.ts";
import { denoDir, gtc, removeAll } from "./_gtc.ts";

const { go } = await findGo();

interface Fixture {
  dir: string;
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

// A temp dir with bin/go1.99.0 (a fake PATH toolchain), the real go first in
// PATH when there is one, and no go env file.
function fixture(): Fixture {
  const dir = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "gtc-repl-" }));
  Deno.mkdirSync(`${dir}/bin`);
  Deno.mkdirSync(`${dir}/home`);
  Deno.writeTextFileSync(`${dir}/bin/go1.99.0`, "#!/bin/sh\necho fake\n", { mode: 0o755 });
  const env = {
    PATH: `${go ? go.bindir + ":" : ""}${dir}/bin:/usr/bin:/bin`,
    HOME: `${dir}/home`,
    GTC_HOME: `${dir}/home/gtc`,
    GOENV: "off",
    GOPROXY: "off",
    GOTOOLCHAIN: "auto",
    GTC_DAEMON: "off",
    NO_COLOR: "1",
    DENO_DIR: denoDir(),
  };
  return { dir, env, cleanup: () => removeAll(dir) };
}

const sep = "--8<--";

// session runs the lines, then `mod show` or `work show` and `why --json`,
// and splits what they printed.
async function session(
  f: Fixture,
  cwd: string,
  lines: string[],
  show: "mod" | "work",
): Promise<{ shown: string; x: unknown }> {
  const r = await gtc(["repl", "--script"], {
    env: f.env,
    cwd,
    stdin: [...lines, `echo ${sep}`, `${show} show`, `echo ${sep}`, "why --json", ""].join("\n"),
  });
  equal(r.stderr, "");
  equal(r.code, 0);
  const [, shown, json] = r.stdout.split(`${sep}\n`);
  return { shown: shown.replace(/^# .*\n/, ""), x: JSON.parse(json) };
}

interface EditCase {
  name: string;
  files: Record<string, string>;
  /** Where the session runs, relative to the fixture. */
  cwd: string;
  file: string;
  repl: string[];
  /** The go command making the same change on disk. */
  goArgs: string[];
  /** The environment changes of repl (what resolve gets). */
  env?: Record<string, string>;
}

const edits: EditCase[] = [
  {
    name: "mod go 1.99.0 (a PATH toolchain)",
    files: { "m/go.mod": "module m\n\ngo 1.22 // c\n\nrequire example.com/a v1.0.0\n" },
    cwd: "m",
    file: "m/go.mod",
    repl: ["mod go 1.99.0"],
    goArgs: ["mod", "edit", "-go=1.99.0"],
  },
  {
    name: "mod go 1.30 (a download)",
    files: { "m/go.mod": "module m\ngo 1.22\n", "m/sub/x": "" },
    cwd: "m/sub",
    file: "m/go.mod",
    repl: ["mod go 1.30"],
    goArgs: ["mod", "edit", "-go=1.30"],
  },
  {
    name: "mod toolchain go1.99.0",
    files: { "m/go.mod": "// top\nmodule m\n\ngo 1.22\n" },
    cwd: "m",
    file: "m/go.mod",
    repl: ["mod toolchain go1.99.0"],
    goArgs: ["mod", "edit", "-toolchain=go1.99.0"],
  },
  {
    name: "mod toolchain none / mod drop toolchain",
    files: { "m/go.mod": "module m\n\ngo 1.22\n\ntoolchain go1.99.0 // x\n" },
    cwd: "m",
    file: "m/go.mod",
    repl: ["mod drop toolchain"],
    goArgs: ["mod", "edit", "-toolchain=none"],
  },
  {
    name: "mod go and toolchain together, with GOTOOLCHAIN=go1.99.0+auto",
    files: { "m/go.mod": "module m\n\ngo 1.21.0\n" },
    cwd: "m",
    file: "m/go.mod",
    repl: ["set GOTOOLCHAIN=go1.99.0+auto", "mod go 1.23.0", "mod toolchain go1.25.0"],
    goArgs: ["mod", "edit", "-go=1.23.0", "-toolchain=go1.25.0"],
    env: { GOTOOLCHAIN: "go1.99.0+auto" },
  },
  {
    name: "work go 1.99.0",
    files: { "w/go.work": "go 1.22\n\nuse ./a\n", "w/a/go.mod": "module a\n\ngo 1.22\n" },
    cwd: "w/a",
    file: "w/go.work",
    repl: ["work go 1.99.0"],
    goArgs: ["work", "edit", "-go=1.99.0"],
  },
  {
    name: "work toolchain go1.99.0 under GOTOOLCHAIN=path",
    files: { "w/go.work": "go 1.22\n\nuse ./a\n", "w/a/go.mod": "module a\n\ngo 1.22\n" },
    cwd: "w/a",
    file: "w/go.work",
    repl: ["set GOTOOLCHAIN path", "work toolchain go1.99.0"],
    goArgs: ["work", "edit", "-toolchain=go1.99.0"],
    env: { GOTOOLCHAIN: "path" },
  },
];

Deno.test("repl --script: what-if edits answer as resolve() does with the edit on disk", async (t) => {
  for (const c of edits) {
    await t.step(c.name, async () => {
      const f = fixture();
      try {
        for (const [p, text] of Object.entries(c.files)) {
          Deno.mkdirSync(`${f.dir}/${p.slice(0, p.lastIndexOf("/"))}`, { recursive: true });
          Deno.writeTextFileSync(`${f.dir}/${p}`, text);
        }
        const cwd = `${f.dir}/${c.cwd}`;
        const got = await session(f, cwd, c.repl, c.file.endsWith("go.work") ? "work" : "mod");
        // Nothing changed on disk.
        for (const [p, text] of Object.entries(c.files)) {
          equal(Deno.readTextFileSync(`${f.dir}/${p}`), text);
        }
        // Make the change on disk: by the real go command when there is one.
        const file = `${f.dir}/${c.file}`;
        if (go) {
          const out = new Deno.Command(go.path, {
            args: c.goArgs,
            cwd,
            env: { ...f.env, GOTOOLCHAIN: "local", GOFLAGS: "" },
            clearEnv: true,
          }).outputSync();
          equal(out.code, 0, new TextDecoder().decode(out.stderr));
          equal(got.shown, Deno.readTextFileSync(file), "the session's edit ≠ go's");
        } else {
          Deno.writeTextFileSync(file, got.shown);
        }
        const want = resolveSync({ dir: cwd, env: { ...f.env, ...c.env } });
        deepEqual(got.x, JSON.parse(JSON.stringify(want)));
      } finally {
        await f.cleanup();
      }
    });
  }
});

Deno.test("repl --script: set/unset answer as resolve() with that environment", async () => {
  const f = fixture();
  try {
    Deno.mkdirSync(`${f.dir}/m/sub`, { recursive: true });
    Deno.writeTextFileSync(`${f.dir}/m/go.mod`, "module m\n\ngo 1.99.0\n");
    const cwd = `${f.dir}/m`;
    const scripts: [string[], Record<string, string | undefined>][] = [
      [[], {}],
      [["set GOTOOLCHAIN=local"], { GOTOOLCHAIN: "local" }],
      [["set GOTOOLCHAIN=go1.99.0"], { GOTOOLCHAIN: "go1.99.0" }],
      [["set GOTOOLCHAIN=go1.2.3+bad"], { GOTOOLCHAIN: "go1.2.3+bad" }],
      [["unset GOTOOLCHAIN"], { GOTOOLCHAIN: undefined }],
      [["set GO111MODULE=off"], { GO111MODULE: "off" }],
      [["set PATH=/usr/bin:/bin"], { PATH: "/usr/bin:/bin" }],
      [["set GOTOOLCHAIN=path", "reset", "set GOFLAGS=-mod=mod"], { GOFLAGS: "-mod=mod" }],
    ];
    for (const [lines, change] of scripts) {
      const r = await gtc(["repl", "--script"], {
        env: f.env,
        cwd,
        stdin: [...lines, "cd sub", "why --json"].join("\n"),
      });
      equal(r.stderr, "");
      const env: Record<string, string> = { ...f.env };
      for (const [k, v] of Object.entries(change)) {
        if (v === undefined) delete env[k];
        else env[k] = v;
      }
      const want = resolveSync({ dir: `${cwd}/sub`, env });
      deepEqual(JSON.parse(r.stdout), JSON.parse(JSON.stringify(want)), lines.join("; "));
      equal(r.code, 0);
    }
  } finally {
    await f.cleanup();
  }
});

Deno.test("repl --script: errors name their line, the script goes on, exit 1; exit stops", async () => {
  const f = fixture();
  try {
    Deno.mkdirSync(`${f.dir}/m`);
    Deno.writeTextFileSync(`${f.dir}/m/go.mod`, "module m\n\ngo 1.22\n");
    const script =
      `echo one\nbogus\nmod go 1.x\n\n# comment\ncd ${f.dir}/nope\necho two\nexit\necho three\n`;
    let r = await gtc(["repl", "--script"], { env: f.env, cwd: `${f.dir}/m`, stdin: script });
    equal(r.stdout, "one\ntwo\n");
    equal(
      r.stderr,
      'line 2: error: unknown command "bogus" (try help)\n' +
        'line 3: error: invalid go version "1.x"; expecting something like "1.22" or "1.22.3"\n' +
        `line 6: error: ${f.dir}/nope: no such directory\n`,
    );
    equal(r.code, 1);
    // From a file, and from a starting directory given as argument.
    Deno.writeTextFileSync(`${f.dir}/script`, "pwd\nmod go 1.99.0\nwhy -q\n");
    r = await gtc(["repl", `${f.dir}/m`, "--script", `${f.dir}/script`], { env: f.env });
    equal(r.stderr, "");
    equal(r.code, 0);
    match(
      r.stdout,
      new RegExp(`^${f.dir}/m\nwhat-if: go.mod edited\ngo1.99.0 runs in ${f.dir}/m\n`),
    );
    equal(Deno.readTextFileSync(`${f.dir}/m/go.mod`), "module m\n\ngo 1.22\n");
    // CRLF scripts work.
    r = await gtc(["repl", "--script"], {
      env: f.env,
      cwd: `${f.dir}/m`,
      stdin: "echo a\r\npwd\r\n",
    });
    equal(r.stdout, `a\n${f.dir}/m\n`);
  } finally {
    await f.cleanup();
  }
});

Deno.test("repl without a terminal and without --script refuses to start", async () => {
  const f = fixture();
  try {
    let r = await gtc(["repl"], { env: f.env, stdin: "why\n" });
    equal(r.code, 2);
    equal(
      r.stderr,
      "gtc repl: stdin is not a terminal; use --script to read commands from stdin or a file\n",
    );
    equal(r.stdout, "");
    r = await gtc(["repl", `${f.dir}/nope`, "--script"], { env: f.env, stdin: "" });
    equal(r.code, 2);
    match(r.stderr, /nope: no such directory/);
    // No history is written by scripts.
    ok(!(await exists(`${f.dir}/home/gtc/repl_history`)));
  } finally {
    await f.cleanup();
  }
});

Deno.test("repl --script: install and list go to gtc install's installer and gtc list", async () => {
  const f = fixture();
  try {
    Deno.mkdirSync(`${f.dir}/m`);
    Deno.writeTextFileSync(`${f.dir}/m/go.mod`, "module m\n\ngo 1.99.0\n");
    const r = await gtc(["repl", "--script"], {
      env: f.env,
      cwd: `${f.dir}/m`,
      stdin: "install\nmod go 1.98.0\ninstall\nlist --json\n",
    });
    const lines = r.stdout.split("\n");
    equal(lines[0], `go1.99.0 is in PATH (${f.dir}/bin/go1.99.0): nothing to install`);
    // GOPROXY=off: the download is refused.
    match(r.stderr, /^line 3: error: install go1.98.0: download go1.98.0/m);
    const list = JSON.parse(lines.slice(1).join("\n"));
    ok(Array.isArray(list));
    ok(list.some((t: { name: string }) => t.name === "go1.99.0"));
    equal(r.code, 1);
  } finally {
    await f.cleanup();
  }
});

async function exists(p: string): Promise<boolean> {
  try {
    await Deno.stat(p);
    return true;
  } catch {
    return false;
  }
}
