/**
 * The command that runs the daemon in the foreground, for clients that
 * start it on demand and for the shell hooks' `_gtc_start`. Kept apart from
 * daemon/main.ts so that importing it loads nothing else.
 *
 * The daemon is the running program itself, run again as `gtc daemon run`:
 * the same code serves a source checkout (`deno run cli/main.ts`), the
 * one-file bundle (`deno run gtc.js`) and a compiled binary, so nothing here
 * may depend on files beside the program except in the source form, where
 * the checkout is there by definition.
 *
 * @module
 */

/** ProgramForm is how the running gtc was started. */
export type ProgramForm =
  /** A binary from `deno compile`: the executable is gtc. */
  | { kind: "compiled"; exe: string }
  /** One JavaScript file (scripts/bundle.ts) run by a runtime. */
  | { kind: "bundle"; runtime: string; file: string }
  /** This source tree run by Deno with its deno.json. */
  | { kind: "source"; runtime: string; entry: string; config: string };

/**
 * The daemon's V8 flags. A small young generation: the daemon keeps many
 * small long-lived objects, and V8's default semi-spaces (up to 16 MB each)
 * cost RSS. --optimize-for-size makes the old generation grow in smaller
 * steps: right after 10,000 cold resolves, 122–124 MB RSS instead of
 * 157–166 MB (scripts/bench/daemon.ts --rss-only). It costs some throughput
 * (interleaved runs on 2 CPUs: ~24k req/s against ~26–27k without it);
 * --heap-growing-percent=30 instead gave 135–137 MB.
 */
export const DAEMON_V8_FLAGS = "--max-semi-space-size=2,--optimize-for-size";

/**
 * programForm tells the three forms apart from facts every runtime has: a
 * compiled binary says so (Deno.build.standalone); otherwise this module's
 * own URL is either daemon/start.ts in a checkout or the bundle file, into
 * which every module was inlined.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { programForm } from "./start.ts";
 * assert.deepEqual(
 *   programForm({ standalone: false, execPath: "/usr/bin/deno", moduleUrl: "file:///opt/gtc.js" }),
 *   { kind: "bundle", runtime: "/usr/bin/deno", file: "/opt/gtc.js" },
 * );
 * ```
 */
export function programForm(
  facts: { standalone: boolean; execPath: string; moduleUrl: string },
): ProgramForm {
  if (facts.standalone) return { kind: "compiled", exe: facts.execPath };
  const url = new URL(facts.moduleUrl);
  if (url.protocol !== "file:") {
    throw new Error(`gtc daemon: cannot start a daemon from ${url.href}: run gtc from a file`);
  }
  if (url.pathname.endsWith("/daemon/start.ts")) {
    return {
      kind: "source",
      runtime: facts.execPath,
      entry: filePath(new URL("../cli/main.ts", url)),
      config: filePath(new URL("../deno.json", url)),
    };
  }
  return { kind: "bundle", runtime: facts.execPath, file: filePath(url) };
}

// filePath is a file: URL's path (no node:url, to keep this module free of
// imports; Windows drive paths lose their leading slash).
function filePath(url: URL): string {
  const p = decodeURIComponent(url.pathname);
  return /^\/[A-Za-z]:\//.test(p) ? p.slice(1) : p;
}

/**
 * programArgv returns the argv that runs gtc in form: append gtc's own
 * arguments. The bundle runs without any deno.json or lock file (it needs
 * none, and one in the current directory must not change it).
 */
export function programArgv(form: ProgramForm, v8Flags?: string): string[] {
  const flags = v8Flags ? [`--v8-flags=${v8Flags}`] : [];
  switch (form.kind) {
    case "compiled":
      return [form.exe];
    case "bundle":
      return [
        form.runtime,
        "run",
        "--allow-all",
        "--no-prompt",
        "--no-config",
        ...flags,
        form.file,
      ];
    case "source":
      return [
        form.runtime,
        "run",
        "--allow-all",
        "--no-prompt",
        ...flags,
        `--config=${form.config}`,
        form.entry,
      ];
  }
}

/** thisProgram returns how the running gtc was started. */
export function thisProgram(): ProgramForm {
  return programForm({
    standalone: Deno.build.standalone,
    execPath: Deno.execPath(),
    moduleUrl: import.meta.url,
  });
}

/**
 * daemonCommand returns the argv of `gtc daemon run` for this program: the
 * running program itself. Clients append `--dir <socket dir>` and the other
 * options of `gtc daemon run`.
 */
export function daemonCommand(): string[] {
  // A compiled binary takes no --v8-flags on its command line: it runs with
  // those it was compiled with (scripts/compile.ts sets none), so a compiled
  // daemon has V8's default heap sizing.
  // --background: its stderr is not read (clients close it), so it logs
  // only to its log file, as `daemon/main.ts run` does.
  return [...programArgv(thisProgram(), DAEMON_V8_FLAGS), "daemon", "run", "--background"];
}

/**
 * computeWorkerUrl is the module the daemon's worker (daemon/heavy.ts) runs:
 * daemon/compute_worker.ts in a checkout (or a binary compiled from one
 * with it included); in the bundle, and a binary compiled from it, the
 * program's own file, which runs the worker when loaded as one (cli/main.ts).
 */
export function computeWorkerUrl(): string {
  const here = import.meta.url;
  return here.endsWith("/daemon/start.ts") ? new URL("./compute_worker.ts", here).href : here;
}

/** inWorker reports whether this code runs in a worker rather than on the main thread. */
export function inWorker(): boolean {
  return typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === "function";
}
