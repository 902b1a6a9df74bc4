/**
 * The go.dev/dl source: Go's official binary archives, listed by the JSON
 * endpoint of golang/website internal/dl (shared/spec/toolchain-download.md §5).
 *
 * `GET <base>/?mode=json&include=all` returns every release, newest first:
 * `[{"version":"go1.21.3","stable":true,"files":[{"filename","os","arch",
 * "version","sha256","size","kind"}]}]`. Archives are `<base>/<filename>`;
 * go.dev answers them (and `<filename>.asc`) with a 302 to
 * https://dl.google.com/go/<filename> (internal/dl/server.go getHandler), so
 * the bytes come from dl.google.com whichever base is used.
 *
 * Integrity has two independent parts, and both must pass:
 *
 * - The listing's SHA-256. Old files carry an empty sha256 (they only had
 *   SHA-1): gtc refuses those, it never treats "" as a pass.
 * - For .tar.gz archives, the detached armored signature `<archive URL>.asc`
 *   by Google's Linux package signing key, primary fingerprint
 *   googleKeyFingerprint (EB4C 1BFD 4F04 2F6D DDCC EC91 7721 F63B D38B 4796),
 *   fetched from godlKeyUrl or read from GTC_GODL_KEY and used only if that
 *   fingerprint matches. The signatures were added in golang/go#14739
 *   (docker-library/golang's Dockerfile-linux.template verifies them, citing
 *   issuecomment-324767697; golang/go#38910, still open, asks go.dev/dl to
 *   document them; golang/go#35309 shows users checking them in 2019); golang/build's
 *   release workflow (internal/relui computeGPG) signs exactly the "tar.gz"
 *   and "src.tar.gz" artifacts. Because the .asc goes through the same base
 *   as the archive, a GTC_GODL_MIRROR must carry the .asc files too.
 *
 * What has no signature, and what gtc does about it:
 *
 * - Windows .zip archives: relui never signs them and go.dev's file pattern
 *   (`…(tar\.gz|tar\.gz\.asc|pkg|msi|zip)$`) has no `zip.asc`. They are
 *   checked by the listing's SHA-256 alone and carry godlZipNotice, as the
 *   Microsoft source does for its Windows zips.
 * - A .tar.gz whose .asc answers 404: refused (SecurityError naming the URL
 *   and what to do). Google's key was created 2016-04-12 and signing came
 *   with golang/go#14739 after that, so releases published before it may have
 *   no .asc; the public record does not say which old releases were signed
 *   afterwards, so gtc does not guess by version: it refuses what it cannot
 *   verify.
 *
 * @module
 */

import { compare, isValid } from "../gover/mod.ts";
import { getText, type HttpClient } from "./http.ts";
import { googleKeyFingerprint, SignatureChecker } from "./pgp.ts";
import {
  type ArchiveKind,
  archiveKindOf,
  type Artifact,
  isHexSha256,
  joinUrl,
  type ListOptions,
  plainHttpNotice,
  type Platform,
  type Release,
  type ReleaseFile,
  ResolveError,
  SecurityError,
  type Source,
  type Verification,
} from "./source.ts";

/** godlDefaultBase is where go.dev serves the listing and the archives. */
export const godlDefaultBase = "https://go.dev/dl";

/** godlFileListing is the listing's file name in a file: mirror directory. */
export const godlFileListing = "index.json";

/** The listing is ~2 MB today; refuse anything absurdly larger. */
const maxListingBytes = 64 << 20;

/**
 * godlKeyUrl is where Google publishes the key that signs go.dev/dl's .asc
 * files (the URL letsencrypt/boulder's tools/fetch-and-verify-go.sh names as
 * the source of its pinned copy; golang/go#35309 used the same file under
 * /dl/linux/). Only its primary fingerprint is trusted, not the download.
 */
export const godlKeyUrl = "https://dl.google.com/linux/linux_signing_key.pub";

/**
 * isSigned reports whether go.dev/dl publishes a signature for an archive of
 * this kind: golang/build's relui signs "tar.gz" artifacts only. Both
 * artifactFor and verify ask it, so an Artifact claiming less cannot skip the check.
 */
function isSigned(kind: ArchiveKind): boolean {
  return kind === "tar.gz";
}

/** The notice attached to every go.dev/dl Windows zip, which no signature covers. */
export const godlZipNotice =
  "go.dev/dl publishes no signature for Windows zips (only .tar.gz archives have .asc files): " +
  "this archive is checked only against the SHA-256 in the go.dev/dl listing, fetched over HTTPS";

