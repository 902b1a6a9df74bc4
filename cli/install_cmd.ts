/**
 * gtc install, list, remove, gc and get: argument parsing and rendering over
 * lib/ops, lib/install, lib/inventory and lib/toolchain. install, list,
 * remove and gc go through the gtc daemon when one is running (it shares
 * one download between clients and caches remote lists), and run in this process otherwise or with
 * --no-daemon; the output is the same either way.
 *
 * @module
 */

import type { Command } from "commander";
import { type Explanation, resolveSync } from "../mod.ts";
import { FsError } from "../lib/_internal/sys.ts";
import { denoFs } from "../lib/host/fs.ts";
import { rewriteFile, TransformAbort } from "../lib/host/fs_write.ts";
import { denoHost } from "../lib/host/host.ts";
import { toolchainPath } from "../lib/install/mod.ts";
import type { Installed } from "../lib/inventory/mod.ts";
import { useSumDBForToolchain } from "../lib/toolchain/mod.ts";
import { formatBytes, Progress } from "./progress.ts";
import { rememberProject } from "./state.ts";
import {
  collectGarbage,
  defaultSource,
  type GcResult,
  goEnvOf,
  type Installation,
  installedToolchains,
  installToolchain as opsInstall,
  remoteToolchains,
  removeNamed,
  type RemoveResult,
  toolchainForQuery,
} from "../lib/ops/mod.ts";
import type { Client } from "../lib/rpc/client.ts";
import { RpcError } from "../lib/rpc/errors.ts";
import { ErrorCode } from "../lib/rpc/protocol.ts";
import { daemonClient } from "./daemon_cmd.ts";

/** Where gtc install gets a toolchain. */
export type SourceFlag = "goproxy" | "godl" | "microsoft";

/** CliError is a failure to report as "gtc: <message>" with exit status 1. */
export class CliError extends Error {}

interface CommonFlags {
  json?: boolean;
  /** false with --no-daemon. */
  daemon?: boolean;
}

const enc = new TextEncoder();
function print(s: string): void {
  Deno.stdout.writeSync(enc.encode(s));
}

function environ(): Record<string, string> {
  return Deno.env.toObject();
}

/** sourceFlag validates --source, inferring microsoft from a pinned revision ("go1.22.5-1"). */
export function sourceFlag(v: string | undefined, query?: string): SourceFlag {
  // A pinned Microsoft revision ("go1.22.5-1") names its source.
  if (v === undefined) return defaultSource(query);
  if (v === "goproxy" || v === "godl" || v === "microsoft") return v;
  throw new CliError(`--source ${v}: want goproxy, godl or microsoft`);
}

export { rememberProject, rememberUse } from "./state.ts";

// viaDaemon runs f with a client to the running daemon, or returns
// undefined when there is none (or --no-daemon), so the caller runs the
// command in this process. A daemon lost before it answered also means
// in-process when retry is set (safe for install and list: the module cache
// and the store take their own locks).
async function viaDaemon<T>(
  enabled: boolean | undefined,
  retry: boolean,
  f: (c: Client) => Promise<T>,
): Promise<{ value: T } | undefined> {
  const c = await daemonClient({ enabled });
  if (c === undefined) return undefined;
  try {
    return { value: await f(c) };
  } catch (e) {
    if (retry && e instanceof RpcError && e.code === ErrorCode.Unavailable) return undefined;
    throw e;
  } finally {
    c.close();
  }
}

// install installs req.name, or the toolchain req.query resolves to, with a
// progress line on a terminal: through the daemon when one runs (progress
// from its install.progress notifications), else in this process.
async function install(
  req: { name?: string; query?: string },
  source: SourceFlag,
  env: Record<string, string>,
  opts: { quiet?: boolean; force?: boolean; daemon?: boolean },
): Promise<Installation> {
  const { goos, goarch } = denoHost;
  const show = !opts.quiet && Deno.stderr.isTerminal();
  let bar: Progress | undefined;
  const update = (name: string, bytes: number, total: number | undefined) => {
    bar ??= new Progress(`downloading ${name} (${goos}/${goarch})`, show);
    bar.update(bytes, total);
  };
  try {
    const r = await viaDaemon(
      opts.daemon,
      true,
      (c) =>
        c.install({ ...req, source, ...(opts.force ? { force: true } : {}) }, {
          env,
          onProgress: (n) => update(n.name, n.bytes, n.total ?? undefined),
        }),
    );
    if (r !== undefined) return r.value;
    bar?.done();
    bar = undefined;
    const name = req.name ?? await toolchainFor(req.query!, source, env);
    return await opsInstall(name, source, env, {
      force: opts.force,
      onProgress: (b, t) => update(name, b, t),
    });
  } finally {
    bar?.done();
  }
}

