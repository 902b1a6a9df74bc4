/**
 * Module zip checks: golang.org/x/mod/zip CheckZip (x/mod as vendored in
 * go1.26), with its error texts. A behaviour change here needs a failing
 * fixture in testdata/ first: the go command refuses a zip this accepts, or
 * the reverse, and either way the shared module cache diverges.
 *
 * @module
 */

import { canonicalVersion, check, checkFilePath } from "../module/mod.ts";
import { isValidUTF8, quote } from "./_bytes.ts";
import { strToFold } from "./_fold.ts";
import { goQuote } from "../_internal/go_quote.ts";
import { type RandomAccessFile, readZip, type ZipEntry } from "./reader.ts";

/** A module path and version, e.g. golang.org/toolchain v0.0.1-go1.22.0.linux-amd64. */
export interface ModuleVersion {
  path: string;
  version: string;
}

/** MaxZipFile is the largest module zip, and the largest total uncompressed size (500 MiB). */
export const maxZipFile = 500 << 20;
/** MaxGoMod is the largest go.mod in a module zip (16 MiB). */
export const maxGoMod = 16 << 20;
/** MaxLICENSE is the largest LICENSE in a module zip (16 MiB). */
export const maxLICENSE = 16 << 20;

/** A FileError is one file's problem, printed "path: err" as x/mod's FileError. */
export interface FileError {
  path: string;
  err: string;
}

/**
 * CheckedFiles reports which entries of a module zip are valid and which are
 * not, as x/mod's CheckedFiles. err() gives the error the set amounts to.
 */
export class CheckedFiles {
  /** Entry names that may be extracted. */
  valid: string[] = [];
  /** Never filled for zips (x/mod only omits files when creating). */
  omitted: FileError[] = [];
  /** Entries that make the zip invalid, with the reason. */
  invalid: FileError[] = [];
  /** Set when the zip or its total uncompressed size is over maxZipFile. */
  sizeError?: string;

  /** err returns the size error, else the invalid files as one error, else undefined. */
  err(): ModZipCheckError | undefined {
    if (this.sizeError !== undefined) return new ModZipCheckError(this.sizeError, this);
    if (this.invalid.length > 0) {
      return new ModZipCheckError(this.invalid.map((e) => `${e.path}: ${e.err}`).join("\n"), this);
    }
  }
}

/** ModZipCheckError is the failure of a module zip check; checked has the details. */
export class ModZipCheckError extends Error {
  constructor(message: string, readonly checked?: CheckedFiles) {
    super(message);
    this.name = "ModZipCheckError";
  }
}

const errPathNotClean = "file path is not clean";
const errGoModCase = "go.mod files must have lowercase names";

/** cleanPath is path.Clean for slash-separated paths. */
export function cleanPath(p: string): string {
  if (p === "") return ".";
  const rooted = p[0] === "/";
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(part);
  }
  const body = out.join("/");
  if (rooted) return "/" + body;
  return body === "" ? "." : body;
}

function pathDir(p: string): string {
  const i = p.lastIndexOf("/");
  return cleanPath(i < 0 ? "" : p.slice(0, i + 1));
}

function pathBase(p: string): string {
  p = p.replace(/\/+$/, "");
  if (p === "") return "/";
  return p.slice(p.lastIndexOf("/") + 1);
}

// collisionChecker finds case-insensitive name collisions and paths that are
// listed as both files and directories (x/mod zip collisionChecker).
class CollisionChecker {
  #seen = new Map<string, { path: string; isDir: boolean }>();

  check(p: string, isDir: boolean): string | undefined {
    const fold = strToFold(p);
    const other = this.#seen.get(fold);
    if (other !== undefined) {
      if (p !== other.path) {
        return `case-insensitive file name collision: ${quote(other.path)} and ${quote(p)}`;
      }
      if (isDir !== other.isDir) return `entry ${quote(p)} is both a file and a directory`;
      if (!isDir) return `multiple entries for file ${quote(p)}`;
      // The same directory again (parents are checked for every file).
    } else {
      this.#seen.set(fold, { path: p, isDir });
    }
    const parent = pathDir(p);
    if (parent !== ".") return this.check(parent, true);
  }
}

/**
 * checkModuleVersion returns the error checkZip gives for a module path and
 * version before looking at the zip: a non-canonical version or a failing
 * module.Check.
 */
