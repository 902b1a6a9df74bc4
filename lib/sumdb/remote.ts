/**
 * Reaching a checksum database over HTTP: which base URL to use (directly,
 * through a GOPROXY entry that proxies it, or GOSUMDB's explicit URL), and
 * ClientOps.readRemote over an HttpClient with cmd/go's error texts.
 *
 * Mirrors cmd/go/internal/modfetch sumdb.go dbClient.initBase/ReadRemote,
 * proxy.go TryProxies and web/api.go GetBytes, Join and HTTPError (go1.26).
 *
 * The go command reads the database through web.GetBytes, so its requests
 * carry GOAUTH's credentials on https and are asked once more after a 4xx
 * answer. This file does not add them: the HttpClient passed in must (lib/
 * install passes lib/proxy's authHttp over the host's client, with the
 * Authenticator the GOPROXY fetches use). An error whose `fatal` property is
 * true (lib/proxy's GoAuthError: a malformed GOAUTH, on which the go command
 * exits) ends the search for a proxy at once.
 *
 * @module
 */

import type { SumDB } from "./gosumdb.ts";
import { NotFoundError } from "./client.ts";

import { type HttpClient, type HttpResponse, readCapped } from "../_internal/http.ts";
export type { HttpClient, HttpResponse } from "../_internal/http.ts";

/**
 * A ProxyEntry is one GOPROXY list element, as cmd/go's proxySpec: a URL or
 * one of "off", "direct", "noproxy" (the implicit first entry when
 * GONOPROXY is set), and whether any error (after "|") rather than only
 * 404/410 (after ",") falls through to the next entry.
 */
export interface ProxyEntry {
  url: string;
  fallBackOnError: boolean;
}

/** Largest response accepted from a checksum database (tiles are 8 KiB, lookups smaller). */
const maxResponseBytes = 16 << 20;

