/**
 * gtc doctor: gathers the facts lib/doctor's checks read (settings with
 * their layers, every go in PATH, the module cache's owner and mode, the
 * daemon and this shell's hook, GOPROXY and GOSUMDB probes) and renders the
 * findings. Exit status 1 when something will make the go command fail.
 *
 * @module
 */

import type { Command } from "commander";
import { accessSync, constants } from "node:fs";
import config from "../deno.json" with { type: "json" };
import { goenv, resolveSync } from "../mod.ts";
import { denoFs } from "../lib/host/fs.ts";
import { denoHost } from "../lib/host/host.ts";
import { connect } from "../lib/rpc/client.ts";
import {
  type CacheFact,
  diagnose,
  doctorChecks,
  type DoctorFacts,
  type Get,
  goCommandsInPath,
  networkCheck,
  probe,
  type SettingFact,
  versionOfGoroot,
} from "../lib/doctor/mod.ts";
import { CliError } from "./install_cmd.ts";

interface DoctorFlags {
  json?: boolean;
  /** false with --no-network. */
  network?: boolean;
  timeout: string;
}

const enc = new TextEncoder();
function print(s: string): void {
  Deno.stdout.writeSync(enc.encode(s));
}

/** registerDoctorCommand adds `gtc doctor` to the program. */
export function registerDoctorCommand(gtc: Command): void {
  gtc.command("doctor")
    .description(
      "Find settings that conflict with what the go command does in [dir]: each finding says " +
        "where it comes from, what the go command will do, and the command that fixes it",
    )
    .argument("[dir]", "directory to examine (default: here)")
    .option("--json", "print one JSON object {dir, toolchain, findings, passed, failing}")
    .option("--no-network", "do not probe GOPROXY and the checksum database")
    .option("--timeout <ms>", "give up on a GOPROXY or GOSUMDB probe after this long", "3000")
    .action(async (dir: string | undefined, flags: DoctorFlags) => {
      const timeout = Number(flags.timeout);
      if (!Number.isInteger(timeout) || timeout <= 0) {
        throw new CliError(`--timeout ${flags.timeout}: want a positive number of milliseconds`);
      }
      if (dir !== undefined && !denoFs.stat(dir)?.isDirectory) {
        throw new CliError(`${dir}: no such directory`);
      }
      const facts = await gather(dir, flags.network === false ? undefined : timeout);
      // Without probes the network check has nothing to judge: leave it out
      // rather than list it among the checks that passed.
      const report = diagnose(
        facts,
        flags.network === false ? doctorChecks.filter((c) => c !== networkCheck) : doctorChecks,
      );
      if (flags.json) print(JSON.stringify(report, null, 2) + "\n");
      else print(render(report));
      if (report.failing) Deno.exitCode = 1;
    });
}

async function gather(
  dir: string | undefined,
  timeoutMs: number | undefined,
): Promise<DoctorFacts> {
  const environ = Deno.env.toObject();
  const x = resolveSync({ dir, env: environ });
  const auto = resolveSync({ dir, env: { ...environ, GOTOOLCHAIN: "auto" } });
  const env = new goenv.GoEnv({
    environ,
    fs: denoFs,
    goos: denoHost.goos,
    runtimeGoroot: x.local?.goroot,
  });
  const setting = (k: string): SettingFact => {
    const s = env.lookup(k);
    return { value: s.value, origin: goenv.describeOrigin(s.origin), layer: s.origin.layer };
  };
  const settings = {
    GOROOT: setting("GOROOT"),
    GOTOOLCHAIN: setting("GOTOOLCHAIN"),
    GOPROXY: setting("GOPROXY"),
    GOSUMDB: setting("GOSUMDB"),
  };
  let gorootEnvVersion: string | null | undefined;
  if (settings.GOROOT.layer === "env") {
    if (!denoFs.stat(settings.GOROOT.value)?.isDirectory) gorootEnvVersion = null;
    else {
      try {
        gorootEnvVersion = versionOfGoroot(
          Deno.readTextFileSync(`${settings.GOROOT.value}/VERSION`),
        );
      } catch {
        gorootEnvVersion = "";
      }
    }
  }
  const path = environ.PATH ?? "";
  const [daemon, probes] = await Promise.all([
    daemonFacts(),
    timeoutMs === undefined ? [] : probe(settings, fetchGet, timeoutMs),
  ]);
  const shell = (environ.SHELL ?? "").split("/").pop() ?? "";
  return {
    x,
    auto,
    settings,
    gorootEnvVersion,
    pathGos: goCommandsInPath(denoFs, { path, style: denoHost.pathStyle, cwd: x.dir }),
    path,
    cache: cacheFact(setting("GOMODCACHE")),
    hook: ["bash", "zsh", "fish", "pwsh"].includes(shell)
      ? {
        shell,
        active: daemon.shells === null ? null : ancestors().some((p) => daemon.shells!.has(p)),
      }
      : null,
    daemonVersion: daemon.version,
    version: config.version,
    probes,
  };
}

