/**
 * gtc's own releases: the asset names (compiled binaries per platform and
 * the one-file bundle), the SHA256SUMS file that lists them, and a verified
 * fetch-and-replace of the running program (`gtc self-update`). Written by
 * scripts/compile.ts, read by scripts/install.sh, scripts/install.ps1 and
 * self-update: the names below are the contract between them.
 *
 * @module
 */

import { type HttpClient, readCapped } from "../_internal/http.ts";

/** The checksum file of a release: `<sha256 hex>  <asset>` lines, as sha256sum writes. */
export const SUMS_ASSET = "SHA256SUMS";

/** The one-file bundle: runs on any Deno (`deno run -A --no-config gtc.js`). */
export const BUNDLE_ASSET = "gtc.js";

/** The compiled binaries of a release, by "<goos>-<goarch>", with deno compile's target. */
export const BINARY_TARGETS: Readonly<Record<string, { asset: string; denoTarget: string }>> = {
  "linux-amd64": { asset: "gtc-linux-amd64", denoTarget: "x86_64-unknown-linux-gnu" },
  "linux-arm64": { asset: "gtc-linux-arm64", denoTarget: "aarch64-unknown-linux-gnu" },
  "windows-amd64": { asset: "gtc-windows-amd64.exe", denoTarget: "x86_64-pc-windows-msvc" },
};

/** The largest asset gtc downloads (a compiled binary is ~100 MB). */
const MAX_ASSET_BYTES = 512 << 20;
/** The largest SHA256SUMS gtc reads. */
const MAX_SUMS_BYTES = 64 << 10;

/**
 * binaryAsset returns the release asset of the compiled gtc for a platform
 * in Go's names, or undefined when there is none (Deno has no 32-bit ARM
 * target, for one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { binaryAsset } from "./mod.ts";
 * assert.equal(binaryAsset("linux", "arm64"), "gtc-linux-arm64");
 * assert.equal(binaryAsset("linux", "arm"), undefined);
 * ```
 */
export function binaryAsset(goos: string, goarch: string): string | undefined {
  return BINARY_TARGETS[`${goos}-${goarch}`]?.asset;
}

/**
 * parseSums reads a SHA256SUMS file: `<64 hex digits> <space or *><name>`
 * per line (sha256sum's text and binary modes), blank lines allowed.
 *
 * @throws {Error} naming file:line for a malformed line or a name listed twice
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSums } from "./mod.ts";
 * const h = "ab".repeat(32);
 * assert.equal(parseSums(`${h}  gtc.js\n`).get("gtc.js"), h);
 * assert.throws(() => parseSums("xyz gtc.js\n"), /SHA256SUMS:1: /);
 * ```
 */
export function parseSums(text: string, file = SUMS_ASSET): Map<string, string> {
  const sums = new Map<string, string>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, "");
    if (line.trim() === "") continue;
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
    if (m === null) {
      throw new Error(
        `${file}:${i + 1}: want "<sha256 hex>  <file name>", got ${JSON.stringify(line)}`,
      );
    }
    if (sums.has(m[2])) throw new Error(`${file}:${i + 1}: ${m[2]} is listed twice`);
    sums.set(m[2], m[1].toLowerCase());
  }
  return sums;
}

/** formatSums writes a SHA256SUMS file (sorted by name, as sha256sum would list them). */
export function formatSums(sums: ReadonlyMap<string, string>): string {
  return [...sums].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
    .map(([name, hex]) => `${hex}  ${name}\n`).join("");
}

/** sha256Hex returns the SHA-256 of data in lower-case hex. */
export async function sha256Hex(data: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>));
  return [...d].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * checkBase refuses a release URL whose answers could be swapped on the way:
 * plain http is allowed only to this machine (tests, a local mirror).
 *
 * @throws {Error} for anything but https:, file: or http://127.0.0.1|localhost|[::1]
 */
export function checkBase(base: string): string {
  let u: URL;
  try {
    u = new URL(base.endsWith("/") ? base : base + "/");
  } catch {
    throw new Error(`release URL ${JSON.stringify(base)} is not a URL`);
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);
  if (u.protocol === "https:" || u.protocol === "file:" || (u.protocol === "http:" && loopback)) {
    return u.href;
  }
  throw new Error(
    `release URL ${base}: want https (plain http only to this machine), or a file: URL`,
  );
}

