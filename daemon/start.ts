/**
 * The command that runs the daemon in the foreground, for clients that
 * start it on demand. Kept apart from daemon/main.ts so that importing it
 * loads nothing else.
 *
 * @module
 */

/**
 * daemonCommand returns the argv of `gtc daemon run` for this installation:
 * the running Deno with this source tree's deno.json. Clients append
 * `--dir <socket dir>`.
 */
export function daemonCommand(): string[] {
  const main = new URL("./main.ts", import.meta.url);
  const config = new URL("../deno.json", import.meta.url);
  if (main.protocol !== "file:") {
    throw new Error(`gtc daemon: cannot start a daemon from ${main.href}`);
  }
  return [
    Deno.execPath(),
    "run",
    "--allow-all",
    "--no-prompt",
    // A small young generation: the daemon keeps many small long-lived
    // objects, and V8's default semi-spaces (up to 16 MB each) cost RSS.
    // --optimize-for-size makes the old generation grow in smaller steps:
    // right after 10,000 cold resolves, 122–124 MB RSS instead of 157–166 MB
    // (scripts/bench/daemon.ts --rss-only). It costs some throughput
    // (interleaved runs on 2 CPUs: ~24k req/s against ~26–27k without it);
    // --heap-growing-percent=30 instead gave 135–137 MB.
    "--v8-flags=--max-semi-space-size=2,--optimize-for-size",
    `--config=${decodeURIComponent(config.pathname)}`,
    decodeURIComponent(main.pathname),
    "run",
  ];
}
