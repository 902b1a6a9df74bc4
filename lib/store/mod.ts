/**
 * gtc's own toolchain store: go.dev/dl and Microsoft builds installed as
 * GOROOTs under $GTC_HOME, verified before they become visible.
 *
 * ```
 * $GTC_HOME/toolchains/<source>/<name>/      a GOROOT (bin/go …); source ∈ godl, microsoft
 * $GTC_HOME/toolchains/<source>/<name>.json  metadata (ToolchainMetadata)
 * $GTC_HOME/bin/<name>                       symlink to ../toolchains/<source>/<name>/bin/go
 * ```
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isToolchainName, StorePaths } from "./mod.ts";
 * assert.equal(isToolchainName("go1.22.5-1"), true);
 * assert.equal(isToolchainName("go1.22/../../x"), false);
 * assert.equal(new StorePaths("/h").link("go1.22.5"), "/h/bin/go1.22.5");
 * ```
 *
 * @module
 */

export type { DirEntry, FileSink, Sha256, StoreFs } from "./fs.ts";
export {
  gtcHome,
  isToolchainName,
  StorePaths,
  type StoreSourceName,
  storeSources,
} from "./home.ts";
export {
  ArchiveError,
  archivePath,
  defaultLimits,
  type ExtractInput,
  type ExtractStats,
  extractTarGz,
  extractZip,
  type Limits,
} from "./extract.ts";
export { download, type Downloaded, DownloadError, type DownloadInput } from "./download.ts";
export {
  type InstallOptions,
  type InstallResult,
  Store,
  type StoreOptions,
  type Toolchain,
  type ToolchainMetadata,
} from "./store.ts";
