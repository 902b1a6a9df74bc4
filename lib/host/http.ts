/**
 * denoHttp implements lib/proxy/http.ts HttpClient with fetch, keeping the
 * rules of the go command's web.Get (go1.26 cmd/go/internal/web/http.go):
 *
 * - redirects are followed by hand (fetch's `redirect: "manual"`) so that
 *   checkRedirect can refuse an https → http hop and stop after 10, with
 *   Go's messages;
 * - Authorization and the other sensitive headers are dropped once a
 *   redirect leaves the first host (net/http's rule);
 * - credentials in the URL (`https://user:pass@host/`) become a Basic
 *   Authorization header unless one is set, as net/http does;
 * - `User-Agent: gtc/<version>`;
 * - a request that has not received its response headers within 30 s is
 *   aborted (Go has no overall timeout here; the body may stream for longer);
 * - HTTPS_PROXY, HTTP_PROXY and NO_PROXY (and their lower-case forms) are
 *   honoured by Deno's fetch itself, as Go's http.ProxyFromEnvironment does;
 * - file: URLs are read from the file system: a missing file answers 404 and
 *   an unreadable one 403, with the OS error text as body (web.getFile);
 * - an `insecure` get (GOINSECURE) skips certificate verification on https
 *   hops and gives up after 5 s, as impatientInsecureHTTPClient. fetch
 *   cannot skip verification per request, so those hops go through
 *   node:https with rejectUnauthorized: false; HTTPS_PROXY is not applied
 *   to them (Go's client would).
 *
 * @module
 */

import https from "node:https";
import { Readable } from "node:stream";
import { goQuote } from "../_internal/go_quote.ts";
import {
  checkRedirect,
  type HttpClient,
  type HttpResponse,
  isRedirect,
  sensitiveHeaders,
  shouldCopyHeaderOnRedirect,
} from "../proxy/http.ts";
import { toFsError } from "./fs.ts";
import { firstNameserver, goNetError, hostOf, needsAddress } from "../_internal/net_error.ts";

/** HttpOptions configures newDenoHttp. */
export interface HttpOptions {
  /** User-Agent header. @default "gtc/0.1.0" */
  userAgent?: string;
  /** Milliseconds to wait for response headers. @default 30000 */
  headerTimeout?: number;
  /** How file: URL paths are read: "windows" maps /C:/x to C:\x. @default the host's */
  pathStyle?: "posix" | "windows";
}

/** newDenoHttp returns an HttpClient backed by fetch and the file system. */
export function newDenoHttp(options: HttpOptions = {}): HttpClient {
  const userAgent = options.userAgent ?? "gtc/0.1.0";
  const headerTimeout = options.headerTimeout ?? 30_000;
  const pathStyle = options.pathStyle ?? (Deno.build.os === "windows" ? "windows" : "posix");
  return {
    async get(url, init = {}) {
      if (url.startsWith("file:")) return getFile(url, pathStyle);
      return await getHttp(
        url,
        init.headers ?? {},
        init.signal,
        userAgent,
        // impatientInsecureHTTPClient's Timeout.
        init.insecure ? Math.min(headerTimeout, 5_000) : headerTimeout,
        init.insecure ?? false,
      );
    },
  };
}

/** denoHttp is an HttpClient with the default options. */
export const denoHttp: HttpClient = newDenoHttp();

/** The parts of a fetch Response getHttp uses. */
interface Answer {
  status: number;
  headers: Headers;
  body: ReadableStream<Uint8Array> | null;
}

async function getHttp(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
  userAgent: string,
  headerTimeout: number,
  insecure: boolean,
): Promise<HttpResponse> {
  const via: string[] = [];
  let stripSensitive = false;
  let current = url;
  for (;;) {
    const h = new Headers(headers);
    if (!h.has("user-agent")) h.set("user-agent", userAgent);
    if (stripSensitive) { for (const k of sensitiveHeaders) h.delete(k); }
    const target = moveUserinfo(current, h);
    const timer = new AbortController();
    const id = setTimeout(
      () => timer.abort(new Error(`timeout awaiting response headers after ${headerTimeout}ms`)),
      headerTimeout,
    );
    let res: Answer;
    try {
      const sig = signal ? AbortSignal.any([signal, timer.signal]) : timer.signal;
      res = insecure && target.startsWith("https:")
        ? await getSkippingVerify(target, h, sig)
        : await fetch(target, { headers: h, redirect: "manual", signal: sig });
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      const why = timer.signal.aborted
        ? (timer.signal.reason as Error).message
        : await netErrorText(target, e);
      throw new Error(`Get ${goQuote(current)}: ${why}`, { cause: e });
    } finally {
      clearTimeout(id);
    }
    via.push(current);
    const loc = res.headers.get("location");
    if (!isRedirect(res.status) || loc === null || loc === "") {
      return { status: res.status, headers: res.headers, body: res.body, url: current };
    }
    let next: string;
    try {
      next = new URL(loc, current).href;
    } catch (e) {
      await res.body?.cancel();
      throw new Error(
        `Get ${goQuote(current)}: failed to parse Location header ${goQuote(loc)}: ${errorText(e)}`,
      );
    }
    if (!stripSensitive && !shouldCopyHeaderOnRedirect(url, next)) stripSensitive = true;
    const err = checkRedirect(via, next);
    await res.body?.cancel();
    if (err !== undefined) throw new Error(`Get ${goQuote(loc)}: ${err}`);
    current = next;
  }
}

