/**
 * What the language server shows, computed from gtc's answers without I/O:
 * where the go, toolchain and use lines are in an editor buffer, the hover
 * text, the inlay hint label, the diagnostics (the go command's own texts
 * placed on the lines they name) and the minimal text edits between two
 * versions of a file. The rules behind the answers live in lib/; this only
 * places them in the editor's coordinates.
 *
 * @module
 */

import type { Explanation } from "../../lib/resolve/mod.ts";
import { parseSyntax } from "../../lib/modfile/mod.ts";
import { clean } from "../../lib/_internal/path.ts";

/** A directive line of the buffer (0-based line, as the LSP counts). */
export interface DirectiveLine {
  kind: "go" | "toolchain" | "use";
  /** 0-based line number. */
  line: number;
  /** Where its tokens end (UTF-16 column), for a hint after them. */
  endCol: number;
  /** For use lines: the directory, unquoted as written. */
  arg?: string;
}

/**
 * directiveLines finds the go, toolchain and use lines of a go.mod or
 * go.work buffer with the go command's own lexer; a buffer the lexer
 * rejects yields what could be read before the error (nothing, then the
 * caller falls back to the answer's lines on disk).
 */
export function directiveLines(name: string, text: string): DirectiveLine[] {
  let syntax;
  try {
    syntax = parseSyntax(name, text);
  } catch {
    return [];
  }
  const lines = text.split("\n");
  const out: DirectiveLine[] = [];
  const endCol = (line1: number) => {
    // The token end, without a trailing comment: the hint goes after the value.
    const l = lines[line1 - 1] ?? "";
    const c = l.indexOf("//");
    return (c >= 0 ? l.slice(0, c) : l).trimEnd().length;
  };
  for (const st of syntax.stmt) {
    if (st.kind === "line") {
      const verb = st.token[0];
      if (verb === "go" || verb === "toolchain" || verb === "use") {
        out.push({
          kind: verb,
          line: st.start.line - 1,
          endCol: endCol(st.start.line),
          ...(verb === "use" && st.token[1] !== undefined ? { arg: unquote(st.token[1]) } : {}),
        });
      }
    } else if (st.kind === "block" && st.token[0] === "use") {
      for (const l of st.line) {
        out.push({
          kind: "use",
          line: l.start.line - 1,
          endCol: endCol(l.start.line),
          ...(l.token[0] !== undefined ? { arg: unquote(l.token[0]) } : {}),
        });
      }
    }
  }
  return out;
}

function unquote(tok: string): string {
  if (tok.startsWith('"')) {
    try {
      return JSON.parse(tok);
    } catch {
      return tok;
    }
  }
  return tok.startsWith("`") ? tok.slice(1, -1) : tok;
}

/**
 * hintLabel is the one-line summary on the go line: `runs go1.26.8 (local)`,
 * `↓ go1.30.0 (download)`, or `! go will fail: …` (the first line of the go
 * command's error) — the flags gtc's prompt uses.
 */
export function hintLabel(x: Explanation): string {
  if (x.error !== null) return `! go will fail: ${x.error.split("\n")[0].replace(/^go: /, "")}`;
  if (x.source === "download") return `↓ ${x.toolchain} (download)`;
  return `runs ${x.toolchain} (${x.source})`;
}

/**
 * hoverMarkdown renders the answer for a hover: a summary, what the hovered
 * line contributes, and `gtc why`'s prose (inputs with their origins, the
 * rules in order) as a code block.
 */
