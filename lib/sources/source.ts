/**
 * The Source interface: where Go toolchain archives come from.
 *
 * A source lists releases, resolves a user's query ("1.22", "go1.22.5",
 * "latest", "go1.22.5-1") to one downloadable archive for one platform, and
 * checks what a SHA-256 cannot (a detached signature) once the store has
 * downloaded and hashed the archive. Sources never write files: lib/store
 * downloads, hashes, verifies and extracts.
 *
 * @module
 */

/**
 * SourceName names a source. "goproxy" (golang.org/toolchain modules through
 * GOPROXY, installed into the module cache by lib/cache) shares the type but is
 * not implemented here.
 */
export type SourceName = "goproxy" | "godl" | "microsoft";

/** Platform is a target in Go's names: goos "linux", goarch "amd64" | "arm64" | "arm" | "386" | …. */
export interface Platform {
  goos: string;
  goarch: string;
}

/** ArchiveKind is how an archive is packed: tar.gz on Unix, zip on Windows. */
export type ArchiveKind = "tar.gz" | "zip";

/** ReleaseFile is one downloadable file of a release, as the source lists it. */
export interface ReleaseFile {
  /** File name as published, e.g. "go1.22.5.linux-amd64.tar.gz". */
  filename: string;
  /** The source's platform name, e.g. "linux-amd64", "linux-armv6l"; "" for source archives. */
  platform: string;
  /** "archive" | "installer" | "source" (go.dev/dl kinds). */
  kind: string;
  /** Lowercase hex SHA-256; "" when the source publishes none (old go.dev/dl files). */
  sha256: string;
  /** Size in bytes, when known. */
  size?: number;
}

/** Release is one version a source offers. */
export interface Release {
  /** Toolchain name: "go1.22.5" (go.dev/dl), "go1.22.5-1" (Microsoft, pinned revision). */
  version: string;
  /** Reports whether the version is a release (not a beta or release candidate). */
  stable: boolean;
  files: ReleaseFile[];
}

/** ListOptions narrows list(). */
export interface ListOptions {
  /** Include betas and release candidates. @default false */
  includeUnstable?: boolean;
  /** Keep only releases with an archive for this platform (their files narrowed to it). */
  platform?: Platform;
}

/** Integrity names what vouches for an archive's bytes. */
export type Integrity =
  /** A SHA-256 published over HTTPS (go.dev/dl listing, Microsoft assets.json and .sha256). */
  | "sha256"
  /** The same, plus a detached OpenPGP signature by a pinned key. */
  | "sha256+pgp";

/** Artifact is one archive to install: plain data, safe to log and to send over RPC. */
export interface Artifact {
  source: SourceName;
  /** Name in the store and in $GTC_HOME/bin: "go1.22.5", "go1.22.5-1". */
  name: string;
  /** Go version the toolchain reports (go version), e.g. "go1.22.5". */
  version: string;
  /**
   * The Microsoft build's revision ("go1.22.5-1" → "1"): its
   * MICROSOFT_REVISION file must say the same (lib/store/identity.ts).
   */
  revision?: string;
  /** Archive file name, used in messages: "go1.22.5.linux-amd64.tar.gz". */
  filename: string;
  url: string;
  /** Lowercase hex SHA-256 the download must match. Never empty: resolve refuses files without one. */
  sha256: string;
  /** Where sha256 was read, e.g. the listing or assets.json URL (named in mismatch errors). */
  sha256Origin: string;
  /** Declared size in bytes; a download that exceeds it is cut off. */
  size?: number;
  kind: ArchiveKind;
  platform: Platform;
  integrity: Integrity;
  /** Detached OpenPGP signature over the archive (integrity "sha256+pgp"). */
  signatureUrl?: string;
  /** A second place for the same signature, tried only when signatureUrl answers 404/410. */
  signatureFallbackUrl?: string;
  /** Environment the toolchain must always run with, e.g. { GOTOOLCHAIN: "local" } for Microsoft builds. */
  env?: Record<string, string>;
  /** Things the user must be told before installing (printed by the CLI), e.g. a weaker integrity basis. */
  notices: string[];
}

/** Verification is what a source's verify() established beyond the SHA-256. */
export interface Verification {
  /** Human-readable checks that passed, e.g. "pgp: signed by B035FAC2… (Managed Languages…)". */
  checks: string[];
}

/** Source is one origin of Go toolchain archives. */
export interface Source {
  readonly name: SourceName;
  /** list returns releases newest first. */
  list(opts?: ListOptions): Promise<Release[]>;
  /**
   * resolve maps a query to one archive for platform. It throws ResolveError
   * when nothing matches and SecurityError when the source publishes no usable
   * SHA-256 for the file.
   */
  resolve(query: string, platform: Platform): Promise<Artifact>;
  /**
   * verify checks an archive whose SHA-256 already matched, reading its bytes
   * with open() (which may be called more than once). It throws SecurityError
   * when a check fails; it must not return normally unless every check that
   * artifact.integrity promises has passed.
   */
  verify(artifact: Artifact, open: () => ReadableStream<Uint8Array>): Promise<Verification>;
}

/** ResolveError means a query matched nothing, or was malformed. */
export class ResolveError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ResolveError";
  }
}

/**
 * SecurityError is a failed verification. It is final: callers must not
 * retry, fall back to another source or install anything. evidence carries
 * what was compared, so a report does not depend on the server.
 */
export class SecurityError extends Error {
  constructor(
    message: string,
    readonly evidence: Record<string, string> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "SecurityError";
  }
}

/** isHexSha256 reports whether s is 64 hex digits. */
export function isHexSha256(s: string): boolean {
  return /^[0-9a-fA-F]{64}$/.test(s);
}

/** archiveKindOf returns the kind of an archive file name, or undefined for other files. */
export function archiveKindOf(filename: string): ArchiveKind | undefined {
  if (filename.endsWith(".tar.gz")) return "tar.gz";
  if (filename.endsWith(".zip")) return "zip";
  return undefined;
}

/**
 * joinUrl appends a file name to a base URL, keeping the base's path and
 * adding exactly one "/" between them.
 */
export function joinUrl(base: string, name: string): string {
  return base.replace(/\/+$/, "") + "/" + name;
}

/**
 * plainHttpNotice returns the notice for an artifact whose SHA-256 and bytes
 * both travel over plain HTTP (a mirror configured with http:), or undefined
 * for https:, file: and loopback hosts.
 */
export function plainHttpNotice(checksumUrl: string): string | undefined {
  let u: URL;
  try {
    u = new URL(checksumUrl);
  } catch {
    return undefined;
  }
  if (u.protocol !== "http:") return undefined;
  const h = u.hostname;
  if (h === "localhost" || h === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(h)) return undefined;
  return `the checksum comes from ${u.origin} over plain HTTP: anyone on the network path can ` +
    `replace the archive and its checksum together`;
}
