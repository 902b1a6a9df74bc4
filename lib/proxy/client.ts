/**
 * The module proxy protocol client (cmd/go/internal/modfetch proxy.go
 * proxyRepo, go1.26): `$base/$module/@v/list`, `@v/$version.info`,
 * `@v/$version.mod` and `@v/$version.zip`, with the module path and version
 * case-encoded ("!" goes out as "%21") and Basic credentials from .netrc on
 * https requests only.
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
import type { Credentials } from "./netrc.ts";
import type { HttpClient } from "./http.ts";
import { redacted } from "./http.ts";
import { readAll, responseError } from "./errors.ts";
import { type GoURL, parseURL, urlString, withPath } from "./_url.ts";
import { checkProxyURL } from "./list.ts";

/** maxZipFile is codehost.MaxZipFile: the largest module zip the go command accepts (500 MiB). */
export const maxZipFile = 500 << 20;

/** RevInfo is a version's .info (modfetch.RevInfo, as the proxy sends it). */
export interface RevInfo {
  /** The canonical version, "v0.0.1-go1.21.3.linux-amd64". */
  Version: string;
  /** RFC 3339 commit or release time. */
  Time: string;
}

/** RepoOptions are what a ProxyRepo fetches with. */
export interface RepoOptions {
  http: HttpClient;
  /** Credentials to send on https requests (GOAUTH=netrc); none if absent. */
  credentials?: Credentials;
  signal?: AbortSignal;
}

/**
 * ZipSink receives a zip as it streams in. The go command writes into a temp
 * file and truncates it when a proxy fails part way, before trying the next.
 */
export interface ZipSink {
  /** write appends a chunk; it may be called many times. */
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
  }

  /** url returns the request URL for a path under the module ("@v/list"), as sent and as printed. */
  url(p: string): string {
    return urlString(withPath(this.#url, p, false));
  }

  // versionError wraps err for path@version (proxyRepo.versionError).
  #versionError(version: string, err: Error): ModuleError {
    if (version !== "" && version !== canonicalVersion(version)) {
      return new ModuleError(
        this.path,
        "",
        new InvalidVersionError(version, isPseudoVersion(version), err.message, { cause: err }),
      );
    }
    return new ModuleError(this.path, version, err);
  }

  async #getBody(
    p: string,
  ): Promise<{ body: ReadableStream<Uint8Array>; url: string; size?: number }> {
    const url = this.url(p);
    const headers = this.#opts.credentials?.authorizationFor(url) ?? {};
    const res = await this.#opts.http.get(url, { headers, signal: this.#opts.signal });
    const err = await responseError(redacted(url), res);
    if (err !== undefined) throw err;
    const length = Number(res.headers.get("content-length") ?? "");
    return {
      body: res.body ?? new ReadableStream({ start: (c) => c.close() }),
      url: redacted(url),
      ...(Number.isSafeInteger(length) && length > 0 ? { size: length } : {}),
    };
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
   */
  async zip(
    version: string,
    onSize?: (bytes: number) => void,
  ): Promise<ReadableStream<Uint8Array>> {
    if (version !== canonicalVersion(version)) {
      throw this.#versionError(
        version,
        new Error("internal error: version passed to Zip is not canonical"),
      );
    }
    let got: { body: ReadableStream<Uint8Array>; url: string; size?: number };
    try {
      got = await this.#getBody(`@v/${escapeVersion(version)}.zip`);
    } catch (e) {
      throw this.#versionError(version, e as Error);
    }
    // The declared length only drives progress reports; the cap below holds regardless.
    if (got.size !== undefined) onSize?.(got.size);
    const { body, url } = got;
    let n = 0;
    const path = this.path;
    const reader = body.getReader();
    return new ReadableStream<Uint8Array>({
      async pull(c) {
        let r: ReadableStreamReadResult<Uint8Array>;
        try {
          r = await reader.read();
        } catch (e) {
          c.error(versionErrorFor(path, version, readError(url, e)));
          return;
        }
        if (r.done) {
          c.close();
          return;
        }
        n += r.value.length;
        if (n > maxZipFile) {
          await reader.cancel().catch(() => {});
          c.error(versionErrorFor(path, version, new Error("downloaded zip file too large")));
          return;
        }
        c.enqueue(r.value);
      },
      async cancel(reason) {
        await reader.cancel(reason);
      },
    });
  }

  /** zipTo copies the zip of version into dst (proxyRepo.Zip). */
  async zipTo(dst: ZipSink, version: string): Promise<void> {
    const body = await this.zip(version, (n) => dst.declaredSize?.(n));
    for await (const chunk of body) await dst.write(chunk);
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
