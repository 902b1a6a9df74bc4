/**
 * Fetching modules the way the go command does: the GOPROXY list and its
 * fall-through rules, GONOPROXY/GOPRIVATE routing, GOINSECURE, GOAUTH
 * credentials (netrc, git, commands) and the module proxy protocol
 * (cmd/go/internal/modfetch, web and auth; go1.26).
 *
 * GOPROXY is a list of proxy URLs and the keywords `direct` and `off`,
 * joined by `,` (try the next entry only if this one answers 404 or 410) or
 * `|` (try the next entry after any error). A proxy serves
 * `$base/$module/@v/list`, `@v/$version.info`, `.mod` and `.zip`, with
 * upper-case letters of the module path and version case-encoded as `!x`
 * (sent as `%21x`). `direct` for golang.org/toolchain follows the go-import
 * `mod` meta tag at https://golang.org/toolchain?go-get=1 to
 * https://go.dev/dl/mod and uses that as a proxy.
 *
 * I/O goes through {@linkcode HttpClient} (lib/host/http.ts implements it);
 * zips are streamed into a {@linkcode ZipSink}, never held in memory.
 *
 * @example Parsing GOPROXY and ranking errors
 * ```ts
 * import assert from "node:assert/strict";
 * import { errProxyOff, proxyList, route, tryProxies } from "./mod.ts";
 *
 * const list = proxyList("proxy.example.com|direct", "");
 * assert.deepEqual(list, [
 *   { url: "https://proxy.example.com", fallBackOnError: true },
 *   { url: "direct", fallBackOnError: false },
 * ]);
 * assert.deepEqual(route("off", "golang.org/toolchain", ""), { kind: "error", error: errProxyOff });
 *
 * const got = await tryProxies(list, (proxy) =>
 *   proxy === "direct" ? Promise.resolve("from direct") : Promise.reject(new Error("500")));
 * assert.equal(got, "from direct");
 * ```
 *
 * @example Streaming a toolchain zip from a file:// proxy
 * ```ts
 * import assert from "node:assert/strict";
 * import { fetchZip } from "./mod.ts";
 * import { newDenoHttp } from "../host/http.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const v = "v0.0.1-go1.21.3.linux-amd64";
 * await Deno.mkdir(`${dir}/golang.org/toolchain/@v`, { recursive: true });
 * await Deno.writeTextFile(`${dir}/golang.org/toolchain/@v/${v}.zip`, "PK…");
 *
 * let size = 0;
 * const dst = { write: (c: Uint8Array) => void (size += c.length), reset: () => void (size = 0) };
 * const { url } = await fetchZip("golang.org/toolchain", v, {
 *   goproxy: `file://${dir}/missing,file://${dir}`,
 *   http: newDenoHttp(),
 *   dst,
 * });
 * assert.equal(url, `file://${dir}/golang.org/toolchain/@v/${v}.zip`);
 * assert.equal(size, 5);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */

export {
  checkRedirect,
  type HttpClient,
  type HttpResponse,
  isRedirect,
  maxRedirects,
  redacted,
  sensitiveHeaders,
  shouldCopyHeaderOnRedirect,
  status,
} from "./http.ts";
export {
  checkProxyURL,
  proxyList,
  type ProxyListOptions,
  type ProxySpec,
  type Route,
  route,
  tryProxies,
} from "./list.ts";
export {
  errNoproxy,
  errProxyOff,
  errUseProxy,
  formatErrorDetail,
  HttpError,
  isNotExist,
  NotExistError,
  responseError,
} from "./errors.ts";
export { type NetrcEnv, type NetrcLine, netrcPath, parseNetrc, readNetrc } from "./netrc.ts";
export {
  type AuthDeps,
  Authenticator,
  authHttp,
  basicAuth,
  canonicalMIMEHeaderKey,
  type CommandResult,
  type CommandRunner,
  CredentialCache,
  GoAuthError,
  goAuthErrorIn,
  type GoAuthMethod,
  type Header,
  parseGitAuth,
  parseGoAuth,
  parseUserAuth,
  quotedSplit,
  responseText,
} from "./auth.ts";
export { maxZipFile, ProxyRepo, type RepoOptions, type RevInfo, type ZipSink } from "./client.ts";
export {
  type DirectOptions,
  lookupDirect,
  matchGoImport,
  type MetaImport,
  parseMetaGoImports,
} from "./direct.ts";
export { type FetchOptions, fetchZip, listVersions } from "./fetch.ts";
export { maxZipResumes } from "./client.ts";
