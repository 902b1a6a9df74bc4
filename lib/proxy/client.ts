/**
 * The module proxy protocol client (cmd/go/internal/modfetch proxy.go
 * proxyRepo, go1.26): `$base/$module/@v/list`, `@v/$version.info`,
 * `@v/$version.mod` and `@v/$version.zip`, with the module path and version
 * case-encoded ("!" goes out as "%21") and GOAUTH's credentials on https
 * requests only (auth.ts authHttp, as web.Get adds them).
 *
 * @module
 */

import {
  canonicalVersion,
  check,
  escapePath,
  escapeVersion,
  InvalidVersionError,
  isPseudoVersion,
  ModuleError,
  semverIsValid,
  semverSort,
} from "../module/mod.ts";
import { goQuote } from "../_internal/go_quote.ts";
import { type Authenticator, authHttp, goAuthErrorIn } from "./auth.ts";
import type { HttpClient, HttpResponse } from "./http.ts";
import { redacted } from "./http.ts";
import { readAll, responseError } from "./errors.ts";
import { type GoURL, parseURL, urlString, withPath } from "./_url.ts";
import { checkProxyURL } from "./list.ts";

/** maxZipFile is codehost.MaxZipFile: the largest module zip the go command accepts (500 MiB). */
export const maxZipFile = 500 << 20;

/**
 * maxZipResumes is how many times ProxyRepo.zip asks again for the rest of
 * a zip whose transfer broke (gtc's own; the go command starts over).
 */
export const maxZipResumes = 3;

/** RevInfo is a version's .info (modfetch.RevInfo, as the proxy sends it). */
export interface RevInfo {
  /** The canonical version, "v0.0.1-go1.21.3.linux-amd64". */
  Version: string;
  /** RFC 3339 commit or release time. */
  Time: string;
}

/** RepoOptions are what a ProxyRepo fetches with. */
export interface RepoOptions {
  /** The client, without credentials: the repo adds GOAUTH's (authHttp). */
  http: HttpClient;
  /**
   * GOAUTH's credentials for https requests, shared by every request of one
   * operation. Without it, none are sent (GOAUTH=off).
   */
  auth?: Authenticator;
  signal?: AbortSignal;
}

/**
 * ZipSink receives a zip as it streams in. The go command writes into a temp
 * file and truncates it when a proxy fails part way, before trying the next.
 */
export interface ZipSink {
  /**
   * write appends a chunk; it may be called many times. The chunk's memory
   * is reused for the next one once write returns (or its promise
   * settles): copy what you keep.
   */
  write(chunk: Uint8Array): Promise<void> | void;
  /** reset discards everything written so far (Seek(0) + Truncate(0)). */
  reset(): Promise<void> | void;
  /** declaredSize, when present, learns the declared length of the zip about to be written. */
  declaredSize?(bytes: number): void;
}

/**
 * ProxyRepo reads one module from one proxy base URL (modfetch.proxyRepo).
 * Every error is a ModuleError for the module path (and version), wrapping
 * an HttpError where the server answered; isNotExist sees through it.
 */
export class ProxyRepo {
  readonly path: string;
  readonly #url: GoURL;
  readonly #redactedBase: string;
  readonly #opts: RepoOptions;
  readonly #http: HttpClient;

  /**
   * @param baseURL a proxy base: http, https or file URL.
   * @param path the module path (unescaped).
   * @throws {Error} the newProxyRepo errors (bad URL, bad module path).
   */
  constructor(baseURL: string, path: string, options: RepoOptions) {
    checkProxyURL(baseURL);
    const base = parseURL(baseURL);
    this.#redactedBase = redacted(baseURL);
    // Append the module path to the URL.
    this.#url = withPath(base, escapePath(path), true);
    this.path = path;
    this.#opts = options;
    this.#http = authHttp(options.http, options.auth);
  }

  /** url returns the request URL for a path under the module ("@v/list"), as sent and as printed. */
  url(p: string): string {
    return urlString(withPath(this.#url, p, false));
  }

  // versionError wraps err for path@version (proxyRepo.versionError). A
  // malformed GOAUTH is not the module's error: the go command exits with
  // its bare text, so it goes through unwrapped.
  #versionError(version: string, err: Error): Error {
    const fatal = goAuthErrorIn(err);
    if (fatal !== undefined) return fatal;
    if (version !== "" && version !== canonicalVersion(version)) {
      return new ModuleError(
        this.path,
        "",
        new InvalidVersionError(version, isPseudoVersion(version), err.message, { cause: err }),
      );
    }
    return new ModuleError(this.path, version, err);
  }

  // get asks for url with GOAUTH's credentials for it and any extra headers
  // (web.Get: on a 4xx answer, once more after GOAUTH runs for the URL).
  async #get(url: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    return await this.#http.get(url, { headers, signal: this.#opts.signal });
  }

