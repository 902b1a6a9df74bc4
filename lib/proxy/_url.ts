/**
 * The part of Go's net/url (go1.26) that GOPROXY entries and proxy request
 * URLs go through: url.Parse's checks and errors, the Path/RawPath pair and
 * URL.EscapedPath, so that request URLs and messages match the go command's
 * (the case-encoding "!" goes out as "%21", "+" stays).
 *
 * Deliberately partial: IPv6 literals are accepted without netip validation,
 * and userinfo is kept as written.
 *
 * @module
 */

import { goQuote } from "../_internal/go_quote.ts";
import { join } from "../_internal/path.ts";

/** GoURL holds the fields of a url.URL that the proxy code compares or prints. */
export interface GoURL {
  /** Lower-cased scheme, "" if none. */
  scheme: string;
  opaque: string;
  /** Userinfo as written (user or user:password), undefined if absent. */
  user: string | undefined;
  host: string;
  /** The decoded path. */
  path: string;
  /** The path as written when that differs from escapePath(path); else "". */
  rawPath: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
}

/** emptyURL returns a GoURL with every field empty (Go's url.URL{}). */
export function emptyURL(): GoURL {
  return {
    scheme: "",
    opaque: "",
    user: undefined,
    host: "",
    path: "",
    rawPath: "",
    omitHost: false,
    forceQuery: false,
    rawQuery: "",
    fragment: "",
  };
}

const pathOK = "$&+,-./0123456789:;=@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~";
const hostOK =
  "!\"$&'()*+,-.0123456789:;<=>ABCDEFGHIJKLMNOPQRSTUVWXYZ[]_abcdefghijklmnopqrstuvwxyz~";

/**
 * parseURL parses raw as Go's url.Parse does, for the checks newProxyRepo
 * relies on.
 *
 * @throws {Error} `parse "<raw>": <reason>` with Go's reasons ("missing
 * protocol scheme", `invalid URL escape "%zz"`, `invalid port ":x" after
 * host`, "first path segment in URL cannot contain colon", …).
 */
export function parseURL(raw: string): GoURL {
  try {
    return parse(raw);
  } catch (e) {
    throw new Error(`parse ${goQuote(raw)}: ${(e as Error).message}`);
  }
}

/**
 * parseRequestURI parses raw as Go's url.ParseRequestURI does: raw must be
 * an absolute URI or an absolute path, and has no fragment (a "#" is part of
 * the path or query).
 *
 * @throws {Error} `parse "<raw>": <reason>`, with Go's reasons ("empty url",
 * "invalid URI for request", "missing protocol scheme", …).
 */
export function parseRequestURI(raw: string): GoURL {
  try {
    return parseNoFragment(raw, true);
  } catch (e) {
    throw new Error(`parse ${goQuote(raw)}: ${(e as Error).message}`);
  }
}

function parse(raw: string): GoURL {
  const hash = raw.indexOf("#");
  const frag = hash >= 0 ? raw.slice(hash + 1) : "";
  const u = parseNoFragment(hash >= 0 ? raw.slice(0, hash) : raw, false);
  u.fragment = unescape(frag, "fragment");
  return u;
}

// parseNoFragment is net/url's parse(rawURL, viaRequest).
function parseNoFragment(raw: string, viaRequest: boolean): GoURL {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) throw new Error("net/url: invalid control character in URL");
  }
  if (raw === "" && viaRequest) throw new Error("empty url");
  const u = emptyURL();
  if (raw === "*") {
    u.path = "*";
    return u;
  }
  let rest: string;
  [u.scheme, rest] = getScheme(raw);
  u.scheme = u.scheme.toLowerCase();
  if (rest.endsWith("?") && rest.split("?").length === 2) {
    u.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf("?");
    if (q >= 0) {
      u.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith("/")) {
    if (u.scheme !== "") {
      // Rootless paths per RFC 3986 are opaque.
      u.opaque = rest;
      return u;
    }
    if (viaRequest) throw new Error("invalid URI for request");
    // First path segment has colon. Not allowed in relative URL.
    if (rest.split("/")[0].includes(":")) {
      throw new Error("first path segment in URL cannot contain colon");
    }
  }
  if ((u.scheme !== "" || !viaRequest && !rest.startsWith("///")) && rest.startsWith("//")) {
    let authority = rest.slice(2);
    rest = "";
    const slash = authority.indexOf("/");
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    const at = authority.lastIndexOf("@");
    u.host = parseHost(u.scheme, at < 0 ? authority : authority.slice(at + 1));
    if (at >= 0) {
      u.user = authority.slice(0, at);
      if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(u.user)) {
        throw new Error("net/url: invalid userinfo");
      }
      for (const part of u.user.split(":", 2)) unescape(part, "userinfo");
    }
  } else if (u.scheme !== "" && rest.startsWith("/")) {
    u.omitHost = true;
  }
  u.path = unescape(rest, "path");
  u.rawPath = rest === escape(u.path, pathOK) ? "" : rest;
  return u;
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if ("a" <= c && c <= "z" || "A" <= c && c <= "Z") continue;
    if ("0" <= c && c <= "9" || c === "+" || c === "-" || c === ".") {
      if (i === 0) return ["", raw];
      continue;
    }
    if (c === ":") {
      if (i === 0) throw new Error("missing protocol scheme");
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    // An invalid character: there is no valid scheme.
    return ["", raw];
  }
  return ["", raw];
}

