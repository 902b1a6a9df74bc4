/**
 * The meaning of go.mod and go.work directives: module, go, toolchain,
 * godebug, use, and the dependency directives, with positions.
 *
 * Mirrors golang.org/x/mod/modfile rule.go (Parse, ParseLax, File.add) and
 * work.go (ParseWork, WorkFile.add), as vendored in go1.26, with a nil
 * VersionFixer. A behaviour change here needs a failing table or differential
 * test first: the go command accepts or rejects files by these rules.
 *
 * Versions in require, exclude and replace must be semantic versions and are
 * rewritten to canonical form, and /vN suffixes must match, as with Go's nil
 * VersionFixer; retract versions are not checked (Go checks them only when a
 * fixer is given).
 *
 * @module
 */

import { goQuote } from "../_internal/go_quote.ts";
import { ModFileError, ModFileErrorList } from "./error.ts";
import { type FileSyntax, type Line, type LineBlock, parseSyntax } from "./lex.ts";
import { isPrint, trimSpace } from "./_strings.ts";
import { errSyntax, unquote } from "./_strconv.ts";
import { canonicalVersion, checkPathMajor, invalidVersion, splitPathVersion } from "./_module.ts";

/**
 * defaultGoModVersion is the go version a go.mod without a go line means
 * (cmd/go/internal/gover.DefaultGoModVersion).
 */
export const defaultGoModVersion = "1.16";

/**
 * defaultGoWorkVersion is the go version a go.work without a go line means
 * (cmd/go/internal/gover.DefaultGoWorkVersion).
 */
export const defaultGoWorkVersion = "1.18";

/** goVersionRE is modfile.GoVersionRE: what a strict go line must match. */
export const goVersionRE = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$/;

// laxGoVersionRE is what ParseLax accepts instead, keeping group 1.
const laxGoVersionRE = /^v?(([1-9][0-9]*)\.(0|[1-9][0-9]*))([^0-9].*)$/;

/**
 * toolchainRE is modfile.ToolchainRE. It is much looser than a valid toolchain
 * name on purpose, for forward compatibility: "go1", "go1.", "go1.21+x" all
 * match. The real check happens at selection time (gover fromToolchain).
 */
export const toolchainRE = /^default$|^go1($|\.)/;

/** A Pos names a directive's place for messages: file, line and rune column. */
export interface Pos {
  /** File name as given to the parser, e.g. "go.mod" or "/src/m/go.work". */
  file: string;
  /** Line, starting at 1. */
  line: number;
  /** Rune column, starting at 1. */
  col: number;
}

/** posString formats p as Go's modfile errors do: "go.mod:3", or "go.mod:3:5" when col > 1. */
export function posString(p: Pos): string {
  return p.col > 1 ? `${p.file}:${p.line}:${p.col}` : `${p.file}:${p.line}`;
}

/** A Module is the module directive. */
export interface Module {
  /** The module path, unquoted. */
  path: string;
  /** The "Deprecated:" paragraph of the directive's comments, or "". */
  deprecated: string;
  pos: Pos;
  syntax: Line;
}

/** A Go is the go directive. */
export interface Go {
  /** The version as written, e.g. "1.23" or "1.21.0"; in lax mode "v1.17.0-rc.2" reads "1.17". */
  version: string;
  pos: Pos;
  syntax: Line;
}

/** A Toolchain is the toolchain directive. */
export interface Toolchain {
  /** The name as written, e.g. "go1.21rc1" or "default". */
  name: string;
  pos: Pos;
  syntax: Line;
}

/** A Godebug is one godebug key=value setting. */
export interface Godebug {
  key: string;
  value: string;
  pos: Pos;
  syntax: Line;
}

/** A ModuleVersion is a module path and a version ("" for a directory or any version). */
export interface ModuleVersion {
  path: string;
  version: string;
}

/** A Require is one require directive. */
export interface Require {
  mod: ModuleVersion;
  /** Whether the line has a "// indirect" comment. */
  indirect: boolean;
  pos: Pos;
  syntax: Line;
}

/** An Exclude is one exclude directive. */
export interface Exclude {
  mod: ModuleVersion;
  pos: Pos;
  syntax: Line;
}

