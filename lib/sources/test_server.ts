/**
 * A download server for tests: it serves go.dev/dl and Microsoft-build
 * layouts (listing JSON, assets.json, archives, .sha256, .sig, .asc, the
 * public keys) from memory, with archives built from real tar.gz/zip encoders and
 * signatures made by a real OpenPGP key generated in the test.
 *
 * It is a plain `(Request) => Response` handler, so it runs behind a
 * loopback Deno.serve in tests and touches no host API itself. Never used
 * outside tests.
 *
 * @module
 */

import * as openpgp from "openpgp";
import { createTarPacker } from "modern-tar";
import { zipSync } from "fflate";

/** DistEntry is one archive member. */
export interface DistEntry {
  /** Full name in the archive, e.g. "go/bin/go" or "go/pkg/". */
  name: string;
  type?: "file" | "directory" | "symlink" | "link" | "character-device" | "fifo";
  data?: string | Uint8Array;
  /** Unix permission bits. @default 0o644 for files, 0o755 for directories */
  mode?: number;
  linkname?: string;
  /** Declared size override, for lying headers. */
  size?: number;
}

/**
 * goDistribution returns the members of a tiny but well-formed Go
 * distribution: a `go/bin/go` shell script that prints
 * "go version <version> <goos>/<goarch>", `go/VERSION`, a `go/pkg/tool`
 * binary and a source file.
 */
export function goDistribution(
  input: { version: string; goos: string; goarch: string },
): DistEntry[] {
  const { version, goos, goarch } = input;
  const exe = goos === "windows" ? ".exe" : "";
  return [
    { name: "go/", type: "directory" },
    { name: "go/bin/", type: "directory" },
    {
      name: `go/bin/go${exe}`,
      mode: 0o755,
      data: `#!/bin/sh\necho "go version ${version} ${goos}/${goarch}"\n`,
    },
    { name: `go/bin/gofmt${exe}`, mode: 0o755, data: "#!/bin/sh\nexit 0\n" },
    { name: "go/VERSION", data: `${version}\ntime 2024-07-02T20:01:03Z\n` },
    {
      name: `go/pkg/tool/${goos}_${goarch}/compile${exe}`,
      mode: 0o755,
      data: "#!/bin/sh\nexit 0\n",
    },
    { name: "go/src/fmt/print.go", data: "package fmt\n" },
    { name: "go/go.env", data: "GOPROXY=https://proxy.golang.org,direct\nGOTOOLCHAIN=auto\n" },
  ];
}

function bytes(d: string | Uint8Array | undefined): Uint8Array {
  if (d === undefined) return new Uint8Array(0);
  return typeof d === "string" ? new TextEncoder().encode(d) : d;
}

async function collect(s: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(s).arrayBuffer());
}

/** makeTar packs entries into an uncompressed tar (modern-tar). */
export async function makeTar(entries: readonly DistEntry[]): Promise<Uint8Array> {
  const { readable, controller } = createTarPacker();
  const out = collect(readable);
  for (const e of entries) {
    const type = e.type ?? "file";
    const data = bytes(e.data);
    const w = controller.add({
      name: e.name,
      type,
      size: type === "file" ? e.size ?? data.length : 0,
      mode: e.mode ?? (type === "directory" ? 0o755 : 0o644),
      mtime: new Date(0),
      ...(e.linkname !== undefined ? { linkname: e.linkname } : {}),
    });
    const writer = w.getWriter();
    if (type === "file" && data.length > 0) await writer.write(data);
    await writer.close();
  }
  controller.finalize();
  return await out;
}

/** gzip compresses bytes with CompressionStream. */
export async function gzip(data: Uint8Array): Promise<Uint8Array> {
  const s = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return await collect(s as ReadableStream<Uint8Array>);
}

/** makeTarGz packs entries into a tar.gz. */
export async function makeTarGz(entries: readonly DistEntry[]): Promise<Uint8Array> {
  return await gzip(await makeTar(entries));
}

/** makeZip packs file and directory entries into a zip (fflate). */
export function makeZip(entries: readonly DistEntry[]): Uint8Array {
  const z: Record<string, Uint8Array | [Uint8Array, { attrs?: number; os?: number }]> = {};
  for (const e of entries) {
    if (e.type === "directory") z[e.name.endsWith("/") ? e.name : e.name + "/"] = new Uint8Array(0);
    else z[e.name] = [bytes(e.data), { os: 3, attrs: ((e.mode ?? 0o644) | 0o100000) << 16 }];
  }
  return zipSync(z, { mtime: new Date(2000, 0, 1) });
}

