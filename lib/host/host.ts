/**
 * The real machine: the file system, the process environment, the platform
 * and a program runner, as lib/ consumes them.
 *
 * @module
 */

import { readFileSync } from "node:fs";
import { arch, endianness, machine, platform } from "node:os";
import type { ReadFs } from "../_internal/sys.ts";
import type { PathStyle } from "../_internal/path.ts";
import type { Runner } from "../toolchain/local.ts";
import { denoFs } from "./fs.ts";
import { type MachinePlatform, machinePlatform } from "../platform/mod.ts";
import * as rt from "./runtime.ts";

/** Host bundles what resolve needs from the machine. */
export interface Host {
  fs: ReadFs;
  /** runtime.GOOS of the machine. */
  goos: string;
  /** runtime.GOARCH of the machine. */
  goarch: string;
  /**
   * The GOARM a go command built on this machine defaults to; only where
   * goarch is "arm". Toolchain names do not carry it (go.dev/dl's
   * "linux-armv6l" and golang.org/toolchain's "linux-arm" are GOARM=6
   * builds), so it matters only to say why such a toolchain cannot run (5).
   */
  goarm?: string;
  pathStyle: PathStyle;
  runner: Runner;
  /** The current directory of this process. */
  cwd(): string;
  /** This process's environment. */
  environ(): Record<string, string>;
}

/**
 * thisMachine reads the facts machinePlatform decides from, through node:os
 * (Deno and Node both implement it). /proc/cpuinfo is read only on 32-bit
 * ARM, where GOARM depends on it, so the common path costs one uname(2).
 */
export function thisMachine(): MachinePlatform {
  // os.machine() is Node >= 18.9; older runtimes fall back to the arch name.
  const m = typeof machine === "function" ? machine() : arch();
  const facts = { platform: platform(), machine: m, endianness: endianness() };
  const p = machinePlatform(facts);
  if (p.goarch !== "arm" || p.goos !== "linux") return p;
  let cpuinfo: string | undefined;
  try {
    cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    // No /proc: goarmOf falls back to the uname name.
  }
  return machinePlatform({ ...facts, cpuinfo });
}

const machineNow = thisMachine();

/**
 * denoRunner runs programs synchronously: with Deno.Command on Deno, with
 * node:child_process on Node (loaded by rt.ready() at start-up).
 */
export const denoRunner: Runner = {
  run(exe, args, env) {
    if (!rt.isDeno) {
      const r = rt.loadedBuiltins().childProcess.spawnSync(exe, args, {
        env,
        stdio: ["ignore", "pipe", "ignore"],
        encoding: "utf8",
      });
      if (r.error !== undefined || r.status === null) return { code: -1, stdout: "" };
      return { code: r.status, stdout: r.stdout };
    }
    try {
      const out = new Deno.Command(exe, {
        args,
        env,
        clearEnv: true,
        stdin: "null",
        stderr: "null",
      })
        .outputSync();
      return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
    } catch {
      return { code: -1, stdout: "" };
    }
  },
};

/** denoHost is the machine gtc runs on. */
export const denoHost: Host = {
  fs: denoFs,
  ...machineNow,
  pathStyle: machineNow.goos === "windows" ? "windows" : "posix",
  runner: denoRunner,
  cwd: rt.cwd,
  environ: rt.environ,
};
