/**
 * The CLI end to end: real `deno run cli/main.ts` processes in real temp
 * directories, compared with the library and, for `exec`, with the real go.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { resolve } from "../../mod.ts";
import { findGo } from "../differential/gocmd.ts";

const cli = new URL("../../cli/main.ts", import.meta.url).pathname;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function gtc(args: string[], env: Record<string, string>, cwd?: string): Run {
  const out = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", cli, ...args],
    env,
    clearEnv: true,
    cwd,
  }).outputSync();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

// A module needing go1.99.0, a fake go1.99.0 in PATH that prints the
// environment it was given, and no real go unless asked.
function fixture(): { dir: string; env: Record<string, string>; cleanup: () => void } {
  const dir = Deno.makeTempDirSync({ prefix: "gtc-cli-" });
  Deno.mkdirSync(`${dir}/m/sub`, { recursive: true });
  Deno.mkdirSync(`${dir}/bin`);
  Deno.mkdirSync(`${dir}/home`);
  Deno.writeTextFileSync(`${dir}/m/go.mod`, "module m\n\ngo 1.99.0\n");
  Deno.writeTextFileSync(
    `${dir}/bin/go1.99.0`,
    '#!/bin/sh\necho "fake go1.99.0 args=$* version=${GOTOOLCHAIN_INTERNAL_SWITCH_VERSION-unset} count=${GOTOOLCHAIN_INTERNAL_SWITCH_COUNT-unset} goroot=${GOROOT-unset}"\n',
    { mode: 0o755 },
  );
  const env = {
    PATH: `${dir}/bin:/usr/bin:/bin`,
    HOME: `${dir}/home`,
    GOENV: "off",
    GOPROXY: "off",
    GOTOOLCHAIN: "auto",
    NO_COLOR: "1",
    DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
  };
  return { dir, env, cleanup: () => Deno.removeSync(dir, { recursive: true }) };
}

Deno.test("gtc why --json prints the same object as resolve()", async () => {
  const f = fixture();
  try {
    const r = gtc(["why", "--json", `${f.dir}/m/sub`], f.env);
    equal(r.code, 0, r.stderr);
    const got = JSON.parse(r.stdout);
    const want = await resolve({ dir: `${f.dir}/m/sub`, env: f.env });
    deepEqual(got, JSON.parse(JSON.stringify(want)));
    equal(got.toolchain, "go1.99.0");
    equal(got.source, "path");
    equal(got.error, null);
    // base.ShortPath is relative to the directory evaluated (go -C dir).
    equal(got.file.shortPath, "../go.mod");
  } finally {
    f.cleanup();
  }
});

Deno.test("gtc current prints one line; a bad GOTOOLCHAIN is the go command's error, exit 1", () => {
  const f = fixture();
  try {
    let r = gtc(["current"], f.env, `${f.dir}/m`);
    equal(r.code, 0, r.stderr);
    equal(r.stdout, "go1.99.0\n");
    r = gtc(["current", "--gotoolchain", "go1.2.3+bad"], f.env, `${f.dir}/m`);
    equal(r.code, 1);
    equal(r.stdout, "");
    equal(
      r.stderr,
      'go: invalid GOTOOLCHAIN "go1.2.3+bad": only version suffixes are +auto and +path\n',
    );
    r = gtc(
      ["current", "--env", "GOTOOLCHAIN=path", "--env", "PATH=/usr/bin"],
      f.env,
      `${f.dir}/m`,
    );
    equal(r.code, 1);
    // No go at all in PATH: gtc still says what go.mod asks for, as auto would.
    match(r.stderr, /cannot find "go1\.99\.0" in PATH/);
  } finally {
    f.cleanup();
  }
});

Deno.test("gtc why on bad input: clear messages, no stack traces", () => {
  const f = fixture();
  try {
    const cases: [string[], number, RegExp][] = [
      [["why", `${f.dir}/nope`], 2, /^gtc: .*nope: no such directory\n$/],
      [["why", `${f.dir}/m/go.mod`], 2, /^gtc: .*go\.mod: not a directory\n$/],
      [["frobnicate"], 2, /unknown command 'frobnicate'/],
      [["why", "--env", "NOEQUALS"], 2, /^gtc: --env NOEQUALS: expected KEY=VALUE\n$/],
      [["exec", "--", "/no/such/program"], 127, /^gtc: exec \/no\/such\/program: /],
    ];
    for (const [args, code, err] of cases) {
      const r = gtc(args, f.env, `${f.dir}/m`);
      equal(r.code, code, `gtc ${args.join(" ")}: ${r.stderr}`);
      match(r.stderr, err);
      ok(!/\n\s+at /.test(r.stderr), `stack trace in: ${r.stderr}`);
    }
  } finally {
    f.cleanup();
  }
});

// Issue 9.3: a go.mod that is a named pipe, a link to /dev/zero or a huge
// sparse file gets a clear error naming the file and saying what the go
// command would do, never a hang, an `internal error` or a stack trace.
Deno.test({
  name: "gtc why on a FIFO, /dev/zero or huge go.mod: a clear error, at once",
  ignore: Deno.build.os === "windows",
  fn: () => {
    const f = fixture();
    try {
      const cases: [string, (p: string) => void, RegExp][] = [
        ["fifo", (p) => {
          ok(new Deno.Command("mkfifo", { args: [p] }).outputSync().success);
        }, /open .*\/fifo\/go\.mod: a named pipe \(FIFO\), not a regular file: .*would block/],
        [
          "zero",
          (p) => Deno.symlinkSync("/dev/zero", p),
          /open .*\/zero\/go\.mod: a character device, not a regular file: .*out of memory/,
        ],
        ["huge", (p) => {
          Deno.writeFileSync(p, new Uint8Array(0));
          Deno.truncateSync(p, 3 * 2 ** 30);
        }, /read .*\/huge\/go\.mod: file is larger than 64 MiB \(3221225472 bytes\)/],
      ];
      for (const [name, make, err] of cases) {
        Deno.mkdirSync(`${f.dir}/${name}`);
        make(`${f.dir}/${name}/go.mod`);
        const r = gtc(["why", `${f.dir}/${name}`], f.env);
        equal(r.code, 1, `${name}: ${r.stdout}${r.stderr}`);
        match(r.stdout, err);
        ok(!/internal error|\n\s+at /.test(r.stdout + r.stderr), r.stdout + r.stderr);
      }
    } finally {
      f.cleanup();
    }
  },
});

Deno.test("every command has --help", () => {
  const f = fixture();
  try {
    for (const cmd of [[], ["why"], ["current"], ["env"], ["exec"]]) {
      const r = gtc([...cmd, "--help"], f.env);
      equal(r.code, 0, r.stderr);
      match(r.stdout, /^Usage: gtc/);
    }
  } finally {
    f.cleanup();
  }
});

Deno.test("gtc env names the layer of each setting", () => {
  const f = fixture();
  try {
    Deno.writeTextFileSync(`${f.dir}/goenv`, "# x\nGOTOOLCHAIN=go1.22.0+auto\nGOFLAGS=-mod=mod\n");
    const env = { ...f.env, GOENV: `${f.dir}/goenv` };
    delete (env as Record<string, string>).GOTOOLCHAIN;
    const r = gtc(["env", "--json", "GOTOOLCHAIN", "GOFLAGS", "GOPATH"], env);
    equal(r.code, 0, r.stderr);
    deepEqual(JSON.parse(r.stdout), {
      GOTOOLCHAIN: { value: "go1.22.0+auto", origin: `go env file ${f.dir}/goenv:2` },
      GOFLAGS: { value: "-mod=mod", origin: `go env file ${f.dir}/goenv:3` },
      GOPATH: { value: `${f.dir}/home/go`, origin: "default ($HOME/go)" },
    });
  } finally {
    f.cleanup();
  }
});

const { go, reason } = await findGo();
if (go === undefined) console.log(`skipping the exec comparison with the real go: ${reason}`);

Deno.test({
  name: "gtc exec gives the toolchain the environment the real go command gives it",
  ignore: go === undefined,
  fn() {
    const f = fixture();
    try {
      const env = { ...f.env, PATH: `${f.dir}/bin:${go!.bindir}:/usr/bin:/bin` };
      const viaGtc = gtc(["exec", "--", "go", "version"], env, `${f.dir}/m`);
      equal(viaGtc.code, 0, viaGtc.stderr);
      const viaGo = new Deno.Command(go!.path, {
        args: ["version"],
        env,
        clearEnv: true,
        cwd: `${f.dir}/m`,
      })
        .outputSync();
      const goOut = new TextDecoder().decode(viaGo.stdout);
      equal(viaGtc.stdout, goOut);
      equal(goOut, "fake go1.99.0 args=version version=go1.99.0 count=1 goroot=unset\n");
    } finally {
      f.cleanup();
    }
  },
});

Deno.test("gtc exec downloads like the go command, and fails in its words (GOPROXY=off)", () => {
  const f = fixture();
  try {
    Deno.writeTextFileSync(`${f.dir}/m/go.mod`, "module m\ngo 1.98.0\n");
    const r = gtc(["exec", "--", "go", "version"], f.env, `${f.dir}/m`);
    equal(r.stderr, "gtc: download go1.98.0 for linux/amd64: toolchain not available\n");
    equal(r.code, 1);
  } finally {
    f.cleanup();
  }
});

// Colour: on a real terminal (util-linux script(1) gives one), unless NO_COLOR.
const hasScript = (() => {
  try {
    return Deno.statSync("/usr/bin/script").isFile;
  } catch {
    return false;
  }
})();
if (!hasScript) console.log("skipping the TTY colour test: no /usr/bin/script (util-linux)");

Deno.test({
  name: "gtc why colours its output on a terminal, and NO_COLOR turns it off",
  ignore: !hasScript,
  fn() {
    const f = fixture();
    try {
      const run = (noColor: string) => {
        const env: Record<string, string> = { ...f.env, NO_COLOR: noColor, TERM: "xterm" };
        const cmd = `${Deno.execPath()} run -A --quiet ${cli} why ${f.dir}/m`;
        const out = new Deno.Command("/usr/bin/script", {
          args: ["-qec", cmd, "/dev/null"],
          env,
          clearEnv: true,
        }).outputSync();
        equal(out.code, 0, new TextDecoder().decode(out.stderr));
        return new TextDecoder().decode(out.stdout);
      };
      const coloured = run("");
      ok(coloured.includes("\x1b[1mgo1.99.0\x1b[22m"), JSON.stringify(coloured.slice(0, 80)));
      const plain = run("1");
      ok(!plain.includes("\x1b["), JSON.stringify(plain.slice(0, 80)));
      ok(plain.startsWith("go1.99.0 runs in"));
    } finally {
      f.cleanup();
    }
  },
});

Deno.test("a Microsoft build is recognised, explained, and run with GOTOOLCHAIN=local", () => {
  const f = fixture();
  try {
    // A store-like layout: a GOROOT with MICROSOFT_REVISION, linked as go1.22.5-1 in PATH.
    const root = `${f.dir}/store/microsoft/go1.22.5-1`;
    Deno.mkdirSync(`${root}/bin`, { recursive: true });
    Deno.mkdirSync(`${root}/pkg/tool`, { recursive: true });
    Deno.writeTextFileSync(`${root}/MICROSOFT_REVISION`, "1\n");
    Deno.writeTextFileSync(
      `${root}/bin/go`,
      '#!/bin/sh\necho "GOTOOLCHAIN=$GOTOOLCHAIN switch=${GOTOOLCHAIN_INTERNAL_SWITCH_VERSION-unset}"\n',
      { mode: 0o755 },
    );
    Deno.symlinkSync(`${root}/bin/go`, `${f.dir}/bin/go1.22.5-1`);
    const env = { ...f.env, GOTOOLCHAIN: "go1.22.5-1" };
    const why = gtc(["why", "--json"], env, `${f.dir}/m`);
    const x = JSON.parse(why.stdout);
    equal(x.toolchain, "go1.22.5-1");
    equal(x.source, "path");
    equal(x.microsoft, true);
    ok(x.notices.some((n: string) => n.includes("Microsoft build of Go")));
    const r = gtc(["exec", "--", "go", "version"], env, `${f.dir}/m`);
    equal(r.stdout, "GOTOOLCHAIN=local switch=unset\n", r.stderr);
    // Anything else is not flagged.
    equal(JSON.parse(gtc(["why", "--json"], f.env, `${f.dir}/m`).stdout).microsoft, false);
  } finally {
    f.cleanup();
  }
});