/** sha256Hex returns the lowercase hex SHA-256 of data. */
export async function sha256Hex(data: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", data as BufferSource));
  return [...d].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** TestKey is a generated OpenPGP key pair. */
export interface TestKey {
  privateKey: openpgp.PrivateKey;
  /** Armored public key, as Microsoft publishes it. */
  armoredPublic: string;
  /** Uppercase hex primary fingerprint. */
  fingerprint: string;
}

/** generateTestKey makes an Ed25519 signing key (fast enough for every test). */
export async function generateTestKey(name = "gtc test signer"): Promise<TestKey> {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: "ecc",
    curve: "ed25519Legacy",
    userIDs: [{ name, email: "signer@example.com" }],
    format: "object",
  });
  return {
    privateKey,
    armoredPublic: publicKey.armor(),
    fingerprint: publicKey.getFingerprint().toUpperCase(),
  };
}

/** signDetached makes a detached signature over data, binary (as .sig files) or armored. */
export async function signDetached(
  key: TestKey,
  data: Uint8Array,
  armored = false,
): Promise<Uint8Array> {
  const message = await openpgp.createMessage({ binary: data });
  if (armored) {
    const s = await openpgp.sign({ message, signingKeys: key.privateKey, detached: true });
    return new TextEncoder().encode(s as string);
  }
  return await openpgp.sign({
    message,
    signingKeys: key.privateKey,
    detached: true,
    format: "binary",
  }) as Uint8Array;
}

/** DistServer serves files from memory by URL path (plus query string, if any). */
export class DistServer {
  readonly files = new Map<string, Uint8Array>();
  /** Every path requested, in order. */
  readonly hits: string[] = [];

  /** put serves body at path (e.g. "/dl/go1.22.5.linux-amd64.tar.gz" or "/dl/?mode=json&include=all"). */
  put(path: string, body: string | Uint8Array): void {
    this.files.set(path, bytes(body));
  }

  /** Requests for these paths wait for the promise before being answered. */
  readonly gates = new Map<string, Promise<void>>();

  /** handler answers GET requests; anything unknown is 404. */
  readonly handler = async (req: Request): Promise<Response> => {
    const u = new URL(req.url);
    const key = u.pathname + u.search;
    this.hits.push(key);
    await this.gates.get(key);
    const body = this.files.get(key);
    if (body === undefined) return new Response("not found\n", { status: 404 });
    return new Response(body as BodyInit, { status: 200 });
  };

  /** count returns how many times path was requested. */
  count(path: string): number {
    return this.hits.filter((h) => h === path).length;
  }
}

/** GodlFile is a file for godlListing. */
export interface GodlFile {
  filename: string;
  os: string;
  arch: string;
  sha256: string;
  size: number;
  kind: "archive" | "installer" | "source";
}

/** godlListing renders the `?mode=json&include=all` document. */
export function godlListing(releases: { version: string; files: GodlFile[] }[]): string {
  return JSON.stringify(
    releases.map((r) => ({
      version: r.version,
      stable: !r.version.includes("beta") && !r.version.includes("rc"),
      files: r.files.map((f) => ({ ...f, version: r.version })),
    })),
    null,
    1,
  );
}

/** GodlPublishInput describes go.dev/dl releases to publish on a DistServer. */
export interface GodlPublishInput {
  server: DistServer;
  /** Path prefix standing for https://go.dev/dl, e.g. "/dl". */
  prefix: string;
  releases: {
    version: string;
    /** @default linux/amd64 */
    platform?: { goos: string; goarch: string };
    /** Archive members. @default goDistribution for the version and platform */
    entries?: DistEntry[];
    /** The listing's sha256 for the archive. @default its real SHA-256 */
    sha256?: string;
  }[];
  /**
   * Signs each tarball into `<archive>.asc`, armored as go.dev/dl serves it
   * (Windows zips get none, as on go.dev/dl). No .asc files when undefined.
   */
  key?: TestKey;
}

/**
 * publishGodl puts releases on the server the way go.dev/dl serves them:
 * `<prefix>/<filename>`, `<prefix>/<filename>.asc` for tarballs, and the
 * listing at `<prefix>/?mode=json&include=all`. It returns the archives by
 * file name ("go1.22.5.linux-amd64.tar.gz").
 */
