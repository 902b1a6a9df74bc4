/**
 * Module paths and versions: validity checks, the major-version suffix rules
 * and the case-encoding used in proxy URLs and the module cache.
 *
 * Mirrors golang.org/x/mod/module/module.go as vendored in go1.26. That file
 * "essentially defines the set of valid import paths for the go command";
 * a behaviour change here needs a failing table test first.
 *
 * Go checks UTF-8 byte strings; a JS string cannot hold invalid UTF-8, so a
 * lone surrogate stands for it here ("invalid UTF-8"). Callers that decode
 * bytes (zip file names) must decode with `fatal: true` and report invalid
 * UTF-8 themselves, or keep lone surrogates.
 *
 * @module
 */

import { goQuote } from "../_internal/go_quote.ts";
import { InvalidPathError, InvalidVersionError, ModuleError } from "./errors.ts";
import { pathMatch } from "./_match.ts";
import * as semver from "../semver/mod.ts";

// firstPathOK reports whether r can appear in the first element of a module
// path. The first element must be an LDH domain name, entirely lower case.
function firstPathOK(r: string): boolean {
  return r === "-" || r === "." || "0" <= r && r <= "9" || "a" <= r && r <= "z";
}

// modPathOK reports whether r can appear in a module path element: ASCII
// letters, ASCII digits, and - . _ and ~.
function modPathOK(r: string): boolean {
  return r === "-" || r === "." || r === "_" || r === "~" ||
    "0" <= r && r <= "9" || "A" <= r && r <= "Z" || "a" <= r && r <= "z";
}

// importPathOK reports whether r can appear in a package import path
// element: modPathOK plus '+' (historically used in binary names like "c++").
function importPathOK(r: string): boolean {
  return modPathOK(r) || r === "+";
}

const letter = /^\p{L}$/u;

// fileNameOK reports whether r can appear in a file name: ASCII letters and
// digits, space, the punctuation !#$%&()+,-.=@[]^_{}~, and Unicode letters.
// Excluded are the shell specials " ' * < > ? ` | and the separators / : \.
function fileNameOK(r: string): boolean {
  if (r.codePointAt(0)! < 0x80) {
    const allowed = "!#$%&()+,-.=@[]^_{}~ ";
    if ("0" <= r && r <= "9" || "A" <= r && r <= "Z" || "a" <= r && r <= "z") return true;
    return allowed.includes(r);
  }
  // It may be OK to add more ASCII punctuation here, but only carefully.
  return letter.test(r);
}

// quoteRune formats a rune as Go's %q does for a rune: 'x'.
function quoteRune(r: string): string {
  if (r === "'") return "'\\''";
  if (r === '"') return `'"'`;
  return "'" + goQuote(r).slice(1, -1) + "'";
}

type PathKind = "module" | "import" | "file";

/**
 * checkPath returns an error naming why a module, import or file path is
 * invalid, or undefined. Callers wrap it in InvalidPathError.
 */
function checkPathKind(path: string, kind: PathKind): string | undefined {
  if (!path.isWellFormed()) return "invalid UTF-8";
  if (path === "") return "empty string";
  if (path[0] === "-" && kind !== "file") return "leading dash";
  if (path.includes("//")) return "double slash";
  if (path[path.length - 1] === "/") return "trailing slash";
  for (const elem of path.split("/")) {
    const err = checkElem(elem, kind);
    if (err !== undefined) return err;
  }
  return undefined;
}

// checkElem checks whether an individual path element is valid.
function checkElem(elem: string, kind: PathKind): string | undefined {
  if (elem === "") return "empty path element";
  if (/^\.*$/.test(elem)) return `invalid path element ${goQuote(elem)}`;
  if (elem[0] === "." && kind === "module") return "leading dot in path element";
  if (elem[elem.length - 1] === ".") return "trailing dot in path element";
  for (const r of elem) {
    let ok: boolean;
    switch (kind) {
      case "module":
        ok = modPathOK(r);
        break;
      case "import":
        ok = importPathOK(r);
        break;
      case "file":
        ok = fileNameOK(r);
        break;
    }
    if (!ok) return `invalid char ${quoteRune(r)}`;
  }

  // Windows disallows a bunch of path elements, sadly.
  // See https://docs.microsoft.com/en-us/windows/desktop/fileio/naming-a-file
  let short = elem;
  const dot = short.indexOf(".");
  if (dot >= 0) short = short.slice(0, dot);
  // strings.EqualFold: the reserved names hold no letter with a non-ASCII
  // fold partner (K, S), so an ASCII fold is exact.
  const upper = short.replace(/[a-z]/g, (c) => c.toUpperCase());
  if (badWindowsNames.includes(upper)) {
    return `${goQuote(short)} disallowed as path element component on Windows`;
  }

  // Don't check for Windows short-names in file names. They're only an
  // issue for import paths.
  if (kind === "file") return undefined;

  // Reject path components that look like Windows short-names.
  // Those usually end in a tilde followed by one or more ASCII digits.
  const tilde = short.lastIndexOf("~");
  if (tilde >= 0 && tilde < short.length - 1 && /^[0-9]+$/.test(short.slice(tilde + 1))) {
    return "trailing tilde and digits in path element";
  }
  return undefined;
}