export function checkModuleVersion(m: ModuleVersion): string | undefined {
  const vers = canonicalVersion(m.version);
  if (vers !== m.version) {
    return `version ${goQuote(m.version)} is not canonical (should be ${goQuote(vers)})`;
  }
  return withByteQuotes(check(m.path, m.version)?.message, m.path);
}

// withByteQuotes re-quotes p in a lib/module message the way Go quotes the
// bytes it stands for: lib/module quotes an escaped byte as \ufffd, Go as \xNN.
function withByteQuotes(msg: string | undefined, p: string): string | undefined {
  if (msg === undefined || isValidUTF8(p)) return msg;
  return msg.replace(goQuote(p), quote(p));
}

/** The result of checkZipFile: the central directory and the verdict on it. */
export interface CheckZipResult {
  entries: ZipEntry[];
  checked: CheckedFiles;
}

/**
 * checkZipFile checks an open module zip for m, as x/mod zip's checkZip does:
 * the module path and version, the zip size, then every entry's name
 * (prefix, clean, CheckFilePath, case-fold collisions, file/directory
 * conflicts, duplicates, go.mod placement and case) and the declared sizes
 * (total, go.mod, LICENSE). It reads only the central directory.
 *
 * Problems with entries are collected in the result's checked (call
 * checked.err()); problems with the module version, the zip size or the zip
 * structure throw.
 *
 * @throws {ModZipCheckError} the version or module path is invalid, or the
 * zip is too large (its checked.sizeError is set).
 * @throws {ZipFormatError} the zip cannot be read.
 */
export function checkZipFile(m: ModuleVersion, f: RandomAccessFile): CheckZipResult {
  const merr = checkModuleVersion(m);
  if (merr !== undefined) throw new ModZipCheckError(merr);

  const zipSize = f.size;
  if (zipSize > maxZipFile) {
    const cf = new CheckedFiles();
    cf.sizeError = `module zip file is too large (${zipSize} bytes; limit is ${maxZipFile} bytes)`;
    throw cf.err()!;
  }

  const cf = new CheckedFiles();
  const entries = readZip(f);
  const addError = (e: ZipEntry, err: string) => cf.invalid.push({ path: e.name, err });
  const prefix = `${m.path}@${m.version}/`;
  const collisions = new CollisionChecker();
  let size = 0;
  for (const zf of entries) {
    if (!zf.name.startsWith(prefix)) {
      addError(zf, `path does not have prefix ${goQuote(prefix)}`);
      continue;
    }
    let name = zf.name.slice(prefix.length);
    if (name === "") continue;
    const isDir = name.endsWith("/");
    if (isDir) name = name.slice(0, -1);
    if (cleanPath(name) !== name) {
      addError(zf, errPathNotClean);
      continue;
    }
    const perr = withByteQuotes(checkFilePath(name), name);
    if (perr !== undefined) {
      addError(zf, perr);
      continue;
    }
    const cerr = collisions.check(name, isDir);
    if (cerr !== undefined) {
      addError(zf, cerr);
      continue;
    }
    if (isDir) continue;
    const base = pathBase(name);
    if (strToFold(base) === "go.mod") {
      if (base !== name) {
        addError(zf, "go.mod file not in module root directory");
        continue;
      }
      if (name !== "go.mod") {
        addError(zf, errGoModCase);
        continue;
      }
    }
    // sz is int64(UncompressedSize64): 2⁶³ and above are negative, which
    // counts as too large for the total but not for go.mod and LICENSE.
    const sz = Number(BigInt.asIntN(64, zf.uncompressedSize));
    if (sz >= 0 && maxZipFile - size >= sz) {
      size += sz;
    } else if (cf.sizeError === undefined) {
      cf.sizeError =
        `total uncompressed size of module contents too large (max size is ${maxZipFile} bytes)`;
    }
    if (name === "go.mod" && sz > maxGoMod) {
      addError(zf, `go.mod file too large (max size is ${maxGoMod} bytes)`);
      continue;
    }
    if (name === "LICENSE" && sz > maxLICENSE) {
      addError(zf, `LICENSE file too large (max size is ${maxLICENSE} bytes)`);
      continue;
    }
    cf.valid.push(zf.name);
  }
  return { entries, checked: cf };
}
