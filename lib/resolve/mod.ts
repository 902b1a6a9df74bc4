/**
 * Which Go toolchain runs in a directory, and why: the composition of the
 * settings layers, the local go, the selection and how the toolchain would
 * be obtained, as one Explanation object.
 *
 * @module
 */

export {
  type Explanation,
  parseErrors,
  type Provenance,
  resolve,
  type ResolveOptions,
} from "./resolve.ts";
export { loadDiagnostics } from "./load.ts";