// badWindowsNames are the reserved file path elements on Windows.
const badWindowsNames = [
  "CON",
  "PRN",
  "AUX",
  "NUL",
  "COM1",
  "COM2",
  "COM3",
  "COM4",
  "COM5",
  "COM6",
  "COM7",
  "COM8",
  "COM9",
  "LPT1",
  "LPT2",
  "LPT3",
  "LPT4",
  "LPT5",
  "LPT6",
  "LPT7",
  "LPT8",
  "LPT9",
];

function checkModulePath(path: string): InvalidPathError | undefined {
  const wrap = (d: string) => new InvalidPathError("module", path, d);
  const err = checkPathKind(path, "module");
  if (err !== undefined) return wrap(err);
  let i = path.indexOf("/");
  if (i < 0) i = path.length;
  if (i === 0) return wrap("leading slash");
  if (!path.slice(0, i).includes(".")) return wrap("missing dot in first path element");
  if (path[0] === "-") return wrap("leading dash in first path element");
  for (const r of path.slice(0, i)) {
    if (!firstPathOK(r)) return wrap(`invalid char ${quoteRune(r)} in first path element`);
  }
  if (!splitPathVersion(path).ok) return wrap("invalid version");
  return undefined;
}

/**
 * checkPath checks that a module path is valid and returns Go's error text
 * (`malformed module path "…": …`) or undefined (module.CheckPath).
 *
 * A valid module path is a valid import path with three more constraints:
 * the first element (a domain name) holds only lower-case ASCII letters,
 * digits, dots and dashes, contains a dot and does not start with a dash; a
 * final /vN element has no leading zero, is not /v1 and has no dots (gopkg.in
 * paths follow that server's .vN convention instead); and no element begins
 * with a dot.
 */
export function checkPath(path: string): string | undefined {
  return checkModulePath(path)?.message;
}

/**
 * checkImportPath checks that an import path is valid and returns Go's error
 * text (`malformed import path "…": …`) or undefined (module.CheckImportPath).
 *
 * Elements are non-empty, made of ASCII letters, digits and - . _ ~ +, do
 * not end in a dot, are not Windows reserved names (CON, com1, NuL… before
 * the first dot, in any case) and do not end in a tilde and digits.
 */
export function checkImportPath(path: string): string | undefined {
  const err = checkPathKind(path, "import");
  return err === undefined ? undefined : new InvalidPathError("import", path, err).message;
}

/**
 * checkFilePath checks that a slash-separated file path is valid and returns
 * Go's error text (`malformed file path "…": …`) or undefined
 * (module.CheckFilePath).
 *
 * It allows what checkImportPath allows plus all Unicode letters, space and
 * the punctuation !#$%&()+,-.=@[]^_{}~; a leading dash or dot is fine, and
 * Windows short names are not checked.
 */
export function checkFilePath(path: string): string | undefined {
  const err = checkPathKind(path, "file");
  return err === undefined ? undefined : new InvalidPathError("file", path, err).message;
}

/**
 * check checks that path@version is a valid module version: a valid module
 * path, a valid semantic version, and a version that matches the path's
 * major-version suffix (module.Check). It returns the ModuleError or
 * InvalidPathError Go would, or undefined.
 */
export function check(path: string, version: string): Error | undefined {
  const perr = checkModulePath(path);
  if (perr !== undefined) return perr;
  if (!semver.isValid(version)) {
    return new ModuleError(
      path,
      "",
      new InvalidVersionError(version, false, "not a semantic version"),
    );
  }
  const { pathMajor } = splitPathVersion(path);
  const err = checkPathMajor(version, pathMajor);
  if (err !== undefined) return new ModuleError(path, "", err);
  return undefined;
}

