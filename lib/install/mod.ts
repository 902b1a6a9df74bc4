/**
 * Installing toolchains: golang.org/toolchain modules into the go command's
 * module cache (verified by the checksum database), and go.dev/dl or
 * Microsoft archives into gtc's own store (verified by SHA-256, and GPG for
 * Microsoft).
 *
 * @module
 */

export {
  type GoproxyDeps,
  type GoproxyRequest,
  type GoproxyResult,
  InstallError,
  installFromGoproxy,
  listToolchainVersions,
  notAvailable,
  toolchainPath,
} from "./goproxy.ts";
export { resolveQuery } from "./query.ts";