/**
 * installToolchain installs with a progress line on a terminal (see
 * lib/ops installToolchain), through the gtc daemon when one is running
 * (unless opts.daemon is false or GTC_DAEMON=off).
 */
export function installToolchain(
  name: string,
  source: SourceFlag,
  env: Record<string, string>,
  opts: { quiet?: boolean; force?: boolean; daemon?: boolean } = {},
): Promise<Installation> {
  return install({ name }, source, env, opts);
}

/**
 * verifyCachedToolchain completes the check the go command makes before it
 * runs toolchain x from the module cache (lib/toolchain verify.ts): the
 * checksum-database lookup, answered from the database's cache on disk when
 * the go command cached it, else over the network. It returns the go
 * command's error text (without "go: ") when the toolchain is refused.
 */
export async function verifyCachedToolchain(
  x: Explanation,
  env: Record<string, string>,
  daemon: boolean,
): Promise<string | undefined> {
  if (x.toolchain === null || !useSumDBForToolchain(goEnvOf(env, x)).use) return undefined;
  try {
    // A verified cache hit: nothing is downloaded or changed.
    await installToolchain(x.toolchain, "goproxy", env, { quiet: true, daemon });
    return undefined;
  } catch (e) {
    if (e instanceof Error && !(e instanceof TypeError)) return e.message;
    throw e;
  }
}

/** toolchainFor turns an install query into a toolchain name (exact names need no network). */
export function toolchainFor(
  query: string,
  source: SourceFlag,
  env: Record<string, string>,
): Promise<string> {
  return toolchainForQuery(query, source, env);
}

// listInstalled lists installed toolchains, through the daemon when one runs.
async function listInstalled(env: Record<string, string>, daemon?: boolean): Promise<Installed[]> {
  const r = await viaDaemon(daemon, true, (c) => c.list({ env }));
  return r !== undefined ? r.value : installedToolchains(env, true);
}

type ListFlags = CommonFlags & {
  remote?: boolean;
  source?: string;
  all?: boolean;
  refresh?: boolean;
};

function table(rows: string[][]): string {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r.map((c, i) => i === r.length - 1 ? c : c.padEnd(w[i])).join("  ").trimEnd()
  )
    .join("\n") + "\n";
}

