/**
 * GOSUMDB: which checksum database to trust, and where to reach it.
 *
 * Mirrors dbDial in cmd/go/internal/modfetch/sumdb.go and knownGOSUMDB in
 * cmd/go/internal/modfetch/key.go (go1.26). A behaviour change here needs a
 * failing table test first.
 *
 * Syntax: "off"; a known database name ("sum.golang.org", whose key is built
 * in); a verifier key "<name>+<hash>+<keydata>"; either of those followed by
 * whitespace and a URL to use instead of https://<name>. The special value
 * "sum.golang.google.cn" means "sum.golang.org https://sum.golang.google.cn".
 *
 * @module
 */

import { goQuote } from "../_internal/go_quote.ts";
import { newVerifier } from "./note.ts";

/**
 * knownGOSUMDB maps database names to their built-in verifier keys
 * (cmd/go/internal/modfetch/key.go, go1.26).
 */
export const knownGOSUMDB: Readonly<Record<string, string>> = Object.freeze({
  "sum.golang.org": "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
});

/** A SumDB says which checksum database GOSUMDB selects. */
export interface SumDB {
  /** Database name, "host[/path]", e.g. "sum.golang.org". */
  name: string;
  /** Verifier key, e.g. "sum.golang.org+033de0ae+Ac4z…". */
  key: string;
  /**
   * Explicit base URL from GOSUMDB's second field, used instead of proxies
   * and the direct URL; undefined when GOSUMDB gives none.
   */
  url: string | undefined;
  /** The direct URL, "https://<name>", used when no proxy serves the database. */
  direct: string;
}

// isSpace mirrors Go's unicode.IsSpace, which strings.Fields splits on.
function isSpace(c: number): boolean {
  if (c <= 0xff) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0;
  return c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000;
}

/** fields mirrors Go's strings.Fields. */
function fields(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (const ch of s) {
    if (isSpace(ch.codePointAt(0)!)) {
      if (cur !== "") out.push(cur);
      cur = "";
    } else {
      cur += ch;
    }
  }
  if (cur !== "") out.push(cur);
  return out;
}

/**
 * parseGOSUMDB interprets a GOSUMDB value as cmd/go's dbDial does, returning
 * the database name, its verifier key and any explicit URL. It does no I/O.
 *
 * @throws {Error} with cmd/go's message: "checksum database disabled by
 * GOSUMDB=off", "missing GOSUMDB", "invalid GOSUMDB: too many fields",
 * "invalid GOSUMDB: <verifier key error>", "invalid sumdb name (must be
 * host[/path]): …" or "invalid GOSUMDB URL: …".
 *
 * @example The default and a custom database
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseGOSUMDB } from "./gosumdb.ts";
 * const db = parseGOSUMDB("sum.golang.google.cn");
 * assert.equal(db.name, "sum.golang.org");
 * assert.equal(db.url, "https://sum.golang.google.cn");
 * assert.throws(() => parseGOSUMDB("on"), { message: "invalid GOSUMDB: malformed verifier id" });
 * ```
 */
export function parseGOSUMDB(gosumdb: string): SumDB {
  // Special case: sum.golang.google.cn is an alias, reachable inside
  // mainland China, for sum.golang.org.
  if (gosumdb === "sum.golang.google.cn") gosumdb = "sum.golang.org https://sum.golang.google.cn";

  if (gosumdb === "off") throw new Error("checksum database disabled by GOSUMDB=off");

  const key = fields(gosumdb);
  if (key.length >= 1 && Object.hasOwn(knownGOSUMDB, key[0])) key[0] = knownGOSUMDB[key[0]];
  if (key.length === 0) throw new Error("missing GOSUMDB");
  if (key.length > 2) throw new Error("invalid GOSUMDB: too many fields");
  let name: string;
  try {
    name = newVerifier(key[0]).name();
  } catch (err) {
    throw new Error(`invalid GOSUMDB: ${(err as Error).message}`, { cause: err });
  }

  // No funny business in the database name.
  checkName(name);

  let url: string | undefined;
  if (key.length >= 2) {
    // Use explicit alternate URL listed in $GOSUMDB,
    // bypassing both the default URL derivation and any proxies.
    const err = goURLParseError(key[1]);
    if (err !== undefined) throw new Error(`invalid GOSUMDB URL: parse ${goQuote(key[1])}: ${err}`);
    url = key[1];
  }
  return { name, key: key[0], url, direct: "https://" + name };
}

