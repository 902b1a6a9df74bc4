/**
 * Building the sources from gtc's environment: mirrors for air-gapped and
 * enterprise networks, and local copies of the signing keys.
 *
 * | Variable | Meaning |
 * | --- | --- |
 * | GTC_GODL_MIRROR | base URL replacing https://go.dev/dl (serves `?mode=json&include=all`, the archives and each tarball's `.asc` signature; a file: directory holds the listing as index.json) |
 * | GTC_GODL_KEY | path of Google's Linux package signing key file (https://dl.google.com/linux/linux_signing_key.pub); used instead of downloading it, and still pinned |
 * | GTC_MICROSOFT_MIRROR | base URL replacing https://aka.ms/golang/release/latest (same file names) |
 * | GTC_MICROSOFT_KEY | path of the Microsoft public key file; used instead of downloading it, and still pinned |
 *
 * A mirror changes where bytes come from, never what they are checked
 * against: go.dev/dl archives must match the mirror's listing and (tarballs)
 * carry a signature by Google's pinned key, and Microsoft archives must still
 * carry a signature by Microsoft's pinned key. An air-gapped machine sets the
 * KEY variables too, since the keys are otherwise downloaded from Google and
 * Microsoft.
 *
 * @module
 */

import type { ReadFs } from "../_internal/sys.ts";
import { GodlSource } from "./godl.ts";
import type { HttpClient } from "./http.ts";
import { MicrosoftSource } from "./microsoft.ts";

/** SourcesInput is what sourcesFromEnv needs from the host. */
export interface SourcesInput {
  http: HttpClient;
  env: Record<string, string | undefined>;
  /** Reads GTC_MICROSOFT_KEY and GTC_GODL_KEY. */
  fs: ReadFs;
}

/** Sources holds one configured instance of each downloadable source. */
export interface Sources {
  godl: GodlSource;
  microsoft: MicrosoftSource;
}

/** checkBaseUrl rejects mirror settings that are not absolute https, http or file URLs. */
export function checkBaseUrl(name: string, value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`invalid ${name} ${JSON.stringify(value)}: not an absolute URL`);
  }
  // file: serves an air-gapped mirror from disk (lib/host/http.ts reads file: URLs).
  if (u.protocol !== "https:" && u.protocol !== "http:" && u.protocol !== "file:") {
    throw new Error(`invalid ${name} ${JSON.stringify(value)}: scheme must be https, http or file`);
  }
  return value.replace(/\/+$/, "");
}

/**
 * sourcesFromEnv builds the go.dev/dl and Microsoft sources, applying
 * GTC_GODL_MIRROR, GTC_GODL_KEY, GTC_MICROSOFT_MIRROR and GTC_MICROSOFT_KEY.
 * An empty variable means the default. Key files are read when first needed.
 */
export function sourcesFromEnv(input: SourcesInput): Sources {
  const { env } = input;
  const godlMirror = env.GTC_GODL_MIRROR ?? "";
  const msMirror = env.GTC_MICROSOFT_MIRROR ?? "";
  // keyFile maps a KEY variable to the options reading that file lazily.
  const keyFile = (name: string) => {
    const path = env[name] ?? "";
    return path === "" ? {} : { key: () => input.fs.readFile(path), keyOrigin: path };
  };
  const godl = new GodlSource({
    http: input.http,
    ...(godlMirror !== "" ? { baseUrl: checkBaseUrl("GTC_GODL_MIRROR", godlMirror) } : {}),
    ...keyFile("GTC_GODL_KEY"),
  });
  const microsoft = new MicrosoftSource({
    http: input.http,
    ...(msMirror !== "" ? { baseUrl: checkBaseUrl("GTC_MICROSOFT_MIRROR", msMirror) } : {}),
    ...keyFile("GTC_MICROSOFT_KEY"),
  });
  return { godl, microsoft };
}