/**
 * splitPathVersion returns prefix and pathMajor such that prefix+pathMajor
 * == path and pathMajor is "" or "/vN" for N ≥ 2; gopkg.in paths use ".vN"
 * for any N. ok is false when the last element breaks checkPath's rules, as
 * in "example.com/pkg/v1" or "example.com/pkg/v1.2" (module.SplitPathVersion).
 */
export function splitPathVersion(path: string): { prefix: string; pathMajor: string; ok: boolean } {
  if (path.startsWith("gopkg.in/")) return splitGopkgIn(path);
  let i = path.length;
  let dot = false;
  while (i > 0 && ("0" <= path[i - 1] && path[i - 1] <= "9" || path[i - 1] === ".")) {
    if (path[i - 1] === ".") dot = true;
    i--;
  }
  if (i <= 1 || i === path.length || path[i - 1] !== "v" || path[i - 2] !== "/") {
    return { prefix: path, pathMajor: "", ok: true };
  }
  const prefix = path.slice(0, i - 2);
  const pathMajor = path.slice(i - 2);
  if (dot || pathMajor.length <= 2 || pathMajor[2] === "0" || pathMajor === "/v1") {
    return { prefix: path, pathMajor: "", ok: false };
  }
  return { prefix, pathMajor, ok: true };
}

// splitGopkgIn is like splitPathVersion but only for gopkg.in paths.
function splitGopkgIn(path: string): { prefix: string; pathMajor: string; ok: boolean } {
  if (!path.startsWith("gopkg.in/")) return { prefix: path, pathMajor: "", ok: false };
  let i = path.length;
  if (path.endsWith("-unstable")) i -= "-unstable".length;
  while (i > 0 && "0" <= path[i - 1] && path[i - 1] <= "9") i--;
  if (i <= 1 || path[i - 1] !== "v" || path[i - 2] !== ".") {
    // All gopkg.in paths must end in vN for some N.
    return { prefix: path, pathMajor: "", ok: false };
  }
  const prefix = path.slice(0, i - 2);
  const pathMajor = path.slice(i - 2);
  if (pathMajor.length <= 2 || pathMajor[2] === "0" && pathMajor !== ".v0") {
    return { prefix: path, pathMajor: "", ok: false };
  }
  return { prefix, pathMajor, ok: true };
}

/**
 * matchPathMajor reports whether the semantic version v matches the path
 * major version pathMajor (module.MatchPathMajor).
 */
export function matchPathMajor(v: string, pathMajor: string): boolean {
  return checkPathMajor(v, pathMajor) === undefined;
}

/**
 * checkPathMajor returns an InvalidVersionError if the semantic version v
 * does not match the path major version pathMajor ("should be v2, not v3"),
 * or undefined (module.CheckPathMajor).
 */
export function checkPathMajor(v: string, pathMajor: string): InvalidVersionError | undefined {
  if (pathMajor.startsWith(".v") && pathMajor.endsWith("-unstable")) {
    pathMajor = pathMajor.slice(0, -"-unstable".length);
  }
  if (v.startsWith("v0.0.0-") && pathMajor === ".v1") {
    // Allow old bug in pseudo-versions that generated v0.0.0- pseudoversion for gopkg .v1.
    // For example, gopkg.in/yaml.v2@v2.2.1's go.mod requires gopkg.in/check.v1 v0.0.0-20161208181325-20d25e280405.
    return undefined;
  }
  const m = semver.major(v);
  if (pathMajor === "") {
    if (m === "v0" || m === "v1" || semver.build(v) === "+incompatible") return undefined;
    pathMajor = "v0 or v1";
  } else if (pathMajor[0] === "/" || pathMajor[0] === ".") {
    if (m === pathMajor.slice(1)) return undefined;
    pathMajor = pathMajor.slice(1);
  }
  return new InvalidVersionError(v, false, `should be ${pathMajor}, not ${semver.major(v)}`);
}

/**
 * canonicalVersion returns the canonical form of the version string v: like
 * semver's canonical form ("v1.2" → "v1.2.0", build metadata dropped) except
 * that "+incompatible" is kept; "" for an invalid version
 * (module.CanonicalVersion).
 */
export function canonicalVersion(v: string): string {
  let cv = semver.canonical(v);
  if (semver.build(v) === "+incompatible") cv += "+incompatible";
  return cv;
}

/**
 * escapePath returns the escaped form of the module path: each upper-case
 * ASCII letter becomes "!" and its lower case ("github.com/Azure/x" →
 * "github.com/!azure/x") (module.EscapePath).
 *
 * @throws {InvalidPathError} when the path is not a valid module path.
 */
