import { deepEqual, equal, match, ok } from "node:assert/strict";
import { resolve } from "../resolve/mod.ts";
import { baseEnv, machine, memHost } from "./_test_host.ts";
import { Session } from "./session.ts";

const mod = "module m\n\ngo 1.22 // mine\n";
const modTc = "// m\nmodule m\n\ngo 1.22\n\ntoolchain go1.99.0 // pinned\n\nrequire a v1.0.0\n";
const work = "go 1.23\n\nuse ./a\n";
const amod = "module a\n\ngo 1.22\n";

interface Case {
  name: string;
  files: Record<string, string>;
  cwd: string;
  lines: string[];
  /** What the files would say on disk after the same edits. */
  disk?: Record<string, string>;
  /** The environment after the same changes. */
  env?: Record<string, string | undefined>;
  toolchain: string | null;
}

const cases: Case[] = [
  {
    name: "no change",
    files: { "/src/m/go.mod": mod },
    cwd: "/src/m",
    lines: [],
    toolchain: "go1.24.1",
  },
  {
    name: "mod go raises the go line: switch to the PATH go1.99.0",
    files: { "/src/m/go.mod": mod },
    cwd: "/src/m",
    lines: ["mod go 1.99.0"],
    disk: { "/src/m/go.mod": "module m\n\ngo 1.99.0 // mine\n" },
    toolchain: "go1.99.0",
  },
  {
    name: "mod go to a version nobody has: a download",
    files: { "/src/m/go.mod": mod },
    cwd: "/src/m/",
    lines: ["mod go 1.30"],
    disk: { "/src/m/go.mod": "module m\n\ngo 1.30 // mine\n" },
    toolchain: "go1.30.0",
  },
  {
    name: "mod toolchain adds a line after go",
    files: { "/src/m/go.mod": mod, "/src/m/sub/": "" },
    cwd: "/src/m/sub",
    lines: ["mod toolchain go1.31.0"],
    disk: { "/src/m/go.mod": "module m\n\ngo 1.22 // mine\n\ntoolchain go1.31.0\n" },
    toolchain: "go1.31.0",
  },
  {
    name: "mod drop toolchain",
    files: { "/src/m/go.mod": modTc },
    cwd: "/src/m",
    lines: ["mod drop toolchain"],
    disk: { "/src/m/go.mod": "// m\nmodule m\n\ngo 1.22\n\nrequire a v1.0.0\n" },
    toolchain: "go1.24.1",
  },
  {
    name: "mod toolchain none = drop",
    files: { "/src/m/go.mod": modTc },
    cwd: "/src/m",
    lines: ["mod toolchain none", "mod go 1.99.0"],
    disk: { "/src/m/go.mod": "// m\nmodule m\n\ngo 1.99.0\n\nrequire a v1.0.0\n" },
    toolchain: "go1.99.0",
  },
  {
    name: "edits compose and reset restores the file",
    files: { "/src/m/go.mod": mod },
    cwd: "/src/m",
    lines: ["mod go 1.99.0", "mod toolchain go1.30.0", "mod reset", "mod go 1.25.0"],
    disk: { "/src/m/go.mod": "module m\n\ngo 1.25.0 // mine\n" },
    toolchain: "go1.25.0",
  },
  {
    name: "editing back to the disk text leaves no change",
    files: { "/src/m/go.mod": mod },
    cwd: "/src/m",
    lines: ["mod go 1.30", "mod go 1.22"],
    toolchain: "go1.24.1",
  },
  {
    name: "work go raises the workspace",
    files: { "/src/w/go.work": work, "/src/w/a/go.mod": amod },
    cwd: "/src/w/a",
    lines: ["work go 1.99.0"],
    disk: { "/src/w/go.work": "go 1.99.0\n\nuse ./a\n" },
    toolchain: "go1.99.0",
  },
  {
    name: "mod in a workspace edits go.mod, which the workspace ignores",
    files: { "/src/w/go.work": work, "/src/w/a/go.mod": amod },
    cwd: "/src/w/a",
    lines: ["mod go 1.99.0"],
    disk: { "/src/w/a/go.mod": "module a\n\ngo 1.99.0\n" },
    toolchain: "go1.24.1",
  },
  {
    name: "GOWORK=off: the go.mod edit counts",
    files: { "/src/w/go.work": work, "/src/w/a/go.mod": amod },
    cwd: "/src/w/a",
    lines: ["set GOWORK=off", "mod go 1.99.0"],
    disk: { "/src/w/a/go.mod": "module a\n\ngo 1.99.0\n" },
    env: { GOWORK: "off" },
    toolchain: "go1.99.0",
  },
  {
    name: "GOTOOLCHAIN=local ignores the edited line",
    files: { "/src/m/go.mod": mod },
    cwd: "/src/m",
    lines: ["mod go 1.30", "set GOTOOLCHAIN=local"],
    disk: { "/src/m/go.mod": "module m\n\ngo 1.30 // mine\n" },
    env: { GOTOOLCHAIN: "local" },
    toolchain: "go1.24.1",
  },
  {
    name: "GOTOOLCHAIN=go1.99.0+path and a go line above it",
    files: { "/src/m/go.mod": mod },
    cwd: "/src/m",
    lines: ["set GOTOOLCHAIN go1.99.0+path", "mod go 1.99.1"],
    disk: { "/src/m/go.mod": "module m\n\ngo 1.99.1 // mine\n" },
    env: { GOTOOLCHAIN: "go1.99.0+path" },
    toolchain: "go1.99.1",
  },
  {
    name: "unset GOTOOLCHAIN",
    files: { "/src/m/go.mod": mod },
    cwd: "/src/m",
    lines: ["unset GOTOOLCHAIN", "mod go 1.99.0"],
    disk: { "/src/m/go.mod": "module m\n\ngo 1.99.0 // mine\n" },
    env: { GOTOOLCHAIN: undefined },
    // No $GOROOT/go.env here: GOTOOLCHAIN defaults to local.
    toolchain: "go1.24.1",
  },
  {
    name: "a go.mod reached through a symlinked directory",
    files: { "/src/m/go.mod": mod, "/src/link": "-> /src/m" },
    cwd: "/src/link",
    lines: ["mod go 1.99.0"],
    disk: { "/src/m/go.mod": "module m\n\ngo 1.99.0 // mine\n" },
    toolchain: "go1.99.0",
  },
  {
    name: "cd changes the directory evaluated",
    files: { "/src/m/go.mod": mod, "/src/n/go.mod": "module n\ngo 1.99.0\n" },
    cwd: "/src/m",
    lines: ["cd ../n"],
    toolchain: "go1.99.0",
  },
];

