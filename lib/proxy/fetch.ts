/**
 * Fetching a module through the GOPROXY list: proxyList + tryProxies + the
 * per-entry routing of modfetch.lookup, over ProxyRepo and lookupDirect
 * (cmd/go/internal/modfetch fetch.go downloadZip, go1.26).
 *
 * @module
 */

import { type HttpClient, redacted } from "./http.ts";
import type { Authenticator } from "./auth.ts";
import { proxyList, type ProxySpec, route, tryProxies } from "./list.ts";
import { ProxyRepo, type RepoOptions, type ZipSink } from "./client.ts";
import { lookupDirect } from "./direct.ts";
import type { PathStyle } from "../_internal/path.ts";
import { escapeVersion } from "../module/mod.ts";

/** FetchOptions are the go settings and I/O a fetch uses. */
export interface FetchOptions {
  /** GOPROXY, already resolved ("https://proxy.golang.org,direct" by default in go.env). */
  goproxy: string;
  /** GONOPROXY (defaults to GOPRIVATE in the go command). @default "" */
  gonoproxy?: string;
  /** GOINSECURE. @default "" */
  goinsecure?: string;
  http: HttpClient;
  /**
   * GOAUTH's credentials, sent on https only (and asked again after a 4xx
   * answer). @default none, as GOAUTH=off
   */
  auth?: Authenticator;
  signal?: AbortSignal;
  /** The host's path style, for absolute-path GOPROXY entries. @default "posix" */
  pathStyle?: PathStyle;
}

function repoOptions(o: FetchOptions): RepoOptions {
  return { http: o.http, auth: o.auth, signal: o.signal };
}

function proxies(o: FetchOptions): ProxySpec[] {
  return proxyList(o.goproxy, o.gonoproxy ?? "", { pathStyle: o.pathStyle });
}

// lookup returns the repo an entry means for path, or throws the entry's
// routing error (modfetch.lookup).
async function lookup(proxy: string, path: string, o: FetchOptions): Promise<ProxyRepo> {
  const r = route(proxy, path, o.gonoproxy ?? "");
  switch (r.kind) {
    case "error":
      throw r.error;
    case "direct":
      return await lookupDirect(path, { ...repoOptions(o), goinsecure: o.goinsecure });
    case "proxy":
      return new ProxyRepo(r.url, path, repoOptions(o));
  }
}

/**
 * listVersions returns the tagged versions of a module from the first
 * GOPROXY entry that has them (Versions through TryProxies), sorted.
 *
 * @throws the error tryProxies ranks best; isNotExist tells "no such module".
 */
export async function listVersions(
  path: string,
  options: FetchOptions & { prefix?: string },
): Promise<string[]> {
  return await tryProxies(proxies(options), async (proxy) => {
    const repo = await lookup(proxy, path, options);
    return await repo.versions(options.prefix ?? "");
  });
}

/**
 * fetchZip streams the zip of path@version into dst from the first GOPROXY
 * entry that serves it (modfetch downloadZip's TryProxies loop): dst is reset
 * after every failed attempt, so it holds exactly one complete zip on
 * success. The zip is never held in memory. It returns the URL it came from
 * (redacted).
 *
 * Within one entry, a transfer that breaks part way is resumed where it
 * broke with Range requests to the same URL (ProxyRepo.zip, at most
 * maxZipResumes times, only on a matching 206); only when that fails does
 * the attempt fail, dst get reset and the list go on, as in the go command,
 * which never resumes. The caller still verifies the whole zip.
 *
 * @throws the error tryProxies ranks best, such as
 * `golang.org/toolchain@v0.0.1-go1.99.0.linux-amd64: reading https://…: 404 Not Found`.
 */
export async function fetchZip(
  path: string,
  version: string,
  options: FetchOptions & { dst: ZipSink },
): Promise<{ url: string }> {
  return await tryProxies(proxies(options), async (proxy) => {
    const repo = await lookup(proxy, path, options);
    try {
      await repo.zipTo(options.dst, version);
    } catch (e) {
      // Zip may have partially written to dst before failing; since the list
      // may fall back, make dst empty again for the next attempt.
      await options.dst.reset();
      throw e;
    }
    return { url: redacted(repo.url(`@v/${escapeVersion(version)}.zip`)) };
  });
}
