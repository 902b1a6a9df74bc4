/**
 * Module zip files: reading them by random access, checking them as the go
 * command does (golang.org/x/mod/zip CheckZip), extracting them safely
 * (Unzip) and hashing them (dirhash HashZip), all with Go's error texts.
 *
 * A module zip for `<path>@<version>` holds only entries named
 * `<path>@<version>/<file>`: clean relative paths that pass
 * module.CheckFilePath, no two equal under Unicode case folding, no name both
 * a file and a directory, go.mod only at the root and in lower case, at most
 * 500 MiB compressed and 500 MiB uncompressed, go.mod and LICENSE at most
 * 16 MiB each. Extraction creates only regular files (0444) and directories:
 * modes in the zip are ignored, so a symlink entry becomes a file holding the
 * link text, and nothing can be written outside the target.
 *
 * File access goes through UnzipFs and native code through Codec;
 * lib/host/fs_write.ts and lib/host/zip_codec.ts implement them.
 *
 * @example Check and hash a module zip, then extract it
 * ```ts ignore
 * import { nodeCodec } from "../host/zip_codec.ts";
 * import { denoWriteFs } from "../host/fs_write.ts";
 * import { checkZip, hashZip, unzip } from "./mod.ts";
 * const m = { path: "golang.org/toolchain", version: "v0.0.1-go1.22.0.linux-amd64" };
 * checkZip(denoWriteFs, m, "/tmp/t.zip").err(); // undefined when valid
 * hashZip(denoWriteFs, "/tmp/t.zip", nodeCodec); // "h1:…"
 * unzip(denoWriteFs, { dir: "/tmp/out", module: m, zipFile: "/tmp/t.zip", codec: nodeCodec });
 * ```
 *
 * @module
 */

export {
  type Codec,
  errAlgorithm,
  errChecksum,
  errFormat,
  errUnexpectedEOF,
  type Inflater,
  isDirEntry,
  type RandomAccessFile,
  readEntry,
  readZip,
  type Sha256Hasher,
  type ZipEntry,
  ZipFormatError,
} from "./reader.ts";
export {
  CheckedFiles,
  checkModuleVersion,
  checkZipFile,
  type CheckZipResult,
  cleanPath,
  type FileError,
  maxGoMod,
  maxLICENSE,
  maxZipFile,
  type ModuleVersion,
  ModZipCheckError,
} from "./check.ts";
export { ZipHashStream, type ZipHashStreamOptions } from "./stream.ts";
export {
  checkZip,
  type FileWriter,
  hashZip,
  hashZipFile,
  ModZipError,
  unzip,
  type UnzipFs,
} from "./unzip.ts";
