/**
 * The Microsoft build of Go (shared/spec/toolchain-download.md §6).
 *
 * Layout under the base URL (default https://aka.ms/golang/release/latest,
 * microsoft/go eng/doc/Downloads.md; links made by go-infra
 * cmd/releasego/akams.go):
 *
 * ```
 * go<V>.<platform><ext>          archive; V is 1.22 (floating minor), 1.22.5 (floating patch) or 1.22.5-1 (pinned)
 * go<V>.<platform><ext>.sha256   "<hex>  <blob name>\n" — compare only the first field
 * go<V>.<platform><ext>.sig      detached OpenPGP signature (tar.gz only; Windows zips have none)
 * go<V>.assets.json              go-infra buildassets.BuildAssets: version "1.22.5-1", arches[].{env,sha256,url,pgpSignatureUrl}
 * ```
 *
 * resolve reads go<V>.assets.json to learn the pinned version behind a
 * floating one and the archive's SHA-256, then downloads the *pinned* link
 * (go1.22.5-1.…) so a release published in between cannot swap the bytes;
 * the .sha256 sibling must agree with assets.json. Tarballs must carry a
 * valid signature by the pinned Microsoft key.
 *
 * Windows zips: nothing signs assets.json or the .sha256 files (go-infra
 * uploads assets.json beside the archives and only archives get .sig), so a
 * Windows zip's integrity rests on HTTPS plus a SHA-256 served by the same
 * origin as the zip. resolve says so in Artifact.notices, and the CLI prints it.
 *
 * @module
 */

import { getText, type HttpClient, HttpStatusError } from "./http.ts";
import {
  type Granularity,
  msFull,
  msMajorMinor,
  msMajorMinorPatch,
  msUpstream,
  type MsVersion,
  newMsVersion,
  parseMsQuery,
} from "./ms_version.ts";
import { microsoftKeyFingerprint, SignatureChecker } from "./pgp.ts";
import {
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

/** microsoftDefaultBase is the aka.ms prefix of every published link. */
export const microsoftDefaultBase = "https://aka.ms/golang/release/latest";

/** microsoftKeyUrl is where Microsoft publishes the signing key (Downloads.md; aka.ms/managed-lang-compiler-public-key). */
export const microsoftKeyUrl =
  "https://download.microsoft.com/download/f/a/2/fa2420dd-3f08-4621-82cf-5a22abcbc8f9/microsoft-managed-lang-compiler.asc";

/** The notice attached to every Windows zip, which no signature covers. */
export const windowsIntegrityNotice =
  "the Microsoft build of Go publishes no signature for Windows zips: this archive is checked only " +
  "against the SHA-256 in its assets.json and .sha256 files, fetched over HTTPS from the same " +
  "server as the zip (no OpenPGP key vouches for it)";

const maxSmallFile = 1 << 20;

/** MicrosoftOptions configures a MicrosoftSource. */
export interface MicrosoftOptions {
  http: HttpClient;
  /** Base URL with the aka.ms layout, for mirrors (GTC_MICROSOFT_MIRROR). @default microsoftDefaultBase */
  baseUrl?: string;
  /** Where to fetch the public key when key is not given. @default microsoftKeyUrl */
  keyUrl?: string;
  /**
   * The public key's bytes (armored or binary), or a function reading them
   * when first needed (GTC_MICROSOFT_KEY); used instead of keyUrl, still pinned.
   */
  key?: Uint8Array | (() => Uint8Array);
  /** Names where key came from, for messages. @default "(configured key)" */
  keyOrigin?: string;
  /**
   * Primary fingerprints a key must have to be used. Only tests change this,
   * explicitly, to a key they generated. @default [microsoftKeyFingerprint]
   */
  trustedFingerprints?: readonly string[];
  /** list() probes go1.N.assets.json from this minor line upward. @default "1.21" */
  listFrom?: string;
}

/** AssetsArch is one entry of assets.json "arches" (go-infra dockerversions.Arch). */
export interface AssetsArch {
  /** Absent for the source tarball. GOARCH "arm" with GOARM "6" is linux-armv6l. */
  env?: { GOOS: string; GOARCH: string; GOARM?: string };
  sha256: string;
  url: string;
  sha256ChecksumUrl?: string;
  pgpSignatureUrl?: string;
}

/** BuildAssets is go<V>.assets.json (go-infra buildassets.BuildAssets). */
export interface BuildAssets {
  branch: string;
  buildId: string;
  /** "1.22.5-1": major.minor.patch-revision, without the note. */
  version: string;
  arches: AssetsArch[];
  goSrcURL: string;
  goSrcSHA256: string;
}

/** parseAssets parses and checks an assets.json document; origin names it in errors. */
export function parseAssets(text: string, origin: string): BuildAssets {
  let doc: Partial<BuildAssets>;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`${origin}: invalid JSON: ${(e as Error).message}`);
  }
  if (typeof doc !== "object" || doc === null) throw new SyntaxError(`${origin}: not an object`);
  if (typeof doc.version !== "string" || doc.version === "") {
    throw new SyntaxError(`${origin}: missing version`);
  }
  if (!Array.isArray(doc.arches)) throw new SyntaxError(`${origin}: arches is not an array`);
  const arches: AssetsArch[] = doc.arches.map((a: Partial<AssetsArch>, i) => {
    if (typeof a !== "object" || a === null || typeof a.url !== "string") {
      throw new SyntaxError(`${origin}: arches[${i}]: missing url`);
    }
    const out: AssetsArch = {
      sha256: typeof a.sha256 === "string" ? a.sha256.toLowerCase() : "",
      url: a.url,
    };
    if (a.env !== undefined && a.env !== null) {
      if (typeof a.env.GOOS !== "string" || typeof a.env.GOARCH !== "string") {
        throw new SyntaxError(`${origin}: arches[${i}]: env needs GOOS and GOARCH`);
      }
      out.env = { GOOS: a.env.GOOS, GOARCH: a.env.GOARCH };
      if (typeof a.env.GOARM === "string" && a.env.GOARM !== "") out.env.GOARM = a.env.GOARM;
    }
    if (typeof a.sha256ChecksumUrl === "string") out.sha256ChecksumUrl = a.sha256ChecksumUrl;
    if (typeof a.pgpSignatureUrl === "string") out.pgpSignatureUrl = a.pgpSignatureUrl;
    return out;
  });
  return {
    branch: typeof doc.branch === "string" ? doc.branch : "",
    buildId: typeof doc.buildId === "string" ? doc.buildId : "",
    version: doc.version,
    arches,
    goSrcURL: typeof doc.goSrcURL === "string" ? doc.goSrcURL : "",
    goSrcSHA256: typeof doc.goSrcSHA256 === "string" ? doc.goSrcSHA256 : "",
  };
}