  async #getBody(p: string): Promise<{ body: ReadableStream<Uint8Array>; url: string }> {
    const url = this.url(p);
    const res = await this.#get(url);
    const err = await responseError(redacted(url), res);
    if (err !== undefined) throw err;
    return { body: res.body ?? emptyStream(), url: redacted(url) };
  }

  async #getBytes(p: string): Promise<Uint8Array> {
    const { body, url } = await this.#getBody(p);
    try {
      return await readAll(body);
    } catch (e) {
      // net/http doesn't add context to Body read errors, so add it here.
      throw readError(url, e);
    }
  }

  /**
   * versions returns the tagged versions in @v/list that have the prefix,
   * sorted by semver: lines whose first field is a valid semantic version
   * and not a pseudo-version (proxyRepo.Versions).
   */
  async versions(prefix = ""): Promise<string[]> {
    let data: Uint8Array;
    try {
      data = await this.#getBytes("@v/list");
    } catch (e) {
      throw this.#versionError("", e as Error);
    }
    const list: string[] = [];
    for (const line of new TextDecoder().decode(data).split("\n")) {
      const f = line.split(/\s+/).filter((x) => x !== "");
      if (
        f.length >= 1 && semverIsValid(f[0]) && f[0].startsWith(prefix) && !isPseudoVersion(f[0])
      ) {
        list.push(f[0]);
      }
    }
    return semverSort(list);
  }

  /**
   * info returns the .info of rev (proxyRepo.Stat). When rev is canonical
   * and fits the module path, the proxy must answer for exactly that version.
   */
  async info(rev: string): Promise<RevInfo> {
    let encRev: string;
    try {
      encRev = escapeVersion(rev);
    } catch (e) {
      throw this.#versionError(rev, e as Error);
    }
    let data: Uint8Array;
    try {
      data = await this.#getBytes(`@v/${encRev}.info`);
    } catch (e) {
      throw this.#versionError(rev, e as Error);
    }
    let info: RevInfo;
    try {
      const v = JSON.parse(new TextDecoder().decode(data));
      if (typeof v !== "object" || v === null || Array.isArray(v)) {
        throw new Error("cannot unmarshal into Go value of type modfetch.RevInfo");
      }
      info = { Version: String(v.Version ?? ""), Time: String(v.Time ?? "") };
    } catch (e) {
      throw this.#versionError(
        rev,
        new Error(`invalid response from proxy "${this.#redactedBase}": ${(e as Error).message}`),
      );
    }
    if (
      info.Version !== rev && rev === canonicalVersion(rev) && check(this.path, rev) === undefined
    ) {
      // If we request a correct, appropriate version for the module path, the
      // proxy must return either exactly that version or an error — not some
      // arbitrary other version.
      throw this.#versionError(
        rev,
        new Error(`proxy returned info for version ${info.Version} instead of requested version`),
      );
    }
    return info;
  }

  /** mod returns the go.mod file of a canonical version (proxyRepo.GoMod). */
  async mod(version: string): Promise<Uint8Array> {
    if (version !== canonicalVersion(version)) {
      throw this.#versionError(
        version,
        new Error("internal error: version passed to GoMod is not canonical"),
      );
    }
    try {
      return await this.#getBytes(`@v/${escapeVersion(version)}.mod`);
    } catch (e) {
      throw this.#versionError(version, e as Error);
    }
  }

  /**
   * zip opens the zip of a canonical version and returns its body, which
   * fails with "downloaded zip file too large" past maxZipFile bytes. The
   * caller streams it; a read error names the URL, as Go's url.Error does.
   *
   * Unlike the go command, a transfer that breaks part way is resumed: the
   * stream asks the same URL again for the rest (`Range: bytes=<n>-`, with
   * `If-Range` when the first answer had a strong ETag or a Last-Modified),
   * up to maxZipResumes times, and continues only on a 206 whose
   * Content-Range starts at n and ends at the declared length. Any other
   * answer ends the stream with the original read error, so the caller
   * restarts from zero (fetchZip resets its sink and the GOPROXY list
   * decides, as in the go command). The bytes are checked as a whole
   * afterwards (the h1: hash against the checksum database), so a resume
   * that splices the wrong bytes fails verification, never installs.
   */
  async zip(
    version: string,
    onSize?: (bytes: number) => void,
  ): Promise<ReadableStream<Uint8Array>> {
    const body = await this.#openZip(version, onSize, false);
    return new ReadableStream<Uint8Array>({
      async pull(c) {
        let chunk: Uint8Array | undefined;
        try {
          chunk = await body.next();
        } catch (e) {
          c.error(e);
          return;
        }
        if (chunk === undefined) c.close();
        else c.enqueue(chunk);
      },
      cancel: (reason) => body.cancel(reason),
    });
  }

  /**
   * zipTo copies the zip of version into dst (proxyRepo.Zip), streamed as
   * zip() streams it. Each chunk handed to dst.write is valid only until
   * the write returns (or its promise settles): the next one is read into
   * the same memory (a BYOB read where the body is a byte stream, as
   * fetch's is), so a download allocates no buffer per chunk; a
   * toolchain's 70 MB in fresh fetch chunks kept ~25 MB more RSS until
   * the garbage collector ran.
   */
  async zipTo(dst: ZipSink, version: string): Promise<void> {
    const body = await this.#openZip(version, (n) => dst.declaredSize?.(n), true);
    try {
      for (;;) {
        const chunk = await body.next();
        if (chunk === undefined) return;
        await dst.write(chunk);
      }
    } catch (e) {
      await body.cancel(e).catch(() => {});
      throw e;
    }
  }

  // openZip asks for the zip and returns its body as a sequence of chunks
  // (see zip for the limits, resumes and errors); with reuse, each chunk
  // is valid only until the next is asked for.
  async #openZip(
    version: string,
    onSize: ((bytes: number) => void) | undefined,
    reuse: boolean,
  ): Promise<{ next(): Promise<Uint8Array | undefined>; cancel(reason?: unknown): Promise<void> }> {
    if (version !== canonicalVersion(version)) {
      throw this.#versionError(
        version,
        new Error("internal error: version passed to Zip is not canonical"),
      );
    }
    const url = this.url(`@v/${escapeVersion(version)}.zip`);
    const shown = redacted(url);
    let res: HttpResponse;
    try {
      res = await this.#get(url);
      const err = await responseError(shown, res);
      if (err !== undefined) throw err;
    } catch (e) {
      throw this.#versionError(version, e as Error);
    }
    // Lengths and ranges count the bytes on the wire: with a Content-Encoding
    // they are not the bytes read, so such a transfer is never resumed.
    const identity = (res.headers.get("content-encoding") ?? "identity").toLowerCase() ===
      "identity";
    let total = identity ? contentLength(res.headers) : undefined;
    // The declared length only drives progress reports; the cap below holds regardless.
    if (total !== undefined && total > 0) onSize?.(total);
    const resumable = identity && /^https?:/i.test(url);
    const ifRange = ifRangeValidator(res.headers);
    const path = this.path;
    const signal = this.#opts.signal;
    // One buffer for the whole transfer, resumes included.
    const chunks = new ChunkBuffer(reuse);
    let reader = chunks.reader(res.body ?? emptyStream());
    let n = 0;
    let resumes = 0;
    const resume = async (): Promise<boolean> => {
      while (resumes < maxZipResumes && !signal?.aborted) {
        resumes++;
        const headers: Record<string, string> = { range: `bytes=${n}-` };
        if (ifRange !== undefined) headers["if-range"] = ifRange;
        let r: HttpResponse;
        try {
          r = await this.#get(url, headers);
        } catch (e) {
          // A malformed GOAUTH ends the command (base.Fatalf).
          if (goAuthErrorIn(e) !== undefined) throw e;
          // No answer at all: wait a little, then ask again.
          await sleep(250 * resumes, signal);
          continue;
        }
        const range = r.status === 206
          ? parseContentRange(r.headers.get("content-range"))
          : undefined;
        const sameEncoding = (r.headers.get("content-encoding") ?? "identity").toLowerCase() ===
          "identity";
        if (
          range === undefined || !sameEncoding || range.first !== n ||
          range.last !== range.size - 1 || (total !== undefined && range.size !== total)
        ) {
          // A 200 (ranges unsupported, or If-Range saw another file), a
          // 416, an error or a range that does not fit: start over instead.
          await r.body?.cancel().catch(() => {});
          return false;
        }
        total = range.size;
        reader = chunks.reader(r.body ?? emptyStream());
        return true;
      }
      return false;
    };
    return {
      async next() {
        for (;;) {
          let r: ReadableStreamReadResult<Uint8Array>;
          try {
            r = await reader.read();
            // A body that ends short of its length (io.ErrUnexpectedEOF).
            if (r.done && total !== undefined && n < total) throw new Error("unexpected EOF");
          } catch (e) {
            // A malformed GOAUTH in resume ends everything as it is.
            if (resumable && !signal?.aborted && await resume()) continue;
            throw versionErrorFor(path, version, readError(shown, e));
          }
          if (r.done) return undefined;
          n += r.value.length;
          if (n > maxZipFile) {
            await reader.cancel().catch(() => {});
            throw versionErrorFor(path, version, new Error("downloaded zip file too large"));
          }
          return r.value;
        }
      },
      cancel: (reason) => reader.cancel(reason),
    };
  }
}