/** What to do when a tarball's .asc is missing, appended to the refusal. */
const missingAscHint =
  "gtc installs go.dev/dl tarballs only with Google's signature. Releases published before " +
  "go.dev/dl began signing (golang/go#14739) may have none; for go1.21 and later, " +
  "`gtc install --source goproxy` installs the same toolchain checked against sum.golang.org. " +
  "A GTC_GODL_MIRROR must serve each <archive>.asc next to the archive";

/** GodlOptions configures a GodlSource. */
export interface GodlOptions {
  http: HttpClient;
  /**
   * Base URL serving `?mode=json&include=all` and the archives, for mirrors
   * (GTC_GODL_MIRROR), e.g. "https://golang.google.cn/dl". @default "https://go.dev/dl"
   */
  baseUrl?: string;
  /** Where to fetch Google's public key when key is not given. @default godlKeyUrl */
  keyUrl?: string;
  /**
   * The public key's bytes (armored or binary), or a function reading them
   * when first needed (GTC_GODL_KEY); used instead of keyUrl, still pinned.
   */
  key?: Uint8Array | (() => Uint8Array);
  /** Names where key came from, for messages. @default "(configured key)" */
  keyOrigin?: string;
  /**
   * Primary fingerprints the key must have. Only tests change this,
   * explicitly, to a key they generated. @default [googleKeyFingerprint]
   */
  trustedFingerprints?: readonly string[];
}

/**
 * dlArch returns go.dev/dl's architecture name for a GOARCH: GOARCH=arm is
 * published as "armv6l" (GOARM=6 builds run on every ARMv6+ CPU); other names
 * are Go's own ("386", "amd64", "arm64", "loong64", "ppc64le", "riscv64", "s390x", …).
 */
export function dlArch(goarch: string): string {
  return goarch === "arm" ? "armv6l" : goarch;
}

/** dlPlatform returns "<os>-<dl arch>", the platform part of an archive name. */
export function dlPlatform(p: Platform): string {
  return `${p.goos}-${dlArch(p.goarch)}`;
}

interface DlFile {
  filename: string;
  os: string;
  arch: string;
  version: string;
  sha256: string;
  size: number;
  kind: string;
}

interface DlRelease {
  version: string;
  stable: boolean;
  files: DlFile[];
}

/**
 * parseListing parses the `?mode=json` document into releases, newest first
 * (the server's order is re-established with Go version ordering). It
 * throws SyntaxError naming the first field that does not fit the schema.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseListing } from "./godl.ts";
 * const rs = parseListing(`[{"version":"go1.21.3","stable":true,"files":[{"filename":"go1.21.3.linux-amd64.tar.gz","os":"linux","arch":"amd64","version":"go1.21.3","sha256":"${"a".repeat(64)}","size":66000000,"kind":"archive"}]}]`);
 * assert.equal(rs[0].files[0].platform, "linux-amd64");
 * ```
 */