// daemonFacts asks a running daemon (never starts one) for its version and
// the shells its hooks serve.
async function daemonFacts(): Promise<{ version: string | null; shells: Set<number> | null }> {
  try {
    const c = await connect({ start: false, reconnect: false });
    try {
      const s = await c.status();
      return { version: s.version, shells: new Set((s.hooks?.list ?? []).map((h) => h.pid)) };
    } finally {
      c.close();
    }
  } catch {
    // No daemon: no hook can be active (hooks ask the daemon).
    return { version: null, shells: new Set() };
  }
}

// ancestors lists this process's parent, its parent… (Linux /proc; the
// shell is usually the parent, or a launcher script's parent).
function ancestors(): number[] {
  const out: number[] = [Deno.ppid];
  for (let i = 0; i < 8; i++) {
    try {
      const stat = Deno.readTextFileSync(`/proc/${out[out.length - 1]}/stat`);
      // "pid (comm) state ppid …": comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!(ppid > 1)) break;
      out.push(ppid);
    } catch {
      break;
    }
  }
  return out;
}

function cacheFact(s: SettingFact): CacheFact | null {
  if (s.value === "") return null;
  let existing = s.value;
  while (!denoFs.stat(existing)?.isDirectory) {
    const up = existing.slice(0, existing.lastIndexOf("/")) || "/";
    if (up === existing) break;
    existing = up;
  }
  let writable = false;
  try {
    accessSync(existing, constants.W_OK);
    writable = true;
  } catch {
    // not writable
  }
  const exists = existing === s.value;
  let owner: number | null = null;
  try {
    owner = exists ? Deno.statSync(s.value).uid : null;
  } catch {
    // gone meanwhile
  }
  return { path: s.value, origin: s.origin, exists, writable, owner, uid: Deno.uid() };
}

const fetchGet: Get = async (url, timeoutMs) => {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await r.body?.cancel();
    return r.status;
  } catch (e) {
    if (e instanceof DOMException && e.name === "TimeoutError") {
      return `no answer within ${timeoutMs} ms`;
    }
    const cause = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
    // "error sending request for url (…): client error (Connect): tcp
    // connect error: Connection refused (os error 111)" → the last part.
    return cause.replace(/\s+/g, " ").replace(/^error sending request for url \([^)]*\): /, "")
      .replace(/^client error \(Connect\): /, "");
  }
};

function render(r: ReturnType<typeof diagnose>): string {
  const out: string[] = [
    `gtc doctor: ${r.dir}${r.toolchain ? ` (${r.toolchain} runs here)` : ""}`,
    "",
  ];
  for (const f of r.findings) {
    out.push(`${f.severity.padEnd(8)} ${f.what}`);
    out.push(`         from: ${f.from}`);
    out.push(`         go:   ${f.go}`);
    out.push(`         fix:  ${f.fix}`);
    out.push("");
  }
  for (const p of r.passed) out.push(`ok       ${p}`);
  const n = (s: string) => r.findings.filter((f) => f.severity === s).length;
  out.push(
    "",
    `${n("error")} error(s), ${n("warning")} warning(s), ${n("info")} note(s): ${
      r.failing ? "the go command will fail here" : "nothing here makes the go command fail"
    }`,
  );
  return out.join("\n") + "\n";
}
