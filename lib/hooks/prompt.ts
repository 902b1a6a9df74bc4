/**
 * The prompt line the daemon sends shell hooks: one short string a shell can
 * split with its own string operations, no JSON parser and no process
 * (docs/hooks.md).
 *
 * @module
 */

import type { Explanation } from "../resolve/mod.ts";

/** The mark after a toolchain that must be downloaded first. */
export const DOWNLOAD_MARK = "↓";
/** The mark after a toolchain that is not the go on PATH (and PATH is not switched to it). */
export const NOT_ON_PATH_MARK = "*";
/** The mark after a toolchain (or "go") when the go command would fail. */
export const ERROR_MARK = "!";

/**
 * What promptLine needs from an Explanation. diagnostics (how the toolchain
 * fails loading the module: a go line newer than GOTOOLCHAIN=local allows,
 * a go.mod that does not parse) also mark a failure: go version runs, every
 * go build fails.
 */
export type PromptInput =
  & Pick<Explanation, "toolchain" | "source" | "exe" | "error">
  & Partial<Pick<Explanation, "diagnostics">>;

/** PromptOptions say how the shell uses the answer. */
export interface PromptOptions {
  /**
   * The directory the shell puts first in PATH so `go` is the selected
   * toolchain, or "" for none (local go, download needed, error, switching off).
   */
  bindir: string;
}

// Characters a field must not carry: the JSON string must need no escapes,
// and "|" separates the fields.
// deno-lint-ignore no-control-regex
const unsafeText = /["\\|\u0000-\u001f\u007f]/g;
// deno-lint-ignore no-control-regex
const unsafeDir = /["\\:\u0000-\u001f\u007f]/;

/**
 * promptLine renders `flags|toolchain|text|bindir`, what follows the proof in
 * a PromptResult (lib/rpc/protocol.ts; the daemon adds the proof). Flags: `d` the toolchain must be downloaded, `p` it
 * is not the go on PATH, `e` the go command would fail, `s` the shell
 * switches PATH to bindir. The text is what the prompt shows: the toolchain
 * with a mark, "go!" for a failure before any toolchain is chosen, or ""
 * when there is nothing to say.
 *
 * @example A module that needs a newer Go than the one on PATH
 * ```ts
 * import assert from "node:assert/strict";
 * import { promptLine } from "./prompt.ts";
 * const x = { toolchain: "go1.99.0", source: "download" as const, exe: null, error: null };
 * assert.equal(promptLine(x, { bindir: "" }), "dp|go1.99.0|go1.99.0↓|");
 * ```
 */
export function promptLine(x: PromptInput, opts: PromptOptions): string {
  const bindir = isSafeDir(opts.bindir) ? opts.bindir : "";
  let flags = "";
  if (x.source === "download") flags += "d";
  if (x.source !== null && x.source !== "local") flags += "p";
  const fails = x.error !== null || (x.diagnostics?.length ?? 0) > 0;
  if (fails) flags += "e";
  if (bindir !== "") flags += "s";
  const tc = (x.toolchain ?? "").replace(unsafeText, "?");
  let text = "";
  if (tc !== "") {
    text = tc;
    if (x.source === "download") text += DOWNLOAD_MARK;
    else if (flags.includes("p") && bindir === "") text += NOT_ON_PATH_MARK;
    if (fails) text += ERROR_MARK;
  } else if (x.error !== null) {
    text = "go" + ERROR_MARK;
  }
  return `${flags}|${tc}|${text}|${bindir}`;
}

/**
 * isSafeDir reports whether dir can be sent in a prompt line and put in
 * PATH: absolute, and free of `"`, `\`, `:` and control characters.
 */
export function isSafeDir(dir: string): boolean {
  return dir.startsWith("/") && !unsafeDir.test(dir);
}

/**
 * switchKind says how the shell gets `go` to run x's toolchain: "none" (it
 * already does, or cannot), "goroot" (x.exe is GOROOT/bin/go: put its
 * directory first) or "shim" (a goX.Y.Z program in PATH: put a directory
 * holding a `go` symlink to it first).
 */
export function switchKind(x: PromptInput): "none" | "goroot" | "shim" {
  if (x.error !== null || x.exe === null || x.toolchain === null) return "none";
  if (x.source === "local" || x.source === "download" || x.source === null) return "none";
  const base = x.exe.slice(x.exe.lastIndexOf("/") + 1);
  return base === "go" ? "goroot" : "shim";
}

/**
 * shimName names the shim directory for a goX.Y.Z program: the toolchain and
 * a hash of the program's path, so two shells with different PATHs never
 * share a directory that points elsewhere.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shimName } from "./prompt.ts";
 * assert.match(shimName("go1.99.0", "/home/me/go/bin/go1.99.0"), /^go1\.99\.0-[0-9a-f]{16}$/);
 * ```
 */
export function shimName(toolchain: string, exe: string): string {
  // FNV-1a, 64 bits: a name, not a security boundary (the directory is private).
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(exe)) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  const safe = toolchain.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 64);
  return `${safe}-${h.toString(16).padStart(16, "0")}`;
}
