/**
 * The daemon's worker for answers with heavy inputs (daemon/heavy.ts): it
 * resolves one target off the main thread, through a recording file system
 * that reports each file before reading it, so a request that runs past its
 * deadline fails naming the file it was on.
 *
 * Messages in: {dir, env, args}. Out: {kind: "reading", path} before each
 * file read, then {kind: "done", json, paths, listed} or
 * {kind: "failed", message}.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { resolveSync } from "../mod.ts";
import { denoHost } from "../lib/host/host.ts";
import { RecordingFs } from "./deps.ts";

/** ComputeJob is what the worker is asked. */
export interface ComputeJob {
  dir: string;
  env: Record<string, string>;
  args: string[] | undefined;
}

/** ComputeMessage is what the worker tells. */
export type ComputeMessage =
  | { kind: "reading"; path: string }
  | { kind: "done"; json: string; paths: string[]; listed: string[] }
  | { kind: "failed"; message: string };

self.onmessage = (ev: MessageEvent<ComputeJob>) => {
  const { dir, env, args } = ev.data;
  const post = (m: ComputeMessage) => self.postMessage(m);
  try {
    const fs = new RecordingFs(denoHost.fs, { onRead: (path) => post({ kind: "reading", path }) });
    const host = { ...denoHost, fs, cwd: () => "/", environ: () => env };
    const x = resolveSync({ dir, env, args }, host);
    post({ kind: "done", json: JSON.stringify(x), paths: [...fs.paths], listed: [...fs.listed] });
  } catch (e) {
    post({ kind: "failed", message: e instanceof Error ? e.message : String(e) });
  }
};
