/**
 * The go.dev/dl source: Go's official binary archives, listed by the JSON
 * endpoint of golang/website internal/dl (shared/spec/toolchain-download.md §5).
 *
 * `GET <base>/?mode=json&include=all` returns every release, newest first:
 * `[{"version":"go1.21.3","stable":true,"files":[{"filename","os","arch",
 * "version","sha256","size","kind"}]}]`. Archives are `<base>/<filename>`.
 * The listing's SHA-256 is the only integrity basis for these archives (gtc
 * does not check Google's .asc signatures), and old files carry an empty
 * sha256 (they only had SHA-1): gtc refuses those, it never treats "" as a pass.
 *
 * @module
 */

import { compare, isValid } from "../gover/mod.ts";
import { getText, type HttpClient } from "./http.ts";
import {
  archiveKindOf,
  type Artifact,
  isHexSha256,
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

/** GodlOptions configures a GodlSource. */
export interface GodlOptions {
  http: HttpClient;
  /**
   * Base URL serving `?mode=json&include=all` and the archives, for mirrors
   * (GTC_GODL_MIRROR), e.g. "https://golang.google.cn/dl". @default "https://go.dev/dl"
   */
  baseUrl?: string;
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
 * empty or malformed hash is a refusal, never a pass.
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
  const a: Artifact = {
    source: "godl",
    name: release.version,
    version: release.version,
    filename: f.filename,
    url: base.replace(/\/+$/, "") + "/" + f.filename,
    sha256: f.sha256,
    sha256Origin: listingUrl,
    kind: archiveKindOf(f.filename)!,
    platform,
    integrity: "sha256",
    notices: [],
  };
  if (f.size !== undefined) a.size = f.size;
  const plain = plainHttpNotice(listingUrl);
  if (plain !== undefined) a.notices.push(plain);
  return a;
}

/** GodlSource lists and resolves go.dev/dl archives. */
export class GodlSource implements Source {
  readonly name = "godl" as const;
  readonly baseUrl: string;
  readonly #http: HttpClient;
  #listing: Promise<Release[]> | undefined;

  constructor(opts: GodlOptions) {
    this.#http = opts.http;
    this.baseUrl = (opts.baseUrl ?? godlDefaultBase).replace(/\/+$/, "");
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

  /** verify adds nothing: go.dev/dl archives rest on the listing's SHA-256 alone. */
  verify(_artifact: Artifact, _open: () => ReadableStream<Uint8Array>): Promise<Verification> {
    return Promise.resolve({ checks: [] });
  }
}
