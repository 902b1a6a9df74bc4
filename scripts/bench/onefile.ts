/**
 * Start-up cost of gtc as one file against the source checkout, measured in
 * one hyperfine run: `gtc current` and `gtc why` (in-process, no daemon) in a
 * Go module, from
 * - source: `deno run --config deno.json cli/main.ts` (what scripts/gtc runs; the anchor),
 * - scripts/gtc (the same through its two bash launchers),
 * - the bundle `gtc.js` (scripts/bundle.ts) in an empty temp dir,
 * - the minified bundle.
 * Prints hyperfine's table, then each form's mean wall time and CPU time
 * (user + system) with its ratio to the anchor.
 *
 * Usage: deno run -A scripts/bench/onefile.ts [--runs N]   (needs hyperfine: apt-get install hyperfine)
 *
 * @module
 */

const root = new URL("../..", import.meta.url).pathname;
const i = Deno.args.indexOf("--runs");
const runs = i >= 0 ? Number(Deno.args[i + 1]) : 20;

const tmp = await Deno.makeTempDir({ prefix: "gtc-bench-onefile-" });
try {
  const have = await new Deno.Command("hyperfine", { args: ["--version"], stdout: "null" })
    .output().then((o) => o.success, () => false);
  if (!have) {
    console.error("bench onefile: hyperfine is not installed (apt-get install hyperfine)");
    Deno.exit(1);
  }
  for (const [file, min] of [["gtc.js", false], ["gtc.min.js", true]] as const) {
    const r = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `${root}scripts/bundle.ts`,
        "--quiet",
        ...(min ? ["--minify"] : []),
        `${tmp}/b/${file}`,
      ],
    }).output();
    if (!r.success) throw new Error(`bundling ${file} failed`);
  }
  const m = `${tmp}/m`;
  await Deno.mkdir(m);
  await Deno.writeTextFile(`${m}/go.mod`, "module example.com/m\n\ngo 1.22\n");
  const deno = Deno.execPath();
  const forms: [string, string][] = [
    ["source", `${deno} run -A --quiet --config ${root}deno.json ${root}cli/main.ts`],
    ["scripts/gtc", `${root}scripts/gtc`],
    ["bundle", `${deno} run -A --no-config ${tmp}/b/gtc.js`],
    ["bundle, minified", `${deno} run -A --no-config ${tmp}/b/gtc.min.js`],
  ];
  for (const cmd of ["current", "why"]) {
    const json = `${tmp}/${cmd}.json`;
    const args = ["-N", "--warmup", "3", "--runs", `${runs}`, "--export-json", json];
    for (const [name, c] of forms) args.push("-n", `${name}: gtc ${cmd}`, `${c} ${cmd} ${m}`);
    const r = await new Deno.Command("hyperfine", {
      args,
      env: { GTC_DAEMON: "off", NO_COLOR: "1", XDG_RUNTIME_DIR: tmp },
    }).spawn().status;
    if (!r.success) throw new Error("hyperfine failed");
    const results: {
      command: string;
      mean: number;
      stddev: number;
      user: number;
      system: number;
    }[] = JSON.parse(await Deno.readTextFile(json)).results;
    // CPU time (user + system) as well as wall time: on a loaded machine it
    // is the steadier of the two.
    const cpu = (x: { user: number; system: number }) => x.user + x.system;
    const [wall0, cpu0] = [results[0].mean, cpu(results[0])];
    for (const x of results) {
      console.log(
        `${x.command.padEnd(30)} wall ${(x.mean * 1000).toFixed(1).padStart(7)} ms ± ${
          (x.stddev * 1000).toFixed(1).padStart(5)
        } ×${(x.mean / wall0).toFixed(2)}   cpu ${(cpu(x) * 1000).toFixed(1).padStart(6)} ms ×${
          (cpu(x) / cpu0).toFixed(2)
        }`,
      );
    }
  }
  const size = async (f: string) => ((await Deno.stat(`${tmp}/b/${f}`)).size / 1e6).toFixed(2);
  console.log(`bundle ${await size("gtc.js")} MB, minified ${await size("gtc.min.js")} MB`);
} finally {
  await Deno.remove(tmp, { recursive: true });
}
