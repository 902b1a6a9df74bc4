/**
 * The go command's module cache, written the way the go command writes it
 * so that each accepts what the other wrote: layout (escaped paths under
 * $GOMODCACHE and $GOMODCACHE/cache/download), per-version flock locks
 * shared with the go command, verified atomic installs (download to a temp
 * file, hash, verify, .ziphash, rename; extract under a .partial marker),
 * read-only trees, the toolchain first-use fix-ups, listing and removal.
 *
 * File access goes through WriteFs (fs.ts); lib/host/fs_write.ts implements
 * it and lib/host/zip_codec.ts the zip Codec.
 *
 * @example Install a toolchain from a zip stream
 * ```ts ignore
 * import { denoWriteFs } from "../host/fs_write.ts";
 * import { nodeCodec } from "../host/zip_codec.ts";
 * import { install } from "./mod.ts";
 * const res = await install(
 *   { fs: denoWriteFs, codec: nodeCodec, gomodcache: "/home/me/go/pkg/mod", goos: "linux" },
 *   {
 *     module: { path: "golang.org/toolchain", version: "v0.0.1-go1.22.0.linux-amd64" },
 *     fetchZip: async () => (await fetch(url)).body!,
 *     verify: (h1) => checkWithSumdb(h1), // throws to refuse
 *   },
 * );
 * res.dir; // …/golang.org/toolchain@v0.0.1-go1.22.0.linux-amd64, bin/go ready to run
 * ```
 *
 * @module
 */

export type { Unlock, WriteFs } from "./fs.ts";
export { type CachePaths, cachePaths, isDownloaded, isValidSum } from "./layout.ts";
export {
  type CacheEnv,
  install,
  type InstallEvent,
  type InstallRequest,
  type InstallResult,
  type ZipSink,
} from "./install.ts";
export { firstUse, makeDirsReadOnly, raceSafeCopy, removeAll, sysWriteBits } from "./tree.ts";
export { type CachedToolchain, listInstalled, remove } from "./manage.ts";
