/**
 * Where Go toolchain archives come from, behind one Source interface.
 *
 * - `godl`: go.dev/dl archives, listed by `?mode=json&include=all`; integrity
 *   is the listing's SHA-256 (an empty hash is refused).
 * - `microsoft`: the Microsoft build of Go via aka.ms links; SHA-256 from
 *   go<V>.assets.json cross-checked with the .sha256 sibling, plus a detached
 *   OpenPGP signature by the pinned key B035FAC203AB9A45AAC802B4811005347B8E732C
 *   for tarballs. Windows zips have no signature (see windowsIntegrityNotice).
 * - `goproxy` (golang.org/toolchain through GOPROXY) is named by SourceName but
 *   served by lib/cache and lib/proxy, not here.
 *
 * Queries: "latest", "1.22" (newest 1.22.x), "1.22.5" / "go1.22.5", and for
 * Microsoft also "1.22.5-1" (one pinned build).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dlPlatform, parseMsQuery } from "./mod.ts";
 * assert.equal(dlPlatform({ goos: "linux", goarch: "arm" }), "linux-armv6l");
 * assert.equal(parseMsQuery("go1.22.5-1")?.granularity, "pinned");
 * ```
 *
 * @module
 */

export {
  type ArchiveKind,
  archiveKindOf,
  type Artifact,
  type Integrity,
  isHexSha256,
  type ListOptions,
  plainHttpNotice,
  type Platform,
  type Release,
  type ReleaseFile,
  ResolveError,
  SecurityError,
  type Source,
  type SourceName,
  type Verification,
} from "./source.ts";
export { getOk, type HttpClient, type HttpResponse, HttpStatusError, readCapped } from "./http.ts";
export {
  artifactFor,
  dlArch,
  dlPlatform,
  filterReleases,
  godlDefaultBase,
  type GodlOptions,
  GodlSource,
  parseListing,
  selectRelease,
} from "./godl.ts";
export {
  archFor,
  type AssetsArch,
  type BuildAssets,
  linkVersion,
  microsoftDefaultBase,
  microsoftKeyUrl,
  type MicrosoftOptions,
  MicrosoftSource,
  msExt,
  msPlatform,
  parseAssets,
  parseSha256File,
  windowsIntegrityNotice,
} from "./microsoft.ts";
export {
  type Granularity,
  msFull,
  msMajorMinor,
  msMajorMinorPatch,
  msUpstream,
  type MsVersion,
  newMsVersion,
  parseMsQuery,
} from "./ms_version.ts";
export {
  microsoftKeyFingerprint,
  normalizeFingerprint,
  type PinnedKey,
  readPinnedKey,
  verifyDetached,
} from "./pgp.ts";
export { checkBaseUrl, type Sources, sourcesFromEnv, type SourcesInput } from "./env.ts";