// zipChunkSize is the size of the buffer a zip download reads into.
const zipChunkSize = 256 << 10;

// ChunkBuffer reads response bodies. With reuse, it reads each body that is
// a byte stream (fetch's) into one buffer it keeps (BYOB reads), so each
// chunk is valid only until the next read; other bodies, and every body
// without reuse, are read the usual way, a fresh chunk each.
class ChunkBuffer {
  #buf: ArrayBuffer | undefined;

  constructor(readonly reuse: boolean) {}

  reader(body: ReadableStream<Uint8Array>): {
    read(): Promise<ReadableStreamReadResult<Uint8Array>>;
    cancel(reason?: unknown): Promise<void>;
  } {
    let byob: ReadableStreamBYOBReader | undefined;
    if (this.reuse) {
      try {
        byob = body.getReader({ mode: "byob" });
      } catch {
        // Not a byte stream.
      }
    }
    if (byob === undefined) return body.getReader();
    const r = byob;
    return {
      read: async () => {
        // The read takes the buffer over (it is detached) and hands it back
        // in its result: keep that one for the next read.
        const view = new Uint8Array(this.#buf ?? new ArrayBuffer(zipChunkSize));
        this.#buf = undefined;
        const got = await r.read(view);
        if (got.value !== undefined) this.#buf = got.value.buffer as ArrayBuffer;
        return got.done ? { done: true, value: undefined } : { done: false, value: got.value! };
      },
      cancel: (reason) => r.cancel(reason),
    };
  }
}

function versionErrorFor(path: string, version: string, err: Error): ModuleError {
  return new ModuleError(path, version, err);
}

// readError is Go's &url.Error{Op: "read", URL, Err}: `read "<url>": <err>`.
function readError(url: string, e: unknown): Error {
  const msg = e instanceof Error ? e.message : String(e);
  return new Error(`read ${goQuote(url)}: ${msg}`, { cause: e });
}

function emptyStream(): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (c) => c.close() });
}

