/**
 * GOPROXY list semantics (cmd/go/internal/modfetch proxy.go proxyList and
 * TryProxies, repo.go lookup; go1.26).
 *
 * GOPROXY is a list of proxy URLs and the keywords "direct" and "off",
 * separated by "," (fall back to the next entry only when this one says
 * "not found": HTTP 404 or 410) or "|" (fall back after any error). A bare
 * host such as "proxy.example.com" means https://proxy.example.com. When
 * GONOPROXY (which defaults to GOPRIVATE) is set, an implicit "noproxy"
 * entry comes first and sends matching paths direct.
 *
 * Errors speak in the go command's voice. A behaviour change here needs a
 * failing table test first.
 *
 * @module
 */

import { matchPrefixPatterns } from "../module/mod.ts";
import { isAbs, type PathStyle } from "../_internal/path.ts";
import { errNoproxy, errProxyOff, errUseProxy, isNotExist } from "./errors.ts";
import { goAuthErrorIn } from "./auth.ts";
import { redacted } from "./http.ts";
import { parseURL, urlString } from "./_url.ts";

/** ProxySpec is one GOPROXY entry. */
export interface ProxySpec {
  /** A proxy URL, or one of "off", "direct", "noproxy". */
  url: string;
  /**
   * Reports whether a request should go on to the next entry after any
   * error from this one ("|"); if false only "not found" falls through (",").
   */
  fallBackOnError: boolean;
}

/** ProxyListOptions are the platform details proxyList depends on. */
export interface ProxyListOptions {
  /**
   * The host's path style: on Windows "C:\\proxy" counts as an absolute path
   * and is not given an https:// prefix. @default "posix"
   */
  pathStyle?: PathStyle;
}

/**
 * proxyList parses GOPROXY (modfetch.proxyList). An empty goproxy gives an
 * empty list: the go command never parses an empty GOPROXY, since its
 * default (go.env) is "https://proxy.golang.org,direct"; callers resolve the
 * setting first.
 *
 * @throws {Error} "GOPROXY list is not the empty string, but contains no
 * entries", or the URL errors of checkProxyURL.
 */
export function proxyList(
  goproxy: string,
  gonoproxy: string,
  options: ProxyListOptions = {},
): ProxySpec[] {
  const style = options.pathStyle ?? "posix";
  const list: ProxySpec[] = [];
  if (gonoproxy !== "" && goproxy !== "direct") {
    list.push({ url: "noproxy", fallBackOnError: false });
  }
  if (goproxy === "") return list;

  while (goproxy !== "") {
    let url: string;
    let fallBackOnError = false;
    const i = goproxy.search(/[,|]/);
    if (i >= 0) {
      url = goproxy.slice(0, i);
      fallBackOnError = goproxy[i] === "|";
      goproxy = goproxy.slice(i + 1);
    } else {
      url = goproxy;
      goproxy = "";
    }

    url = trimSpace(url);
    if (url === "") continue;
    if (url === "off") {
      // "off" always fails hard, so can stop walking list.
      list.push({ url: "off", fallBackOnError: false });
      break;
    }
    if (url === "direct") {
      list.push({ url: "direct", fallBackOnError: false });
      // For now, "direct" is the end of the line. Go ignores subsequent
      // entries for forward-compatibility.
      break;
    }

    // Single-word tokens are reserved for built-in behaviors, and anything
    // containing the string ":/" or matching an absolute file path must be a
    // complete URL. For all other paths, implicitly add "https://".
    if (/[.:/]/.test(url) && !url.includes(":/") && !isAbs(url, style) && !url.startsWith("/")) {
      url = "https://" + url;
    }

    // Check that newProxyRepo accepts the URL.
    checkProxyURL(url);
    list.push({ url, fallBackOnError });
  }

  if (list.length === 0 || list.length === 1 && list[0].url === "noproxy") {
    // There were no proxies, other than the implicit "noproxy" added when
    // GONOPROXY is set. This can happen if GOPROXY is a non-empty string
    // like "," or " ".
    throw new Error("GOPROXY list is not the empty string, but contains no entries");
  }
  return list;
}

// strings.TrimSpace: ASCII space characters plus Unicode White_Space.
function trimSpace(s: string): string {
  return s.replace(/^[\p{White_Space}]+|[\p{White_Space}]+$/gu, "");
}