// A host Go's url.Parse takes as is: unreserved ASCII, the sub-delimiters it
// allows in hosts, any non-ASCII, and an optional numeric port. (Go accepts
// more — IP literals, '<', '>', '"' — but no name may pass here that Go
// rejects, so gtc refuses those rare names; see checkName.)
const hostOK = /^(?:[A-Za-z0-9\-_.~!$&'()*,;=]|[\u0080-\u{10ffff}])+(?::[0-9]*)?$/u;

/** escapePath mirrors Go's escape(s, encodePath): %XX for every byte but [A-Za-z0-9-_.~$&+,/:;=@]. */
function escapePath(s: string): string {
  let out = "";
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c)
      ? c
      : "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/**
 * checkName rejects a database name that is not "host[/path]", as dbDial
 * does by parsing "https://"+name and requiring nothing but a host and a
 * plain path. The message reproduces Go's, including its %+v of the parsed
 * URL, for the names url.Parse accepts. For names url.Parse rejects, Go
 * dereferences a nil URL and crashes; gtc reports the name without the URL.
 */
function checkName(name: string): void {
  const u = goParseHTTPS(name);
  if (u !== undefined && !name.endsWith("/") && u.host !== "" && hostOK.test(u.host)) {
    const plain = u.user === undefined && u.fragment === "" && u.rawQuery === "" &&
      !u.forceQuery && u.rawFragment === "";
    if (plain && u.rawPath === "") return;
  }
  const detail = u === undefined
    ? ""
    : ` {Scheme:https Opaque: User:${
      u.user ?? ""
    } Host:${u.host} Path:${u.path} Fragment:${u.fragment} RawQuery:${u.rawQuery} RawPath:${u.rawPath} RawFragment:${u.rawFragment} ForceQuery:${u.forceQuery} OmitHost:false}`;
  throw new Error(`invalid sumdb name (must be host[/path]): ${name}${detail}`);
}

/** hasCTL reports whether s holds an ASCII control character, as Go's stringContainsCTLByte. */
function hasCTL(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/**
 * goURLParseError returns the reason Go's url.Parse rejects s, for the
 * common cases (control characters, bad escapes, a missing scheme), or
 * undefined. Go accepts nearly anything else, even a relative reference;
 * the client reports an unusable URL when it first uses it.
 */
function goURLParseError(s: string): string | undefined {
  if (hasCTL(s)) return "net/url: invalid control character in URL";
  const bad = /%(?![0-9A-Fa-f]{2})(.{0,2})/.exec(s);
  if (bad) return `invalid URL escape ${goQuote(bad[0])}`;
  if (s.startsWith(":")) return "missing protocol scheme";
  return undefined;
}

interface GoURL {
  user: string | undefined;
  host: string;
  path: string;
  rawPath: string;
  rawQuery: string;
  forceQuery: boolean;
  fragment: string;
  rawFragment: string;
}

/**
 * goParseHTTPS parses "https://"+rest the way Go's url.Parse does, for the
 * fields dbDial looks at, or returns undefined where url.Parse fails.
 */
function goParseHTTPS(rest: string): GoURL | undefined {
  // url.Parse rejects ASCII control characters anywhere.
  if (hasCTL(rest)) return undefined;
  const hashAt = rest.indexOf("#");
  const frag = hashAt < 0 ? "" : rest.slice(hashAt + 1);
  if (hashAt >= 0) rest = rest.slice(0, hashAt);
  const fragment = unescape(frag);
  if (fragment === undefined) return undefined;

  let rawQuery = "";
  let forceQuery = false;
  if (rest.endsWith("?") && rest.split("?").length === 2) {
    forceQuery = true;
    rest = rest.slice(0, -1);
  } else if (rest.includes("?")) {
    rawQuery = rest.slice(rest.indexOf("?") + 1);
    rest = rest.slice(0, rest.indexOf("?"));
  }

  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const rawPath = slash < 0 ? "" : rest.slice(slash);
  const at = authority.lastIndexOf("@");
  let user: string | undefined;
  if (at >= 0) {
    const u = authority.slice(0, at);
    if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(u)) return undefined;
    const [n, p] = u.includes(":")
      ? [u.slice(0, u.indexOf(":")), u.slice(u.indexOf(":") + 1)]
      : [u, undefined];
    const un = unescape(n), pw = p === undefined ? "" : unescape(p);
    if (un === undefined || pw === undefined) return undefined;
    user = p === undefined ? un : `${un}:${pw}`;
  }
  const host = authority.slice(at + 1);
  // parseHost: outside IP literals, a host may %-encode only non-ASCII bytes,
  // may hold only some ASCII punctuation, and may end in ":<digits>" (https
  // allows one colon). IP literals are left to checkName, which refuses them.
  if (!host.startsWith("[")) {
    if (/%(?![89A-Fa-f][0-9A-Fa-f])/.test(host)) return undefined;
    if (/[^A-Za-z0-9\-_.~!$&'()*+,;=:\[\]<>"%\u0080-\u{10ffff}]/u.test(host)) return undefined;
    const colon = host.indexOf(":");
    if (
      colon >= 0 && (host.lastIndexOf(":") !== colon || !/^[0-9]*$/.test(host.slice(colon + 1)))
    ) {
      return undefined;
    }
  }
  const path = unescape(rawPath);
  if (path === undefined) return undefined;
  return {
    user,
    host,
    path,
    // Go's setPath keeps the raw form only when re-escaping the decoded path
    // does not give it back.
    rawPath: escapePath(path) === rawPath ? "" : rawPath,
    rawQuery,
    forceQuery,
    fragment,
    rawFragment: frag.includes("%") || !/^[A-Za-z0-9\-_.~$&+,/:;=?@!()*]*$/.test(frag) ? frag : "",
  };
}

/** unescape decodes %XX escapes, or returns undefined for a malformed one, as Go's unescape. */
function unescape(s: string): string | undefined {
  if (!s.includes("%")) return s;
  if (/%(?![0-9A-Fa-f]{2})/.test(s)) return undefined;
  const bytes: number[] = [];
  const enc = new TextEncoder().encode(s);
  for (let i = 0; i < enc.length; i++) {
    if (enc[i] === 0x25) {
      bytes.push(parseInt(String.fromCharCode(enc[i + 1], enc[i + 2]), 16));
      i += 2;
    } else {
      bytes.push(enc[i]);
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
