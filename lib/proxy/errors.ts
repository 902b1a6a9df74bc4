/**
 * The errors of the proxy protocol, printed as the go command prints them
 * (cmd/go/internal/web HTTPError, modfetch notExistError; go1.26).
 *
 * "Not exist" decides GOPROXY fall-through: an HTTP 404 or 410, or one of
 * the routing sentinels (errProxyOff, errNoproxy, errUseProxy). isNotExist
 * looks through `cause` chains, as errors.Is(err, fs.ErrNotExist) does.
 *
 * @module
 */

import type { HttpResponse } from "./http.ts";
import { status as statusLine } from "./http.ts";

const maxErrorDetailLines = 8;
const maxErrorDetailBytes = maxErrorDetailLines * 81;

/**
 * HttpError is a non-200 answer (web.HTTPError):
 * "reading <url>: 404 Not Found", optionally followed by
 * "\n\tserver response: <detail>" when the server sent a short text/plain body.
 */
export class HttpError extends Error {
  constructor(
    /** The requested URL, redacted. */
    readonly url: string,
    /** The HTTP status code. */
    readonly statusCode: number,
    /** The status line, "404 Not Found". */
    readonly status: string,
    /** The server's text/plain explanation, lines joined by "\n\t"; "" if none. */
    readonly detail: string,
    /** For file: URLs, the OS error text ("no such file or directory"); "" otherwise. */
    readonly fileErr: string = "",
  ) {
    super(httpErrorText(url, status, detail, fileErr));
    this.name = "HttpError";
  }

  /** isNotExist reports whether the status means the resource does not exist (404, 410). */
  get isNotExist(): boolean {
    return this.statusCode === 404 || this.statusCode === 410;
  }
}

function httpErrorText(url: string, status: string, detail: string, fileErr: string): string {
  if (detail !== "") {
    const sep = detail.includes("\n") ? "\n\t" : " ";
    return `reading ${url}: ${status}\n\tserver response:${sep}${detail}`;
  }
  if (fileErr !== "") return `reading ${url}: ${fileErr}`;
  return `reading ${url}: ${status}`;
}

/**
 * NotExistError is an error that counts as "does not exist" for GOPROXY
 * fall-through while carrying its own message (modfetch.notExistError).
 */
export class NotExistError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "NotExistError";
  }
}

/** errProxyOff: the entry "off" in GOPROXY. */
export const errProxyOff: NotExistError = new NotExistError(
  "module lookup disabled by GOPROXY=off",
);
/** errNoproxy: a proxy entry for a path that GONOPROXY/GOPRIVATE keeps away from proxies. */
export const errNoproxy: NotExistError = new NotExistError("disabled by GOPRIVATE/GONOPROXY");
/** errUseProxy: the implicit "noproxy" entry for a path that GONOPROXY does not match. */
export const errUseProxy: NotExistError = new NotExistError(
  "path does not match GOPRIVATE/GONOPROXY",
);

/**
 * isNotExist reports whether err, or an error in its cause chain, means "not
 * found": an HttpError with 404 or 410, or a NotExistError.
 */
export function isNotExist(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 100; e = e.cause, depth++) {
    if (e instanceof NotExistError) return true;
    if (e instanceof HttpError) return e.isNotExist;
  }
  return false;
}

/**
 * responseError returns the HttpError for a non-200 response, reading
 * (and then releasing) its body for the error detail, or undefined for 200
 * (web.Response.Err). url is the requested URL, redacted.
 *
 * The detail is collected only for `text/plain` bodies with charset utf-8,
 * us-ascii or none; it is dropped unless the text is valid UTF-8 made of
 * graphic and space characters; it stops at the first blank line and is cut
 * at 8 lines ("[Truncated: too many lines.]") or 8×81 bytes
 * ("[Truncated: too long.]").
 */
export async function responseError(
  url: string,
  res: HttpResponse,
): Promise<HttpError | undefined> {
  if (res.status === 200 || res.status === 0) return undefined;
  const status = statusLine(res.status);
  if (url.startsWith("file:")) {
    const text = res.body === null ? "" : new TextDecoder().decode(await readAll(res.body, 4096));
    return new HttpError(url, res.status, status, "", text);
  }
  let detail = "";
  if (isPlainText(res.headers.get("content-type") ?? "") && res.body !== null) {
    detail = formatErrorDetail(await collectErrorDetail(res.body));
  } else {
    await res.body?.cancel();
  }
  return new HttpError(url, res.status, status, detail);
}

// isPlainText reports whether a Content-Type is text/plain in UTF-8 or a
// subset of it (mime.ParseMediaType, then the charset parameter).
function isPlainText(contentType: string): boolean {
  const [type, ...params] = contentType.split(";");
  if (type.trim().toLowerCase() !== "text/plain") return false;
  let charset = "";
  for (const p of params) {
    const eq = p.indexOf("=");
    if (eq < 0) continue;
    if (p.slice(0, eq).trim().toLowerCase() === "charset") {
      charset = p.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1").toLowerCase();
    }
  }
  return charset === "us-ascii" || charset === "utf-8" || charset === "";
}

// collectErrorDetail reads the body the way web.errorDetailBuffer records it:
// Go keeps whole read chunks until it has counted more than 8 lines and then
// drains the rest. Reads are not observable here, so this keeps the first
// 32 KiB (one io.Copy buffer) and more only while at most 8 lines were seen,
// up to 1 MiB, then cancels the body.
async function collectErrorDetail(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let lines = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
      for (const b of value) if (b === 0x0a) lines++;
      if (size >= 1 << 20 || (size >= 32 << 10 && lines > maxErrorDetailLines)) break;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return concat(chunks, size);
}

const graphicOrSpace = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}\p{White_Space}]*$/u;

/** formatErrorDetail turns a body prefix into Go's tab-indented summary, or "". */
export function formatErrorDetail(data: Uint8Array): string {
  let s: string;
  try {
    s = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    return ""; // Don't try to recover non-UTF-8 error messages.
  }
  // Don't let the server do any funny business with the user's terminal.
  if (!graphicOrSpace.test(s)) return "";
  const enc = new TextEncoder();
  let detail = "";
  let detailLen = 0;
  const lines = s.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "") break; // Stop at the first blank line.
    if (i > 0) {
      detail += "\n\t";
      detailLen += 2;
    }
    if (i >= maxErrorDetailLines) {
      detail += "[Truncated: too many lines.]";
      break;
    }
    const n = enc.encode(line).length;
    if (detailLen + n > maxErrorDetailBytes) {
      detail += "[Truncated: too long.]";
      break;
    }
    detail += line;
    detailLen += n;
  }
  return detail;
}

/**
 * readAll reads a stream to its end, or stops (cancelling it) once more than
 * limit bytes have arrived and returns what it has.
 */
export async function readAll(
  body: ReadableStream<Uint8Array>,
  limit = Infinity,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const c of body) {
    chunks.push(c);
    size += c.length;
    if (size > limit) break;
  }
  return concat(chunks, size);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}
