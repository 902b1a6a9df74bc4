/**
 * Recognising the Microsoft build of Go, which refuses any GOTOOLCHAIN but
 * local (its own go.env sets it) and so must be run with GOTOOLCHAIN=local.
 *
 * @module
 */

import type { ReadFs } from "../_internal/sys.ts";
import { join, type PathStyle } from "../_internal/path.ts";

/**
 * isMicrosoftGoroot reports whether goroot holds the Microsoft build of Go:
 * it has a MICROSOFT_REVISION file (always written since go-infra PR #336),
 * or it lies in gtc's store under toolchains/microsoft.
 */
export function isMicrosoftGoroot(
  fs: ReadFs,
  goroot: string,
  options: { style?: PathStyle; gtcHome?: string } = {},
): boolean {
  const style = options.style ?? "posix";
  if (fs.stat(join(style, goroot, "MICROSOFT_REVISION"))?.isFile) return true;
  if (options.gtcHome) {
    const store = join(style, options.gtcHome, "toolchains", "microsoft");
    const sep = style === "windows" ? "\\" : "/";
    if (join(style, goroot).startsWith(store + sep)) return true;
  }
  return false;
}
