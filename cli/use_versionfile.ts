/**
 * gtc use --from-version-file: reads another manager's version file (lib/versionfiles)
 * and returns the `go get toolchain@…` query it means.
 *
 * @module
 */

import { denoFs } from "../lib/host/fs.ts";
import { findVersionFiles, pinFrom, readVersionFile } from "../lib/versionfiles/mod.ts";
import { CliError } from "./install_cmd.ts";

/** fromVersionFile returns the toolchain query for file (true: the nearest one above dir). */
export function fromVersionFile(
  file: boolean | string,
  dir: string | undefined,
): { query: string; note: string } {
  const base = dir === undefined ? Deno.cwd() : dir.startsWith("/") ? dir : `${Deno.cwd()}/${dir}`;
  let files;
  if (typeof file === "string") {
    let text: string;
    try {
      text = Deno.readTextFileSync(file);
    } catch (e) {
      throw new CliError(`${file}: ${(e as Error).message}`);
    }
    const f = readVersionFile(file, text);
    if ("error" in f) throw new CliError(f.error);
    files = [f];
  } else {
    files = findVersionFiles(denoFs, base);
  }
  const p = pinFrom(files);
  if ("error" in p) throw new CliError(p.error);
  return {
    query: p.file.toolchain!,
    note: `${p.file.path}:${p.file.line} says ${p.file.says} (${p.file.managers.join(", ")}): ` +
      `go get toolchain@${p.file.toolchain}\n`,
  };
}
