/**
 * The runtime edge: the few process facts gtc needs where Deno and Node
 * spell them differently, and nothing else. The same one-file bundle runs
 * on Deno and on Node ≥ 18 (linux-armv6l, where Deno has no build).
 *
 * Code that already imports a `node:` built-in Deno implements (lib/host/fs.ts
 * uses node:fs) uses it directly on both runtimes. This module itself imports
 * no `node:` module: on Deno the first one costs ~50 ms of start-up, which
 * the daemon client's fast path (lib/host/rpc_transport.ts) must not pay, so
 * Deno keeps its own API here and Node reads its global `process`, loading
 * node:fs/net/child_process only when asked (nodeBuiltins).
 *
 * @module
 */

import { goosOf } from "../platform/mod.ts";

/** isDeno says whether this process runs on Deno (else Node). */
export const isDeno: boolean = typeof Deno !== "undefined";

// The part of Node's global process used here (only read on Node).
interface NodeProcess {
  argv: string[];
  env: Record<string, string | undefined>;
  exitCode?: number | string;
  platform: string;
  cwd(): string;
  exit(code: number): never;
  getuid?: () => number;
  getgid?: () => number;
  stdin: { isTTY?: boolean };
  stdout: { isTTY?: boolean };
  stderr: { isTTY?: boolean };
}

const proc = isDeno ? undefined : (globalThis as unknown as { process: NodeProcess }).process;

/** hostOs is runtime.GOOS of this machine ("linux", "darwin", "windows", …). */
export const hostOs: string = isDeno ? Deno.build.os : goosOf(proc!.platform);

/** args are the command-line arguments after the program (Deno.args). */
export function args(): string[] {
  // Node's argv is [node, script, ...args].
  return isDeno ? Deno.args : proc!.argv.slice(2);
}

/** getEnv reads one environment variable. */
export function getEnv(key: string): string | undefined {
  return isDeno ? Deno.env.get(key) : proc!.env[key];
}

/** environ copies this process's environment. */
export function environ(): Record<string, string> {
  if (isDeno) return Deno.env.toObject();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(proc!.env)) if (v !== undefined) out[k] = v;
  return out;
}

/** cwd is this process's current directory. */
export function cwd(): string {
  return isDeno ? Deno.cwd() : proc!.cwd();
}

/** uid is this process's user id; undefined on Windows. */
export function uid(): number | undefined {
  return isDeno ? (Deno.uid() ?? undefined) : proc!.getuid?.();
}

/** gid is this process's group id; undefined on Windows. */
export function gid(): number | undefined {
  return isDeno ? (Deno.gid() ?? undefined) : proc!.getgid?.();
}

/** exitCode is the status the process will exit with (Deno.exitCode / process.exitCode). */
export function exitCode(): number {
  return Number((isDeno ? Deno.exitCode : proc!.exitCode) ?? 0);
}

/** setExitCode sets the status the process exits with when it ends normally. */
export function setExitCode(code: number): void {
  if (isDeno) Deno.exitCode = code;
  else proc!.exitCode = code;
}

/** exit ends the process now with code. */
export function exit(code: number): never {
  if (isDeno) Deno.exit(code);
  return proc!.exit(code);
}

/** isTerminal says whether file descriptor fd (0, 1 or 2) is a terminal. */
export function isTerminal(fd: 0 | 1 | 2): boolean {
  if (isDeno) return [Deno.stdin, Deno.stdout, Deno.stderr][fd].isTerminal();
  return [proc!.stdin, proc!.stdout, proc!.stderr][fd].isTTY === true;
}

/** isDirectory says whether path is a directory (following symlinks); throws when absent. */
export function isDirectory(path: string): boolean {
  return isDeno
    ? Deno.statSync(path).isDirectory
    : loadedBuiltins().fs.statSync(path).isDirectory();
}

/** The node: built-ins gtc's host code needs on Node. */
export interface NodeBuiltins {
  fs: typeof import("node:fs");
  net: typeof import("node:net");
  childProcess: typeof import("node:child_process");
}

let builtins: NodeBuiltins | undefined;

/**
 * nodeBuiltins loads node:fs, node:net and node:child_process once. Host
 * code awaits it on its async entry (a dial) before its synchronous calls
 * use loadedBuiltins().
 */
export async function nodeBuiltins(): Promise<NodeBuiltins> {
  if (builtins === undefined) {
    const [fs, net, childProcess] = await Promise.all([
      import("node:fs"),
      import("node:net"),
      import("node:child_process"),
    ]);
    builtins = { fs, net, childProcess };
  }
  return builtins;
}

/** ready loads what Node needs before synchronous host calls; on Deno it does nothing. */
export function ready(): Promise<unknown> {
  return isDeno ? Promise.resolve() : nodeBuiltins();
}

/** loadedBuiltins returns what nodeBuiltins loaded; calling it before is a programming error. */
export function loadedBuiltins(): NodeBuiltins {
  if (builtins === undefined) throw new TypeError("node built-ins used before nodeBuiltins()");
  return builtins;
}

const encoder = new TextEncoder();

/** writeOut writes all of s to file descriptor fd (1 or 2), synchronously. */
export function writeOut(fd: 1 | 2, s: string): void {
  const bytes = encoder.encode(s);
  if (isDeno) {
    const f = fd === 1 ? Deno.stdout : Deno.stderr;
    for (let n = 0; n < bytes.length;) n += f.writeSync(bytes.subarray(n));
    return;
  }
  const { writeSync } = loadedBuiltins().fs;
  for (let n = 0; n < bytes.length;) {
    try {
      n += writeSync(fd, bytes, n);
    } catch (e) {
      // A pipe Node made non-blocking: wait for the reader by trying again.
      if ((e as { code?: unknown }).code !== "EAGAIN") throw e;
    }
  }
}
