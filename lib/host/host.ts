/**
 * The real machine: the file system, the process environment, the platform
 * and a program runner, as lib/ consumes them.
 *
 * @module
 */

import type { ReadFs } from "../_internal/sys.ts";
import type { PathStyle } from "../_internal/path.ts";
import type { Runner } from "../toolchain/local.ts";
import { denoFs } from "./fs.ts";

/** Host bundles what resolve needs from the machine. */
export interface Host {
  fs: ReadFs;
  /** runtime.GOOS of the machine. */
  goos: string;
  /** runtime.GOARCH of the machine. */
  goarch: string;
  pathStyle: PathStyle;
  runner: Runner;
  /** The current directory of this process. */
  cwd(): string;
  /** This process's environment. */
  environ(): Record<string, string>;
}

const goarchOf: Record<string, string> = {
  x86_64: "amd64",
  aarch64: "arm64",
};

/** denoRunner runs programs with Deno.Command, synchronously. */
export const denoRunner: Runner = {
  run(exe, args, env) {
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
  goos: Deno.build.os,
  goarch: goarchOf[Deno.build.arch] ?? Deno.build.arch,
  pathStyle: Deno.build.os === "windows" ? "windows" : "posix",
  runner: denoRunner,
  cwd: () => Deno.cwd(),
  environ: () => Deno.env.toObject(),
};