// contentLength returns a valid Content-Length, or undefined.
function contentLength(h: Headers): number | undefined {
  const v = h.get("content-length");
  if (v === null || !/^\d+$/.test(v.trim())) return undefined;
  const n = Number(v.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

// ifRangeValidator returns the If-Range value that pins a resume to the file
// first served: a strong ETag, else Last-Modified (RFC 9110 §13.1.5), or
// undefined when the answer had neither (the range is then asked without).
function ifRangeValidator(h: Headers): string | undefined {
  const etag = h.get("etag");
  if (etag !== null && /^"[^"]*"$/.test(etag.trim())) return etag.trim();
  return h.get("last-modified") ?? undefined;
}

/**
 * parseContentRange reads `bytes <first>-<last>/<size>` (RFC 9110 §14.4);
 * anything else, an unknown size ("*") included, is undefined.
 */
function parseContentRange(
  v: string | null,
): { first: number; last: number; size: number } | undefined {
  const m = v === null ? null : /^\s*bytes\s+(\d+)-(\d+)\/(\d+)\s*$/i.exec(v);
  if (m === null) return undefined;
  const [first, last, size] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (![first, last, size].every(Number.isSafeInteger) || first > last || last >= size) {
    return undefined;
  }
  return { first, last, size };
}

// sleep waits ms milliseconds, or less if signal aborts.
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(id);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const id = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
