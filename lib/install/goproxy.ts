/**
 * Installing a golang.org/toolchain module the way the go command's
 * toolchain switch does: fetch the zip through GOPROXY (lib/proxy), verify
 * its h1: hash against the checksum database (lib/sumdb), and put it into
 * the shared module cache (lib/cache), so that the go command later runs it
 * without downloading again.
 *
 * One rule is stricter than the go command: the checksum database is
 * required even when GOPROXY is a single file:// URL (cmd/go's modfetch
 * useSumDB exempts that case to test distpacks). gtc never installs a
 * toolchain without a checksum-database proof.
 *
 * @module
 */

import { compare, fromToolchain, isLang } from "../gover/mod.ts";
import type { GoEnv } from "../goenv/mod.ts";
import { toolchainModuleVersion } from "../module/mod.ts";
import {
  type Authenticator,
  authHttp,
  fetchZip,
  goAuthErrorIn,
  type HttpClient,
  isNotExist,
  listVersions,
  proxyList,
} from "../proxy/mod.ts";
import {
  checkToolchainSum,
  type ClientOps,
  dial,
  type ProxyEntry,
  type SumDB,
} from "../sumdb/mod.ts";
import {
  type CacheEnv,
  cachePaths,
  install as cacheInstall,
  type InstallEvent,
  type InstallResult,
  isDownloaded,
} from "../cache/mod.ts";

/** The path of the toolchain modules. */
export const toolchainPath = "golang.org/toolchain";

/** The go command's default GOPROXY when no layer sets one (cfg.GOPROXY falls back to it). */
const defaultGoproxy = "https://proxy.golang.org,direct";

/** What installFromGoproxy needs from the machine and the settings. */
export interface GoproxyDeps {
  env: GoEnv;
  /** The HTTP client, without credentials (GOAUTH's are added from auth). */
  http: HttpClient;
  cache: CacheEnv;
  /**
   * The checksum-database storage for db (lib/host/sumdb_ops.ts
   * diskClientOps on a real machine); remote reads must go through http,
   * which is GoproxyDeps.http with GOAUTH's credentials (authHttp), as the
   * go command reads the database through web.Get.
   */
  sumdbOps: (db: SumDB, proxies: readonly ProxyEntry[], http: HttpClient) => ClientOps;
  /**
   * GOAUTH for this operation (lib/host/auth_cmd.ts hostAuthenticator on a
   * real machine): credentials on https requests to proxies, go-import
   * lookups and the checksum database. @default none, as GOAUTH=off
   */
  auth?: Authenticator;
  signal?: AbortSignal;
}

/** One toolchain to install for one platform. */
export interface GoproxyRequest {
  /** The toolchain name: "go1.22.0", "go1.23rc1". */
  name: string;
  goos: string;
  goarch: string;
  onEvent?: (e: InstallEvent) => void;
}

/** The outcome: the cache install, and the module version it was. */
export interface GoproxyResult extends InstallResult {
  module: string;
  version: string;
}

/**
 * InstallError is a failed toolchain install, worded as the go command's
 * toolchain switch words it ("download go1.22.0: …"), without the "go: ".
 */
export class InstallError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InstallError";
  }
}

function setting(env: GoEnv, key: string): string {
  return env.lookup(key).value;
}

/**
 * notAvailable is the go command's error (without "go: ") for a toolchain
 * the proxies do not have: "download go1.22.0 for linux/amd64: toolchain
 * not available", or, for a language version that names no release,
 * "invalid toolchain: go1.22 is a language version but not a toolchain
 * version (go1.22.x)".
 */
export function notAvailable(name: string, goos: string, goarch: string): string {
  const tv = fromToolchain(name);
  if (isLang(tv) && compare(tv, "1.21") >= 0) {
    return `invalid toolchain: ${name} is a language version but not a toolchain version (${name}.x)`;
  }
  return `download ${name} for ${goos}/${goarch}: toolchain not available`;
}