// getSkippingVerify makes one GET with node:https, accepting any server
// certificate (GOINSECURE), and answers in fetch's terms.
function getSkippingVerify(url: string, h: Headers, signal: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      url,
      { headers: Object.fromEntries(h), rejectUnauthorized: false, signal },
      (res) => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (Array.isArray(v)) { for (const x of v) headers.append(k, x); }
          else if (v !== undefined) headers.set(k, String(v));
        }
        resolve({
          status: res.statusCode ?? 0,
          headers,
          body: Readable.toWeb(res) as ReadableStream<Uint8Array>,
        });
      },
    );
    req.on("error", reject);
  });
}

// moveUserinfo turns user:password@ in url into a Basic Authorization header
// (unless one is set) and returns the URL without it: fetch refuses URLs with
// credentials, and net/http sends them this way.
function moveUserinfo(url: string, h: Headers): string {
  const u = new URL(url);
  if (u.username === "" && u.password === "") return url;
  if (!h.has("authorization")) {
    const user = decodeURIComponent(u.username);
    const pass = decodeURIComponent(u.password);
    h.set(
      "authorization",
      "Basic " + btoa(String.fromCharCode(...new TextEncoder().encode(`${user}:${pass}`))),
    );
  }
  u.username = "";
  u.password = "";
  return u.href;
}

// netErrorText words a failed request as Go's net package does (see
// lib/_internal/net_error.ts), looking up what the message names: the DNS
// server from resolv.conf, the address a name resolved to. Only on failure.
async function netErrorText(url: string, e: unknown): Promise<string> {
  let nameserver: string | undefined;
  try {
    nameserver = firstNameserver(await Deno.readTextFile("/etc/resolv.conf"));
  } catch {
    nameserver = Deno.build.os === "windows" ? undefined : "127.0.0.1:53";
  }
  let address: string | undefined;
  if (needsAddress(e)) {
    const { host } = hostOf(url);
    if (!/^[0-9.]+$|:/.test(host)) {
      address = host === "localhost"
        ? "127.0.0.1"
        : await Deno.resolveDns(host, "A").then((a) => a[0], () => undefined);
    }
  }
  return goNetError(url, e, { nameserver, address }) ?? errorText(e);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// getFile mirrors web.getFile: os.Open, with not-exist → 404 and
// permission → 403; other failures are errors.
function getFile(url: string, style: "posix" | "windows"): HttpResponse {
  const path = urlToFilePath(url, style);
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true });
  } catch (e) {
    const fe = toFsError("open", path, e);
    if (fe.kind === "not-exist" || fe.kind === "permission") {
      return {
        status: fe.kind === "not-exist" ? 404 : 403,
        headers: new Headers({ "content-type": "text/plain; charset=utf-8" }),
        body: textStream(fe.detail),
        url,
      };
    }
    throw fe;
  }
  let body: ReadableStream<Uint8Array>;
  if (file.statSync().isDirectory) {
    // os.Open succeeds on a directory; reading it fails.
    file.close();
    body = new ReadableStream({
      start(c) {
        c.error(new Error(`read ${path}: is a directory`));
      },
    });
  } else {
    body = file.readable;
  }
  return { status: 200, headers: new Headers(), body, url };
}

function textStream(s: string): ReadableStream<Uint8Array> {
  const data = new TextEncoder().encode(s);
  return new ReadableStream({
    start(c) {
      c.enqueue(data);
      c.close();
    },
  });
}

/**
 * urlToFilePath converts a file: URL to a path as web.urlToFilePath does:
 * the host must be empty or "localhost" (Unix) or names a UNC share
 * (Windows), and the result must be absolute.
 *
 * @throws {Error} "file URL specifies non-local host", "file URL missing
 * drive letter", "path is not absolute".
 */
export function urlToFilePath(url: string, style: "posix" | "windows"): string {
  const u = new URL(url);
  if (u.protocol !== "file:") throw new Error("non-file URL");
  const path = decodeURIComponent(u.pathname);
  if (path === "") throw new Error("file URL missing path");
  if (style === "posix") {
    if (u.hostname !== "" && u.hostname !== "localhost") {
      throw new Error("file URL specifies non-local host");
    }
    if (!path.startsWith("/")) throw new Error("path is not absolute");
    return path;
  }
  if (!path.startsWith("/")) throw new Error("path is not absolute");
  const win = path.replaceAll("/", "\\");
  if (u.hostname !== "" && u.hostname !== "localhost") {
    if (/^[A-Za-z]:$/.test(u.hostname)) {
      throw new Error("file URL encodes volume in host field: too few slashes?");
    }
    return `\\\\${u.hostname}${win}`;
  }
  if (!/^[A-Za-z]:/.test(win.slice(1))) throw new Error("file URL missing drive letter");
  const p = win.slice(1);
  if (!/^[A-Za-z]:\\/.test(p)) throw new Error("path is not absolute");
  return p;
}
