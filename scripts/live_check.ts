/**
 * Live check (not part of CI; runs only with GTC_LIVE=1): installs a real Go
 * toolchain through this environment's GOPROXY (proxy.golang.org unless the
 * environment or the go env file says otherwise), verified against the real
 * checksum database sum.golang.org, into a temporary GOPATH/GOMODCACHE, then
 * runs its bin/go version. Prints the time, the zip and tree sizes, and what
 * the toolchain says.
 *
 *   GTC_LIVE=1 scripts/deno run -A scripts/live_check.ts [go1.21.13] [--keep]
 *
 * @module
 */

import { describeOrigin, GoEnv } from "../lib/goenv/mod.ts";
import { denoFs } from "../lib/host/fs.ts";
import { hostGoproxyDeps } from "../lib/host/install_deps.ts";
import { installFromGoproxy } from "../lib/install/mod.ts";
import { removeAll } from "../tests/fixtures/mod.ts";

if (Deno.env.get("GTC_LIVE") !== "1") {
  console.log("live_check: set GTC_LIVE=1 to install a real toolchain from the network");
  Deno.exit(0);
}

const name = Deno.args.find((a) => !a.startsWith("--")) ?? "go1.21.13";
const keep = Deno.args.includes("--keep");
const goarchOf: Record<string, string> = { x86_64: "amd64", aarch64: "arm64" };
const goos = Deno.build.os;
const goarch = goarchOf[Deno.build.arch] ?? Deno.build.arch;

const dir = await Deno.makeTempDir({ prefix: "gtc-live-" });
const gopath = `${dir}/gopath`;
const gomodcache = `${gopath}/pkg/mod`;
// The environment decides GOPROXY (and GONOPROXY, GOINSECURE, .netrc); the
// checksum database is pinned to the real one, for every module.
const environ = {
  ...Deno.env.toObject(),
  GOPATH: gopath,
  GOMODCACHE: gomodcache,
  GOSUMDB: "sum.golang.org",
  GONOSUMDB: "",
  GOPRIVATE: "",
  GOFLAGS: "",
};
const env = new GoEnv({ environ, fs: denoFs, goos });
const goproxy = env.lookup("GOPROXY");
console.log(
  `live_check: ${name} for ${goos}/${goarch} via GOPROXY=${goproxy.value || "(unset)"} ` +
    `(${describeOrigin(goproxy.origin)}), GOSUMDB=sum.golang.org, into ${gomodcache}`,
);

let total: number | undefined;
let bytes = 0;
let lastShown = 0;
const t0 = performance.now();
const phases: string[] = [];
const mark = (what: string) =>
  phases.push(`${what} ${((performance.now() - t0) / 1000).toFixed(1)}s`);
try {
  const r = await installFromGoproxy(hostGoproxyDeps(env, goos), {
    name,
    goos,
    goarch,
    onEvent: (e) => {
      switch (e.kind) {
        case "downloading":
          console.log(e.message);
          break;
        case "progress":
          bytes = e.bytes;
          total = e.total;
          if (total !== undefined && bytes - lastShown > total / 10) {
            lastShown = bytes;
            console.log(`  ${(100 * bytes / total).toFixed(0)}% of ${(total / 1e6).toFixed(1)} MB`);
          }
          break;
        case "downloaded":
          bytes = e.bytes;
          mark("downloaded");
          break;
        case "extracting":
          mark("verified");
          break;
      }
    },
  });
  mark("installed");
  const seconds = (performance.now() - t0) / 1000;
  const zip = Deno.statSync(
    `${gomodcache}/cache/download/golang.org/toolchain/@v/${r.version}.zip`,
  ).size;
  let treeBytes = 0;
  let treeFiles = 0;
  const walk = (d: string) => {
    for (const e of Deno.readDirSync(d)) {
      if (e.isDirectory) walk(`${d}/${e.name}`);
      else {
        treeFiles++;
        treeBytes += Deno.lstatSync(`${d}/${e.name}`).size;
      }
    }
  };
  walk(r.dir);
  const out = await new Deno.Command(`${r.dir}/bin/go`, {
    args: ["version"],
    env: { HOME: Deno.env.get("HOME") ?? dir, GOTOOLCHAIN: "local", PATH: "/usr/bin:/bin" },
    clearEnv: true,
  }).output();
  const said = new TextDecoder().decode(out.stdout).trim();
  console.log(`installed ${r.module}@${r.version}`);
  console.log(`  h1 ${r.h1} (verified against sum.golang.org)`);
  console.log(`  h1 computed while downloading (one pass): ${r.hashedWhileDownloading}`);
  console.log(
    `  zip ${(zip / 1e6).toFixed(1)} MB, tree ${treeFiles} files ${
      (treeBytes / 1e6).toFixed(0)
    } MB`,
  );
  console.log(
    `  ${seconds.toFixed(1)} s total (${phases.join(", ")}), ${
      (zip / 1e6 / seconds).toFixed(1)
    } MB/s overall`,
  );
  console.log(`  ${r.dir}/bin/go version: ${said || new TextDecoder().decode(out.stderr)}`);
  if (!out.success || !said.startsWith(`go version ${name} `)) Deno.exitCode = 1;
} catch (e) {
  console.error(`live_check: ${(e as Error).message}`);
  Deno.exitCode = 1;
} finally {
  if (keep) console.log(`kept ${dir}`);
  else await removeAll(dir);
}