Deno.test("what-if answers equal resolve() with the same files on disk and the same env", async (t) => {
  for (const c of cases) {
    await t.step(c.name, async () => {
      const fs = machine(c.files);
      const s = new Session({ host: memHost(fs, c.cwd, baseEnv) });
      for (const line of c.lines) {
        const o = await s.run(line);
        equal(o.err, "", `${line}: ${o.err}`);
      }
      // Nothing was written.
      for (const [p, text] of Object.entries(c.files)) {
        if (!p.endsWith("/") && !text.startsWith("-> ")) {
          equal(new TextDecoder().decode(fs.readFile(p)), text);
        }
      }
      const disk = machine({ ...c.files, ...c.disk });
      const env: Record<string, string> = { ...baseEnv };
      for (const [k, v] of Object.entries(c.env ?? {})) {
        if (v === undefined) delete env[k];
        else env[k] = v;
      }
      const want = resolve(memHost(disk, c.cwd, env), { dir: s.cwd });
      deepEqual(s.explain(), want);
      equal(s.explain().toolchain, c.toolchain);
      equal(s.hasChanges(), c.disk !== undefined || c.env !== undefined);
      // why --json is that object.
      deepEqual(JSON.parse((await s.run("why --json")).out), JSON.parse(JSON.stringify(want)));
    });
  }
});

Deno.test("edits the go command would refuse change nothing and say why", async () => {
  const fs = machine({ "/src/m/go.mod": mod, "/src/bad/go.mod": "module b\ngo 1.22\nfoo bar\n" });
  const s = new Session({ host: memHost(fs, "/src/m", baseEnv) });
  let o = await s.run("mod go 1.22.x");
  ok(o.failed);
  match(o.err, /invalid go version "1.22.x"/);
  o = await s.run("mod toolchain 1.22");
  match(o.err, /invalid toolchain "1.22"/);
  o = await s.run("work go 1.30");
  match(o.err, /no go.work in use/);
  o = await s.run("cd ../bad");
  equal(o.err, "");
  o = await s.run("mod go 1.30");
  match(o.err, /errors parsing \/src\/bad\/go.mod:\ngo.mod:3: unknown directive: foo/);
  o = await s.run("cd /");
  o = await s.run("mod go 1.30");
  match(o.err, /no go.mod in \/ or any parent/);
  equal(s.hasChanges(), false);
});

