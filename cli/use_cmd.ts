/**
 * gtc use: choose a toolchain the way the go command itself records the
 * choice. The project pin is go.mod's toolchain line (gtc get's code, go
 * get's rules); --global is GOTOOLCHAIN in the go env file, written byte for
 * byte as `go env -w` writes it. Argument parsing, file I/O and rendering
 * only: the rules are in lib/use, lib/goenv and lib/versionfiles.
 *
 * @module
 */

import type { Command } from "commander";
import { goenv, resolveSync } from "../mod.ts";
import { denoFs } from "../lib/host/fs.ts";
import { denoHost } from "../lib/host/host.ts";
import { checkEnvValue, updateEnvFile } from "../lib/goenv/env_write.ts";
import {
  describeGotoolchain,
  globalGotoolchain,
  modeMeaning,
  toolchainName,
  type UseMode,
  useModes,
} from "../lib/use/mod.ts";
import { CliError, runGet } from "./install_cmd.ts";

interface UseFlags {
  global?: boolean;
  unset?: boolean;
  mode?: string;
  dir?: string;
  json?: boolean;
  fromVersionFile?: boolean | string;
}

const enc = new TextEncoder();
function print(s: string): void {
  Deno.stdout.writeSync(enc.encode(s));
}

/** registerUseCommand adds `gtc use` to the program. */
export function registerUseCommand(gtc: Command): void {
  gtc.command("use")
    .description(
      "Choose the toolchain: the project's go.mod toolchain line (as `go get toolchain@…`), " +
        "or with --global GOTOOLCHAIN in the go env file (as `go env -w`)",
    )
    .argument("[version]", "go1.25.3 or 1.25.3; with --global also local, auto or path")
    .option("-g, --global", "write GOTOOLCHAIN to the go env file (GOENV), as go env -w does")
    .option(
      "--mode <mode>",
      `with --global, what a module needing a newer go gets: ${
        useModes.map((m) => `${m}: ${modeMeaning[m]}`).join("; ")
      }`,
      "auto",
    )
    .option(
      "--unset",
      "remove the project's toolchain line (toolchain@none), or with --global GOTOOLCHAIN (go env -u)",
    )
    .option(
      "--from-version-file [file]",
      "pin what .go-version, .tool-versions, mise.toml or .gvmrc says (default: the nearest)",
    )
    .option("-C, --dir <dir>", "the module directory (default: here)")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
A pin in go.mod travels with the project; every go command (and gtc) obeys it.
--global changes what runs where no go.mod or go.work asks for more. The default
--mode auto writes goX.Y.Z+auto: a minimum that still upgrades when a module
needs newer, as GOTOOLCHAIN=auto does for the go in PATH.`,
    )
    .action(async (version: string | undefined, flags: UseFlags, cmd: Command) => {
      if (!flags.global && cmd.getOptionValueSource("mode") === "cli") {
        throw new CliError("use: --mode chooses how --global's GOTOOLCHAIN behaves; add --global");
      }
      if (!useModes.includes(flags.mode as UseMode)) {
        throw new CliError(`--mode ${flags.mode}: want ${useModes.join(", ")}`);
      }
      const given =
        [version !== undefined, flags.unset === true, flags.fromVersionFile !== undefined]
          .filter((b) => b).length;
      if (given !== 1) {
        throw new CliError("use: give one of a version, --unset or --from-version-file");
      }
      if (flags.global) {
        if (flags.fromVersionFile !== undefined) {
          throw new CliError(
            "use: --from-version-file pins the project; it does not combine with --global",
          );
        }
        useGlobal(version, flags);
        return;
      }
      if (flags.unset) return await runGet(["toolchain@none"], flags);
      if (flags.fromVersionFile !== undefined) {
        const { fromVersionFile } = await import("./use_versionfile.ts");
        const r = fromVersionFile(flags.fromVersionFile, flags.dir);
        if (!flags.json) print(r.note);
        version = r.query;
      }
      const t = toolchainName(version!);
      if ("error" in t) {
        // go get resolves "go1.25" to the latest go1.25.x: let it.
        if (!/^(go)?1\.\d+$/.test(version!) && version !== "latest") throw new CliError(t.error);
      }
      const query = "name" in t
        ? t.name
        : version!.startsWith("go") || version === "latest"
        ? version!
        : `go${version}`;
      await runGet([`toolchain@${query}`], flags);
    });
}

// useGlobal writes or removes GOTOOLCHAIN in the go env file.
function useGlobal(version: string | undefined, flags: UseFlags): void {
  const environ = Deno.env.toObject();
  const env = new goenv.GoEnv({ environ, fs: denoFs, goos: denoHost.goos });
  const file = env.envFile;
  if (file.path === "") throw new CliError(`cannot find go env config: ${file.reason}`);
  let value: string | undefined;
  if (version !== undefined) {
    const v = globalGotoolchain(version, flags.mode as UseMode);
    if ("error" in v) throw new CliError(v.error);
    value = v.value;
    const bad = checkEnvValue("GOTOOLCHAIN", value);
    if (bad !== undefined) throw new CliError(bad.replace(/^go: /, ""));
  }
  // go env -w writes through a symlink (a dotfiles manager's link stays).
  let target = file.path;
  const l = denoFs.lstat(target);
  if (l?.isSymlink) target = denoFs.realPath(target);
  let old: Uint8Array | undefined;
  try {
    old = Deno.readFileSync(target);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) {
      throw new CliError(`reading go env config: ${(e as Error).message}`);
    }
  }
  if (value === undefined && old === undefined) {
    // go env -u fails on a missing file; there is nothing to undo.
    report(flags, { file: file.path, changed: false, gotoolchain: null });
    return;
  }
  const out = updateEnvFile(
    old,
    value === undefined ? {} : { GOTOOLCHAIN: value },
    value === undefined ? ["GOTOOLCHAIN"] : [],
  );
  const changed = old === undefined || !equalBytes(old, out);
  if (changed) writeAtomic(target, out, old !== undefined);
  // The go command's own warning: the environment wins over the file.
  const osVal = environ.GOTOOLCHAIN ?? "";
  if (value !== undefined && osVal !== "" && osVal !== value) {
    console.error(
      "warning: go env -w GOTOOLCHAIN=... does not override conflicting OS environment variable",
    );
  }
  report(flags, { file: file.path, changed, gotoolchain: value ?? null });
}

function report(
  flags: UseFlags,
  r: { file: string; changed: boolean; gotoolchain: string | null },
): void {
  const here = resolveSync({ dir: flags.dir, env: Deno.env.toObject() });
  if (flags.json) {
    print(
      JSON.stringify(
        {
          ...r,
          meaning: describeGotoolchain(r.gotoolchain ?? ""),
          here: { dir: here.dir, toolchain: here.toolchain, error: here.error },
        },
        null,
        2,
      ) + "\n",
    );
    return;
  }
  if (r.gotoolchain === null) {
    print(
      r.changed
        ? `removed GOTOOLCHAIN from ${r.file} (as go env -u GOTOOLCHAIN)\n`
        : `GOTOOLCHAIN is not set in ${r.file}: nothing to remove\n`,
    );
  } else {
    print(
      `${r.changed ? "wrote" : "kept"} GOTOOLCHAIN=${r.gotoolchain} in ${r.file} ` +
        `(as go env -w GOTOOLCHAIN=${r.gotoolchain})\n`,
    );
  }
  print(`  ${describeGotoolchain(r.gotoolchain ?? "")}\n`);
  if (r.gotoolchain !== null && r.gotoolchain.includes("+auto")) {
    print("  (--mode path: never download; --mode exact: ignore go.mod's toolchain lines)\n");
  }
  print(
    here.error === null
      ? `  in ${here.dir}: ${here.toolchain} runs (gtc why explains)\n`
      : `  in ${here.dir}: the go command fails: ${here.error.split("\n")[0]}\n`,
  );
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// writeAtomic replaces path with data so a reader sees the old file or the
// new one, never half; it keeps an existing file's mode. A new file gets
// 0666 less the umask and its directory is made, as go env -w does.
function writeAtomic(path: string, data: Uint8Array, exists: boolean): void {
  const dir = path.slice(0, path.lastIndexOf("/")) || "/";
  const mode = exists ? (Deno.statSync(path).mode ?? 0o666) & 0o7777 : undefined;
  const tmp = `${path}.gtc-${crypto.randomUUID()}.tmp`;
  try {
    try {
      // No mode: Deno creates with 0666 less the umask, as os.WriteFile.
      Deno.writeFileSync(tmp, data, { createNew: true });
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      Deno.mkdirSync(dir, { recursive: true });
      Deno.writeFileSync(tmp, data, { createNew: true });
    }
    if (mode !== undefined) Deno.chmodSync(tmp, mode);
    Deno.renameSync(tmp, path);
  } catch (e) {
    try {
      Deno.removeSync(tmp);
    } catch {
      // never created
    }
    throw new CliError(`writing go env config: ${(e as Error).message}`);
  }
}
