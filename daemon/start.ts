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
    "--v8-flags=--max-semi-space-size=2",
    `--config=${decodeURIComponent(config.pathname)}`,
    decodeURIComponent(main.pathname),
    "run",
  ];
}
