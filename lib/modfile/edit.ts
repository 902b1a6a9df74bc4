/**
 * Format-preserving edits of go.mod and go.work files: the go and toolchain
 * lines, and the clean-up and block sorting the go command does before it
 * prints a file.
 *
 * Mirrors golang.org/x/mod/modfile rule.go (File.AddGoStmt, AddToolchainStmt,
 * DropGoStmt, DropToolchainStmt, Cleanup, SortBlocks), work.go (the WorkFile
 * versions) and read.go (FileSyntax.addLine, updateLine, Cleanup), x/mod as
 * vendored in go1.26. A behaviour change here needs a failing table or
 * differential test first: the go command writes files exactly this way.
 *
 * Edits change the parsed file and its syntax tree in place; print the tree
 * with {@link format} afterwards. As in Go, a dropped line is only marked
 * (its tokens emptied) until {@link cleanup} removes it.
 *
 * @module
 */

import type { Line, LineBlock } from "./lex.ts";
import { goVersionRE, type ModFile, type Pos, toolchainRE, type WorkFile } from "./parse.ts";
import { defaultGoModVersion, defaultGoWorkVersion } from "./parse.ts";
import { goQuote } from "../_internal/go_quote.ts";
import { modCompare } from "../gover/mod.ts";

function isWork(f: ModFile | WorkFile): f is WorkFile {
  return "use" in f;
}

// newPos is the Pos of a line the edit created: it has no place in the file
// that was read.
function newPos(f: ModFile | WorkFile): Pos {
  return { file: f.syntax.name, line: 0, col: 0 };
}

function newLine(token: string[], inBlock = false): Line {
  const zero = { line: 0, lineRune: 0, byte: 0 };
  return {
    kind: "line",
    comments: { before: [], suffix: [], after: [] },
    start: zero,
    token,
    inBlock,
    end: zero,
  };
}

// isRemoved reports whether markRemoved was called on line (Go: Token == nil;
// a parsed line always has at least one token).
function isRemoved(line: Line): boolean {
  return line.token.length === 0;
}

// markRemoved modifies line so that it (and its end-of-line comment, if any)
// will be dropped by cleanup.
function markRemoved(line: Line) {
  line.token = [];
  line.comments.suffix = [];
}

// updateLine replaces the tokens of line, leaving out the verb inside a block.
function updateLine(line: Line, tokens: string[]) {
  line.token = line.inBlock ? tokens.slice(1) : tokens;
}

// addLine mirrors FileSyntax.addLine: it adds a line containing the given
// tokens after the hint line or block, or, with no hint, at the end of the
// last statement with the same verb, or at the end of the file.
function addLine(
  f: ModFile | WorkFile,
  hint: Line | LineBlock | undefined,
  tokens: string[],
): Line {
  const stmts = f.syntax.stmt;
  if (hint === undefined) {
    // If no hint given, add to the last statement of the given type.
    for (let i = stmts.length - 1; i >= 0; i--) {
      const stmt = stmts[i];
      if (stmt.kind === "line" && !isRemoved(stmt) && stmt.token[0] === tokens[0]) {
        hint = stmt;
        break;
      }
      if (stmt.kind === "block" && stmt.token[0] === tokens[0]) {
        hint = stmt;
        break;
      }
    }
  }

  const newLineAfter = (i: number): Line => {
    const line = newLine(tokens);
    stmts.splice(i + 1, 0, line);
    return line;
  };

  if (hint !== undefined) {
    for (let i = 0; i < stmts.length; i++) {
      const stmt = stmts[i];
      if (stmt.kind === "line" && stmt === hint) {
        if (isRemoved(stmt) || stmt.token[0] !== tokens[0]) return newLineAfter(i);
        // Convert line to line block.
        stmt.inBlock = true;
        const block: LineBlock = {
          kind: "block",
          comments: { before: [], suffix: [], after: [] },
          start: stmt.start,
          lparen: {
            kind: "lparen",
            comments: { before: [], suffix: [], after: [] },
            pos: stmt.start,
          },
          token: stmt.token.slice(0, 1),
          line: [stmt],
          rparen: {
            kind: "rparen",
            comments: { before: [], suffix: [], after: [] },
            pos: stmt.start,
          },
        };
        stmt.token = stmt.token.slice(1);
        stmts[i] = block;
        const line = newLine(tokens.slice(1), true);
        block.line.push(line);
        return line;
      }
      if (stmt.kind === "block") {
        if (stmt === hint) {
          if (stmt.token[0] !== tokens[0]) return newLineAfter(i);
          const line = newLine(tokens.slice(1), true);
          stmt.line.push(line);
          return line;
        }
        for (let j = 0; j < stmt.line.length; j++) {
          if (stmt.line[j] === hint) {
            if (stmt.token[0] !== tokens[0]) return newLineAfter(i);
            // Add new line after hint within the block.
            const line = newLine(tokens.slice(1), true);
            stmt.line.splice(j + 1, 0, line);
            return line;
          }
        }
      }
    }
  }

  const line = newLine(tokens);
  stmts.push(line);
  return line;
}

