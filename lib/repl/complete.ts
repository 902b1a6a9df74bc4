/**
 * Tab completion for the REPL: command words, `mod`/`work` operations,
 * environment keys (GO* and those set in the session), directories for `cd`
 * and `why`, and toolchain names for `install`, `mod toolchain` and
 * `set GOTOOLCHAIN=`. Pure: the directory listing and the name lists come in
 * through CompletionContext.
 *
 * The result has node:readline's completer shape: the candidates, each a
 * full replacement of the word being completed, and that word.
 *
 * @module
 */

import type { ReadFs } from "../_internal/sys.ts";
import { isAbs, join, type PathStyle } from "../_internal/path.ts";
import { commandNames } from "./parse.ts";

/** What completion may look at. */
export interface CompletionContext {
  fs: ReadFs;
  style: PathStyle;
  /** The session's directory: relative paths start here. */
  cwd: string;
  /** $HOME, for words starting with "~/". */
  home?: string;
  /** Environment keys to offer for set/unset/env (GO* keys, known or set). */
  envKeys(): string[];
  /** Toolchain names to offer ("go1.22.3"), newest first. */
  toolchains(): string[];
}

/** Completion is node:readline's completer result: [candidates, word completed]. */
export type Completion = [string[], string];

const editOps = ["go", "toolchain", "drop", "show", "reset"];
const gotoolchainValues = ["auto", "local", "path", "local+auto", "local+path"];

function matching(list: readonly string[], word: string): string[] {
  return [...new Set(list.filter((c) => c.startsWith(word)))];
}

/**
 * complete completes the last word of line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MemFs } from "../_internal/mem_fs.ts";
 * import { complete } from "./complete.ts";
 * const ctx = {
 *   fs: new MemFs({ "/src/m/sub/": "", "/src/m/go.mod": "module m\n" }), style: "posix" as const,
 *   cwd: "/src/m", envKeys: () => ["GOTOOLCHAIN", "GOPATH"], toolchains: () => ["go1.22.3"],
 * };
 * assert.deepEqual(complete("wh", ctx), [["why"], "wh"]);
 * assert.deepEqual(complete("cd s", ctx), [["sub/"], "s"]);
 * assert.deepEqual(complete("set GOT", ctx), [["GOTOOLCHAIN="], "GOT"]);
 * ```
 */
export function complete(line: string, ctx: CompletionContext): Completion {
  const words = line.split(/[ \t]+/);
  if (words[0] === "") words.shift();
  const word = words.length === 0 ? "" : words[words.length - 1];
  const index = Math.max(0, words.length - 1);
  if (index === 0) return [matching(commandNames, word), word];
  const cmd = words[0];
  switch (cmd) {
    case "cd":
      return index === 1 ? [dirs(word, ctx), word] : [[], word];
    case "why":
      if (word.startsWith("-")) return [matching(["-q", "--quiet", "--json"], word), word];
      return [dirs(word, ctx), word];
    case "set": {
      if (index !== 1) return [[], word];
      const eq = word.indexOf("=");
      if (eq < 0) return [matching(ctx.envKeys(), word).map((k) => k + "="), word];
      if (word.slice(0, eq) !== "GOTOOLCHAIN") return [[], word];
      const values = [...gotoolchainValues];
      for (const t of ctx.toolchains()) values.push(t, `${t}+auto`, `${t}+path`);
      return [matching(values.map((v) => `GOTOOLCHAIN=${v}`), word), word];
    }
    case "unset":
      return index === 1 ? [matching(ctx.envKeys(), word), word] : [[], word];
    case "env":
      return [matching([...ctx.envKeys(), "--json"], word), word];
    case "mod":
    case "work":
      if (index === 1) return [matching(editOps, word), word];
      if (index === 2 && words[1] === "drop") return [matching(["go", "toolchain"], word), word];
      if (index === 2 && words[1] === "toolchain") {
        return [matching([...ctx.toolchains(), "default", "none"], word), word];
      }
      return [[], word];
    case "install":
      return index === 1 ? [matching(ctx.toolchains(), word), word] : [[], word];
    case "help":
      return index === 1 ? [matching(commandNames, word), word] : [[], word];
    default:
      return [[], word];
  }
}

// dirs lists the directories whose path starts with word, as word spells
// them (relative, absolute or ~/), each ending in the separator.
function dirs(word: string, ctx: CompletionContext): string[] {
  const seps = ctx.style === "windows" ? /[\\/]/ : /\//;
  let cut = -1;
  for (let i = word.length - 1; i >= 0; i--) {
    if (seps.test(word[i])) {
      cut = i;
      break;
    }
  }
  const head = word.slice(0, cut + 1); // "", "sub/", "/x/", "~/"
  const prefix = word.slice(cut + 1);
  let base: string;
  if (head === "") base = ctx.cwd;
  else if (head.startsWith("~") && /^~[\\/]/.test(head)) {
    if (ctx.home === undefined) return [];
    base = join(ctx.style, ctx.home, head.slice(2));
  } else if (isAbs(head, ctx.style)) base = join(ctx.style, head);
  else base = join(ctx.style, ctx.cwd, head);
  let names: string[];
  try {
    names = ctx.fs.readDir(base);
  } catch {
    return [];
  }
  const sep = ctx.style === "windows" ? "\\" : "/";
  const out: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    if (name.startsWith(".") && !prefix.startsWith(".")) continue;
    if (ctx.fs.stat(join(ctx.style, base, name))?.isDirectory) out.push(head + name + sep);
  }
  return out.sort();
}
