/**
 * OverlayFs: a ReadFs that shows a few files with replaced contents over
 * another ReadFs, so the REPL can ask "what would the go command decide if
 * go.mod said this" with nothing written to disk. Only existing regular files
 * are replaced; everything else reads through.
 *
 * @module
 */

import type { FileInfo, ReadFs } from "../_internal/sys.ts";

/** OverlayFs replaces the contents of some files of a base ReadFs. */
export class OverlayFs implements ReadFs {
  readonly #base: ReadFs;
  // path (as given and resolved) → replacement
  readonly #files = new Map<string, Uint8Array>();
  // the path given to set → its resolved alias, to remove both
  readonly #aliases = new Map<string, string>();

  constructor(base: ReadFs) {
    this.#base = base;
  }

  /** base is the file system under the overlay. */
  get base(): ReadFs {
    return this.#base;
  }

  /**
   * set replaces the contents of the file at path (which must exist in the
   * base as a file). A path reached through symlinks is replaced under its
   * resolved name too, so every way of reading the file sees the change.
   */
  set(path: string, data: Uint8Array): void {
    this.delete(path);
    this.#files.set(path, data);
    try {
      const real = this.#base.realPath(path);
      if (real !== path) {
        this.#files.set(real, data);
        this.#aliases.set(path, real);
      }
    } catch {
      // Unresolvable: only the given path is replaced.
    }
  }

  /** delete drops the replacement of path: the base file shows again. */
  delete(path: string): void {
    this.#files.delete(path);
    const alias = this.#aliases.get(path);
    if (alias !== undefined) {
      this.#files.delete(alias);
      this.#aliases.delete(path);
    }
  }

  /** clear drops every replacement. */
  clear(): void {
    this.#files.clear();
    this.#aliases.clear();
  }

  /** has reports whether path's contents are replaced. */
  has(path: string): boolean {
    return this.#files.has(path);
  }

  /** paths lists the replaced files as they were given to set. */
  paths(): string[] {
    const aliases = new Set(this.#aliases.values());
    return [...this.#files.keys()].filter((p) => this.#aliases.has(p) || !aliases.has(p));
  }

  /** original returns the base's bytes for path. */
  original(path: string): Uint8Array {
    return this.#base.readFile(path);
  }

  readFile(path: string): Uint8Array {
    const data = this.#files.get(path);
    if (data !== undefined) return data.slice();
    return this.#base.readFile(path);
  }

  stat(path: string): FileInfo | undefined {
    return this.#resize(path, this.#base.stat(path));
  }

  lstat(path: string): FileInfo | undefined {
    const info = this.#base.lstat(path);
    return info?.isSymlink ? info : this.#resize(path, info);
  }

  readLink(path: string): string {
    return this.#base.readLink(path);
  }

  realPath(path: string): string {
    return this.#base.realPath(path);
  }

  readDir(path: string): string[] {
    return this.#base.readDir(path);
  }

  isExecutable(path: string): boolean {
    return this.#base.isExecutable(path);
  }

  #resize(path: string, info: FileInfo | undefined): FileInfo | undefined {
    const data = this.#files.get(path);
    if (info === undefined || data === undefined) return info;
    return { ...info, size: data.length };
  }
}