Deno.test("changes, reset, env, pwd, cd -, echo, help, exit", async () => {
  const fs = machine({ "/src/m/go.mod": mod, "/src/m/sub/": "" });
  const s = new Session({ host: memHost(fs, "/src/m", baseEnv) });
  equal((await s.run("changes")).out, "no what-if changes\n");
  await s.run("set GOTOOLCHAIN=go1.99.0+auto");
  await s.run("unset HOME");
  await s.run("mod go 1.30");
  equal(
    (await s.run("changes")).out,
    "set GOTOOLCHAIN=go1.99.0+auto  (was auto)\nunset HOME  (was /home/u)\n" +
      "/src/m/go.mod (in memory):\n  -go 1.22 // mine\n  +go 1.30 // mine\n",
  );
  match(
    (await s.run("why")).out,
    /^what-if: GOTOOLCHAIN=go1.99.0\+auto, unset HOME, go.mod edited\n/,
  );
  ok((await s.run("env GOTOOLCHAIN")).out.startsWith(
    "GOTOOLCHAIN=go1.99.0+auto  # environment, what-if\n",
  ));
  deepEqual(JSON.parse((await s.run("env GOTOOLCHAIN GOENV --json")).out), {
    GOTOOLCHAIN: { value: "go1.99.0+auto", origin: "environment, what-if" },
    GOENV: { value: "off", origin: "environment" },
  });
  equal((await s.run("mod show")).out, "# /src/m/go.mod\nmodule m\n\ngo 1.30 // mine\n");
  equal((await s.run("cd")).err, "error: cd: HOME not set\n");
  await s.run("reset");
  equal(s.hasChanges(), false);
  deepEqual(s.env, baseEnv);
  await s.run("cd sub");
  equal((await s.run("pwd")).out, "/src/m/sub\n");
  await s.run("cd -");
  equal(s.cwd, "/src/m");
  await s.run("cd");
  equal(s.cwd, "/home/u");
  equal((await s.run("cd /nope")).err, "error: /nope: no such directory\n");
  equal((await s.run("cd /src/m/go.mod")).err, "error: /src/m/go.mod: not a directory\n");
  equal((await s.run("echo a 'b  c'")).out, "a b  c\n");
  match((await s.run("help")).out, /^Commands/);
  match((await s.run("help set")).out, /^set KEY=VALUE\n/);
  match((await s.run("help nope")).err, /unknown command "nope"/);
  const o = await s.run("exit");
  ok(o.exit);
  equal(o.failed, false);
});

Deno.test("install and list: not available without an installer; with one, what-ifs are passed", async () => {
  const fs = machine({ "/src/m/go.mod": mod });
  let s = new Session({ host: memHost(fs, "/src/m", baseEnv) });
  equal(
    (await s.run("install go1.30.0")).err,
    "error: gtc install is not available in this build yet\n",
  );
  equal((await s.run("list")).err, "error: gtc list is not available in this build yet\n");

  const calls: unknown[] = [];
  s = new Session({
    host: memHost(fs, "/src/m", baseEnv),
    install: (req) => {
      calls.push(req);
      if (req.name === "go1.0.0") return Promise.reject(new Error("not available"));
      return Promise.resolve(`installed ${req.name}\n`);
    },
    list: (req) => Promise.resolve(`listed ${req.args.join(" ")}\n`),
  });
  equal((await s.run("install")).out, "go1.24.1 is the local go command: nothing to install\n");
  await s.run("mod go 1.30");
  await s.run("set GOPROXY=off");
  equal((await s.run("install")).out, "installed go1.30.0\n");
  deepEqual(calls, [{
    name: "go1.30.0",
    source: undefined,
    dir: "/src/m",
    env: { ...baseEnv, GOPROXY: "off" },
  }]);
  equal((await s.run("install go1.0.0")).err, "error: install go1.0.0: not available\n");
  equal((await s.run("list --json")).out, "listed --json\n");
  await s.run("mod go 1.99.0");
  equal(
    (await s.run("install")).out,
    "go1.99.0 is in PATH (/opt/bin/go1.99.0): nothing to install\n",
  );
});

Deno.test("prompt: directory, toolchain, what-if mark, colour", async () => {
  const fs = machine({ "/src/m/go.mod": mod });
  const s = new Session({ host: memHost(fs, "/src/m", baseEnv) });
  equal(s.prompt(), "gtc m go1.24.1> ");
  await s.run("mod go 1.30");
  equal(s.prompt(), "gtc m go1.30.0*> ");
  await s.run("set GOTOOLCHAIN=bad");
  equal(s.prompt(), "gtc m error*> ");
  const c = new Session({ host: memHost(fs, "/src/m", baseEnv), color: true });
  equal(c.prompt(), "\x1b[1mgtc\x1b[0m m \x1b[36mgo1.24.1\x1b[0m> ");
  ok((await c.run("why")).out.startsWith("\x1b[1mgo1.24.1\x1b[22m runs in"));
  equal((await c.run("nope")).err, '\x1b[31merror\x1b[0m: unknown command "nope" (try help)\n');
});