/**
 * installFromGoproxy downloads (if needed), verifies and extracts toolchain
 * req.name into GOMODCACHE. The zip is verified against the checksum
 * database on every call, cache hits included, as the go command's checkMod.
 *
 * @throws {InstallError} worded like the go command: "download go1.22.0 for
 * linux/amd64: toolchain not available", "download go1.22.0:
 * golang.org/toolchain@v0.0.1-go1.22.0.linux-amd64: verifying module:
 * checksum mismatch …".
 * @throws {GoAuthError} (lib/proxy) unwrapped, with the go command's text,
 * when GOAUTH is malformed: "GOAUTH encountered an empty command (GOAUTH=;)".
 */
export async function installFromGoproxy(
  deps: GoproxyDeps,
  req: GoproxyRequest,
): Promise<GoproxyResult> {
  const { env } = deps;
  const { name, goos, goarch } = req;
  if (fromToolchain(name) === "") {
    throw new InstallError(`invalid toolchain name ${JSON.stringify(name)}`);
  }
  const version = toolchainModuleVersion(name, goos, goarch);
  const goproxy = setting(env, "GOPROXY") || defaultGoproxy;
  const gonoproxy = setting(env, "GONOPROXY");
  let proxies: ProxyEntry[];
  try {
    proxies = proxyList(goproxy, gonoproxy);
  } catch (e) {
    throw new InstallError(`download ${name}: ${(e as Error).message}`, { cause: e });
  }
  const gosumdb = setting(env, "GOSUMDB") || "sum.golang.org";
  const sumdbHttp = authHttp(deps.http, deps.auth);
  const conn = dial(gosumdb, (db) => deps.sumdbOps(db, proxies, sumdbHttp));
  const fetchOpts = {
    goproxy,
    gonoproxy,
    goinsecure: setting(env, "GOINSECURE"),
    http: deps.http,
    auth: deps.auth,
    signal: deps.signal,
  };
  // A tree already extracted is verified by checkMod, whose failure Exec
  // prints as it is; only a download failure is "download <name>: …".
  const wasCached = isDownloaded(
    deps.cache.fs,
    cachePaths(deps.cache.gomodcache, { path: toolchainPath, version }, deps.cache.fs.pathStyle),
  );
  try {
    const r = await cacheInstall(deps.cache, {
      module: { path: toolchainPath, version },
      fetchZipTo: async (dst) => {
        await fetchZip(toolchainPath, version, { ...fetchOpts, dst });
      },
      verify: (h1) => checkToolchainSum(conn, { path: toolchainPath, version, zipHash: h1 }),
      onEvent: req.onEvent,
    });
    return { ...r, module: toolchainPath, version };
  } catch (e) {
    // A malformed GOAUTH ends the go command with its own message.
    const fatal = goAuthErrorIn(e);
    if (fatal !== undefined) throw fatal;
    // Exec's wording: a toolchain the proxies do not have is "not available";
    // a language version names no release at all.
    if (isNotExist(e)) throw new InstallError(notAvailable(name, goos, goarch), { cause: e });
    if (wasCached) throw new InstallError((e as Error).message, { cause: e });
    throw new InstallError(`download ${name}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * listToolchainVersions lists the golang.org/toolchain module versions the
 * proxies offer (every platform), as the go command's autoToolchains reads
 * them; turn them into Go versions with lib/toolchain autoToolchainVersions.
 */
export async function listToolchainVersions(
  deps: Pick<GoproxyDeps, "env" | "http" | "auth" | "signal">,
): Promise<string[]> {
  const { env } = deps;
  return await listVersions(toolchainPath, {
    goproxy: setting(env, "GOPROXY") || defaultGoproxy,
    gonoproxy: setting(env, "GONOPROXY"),
    goinsecure: setting(env, "GOINSECURE"),
    http: deps.http,
    auth: deps.auth,
    signal: deps.signal,
  });
}