/** msPlatform returns the platform part of a Microsoft archive name: "linux-amd64", "linux-armv6l". */
export function msPlatform(p: Platform): string {
  return `${p.goos}-${p.goarch === "arm" ? "armv6l" : p.goarch}`;
}

/** msExt returns ".zip" for Windows and ".tar.gz" otherwise. */
export function msExt(p: Platform): ".zip" | ".tar.gz" {
  return p.goos === "windows" ? ".zip" : ".tar.gz";
}

/** archFor finds the assets.json entry for a platform (GOARCH=arm needs GOARM 6 or none). */
export function archFor(assets: BuildAssets, p: Platform): AssetsArch | undefined {
  return assets.arches.find((a) =>
    a.env !== undefined && a.env.GOOS === p.goos && a.env.GOARCH === p.goarch &&
    (p.goarch !== "arm" || a.env.GOARM === undefined || a.env.GOARM === "6")
  );
}

/** linkVersion is the version part of the aka.ms link for a query of the given granularity. */
export function linkVersion(v: MsVersion, g: Granularity): string {
  const note = v.note === "" ? "" : "-" + v.note;
  switch (g) {
    case "minor":
      return msMajorMinor(v) + v.prerelease + note;
    case "patch":
      return msMajorMinorPatch(v) + v.prerelease + note;
    case "pinned":
      return msFull(v);
  }
}

// matchesQuery reports whether the build's version is one the query may resolve to.
function matchesQuery(build: MsVersion, q: MsVersion, g: Granularity): boolean {
  switch (g) {
    case "minor":
      return msMajorMinor(build) === msMajorMinor(q) && build.prerelease === q.prerelease;
    case "patch":
      return msMajorMinorPatch(build) === msMajorMinorPatch(q) && build.prerelease === q.prerelease;
    case "pinned":
      return msMajorMinorPatch(build) === msMajorMinorPatch(q) &&
        build.prerelease === q.prerelease && build.revision === q.revision;
  }
}