/**
 * addGoStmt sets the go line of f to version, adding the line if f has none
 * (File.AddGoStmt, WorkFile.AddGoStmt). In a go.mod a new go line goes right
 * after the module line (or at the end of the file when there is none); in a
 * go.work it goes before the first statement that is not a comment block.
 *
 * @param version a language or release version matching goVersionRE ("1.22", "1.22.3", "1.23rc1")
 * @throws {Error} `invalid language version "X"` when version does not match goVersionRE
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addGoStmt, addToolchainStmt } from "./edit.ts";
 * import { parse } from "./parse.ts";
 * import { format } from "./print.ts";
 * const f = parse("go.mod", "// A module.\nmodule m\n\nrequire a v1.0.0\n");
 * addGoStmt(f, "1.22");
 * addToolchainStmt(f, "go1.23.1");
 * assert.equal(format(f.syntax), "// A module.\nmodule m\n\ngo 1.22\n\ntoolchain go1.23.1\n\nrequire a v1.0.0\n");
 * ```
 */
export function addGoStmt(f: ModFile | WorkFile, version: string): void {
  if (!goVersionRE.test(version)) {
    throw new Error(`invalid language version ${goQuote(version)}`);
  }
  if (f.go !== undefined) {
    f.go.version = version;
    updateLine(f.go.syntax, ["go", version]);
  } else if (isWork(f)) {
    // Find the first non-comment-only block and add the go statement before
    // it. That will keep file comments at the top.
    const stmt = newLine(["go", version]);
    let i = 0;
    while (i < f.syntax.stmt.length && f.syntax.stmt[i].kind === "comments") i++;
    f.syntax.stmt.splice(i, 0, stmt);
    f.go = { version, pos: newPos(f), syntax: stmt };
  } else {
    const hint = f.module?.syntax;
    f.go = { version, pos: newPos(f), syntax: addLine(f, hint, ["go", version]) };
  }
  f.goVersion = version;
}

/**
 * addToolchainStmt sets the toolchain line of f to name, adding the line if
 * f has none (File.AddToolchainStmt, WorkFile.AddToolchainStmt). A new line
 * goes right after the go line; without one, in a go.mod after the module
 * line (else at the end), in a go.work before the first statement that is not
 * a comment block.
 *
 * @param name a toolchain name matching toolchainRE ("go1.22.3", "default")
 * @throws {Error} `invalid toolchain name "X"` when name does not match toolchainRE
 */