/** registerInstallCommands adds install, list, remove, gc and get to the program. */
export function registerInstallCommands(gtc: Command): void {
  gtc.command("install")
    .description(
      "Install a toolchain: by default the one the go command selects here; " +
        "from GOPROXY into the module cache (verified by the checksum database), " +
        "or from go.dev/dl or the Microsoft build into gtc's store",
    )
    .argument("[version]", "1.22, 1.22.5, go1.22.5, latest, go1.22.5-1 (Microsoft)")
    .option("--source <source>", "goproxy (default), godl or microsoft")
    .option("--from <dir>", "install what the go command selects in <dir>")
    .option("--force", "reinstall a store toolchain")
    .option("--json", "print one JSON object")
    .option("--no-daemon", "install in this process even when the gtc daemon is running")
    .action(
      async (
        query: string | undefined,
        flags: CommonFlags & { source?: string; from?: string; force?: boolean },
      ) => {
        const env = environ();
        const source = sourceFlag(flags.source, query);
        let name: string | undefined;
        if (query === undefined) {
          const x = resolveSync({ dir: flags.from, env });
          if (x.error !== null && x.toolchain === null) {
            throw new CliError(x.error.replace(/^go: /, ""));
          }
          rememberProject(env, x);
          name = x.toolchain!;
          if (source === "goproxy" && (x.source === "local" || x.source === "path")) {
            const out = {
              toolchain: name,
              source: x.source,
              dir: x.goroot ?? x.exe,
              downloaded: false,
              env: {},
              notices: [],
            };
            if (flags.json) print(JSON.stringify(out, null, 2) + "\n");
            else {print(
                `${name} is ${
                  x.source === "local" ? "the local go command" : `in PATH (${x.exe})`
                }: nothing to install\n`,
              );}
            return;
          }
        }
        const r = await install(name !== undefined ? { name } : { query }, source, env, {
          quiet: flags.json,
          force: flags.force,
          daemon: flags.daemon,
        });
        for (const n of r.notices) console.error(`gtc: note: ${n}`);
        if (flags.json) print(JSON.stringify(r, null, 2) + "\n");
        else {
          print(
            `${r.downloaded ? "installed" : "already installed:"} ${r.toolchain} (${
              r.source === "cache" ? `module cache, ${toolchainPath}` : `gtc store, ${r.source}`
            }) at ${r.dir}\n`,
          );
        }
      },
    );

  gtc.command("list")
    .description(
      "List installed toolchains (local, PATH, module cache, gtc's store), or --remote ones",
    )
    .option("--remote", "list the toolchains a source offers instead")
    .option("--source <source>", "with --remote: goproxy (default), godl or microsoft")
    .option("--all", "with --remote: include betas and release candidates")
    .option("--refresh", "with --remote: fetch again, not the gtc daemon's cached list")
    .option("--json", "print JSON")
    .option("--no-daemon", "list in this process even when the gtc daemon is running")
    .action(async (flags: ListFlags) => {
      const env = environ();
      if (flags.remote) {
        const source = sourceFlag(flags.source);
        const req = { source, all: !!flags.all, ...(flags.refresh ? { refresh: true } : {}) };
        const names = ((await viaDaemon(flags.daemon, true, (c) => c.listRemote(req, { env })))
          ?.value ?? await remoteToolchains(req, env)).toolchains;
        if (flags.json) print(JSON.stringify({ source, toolchains: names }, null, 2) + "\n");
        else print(names.join("\n") + (names.length ? "\n" : ""));
        return;
      }
      const list = await listInstalled(env, flags.daemon);
      if (flags.json) {
        print(JSON.stringify(list, null, 2) + "\n");
        return;
      }
      const rows = [["NAME", "SOURCE", "SIZE", "LAST USED", "PROJECTS", "PATH"]];
      for (const t of list) {
        rows.push([
          t.name,
          t.source,
          t.size !== undefined ? formatBytes(t.size) : "-",
          t.lastUsed?.slice(0, 10) ?? "-",
          t.projects.length ? t.projects.join(",") : "-",
          t.path,
        ]);
      }
      print(table(rows));
    });

  gtc.command("remove")
    .description("Remove an installed toolchain from the module cache or gtc's store")
    .argument("<name>", "toolchain name, e.g. go1.22.5")
    .option("--source <where>", "cache, godl or microsoft (needed when it is in several)")
    .option("--json", "print JSON")
    .option("--no-daemon", "remove in this process even when the gtc daemon is running")
    .action(async (name: string, flags: CommonFlags & { source?: string }) => {
      const env = environ();
      const where = flags.source as "cache" | "godl" | "microsoft" | undefined;
      if (where !== undefined && where !== "cache" && where !== "godl" && where !== "microsoft") {
        throw new CliError(`--source ${where}: want cache, godl or microsoft`);
      }
      const req = { name, ...(where !== undefined ? { source: where } : {}) };
      const r: RemoveResult = (await viaDaemon(flags.daemon, false, (c) => c.remove(req, { env })))
        ?.value ?? await removeNamed(env, name, { source: where });
      const t = r.removed[0];
      if (flags.json) print(JSON.stringify(r) + "\n");
      else print(`removed ${t.name} (${t.source}) from ${t.path}\n`);
    });

  gtc.command("gc")
    .description("Remove toolchains not used within --days days and selected by no known project")
    .option("--days <n>", "keep toolchains used within n days", "30")
    .option("--dry-run", "show what would be removed and how much space it frees")
    .option("--json", "print JSON")
    .option("--no-daemon", "collect in this process even when the gtc daemon is running")
    .action(async (flags: CommonFlags & { days: string; dryRun?: boolean }) => {
      const days = Number(flags.days);
      if (!Number.isFinite(days) || days < 0) {
        throw new CliError(`--days ${flags.days}: want a number of days`);
      }
      const env = environ();
      const req = { days, dryRun: !!flags.dryRun };
      const r: GcResult = (await viaDaemon(flags.daemon, false, (c) => c.gc(req, { env })))
        ?.value ?? await collectGarbage(env, req);
      if (flags.json) {
        print(JSON.stringify(r, null, 2) + "\n");
        return;
      }
      for (const c of r.removed) {
        print(
          `${r.dryRun ? "would remove" : "removed"} ${c.name} (${c.source}, ${
            formatBytes(c.size ?? 0)
          }): ${c.reason}\n`,
        );
      }
      print(
        `${r.dryRun ? "would free" : "freed"} ${
          formatBytes(r.bytes)
        } (${r.removed.length} toolchain${r.removed.length === 1 ? "" : "s"})\n`,
      );
    });

  gtc.command("get")
    .description(
      "Change the go and toolchain lines of go.mod with go get's rules (in a workspace, go.work's go line follows): " +
        "gtc get go@1.22 toolchain@go1.23.1 | toolchain@none | go@latest",
    )
    .argument("<args...>", "go@VERSION, toolchain@NAME, toolchain@none, go@latest …")
    .option("-C, --dir <dir>", "the module directory (default: here)")
    .option("--json", "print JSON")
    .action(runGet);
}

