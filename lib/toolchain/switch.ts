/**
 * Switching when a command finds that a module needs a newer Go: the
 * TooNewError text, and the toolchain the go command switches to.
 *
 * Mirrors cmd/go/internal/gover.TooNewError and
 * cmd/go/internal/toolchain.Switcher.Switch / NewerToolchain (go1.26). A
 * behaviour change here needs a failing table or differential test first.
 *
 * @module
 */

import type { ReadFs } from "../_internal/sys.ts";
import { autoToolchainVersions, newerToolchain, pathToolchainVersions } from "./newer.ts";
import { type PathEnv, pathToolchainNames } from "./path.ts";
import type { Startup } from "./select.ts";

/** hasAuto reports whether GOTOOLCHAIN allows downloading ("auto" or "<name>+auto"). */
export function hasAuto(gotoolchain: string): boolean {
  return gotoolchain === "auto" || gotoolchain.endsWith("+auto");
}

/** hasPath reports whether GOTOOLCHAIN allows PATH toolchains only ("path" or "<name>+path"). */
export function hasPath(gotoolchain: string): boolean {
  return gotoolchain === "path" || gotoolchain.endsWith("+path");
}

/**
 * tooNewError returns the text of a gover.TooNewError, without the "go: "
 * prefix the go command prints before it:
 * "go.mod requires go >= 1.700 (running go 1.500; GOTOOLCHAIN=path; go.mod sets toolchain default)".
 *
 * @param shortAutoFile base.ShortPath of startup.autoFile
 */
export function tooNewError(
  what: string,
  goVersion: string,
  local: string,
  startup: Startup,
  shortAutoFile = startup.autoFile,
): string {
  let explain = "";
  if (startup.GOTOOLCHAIN !== "" && startup.GOTOOLCHAIN !== "auto") {
    explain += "; GOTOOLCHAIN=" + startup.GOTOOLCHAIN;
  }
  if (startup.autoFile !== "" && (startup.autoGoVersion !== "" || startup.autoToolchain !== "")) {
    explain += "; " + shortAutoFile + " sets ";
    explain += startup.autoToolchain !== ""
      ? "toolchain " + startup.autoToolchain
      : "go " + startup.autoGoVersion;
  }
  return `${what} requires go >= ${goVersion} (running go ${local}${explain})`;
}

/** The inputs of switchFor. */
export interface SwitchInput {
  /** What needs the newer Go ("go.mod", "example.com/m@v1.2.3"). */
  what: string;
  /** The Go version needed ("1.23.1"). */
  need: string;
  /** GOTOOLCHAIN as the go command reads it (cfg.Getenv). */
  gotoolchain: string;
  /** gover.Local(). */
  local: string;
  startup: Startup;
  /**
   * For GOTOOLCHAIN=auto / +auto: the golang.org/toolchain module versions
   * the proxy lists ("v0.0.1-go1.23.4.linux-amd64", any GOOS-GOARCH).
   */
  moduleVersions?: readonly string[];
  /** For path mode: where to scan for go1.* programs. */
  fs?: ReadFs;
  path?: PathEnv;
}

/** What the go command does about a TooNewError. */
export interface SwitchResult {
  /** The toolchain it switches to, when it does. */
  toolchain?: string;
  /** The lines it prints on stderr, each with the "go: " prefix. */
  stderr: string[];
  /** Whether the command fails (exit status 1) instead of switching. */
  failed: boolean;
}

/**
 * switchFor says what the go command does when a module needs Go `need`:
 * with GOTOOLCHAIN auto or path (or +auto, +path) it switches to
 * newerToolchain(need, candidates); otherwise it reports the TooNewError.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { switchFor } from "./switch.ts";
 * const r = switchFor({
 *   what: "go.mod", need: "1.23.1", gotoolchain: "auto", local: "1.22.0",
 *   startup: { GOTOOLCHAIN: "auto", autoFile: "", autoGoVersion: "", autoToolchain: "" },
 *   moduleVersions: ["v0.0.1-go1.23.0.linux-amd64", "v0.0.1-go1.23.4.linux-amd64"],
 * });
 * assert.equal(r.toolchain, "go1.23.4");
 * assert.deepEqual(r.stderr, ["go: go.mod requires go >= 1.23.1; switching to go1.23.4"]);
 * ```
 */
export function switchFor(input: SwitchInput): SwitchResult {
  const { what, need, gotoolchain } = input;
  const err = "go: " + tooNewError(what, need, input.local, input.startup);
  if (!hasAuto(gotoolchain) && !hasPath(gotoolchain)) {
    return { stderr: [err], failed: true };
  }
  // NewerToolchain: the proxy's list (always with Local()) in auto mode,
  // otherwise the go1.* programs in PATH (without Local()).
  let list: string[];
  if (hasAuto(gotoolchain)) {
    list = autoToolchainVersions(input.moduleVersions ?? [], input.local);
  } else {
    list = input.fs && input.path
      ? pathToolchainVersions(pathToolchainNames(input.fs, input.path))
      : [];
  }
  try {
    const tv = newerToolchain(need, list);
    return {
      toolchain: tv,
      stderr: [`go: ${what} requires go >= ${need}; switching to ${tv}`],
      failed: false,
    };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { stderr: [err, `go: switching to go >= ${need}: ${msg}`], failed: true };
  }
}
