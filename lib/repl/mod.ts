/**
 * The `gtc repl` session, without a terminal: a command language (why, cd,
 * set/unset, mod/work line edits, env, install, list, help, exit), an
 * in-memory overlay of edited go.mod/go.work files, completion and the
 * history file format. Answers come from lib/resolve on a Host whose file
 * system is the overlay, so a what-if is exactly what the go command decides
 * with those changes on disk.
 *
 * @example A what-if edit changes the answer and nothing on disk
 * ```ts
 * import assert from "node:assert/strict";
 * import { MemFs } from "../_internal/mem_fs.ts";
 * import { Session } from "./mod.ts";
 *
 * const fs = new MemFs({ "/src/m/go.mod": "module m\n\ngo 1.22\n" });
 * const host = {
 *   fs, goos: "linux", goarch: "amd64", pathStyle: "posix" as const,
 *   runner: { run: () => ({ code: 1, stdout: "" }) },
 *   cwd: () => "/src/m", environ: () => ({ PATH: "", GOTOOLCHAIN: "auto", HOME: "/home/u" }),
 * };
 * const s = new Session({ host });
 * assert.equal(s.explain().toolchain, "go1.22.0");
 * await s.run("mod go 1.30");
 * assert.equal(s.explain().toolchain, "go1.30.0");
 * assert.equal(new TextDecoder().decode(fs.readFile("/src/m/go.mod")), "module m\n\ngo 1.22\n");
 * ```
 *
 * @module
 */

export {
  type Command,
  type CommandHelp,
  commandNames,
  commands,
  type EditTarget,
  type FileEdit,
  isEnvKey,
  parseCommand,
  splitWords,
} from "./parse.ts";
export { OverlayFs } from "./overlay.ts";
export { editText, lineDiff } from "./edit.ts";
export { complete, type Completion, type CompletionContext } from "./complete.ts";
export { addHistory, formatHistory, historyLimit, historyPath, parseHistory } from "./history.ts";
export {
  type InstallFn,
  type InstallRequest,
  type ListFn,
  notAvailable,
  type Output,
  Session,
  type SessionInput,
} from "./session.ts";
