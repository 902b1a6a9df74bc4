/**
 * Toolchain selection and switching, as the go command does it: which
 * toolchain runs in a directory (select), how it would be obtained (locate),
 * and which newer toolchain a command that needs one switches to
 * (newerToolchain).
 *
 * @module
 */

export {
  findLocal,
  gorootOf,
  type LocalToolchain,
  localToolchainName,
  type Runner,
} from "./local.ts";
export {
  isCachedToolchain,
  locate,
  type LocateInput,
  type Location,
  type Source,
  toolchainCacheDir,
  toolchainModule,
  toolchainModulePath,
  toolchainModuleVersion,
} from "./locate.ts";
export { autoToolchainVersions, newerToolchain, pathToolchainVersions } from "./newer.ts";
export { lookPath, type PathEnv, pathExts, pathToolchainNames } from "./path.ts";
export {
  type FileLine,
  findLoadedFile,
  select,
  type SelectFile,
  type SelectInput,
  type Selection,
  shortPath,
  type Startup,
} from "./select.ts";
export { type RuleId, Trace, type TraceInput, type TraceStep } from "./trace.ts";
export {
  hasAuto,
  hasPath,
  switchFor,
  type SwitchInput,
  type SwitchResult,
  tooNewError,
} from "./switch.ts";
export { type ChdirResult, handleChdirFlag, lookupCmd } from "./args.ts";
export {
  applyGet,
  type GetInput,
  type GetPlan,
  planGet,
  type TooNew,
  updateWorkGoVersion,
  type WorkModule,
} from "./get.ts";
export { applyGetWork, type GetWorkspace } from "./get.ts";
export { isMicrosoftGoroot } from "./microsoft.ts";
export { loadErrors, type LoadInput, type UsedModule, workModuleErrors } from "./load.ts";
export { type CachedToolchainCheck, checkCachedToolchain, useSumDBForToolchain } from "./verify.ts";