export function addToolchainStmt(f: ModFile | WorkFile, name: string): void {
  if (!toolchainRE.test(name)) {
    throw new Error(`invalid toolchain name ${goQuote(name)}`);
  }
  if (f.toolchain !== undefined) {
    f.toolchain.name = name;
    updateLine(f.toolchain.syntax, ["toolchain", name]);
    return;
  }
  if (isWork(f)) {
    const stmt = newLine(["toolchain", name]);
    const stmts = f.syntax.stmt;
    // Find the go line and add the toolchain line after it. Or else find the
    // first non-comment-only block and add the toolchain line before it.
    // That will keep file comments at the top.
    let i = stmts.findIndex((s) => s.kind === "line" && s.token.length > 0 && s.token[0] === "go");
    if (i >= 0) {
      i++;
    } else {
      i = 0;
      while (i < stmts.length && stmts[i].kind === "comments") i++;
    }
    stmts.splice(i, 0, stmt);
    f.toolchain = { name, pos: newPos(f), syntax: stmt };
    return;
  }
  const hint = f.go?.syntax ?? f.module?.syntax;
  f.toolchain = { name, pos: newPos(f), syntax: addLine(f, hint, ["toolchain", name]) };
}

/** dropGoStmt deletes the go line from f, if any (File.DropGoStmt). Call cleanup before printing. */
export function dropGoStmt(f: ModFile | WorkFile): void {
  if (f.go === undefined) return;
  markRemoved(f.go.syntax);
  f.go = undefined;
  f.goVersion = isWork(f) ? defaultGoWorkVersion : defaultGoModVersion;
}

/**
 * dropToolchainStmt deletes the toolchain line from f, if any
 * (File.DropToolchainStmt). Call cleanup before printing.
 */
export function dropToolchainStmt(f: ModFile | WorkFile): void {
  if (f.toolchain === undefined) return;
  markRemoved(f.toolchain.syntax);
  f.toolchain = undefined;
}

/**
 * cleanup removes the lines marked as dropped from f's syntax tree
 * (File.Cleanup, FileSyntax.Cleanup). As in Go, it also turns every block
 * left with exactly one line and no comment before its ")" into a single
 * line, `require (\n\ta v1.0.0\n)` into `require a v1.0.0`, keeping the
 * line's comments and those of the block.
 */
export function cleanup(f: ModFile | WorkFile): void {
  const out = [];
  for (const stmt of f.syntax.stmt) {
    if (stmt.kind === "line" && isRemoved(stmt)) continue;
    if (stmt.kind === "block") {
      const lines = stmt.line.filter((l) => !isRemoved(l));
      if (lines.length === 0) continue;
      if (lines.length === 1 && stmt.rparen.comments.before.length === 0) {
        // Collapse block into single line but keep the Line object used by
        // the parsed file.
        const l = lines[0];
        l.comments = {
          before: [...stmt.comments.before, ...l.comments.before],
          suffix: [...l.comments.suffix, ...stmt.comments.suffix],
          after: [...l.comments.after, ...stmt.comments.after],
        };
        l.token = [...stmt.token, ...l.token];
        l.inBlock = false;
        out.push(l);
        continue;
      }
      stmt.line = lines;
    }
    out.push(stmt);
  }
  f.syntax.stmt = out;
}

/**
 * sortBlocks removes duplicate exclude, replace, tool and ignore lines and
 * sorts the lines of every block, as `go mod edit` and `go work edit` do
 * before printing (File.SortBlocks, WorkFile.SortBlocks). Lines sort by their
 * tokens; in a go.mod whose go line is at least 1.21, exclude lines sort by
 * module path and then semantic version, and retract lines sort newest
 * interval first.
 */
export function sortBlocks(f: ModFile | WorkFile): void {
  removeDups(f);
  // semanticSortForExclude: from go 1.21 (golang/go#60028).
  const semanticExclude = !isWork(f) && f.go !== undefined &&
    modCompare("", "v" + f.go.version, "v1.21") >= 0;
  for (const stmt of f.syntax.stmt) {
    if (stmt.kind !== "block") continue;
    let less = compareLine;
    if (!isWork(f) && stmt.token[0] === "exclude" && semanticExclude) less = compareLineExclude;
    else if (!isWork(f) && stmt.token[0] === "retract") less = compareLineRetract;
    // Array.prototype.sort is stable, like slices.SortStableFunc.
    stmt.line.sort(less);
  }
}

