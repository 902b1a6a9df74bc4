/**
 * The HTTP role the sources read through.
 *
 * The shapes are structurally identical to `HttpClient` and `HttpResponse` in
 * lib/proxy/http.ts (docs/design/acquisition.md, "Shared interfaces"); they are
 * declared here as well because lib/proxy was not written yet when the sources
 * were. Any value implementing one implements the other. lib/host/http.ts
 * implements it with fetch.
 *
 * @module
 */

/** HttpResponse is a response whose body has not been read yet. */
export interface HttpResponse {
  /** HTTP status code after redirects (200, 404, …). */
  status: number;
  headers: Headers;
  /** The body; null for bodiless responses. Callers must read or cancel it. */
  body: ReadableStream<Uint8Array> | null;
  /** The final URL after redirects. */
  url: string;
}

/** HttpClient performs GET requests. Implementations follow redirects. */
export interface HttpClient {
  /**
   * get fetches url. It resolves for every HTTP status (callers check it) and
   * rejects only for transport failures (DNS, TLS, connection reset, abort).
   */
  get(
    url: string,
    init?: { headers?: Record<string, string>; signal?: AbortSignal },
  ): Promise<HttpResponse>;
}

/** HttpStatusError is a response with an unexpected status; 404 and 410 mean "not found". */
export class HttpStatusError extends Error {
  constructor(readonly url: string, readonly status: number) {
    super(`reading ${url}: ${status} ${statusText(status)}`);
    this.name = "HttpStatusError";
  }

  /** isNotFound reports whether the server said the resource does not exist (404 or 410). */
  get isNotFound(): boolean {
    return this.status === 404 || this.status === 410;
  }
}

function statusText(status: number): string {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 410:
      return "Gone";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    default:
      return "";
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
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  url: string,
): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let n = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.length;
      if (n > limit) {
        await reader.cancel().catch(() => {});
        throw new Error(`reading ${url}: response larger than ${limit} bytes`);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const out = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
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