export function hoverMarkdown(x: Explanation, why: string, line?: DirectiveLine): string {
  const out: string[] = [];
  const what = x.error !== null
    ? `**the go command fails here**`
    : x.source === "download"
    ? `**${x.toolchain}** runs here (the go command downloads it first)`
    : `**${x.toolchain}** runs here (${x.source})`;
  out.push(`${what} — GOTOOLCHAIN=${x.gotoolchain.value} from ${x.gotoolchain.origin}`);
  const f = x.file;
  if (line !== undefined && f !== null) {
    const l = line.kind === "go" ? f.go : line.kind === "toolchain" ? f.toolchain : undefined;
    if (l !== undefined) {
      out.push("", `\`${line.kind} ${l.value}\` at ${f.shortPath}:${l.line} (${f.kind} consulted)`);
    }
  } else if (line !== undefined && f === null && line.kind !== "use") {
    out.push("", `this ${line.kind} line is not consulted: ${modeReason(x)}`);
  }
  if (x.error !== null) out.push("", "```text", x.error.replace(/\n$/, ""), "```");
  out.push("", "```text", why.replace(/\n+$/, ""), "```");
  return out.join("\n");
}

function modeReason(x: Explanation): string {
  if (!x.modules) return "module mode is off";
  return `GOTOOLCHAIN=${x.gotoolchain.value} (no +auto or +path) does not read go.mod or go.work`;
}

/** A diagnostic in editor coordinates. */
export interface Problem {
  /** 0-based line. */
  line: number;
  message: string;
  severity: "error" | "warning";
}

const posRE = /^(.+?):(\d+)(?::\d+)?: /;

/**
 * problems places the go command's messages about a file on its lines:
 * each "file:line: …" line of a text naming shortName goes on that line; a
 * text naming no line of the file (a toolchain that cannot run, a version
 * too new) goes on the go line, or the toolchain line when it names the
 * toolchain, or the first line.
 *
 * @param texts the go command's messages (parse errors, load errors, the selection's error)
 * @param shortName the file as those messages name it ("go.mod", "../go.work")
 * @param lines where the buffer's go and toolchain lines are
 */
export function problems(
  texts: readonly string[],
  shortName: string,
  lines: readonly DirectiveLine[],
): Problem[] {
  const out: Problem[] = [];
  const goLine = lines.find((l) => l.kind === "go")?.line;
  const tcLine = lines.find((l) => l.kind === "toolchain")?.line;
  for (const text of texts) {
    let placed = false;
    for (const l of text.split("\n")) {
      const m = posRE.exec(l);
      if (m !== null && m[1] === shortName) {
        out.push({ line: Number(m[2]) - 1, message: l, severity: "error" });
        placed = true;
      }
    }
    if (placed) continue;
    // A go.work module too new for the go.work: on its use line.
    const mod = /^go: module (\S+) listed in go\.work file/.exec(text);
    const useLine = mod === null
      ? undefined
      : lines.find((l) => l.kind === "use" && l.arg !== undefined && clean(l.arg) === clean(mod[1]))
        ?.line;
    const line = useLine ??
      (/toolchain/.test(text) && tcLine !== undefined ? tcLine : goLine ?? 0);
    out.push({ line, message: text.replace(/\n$/, ""), severity: "error" });
  }
  return out;
}

/** A position in LSP terms: 0-based line, UTF-16 column. */
export interface Pos {
  line: number;
  character: number;
}

/** A replacement of the text between start and end by newText. */
export interface Replacement {
  start: Pos;
  end: Pos;
  newText: string;
}

/**
 * lineEdit is the smallest replacement of whole lines that turns before
 * into after (common leading and trailing lines kept), so that the editor
 * keeps the cursor and marks outside it and undoes it in one step; null
 * when the texts are equal.
 */
export function lineEdit(before: string, after: string): Replacement | null {
  if (before === after) return null;
  const a = before.split("\n");
  const b = after.split("\n");
  let head = 0;
  while (head < a.length - 1 && head < b.length - 1 && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head - 1 && tail < b.length - head - 1 &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) tail++;
  const mid = b.slice(head, b.length - tail);
  const start = { line: head, character: 0 };
  if (tail > 0) {
    // Lines [head, a.length - tail) are replaced, each with its newline.
    return {
      start,
      end: { line: a.length - tail, character: 0 },
      newText: mid.map((l) => l + "\n").join(""),
    };
  }
  // Everything from head to the end of the text.
  return {
    start,
    end: { line: a.length - 1, character: a[a.length - 1].length },
    newText: mid.join("\n"),
  };
}