export function escapePath(path: string): string {
  const err = checkModulePath(path);
  if (err !== undefined) throw err;
  return escapeString(path);
}

/**
 * escapeVersion returns the escaped form of a version. Versions need not be
 * semantic versions but must be valid file-name elements without "!"
 * (module.EscapeVersion).
 *
 * @throws {InvalidVersionError} "disallowed version string".
 */
export function escapeVersion(v: string): string {
  if (checkElem(v, "file") !== undefined || v.includes("!") || !v.isWellFormed()) {
    throw new InvalidVersionError(v, false, "disallowed version string");
  }
  return escapeString(v);
}

function escapeString(s: string): string {
  for (const r of s) {
    if (r === "!" || r.codePointAt(0)! >= 0x80) {
      // This should be disallowed by checkPath, but diagnose anyway.
      // The correctness of the escaping below depends on it.
      throw new Error("internal error: inconsistency in EscapePath");
    }
  }
  return s.replace(/[A-Z]/g, (c) => "!" + c.toLowerCase());
}

/**
 * unescapePath returns the module path for an escaped path
 * (module.UnescapePath).
 *
 * @throws {Error} `invalid escaped module path "…"` when the escaping is bad
 * (upper case, "!" not followed by a–z, a trailing "!", non-ASCII) or the
 * result is not a valid module path.
 */
export function unescapePath(escaped: string): string {
  const path = unescapeString(escaped);
  if (path === undefined) throw new Error(`invalid escaped module path ${goQuote(escaped)}`);
  const err = checkModulePath(path);
  if (err !== undefined) {
    throw new Error(`invalid escaped module path ${goQuote(escaped)}: ${err.message}`);
  }
  return path;
}

/**
 * unescapeVersion returns the version for an escaped version
 * (module.UnescapeVersion).
 *
 * @throws {Error} `invalid escaped version "…"`.
 */
export function unescapeVersion(escaped: string): string {
  const v = unescapeString(escaped);
  if (v === undefined) throw new Error(`invalid escaped version ${goQuote(escaped)}`);
  const err = checkElem(v, "file");
  if (err !== undefined) throw new Error(`invalid escaped version ${goQuote(v)}: ${err}`);
  return v;
}

function unescapeString(escaped: string): string | undefined {
  let buf = "";
  let bang = false;
  for (const r of escaped) {
    if (r.codePointAt(0)! >= 0x80) return undefined;
    if (bang) {
      bang = false;
      if (r < "a" || "z" < r) return undefined;
      buf += r.toUpperCase();
      continue;
    }
    if (r === "!") {
      bang = true;
      continue;
    }
    if ("A" <= r && r <= "Z") return undefined;
    buf += r;
  }
  if (bang) return undefined;
  return buf;
}

/**
 * matchPrefixPatterns reports whether any path prefix of target matches one
 * of the glob patterns (path.Match syntax) in the comma-separated globs list,
 * as GOPRIVATE, GONOPROXY, GONOSUMDB and GOINSECURE are matched
 * (module.MatchPrefixPatterns). A glob with N elements is matched against
 * the first N elements of target. Empty and malformed patterns are ignored;
 * trailing slashes on patterns are ignored.
 */
export function matchPrefixPatterns(globs: string, target: string): boolean {
  while (globs !== "") {
    // Extract next non-empty glob in comma-separated list.
    let glob: string;
    const comma = globs.indexOf(",");
    if (comma >= 0) {
      glob = globs.slice(0, comma);
      globs = globs.slice(comma + 1);
    } else {
      glob = globs;
      globs = "";
    }
    if (glob.endsWith("/")) glob = glob.slice(0, -1);
    if (glob === "") continue;

    // A glob with N+1 path elements (N slashes) needs to be matched against
    // the first N+1 path elements of target, which end just before the
    // N+1'th slash.
    let n = glob.split("/").length - 1;
    let prefix = target;
    // Walk target, counting slashes, truncating at the N+1'th slash.
    for (let i = 0; i < target.length; i++) {
      if (target[i] === "/") {
        if (n === 0) {
          prefix = target.slice(0, i);
          break;
        }
        n--;
      }
    }
    if (n > 0) continue; // Not enough prefix elements.
    let matched = false;
    try {
      matched = pathMatch(glob, prefix);
    } catch {
      // A malformed pattern is ignored (Go discards path.Match's error).
    }
    if (matched) return true;
  }
  return false;
}
