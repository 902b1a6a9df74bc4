/**
 * The real machine's side of toolchain installs: HTTP, the module cache file
 * system and zip codec, checksum-database storage where the go command keeps
 * it, and GOAUTH credentials (auth_cmd.ts).
 *
 * @module
 */

import { splitList } from "../_internal/path.ts";
import type { GoEnv } from "../goenv/mod.ts";
import type { GoproxyDeps } from "../install/mod.ts";
import { hostAuthenticator } from "./auth_cmd.ts";
import { denoWriteFs } from "./fs_write.ts";
import { denoHttp } from "./http.ts";
import { diskClientOps } from "./sumdb_ops.ts";
import { nodeCodec } from "./zip_codec.ts";

/**
 * hostGoproxyDeps wires installFromGoproxy to this machine for the settings
 * in env. Each call has its own GOAUTH state (commands run once per call, as
 * once per go command), shared by the proxy and checksum-database requests
 * made with the deps.
 */
export function hostGoproxyDeps(env: GoEnv, goos: string, signal?: AbortSignal): GoproxyDeps {
  const gomodcache = env.lookup("GOMODCACHE").value;
  const gopath = splitList(env.lookup("GOPATH").value, env.pathStyle)[0] ?? "";
  if (gomodcache === "") {
    throw new Error("GOMODCACHE is not set and there is no GOPATH: set HOME or GOPATH");
  }
  return {
    env,
    http: denoHttp,
    cache: { fs: denoWriteFs, codec: nodeCodec, gomodcache, goos },
    // http is denoHttp with GOAUTH's credentials (installFromGoproxy's authHttp).
    sumdbOps: (db, proxies, http) =>
      diskClientOps({ db, gopath, gomodcache, remote: { http, proxies } }),
    auth: hostAuthenticator(env, denoHttp),
    signal,
  };
}