export function parseListing(text: string): Release[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`go.dev/dl listing: invalid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(doc)) throw new SyntaxError("go.dev/dl listing: not a JSON array");
  const out: Release[] = [];
  doc.forEach((r: Partial<DlRelease>, i) => {
    const where = `go.dev/dl listing: release ${i}`;
    if (typeof r !== "object" || r === null) throw new SyntaxError(`${where}: not an object`);
    if (typeof r.version !== "string" || !r.version.startsWith("go")) {
      throw new SyntaxError(`${where}: bad version ${JSON.stringify(r.version)}`);
    }
    if (!Array.isArray(r.files)) {
      throw new SyntaxError(`${where} (${r.version}): files is not an array`);
    }
    const files: ReleaseFile[] = r.files.map((f: Partial<DlFile>, j) => {
      const fw = `${where} (${r.version}) file ${j}`;
      if (typeof f !== "object" || f === null) throw new SyntaxError(`${fw}: not an object`);
      for (const k of ["filename", "os", "arch", "kind"] as const) {
        if (typeof f[k] !== "string") throw new SyntaxError(`${fw}: ${k} is not a string`);
      }
      // sha256 may be "" (old SHA-1-only files) or absent; it is checked at resolve time.
      const sha256 = typeof f.sha256 === "string" ? f.sha256.toLowerCase() : "";
      const rf: ReleaseFile = {
        filename: f.filename!,
        platform: f.os === "" ? "" : `${f.os}-${f.arch}`,
        kind: f.kind!,
        sha256,
      };
      if (typeof f.size === "number" && f.size > 0) rf.size = f.size;
      return rf;
    });
    // "stable" = neither beta nor rc (internal/dl isStable); trust the name over the flag.
    const stable = !r.version.includes("beta") && !r.version.includes("rc");
    out.push({ version: r.version, stable, files });
  });
  out.sort((a, b) => compare(b.version.slice(2), a.version.slice(2)));
  return out;
}

/**
 * filterReleases applies ListOptions to a parsed listing: unstable releases
 * are dropped unless asked for, and with a platform only releases having an
 * archive for it remain, their files narrowed to that archive.
 */
export function filterReleases(releases: readonly Release[], opts: ListOptions = {}): Release[] {
  const out: Release[] = [];
  for (const r of releases) {
    if (!r.stable && !opts.includeUnstable) continue;
    if (opts.platform === undefined) {
      out.push(r);
      continue;
    }
    const f = archiveFor(r, opts.platform);
    if (f !== undefined) out.push({ ...r, files: [f] });
  }
  return out;
}

// archiveFor returns the release's archive (not installer, not source) for the platform.
function archiveFor(r: Release, p: Platform): ReleaseFile | undefined {
  const want = dlPlatform(p);
  return r.files.find((f) =>
    f.kind === "archive" && f.platform === want && archiveKindOf(f.filename) !== undefined
  );
}

/**
 * selectRelease picks the release a query names, from releases newest first.
 *
 * - "latest": the newest stable release.
 * - "1.22" or "go1.22" (major.minor only): the newest stable 1.22.x. For Go
 *   1.20 and earlier this includes the ".0" release, published as "go1.20".
 * - anything else ("1.22.5", "go1.22.5", "1.23rc1", "1.20.0"): the release
 *   equal to it as a Go version ("1.20.0" finds "go1.20").
 *
 * Only releases with an archive for the platform count. It throws ResolveError
 * when nothing matches.
 */
export function selectRelease(
  releases: readonly Release[],
  query: string,
  platform: Platform,
): Release {
  const q = query.startsWith("go") ? query.slice(2) : query;
  const have = releases.filter((r) => archiveFor(r, platform) !== undefined);
  const where = `for ${dlPlatform(platform)} on go.dev/dl`;
  if (query === "latest") {
    const r = have.find((r) => r.stable);
    if (r === undefined) throw new ResolveError(`no stable Go release ${where}`);
    return r;
  }
  if (!isValid(q)) {
    throw new ResolveError(
      `invalid Go version ${
        JSON.stringify(query)
      }: want latest, 1.N, 1.N.P or a full name such as go1.22.5`,
    );
  }
  if (/^\d+\.\d+$/.test(q)) {
    // A minor line: the newest stable release whose version is q or q.P.
    const line = have.filter((r) => r.stable && isInLine(r.version.slice(2), q));
    if (line.length === 0) {
      const pre = have.filter((r) => isInLine(r.version.slice(2), q)).map((r) => r.version);
      const hint = pre.length > 0 ? ` (prereleases: ${pre.join(", ")}; ask for one by name)` : "";
      throw new ResolveError(`no stable release of go${q} ${where}${hint}`);
    }
    return line[0];
  }
  const r = have.find((r) => compare(r.version.slice(2), q) === 0);
  if (r === undefined) {
    const known = releases.some((r) => compare(r.version.slice(2), q) === 0);
    throw new ResolveError(
      known ? `go${q} has no archive ${where}` : `go${q} is not a Go release listed ${where}`,
    );
  }
  return r;
}

// isInLine reports whether version v ("1.22.5", "1.20", "1.23rc1") belongs to the minor line "1.22".
function isInLine(v: string, line: string): boolean {
  return v === line || v.startsWith(line + ".") || v.startsWith(line + "rc") ||
    v.startsWith(line + "beta");
}

/**
 * artifactFor turns a release's archive for platform into an Artifact. It
 * throws SecurityError when the listing gives no SHA-256 for the file: an
 * empty or malformed hash is a refusal, never a pass. A .tar.gz must also
 * carry a signature (integrity "sha256+pgp", signatureUrl `<url>.asc`); a
 * .zip, which go.dev/dl never signs, gets integrity "sha256" and godlZipNotice.
 */
export function artifactFor(
  release: Release,
  platform: Platform,
  base: string,
  listingUrl: string,
): Artifact {
  const f = archiveFor(release, platform);
  if (f === undefined) {
    throw new ResolveError(`${release.version} has no archive for ${dlPlatform(platform)}`);
  }
  // go.dev serves /dl/<file> only for names matching internal/dl's fileRe.
  if (!/^go[0-9a-z.]+\.[0-9a-z.-]+\.(tar\.gz|zip)$/.test(f.filename)) {
    throw new SecurityError(`${listingUrl}: malformed file name ${JSON.stringify(f.filename)}`, {
      listing: listingUrl,
      file: f.filename,
    });
  }
  if (!isHexSha256(f.sha256)) {
    throw new SecurityError(
      `refusing ${f.filename}: ${listingUrl} publishes no SHA-256 for it` +
        (f.sha256 === ""
          ? " (only files from before SHA-256 checksums lack one)"
          : ` (got ${JSON.stringify(f.sha256)})`) +
        `; gtc installs only archives it can verify`,
      { file: f.filename, listing: listingUrl, sha256: f.sha256 },
    );
  }
  const kind = archiveKindOf(f.filename)!;
  const url = joinUrl(base, f.filename);
  const a: Artifact = {
    source: "godl",
    name: release.version,
    version: release.version,
    filename: f.filename,
    url,
    sha256: f.sha256,
    sha256Origin: listingUrl,
    kind,
    platform,
    integrity: isSigned(kind) ? "sha256+pgp" : "sha256",
    notices: [],
  };
  if (f.size !== undefined) a.size = f.size;
  if (isSigned(kind)) {
    a.signatureUrl = url + ".asc";
  } else {
    // Only the SHA-256 vouches for a zip, so say so, and say when it travels in the clear.
    a.notices.push(godlZipNotice);
    const plain = plainHttpNotice(listingUrl);
    if (plain !== undefined) a.notices.push(plain);
  }
  return a;
}

/** GodlSource lists and resolves go.dev/dl archives and checks their signatures. */
export class GodlSource implements Source {
  readonly name = "godl" as const;
  readonly baseUrl: string;
  readonly #http: HttpClient;
  readonly #signatures: SignatureChecker;
  #listing: Promise<Release[]> | undefined;

  constructor(opts: GodlOptions) {
    this.#http = opts.http;
    this.baseUrl = (opts.baseUrl ?? godlDefaultBase).replace(/\/+$/, "");
    this.#signatures = new SignatureChecker({
      http: opts.http,
      keyUrl: opts.keyUrl ?? godlKeyUrl,
      key: opts.key,
      keyOrigin: opts.keyOrigin,
      trusted: opts.trustedFingerprints ?? [googleKeyFingerprint],
    });
  }

  /**
   * listingUrl is the JSON listing of every release: `<base>/?mode=json&include=all`,
   * or for a file: mirror (a directory, where queries mean nothing)
   * `<base>/index.json`, a saved copy of that document.
   */
  get listingUrl(): string {
    return this.baseUrl.startsWith("file:")
      ? `${this.baseUrl}/${godlFileListing}`
      : `${this.baseUrl}/?mode=json&include=all`;
  }

  // releases fetches the listing once per source object.
  #releases(): Promise<Release[]> {
    if (this.#listing === undefined) {
      const url = this.listingUrl;
      this.#listing = getText(this.#http, url, maxListingBytes).then(parseListing);
      this.#listing.catch(() => this.#listing = undefined);
    }
    return this.#listing;
  }

  async list(opts: ListOptions = {}): Promise<Release[]> {
    return filterReleases(await this.#releases(), opts);
  }

  async resolve(query: string, platform: Platform): Promise<Artifact> {
    const r = selectRelease(await this.#releases(), query, platform);
    return artifactFor(r, platform, this.baseUrl, this.listingUrl);
  }

  /**
   * verify checks a tarball's .asc against Google's pinned key, reading the
   * archive once as a stream. A missing .asc is a refusal that names the URL
   * and what to do. Zips, which go.dev/dl never signs, get no further check;
   * what needs a signature follows the archive's kind, not a.integrity.
   */
  async verify(a: Artifact, open: () => ReadableStream<Uint8Array>): Promise<Verification> {
    if (!isSigned(a.kind)) return { checks: [] };
    const check = await this.#signatures.check({
      name: a.filename,
      urls: [a.signatureUrl],
      data: open,
      missingHint: missingAscHint,
    });
    return { checks: [check] };
  }
}