/** A Replace is one replace directive. */
export interface Replace {
  old: ModuleVersion;
  new: ModuleVersion;
  pos: Pos;
  syntax: Line;
}

/** A Retract is one retract directive: a closed version interval. */
export interface Retract {
  low: string;
  high: string;
  /** The directive's comments, one line each, without "//". */
  rationale: string;
  pos: Pos;
  syntax: Line;
}

/** A Tool is one tool directive. */
export interface Tool {
  path: string;
  pos: Pos;
  syntax: Line;
}

/** An Ignore is one ignore directive. */
export interface Ignore {
  path: string;
  pos: Pos;
  syntax: Line;
}

/** A Use is one use directive of a go.work file. */
export interface Use {
  /** The directory, unquoted, as written. */
  path: string;
  pos: Pos;
  syntax: Line;
}

/** A ModFile is a parsed go.mod file (x/mod's modfile.File). */
export interface ModFile {
  module?: Module;
  /** The go directive; undefined when the file has none. */
  go?: Go;
  /**
   * goVersion is the go version in effect: go.version, or defaultGoModVersion
   * ("1.16") when the file has no go line.
   */
  goVersion: string;
  /** The toolchain directive; always undefined in lax mode, which ignores it. */
  toolchain?: Toolchain;
  godebug: Godebug[];
  require: Require[];
  exclude: Exclude[];
  replace: Replace[];
  retract: Retract[];
  tool: Tool[];
  ignore: Ignore[];
  /**
   * The lines and blocks that lax mode skipped: unknown directives and the
   * ones only a main module uses (toolchain, godebug, replace, exclude, tool).
   * Always empty in strict mode, which rejects unknown directives.
   */
  ignored: (Line | LineBlock)[];
  syntax: FileSyntax;
}

/** A WorkFile is a parsed go.work file (x/mod's modfile.WorkFile). */
export interface WorkFile {
  /** The go directive; undefined when the file has none. */
  go?: Go;
  /**
   * goVersion is the go version in effect: go.version, or
   * defaultGoWorkVersion ("1.18") when the file has no go line.
   */
  goVersion: string;
  toolchain?: Toolchain;
  godebug: Godebug[];
  use: Use[];
  replace: Replace[];
  syntax: FileSyntax;
}

/**
 * parse parses a go.mod file strictly, as the go command reads the main
 * module's go.mod (modfile.Parse with a nil VersionFixer).
 *
 * @param file the file name used in positions and errors
 * @param data the file's contents
 * @throws {ModFileErrorList} every problem found, in file order
 *
 * @example Reading the go and toolchain lines
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "./parse.ts";
 * const f = parse("go.mod", "module m\n\ngo 1.22\ntoolchain go1.22.3\n");
 * assert.equal(f.go?.version, "1.22");
 * assert.equal(f.go?.pos.line, 3);
 * assert.equal(f.toolchain?.name, "go1.22.3");
 * ```
 */
export function parse(file: string, data: string | Uint8Array): ModFile {
  return parseToFile(file, data, true);
}

/**
 * parseLax parses a go.mod file as the go command reads a dependency's
 * (modfile.ParseLax): unknown and main-module-only directives, including
 * toolchain, are ignored, and a go version that fails goVersionRE but starts
 * like one ("v1.17.0-rc.2", "1.2.beta1") reads as its major.minor.
 *
 * @throws {ModFileErrorList} every problem found, in file order
 *
 * @example A dependency's go line
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseLax } from "./parse.ts";
 * const f = parseLax("go.mod", "module m\ngo v1.17.0-rc.2\ntoolchain bogus\n");
 * assert.equal(f.go?.version, "1.17");
 * assert.equal(f.toolchain, undefined);
 * ```
 */
export function parseLax(file: string, data: string | Uint8Array): ModFile {
  return parseToFile(file, data, false);
}

/**
 * parseWork parses a go.work file (modfile.ParseWork with a nil
 * VersionFixer).
 *
 * @throws {ModFileErrorList} every problem found, in file order
 *
 * @example A workspace
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseWork } from "./parse.ts";
 * const f = parseWork("go.work", "use (\n\t./a\n\t\"./b c\"\n)\n");
 * assert.deepEqual(f.use.map((u) => u.path), ["./a", "./b c"]);
 * assert.equal(f.goVersion, "1.18");
 * ```
 */
