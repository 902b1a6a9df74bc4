/**
 * gtc's build-information reader against `go version -m` on binaries the
 * real go builds here: Go's TestReadFile table (modules and GOPATH builds,
 * damaged magic, absurd string length) for ELF, PE and Mach-O targets in exe
 * and pie modes, a universal Mach-O, and debug.ParseBuildInfo/String on
 * Go's round-trip inputs, all compared with what the go command prints.
 */
import { equal } from "node:assert/strict";
import { findGo, type GoInfo, pool, removeSettled } from "../differential/gocmd.ts";
import {
  buildInfoJson,
  formatBuildInfo,
  formatVersionM,
  parseBuildInfo,
  readBuildInfo,
} from "../../lib/buildinfo/mod.ts";
import { openReaderAt } from "../../lib/host/reader_at.ts";

const { go, reason } = await findGo();
const dec = new TextDecoder();

/** The environment of every go run: no network, no user settings, the user's build cache. */
async function goEnv(go: GoInfo, home: string): Promise<Record<string, string>> {
  const out = await new Deno.Command(go.path, { args: ["env", "GOCACHE"] }).output();
  return {
    PATH: `${go.bindir}:/usr/bin:/bin`,
    HOME: home,
    GOENV: "off",
    GOTOOLCHAIN: "local",
    GOPROXY: "off",
    GOFLAGS: "-mod=mod",
    GOCACHE: dec.decode(out.stdout).trim() || `${home}/cache`,
    GOTELEMETRY: "off",
  };
}

async function run(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const o = await new Deno.Command(cmd, { args, env, clearEnv: true, cwd }).output();
  return { code: o.code, stdout: dec.decode(o.stdout), stderr: dec.decode(o.stderr) };
}

// gtcVersionM is what gtc's reader makes of file, in `go version -m` form
// (stdout) or the error go version prints (stderr).
function gtcVersionM(file: string): { stdout: string; stderr: string; json?: unknown } {
  let r;
  try {
    r = openReaderAt(file);
  } catch (e) {
    return { stdout: "", stderr: String(e) };
  }
  try {
    const bi = readBuildInfo(r);
    return { stdout: formatVersionM(file, bi), stderr: "", json: buildInfoJson(bi) };
  } catch (e) {
    return {
      stdout: "",
      stderr: `${file}: could not read Go build info from ${file}: ${(e as Error).message}\n`,
    };
  } finally {
    r.close();
  }
}

function patch(file: string, edit: (data: Uint8Array, at: number) => void): void {
  const data = Deno.readFileSync(file);
  const magic = new Uint8Array([0xff, ...new TextEncoder().encode(" Go buildinf:")]);
  let at = -1;
  outer: for (let i = 0; i + magic.length <= data.length; i++) {
    for (let k = 0; k < magic.length; k++) if (data[i + k] !== magic[k]) continue outer;
    at = i;
    break;
  }
  if (at < 0) throw new Error(`${file}: no build info magic`);
  edit(data, at);
  Deno.writeFileSync(file, data);
}

