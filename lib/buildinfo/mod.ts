/**
 * Go build information inside executables, read exactly as
 * `go version -m` (debug/buildinfo) reads it: which Go version built a
 * program and from which module path@version.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readBuildInfoBytes } from "./mod.ts";
 * assert.throws(() => readBuildInfoBytes(new Uint8Array(4)), /unrecognized file format/);
 * ```
 *
 * @module
 */

import { bytesReader, type ReaderAt } from "./exe.ts";
import { type BuildInfo, parseBuildInfo } from "./info.ts";
import { readRawBuildInfo } from "./read.ts";

export { bytesReader, type Exe, FormatError, NotGoError, type ReaderAt, Section } from "./exe.ts";
export {
  type BuildInfo,
  buildInfoJson,
  BuildInfoParseError,
  type BuildSetting,
  formatBuildInfo,
  formatVersionM,
  type Module,
  parseBuildInfo,
} from "./info.ts";
export {
  buildInfoAlign,
  buildInfoHeaderSize,
  buildInfoMagic,
  openExe,
  type RawBuildInfo,
  readRawBuildInfo,
  readRawBuildInfoBytes,
  searchChunkSize,
  searchMagic,
} from "./read.ts";

/**
 * readBuildInfo is debug/buildinfo.Read: the Go version and parsed module
 * information of the executable r reads.
 *
 * @throws {FormatError} / {NotGoError} / {BuildInfoParseError}
 */
export function readBuildInfo(r: ReaderAt): BuildInfo {
  const raw = readRawBuildInfo(r);
  const bi = parseBuildInfo(raw.modinfo);
  bi.GoVersion = raw.version;
  return bi;
}

/** readBuildInfoBytes is readBuildInfo over bytes in memory. */
export function readBuildInfoBytes(b: Uint8Array): BuildInfo {
  return readBuildInfo(bytesReader(b));
}