export function parseWork(file: string, data: string | Uint8Array): WorkFile {
  const fs = parseSyntax(file, data);
  const f: WorkFile = {
    goVersion: defaultGoWorkVersion,
    godebug: [],
    use: [],
    replace: [],
    syntax: fs,
  };
  const errs: ModFileError[] = [];
  for (const x of fs.stmt) {
    switch (x.kind) {
      case "line":
        addWork(f, errs, x, x.token[0], 1);
        break;
      case "block":
        if (x.token.length > 1) {
          errs.push(errorAt(file, x, `unknown block type: ${x.token.join(" ")}`));
          continue;
        }
        switch (x.token[0]) {
          case "godebug":
          case "use":
          case "replace":
            for (const l of x.line) addWork(f, errs, l, x.token[0], 0);
            break;
          default:
            errs.push(errorAt(file, x, `unknown block type: ${x.token.join(" ")}`));
        }
    }
  }
  if (errs.length > 0) throw new ModFileErrorList(errs);
  if (f.go) f.goVersion = f.go.version;
  return f;
}

function parseToFile(file: string, data: string | Uint8Array, strict: boolean): ModFile {
  const fs = parseSyntax(file, data);
  const f: ModFile = {
    goVersion: defaultGoModVersion,
    godebug: [],
    require: [],
    exclude: [],
    replace: [],
    retract: [],
    tool: [],
    ignore: [],
    ignored: [],
    syntax: fs,
  };
  const errs: ModFileError[] = [];
  for (const x of fs.stmt) {
    switch (x.kind) {
      case "line":
        addMod(f, errs, undefined, x, x.token[0], 1, strict);
        break;
      case "block":
        if (x.token.length > 1) {
          if (strict) errs.push(errorAt(file, x, `unknown block type: ${x.token.join(" ")}`));
          else f.ignored.push(x);
          continue;
        }
        switch (x.token[0]) {
          case "module":
          case "godebug":
          case "require":
          case "exclude":
          case "replace":
          case "retract":
          case "tool":
          case "ignore":
            // In lax mode a whole block of a skipped directive is one
            // ignored entry, even when it is empty.
            if (!strict && !laxVerbs.has(x.token[0])) f.ignored.push(x);
            else for (const l of x.line) addMod(f, errs, x, l, x.token[0], 0, strict);
            break;
          default:
            if (strict) errs.push(errorAt(file, x, `unknown block type: ${x.token.join(" ")}`));
            else f.ignored.push(x);
        }
    }
  }
  // Go's fixRetract does nothing with a nil VersionFixer.
  if (errs.length > 0) throw new ModFileErrorList(errs);
  if (f.go) f.goVersion = f.go.version;
  return f;
}

function errorAt(
  file: string,
  x: { start: { line: number; lineRune: number; byte: number } },
  detail: string,
  extra: { verb?: string; modPath?: string } = {},
): ModFileError {
  return new ModFileError({
    file,
    line: x.start.line,
    col: x.start.lineRune,
    byte: x.start.byte,
    detail,
    ...extra,
  });
}

function posOf(file: string, line: Line): Pos {
  return { file, line: line.start.line, col: line.start.lineRune };
}

// Args is a window on line.token from index off, like Go's args slice, which
// shares its backing array with the Line: writes through it (the lax go
// version, re-quoted strings) change the syntax tree too, as in Go.
class Args {
  constructor(readonly line: Line, readonly off: number) {}
  get length(): number {
    return this.line.token.length - this.off;
  }
  get(i: number): string {
    return this.line.token[this.off + i];
  }
  set(i: number, v: string) {
    this.line.token[this.off + i] = v;
  }
  slice(i: number): string[] {
    return this.line.token.slice(this.off + i);
  }
}

// laxVerbs are the directives lax mode reads: the ones that matter even for
// a dependency's go.mod.
const laxVerbs = new Set(["go", "module", "retract", "require", "ignore"]);