/**
 * checkProxyURL checks a proxy base URL as newProxyRepo does: it must parse,
 * its scheme must be http, https or file, and a file URL may have nothing but
 * a path.
 *
 * @throws {Error} `invalid proxy URL missing scheme: /x`, `invalid proxy URL
 * scheme (must be https, http, file): ftp://x`, `invalid file:// proxy URL
 * with non-path elements: file://host/x`, or a url.Parse error.
 */
export function checkProxyURL(url: string): void {
  const base = parseURL(url);
  // Go prints base.Redacted(): the URL as re-serialized (scheme lower-cased).
  const shown = redacted(urlString(base));
  switch (base.scheme) {
    case "http":
    case "https":
      return;
    case "file":
      if (
        base.opaque !== "" || base.user !== undefined || base.host !== "" || base.omitHost ||
        base.forceQuery || base.rawQuery !== "" || base.fragment !== ""
      ) {
        throw new Error(`invalid file:// proxy URL with non-path elements: ${shown}`);
      }
      return;
    case "":
      throw new Error(`invalid proxy URL missing scheme: ${shown}`);
    default:
      throw new Error(`invalid proxy URL scheme (must be https, http, file): ${shown}`);
  }
}

/**
 * tryProxies calls f for each entry in order until one succeeds, or until an
 * entry that does not fall back on errors fails with something other than
 * "not found" (modfetch.TryProxies). It returns f's result, or throws the
 * most helpful error: one from "direct" or a real "noproxy" attempt first,
 * then a proxy error other than "not found", then a "not found" error.
 */
export async function tryProxies<T>(
  proxies: readonly ProxySpec[],
  f: (proxy: string) => Promise<T>,
): Promise<T> {
  if (proxies.length === 0) throw new Error("internal error: GOPROXY list is empty");

  // We try to report the most helpful error to the user. "direct" and
  // "noproxy" errors are best, followed by proxy errors other than
  // "not exist", followed by "not exist".
  //
  // Note that errProxyOff, errNoproxy, and errUseProxy count as "not exist".
  // errUseProxy should only be returned if "noproxy" is the only proxy.
  // errNoproxy should never be returned, since there should always be a more
  // useful error from "noproxy" first.
  const notExistRank = 0;
  const proxyRank = 1;
  const directRank = 2;
  let bestErr: unknown = undefined;
  let bestErrRank = notExistRank;
  for (const proxy of proxies) {
    try {
      return await f(proxy.url);
    } catch (err) {
      // A malformed GOAUTH ends the command (base.Fatalf exits): no other
      // entry is tried.
      const fatal = goAuthErrorIn(err);
      if (fatal !== undefined) throw fatal;
      const isNotExistErr = isNotExist(err);
      if (proxy.url === "direct" || (proxy.url === "noproxy" && err !== errUseProxy)) {
        bestErr = err;
        bestErrRank = directRank;
      } else if (bestErrRank <= proxyRank && !isNotExistErr) {
        bestErr = err;
        bestErrRank = proxyRank;
      } else if (bestErrRank === notExistRank) {
        bestErr = err;
      }
      if (!proxy.fallBackOnError && !isNotExistErr) break;
    }
  }
  throw bestErr;
}

/** Route is what one GOPROXY entry means for one module path. */
export type Route =
  | { kind: "proxy"; url: string }
  | { kind: "direct" }
  | { kind: "error"; error: Error };

/**
 * route decides what an entry does for a module path (modfetch.lookup):
 * paths matched by GONOPROXY go direct through "noproxy" or "direct" and are
 * refused by proxies (errNoproxy); other paths are refused by "noproxy"
 * (errUseProxy) and "off" (errProxyOff), go direct through "direct", and to
 * the proxy otherwise. GONOPROXY does apply to golang.org/toolchain.
 */
export function route(proxy: string, path: string, gonoproxy: string): Route {
  if (matchPrefixPatterns(gonoproxy, path)) {
    switch (proxy) {
      case "noproxy":
      case "direct":
        return { kind: "direct" };
      default:
        return { kind: "error", error: errNoproxy };
    }
  }
  switch (proxy) {
    case "off":
      return { kind: "error", error: errProxyOff };
    case "direct":
      return { kind: "direct" };
    case "noproxy":
      return { kind: "error", error: errUseProxy };
    default:
      return { kind: "proxy", url: proxy };
  }
}
