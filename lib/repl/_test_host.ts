/**
 * memHost: a Host over a MemFs for the REPL's unit tests (no process is run).
 *
 * @module
 */

import { MemFs } from "../_internal/mem_fs.ts";
import type { Host } from "../host/host.ts";

/** memHost returns a Linux/amd64 Host reading fs, with cwd and environ as given. */
export function memHost(fs: MemFs, cwd: string, environ: Record<string, string>): Host {
  return {
    fs,
    goos: "linux",
    goarch: "amd64",
    pathStyle: "posix",
    runner: { run: () => ({ code: 1, stdout: "" }) },
    cwd: () => cwd,
    environ: () => ({ ...environ }),
  };
}

/** A local go1.24.1 in /usr/local/go, a fake go1.99.0 program in /opt/bin. */
export function machine(files: Record<string, string> = {}): MemFs {
  const fs = new MemFs({
    "/usr/local/go/VERSION": "go1.24.1\ntime 2025-01-01T00:00:00Z\n",
    "/usr/local/go/pkg/tool/": "",
    "/home/u/": "",
    ...files,
  });
  fs.write("/usr/local/go/bin/go", "#!/bin/sh\n", 0o755);
  fs.write("/opt/bin/go1.99.0", "#!/bin/sh\n", 0o755);
  return fs;
}

/** The environment the tests start from: no go env file, auto switching. */
export const baseEnv: Record<string, string> = {
  PATH: "/usr/local/go/bin:/opt/bin",
  HOME: "/home/u",
  GOENV: "off",
  GOTOOLCHAIN: "auto",
};