/**
 * runGet is `gtc get`: it changes go.mod's go and toolchain lines (and
 * go.work's go line in a workspace) with go get's rules. gtc use calls it
 * for its project pin, so the rule lives once.
 */
export async function runGet(args: string[], flags: CommonFlags & { dir?: string }): Promise<void> {
  const env = environ();
  for (const a of args) {
    if (!/^(go|toolchain)(@.*)?$/.test(a)) {
      throw new CliError(
        `${a}: gtc get changes only the go and toolchain lines (go@V, toolchain@V)`,
      );
    }
  }
  const x = resolveSync({ dir: flags.dir, env });
  const { prepareGet } = await import("../lib/ops/get.ts");
  // The bytes each file had when read: the in-place write refuses to
  // replace a file that changed meanwhile (lockedfile.Transform's check).
  // Read through the shared reader: a pipe or a device is refused, not waited on.
  const read = new Map<string, Uint8Array>();
  const got = await prepareGet({
    args,
    env,
    explanation: x,
    readText: (p) => {
      const b = denoFs.readFile(p);
      read.set(p, b);
      return new TextDecoder().decode(b);
    },
  });
  const { plan, file } = got;
  const workFile = got.work?.file;
  if (plan.failed) {
    for (const l of plan.stderr) console.error(l);
    Deno.exitCode = 1;
    return;
  }
  const enc = new TextEncoder();
  let changed = false;
  if (got.newText !== got.text) {
    // In place, as modload.commitRequirements writes it (lockedfile.Transform):
    // through a symlink, keeping owner and mode, nothing left behind on failure.
    try {
      changed = rewriteFile(file, enc.encode(got.newText), read.get(file));
    } catch (e) {
      if (!(e instanceof FsError || e instanceof TransformAbort)) throw e;
      console.error(`go: updating go.mod: ${e.message}`);
      Deno.exitCode = 1;
      return;
    }
  }
  // go get reports the changes once go.mod is written (modget.runGet).
  for (const l of plan.stderr) console.error(l);
  let workChanged = false;
  if (got.work !== undefined && got.work.newText !== got.work.text) {
    // go get writes go.work with os.WriteFile and ignores a failure
    // (modget.runGet); gtc writes it in place too, so a failure leaves
    // it whole, and, like go, does not fail the command for it.
    try {
      workChanged = rewriteFile(got.work.file, enc.encode(got.work.newText));
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
    }
  }
  if (flags.json) {
    print(
      JSON.stringify(
        {
          file,
          changed,
          go: plan.go ?? null,
          toolchain: plan.toolchain ?? null,
          messages: plan.stderr,
          ...(workFile !== undefined && plan.work !== undefined
            ? {
              work: {
                file: workFile,
                changed: workChanged,
                go: plan.work.go ?? null,
                toolchain: plan.work.toolchain ?? null,
              },
            }
            : {}),
        },
        null,
        2,
      ) + "\n",
    );
  }
}
