/**
 * The method handlers: each one line into the state (which calls mod.ts).
 * Params arrive already checked against the method's schema
 * (lib/rpc/protocol.ts); errors become wire errors in lib/rpc/errors.ts.
 *
 * @module
 */

import { invalidParams } from "../lib/rpc/errors.ts";
import {
  discover,
  type GcParams,
  type InstallParams,
  type ListParams,
  type ListRemoteParams,
  type PromptParams,
  type RemoveParams,
  type ShutdownResult,
  type StatusResult,
} from "../lib/rpc/protocol.ts";
import type { Peer, State, TargetParams } from "./state.ts";
import type { Toolchains } from "./toolchains.ts";

/** Handler answers one method for one connection. */
export type Handler = (params: Record<string, unknown>, peer: Peer) => unknown;

/** What the handlers need besides the state. */
export interface HandlerContext {
  state: State;
  /** list, listRemote, install, remove and gc (daemon/toolchains.ts). */
  toolchains: Toolchains;
  version: string;
  status(): StatusResult;
  shutdown(): ShutdownResult;
  /** The prompt line for a shell hook (daemon/shells.ts). */
  prompt(p: PromptParams): string;
}

// target checks what the schema cannot: the directory is absolute.
function target<T extends TargetParams>(p: Record<string, unknown>): T {
  const dir = p.dir as string;
  const abs = Deno.build.os === "windows"
    ? /^([A-Za-z]:[\\/]|\\\\)/.test(dir)
    : dir.startsWith("/");
  if (!abs) {
    throw invalidParams([`params.dir: must be an absolute path, got ${JSON.stringify(dir)}`]);
  }
  return p as unknown as T;
}

function then<T, U>(v: T | Promise<T>, f: (v: T) => U): U | Promise<U> {
  return v instanceof Promise ? v.then(f) : f(v);
}

/** handlers returns the method table's implementations by name. */
export function handlers(ctx: HandlerContext): Record<string, Handler> {
  const { state, toolchains } = ctx;
  return {
    // An answer a worker is computing (daemon/heavy.ts) is awaited: the
    // other clients are answered meanwhile.
    "resolve": (p) => then(state.settled(state.resolve(target(p))), (e) => e.json),
    "why": (p) => state.why(target(p)),
    "subscribe": (p, peer) => {
      const { subscription } = state.subscribe(target(p), peer);
      const e = peer.subs.get(subscription)!.entry;
      return then(state.settled(e), (e) => ({ subscription, explanation: e.json }));
    },
    "prompt": (p) => ctx.prompt(target(p)),
    "unsubscribe": (p, peer) => ({ removed: state.unsubscribe(p.subscription as string, peer) }),
    "list": (p) => toolchains.list(p as unknown as ListParams),
    "listRemote": (p) => toolchains.listRemote(p as unknown as ListRemoteParams),
    "install": (p, peer) => toolchains.install(p as unknown as InstallParams, peer),
    "remove": (p) => toolchains.remove(p as unknown as RemoveParams),
    "gc": (p) => toolchains.gc(p as unknown as GcParams),
    "status": () => ctx.status(),
    "shutdown": () => ctx.shutdown(),
    "rpc.discover": () => discover(ctx.version),
  };
}