/** A verified asset. */
export interface VerifiedAsset {
  name: string;
  url: string;
  data: Uint8Array;
  sha256: string;
}

async function get(http: HttpClient, url: string, limit: number): Promise<Uint8Array> {
  const r = await http.get(url);
  if (r.status !== 200) {
    await r.body?.cancel().catch(() => {});
    throw new Error(`${url}: ${r.status === 404 ? "not found" : `HTTP ${r.status}`}`);
  }
  return await readCapped(r.body, limit, () => new Error(`${url}: more than ${limit} bytes`));
}

/**
 * fetchVerified downloads base's SHA256SUMS and the asset, and returns the
 * asset only when its SHA-256 is the one listed.
 *
 * @throws {Error} when the asset is not listed, or its checksum differs
 *   ("checksum mismatch …: not installed")
 */
export async function fetchVerified(
  http: HttpClient,
  base: string,
  asset: string,
): Promise<VerifiedAsset> {
  const root = checkBase(base);
  const sumsURL = new URL(SUMS_ASSET, root).href;
  const sums = parseSums(
    new TextDecoder().decode(await get(http, sumsURL, MAX_SUMS_BYTES)),
    sumsURL,
  );
  const want = sums.get(asset);
  if (want === undefined) throw new Error(`${sumsURL} does not list ${asset}`);
  const url = new URL(asset, root).href;
  const data = await get(http, url, MAX_ASSET_BYTES);
  const got = await sha256Hex(data);
  if (got !== want) {
    throw new Error(
      `checksum mismatch for ${url}: SHA256SUMS says ${want}, the download is ${got}; not installed`,
    );
  }
  return { name: asset, url, data, sha256: got };
}

/** The file operations replaceFile needs (lib/host's denoWriteFs has them). */
export interface ReplaceFs {
  readFile(path: string): Uint8Array;
  writeNew(path: string, data: Uint8Array, mode: number): void;
  rename(from: string, to: string): void;
  remove(path: string): void;
  chmod(path: string, mode: number): void;
}

/**
 * replaceFile puts data at target atomically: written beside it under a
 * temporary name, then renamed over it, so target is always either the old
 * file or the whole new one. On Windows a running .exe cannot be replaced but
 * can be renamed: it is moved to `<target>.old` first (removed on the next
 * update).
 */
export function replaceFile(
  fs: ReplaceFs,
  target: string,
  data: Uint8Array,
  opts: { windows: boolean; tmpSuffix: string },
): void {
  const tmp = `${target}.${opts.tmpSuffix}.tmp`;
  fs.writeNew(tmp, data, 0o755);
  try {
    fs.chmod(tmp, 0o755);
    if (opts.windows) {
      try {
        fs.remove(`${target}.old`);
      } catch {
        // None left by an earlier update.
      }
      fs.rename(target, `${target}.old`);
    }
    fs.rename(tmp, target);
  } catch (e) {
    try {
      fs.remove(tmp);
    } catch {
      // Already gone.
    }
    throw e;
  }
}

/** SelfUpdateResult says what selfUpdate did. */
export interface SelfUpdateResult {
  target: string;
  url: string;
  sha256: string;
  /** The file already had these bytes: nothing was written. */
  upToDate: boolean;
}

/**
 * selfUpdate fetches asset from base, verifies it against SHA256SUMS and
 * replaces target with it, unless target already holds those bytes.
 */
export async function selfUpdate(
  deps: { http: HttpClient; fs: ReplaceFs; windows: boolean; tmpSuffix: string },
  opts: { base: string; asset: string; target: string },
): Promise<SelfUpdateResult> {
  const a = await fetchVerified(deps.http, opts.base, opts.asset);
  let current: string | undefined;
  try {
    current = await sha256Hex(deps.fs.readFile(opts.target));
  } catch {
    // Unreadable: replace it.
  }
  const r = { target: opts.target, url: a.url, sha256: a.sha256 };
  if (current === a.sha256) return { ...r, upToDate: true };
  replaceFile(deps.fs, opts.target, a.data, deps);
  return { ...r, upToDate: false };
}
