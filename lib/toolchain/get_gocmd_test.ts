/**
 * Differential test: planGet and applyGet against the real `go get` (go >=
 * 1.21), for a matrix of go.mod files and go/toolchain arguments.
 *
 * The go command runs with GOTOOLCHAIN=local (it never switches; asking for a
 * go newer than it gives "updating go.mod requires go >= …"), GOFLAGS=-mod=mod,
 * GOSUMDB=off, GOENV=off, a temporary HOME, GOPATH, GOMODCACHE and GOCACHE,
 * and GOPROXY=file:// a tree that lists golang.org/toolchain versions (with
 * .info files, as Stat needs). Skipped, with a message, when no such go is
 * installed.
 *
 * @module
 */

import assert from "node:assert/strict";
import { applyGet, planGet } from "./get.ts";

function findGo(): { path: string; version: string } | undefined {
  const dirs = (Deno.env.get("PATH") ?? "").split(":").filter((d) => d !== "");
  for (const path of [...dirs.map((d) => `${d}/go`), "/usr/local/go/bin/go"]) {
    try {
      const out = new Deno.Command(path, {
        args: ["env", "GOVERSION"],
        env: { GOTOOLCHAIN: "local", GOENV: "off" },
        stdout: "piped",
        stderr: "null",
      }).outputSync();
      const v = new TextDecoder().decode(out.stdout).trim();
      const m = /^go(1\.(\d+)(\.\d+)?)$/.exec(v);
      if (out.success && m && Number(m[2]) >= 21) return { path, version: m[1] };
    } catch {
      // Not there or not runnable: try the next one.
    }
  }
  return undefined;
}

const go = findGo();

/** The golang.org/toolchain versions the test proxy serves (linux-amd64). */
export const available = [
  "1.18",
  "1.18.1",
  "1.18.9",
  "1.20.14",
  "1.21.0",
  "1.21.13",
  "1.22rc1",
  "1.22.0",
  "1.22.1",
  "1.22.9",
  "1.23.0",
  "1.23.5",
  "1.23.9",
  "1.24rc1",
  "1.24.0",
  "1.24.3",
  "1.25rc2",
  "1.27rc1",
  "1.27.0",
  "1.999testmod",
];

const inputs: Record<string, string> = {
  "no go line": "module m\n",
  "go 1.10": "module m\n\ngo 1.10\n",
  "go 1.16": "module m\n\ngo 1.16\n",
  "go 1.20": "module m\n\ngo 1.20\n",
  "go 1.21": "module m\n\ngo 1.21\n",
  "go 1.21 toolchain go1.22.1": "module m\n\ngo 1.21\n\ntoolchain go1.22.1\n",
  "go 1.22.1 toolchain go1.23.5 commented":
    "// The module.\nmodule m // mine\n\n// language\ngo 1.22.1 // lang\n\n// why\ntoolchain go1.23.5 // pinned\n",
  "go 1.23.9": "module m\n\ngo 1.23.9\n",
  "toolchain default": "module m\n\ngo 1.21\n\ntoolchain default\n",
  "toolchain below go": "module m\n\ngo 1.22.0\ntoolchain go1.21.0\n",
  "go 1.24rc1": "module m\n\ngo 1.24rc1\n",
  "go newer than local": "module m\n\ngo 1.27.0\n",
  "go and requires": "module m\n\ngo 1.21\n\nrequire (\n)\n\n// tail\n",
};

const argSets: string[][] = [
  ["go"],
  ["toolchain"],
  ["go@latest"],
  ["toolchain@latest"],
  ["go@upgrade"],
  ["go@patch"],
  ["toolchain@patch"],
  ["go@1.22"],
  ["go@1.23"],
  ["go@1.24"],
  ["go@1.25"],
  ["go@1.27"],
  ["go@1.27.0"],
  ["go@1.19"],
  ["go@1.20"],
  ["go@1.21"],
  ["go@1.22.4"],
  ["toolchain@go1.22.4"],
  ["toolchain@go1.22"],
  ["toolchain@1.23.9"],
  ["toolchain@go1.20.14"],
  ["toolchain@none"],
  ["go@none"],
  ["go@garbage"],
  ["go@go1.21.0"],
  ["toolchain@go1.24rc1"],
  ["go@1.22.1", "toolchain@go1.23.0"],
  ["go@1.23", "toolchain@go1.22.1"],
  ["go@1.23.9", "toolchain@none"],
  ["toolchain@go1.27.0"],
  ["go@1.21", "toolchain@go1.21.0"],
  ["go@>=1.22"],
  ["go@<1.23"],
  ["toolchain@go1.30"],
  ["go@go1.30"],
];

