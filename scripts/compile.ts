/**
 * deno task compile: gtc's release assets in one directory (default dist/):
 * the one-file bundle gtc.js (scripts/bundle.ts), the compiled binaries
 * gtc-linux-amd64, gtc-linux-arm64 and gtc-windows-amd64.exe
 * (`deno compile --target …` of that same bundle), and SHA256SUMS over all
 * of them (the names are lib/release's).
 *
 * deno compile needs the denort runtime of each target. Without DENORT_BIN
 * it downloads it from dl.deno.land; DENORT_BIN=/path/to/denort supplies
 * the runtime of this machine's target instead (and so builds only that
 * one). The project's machines reach neither: there this script says so
 * and stops. Pointing DENORT_BIN at the plain deno CLI yields a binary that
 * ignores its payload and behaves as deno itself (shared/spec/deno-stack.md
 * §5): every binary built for this machine must answer `--version` with
 * gtc's version and print a hook whose start command is the binary itself,
 * or it is deleted and the script fails.
 *
 * Usage: deno run -A scripts/compile.ts [--out dist] [--targets linux-amd64,linux-arm64,windows-amd64]
 *
 * @module
 */

import {
  BINARY_TARGETS,
  BUNDLE_ASSET,
  formatSums,
  sha256Hex,
  SUMS_ASSET,
} from "../lib/release/mod.ts";
import { denoHost } from "../lib/host/host.ts";
import config from "../deno.json" with { type: "json" };

const root = new URL("..", import.meta.url).pathname;
const arg = (name: string) => {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : undefined;
};
const out = (arg("--out") ?? "dist").replace(/\/$/, "");
const host = `${denoHost.goos}-${denoHost.goarch}`;
const denort = Deno.env.get("DENORT_BIN");
const targets = (arg("--targets") ?? (denort ? host : Object.keys(BINARY_TARGETS).join(",")))
  .split(",");

function fail(msg: string): never {
  console.error(`compile: ${msg}`);
  Deno.exit(1);
}

for (const t of targets) {
  if (!(t in BINARY_TARGETS)) {
    fail(`unknown target ${t}: want ${Object.keys(BINARY_TARGETS).join(", ")}`);
  }
  if (denort && t !== host) {
    fail(
      `DENORT_BIN is the runtime of one target, this machine's (${host}); ${t} needs its own ` +
        `denort from dl.deno.land: run without DENORT_BIN where that is reachable, or pass ` +
        `--targets ${host}`,
    );
  }
}

await Deno.mkdir(out, { recursive: true });
const bundle = `${out}/${BUNDLE_ASSET}`;
const b = await new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", `${root}scripts/bundle.ts`, bundle],
}).spawn().status;
if (!b.success) fail("bundling failed");

const built: string[] = [BUNDLE_ASSET];
for (const t of targets) {
  const { asset, denoTarget } = BINARY_TARGETS[t];
  const file = `${out}/${asset}`;
  await Deno.remove(file).catch(() => {});
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "compile",
      "--allow-all",
      "--no-prompt",
      "--no-config",
      "--target",
      denoTarget,
      "--output",
      file,
      bundle,
    ],
    env: denort ? { DENORT_BIN: denort } : {},
    stdout: "inherit",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(r.stderr);
  if (!r.success) {
    await Deno.remove(file).catch(() => {});
    const url = /https:\/\/dl\.deno\.land\/\S+/.exec(err)?.[0];
    if (url !== undefined || /Setting up base binary/.test(err)) {
      const cause = err.split("Stack backtrace")[0].split("\n").map((l) => l.trim()).filter((l) =>
        /^\d+: /.test(l)
      ).pop();
      fail(
        `no denort runtime for ${t} (${denoTarget}): deno compile could not download ` +
          `${url ?? "it"}${cause ? ` (${cause.replace(/^\d+: /, "")})` : ""}. ` +
          `Run this where dl.deno.land is reachable (the release workflow does), or set ` +
          `DENORT_BIN=/path/to/denort for this machine's target. The bundle ${bundle} runs ` +
          `without a runtime of its own: deno run -A --no-config ${bundle}`,
      );
    }
    fail(`deno compile --target ${denoTarget} failed:\n${err}`);
  }
  if (t === host) await checkBinary(file);
  built.push(asset);
  console.log(`compile: wrote ${file}`);
}

// checkBinary proves a binary for this machine is gtc: its version, and a
// hook whose start command is the binary itself (the compiled form of
// daemon/start.ts).
async function checkBinary(file: string): Promise<void> {
  const run = async (args: string[]) => {
    const o = await new Deno.Command(file, { args, stdin: "null" }).output();
    return new TextDecoder().decode(o.stdout).trim();
  };
  const version = await run(["--version"]);
  const hook = await run(["hook", "bash"]);
  const abs = await Deno.realPath(file);
  const problem = version !== config.version
    ? `--version printed ${JSON.stringify(version.split("\n")[0])}, not ${config.version}`
    : !hook.includes(`_gtc_start=('${abs}' 'daemon' 'run'`)
    ? "its hook does not start the daemon with the binary itself"
    : undefined;
  if (problem !== undefined) {
    await Deno.remove(file).catch(() => {});
    fail(
      `${file} does not behave as gtc (${problem})${
        denort ? ": DENORT_BIN is not a denort runtime" : ""
      }; deleted`,
    );
  }
}

const sums = new Map<string, string>();
for (const a of built) sums.set(a, await sha256Hex(await Deno.readFile(`${out}/${a}`)));
const tmp = `${out}/.${SUMS_ASSET}.tmp`;
await Deno.writeTextFile(tmp, formatSums(sums));
await Deno.rename(tmp, `${out}/${SUMS_ASSET}`);
console.log(`compile: wrote ${out}/${SUMS_ASSET} (${built.join(", ")})`);