// removeDups removes duplicate exclude, tool and ignore directives (earlier
// ones win) and replace directives (later ones win), from the parsed file and
// its syntax tree. Duplicate require and retract directives stay.
function removeDups(f: ModFile | WorkFile) {
  const kill = new Set<Line>();
  const firstWins = <T extends { syntax: Line }>(list: T[], key: (x: T) => string): T[] => {
    const have = new Set<string>();
    for (const x of list) {
      const k = key(x);
      if (have.has(k)) kill.add(x.syntax);
      else have.add(k);
    }
    return list.filter((x) => !kill.has(x.syntax));
  };
  const modKey = (m: { path: string; version: string }) => m.path + "\x00" + m.version;

  if (!isWork(f)) f.exclude = firstWins(f.exclude, (x) => modKey(x.mod));

  // Later replacements take priority over earlier ones.
  const haveReplace = new Set<string>();
  for (let i = f.replace.length - 1; i >= 0; i--) {
    const k = modKey(f.replace[i].old);
    if (haveReplace.has(k)) kill.add(f.replace[i].syntax);
    else haveReplace.add(k);
  }
  f.replace = f.replace.filter((x) => !kill.has(x.syntax));

  if (!isWork(f)) {
    f.tool = firstWins(f.tool, (t) => t.path);
    f.ignore = firstWins(f.ignore, (t) => t.path);
  }

  // Drop killed statements from the syntax tree.
  const stmts = [];
  for (const stmt of f.syntax.stmt) {
    if (stmt.kind === "line" && kill.has(stmt)) continue;
    if (stmt.kind === "block") {
      stmt.line = stmt.line.filter((l) => !kill.has(l));
      if (stmt.line.length === 0) continue;
    }
    stmts.push(stmt);
  }
  f.syntax.stmt = stmts;
}

// compareStrings compares as Go's cmp.Compare on strings does: by UTF-8
// bytes, which is code point order (JavaScript's < compares UTF-16 units).
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < x.length && i < y.length; i++) {
    if (x[i] !== y[i]) return x[i].codePointAt(0)! < y[i].codePointAt(0)! ? -1 : 1;
  }
  return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
}

// compareLine sorts lexicographically without assigning any special meaning
// to tokens.
function compareLine(li: Line, lj: Line): number {
  for (let k = 0; k < li.token.length && k < lj.token.length; k++) {
    if (li.token[k] !== lj.token[k]) return compareStrings(li.token[k], lj.token[k]);
  }
  return Math.sign(li.token.length - lj.token.length);
}

// compareLineExclude compares exclude lines by module path, then by semantic
// version.
function compareLineExclude(li: Line, lj: Line): number {
  if (li.token.length !== 2 || lj.token.length !== 2) {
    // Not a known exclude specification: sort lexicographically.
    return compareLine(li, lj);
  }
  if (li.token[0] !== lj.token[0]) return compareStrings(li.token[0], lj.token[0]);
  // modCompare falls back to semver.Compare for paths other than go and toolchain.
  return modCompare("", li.token[1], lj.token[1]);
}

// compareLineRetract sorts retract lines as version intervals, in descending
// order, first by low version, then by high version.
function compareLineRetract(li: Line, lj: Line): number {
  const interval = (l: Line): [string, string] => {
    const t = l.token;
    if (t.length === 1) return [t[0], t[0]];
    if (t.length === 5 && t[0] === "[" && t[2] === "," && t[4] === "]") return [t[1], t[3]];
    // Line in unknown format. Treat as an invalid version.
    return ["", ""];
  };
  const [lowI, highI] = interval(li);
  const [lowJ, highJ] = interval(lj);
  const c = modCompare("", lowI, lowJ);
  if (c !== 0) return -c;
  return -modCompare("", highI, highJ);
}
