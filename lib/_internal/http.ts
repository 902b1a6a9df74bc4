/**
 * The HTTP role lib/ reads the network through (GOPROXY, the checksum
 * database, go.dev/dl and the Microsoft build). Declared once, below every
 * consumer; lib/host/http.ts implements it with fetch.
 *
 * @module
 */

/** HttpResponse is one response, after redirects. */
export interface HttpResponse {
  /** The HTTP status code (200, 404 …); file: URLs give 200, 404 or 403. */
  status: number;
  headers: Headers;
  /**
   * The body, to be consumed or cancelled by the caller. For a file: URL
   * answered 404 or 403 it holds the operating system's error text as Go's
   * *fs.PathError prints it without op and path ("no such file or directory").
   */
  body: ReadableStream<Uint8Array> | null;
  /** The URL that answered, after redirects. */
  url: string;
}

/**
 * HttpClient makes GET requests the way the go command's web.Get does.
 * Implementations must:
 * - make at most 10 requests per get, so follow at most 9 redirects (301,
 *   302, 303, 307, 308 with a Location),
 *   failing with `Get "<location>": stopped after 10 redirects` (checkRedirect);
 * - refuse a redirect away from https when the first request was https
 *   (`Get "<location>": redirected from secure URL <a> to insecure URL <b>`);
 * - drop Authorization and the other sensitive headers once a redirect
 *   leaves the first request's host and its subdomains
 *   (shouldCopyHeaderOnRedirect);
 * - serve file: URLs from the local file system (missing → 404,
 *   not permitted → 403);
 * - throw (rather than answer) only when no response was received.
 */
export interface HttpClient {
  get(url: string, init?: HttpGetInit): Promise<HttpResponse>;
}

/** HttpGetInit holds the options of one HttpClient.get. */
export interface HttpGetInit {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * insecure skips TLS certificate verification on https hops, as the go
   * command's impatientInsecureHTTPClient does for web.Insecure fetches
   * (module paths matching GOINSECURE, go-import lookups only); it also
   * gives up after 5 s, as that client does.
   */
  insecure?: boolean;
}

/**
 * readCapped reads a whole body into memory, failing with tooLarge() once it
 * exceeds limit bytes. For small documents (listings, notes, tiles,
 * signatures), never archives.
 */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  tooLarge: () => Error,
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
        throw tooLarge();
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
