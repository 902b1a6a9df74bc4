/**
 * Module path and version escaping for checksum database URLs and cache
 * file names ("!" + lower case for each upper-case letter).
 *
 * Private stand-in for golang.org/x/mod/module EscapePath/EscapeVersion
 * (x/mod fe2ec04f, as vendored in go1.26) until lib/module exists; switch
 * to lib/module/mod.ts then. The checks are the subset of module.CheckPath
 * and checkElem that keep an escaped name a safe, single URL path and cache
 * file name: the client must never turn a hostile path into "../" in a file
 * name. The checks reject at least everything Go rejects for the rules they
 * cover, but the messages are shorter than Go's for the rules they skip
 * (gopkg.in and /vN major-version rules, Windows reserved names).
 *
 * @module
 */

import { goQuote } from "../_internal/go_quote.ts";

/** modPathOK reports whether c can appear in a module path element (x/mod modPathOK). */
function modPathOK(c: string): boolean {
  return /^[-._~0-9A-Za-z]$/.test(c);
}

/** firstPathOK reports whether c can appear in the first element of a module path. */
function firstPathOK(c: string): boolean {
  return /^[-.0-9a-z]$/.test(c);
}

/**
 * fileNameOK reports whether c can appear in a version string used as a
 * file name: ASCII letters and digits, the punctuation x/mod allows, and
 * Unicode letters.
 */
function fileNameOK(c: string): boolean {
  if (c.length === 1 && c.charCodeAt(0) < 0x80) {
    return /^[0-9A-Za-z]$/.test(c) || "!#$%&()+,-.=@[]^_{}~ ".includes(c);
  }
  return /^\p{L}$/u.test(c);
}

// Windows disallows these names as path elements (x/mod badWindowsNames).
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

/** quoteRune approximates Go's %q of a rune for the characters these checks report. */
function quoteRune(c: string): string {
  return c === "'" ? "'\\''" : c === "\\" ? "'\\\\'" : `'${c}'`;
}

/**
 * checkElem mirrors x/mod checkElem for one path element (without the
 * Windows short-name rule, which only import paths need); it returns the
 * reason the element is invalid, or undefined.
 */
function checkElem(elem: string, ok: (c: string) => boolean): string | undefined {
  if (elem === "") return "empty path element";
  if (elem.replaceAll(".", "") === "") return `invalid path element ${goQuote(elem)}`;
  if (elem.startsWith(".") && ok === modPathOK) return "leading dot in path element";
  if (elem.endsWith(".")) return "trailing dot in path element";
  for (const c of elem) {
    if (!ok(c)) return `invalid char ${quoteRune(c)}`;
  }
  const dot = elem.indexOf(".");
  const short = dot < 0 ? elem : elem.slice(0, dot);
  for (const bad of badWindowsNames) {
    if (bad === short.toUpperCase()) {
      return `${goQuote(short)} disallowed as path element component on Windows`;
    }
  }
  return undefined;
}

/** escapeString mirrors x/mod escapeString for an already checked string. */
function escapeString(s: string): string {
  return s.replace(/[A-Z]/g, (c) => "!" + c.toLowerCase());
}

/**
 * escapePath returns the escaped form of the module path.
 *
 * @throws {Error} `malformed module path "…": <reason>` for a path that
 * module.CheckPath rejects on the rules checked here.
 */
export function escapePath(path: string): string {
  const bad = (why: string) => new Error(`malformed module path ${goQuote(path)}: ${why}`);
  if (path.endsWith("/")) throw bad("trailing slash");
  const elems = path.split("/");
  if (elems[0] === "") throw bad("leading slash");
  for (const e of elems) {
    const why = checkElem(e, modPathOK);
    if (why !== undefined) throw bad(why);
  }
  if (!elems[0].includes(".")) throw bad("missing dot in first path element");
  if (path.startsWith("-")) throw bad("leading dash in first path element");
  for (const c of elems[0]) {
    if (!firstPathOK(c)) throw bad(`invalid char ${goQuote(c)} in first path element`);
  }
  return escapeString(path);
}

/**
 * escapeVersion returns the escaped form of the module version: a valid file
 * name without "!".
 *
 * @throws {Error} `version "…" invalid: disallowed version string`.
 */
export function escapeVersion(v: string): string {
  if (checkElem(v, fileNameOK) !== undefined || v.includes("!")) {
    throw new Error(`version ${goQuote(v)} invalid: disallowed version string`);
  }
  // This should be disallowed by checkElem, but diagnose anyway, as Go does
  // for the Unicode letters file names may hold.
  if (/[^ -~]/.test(v)) throw new Error("internal error: inconsistency in EscapePath");
  return escapeString(v);
}

/** unescapeString mirrors x/mod unescapeString, returning undefined where Go returns !ok. */
function unescapeString(escaped: string): string | undefined {
  let out = "";
  let bang = false;
  for (const c of escaped) {
    if (c.charCodeAt(0) >= 0x80) return undefined;
    if (bang) {
      bang = false;
      if (c < "a" || c > "z") return undefined;
      out += c.toUpperCase();
      continue;
    }
    if (c === "!") {
      bang = true;
      continue;
    }
    if (c >= "A" && c <= "Z") return undefined;
    out += c;
  }
  return bang ? undefined : out;
}

/**
 * unescapePath returns the module path for the given escaped path.
 *
 * @throws {Error} `invalid escaped module path "…"[: <reason>]`.
 */
export function unescapePath(escaped: string): string {
  const path = unescapeString(escaped);
  if (path === undefined) throw new Error(`invalid escaped module path ${goQuote(escaped)}`);
  try {
    escapePath(path);
  } catch (err) {
    const why = (err as Error).message.replace(/^malformed module path "(?:[^"\\]|\\.)*": /, "");
    throw new Error(`invalid escaped module path ${goQuote(escaped)}: ${why}`);
  }
  return path;
}

/**
 * unescapeVersion returns the version string for the given escaped version.
 *
 * @throws {Error} `invalid escaped version "…"[: <reason>]`.
 */
export function unescapeVersion(escaped: string): string {
  const v = unescapeString(escaped);
  if (v === undefined) throw new Error(`invalid escaped version ${goQuote(escaped)}`);
  const why = checkElem(v, fileNameOK);
  if (why !== undefined) throw new Error(`invalid escaped version ${goQuote(v)}: ${why}`);
  return v;
}
