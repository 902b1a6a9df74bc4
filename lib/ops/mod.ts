/**
 * Toolchain operations shared by the CLI and the daemon: install, list
 * (inventory) and remove.
 *
 * @module
 */

export {
  goEnvOf,
  type Installation,
  installedToolchains,
  type InstallSource,
  installToolchain,
  removeToolchain,
} from "./toolchains.ts";
