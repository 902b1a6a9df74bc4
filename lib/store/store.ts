/**
 * gtc's own toolchain store: go.dev/dl and Microsoft builds, each a GOROOT
 * under $GTC_HOME/toolchains/<source>/<name>/ with <name>.json beside it and
 * a $GTC_HOME/bin/<name> symlink to its bin/go (docs/design/acquisition.md).
 *
 * Install order, so that a crash at any point leaves either nothing visible
 * or a complete, verified toolchain:
 *
 * 1. refuse an artifact without a SHA-256 or with a name that is not a toolchain name;
 * 2. take the store lock; delete leftovers of earlier crashed runs (".tmp-*"
 *    names, and GOROOT directories without metadata);
 * 3. download to toolchains/<source>/.tmp-<rand>.download, hashing as it streams;
 * 4. compare the SHA-256, then let the source verify the rest (OpenPGP);
 * 5. extract into toolchains/<source>/.tmp-<rand>/ (extract.ts rules) and
 *    check it holds bin/go and is the toolchain asked for: VERSION, the
 *    Microsoft revision, GOOS/GOARCH (identity.ts);
 * 6. rename it to toolchains/<source>/<name>/;
 * 7. write <name>.json (temp file + rename) — the toolchain is installed from
 *    this moment: list() shows only directories with metadata;
 * 8. point bin/<name> at it (temp symlink + rename).
 *
 * A verification failure at 4 or an unsafe archive at 5 is final: the
 * temporary files are deleted and the SecurityError propagates unchanged.
 *
 * @module
 */

import { join, type PathStyle } from "../_internal/path.ts";
import type { Artifact, HttpClient, Integrity, Platform, Source } from "../sources/mod.ts";
import { isHexSha256, SecurityError } from "../sources/mod.ts";
import { download } from "./download.ts";
import { defaultLimits, extractTarGz, extractZip, type Limits } from "./extract.ts";
import { checkIdentity } from "./identity.ts";
import type { StoreFs } from "./fs.ts";
import { isToolchainName, StorePaths, type StoreSourceName, storeSources } from "./home.ts";

/** ToolchainMetadata is the content of toolchains/<source>/<name>.json. */
export interface ToolchainMetadata {
  /** Format version of this file. */
  schema: 1;
  source: StoreSourceName;
  /** Store name: "go1.22.5", "go1.22.5-1". */
  name: string;
  /** Version the toolchain reports: "go1.22.5". */
  version: string;
  platform: Platform;
  url: string;
  /** Lowercase hex SHA-256 of the archive as downloaded and verified. */
  sha256: string;
  /** Archive size in bytes. */
  size: number;
  integrity: Integrity;
  /** What verified it beyond the SHA-256 (e.g. the signing key). */
  checks: string[];
  /** Notices shown at install time (e.g. no signature exists for Windows zips). */
  notices: string[];
  /**
   * Environment the toolchain must run with. Microsoft builds record
   * { GOTOOLCHAIN: "local" }: they are not in the golang.org/toolchain module
   * system, and their own $GOROOT/go.env sets it too.
   */
  env: Record<string, string>;
  /** RFC 3339 times. */
  installedAt: string;
  lastUsed: string;
}

/** Toolchain is an installed toolchain. */
export interface Toolchain extends ToolchainMetadata {
  /** The GOROOT directory. */
  goroot: string;
  /** $GTC_HOME/bin/<name>. */
  link: string;
  /** Reports whether link exists and points at this toolchain. */
  linked: boolean;
}

/** InstallResult reports an install. */
export interface InstallResult {
  toolchain: Toolchain;
  /** Reports whether the toolchain was already present (nothing downloaded). */
  alreadyInstalled: boolean;
}

/** StoreOptions configures a Store. */
export interface StoreOptions {
  /** $GTC_HOME (see gtcHome). */
  home: string;
  fs: StoreFs;
  http: HttpClient;
  style?: PathStyle;
  /** Clock for installedAt/lastUsed. @default () => new Date() */
  now?: () => Date;
  limits?: Partial<Limits>;
}

/** InstallOptions adjusts one install. */
export interface InstallOptions {
  /** Replace an installed toolchain of the same name. @default false */
  force?: boolean;
  signal?: AbortSignal;
  /** Called with each of artifact.notices before downloading; the CLI prints them. */
  onNotice?: (notice: string) => void;
  onProgress?: (done: number, total: number | undefined) => void;
}

