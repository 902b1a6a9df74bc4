/**
 * The REPL's go.mod/go.work edits, made as `go mod edit -go=… -toolchain=…`
 * and `go work edit` make them (cmd/go/internal/modcmd/edit.go,
 * workcmd/edit.go, go1.26): strict parse, the line changed in place or added
 * where modfile adds it, comments kept, the file printed as modfile prints it.
 *
 * @module
 */

import {
  addGoStmt,
  addToolchainStmt,
  cleanup,
  dropGoStmt,
  dropToolchainStmt,
  format,
  goVersionRE,
  parse,
  parseWork,
  sortBlocks,
  toolchainRE,
} from "../modfile/mod.ts";
import type { EditTarget, FileEdit } from "./parse.ts";

/**
 * editText applies one line edit to a go.mod or go.work text and returns the
 * new text.
 *
 * @param shortName the name errors are reported under ("go.mod")
 * @throws {Error} for a version the go command's edit refuses, or a file that does not parse
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { editText } from "./edit.ts";
 * const text = "module m\n\ngo 1.22 // mine\n";
 * assert.equal(editText(text, "go.mod", { op: "go", version: "1.30" }), "module m\n\ngo 1.30 // mine\n");
 * assert.equal(
 *   editText(text, "go.mod", { op: "toolchain", name: "go1.31.0" }),
 *   "module m\n\ngo 1.22 // mine\n\ntoolchain go1.31.0\n",
 * );
 * ```
 */
export function editText(
  text: string,
  target: EditTarget,
  edit: FileEdit,
  shortName: string = target,
): string {
  // The go command checks the flag values before reading the file.
  if (edit.op === "go" && !goVersionRE.test(edit.version)) {
    throw new Error(
      `invalid go version ${
        JSON.stringify(edit.version)
      }; expecting something like "1.22" or "1.22.3"`,
    );
  }
  if (edit.op === "toolchain" && !toolchainRE.test(edit.name)) {
    throw new Error(
      `invalid toolchain ${
        JSON.stringify(edit.name)
      }; expecting something like "go1.22.3" or "default"`,
    );
  }
  const f = target === "go.work" ? parseWork(shortName, text) : parse(shortName, text);
  switch (edit.op) {
    case "go":
      addGoStmt(f, edit.version);
      break;
    case "toolchain":
      addToolchainStmt(f, edit.name);
      break;
    case "drop":
      if (edit.line === "go") dropGoStmt(f);
      else dropToolchainStmt(f);
      break;
    default:
      return text;
  }
  if (target === "go.work") sortBlocks(f);
  cleanup(f);
  return format(f.syntax);
}

/**
 * lineDiff describes how after differs from before as removed ("-") and added
 * ("+") lines, for the few-line edits the REPL makes: the lines between the
 * common head and the common tail.
 */
export function lineDiff(before: string, after: string): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head && tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) tail++;
  return [
    ...a.slice(head, a.length - tail).map((l) => `-${l}`),
    ...b.slice(head, b.length - tail).map((l) => `+${l}`),
  ];
}
