/**
 * gtc use, differentially against the real go command: --global writes the
 * go env file byte for byte as `go env -w` / `go env -u` do (same file, same
 * bytes, same mode, through a symlink, the same warning), and the project
 * pin edits go.mod exactly as `go get toolchain@…` does.
 */
import assert from "node:assert/strict";
import { startFixture } from "../fixtures/mod.ts";
import { findGo } from "../differential/gocmd.ts";
import { updateEnvFile } from "../../lib/goenv/env_write.ts";
import { latin1Bytes, updateEnvFileTests } from "../../lib/goenv/_env_write_cases.ts";

const cli = new URL("../../cli/main.ts", import.meta.url).pathname;
const { go, reason } = await findGo();
if (go === undefined) console.log(`skipping tests/use/use_test.ts: ${reason}`);
const ignore = go === undefined;

const dec = new TextDecoder();

async function run(cmd: string, args: string[], env: Record<string, string>, cwd: string) {
  const out = await new Deno.Command(cmd, { args, env, clearEnv: true, cwd }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

function gtc(args: string[], env: Record<string, string>, cwd: string) {
  return run(Deno.execPath(), ["run", "-A", "--quiet", cli, ...args], env, cwd);
}

function baseEnv(home: string): Record<string, string> {
  return {
    PATH: `${go!.bindir}:/usr/bin:/bin`,
    HOME: home,
    GTC_HOME: `${home}/gtc`,
    GTC_DAEMON: "off",
    GOPROXY: "off",
    NO_COLOR: "1",
    DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
  };
}

// cliArgs is the gtc use command that writes value (or unsets).
function cliArgs(value: string | undefined): string[] {
  if (value === undefined) return ["use", "--global", "--unset"];
  if (["local", "auto", "path"].includes(value)) return ["use", "--global", value];
  const [name, mode] = value.split("+");
  return ["use", "--global", name, "--mode", mode ?? "exact"];
}

Deno.test({
  name: "updateEnvFile and gtc use --global write the bytes go env -w / -u write",
  ignore,
  async fn(t) {
    const tmp = Deno.makeTempDirSync({ prefix: "gtc-use-" });
    try {
      let n = 0;
      for (const c of updateEnvFileTests) {
        await t.step(c.name, async () => {
          const dir = `${tmp}/c${n++}`;
          Deno.mkdirSync(dir);
          const files = [`${dir}/go.env`, `${dir}/gtc.env`];
          if (c.before !== undefined) {
            for (const f of files) Deno.writeFileSync(f, latin1Bytes(c.before));
          }
          const env = baseEnv(dir);
          const value = c.add.GOTOOLCHAIN;
          const goArgs = value === undefined
            ? ["env", "-u", ...c.del]
            : ["env", "-w", ...Object.entries(c.add).map(([k, v]) => `${k}=${v}`)];
          const theirs = await run(go!.path, goArgs, { ...env, GOENV: files[0] }, dir);
          assert.equal(theirs.code, 0, theirs.stderr);
          const want = Deno.readFileSync(files[0]);
          // The table's expectation and the library agree with the go command.
          assert.deepEqual(
            updateEnvFile(c.before === undefined ? undefined : latin1Bytes(c.before), c.add, c.del),
            want,
          );
          assert.deepEqual(latin1Bytes(c.after), want);
          const mine = await gtc(cliArgs(value), { ...env, GOENV: files[1] }, dir);
          assert.equal(mine.code, 0, mine.stderr);
          assert.deepEqual(Deno.readFileSync(files[1]), want);
          assert.equal(mine.stderr, "");
        });
      }

      await t.step("a missing config directory is made, with go's modes", async () => {
        const dir = `${tmp}/fresh`;
        Deno.mkdirSync(dir);
        const env = baseEnv(dir);
        await run(go!.path, ["env", "-w", "GOTOOLCHAIN=go1.25.3+auto"], {
          ...env,
          XDG_CONFIG_HOME: `${dir}/a`,
        }, dir);
        const mine = await gtc(["use", "--global", "go1.25.3"], {
          ...env,
          XDG_CONFIG_HOME: `${dir}/b`,
        }, dir);
        assert.equal(mine.code, 0, mine.stderr);
        assert.match(mine.stdout, /GOTOOLCHAIN=go1\.25\.3\+auto in .*\/b\/go\/env/);
        for (const p of ["", "/go", "/go/env"]) {
          assert.equal(Deno.statSync(`${dir}/b${p}`).mode, Deno.statSync(`${dir}/a${p}`).mode, p);
        }
        assert.deepEqual(
          Deno.readFileSync(`${dir}/b/go/env`),
          Deno.readFileSync(`${dir}/a/go/env`),
        );
      });

      await t.step("through a symlinked env file: the link stays, its target changes", async () => {
        const dir = `${tmp}/link`;
        Deno.mkdirSync(`${dir}/dotfiles`, { recursive: true });
        Deno.writeTextFileSync(`${dir}/dotfiles/goenv`, "GOPROXY=direct\n");
        Deno.symlinkSync(`${dir}/dotfiles/goenv`, `${dir}/env`);
        const mine = await gtc(["use", "--global", "go1.24.1", "--mode", "path"], {
          ...baseEnv(dir),
          GOENV: `${dir}/env`,
        }, dir);
        assert.equal(mine.code, 0, mine.stderr);
        assert.ok(Deno.lstatSync(`${dir}/env`).isSymlink);
        assert.equal(
          Deno.readTextFileSync(`${dir}/dotfiles/goenv`),
          "GOPROXY=direct\nGOTOOLCHAIN=go1.24.1+path\n",
        );
      });

      await t.step(
        "the environment's GOTOOLCHAIN wins: the same warning as go env -w",
        async () => {
          const dir = `${tmp}/warn`;
          Deno.mkdirSync(dir);
          const env = { ...baseEnv(dir), GOTOOLCHAIN: "local" };
          const theirs = await run(go!.path, ["env", "-w", "GOTOOLCHAIN=go1.25.3+auto"], {
            ...env,
            GOENV: `${dir}/a`,
          }, dir);
          const mine = await gtc(
            ["use", "--global", "go1.25.3"],
            { ...env, GOENV: `${dir}/b` },
            dir,
          );
          assert.equal(mine.stderr, theirs.stderr);
          assert.notEqual(mine.stderr, "");
        },
      );

      await t.step("GOENV=off: nothing written, the go command's reason", async () => {
        const mine = await gtc(
          ["use", "--global", "go1.25.3"],
          { ...baseEnv(tmp), GOENV: "off" },
          tmp,
        );
        assert.equal(mine.code, 1);
        assert.equal(mine.stderr, "gtc: cannot find go env config: GOENV=off\n");
      });

      await t.step("bad versions are refused before anything is written", async () => {
        const env = { ...baseEnv(tmp), GOENV: `${tmp}/never` };
        for (
          const [arg, msg] of [["1.25", /language version/], ["go1.25.x", /not a Go version/], [
            "../go1.25.3",
            /not a Go version/,
          ]] as const
        ) {
          const mine = await gtc(["use", "--global", arg], env, tmp);
          assert.equal(mine.code, 1, arg);
          assert.match(mine.stderr, msg);
        }
        const noGlobal = await gtc(["use", "go1.25.3", "--mode", "path"], env, tmp);
        assert.equal(noGlobal.code, 1);
        assert.match(noGlobal.stderr, /--mode .* add --global/);
        const bad = await gtc(["use", "--global", "go1.25.3", "--mode", "sometimes"], env, tmp);
        assert.equal(bad.code, 1);
        assert.match(bad.stderr, /--mode sometimes: want auto, path, exact/);
        assert.throws(() => Deno.statSync(`${tmp}/never`));
      });
    } finally {
      Deno.removeSync(tmp, { recursive: true });
    }
  },
});

Deno.test({
  name: "gtc use pins the project exactly as go get toolchain@… does",
  ignore: ignore || Deno.build.os !== "linux" || Deno.build.arch !== "x86_64",
  async fn(t) {
    const f = await startFixture({ toolchains: ["go1.99.0", "go1.99.1"] });
    try {
      const env: Record<string, string> = {
        ...f.env,
        PATH: `${go!.bindir}:/usr/bin:/bin`,
        HOME: `${f.dir}/home`,
        GTC_HOME: `${f.dir}/gtchome`,
        GTC_DAEMON: "off",
        GOTOOLCHAIN: "local",
        NO_COLOR: "1",
        DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
      };
      const cases: {
        name: string;
        gomod: string;
        files?: Record<string, string>;
        use: string[];
        get: string[];
      }[] = [
        {
          name: "a version adds the toolchain line",
          gomod: "module m\n\ngo 1.22\n",
          use: ["go1.99.0"],
          get: ["toolchain@go1.99.0"],
        },
        {
          name: "1.99.1 means go1.99.1",
          gomod: "module m\n\ngo 1.22 // keep\n",
          use: ["1.99.1"],
          get: ["toolchain@go1.99.1"],
        },
        {
          name: "a language version asks for its latest release",
          gomod: "module m\n\ngo 1.22\n",
          use: ["1.99"],
          get: ["toolchain@go1.99"],
        },
        {
          name: "--unset drops the toolchain line",
          gomod: "module m\n\ngo 1.22\n\ntoolchain go1.99.0\n",
          use: ["--unset"],
          get: ["toolchain@none"],
        },
        {
          name: "older than the go line: go get's rule and message",
          gomod: "module m\n\ngo 1.99.1\n",
          use: ["go1.99.0"],
          get: ["toolchain@go1.99.0"],
        },
        {
          name: "--from-version-file: the nearest .go-version",
          gomod: "module m\n\ngo 1.22\n",
          files: { ".go-version": "1.99.1\n", "../.tool-versions": "golang 1.99.1\n" },
          use: ["--from-version-file"],
          get: ["toolchain@go1.99.1"],
        },
        {
          name: "--from-version-file FILE: mise's 1.99 is the latest 1.99.x",
          gomod: "module m\n\ngo 1.22\n",
          files: { ".go-version": "1.20.1\n", "mise.toml": '[tools]\ngo = "1.99"\n' },
          use: ["--from-version-file", "mise.toml"],
          get: ["toolchain@go1.99"],
        },
      ];
      let n = 0;
      for (const c of cases) {
        await t.step(c.name, async () => {
          const [a, b] = [`${f.work}/u${n}/gtc/m`, `${f.work}/u${n}/go/m`];
          n++;
          for (const d of [a, b]) {
            Deno.mkdirSync(d, { recursive: true });
            Deno.writeTextFileSync(`${d}/go.mod`, c.gomod);
            for (const [name, text] of Object.entries(c.files ?? {})) {
              Deno.writeTextFileSync(`${d}/${name}`, text);
            }
          }
          const mine = await gtc(["use", ...c.use], env, a);
          const theirs = await run(go!.path, ["get", ...c.get], env, b);
          assert.equal(mine.stderr, theirs.stderr);
          assert.equal(mine.code, theirs.code);
          assert.equal(Deno.readTextFileSync(`${a}/go.mod`), Deno.readTextFileSync(`${b}/go.mod`));
        });
      }
    } finally {
      await f.close();
    }
  },
});
