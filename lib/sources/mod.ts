/**
 * Where Go toolchain archives come from, behind one Source interface.
 *
 * - `godl`: go.dev/dl archives, listed by `?mode=json&include=all`; integrity
 *   is the listing's SHA-256 (an empty hash is refused) plus, for tarballs, the
 *   detached `.asc` signature by Google's pinned key
 *   EB4C1BFD4F042F6DDDCCEC917721F63BD38B4796. Windows zips are not signed
 *   (see godlZipNotice).
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
 * Security decisions:
 *
 * - A missing, empty or malformed SHA-256 is a refusal (SecurityError), never a pass.
 * - A signing key is used only if its primary fingerprint is pinned
 *   (microsoftKeyFingerprint, from microsoft/go-images PR #633;
 *   googleKeyFingerprint, from docker-library/golang's Dockerfiles); the key
 *   itself is fetched from microsoftKeyUrl / godlKeyUrl or read from
 *   GTC_MICROSOFT_KEY / GTC_GODL_KEY. Only an explicit `trustedFingerprints`
 *   option changes the pin (tests). Both sources check signatures through
 *   pgp.ts's SignatureChecker.
 * - Windows zips of the Microsoft build are not signed, and nothing signs
 *   assets.json or the .sha256 files (go-infra uploads them beside the
 *   archives; only archives get .sig). Their integrity is HTTPS plus a SHA-256
 *   from the same origin; resolve attaches windowsIntegrityNotice to the
 *   Artifact and the store records it, for the CLI to print.
 * - go.dev/dl tarballs need both the listing's SHA-256 and a valid .asc; a
 *   missing .asc (404) is a refusal, never a pass. go.dev/dl Windows zips rest
 *   on the listing's SHA-256 over HTTPS alone (godlZipNotice).
 * - Mirrors change where bytes come from, not what they are checked against;
 *   a plain-http mirror adds plainHttpNotice.
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
  godlFileListing,
  godlKeyUrl,
  type GodlOptions,
  GodlSource,
  godlZipNotice,
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
  googleKeyFingerprint,
  microsoftKeyFingerprint,
  normalizeFingerprint,
  type PinnedKey,
  type PinnedKeyOptions,
  readPinnedKey,
  SignatureChecker,
  verifyDetached,
} from "./pgp.ts";
export { checkBaseUrl, type Sources, sourcesFromEnv, type SourcesInput } from "./env.ts";