// addMod mirrors (*File).add.
function addMod(
  f: ModFile,
  errs: ModFileError[],
  block: LineBlock | undefined,
  line: Line,
  verb: string,
  off: number,
  strict: boolean,
): void {
  // Lax mode reads a dependency's go.mod: it ignores unknown directives and
  // main-module-only ones, so that modules using directives added later
  // still work as dependencies.
  if (!strict && !laxVerbs.has(verb)) {
    f.ignored.push(line);
    return;
  }

  const file = f.syntax.name;
  const args = new Args(line, off);
  const errorf = (detail: string) => errs.push(errorAt(file, line, detail));
  const pos = posOf(file, line);

  switch (verb) {
    default:
      errorf(`unknown directive: ${verb}`);
      return;

    case "go": {
      if (f.go !== undefined) {
        errorf("repeated go statement");
        return;
      }
      if (args.length !== 1) {
        errorf("go directive expects exactly one argument");
        return;
      } else if (!goVersionRE.test(args.get(0))) {
        let fixed = false;
        if (!strict) {
          const m = laxGoVersionRE.exec(args.get(0));
          if (m !== null) {
            args.set(0, m[1]);
            fixed = true;
          }
        }
        if (!fixed) {
          errorf(`invalid go version '${args.get(0)}': must match format 1.23.0`);
          return;
        }
      }
      f.go = { version: args.get(0), pos, syntax: line };
      return;
    }

    case "toolchain": {
      const t = toolchainOf(args, errorf, f.toolchain !== undefined, pos, line);
      if (t) f.toolchain = t;
      return;
    }

    case "module": {
      if (f.module !== undefined) {
        errorf("repeated module statement");
        return;
      }
      const deprecated = parseDeprecation(block, line);
      f.module = { path: "", deprecated, pos, syntax: line };
      if (args.length !== 1) {
        errorf("usage: module module/path");
        return;
      }
      const s = parseString(args, 0);
      if (s.err !== undefined) {
        errorf(`invalid quoted string: ${s.err}`);
        return;
      }
      f.module.path = s.value;
      return;
    }

    case "godebug": {
      const g = godebugOf(args, errorf, pos, line);
      if (g) f.godebug.push(g);
      return;
    }

    case "require":
    case "exclude": {
      if (args.length !== 2) {
        errorf(`usage: ${verb} module/path v1.2.3`);
        return;
      }
      const s = parseString(args, 0);
      if (s.err !== undefined) {
        errorf(`invalid quoted string: ${s.err}`);
        return;
      }
      const v = parseVersion(args, 1);
      if (v.err !== undefined) {
        errs.push(errorAt(file, line, v.err, { verb, modPath: s.value }));
        return;
      }
      const pathMajor = modulePathMajor(s.value);
      if (pathMajor.err !== undefined) {
        errorf(pathMajor.err);
        return;
      }
      const major = checkPathMajor(v.value, pathMajor.value);
      if (major !== undefined) {
        errs.push(errorAt(file, line, major, { verb, modPath: s.value }));
        return;
      }
      const mod = { path: s.value, version: v.value };
      if (verb === "require") {
        f.require.push({ mod, indirect: isIndirect(line), pos, syntax: line });
      } else {
        f.exclude.push({ mod, pos, syntax: line });
      }
      return;
    }

    case "replace": {
      const r = parseReplace(file, line, verb, args);
      if (r instanceof ModFileError) errs.push(r);
      else f.replace.push(r);
      return;
    }

    case "retract": {
      const rationale = parseDirectiveComment(block, line);
      const toks = args.slice(0);
      const vi = parseVersionInterval(verb, "", toks);
      if (typeof vi === "string") {
        // Only the main module reports interval errors: a future syntax
        // (open intervals) must not break dependencies.
        if (strict) errorf(vi);
        return;
      }
      if (vi.rest.length > 0 && strict) {
        // There may be additional information after the version in future.
        errorf(`unexpected token after version: ${goQuote(vi.rest[0])}`);
        return;
      }
      f.retract.push({ low: vi.low, high: vi.high, rationale, pos, syntax: line });
      return;
    }

    case "tool":
    case "ignore": {
      if (args.length !== 1) {
        errorf(`${verb} directive expects exactly one argument`);
        return;
      }
      const s = parseString(args, 0);
      if (s.err !== undefined) {
        errorf(`invalid quoted string: ${s.err}`);
        return;
      }
      (verb === "tool" ? f.tool : f.ignore).push({ path: s.value, pos, syntax: line });
      return;
    }
  }
}

