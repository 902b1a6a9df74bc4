/**
 * Toolchain operations shared by the CLI and the daemon: install, list
 * (inventory), remove and gc, and the JSON results of those commands.
 *
 * @module
 */

export {
  collectGarbage,
  defaultSource,
  type GcResult,
  OpError,
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