/**
 * parseSha256File returns the first field of a .sha256 file ("<hex>  <blob
 * name>"); the name is the blob's, not the link's, so it is not compared.
 */
export function parseSha256File(text: string): string {
  return (text.trim().split(/\s+/)[0] ?? "").toLowerCase();
}

/** MicrosoftSource lists and resolves Microsoft builds of Go and checks their signatures. */
export class MicrosoftSource implements Source {
  readonly name = "microsoft" as const;
  readonly baseUrl: string;
  readonly #http: HttpClient;
  readonly #opts: MicrosoftOptions;
  readonly #signatures: SignatureChecker;

  constructor(opts: MicrosoftOptions) {
    this.#http = opts.http;
    this.#opts = opts;
    this.baseUrl = (opts.baseUrl ?? microsoftDefaultBase).replace(/\/+$/, "");
    this.#signatures = new SignatureChecker({
      http: opts.http,
      keyUrl: opts.keyUrl ?? microsoftKeyUrl,
      key: opts.key,
      keyOrigin: opts.keyOrigin,
      trusted: opts.trustedFingerprints ?? [microsoftKeyFingerprint],
    });
  }

  // assets fetches go<V>.assets.json, or returns undefined when the server has none (404/410).
  async #assets(v: string): Promise<{ assets: BuildAssets; url: string } | undefined> {
    const url = joinUrl(this.baseUrl, `go${v}.assets.json`);
    try {
      return { assets: parseAssets(await getText(this.#http, url, maxSmallFile), url), url };
    } catch (e) {
      if (e instanceof HttpStatusError && e.isNotFound) return undefined;
      throw e;
    }
  }

  /**
   * list probes go1.N.assets.json for each minor line from listFrom upward
   * (aka.ms has no index) and returns the newest build of each line, newest
   * first. It stops after two missing lines in a row once one was found, or
   * after ten before any was.
   */
  async list(opts: ListOptions = {}): Promise<Release[]> {
    const from = newMsVersion((this.#opts.listFrom ?? "1.21").replace(/^go/, ""));
    const out: Release[] = [];
    let misses = 0;
    for (let n = Number(from.minor); misses < (out.length > 0 ? 2 : 10); n++) {
      const line = `${from.major}.${n}`;
      const got = await this.#assets(line);
      if (got === undefined) {
        misses++;
        continue;
      }
      misses = 0;
      const build = newMsVersion(got.assets.version);
      const full = msFull(build);
      const files: ReleaseFile[] = [];
      for (const a of got.assets.arches) {
        const platform = a.env === undefined
          ? "src"
          : msPlatform({ goos: a.env.GOOS, goarch: a.env.GOARCH });
        const ext = a.env?.GOOS === "windows" ? ".zip" : ".tar.gz";
        files.push({
          filename: `go${full}.${platform}${ext}`,
          platform: a.env === undefined ? "" : platform,
          kind: a.env === undefined ? "source" : "archive",
          sha256: a.sha256,
        });
      }
      out.push({ version: "go" + full, stable: build.prerelease === "", files });
    }
    const want = opts.platform === undefined ? undefined : msPlatform(opts.platform);
    return out
      .filter((r) => r.stable || opts.includeUnstable)
      .map((r) =>
        want === undefined ? r : { ...r, files: r.files.filter((f) => f.platform === want) }
      )
      .filter((r) => want === undefined || r.files.length > 0)
      .reverse();
  }

  async resolve(query: string, platform: Platform): Promise<Artifact> {
    if (query === "latest") {
      const rs = await this.list({ platform });
      if (rs.length === 0) {
        throw new ResolveError(
          `no Microsoft build of Go for ${msPlatform(platform)} at ${this.baseUrl}`,
        );
      }
      query = rs[0].version;
    }
    const parsed = parseMsQuery(query);
    if (parsed === undefined) {
      throw new ResolveError(
        `invalid Microsoft build of Go version ${
          JSON.stringify(query)
        }: want latest, 1.N, 1.N.P or 1.N.P-R (e.g. go1.22.5-1)`,
      );
    }
    const { version: q, granularity } = parsed;
    const plat = msPlatform(platform);
    const ext = msExt(platform);
    const linkV = linkVersion(q, granularity);
    const got = await this.#assets(linkV);

    let build: MsVersion;
    let sha256 = "";
    let sha256Origin = "";
    let arch: AssetsArch | undefined;
    if (got !== undefined) {
      // buildassets writes "<VERSION file without go>-<MICROSOFT_REVISION>": 1.22.5-1, 1.23rc1-1.
      if (!/^\d+\.\d+(\.\d+)?((rc|beta)\d+)?-\d+$/.test(got.assets.version)) {
        throw new SecurityError(
          `${got.url}: malformed version ${JSON.stringify(got.assets.version)}`,
          {
            assets: got.url,
            version: got.assets.version,
          },
        );
      }
      build = newMsVersion(got.assets.version);
      if (q.note !== "") build = { ...build, note: q.note };
      if (!matchesQuery(build, q, granularity)) {
        throw new SecurityError(
          `${got.url} describes version ${got.assets.version}, which is not go${linkV}`,
          { assets: got.url, version: got.assets.version, query: linkV },
        );
      }
      arch = archFor(got.assets, platform);
      if (arch === undefined) {
        throw new ResolveError(`go${msFull(build)} has no archive for ${plat} (${got.url})`);
      }
      sha256 = arch.sha256;
      sha256Origin = got.url;
    } else if (granularity === "pinned") {
      // A mirror may carry only the archives and their .sha256 files.
      build = q;
    } else {
      throw new ResolveError(
        `no Microsoft build of Go go${linkV} at ${this.baseUrl} (no go${linkV}.assets.json)`,
      );
    }

    const full = msFull(build);
    const filename = `go${full}.${plat}${ext}`;
    const url = joinUrl(this.baseUrl, filename);

    // The .sha256 sibling of the pinned link must agree with assets.json.
    let sibling: string | undefined;
    try {
      sibling = parseSha256File(await getText(this.#http, url + ".sha256", 4096));
    } catch (e) {
      if (!(e instanceof HttpStatusError && e.isNotFound)) throw e;
    }
    if (sibling !== undefined) {
      if (!isHexSha256(sibling)) {
        throw new SecurityError(`refusing ${filename}: malformed checksum file ${url}.sha256`, {
          file: filename,
          sha256File: sibling,
        });
      }
      if (sha256 === "") {
        sha256 = sibling;
        sha256Origin = url + ".sha256";
      } else if (sibling !== sha256) {
        throw new SecurityError(
          `refusing ${filename}: published checksums disagree\n\t${sha256Origin}: ${sha256}\n\t${url}.sha256: ${sibling}`,
          { file: filename, assets: sha256, sha256File: sibling },
        );
      }
    }
    if (!isHexSha256(sha256)) {
      throw new SecurityError(
        `refusing ${filename}: no SHA-256 published for it (${
          sha256Origin || url + ".sha256"
        }); gtc installs only archives it can verify`,
        { file: filename, sha256 },
      );
    }

    const a: Artifact = {
      source: "microsoft",
      name: "go" + full,
      version: msUpstream(build),
      revision: build.revision,
      filename,
      url,
      sha256,
      sha256Origin,
      kind: ext === ".zip" ? "zip" : "tar.gz",
      platform,
      integrity: "sha256+pgp",
      env: { GOTOOLCHAIN: "local" },
      notices: [],
    };
    if (platform.goos === "windows" && arch?.pgpSignatureUrl === undefined) {
      a.integrity = "sha256";
      a.notices.push(windowsIntegrityNotice);
      const plain = plainHttpNotice(sha256Origin);
      if (plain !== undefined) a.notices.push(plain);
    } else {
      a.signatureUrl = url + ".sig";
      if (arch?.pgpSignatureUrl !== undefined && arch.pgpSignatureUrl !== a.signatureUrl) {
        a.signatureFallbackUrl = arch.pgpSignatureUrl;
      }
    }
    return a;
  }

  /**
   * verify checks the detached signature of a tarball against the pinned key.
   * For an artifact whose integrity is "sha256" (Windows zips) it checks
   * nothing more and says so.
   */
  async verify(a: Artifact, open: () => ReadableStream<Uint8Array>): Promise<Verification> {
    if (a.integrity === "sha256") return { checks: [] };
    const check = await this.#signatures.check({
      name: a.filename,
      urls: [a.signatureUrl, a.signatureFallbackUrl],
      data: open,
    });
    return { checks: [check] };
  }
}