// net/http status texts for the codes a database or proxy answers with.
const statusText: Record<number, string> = {
  200: "OK",
  301: "Moved Permanently",
  302: "Found",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  410: "Gone",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** redact hides a URL's password, as Go's url.URL.Redacted. */
function redact(u: string): string {
  try {
    const url = new URL(u);
    if (url.password !== "") url.password = "xxxxx";
    return url.href;
  } catch {
    return u;
  }
}

function readBody(res: HttpResponse, limit: number): Promise<Uint8Array> {
  return readCapped(res.body, limit, () => new Error("response too large"));
}

/**
 * errorDetail mirrors web.Response.formatErrorDetail: the start of an error
 * body, up to the first blank line, 8 lines and 648 bytes, if it is valid
 * UTF-8 made of graphic characters and spaces only.
 */
function errorDetail(body: Uint8Array): string {
  let s: string;
  try {
    s = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    return "";
  }
  if (/[^\P{C}\s]/u.test(s)) return "";
  let detail = "";
  for (const [i, line] of s.split("\n").entries()) {
    if (line.trim() === "") break;
    if (i > 0) detail += "\n\t";
    if (i >= 8) {
      detail += "[Truncated: too many lines.]";
      break;
    }
    if (new TextEncoder().encode(detail).length + new TextEncoder().encode(line).length > 8 * 81) {
      detail += "[Truncated: too long.]";
      break;
    }
    detail += line;
  }
  return detail;
}

/**
 * getBytes returns the body at url if the status is 200, as Go's
 * web.GetBytes.
 *
 * @throws {NotFoundError} "reading <url>: 404 Not Found[\n\tserver response: …]" for 404 and 410.
 * @throws {Error} the same text for other statuses; "reading <url>: <err>" when the body fails.
 */
export async function getBytes(http: HttpClient, url: string): Promise<Uint8Array> {
  const res = await http.get(url);
  const shown = redact(url);
  if (res.status !== 200) {
    let detail = "";
    try {
      detail = errorDetail(await readBody(res, 8 * 81 * 2));
    } catch {
      // No detail.
    }
    const status = `${res.status} ${statusText[res.status] ?? ""}`.trimEnd();
    const msg = detail === ""
      ? `reading ${shown}: ${status}`
      : `reading ${shown}: ${status}\n\tserver response:${
        detail.includes("\n") ? "\n\t" : " "
      }${detail}`;
    if (res.status === 404 || res.status === 410) throw new NotFoundError(msg);
    throw new Error(msg);
  }
  try {
    return await readBody(res, maxResponseBytes);
  } catch (err) {
    throw new Error(`reading ${shown}: ${(err as Error).message}`, { cause: err });
  }
}

/** join adds a slash-separated path to the end of base's path, as Go's web.Join. */
export function join(base: string, path: string): string {
  const u = new URL(base);
  if (path === "") return u.href;
  u.pathname = u.pathname.replace(/\/$/, "") + "/" + path.replace(/^\//, "");
  return u.href;
}

/** errProxyOff and errUseProxy are not-found errors that say "use the next entry". */
class NextEntry extends NotFoundError {}

/**
 * sumdbBaseURL returns the base URL for the database's endpoints, as cmd/go
 * dbClient.initBase: GOSUMDB's explicit URL if it gave one (no proxies);
 * else the first GOPROXY entry whose "<proxy>/sumdb/<name>/supported"
 * answers 200, as "<proxy>/sumdb/<name>" (and then never a direct
 * connection); "https://<name>" when an entry is "direct" or "off" or every
 * entry answered 404/410 (or failed, after "|").
 *
 * @throws {Error} the most helpful entry error (TryProxies' ranking) when
 * an entry failed otherwise: the database is unavailable.
 *
 * @example A proxy that does not proxy the database
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseGOSUMDB } from "./gosumdb.ts";
 * import { sumdbBaseURL } from "./remote.ts";
 * const http = { get: (url: string) => Promise.resolve({ status: 404, headers: new Headers(), body: null, url }) };
 * const db = parseGOSUMDB("sum.golang.org");
 * const proxies = [{ url: "https://proxy.example.com", fallBackOnError: false }];
 * assert.equal(await sumdbBaseURL(db, proxies, http), "https://sum.golang.org");
 * ```
 */
export async function sumdbBaseURL(
  db: SumDB,
  proxies: readonly ProxyEntry[],
  http: HttpClient,
): Promise<string> {
  // Use the explicit alternate URL listed in $GOSUMDB, bypassing both the
  // default URL derivation and any proxies.
  if (db.url !== undefined) return db.url;
  if (proxies.length === 0 || (proxies.length === 1 && proxies[0].url === "noproxy")) {
    throw new Error("GOPROXY list is not the empty string, but contains no entries");
  }

  // TryProxies: "direct" and "noproxy" errors are best, then proxy errors
  // other than not-found, then not-found.
  const notExistRank = 0, proxyRank = 1, directRank = 2;
  let bestErr: Error | undefined;
  let bestErrRank = notExistRank;
  const useProxy = new NextEntry("path does not match GOPRIVATE/GONOPROXY");
  for (const proxy of proxies) {
    let err: Error;
    try {
      switch (proxy.url) {
        case "noproxy":
          throw useProxy;
        case "direct":
        case "off":
          throw new NextEntry("proxy off");
        default: {
          await getBytes(http, join(proxy.url, "sumdb/" + db.name + "/supported"));
          // Success! This proxy will help us.
          return join(proxy.url, "sumdb/" + db.name);
        }
      }
    } catch (e) {
      if (isFatal(e)) throw e;
      err = e instanceof Error ? e : new Error(String(e));
    }
    const isNotExist = err instanceof NotFoundError;
    if (proxy.url === "direct" || (proxy.url === "noproxy" && err !== useProxy)) {
      bestErr = err;
      bestErrRank = directRank;
    } else if (bestErrRank <= proxyRank && !isNotExist) {
      bestErr = err;
      bestErrRank = proxyRank;
    } else if (bestErrRank === notExistRank) {
      bestErr = err;
    }
    if (!proxy.fallBackOnError && !isNotExist) break;
  }
  // No proxies, or all proxies failed (with 404, 410, or were allowed to
  // fall back), or we reached an explicit "direct" or "off".
  if (bestErr === undefined || bestErr instanceof NotFoundError) return db.direct;
  throw bestErr;
}

// isFatal reports whether e ends the whole command (base.Fatalf in the go
// command), such as lib/proxy's GoAuthError.
function isFatal(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { fatal?: unknown }).fatal === true;
}

/**
 * httpReadRemote returns a ClientOps.readRemote for the database: it finds
 * the base URL with sumdbBaseURL on first use (only if a remote read is
 * needed at all) and remembers the outcome, then GETs base + path.
 */
export function httpReadRemote(
  db: SumDB,
  proxies: readonly ProxyEntry[],
  http: HttpClient,
): (path: string) => Promise<Uint8Array> {
  let base: Promise<string> | undefined;
  return async (path) => {
    base ??= sumdbBaseURL(db, proxies, http);
    return getBytes(http, join(await base, path));
  };
}
