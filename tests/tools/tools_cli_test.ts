/**
 * `gtc tools` end to end against the real go: a tool module served by a
 * file:// GOPROXY built here, installed with `go install path@version` (for
 * this machine, and cross-built for windows and darwin into GOPATH/bin's
 * goos_goarch directories); gtc's listing is compared with `go version -m
 * -json` on each file; a binary whose recorded Go version is made older is
 * flagged, and `gtc tools --rebuild` reinstalls it through the selected
 * toolchain so that the go command then reports the new version.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { zipSync } from "fflate";
import { findGo, removeSettled } from "../differential/gocmd.ts";
import { denoDir, gtc } from "../repl/_gtc.ts";

const { go, reason } = await findGo();
const dec = new TextDecoder();

const modPath = "example.com/tool";
const version = "v1.0.0";

// fileProxy lays out a GOPROXY directory serving example.com/tool@v1.0.0
// (the go command reads file:// proxies with the same protocol as https).
function fileProxy(root: string): string {
  const v = `${root}/proxy/${modPath}/@v`;
  Deno.mkdirSync(v, { recursive: true });
  const gomod = `module ${modPath}\n\ngo 1.21\n`;
  Deno.writeTextFileSync(`${v}/list`, `${version}\n`);
  Deno.writeTextFileSync(`${v}/${version}.info`, `{"Version":"${version}"}\n`);
  Deno.writeTextFileSync(`${v}/${version}.mod`, gomod);
  const prefix = `${modPath}@${version}/`;
  const enc = new TextEncoder();
  Deno.writeFileSync(
    `${v}/${version}.zip`,
    zipSync({
      [`${prefix}go.mod`]: enc.encode(gomod),
      [`${prefix}main.go`]: enc.encode('package main\n\nfunc main() { println("tool") }\n'),
    }),
  );
  return `file://${root}/proxy`;
}

async function run(cmd: string, args: string[], env: Record<string, string>) {
  const o = await new Deno.Command(cmd, { args, env, clearEnv: true }).output();
  return { code: o.code, stdout: dec.decode(o.stdout), stderr: dec.decode(o.stderr) };
}

// olderVersion turns go1.26.8 into go1.16.8: older, and the same length, so
// it can replace the version inside the binary's build information.
function olderVersion(v: string): string {
  const m = /^go1\.(\d+)(.*)$/.exec(v)!;
  const minor = Number(m[1]);
  const older = minor >= 20 ? minor - 10 : minor >= 10 ? minor - 5 : minor - 1;
  return `go1.${older}${m[2]}`;
}

Deno.test({
  name: "gtc tools: lists go install'ed programs as go version -m reads them; --rebuild",
  ignore: go === undefined,
  async fn() {
    const root = Deno.realPathSync(await Deno.makeTempDir({ prefix: "gtc-tools-" }));
    try {
      const gocache = (await run(go!.path, ["env", "GOCACHE"], Deno.env.toObject())).stdout.trim();
      const env: Record<string, string> = {
        PATH: `${go!.bindir}:/usr/bin:/bin`,
        HOME: `${root}/home`,
        GOPATH: `${root}/gopath`,
        GOENV: "off",
        GOTOOLCHAIN: "local",
        GOPROXY: fileProxy(root),
        GOSUMDB: "off",
        GOFLAGS: "-mod=mod",
        GOCACHE: gocache,
        GOTELEMETRY: "off",
        NO_COLOR: "1",
        DENO_DIR: denoDir(),
      };
      Deno.mkdirSync(`${root}/home`);
      const targets: Record<string, string>[] = [
        {},
        { GOOS: "windows", GOARCH: "amd64" },
        { GOOS: "darwin", GOARCH: "arm64" },
      ];
      for (const target of targets) {
        const r = await run(go!.path, ["install", `${modPath}@${version}`], { ...env, ...target });
        equal(r.code, 0, r.stderr);
      }
      const bin = `${root}/gopath/bin`;
      const files = ["darwin_arm64/tool", "tool", "windows_amd64/tool.exe"];
      for (const f of files) ok(Deno.statSync(`${bin}/${f}`).isFile, f);
      // A file that is not a Go program is skipped, as go version skips it.
      Deno.writeTextFileSync(`${bin}/script`, "#!/bin/sh\n", { mode: 0o755 });

      const list = async () => {
        const r = await gtc(["tools", "--json"], { env, cwd: root });
        equal(r.code, 0, r.stderr);
        return JSON.parse(r.stdout);
      };
      let got = await list();
      deepEqual(got.gobin, { dir: bin, origin: "first GOPATH entry + /bin" });
      equal(got.toolchain, go!.version);
      deepEqual(got.tools.map((t: { name: string }) => t.name), files);
      for (const t of got.tools) {
        const want = JSON.parse(
          (await run(go!.path, ["version", "-m", "-json", t.file], env)).stdout,
        );
        equal(t.goVersion, want.GoVersion);
        equal(t.path, want.Path);
        deepEqual(t.module, { path: want.Main.Path, version: want.Main.Version });
        const setting = (k: string) =>
          want.Settings.find((s: { Key: string }) => s.Key === k).Value;
        equal(t.goos, setting("GOOS"));
        equal(t.goarch, setting("GOARCH"));
        deepEqual(t.flags, [], t.name);
        equal(t.install, `${modPath}@${version}`);
      }

      // Make tool look built by an older Go, which is not installed either.
      const old = olderVersion(go!.version);
      const data = Deno.readFileSync(`${bin}/tool`);
      const needle = new TextEncoder().encode(go!.version);
      let patched = 0;
      for (let i = 0; i + needle.length <= data.length; i++) {
        if (needle.every((c, k) => data[i + k] === c) && data[i - 1] === needle.length) {
          data.set(new TextEncoder().encode(old), i); // the uvarint-prefixed version string
          patched++;
          break;
        }
      }
      equal(patched, 1);
      // A binary an older Go built also has another build ID (the toolchain
      // is part of it); without that, go install would find the file up to
      // date and leave it. Change every copy of the ID (ELF note and text).
      const id = (await run(go!.path, ["tool", "buildid", `${bin}/tool`], env)).stdout.trim();
      ok(id.length > 10, id);
      const idBytes = new TextEncoder().encode(id);
      // go install compares the leading action ID: change its first character.
      const other = new TextEncoder().encode((id.startsWith("A") ? "B" : "A") + id.slice(1));
      let ids = 0;
      for (let i = data.indexOf(idBytes[0]); i >= 0; i = data.indexOf(idBytes[0], i + 1)) {
        if (idBytes.every((c, k) => data[i + k] === c)) {
          data.set(other, i);
          ids++;
        }
      }
      ok(ids >= 1);
      Deno.writeFileSync(`${bin}/tool`, data);
      match(
        (await run(go!.path, ["version", `${bin}/tool`], env)).stdout,
        new RegExp(`: ${old}\n`),
      );

      got = await list();
      const tool = got.tools.find((t: { name: string }) => t.name === "tool");
      equal(tool.goVersion, old);
      deepEqual(tool.flags, ["older", "not-installed"]);
      const text2 = await gtc(["tools"], { env, cwd: root });
      match(
        text2.stdout,
        new RegExp(
          `tool\\s+${modPath}@${version}\\s+${old}\\s+older than ${
            go!.version
          }; ${old} is not installed`,
        ),
      );
      match(text2.stdout, /1 to rebuild: gtc tools --rebuild/);

      // --rebuild reinstalls only the flagged tool, through the selected go.
      const before = Deno.statSync(`${bin}/windows_amd64/tool.exe`).mtime;
      const rb = await gtc(["tools", "--rebuild", "--json"], { env, cwd: root });
      equal(rb.code, 0, rb.stderr);
      match(rb.stderr, new RegExp(`${go!.version} install ${modPath}@${version}`));
      const after = JSON.parse(rb.stdout);
      deepEqual(after.rebuilt, [{ tool: "tool", install: `${modPath}@${version}`, ok: true }]);
      deepEqual(after.tools.map((t: { flags: string[] }) => t.flags), [[], [], []]);
      match(
        (await run(go!.path, ["version", `${bin}/tool`], env)).stdout,
        new RegExp(`: ${go!.version}\n`),
      );
      deepEqual(Deno.statSync(`${bin}/windows_amd64/tool.exe`).mtime, before);

      // Naming a tool rebuilds it even when not flagged, for its own GOOS/GOARCH.
      const rw = await gtc(["tools", "--rebuild", "windows_amd64/tool.exe"], { env, cwd: root });
      equal(rw.code, 0, rw.stderr);
      const w = await run(go!.path, ["version", "-m", `${bin}/windows_amd64/tool.exe`], env);
      match(w.stdout, /GOOS=windows/);
      const unknown = await gtc(["tools", "--rebuild", "nope"], { env, cwd: root });
      equal(unknown.code, 1);
      match(unknown.stderr, /gtc tools: not Go programs in .*: nope/);
    } finally {
      await removeSettled(root);
    }
  },
});

Deno.test({
  name: "gtc tools: GOBIN wins over GOPATH; a relative GOBIN is refused as by go install",
  ignore: go === undefined,
  async fn() {
    const root = Deno.realPathSync(await Deno.makeTempDir({ prefix: "gtc-gobin-" }));
    try {
      const env = {
        PATH: `${go!.bindir}:/usr/bin:/bin`,
        HOME: root,
        GOPATH: `${root}/gp`,
        GOENV: "off",
        GOTOOLCHAIN: "local",
        DENO_DIR: denoDir(),
      };
      for (const [gobin, want] of [[`${root}/gb`, `${root}/gb`], ["", `${root}/gp/bin`]]) {
        const e = gobin ? { ...env, GOBIN: gobin } : env;
        const r = await gtc(["tools", "--json"], { env: e, cwd: root });
        equal(r.code, 0, r.stderr);
        equal(JSON.parse(r.stdout).gobin.dir, want);
        // The directory `go install` writes to is the one listed.
        const goSays = await run(go!.path, ["env", "GOBIN"], e);
        equal(goSays.stdout.trim(), gobin);
      }
      const rel = await gtc(["tools"], { env: { ...env, GOBIN: "rel/bin" }, cwd: root });
      equal(rel.code, 1);
      match(rel.stderr, /GOBIN must be an absolute path/);
    } finally {
      await removeSettled(root);
    }
  },
});

if (go === undefined) console.log(`gtc tools tests skipped: ${reason}`);