/** Store installs, lists and removes toolchains under one $GTC_HOME. */
export class Store {
  readonly paths: StorePaths;
  readonly #fs: StoreFs;
  readonly #http: HttpClient;
  readonly #now: () => Date;
  readonly #limits: Limits;
  readonly #style: PathStyle;

  constructor(opts: StoreOptions) {
    this.#style = opts.style ?? "posix";
    this.paths = new StorePaths(opts.home, this.#style);
    this.#fs = opts.fs;
    this.#http = opts.http;
    this.#now = opts.now ?? (() => new Date());
    this.#limits = { ...defaultLimits, ...opts.limits };
  }

  // locked runs f holding the store lock, which serializes installs and removals
  // (and so the deletion of temporary names, which only a holder may create).
  async #locked<T>(f: () => Promise<T> | T): Promise<T> {
    this.#fs.mkdir(this.paths.toolchains, { recursive: true });
    const unlock = await this.#fs.lock(this.paths.lock);
    try {
      return await f();
    } finally {
      unlock();
    }
  }

  // metaLocked runs f holding the metadata lock, which serializes writers of
  // <name>.json. touch() takes only this one, so recording a use never waits
  // for a download; the lock order is store lock, then metadata lock.
  async #metaLocked<T>(f: () => T): Promise<T> {
    this.#fs.mkdir(this.paths.toolchains, { recursive: true });
    const unlock = await this.#fs.lock(this.paths.metaLock);
    try {
      return f();
    } finally {
      unlock();
    }
  }

  /**
   * install downloads, verifies and installs artifact from source (see the
   * module doc for the order). It throws SecurityError for any failed check,
   * leaving nothing behind.
   */
  async install(
    source: Source,
    artifact: Artifact,
    opts: InstallOptions = {},
  ): Promise<InstallResult> {
    const a = artifact;
    if (a.source !== source.name) {
      throw new Error(`internal error: artifact from ${a.source} given to source ${source.name}`);
    }
    if (a.source !== "godl" && a.source !== "microsoft") {
      throw new Error(`${a.source} toolchains are not kept in gtc's store`);
    }
    if (!isToolchainName(a.name)) {
      throw new SecurityError(
        `refusing toolchain name ${JSON.stringify(a.name)} from ${a.url}: not a Go toolchain name`,
        {
          name: a.name,
        },
      );
    }
    // An empty or malformed hash is a refusal, never a pass (go.dev/dl lists "" for old files).
    if (!isHexSha256(a.sha256)) {
      throw new SecurityError(
        `refusing ${a.filename}: no SHA-256 to verify it against (${
          a.sha256Origin || "none published"
        })`,
        {
          file: a.filename,
          sha256: a.sha256,
        },
      );
    }
    if (a.integrity === "sha256+pgp" && a.signatureUrl === undefined) {
      throw new SecurityError(`refusing ${a.filename}: a signature is required but none is named`, {
        file: a.filename,
      });
    }
    const src: StoreSourceName = a.source;
    for (const n of a.notices) opts.onNotice?.(n);

    return await this.#locked(async () => {
      await this.#metaLocked(() => this.#cleanLocked());
      const existing = this.#read(src, a.name);
      if (existing !== undefined && !opts.force) {
        this.#linkLocked(src, a.name);
        return { toolchain: this.#read(src, a.name)!, alreadyInstalled: true };
      }

      const dir = this.paths.sourceDir(src);
      this.#fs.mkdir(dir, { recursive: true });
      const tmp = join(this.#style, dir, `.tmp-${this.#fs.randomName()}`);
      const archive = tmp + ".download";
      try {
        // 3. Download while hashing.
        const got = await download({
          http: this.#http,
          fs: this.#fs,
          url: a.url,
          dest: archive,
          maxBytes: this.#limits.maxArchiveBytes,
          ...(a.size !== undefined ? { declaredSize: a.size } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        });

        // 4. Verify: SHA-256 first, then whatever the source adds (signatures).
        if (got.sha256 !== a.sha256.toLowerCase()) {
          throw new SecurityError(checksumMismatch(a, got.sha256), {
            file: a.filename,
            url: a.url,
            downloaded: got.sha256,
            published: a.sha256,
            origin: a.sha256Origin,
          });
        }
        const verification = await source.verify(a, () => this.#fs.openRead(archive));
        if (a.integrity === "sha256+pgp" && verification.checks.length === 0) {
          throw new SecurityError(
            `verifying ${a.filename}: source ${source.name} checked no signature`,
            {
              file: a.filename,
            },
          );
        }

        // 5. Extract into a temporary directory inside the store and check it is a GOROOT.
        this.#fs.mkdir(tmp);
        const extract = a.kind === "zip" ? extractZip : extractTarGz;
        await extract({
          fs: this.#fs,
          data: this.#fs.openRead(archive),
          dest: tmp,
          archive: a.filename,
          style: this.#style,
          limits: this.#limits,
        });
        const goExe = join(
          this.#style,
          tmp,
          "bin",
          a.platform.goos === "windows" ? "go.exe" : "go",
        );
        if (!this.#fs.lstat(goExe)?.isFile) {
          throw new SecurityError(
            `extracting ${a.filename}: no go/bin/go in the archive; not a Go distribution`,
            {
              file: a.filename,
            },
          );
        }
        // A signed archive of another version or platform served under this
        // name (a downgrade by a mirror) is refused before it is visible.
        await checkIdentity(this.#fs, tmp, a, this.#style);

        // 6. Move into place. A forced reinstall hides the old metadata first,
        // so the name is never visible with a half-replaced tree.
        const goroot = this.paths.goroot(src, a.name);
        const meta = this.paths.metadata(src, a.name);
        await this.#metaLocked(() => this.#fs.remove(meta));
        if (this.#fs.lstat(goroot) !== undefined) {
          const old = join(this.#style, dir, `.tmp-${this.#fs.randomName()}`);
          this.#fs.rename(goroot, old);
          this.#fs.remove(old, { recursive: true });
        }
        this.#fs.rename(tmp, goroot);

        // 7. Metadata makes it installed.
        const now = this.#now().toISOString();
        const md: ToolchainMetadata = {
          schema: 1,
          source: src,
          name: a.name,
          version: a.version,
          platform: a.platform,
          url: a.url,
          sha256: got.sha256,
          size: got.size,
          integrity: a.integrity,
          checks: verification.checks,
          notices: a.notices,
          env: { ...a.env },
          installedAt: now,
          lastUsed: now,
        };
        await this.#metaLocked(() => this.#writeMeta(src, a.name, md));

        // 8. The PATH entry.
        this.#linkLocked(src, a.name);
        return { toolchain: this.#read(src, a.name)!, alreadyInstalled: false };
      } finally {
        this.#fs.remove(archive);
        this.#fs.remove(tmp, { recursive: true });
      }
    });
  }

  // writeMeta replaces <name>.json atomically; callers hold the metadata lock.
  #writeMeta(src: StoreSourceName, name: string, md: ToolchainMetadata) {
    const meta = this.paths.metadata(src, name);
    const tmp = join(this.#style, this.paths.sourceDir(src), `.tmp-${this.#fs.randomName()}.json`);
    this.#fs.writeFile(tmp, new TextEncoder().encode(JSON.stringify(md, null, 2) + "\n"), {
      mode: 0o644,
    });
    this.#fs.rename(tmp, meta);
  }

  // linkLocked points bin/<name> at the toolchain's bin/go, replacing any other link atomically.
  #linkLocked(src: StoreSourceName, name: string) {
    const target = this.paths.linkTarget(src, name);
    const link = this.paths.link(name);
    this.#fs.mkdir(this.paths.bin, { recursive: true });
    const st = this.#fs.lstat(link);
    if (st?.isSymlink && this.#fs.readLink(link) === target) return;
    const tmp = join(this.#style, this.paths.bin, `.tmp-${this.#fs.randomName()}`);
    this.#fs.symlink(target, tmp);
    this.#fs.rename(tmp, link);
  }

  // cleanLocked deletes what crashed runs left: temporary names, GOROOTs
  // without metadata, and metadata without a GOROOT. Callers hold both locks
  // (touch() writes its temporary file under the metadata lock only).
  #cleanLocked(): number {
    let n = 0;
    for (const src of storeSources) {
      const dir = this.paths.sourceDir(src);
      const entries = this.#fs.readDir(dir);
      const names = new Set(entries.map((e) => e.name));
      for (const e of entries) {
        const p = join(this.#style, dir, e.name);
        if (e.name.startsWith(".tmp-")) {
          this.#fs.remove(p, { recursive: true });
          n++;
        } else if (e.isDirectory && !names.has(e.name + ".json")) {
          this.#fs.remove(p, { recursive: true });
          n++;
        } else if (e.name.endsWith(".json") && !names.has(e.name.slice(0, -5))) {
          this.#fs.remove(p);
          n++;
        }
      }
    }
    for (const e of this.#fs.readDir(this.paths.bin)) {
      if (e.name.startsWith(".tmp-")) {
        this.#fs.remove(join(this.#style, this.paths.bin, e.name));
        n++;
      }
    }
    return n;
  }

  /** clean deletes leftovers of interrupted installs and returns how many it removed. */
  async clean(): Promise<number> {
    return await this.#locked(() => this.#metaLocked(() => this.#cleanLocked()));
  }

  // read returns an installed toolchain: a directory with readable metadata.
  #read(src: StoreSourceName, name: string): Toolchain | undefined {
    const goroot = this.paths.goroot(src, name);
    if (!this.#fs.lstat(goroot)?.isDirectory) return undefined;
    let md: ToolchainMetadata;
    try {
      md = JSON.parse(new TextDecoder().decode(this.#fs.readFile(this.paths.metadata(src, name))));
    } catch {
      return undefined;
    }
    if (md.name !== name || md.source !== src) return undefined;
    const link = this.paths.link(name);
    const st = this.#fs.lstat(link);
    const linked = st?.isSymlink === true &&
      this.#fs.readLink(link) === this.paths.linkTarget(src, name);
    return { ...md, goroot, link, linked };
  }

  /** list returns installed toolchains, sorted by source then name; temporary and incomplete entries are skipped. */
  list(): Toolchain[] {
    const out: Toolchain[] = [];
    for (const src of storeSources) {
      for (const e of this.#fs.readDir(this.paths.sourceDir(src))) {
        if (!e.isDirectory || e.name.startsWith(".") || !isToolchainName(e.name)) continue;
        const t = this.#read(src, e.name);
        if (t !== undefined) out.push(t);
      }
    }
    return out.sort((x, y) => x.source.localeCompare(y.source) || x.name.localeCompare(y.name));
  }

  /** get returns the installed toolchain called name (any source), or undefined. */
  get(name: string): Toolchain | undefined {
    if (!isToolchainName(name)) return undefined;
    for (const src of storeSources) {
      const t = this.#read(src, name);
      if (t !== undefined) return t;
    }
    return undefined;
  }

  /**
   * touch records that the toolchain was just used (metadata lastUsed),
   * replacing the metadata file atomically. It reports whether name is installed.
   */
  async touch(name: string): Promise<boolean> {
    return await this.#metaLocked(() => {
      const t = this.get(name);
      if (t === undefined) return false;
      const { goroot: _g, link: _l, linked: _k, ...md } = t;
      this.#writeMeta(t.source, name, { ...md, lastUsed: this.#now().toISOString() });
      return true;
    });
  }

  /**
   * remove uninstalls name: its metadata goes first (so it stops being
   * installed), then its bin link if it points at it, then the tree (renamed
   * to a temporary name before deletion). It reports whether name was installed.
   */
  async remove(name: string): Promise<boolean> {
    return await this.#locked(async () => {
      const t = this.get(name);
      if (t === undefined) return false;
      const src = t.source;
      await this.#metaLocked(() => this.#fs.remove(this.paths.metadata(src, name)));
      if (t.linked) this.#fs.remove(t.link);
      const old = join(this.#style, this.paths.sourceDir(src), `.tmp-${this.#fs.randomName()}`);
      this.#fs.rename(t.goroot, old);
      this.#fs.remove(old, { recursive: true });
      return true;
    });
  }
}

// checksumMismatch words a SHA-256 mismatch the way cmd/go words a go.sum mismatch.
function checksumMismatch(a: Artifact, got: string): string {
  return `verifying ${a.filename}: checksum mismatch\n` +
    `\tdownloaded: ${got}\n` +
    `\tpublished:  ${a.sha256.toLowerCase()} (${a.sha256Origin})\n\n` +
    `SECURITY ERROR\n` +
    `This download does NOT match the checksum its source published.\n` +
    `The bits may have been replaced on the origin server, or an attacker may\n` +
    `have intercepted the download attempt. Nothing was installed.`;
}
