/**
 * The toolchains installed on this machine and what gtc remembers about
 * them: `gtc list`, `gtc gc`.
 *
 * @module
 */

export {
  type GcCandidate,
  gcPlan,
  type Installed,
  type InstalledSource,
  inventory,
  type InventoryInput,
} from "./inventory.ts";
export {
  emptyState,
  maxProjects,
  parseState,
  recordProject,
  recordUse,
  type State,
  type StateStore,
  updateState,
} from "./state.ts";
