/**
 * scripts/compile.ts: it refuses a "runtime" that is plain deno, says
 * plainly when no denort can be had, and otherwise writes binaries that
 * behave as gtc with a SHA256SUMS that lists them.
 */
import assert from "node:assert/strict";
import { BINARY_TARGETS, parseSums, sha256Hex } from "../../lib/release/mod.ts";
import { hostPlatform } from "../fixtures/mod.ts";

const root = new URL("../..", import.meta.url).pathname;
const host = hostPlatform();
const hostBuilt = host in BINARY_TARGETS;

async function compile(args: string[], env: Record<string, string> = {}) {
  const out = await Deno.makeTempDir({ prefix: "gtc-compile-" });
  const env0 = Deno.env.toObject();
  delete env0.DENORT_BIN;
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${root}scripts/compile.ts`, "--out", out, ...args],
    env: { ...env0, ...env },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    out,
    code: r.code,
    stdout: dec.decode(r.stdout),
    stderr: dec.decode(r.stderr),
    files: () => [...Deno.readDirSync(out)].map((e) => e.name).sort(),
  };
}

Deno.test("compile: usage errors name the target", async () => {
  const cases: { args: string[]; env: Record<string, string>; want: RegExp }[] = [
    { args: ["--targets", "linux-armv6l"], env: {}, want: /unknown target linux-armv6l: want / },
    {
      args: ["--targets", "windows-amd64"],
      env: { DENORT_BIN: "/nonexistent/denort" },
      want: /DENORT_BIN is the runtime of one target, this machine's/,
    },
  ];
  for (const c of cases) {
    const r = await compile(c.args, c.env);
    try {
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, c.want);
      assert.deepEqual(r.files(), []);
    } finally {
      await Deno.remove(r.out, { recursive: true });
    }
  }
});

Deno.test({
  name: "compile: DENORT_BIN=<plain deno> gives deno, not gtc: refused and deleted",
  ignore: !hostBuilt,
  async fn() {
    const r = await compile([], { DENORT_BIN: Deno.execPath() });
    try {
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stderr,
        /does not behave as gtc \(--version printed "deno .*", not \d+\.\d+\.\d+\): DENORT_BIN is not a denort runtime; deleted/,
      );
      assert.deepEqual(r.files(), ["gtc.js"]);
    } finally {
      await Deno.remove(r.out, { recursive: true });
    }
  },
});

Deno.test({
  name: "compile: this machine's binary from Deno's download, or a plain 'no denort runtime'",
  ignore: !hostBuilt,
  async fn() {
    const r = await compile(["--targets", host]);
    try {
      if (r.code !== 0) {
        // As on the project's machines: dl.deno.land is out of reach.
        assert.equal(r.code, 1);
        assert.match(
          r.stderr,
          /^compile: no denort runtime for [a-z0-9-]+ \(.*\): deno compile could not download https:\/\/dl\.deno\.land\//m,
        );
        assert.deepEqual(r.files(), ["gtc.js"]);
        console.log("dl.deno.land is not reachable: checked the message, not a binary");
        return;
      }
      const asset = BINARY_TARGETS[host].asset;
      assert.deepEqual(r.files(), ["SHA256SUMS", asset, "gtc.js"].sort());
      const sums = parseSums(Deno.readTextFileSync(`${r.out}/SHA256SUMS`));
      for (const a of [asset, "gtc.js"]) {
        assert.equal(sums.get(a), await sha256Hex(Deno.readFileSync(`${r.out}/${a}`)));
      }
    } finally {
      await Deno.remove(r.out, { recursive: true });
    }
  },
});