export async function publishGodl(input: GodlPublishInput): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  const listing: { version: string; files: GodlFile[] }[] = [];
  for (const r of input.releases) {
    const p = r.platform ?? { goos: "linux", goarch: "amd64" };
    const entries = r.entries ?? goDistribution({ version: r.version, ...p });
    const zip = p.goos === "windows";
    const data = zip ? makeZip(entries) : await makeTarGz(entries);
    const arch = p.goarch === "arm" ? "armv6l" : p.goarch;
    const filename = `${r.version}.${p.goos}-${arch}.${zip ? "zip" : "tar.gz"}`;
    input.server.put(`${input.prefix}/${filename}`, data);
    if (input.key !== undefined && !zip) {
      input.server.put(
        `${input.prefix}/${filename}.asc`,
        await signDetached(input.key, data, true),
      );
    }
    out.set(filename, data);
    // Files of one version form one release, as in the real listing.
    let rel = listing.find((l) => l.version === r.version);
    if (rel === undefined) listing.push(rel = { version: r.version, files: [] });
    rel.files.push({
      filename,
      os: p.goos,
      arch,
      sha256: r.sha256 ?? await sha256Hex(data),
      size: data.length,
      kind: "archive",
    });
  }
  input.server.put(`${input.prefix}/?mode=json&include=all`, godlListing(listing));
  return out;
}

/** MsPublishInput describes one Microsoft build to publish on a DistServer. */
export interface MsPublishInput {
  server: DistServer;
  /** Path prefix standing for https://aka.ms/golang/release/latest, e.g. "/ms". */
  prefix: string;
  /** Pinned version "1.22.5-1". */
  version: string;
  /** Platforms with archives: "linux-amd64", "windows-amd64", …. */
  platforms: string[];
  key: TestKey;
  /** Replace an archive's bytes after signing/hashing (tamper tests). */
  tamper?: (platform: string, archive: Uint8Array) => Uint8Array;
  /**
   * The build the archives really hold, hashed and signed as if genuine
   * (a mirror's downgrade: "1.21.0-1" served as version). @default version
   */
  packed?: string;
  /** Also publish floating links (1.22 and 1.22.5). @default true */
  floating?: boolean;
}

/**
 * publishMicrosoftBuild puts a build on the server the way go-infra's aka.ms
 * links lay it out: for each of V ∈ {1.22, 1.22.5, 1.22.5-1}: go<V>.assets.json
 * and go<V>.<platform><ext>{,.sha256,.sig} (no .sig for Windows zips).
 * It returns the archives by platform.
 */
export async function publishMicrosoftBuild(
  input: MsPublishInput,
): Promise<Map<string, Uint8Array>> {
  const { server, prefix, version, key } = input;
  const [mmp] = version.split("-");
  const [maj, min] = mmp.split(".");
  const links = input.floating === false ? [version] : [`${maj}.${min}`, mmp, version];
  const archives = new Map<string, Uint8Array>();
  const arches: unknown[] = [];
  const blob = `https://blob.example/${version}`;
  for (const plat of input.platforms) {
    const [goos, dlArch] = plat.split("-");
    const goarch = dlArch === "armv6l" ? "arm" : dlArch;
    const packed = input.packed ?? version;
    const entries = goDistribution({ version: `go${packed.split("-")[0]}`, goos, goarch });
    entries.push({ name: "go/MICROSOFT_REVISION", data: packed.split("-")[1] + "\n" });
    const data = goos === "windows" ? makeZip(entries) : await makeTarGz(entries);
    const sum = await sha256Hex(data);
    const ext = goos === "windows" ? ".zip" : ".tar.gz";
    const blobName = `go${mmp}-20240704.3.${plat}${ext}`;
    const sig = goos === "windows" ? undefined : await signDetached(key, data);
    const served = input.tamper ? input.tamper(plat, data) : data;
    archives.set(plat, served);
    const env: Record<string, string> = { GOOS: goos, GOARCH: goarch };
    if (goarch === "arm") env.GOARM = "6";
    arches.push({
      env,
      sha256: sum,
      url: `${blob}/${blobName}`,
      sha256ChecksumUrl: `${blob}/${blobName}.sha256`,
      ...(sig ? { pgpSignatureUrl: `${blob}/${blobName}.sig` } : {}),
    });
    for (const v of links) {
      const base = `${prefix}/go${v}.${plat}${ext}`;
      server.put(base, served);
      server.put(base + ".sha256", `${sum}  ${blobName}\n`);
      if (sig) server.put(base + ".sig", sig);
    }
  }
  const assets = JSON.stringify(
    {
      branch: `microsoft/release-branch.go${maj}.${min}`,
      buildId: "1234567",
      version,
      arches,
      goSrcURL: `${blob}/go${mmp}-20240704.3.src.tar.gz`,
      goSrcSHA256: "0".repeat(64),
    },
    null,
    2,
  );
  for (const v of links) server.put(`${prefix}/go${v}.assets.json`, assets);
  return archives;
}
