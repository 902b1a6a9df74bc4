/**
 * gtc: which Go toolchain runs here, and why — exactly as the go command
 * decides — as a library.
 *
 * The CLI, the daemon and editors all use this surface; no rule lives outside
 * lib/.
 *
 * @example Explaining a directory
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolve } from "./mod.ts";
 * // With no go command in PATH, nothing can run here unless a go.mod names a version.
 * const x = await resolve({ dir: "/", env: { PATH: "", GOTOOLCHAIN: "local" } });
 * assert.equal(x.local, null);
 * assert.match(x.error ?? "", /no go command in PATH/);
 * ```
 *
 * @module
 */

import { denoHost, type Host } from "./lib/host/host.ts";
import {
  type Explanation,
  resolve as resolveWith,
  type ResolveOptions,
} from "./lib/resolve/mod.ts";
import { type Client, connect as connectClient, type ConnectOptions } from "./lib/rpc/client.ts";
import { daemonCommand } from "./daemon/start.ts";

export type { Explanation, Provenance, ResolveOptions } from "./lib/resolve/mod.ts";
export { type RenderOptions, renderProse } from "./lib/explain/mod.ts";
export { type Host } from "./lib/host/host.ts";
export type {
  Change,
  Client,
  ConnectOptions,
  Subscription,
  TargetOptions,
} from "./lib/rpc/client.ts";
export { ErrorCode, relevantEnv } from "./lib/rpc/protocol.ts";
export { RpcError } from "./lib/rpc/errors.ts";
export * as gover from "./lib/gover/mod.ts";
export * as goenv from "./lib/goenv/mod.ts";
export * as toolchain from "./lib/toolchain/mod.ts";

/**
 * resolve explains which toolchain the go command runs in options.dir with
 * options.env (default: this process's directory and environment).
 */
export function resolve(options: ResolveOptions = {}, host: Host = denoHost): Promise<Explanation> {
  return Promise.resolve(resolveWith(host, options));
}

/** resolveSync is resolve without the promise, for the prompt path. */
export function resolveSync(options: ResolveOptions = {}, host: Host = denoHost): Explanation {
  return resolveWith(host, options);
}

/**
 * connect opens a client to the user's gtc daemon, starting it when none
 * answers: `resolve(dir)` gives the same Explanation as resolve() here, and
 * `subscribe(dir)` delivers a notification whenever that answer changes.
 */
export function connect(options: ConnectOptions = {}): Promise<Client> {
  return connectClient({ start: daemonCommand(), ...options });
}