// addWork mirrors (*WorkFile).add.
function addWork(f: WorkFile, errs: ModFileError[], line: Line, verb: string, off: number): void {
  const file = f.syntax.name;
  const args = new Args(line, off);
  const errorf = (detail: string) => errs.push(errorAt(file, line, detail));
  const pos = posOf(file, line);

  switch (verb) {
    default:
      errorf(`unknown directive: ${verb}`);
      return;

    case "go":
      if (f.go !== undefined) {
        errorf("repeated go statement");
        return;
      }
      if (args.length !== 1) {
        errorf("go directive expects exactly one argument");
        return;
      } else if (!goVersionRE.test(args.get(0))) {
        errorf(`invalid go version '${args.get(0)}': must match format 1.23.0`);
        return;
      }
      f.go = { version: args.get(0), pos, syntax: line };
      return;

    case "toolchain": {
      const t = toolchainOf(args, errorf, f.toolchain !== undefined, pos, line);
      if (t) f.toolchain = t;
      return;
    }

    case "godebug": {
      const g = godebugOf(args, errorf, pos, line);
      if (g) f.godebug.push(g);
      return;
    }

    case "use": {
      if (args.length !== 1) {
        errorf(`usage: ${verb} local/dir`);
        return;
      }
      const s = parseString(args, 0);
      if (s.err !== undefined) {
        errorf(`invalid quoted string: ${s.err}`);
        return;
      }
      f.use.push({ path: s.value, pos, syntax: line });
      return;
    }

    case "replace": {
      const r = parseReplace(file, line, verb, args);
      if (r instanceof ModFileError) errs.push(r);
      else f.replace.push(r);
      return;
    }
  }
}

// toolchainOf is the toolchain case, the same in go.mod and go.work.
function toolchainOf(
  args: Args,
  errorf: (detail: string) => void,
  repeated: boolean,
  pos: Pos,
  line: Line,
): Toolchain | undefined {
  if (repeated) {
    errorf("repeated toolchain statement");
    return;
  }
  if (args.length !== 1) {
    errorf("toolchain directive expects exactly one argument");
    return;
  } else if (!toolchainRE.test(args.get(0))) {
    errorf(`invalid toolchain version '${args.get(0)}': must match format go1.23.0 or default`);
    return;
  }
  return { name: args.get(0), pos, syntax: line };
}