function parseHost(scheme: string, host: string): string {
  const open = host.lastIndexOf("[");
  if (open > 0) throw new Error("invalid IP-literal");
  if (open === 0) {
    const close = host.lastIndexOf("]");
    if (close < 0) throw new Error("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) {
      throw new Error(`invalid port ${goQuote(colonPort)} after host`);
    }
    return host;
  }
  let i = host.indexOf(":");
  if (i >= 0) {
    // Only http and https insist on a single colon (golang/go#75223).
    if (host.lastIndexOf(":") !== i && scheme !== "http" && scheme !== "https") {
      i = host.lastIndexOf(":");
    }
    const colonPort = host.slice(i);
    if (!validOptionalPort(colonPort)) {
      throw new Error(`invalid port ${goQuote(colonPort)} after host`);
    }
  }
  return unescape(host, "host");
}

function validOptionalPort(port: string): boolean {
  if (port === "") return true;
  return /^:[0-9]*$/.test(port);
}

function isHex(c: string): boolean {
  return /^[0-9A-Fa-f]$/.test(c);
}

// unescape checks and decodes %XX escapes; a host may only escape
// non-ASCII bytes (and %25) and may not contain characters that need escaping.
function unescape(s: string, mode: "path" | "host" | "fragment" | "userinfo"): string {
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < s.length;) {
    const c = s[i];
    if (c === "%") {
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) {
        throw new Error(`invalid URL escape ${goQuote(s.slice(i, i + 3))}`);
      }
      if (mode === "host" && parseInt(s[i + 1], 16) < 8 && s.slice(i, i + 3) !== "%25") {
        throw new Error(`invalid URL escape ${goQuote(s.slice(i, i + 3))}`);
      }
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
      continue;
    }
    if (mode === "host" && c.charCodeAt(0) < 0x80 && !hostOK.includes(c)) {
      throw new Error(`invalid character ${goQuote(c)} in host name`);
    }
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    bytes.push(...enc.encode(ch));
    i += ch.length;
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

// escape percent-encodes every UTF-8 byte of s not in ok, with upper-case hex.
function escape(s: string, ok: string): string {
  let out = "";
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b);
    out += b < 0x80 && ok.includes(c) ? c : "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** pathEscape is modfetch.pathEscape: url.PathEscape with "/" left alone. */
export function pathEscape(s: string): string {
  return escape(s, pathOK.replace(",", "").replace(";", ""));
}

// validEncoded reports whether s is a valid encoded path (url.validEncoded).
function validEncoded(s: string): boolean {
  for (const c of s) {
    if ("!$&'()*+,;=:@[]%".includes(c)) continue;
    if (c.charCodeAt(0) >= 0x80 || !pathOK.includes(c)) return false;
  }
  return true;
}

/** escapedPath returns the path as URL.EscapedPath writes it: rawPath if it encodes path, else escaped path. */
export function escapedPath(path: string, rawPath: string): string {
  if (rawPath !== "" && validEncoded(rawPath)) {
    try {
      if (unescape(rawPath, "path") === path) return rawPath;
    } catch {
      // fall back to escaping path
    }
  }
  if (path === "*") return "*";
  return escape(path, pathOK);
}

/**
 * withPath returns u with path elements appended as modfetch does: joined
 * with path.Join onto both path and rawPath (pathEscape'd), or with
 * "TrimSuffix(base, "/") + "/" + elem" when trimJoin is set (newProxyRepo).
 */
export function withPath(u: GoURL, elem: string, trimJoin: boolean): GoURL {
  if (trimJoin) {
    return {
      ...u,
      path: u.path.replace(/\/$/, "") + "/" + elem,
      rawPath: u.rawPath.replace(/\/$/, "") + "/" + pathEscape(elem),
    };
  }
  return {
    ...u,
    path: join("posix", u.path, elem),
    rawPath: join("posix", u.rawPath, pathEscape(elem)),
  };
}

/** urlString formats u as URL.String does (for the kinds of URL proxies use). */
export function urlString(u: GoURL): string {
  let s = "";
  if (u.scheme !== "") s += u.scheme + ":";
  if (u.opaque !== "") {
    s += u.opaque;
  } else {
    if (u.scheme !== "" || u.host !== "" || u.user !== undefined) {
      if (!(u.omitHost && u.host === "" && u.user === undefined)) {
        if (u.host !== "" || u.path !== "" || u.user !== undefined) s += "//";
        if (u.user !== undefined) s += u.user + "@";
        s += u.host;
      }
    }
    const p = escapedPath(u.path, u.rawPath);
    if (p !== "" && p[0] !== "/" && u.host !== "") s += "/";
    s += p;
  }
  if (u.forceQuery || u.rawQuery !== "") s += "?" + u.rawQuery;
  if (u.fragment !== "") s += "#" + escape(u.fragment, pathOK + "!'()*?");
  return s;
}