// Go's damageBuildInfo and damageStringLen.
const damageMagic = (f: string) => patch(f, (d, i) => (d[i + 2] = "N".charCodeAt(0)));
const damageStringLen = (f: string) =>
  patch(f, (d, i) => {
    // binary.PutUvarint(16<<40): 16 TB.
    let v = 16n << 40n;
    let k = i + 32;
    while (v >= 0x80n) {
      d[k++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    d[k] = Number(v);
  });

const platforms = [
  "linux/amd64",
  "linux/386",
  "linux/arm64",
  "windows/amd64",
  "windows/386",
  "darwin/amd64",
  "darwin/arm64",
];
const modes = ["exe", "pie"];

Deno.test({
  name: "buildinfo: gtc reads what go version -m reads (ELF, PE, Mach-O; exe, pie; damaged)",
  ignore: go === undefined,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "gtc-buildinfo-" });
    try {
      const env = await goEnv(go!, `${root}/home`);
      // The module and GOPATH sources of Go's TestReadFile.
      await Deno.mkdir(`${root}/mod`, { recursive: true });
      await Deno.writeTextFile(`${root}/mod/go.mod`, "module example.com/m\ngo 1.18\n");
      await Deno.writeTextFile(`${root}/mod/hello.go`, "package main\nfunc main() {}\n");
      await Deno.mkdir(`${root}/gopath/src/example.com/m`, { recursive: true });
      await Deno.writeTextFile(
        `${root}/gopath/src/example.com/m/hello.go`,
        "package main\nfunc main() {}\n",
      );
      const builds = platforms.flatMap((p) =>
        modes.flatMap((m) => ["modules", "gopath"].map((how) => ({ p, m, how })))
      );
      const files = await pool(builds, 2, async ({ p, m, how }) => {
        const [goos, goarch] = p.split("/");
        const out = `${root}/bin/${how}_${goos}_${goarch}_${m}`;
        const e = how === "modules"
          ? { ...env, GO111MODULE: "on", GOOS: goos, GOARCH: goarch }
          : { ...env, GO111MODULE: "off", GOPATH: `${root}/gopath`, GOOS: goos, GOARCH: goarch };
        const dir = how === "modules" ? `${root}/mod` : `${root}/gopath/src/example.com/m`;
        const r = await run(go!.path, ["build", `-o=${out}`, `-buildmode=${m}`], e, dir);
        if (r.code !== 0) {
          // Go's test skips these too (pie needs cgo on some targets).
          if (/-buildmode=\S+ (not supported|requires external)/.test(r.stderr)) return [];
          throw new Error(`go build ${p} ${m}: ${r.stderr}`);
        }
        const damaged = [`${out}.badmagic`];
        await Deno.copyFile(out, damaged[0]);
        damageMagic(damaged[0]);
        if (how === "modules") {
          damaged.push(`${out}.badlen`);
          await Deno.copyFile(out, damaged[1]);
          damageStringLen(damaged[1]);
        }
        return [out, ...damaged];
      });
      const all = files.flat();
      // Also: an empty file, a script, a missing file.
      await Deno.writeFile(`${root}/bin/empty`, new Uint8Array(0), { mode: 0o755 });
      await Deno.writeTextFile(`${root}/bin/script`, "#!/bin/sh\n", { mode: 0o755 });
      all.push(`${root}/bin/empty`, `${root}/bin/script`);
      let compared = 0;
      for (const f of all) {
        const want = await run(go!.path, ["version", "-m", f], env);
        const got = gtcVersionM(f);
        equal(got.stdout, want.stdout, f);
        equal(got.stderr, want.stderr, f);
        if (want.code === 0) {
          const wj = await run(go!.path, ["version", "-m", "-json", f], env);
          equal(JSON.stringify(got.json), JSON.stringify(JSON.parse(wj.stdout)), `${f} -json`);
        }
        compared++;
      }
      equal(compared >= platforms.length * 5, true, `compared ${compared} files`);
    } finally {
      await removeSettled(root);
    }
  },
});

Deno.test({
  name: "buildinfo: a universal (fat) Mach-O reads as its first architecture, as go version -m",
  ignore: go === undefined,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "gtc-fat-" });
    try {
      const env = await goEnv(go!, `${root}/home`);
      await Deno.writeTextFile(`${root}/go.mod`, "module example.com/fat\ngo 1.21\n");
      await Deno.writeTextFile(`${root}/main.go`, "package main\nfunc main() {}\n");
      const parts: Uint8Array[] = [];
      for (const arch of ["arm64", "amd64"]) {
        const r = await run(go!.path, ["build", "-o", `${root}/${arch}`], {
          ...env,
          GOOS: "darwin",
          GOARCH: arch,
        }, root);
        equal(r.code, 0, r.stderr);
        parts.push(await Deno.readFile(`${root}/${arch}`));
      }
      // fat_header + fat_arch entries (big-endian), images aligned to 2^14.
      const align = 1 << 14;
      const cpu = [0x0100000c, 0x01000007];
      let off = align;
      const header = new DataView(new ArrayBuffer(8 + 20 * parts.length));
      header.setUint32(0, 0xcafebabe);
      header.setUint32(4, parts.length);
      const offsets: number[] = [];
      parts.forEach((p, i) => {
        header.setUint32(8 + i * 20, cpu[i]);
        header.setUint32(12 + i * 20, 0);
        header.setUint32(16 + i * 20, off);
        header.setUint32(20 + i * 20, p.length);
        header.setUint32(24 + i * 20, 14);
        offsets.push(off);
        off = Math.ceil((off + p.length) / align) * align;
      });
      const fat = new Uint8Array(off);
      fat.set(new Uint8Array(header.buffer));
      parts.forEach((p, i) => fat.set(p, offsets[i]));
      await Deno.writeFile(`${root}/fat`, fat, { mode: 0o755 });
      const want = await run(go!.path, ["version", "-m", `${root}/fat`], env);
      equal(want.code, 0, want.stderr);
      equal(gtcVersionM(`${root}/fat`).stdout, want.stdout);
      // The first image is arm64: its build settings say so.
      equal(want.stdout.includes("GOARCH=arm64"), true, want.stdout);
    } finally {
      await removeSettled(root);
    }
  },
});