Deno.test({
  name: "planGet() and applyGet() agree with the real go get",
  ignore: go === undefined,
  async fn(t) {
    const dir = Deno.makeTempDirSync({ prefix: "gtc-get-gocmd-" });
    try {
      const proxy = `${dir}/proxy`;
      const v = `${proxy}/golang.org/toolchain/@v`;
      Deno.mkdirSync(v, { recursive: true });
      Deno.writeTextFileSync(
        `${v}/list`,
        available.map((a) => `v0.0.1-go${a}.linux-amd64\n`).join(""),
      );
      for (const a of available) {
        const dl = `v0.0.1-go${a}.linux-amd64`;
        Deno.writeTextFileSync(
          `${v}/${dl}.info`,
          JSON.stringify({ Version: dl, Time: "2023-08-01T00:00:00Z" }),
        );
      }
      const statError = (dl: string) =>
        `golang.org/toolchain@${dl}: reading file://${proxy}/golang.org/toolchain/@v/${dl}.info: no such file or directory`;

      let n = 0;
      const jobs: { name: string; input: string; args: string[] }[] = [];
      for (const [name, input] of Object.entries(inputs)) {
        for (const args of argSets) jobs.push({ name, input, args });
      }
      const runs = await pool(jobs, 8, async (job) => {
        const m = `${dir}/m${n++}`;
        Deno.mkdirSync(m);
        Deno.writeTextFileSync(`${m}/go.mod`, job.input);
        const out = await new Deno.Command(go!.path, {
          args: ["get", ...job.args],
          cwd: m,
          clearEnv: true,
          env: {
            PATH: "/usr/bin:/bin",
            HOME: dir,
            GOPATH: `${dir}/gopath`,
            GOMODCACHE: `${dir}/modcache`,
            GOCACHE: `${dir}/cache`,
            GOTOOLCHAIN: "local",
            GOPROXY: `file://${proxy}`,
            GOSUMDB: "off",
            GOFLAGS: "-mod=mod",
            GOENV: "off",
          },
          stdout: "piped",
          stderr: "piped",
        }).output();
        return {
          ok: out.success,
          stderr: new TextDecoder().decode(out.stderr),
          gomod: Deno.readTextFileSync(`${m}/go.mod`),
        };
      });
      let failures = 0;
      for (const [i, job] of jobs.entries()) {
        const real = runs[i];
        await t.step(`${job.name}: go get ${job.args.join(" ")}`, () => {
          const goLine = /^go (\S+)/m.exec(job.input)?.[1];
          const tcLine = /^toolchain (\S+)/m.exec(job.input)?.[1];
          const plan = planGet({
            file: "go.mod",
            go: goLine,
            toolchain: tcLine,
            args: job.args,
            local: go!.version,
            available,
            gotoolchain: "local",
            statError,
          });
          try {
            assert.equal(plan.stderr.map((l) => l + "\n").join(""), real.stderr);
            assert.equal(!plan.failed, real.ok);
            assert.equal(applyGet(job.input, plan, "go.mod"), real.gomod);
          } catch (e) {
            failures++;
            throw e;
          }
        });
      }
      console.log(`get differential: ${jobs.length} go get runs, ${failures} disagreements`);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

if (go === undefined) {
  console.log("get_gocmd_test.ts: skipping the go get comparison: no go >= 1.21 found");
}

async function pool<T, R>(items: T[], n: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]);
      }
    }),
  );
  return out;
}