// godebugOf is the godebug case, the same in go.mod and go.work.
function godebugOf(
  args: Args,
  errorf: (detail: string) => void,
  pos: Pos,
  line: Line,
): Godebug | undefined {
  if (args.length !== 1 || /["`',]/.test(args.get(0))) {
    errorf("usage: godebug key=value");
    return;
  }
  const i = args.get(0).indexOf("=");
  if (i < 0) {
    errorf("usage: godebug key=value");
    return;
  }
  return { key: args.get(0).slice(0, i), value: args.get(0).slice(i + 1), pos, syntax: line };
}

type Result = { value: string; err?: undefined } | { value?: undefined; err: string };

// parseString mirrors modfile.parseString: a token is either a Go
// double-quoted string or an unquoted string with no quote characters in it.
// It rewrites the token in the syntax tree to its AutoQuote form, as Go does.
function parseString(args: Args, i: number): Result {
  let t = args.get(i);
  if (t.startsWith('"')) {
    const u = unquote(t);
    if (u === undefined) return { err: errSyntax };
    t = u;
  } else if (/["'`]/.test(t)) {
    // Other quotes are reserved both for possible future expansion and to
    // avoid confusion: 'x' must be an error, not a literal x in quotes.
    return { err: "unquoted string cannot contain quote" };
  }
  args.set(i, autoQuote(t));
  return { value: t };
}

// parseVersion mirrors modfile.parseVersion with a nil VersionFixer: the
// version must be a semantic version, and its canonical form replaces the
// token ("v1.2" becomes "v1.2.0"). The error text carries the directive and
// module path, as a modfile.Error{Verb, ModPath} does.
function parseVersion(args: Args, i: number): Result {
  const raw = args.get(i);
  const s = parseString(args, i);
  if (s.err !== undefined) return { err: invalidVersion(raw, s.err) };
  const cv = canonicalVersion(s.value);
  if (cv === "") return { err: invalidVersion(s.value, "must be of the form v1.2.3") };
  args.set(i, cv);
  return { value: cv };
}

// modulePathMajor mirrors modfile.modulePathMajor.
function modulePathMajor(path: string): Result {
  const [, major, ok] = splitPathVersion(path);
  return ok ? { value: major } : { err: "invalid module path" };
}

// parseReplace mirrors modfile.parseReplace (shape only, see the module doc).
function parseReplace(file: string, line: Line, verb: string, args: Args): Replace | ModFileError {
  const errorf = (detail: string) => errorAt(file, line, detail);
  let arrow = 2;
  if (args.length >= 2 && args.get(1) === "=>") arrow = 1;
  if (args.length < arrow + 2 || args.length > arrow + 3 || args.get(arrow) !== "=>") {
    return errorf(
      `usage: ${verb} module/path [v1.2.3] => other/module v1.4\n\t or ${verb} module/path [v1.2.3] => ../local/directory`,
    );
  }
  const s = parseString(args, 0);
  if (s.err !== undefined) return errorf(`invalid quoted string: ${s.err}`);
  const pathMajor = modulePathMajor(s.value);
  if (pathMajor.err !== undefined) {
    return errorAt(file, line, pathMajor.err, { verb, modPath: s.value });
  }
  let v = "";
  if (arrow === 2) {
    const pv = parseVersion(args, 1);
    if (pv.err !== undefined) return errorAt(file, line, pv.err, { verb, modPath: s.value });
    v = pv.value;
    const major = checkPathMajor(v, pathMajor.value);
    if (major !== undefined) return errorAt(file, line, major, { verb, modPath: s.value });
  }
  const ns = parseString(args, arrow + 1);
  if (ns.err !== undefined) return errorf(`invalid quoted string: ${ns.err}`);
  let nv = "";
  if (args.length === arrow + 2) {
    if (!isDirectoryPath(ns.value)) {
      if (ns.value.includes("@")) {
        return errorf("replacement module must match format 'path version', not 'path@version'");
      }
      return errorf(
        "replacement module without version must be directory path (rooted or starting with . or ..)",
      );
    }
    // Go checks this only when its own filepath.Separator is '/'; gtc checks
    // as a go command on a Unix host does, so results do not depend on the host.
    if (ns.value.includes("\\")) {
      return errorf("replacement directory appears to be Windows path (on a non-windows system)");
    }
  }
  if (args.length === arrow + 3) {
    const pv = parseVersion(args, arrow + 2);
    if (pv.err !== undefined) return errorAt(file, line, pv.err, { verb, modPath: ns.value });
    nv = pv.value;
    if (isDirectoryPath(ns.value)) {
      return errorf(`replacement module directory path ${goQuote(ns.value)} cannot have version`);
    }
  }
  return {
    old: { path: s.value, version: v },
    new: { path: ns.value, version: nv },
    pos: posOf(file, line),
    syntax: line,
  };
}

// parseVersionInterval mirrors modfile.parseVersionInterval: a version or
// "[low, high]". It returns the error text, or the interval and the tokens
// after it.
function parseVersionInterval(
  verb: string,
  path: string,
  toks: string[],
): { low: string; high: string; rest: string[] } | string {
  // The errors carry the directive as a modfile.Error{Verb, ModPath} does.
  const prefix = path === "" ? `${verb}: ` : `${verb} ${path}: `;
  const version = (t: string): string | { err: string } => {
    if (t.startsWith('"')) {
      const u = unquote(t);
      return u === undefined ? { err: `${prefix}version ${goQuote(t)} invalid: ${errSyntax}` } : u;
    }
    if (/["'`]/.test(t)) {
      return {
        err: `${prefix}version ${goQuote(t)} invalid: unquoted string cannot contain quote`,
      };
    }
    return t;
  };
  if (toks.length === 0 || toks[0] === "(") return "expected '[' or version";
  if (toks[0] !== "[") {
    const v = version(toks[0]);
    if (typeof v !== "string") return v.err;
    return { low: v, high: v, rest: toks.slice(1) };
  }
  toks = toks.slice(1);
  if (toks.length === 0) return "expected version after '['";
  const low = version(toks[0]);
  if (typeof low !== "string") return low.err;
  toks = toks.slice(1);
  if (toks.length === 0 || toks[0] !== ",") return "expected ',' after version";
  toks = toks.slice(1);
  if (toks.length === 0) return "expected version after ','";
  const high = version(toks[0]);
  if (typeof high !== "string") return high.err;
  toks = toks.slice(1);
  if (toks.length === 0 || toks[0] !== "]") return "expected ']' after version";
  return { low, high, rest: toks.slice(1) };
}

/**
 * isDirectoryPath reports whether a replacement path names a directory
 * (modfile.IsDirectoryPath): ".", "..", a path starting with "./", "../",
 * ".\\", "..\\", "/", "\\", or a drive letter and ":". Both Unix and Windows
 * forms count, because go.mod files move between systems.
 */
export function isDirectoryPath(ns: string): boolean {
  return ns === "." || ns.startsWith("./") || ns.startsWith(".\\") ||
    ns === ".." || ns.startsWith("../") || ns.startsWith("..\\") ||
    ns.startsWith("/") || ns.startsWith("\\") ||
    (ns.length >= 2 && /^[A-Za-z]:/.test(ns));
}

/**
 * mustQuote reports whether s must be quoted to appear as a single token in a
 * go.mod line (modfile.MustQuote).
 */
export function mustQuote(s: string): boolean {
  for (const ch of s) {
    switch (ch) {
      case " ":
      case '"':
      case "'":
      case "`":
        return true;
      case "(":
      case ")":
      case "[":
      case "]":
      case "{":
      case "}":
      case ",":
        if (s.length > 1) return true;
        break;
      default:
        if (!isPrint(ch.codePointAt(0)!)) return true;
    }
  }
  return s === "" || s.includes("//") || s.includes("/*");
}

/** autoQuote returns s, or its Go quotation when mustQuote(s) (modfile.AutoQuote). */
export function autoQuote(s: string): string {
  return mustQuote(s) ? goQuote(s) : s;
}

// isIndirect reports whether line has a "// indirect" comment.
function isIndirect(line: Line): boolean {
  if (line.comments.suffix.length === 0) return false;
  const f = fields(trimPrefix(line.comments.suffix[0].token, "//"));
  return (f.length === 1 && f[0] === "indirect") || (f.length > 1 && f[0] === "indirect;");
}

function trimPrefix(s: string, prefix: string): string {
  return s.startsWith(prefix) ? s.slice(prefix.length) : s;
}

// fields mirrors strings.Fields, splitting at Go white space.
function fields(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (const ch of s) {
    if (trimSpace(ch) === "") {
      if (cur !== "") out.push(cur);
      cur = "";
    } else {
      cur += ch;
    }
  }
  if (cur !== "") out.push(cur);
  return out;
}

// deprecatedRE finds the first paragraph starting "Deprecated:".
const deprecatedRE = /(?:^|\n\n)Deprecated: *([\s\S]*?)(?:$|\n\n)/;

// parseDeprecation extracts a module's deprecation message from the comments
// on its module directive.
function parseDeprecation(block: LineBlock | undefined, line: Line): string {
  const text = parseDirectiveComment(block, line);
  const m = deprecatedRE.exec(text);
  return m === null ? "" : m[1];
}

// parseDirectiveComment returns the text of the comments on a directive, or
// on its block when the line itself has none.
function parseDirectiveComment(block: LineBlock | undefined, line: Line): string {
  let comments = line.comments;
  if (block !== undefined && comments.before.length === 0 && comments.suffix.length === 0) {
    comments = block.comments;
  }
  const lines: string[] = [];
  for (const g of [comments.before, comments.suffix]) {
    for (const c of g) {
      if (!c.token.startsWith("//")) continue; // blank line
      lines.push(trimSpace(c.token.slice(2)));
    }
  }
  return lines.join("\n");
}
