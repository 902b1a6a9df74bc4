/**
 * The real machine's side of toolchain installs: HTTP, the module cache file
 * system and zip codec, checksum-database storage where the go command keeps
 * it, and .netrc credentials.
 *
 * @module
 */

import { splitList } from "../_internal/path.ts";
import type { GoEnv } from "../goenv/mod.ts";
import type { GoproxyDeps } from "../install/mod.ts";
import { type NetrcLine, netrcPath, readNetrc } from "../proxy/mod.ts";
import { denoFs } from "./fs.ts";
import { denoWriteFs } from "./fs_write.ts";
import { denoHttp } from "./http.ts";
import { diskClientOps } from "./sumdb_ops.ts";
import { nodeCodec } from "./zip_codec.ts";

/** hostGoproxyDeps wires installFromGoproxy to this machine for the settings in env. */
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
    sumdbOps: (db, proxies) =>
      diskClientOps({ db, gopath, gomodcache, remote: { http: denoHttp, proxies } }),
    netrc: hostNetrc(env),
    signal,
  };
}

function hostNetrc(env: GoEnv): NetrcLine[] {
  // GOAUTH=off turns credentials off; netrc is the default.
  if (env.lookup("GOAUTH").value.split(";").map((s) => s.trim()).includes("off")) return [];
  try {
    const home = env.osGetenv(env.goos === "windows" ? "USERPROFILE" : "HOME");
    const path = netrcPath({ NETRC: env.osGetenv("NETRC"), home }, denoFs, env.pathStyle);
    return readNetrc(path, denoFs);
  } catch {
    return [];
  }
}
