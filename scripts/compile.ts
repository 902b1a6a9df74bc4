/**
 * deno task compile: a single gtc binary with `deno compile`.
 *
 * deno compile needs the denort runtime for the target. It is downloaded from
 * dl.deno.land, which the project's machines cannot reach, and it is not on
 * npm. Set DENORT_BIN to a denort binary to compile offline. Note that
 * pointing DENORT_BIN at the plain deno CLI produces a file that ignores its
 * payload and behaves as deno itself (shared/spec/deno-stack.md §5): this
 * script checks the result and refuses such a binary.
 *
 * @module
 */

const out = Deno.args[0] ?? "dist/gtc";
const denort = Deno.env.get("DENORT_BIN");
if (!denort) {
  console.error(
    "compile: DENORT_BIN is not set; deno compile would download denort from dl.deno.land, " +
      "which is not reachable here. Set DENORT_BIN=/path/to/denort, or run gtc from source: " +
      "scripts/deno task gtc why",
  );
  Deno.exit(1);
}
const r = await new Deno.Command(Deno.execPath(), {
  args: [
    "compile",
    "-A",
    // The daemon's worker (daemon/heavy.ts) is loaded by URL, not imported.
    "--include",
    new URL("../daemon/compute_worker.ts", import.meta.url).pathname,
    "--output",
    out,
    new URL("../cli/main.ts", import.meta.url).pathname,
  ],
  env: { DENORT_BIN: denort },
}).spawn().status;
if (!r.success) Deno.exit(r.code);
// A real gtc binary answers --version with gtc's version, not deno's.
const v = new Deno.Command(out, { args: ["--version"] }).outputSync();
const text = new TextDecoder().decode(v.stdout).trim();
if (!/^\d+\.\d+\.\d+$/.test(text)) {
  console.error(
    `compile: ${out} does not behave as gtc (--version printed ${
      JSON.stringify(text)
    }): DENORT_BIN is not a denort runtime`,
  );
  await Deno.remove(out).catch(() => {});
  Deno.exit(1);
}
console.log(`compile: wrote ${out} (gtc ${text})`);
