/**
 * The HTTP role the sources read through, and small helpers for reading
 * small documents with a size cap.
 *
 * HttpClient and HttpResponse are lib/proxy's (docs/design/acquisition.md,
 * "Shared interfaces"); lib/host/http.ts implements them with fetch, keeping
 * Go's redirect rules (https never downgrades to http) and serving file: URLs,
 * which is what file: mirrors rely on.
 *
 * @module
 */

import { readCapped as readBodyCapped } from "../_internal/http.ts";
import { type HttpClient, type HttpResponse, redacted, status } from "../proxy/mod.ts";

export type { HttpClient, HttpResponse };

/** HttpStatusError is a response with an unexpected status; 404 and 410 mean "not found". */
export class HttpStatusError extends Error {
  constructor(readonly url: string, readonly code: number) {
    super(`reading ${redacted(url)}: ${status(code)}`);
    this.name = "HttpStatusError";
  }

  /** isNotFound reports whether the server said the resource does not exist (404 or 410). */
  get isNotFound(): boolean {
    return this.code === 404 || this.code === 410;
  }
}

/**
 * getOk fetches url and returns the response if its status is 200, or throws
 * HttpStatusError after cancelling the body.
 */
export async function getOk(http: HttpClient, url: string): Promise<HttpResponse> {
  const resp = await http.get(url);
  if (resp.status !== 200) {
    await resp.body?.cancel().catch(() => {});
    throw new HttpStatusError(url, resp.status);
  }
  return resp;
}

/**
 * readCapped reads a whole body, throwing once it exceeds limit bytes. It is
 * for small documents (listings, checksums, signatures, keys), never archives.
 */
export function readCapped(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  url: string,
): Promise<Uint8Array> {
  return readBodyCapped(
    body,
    limit,
    () => new Error(`reading ${url}: response larger than ${limit} bytes`),
  );
}

/** getText fetches a small document as UTF-8 text; the status must be 200. */
export async function getText(http: HttpClient, url: string, limit: number): Promise<string> {
  const resp = await getOk(http, url);
  return new TextDecoder().decode(await readCapped(resp.body, limit, url));
}

/** getBytes fetches a small document as bytes; the status must be 200. */
export async function getBytes(http: HttpClient, url: string, limit: number): Promise<Uint8Array> {
  const resp = await getOk(http, url);
  return await readCapped(resp.body, limit, url);
}
