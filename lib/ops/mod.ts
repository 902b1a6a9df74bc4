/**
 * Toolchain operations shared by the CLI and the daemon: install, list
 * (inventory), the remote lists, remove and gc, and the JSON results of those commands.
 *
 * @module
 */

export {
  collectGarbage,
  defaultSource,
  type GcResult,
  OpError,
  type RemoteList,
  remoteToolchains,
  removeNamed,
  type RemoveResult,
  toolchainForQuery,
} from "./commands.ts";

export {
  goEnvOf,
  type Installation,
  installedToolchains,
  type InstallSource,
  installToolchain,
  removeToolchain,
} from "./toolchains.ts";
