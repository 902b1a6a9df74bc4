/**
 * The HTTP role lib/proxy fetches through, and the pure rules of Go's HTTP
 * client (net/http and cmd/go/internal/web, go1.26) that an implementation
 * must keep: which redirects are followed, which headers survive them, how a
 * status is spelled and how a URL is redacted.
 *
 * lib/host/http.ts implements HttpClient with fetch. Credentials (GOAUTH)
 * are added by lib/proxy as request headers (auth.ts authHttp), never by the
 * host.
 *
 * @module
 */

export type { HttpClient, HttpResponse } from "../_internal/http.ts";

/**
 * maxRedirects is Go's limit: after 10 requests in a chain (9 redirects) the
 * next redirect fails with "stopped after 10 redirects".
 */
export const maxRedirects = 10;

/**
 * checkRedirect decides whether the request for next may follow the requests
 * already made (via, first request first). It returns the error text Go
 * reports, or undefined to follow. Mirrors web.securityPreservingHTTPClient
 * and web.checkRedirect (go1.26): an http → https → http chain is allowed,
 * since only the first request's scheme counts.
 */
export function checkRedirect(via: readonly string[], next: string): string | undefined {
  if (via.length > 0 && scheme(via[0]) === "https" && scheme(next) !== "https") {
    const lastHop = via[via.length - 1];
    return `redirected from secure URL ${lastHop} to insecure URL ${next}`;
  }
  // Go's http.DefaultClient allows 10 redirects before returning an error.
  if (via.length >= maxRedirects) return `stopped after ${maxRedirects} redirects`;
  return undefined;
}

/** isRedirect reports whether status is one net/http follows (redirectBehavior). */
export function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/**
 * sensitiveHeaders are dropped on a redirect to a host that is neither the
 * first request's host nor one of its subdomains (net/http makeHeadersCopier).
 */
export const sensitiveHeaders: readonly string[] = [
  "authorization",
  "www-authenticate",
  "cookie",
  "cookie2",
  "proxy-authorization",
  "proxy-authenticate",
];

/**
 * shouldCopyHeaderOnRedirect reports whether sensitive headers of a request
 * to initial may be sent to dest: dest's host (without port) equals initial's
 * or is a subdomain of it (net/http shouldCopyHeaderOnRedirect).
 */
export function shouldCopyHeaderOnRedirect(initial: string, dest: string): boolean {
  const ihost = new URL(initial).hostname.toLowerCase();
  const dhost = new URL(dest).hostname.toLowerCase();
  return isDomainOrSubdomain(dhost, ihost);
}

function isDomainOrSubdomain(sub: string, parent: string): boolean {
  if (sub === parent) return true;
  // An IPv6 address (or zone) is never a subdomain.
  if (/[:%\[]/.test(sub)) return false;
  return sub.endsWith(parent) && sub[sub.length - parent.length - 1] === ".";
}

function scheme(url: string): string {
  const i = url.indexOf(":");
  return i < 0 ? "" : url.slice(0, i).toLowerCase();
}

/**
 * redacted returns url with any password replaced by "xxxxx", as Go's
 * URL.Redacted does for messages.
 */
export function redacted(url: string): string {
  // scheme://user:password@host/...
  return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/, "$1:xxxxx@");
}

/** status returns "404 Not Found": the code and Go's http.StatusText. */
export function status(code: number): string {
  const text = statusTexts[code];
  // HTTP/2 responses spell an unknown code "599 " (Go: code + " " + StatusText).
  return `${code} ${text ?? ""}`;
}

// net/http.StatusText (go1.26).
const statusTexts: Record<number, string> = {
  100: "Continue",
  101: "Switching Protocols",
  102: "Processing",
  103: "Early Hints",
  200: "OK",
  201: "Created",
  202: "Accepted",
  203: "Non-Authoritative Information",
  204: "No Content",
  205: "Reset Content",
  206: "Partial Content",
  207: "Multi-Status",
  208: "Already Reported",
  226: "IM Used",
  300: "Multiple Choices",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  305: "Use Proxy",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  407: "Proxy Authentication Required",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  411: "Length Required",
  412: "Precondition Failed",
  413: "Request Entity Too Large",
  414: "Request URI Too Long",
  415: "Unsupported Media Type",
  416: "Requested Range Not Satisfiable",
  417: "Expectation Failed",
  418: "I'm a teapot",
  421: "Misdirected Request",
  422: "Unprocessable Entity",
  423: "Locked",
  424: "Failed Dependency",
  425: "Too Early",
  426: "Upgrade Required",
  428: "Precondition Required",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  451: "Unavailable For Legal Reasons",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
  506: "Variant Also Negotiates",
  507: "Insufficient Storage",
  508: "Loop Detected",
  510: "Not Extended",
  511: "Network Authentication Required",
};