// Inputs for debug.ParseBuildInfo: Go's FuzzParseBuildInfoRoundTrip seeds
// and the error paths of ParseBuildInfo.
const parseInputs = [
  "path\trsc.io/fortune\nmod\trsc.io/fortune\tv1.0.0\n",
  "path\tcmd/test2json",
  "go\t1.18\npath\texample.com/m\nmod\texample.com/m\t(devel)\t\nbuild\t-compiler=gc\n",
  "go\t1.18\npath\texample.com/m\nbuild\t-compiler=gc\n",
  'go 1.18\npath example.com/m\nbuild CRAZY_ENV="requires\\nescaping"\n',
  'path\tp\nbuild\tCRAZY_ENV="requires\\nescaping"\nbuild\t"a b"=`c d`\n',
  "mod\tx\tv1\th1:s\n=>\ty\tv2\th1:t\ndep\tz\tv3\th1:u\n=>\t../z\t\t\n",
  "mod\ta\n",
  "dep\ta\tb\tc\td\n",
  "=>\ta\tb\tc\n",
  "mod\ta\tv1\t\n=>\tb\tv2\n",
  "build\t\n",
  "build\t=x\n",
  'build\t"unterminated=x\n',
  'build\t"k"\n',
  'build\t"k"x\n',
  "build\tnokey\n",
  "build\ta b=c\n",
  "build\tk=a b\n",
  'build\tk="bad\\q"\n',
  "build\tk=\n",
  "build\tk=`raw`\n",
  'path\tp\nbuild\tCGO_LDFLAGS="-L/x y"\nbuild\tDefaultGODEBUG=a=1,b=2\n',
];

Deno.test({
  name: "buildinfo: parseBuildInfo and formatBuildInfo agree with debug.ParseBuildInfo/String",
  ignore: go === undefined,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "gtc-parsebi-" });
    try {
      const env = await goEnv(go!, `${root}/home`);
      await Deno.writeTextFile(`${root}/go.mod`, "module example.com/p\ngo 1.21\n");
      await Deno.writeTextFile(
        `${root}/main.go`,
        `package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
)

func main() {
	var in []string
	json.NewDecoder(os.Stdin).Decode(&in)
	var out []map[string]any
	for _, s := range in {
		bi, err := debug.ParseBuildInfo(s)
		if err != nil {
			out = append(out, map[string]any{"err": err.Error()})
			continue
		}
		out = append(out, map[string]any{"info": bi, "string": bi.String()})
	}
	b, _ := json.Marshal(out)
	fmt.Println(string(b))
}
`,
      );
      const child = new Deno.Command(go!.path, {
        args: ["run", "."],
        env,
        clearEnv: true,
        cwd: root,
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const w = child.stdin.getWriter();
      await w.write(new TextEncoder().encode(JSON.stringify(parseInputs)));
      await w.close();
      const o = await child.output();
      equal(o.code, 0, dec.decode(o.stderr));
      const want = JSON.parse(dec.decode(o.stdout)) as {
        err?: string;
        info?: unknown;
        string?: string;
      }[];
      parseInputs.forEach((s, i) => {
        let got: { err?: string; info?: unknown; string?: string };
        try {
          const bi = parseBuildInfo(s);
          got = { info: buildInfoJson(bi), string: formatBuildInfo(bi) };
        } catch (e) {
          got = { err: (e as Error).message };
        }
        equal(JSON.stringify(got), JSON.stringify(want[i]), JSON.stringify(s));
      });
    } finally {
      await removeSettled(root);
    }
  },
});

if (go === undefined) console.log(`buildinfo differential tests skipped: ${reason}`);
