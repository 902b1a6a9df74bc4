/**
 * gtc doctor's rules: conflicts between settings that make the go command
 * do something other than what its user believes, or fail. Each check reads
 * facts gathered by the adapter (cli/doctor_cmd.ts) — the resolve answer,
 * settings with their layers, every go in PATH, the module cache's
 * ownership, the hook and daemon, probes of GOPROXY and the checksum
 * database — and returns findings that say what is wrong, where it comes
 * from (file:line or environment layer), what the go command will do, and
 * the one command that fixes it.
 *
 * Checks are a list: another part of gtc (e.g. `gtc tools`' stale-binary
 * check) adds its own with diagnose(facts, [...doctorChecks, mine]).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseGoproxy } from "./mod.ts";
 * assert.deepEqual(parseGoproxy("https://a.example,direct|off"), ["https://a.example"]);
 * ```
 *
 * @module
 */

import type { Explanation } from "../resolve/mod.ts";
import { findLocal, type LocalToolchain, type PathEnv } from "../toolchain/mod.ts";
import type { ReadFs } from "../_internal/sys.ts";
import { splitList } from "../_internal/path.ts";
import { fromToolchain } from "../gover/mod.ts";
import { disagreement } from "../versionfiles/mod.ts";

/** How bad a finding is: error = the go command will fail here. */
export type Severity = "error" | "warning" | "info";

/** One problem. */
export interface Finding {
  /** The check that found it ("goroot-env", "gotoolchain-file", …). */
  check: string;
  severity: Severity;
  /** What is wrong, in one sentence. */
  what: string;
  /** Where it comes from: "environment", "go env file /h/.config/go/env:2", "/p/.go-version:1", "PATH". */
  from: string;
  /** What the go command will do because of it. */
  go: string;
  /** The one command that fixes it. */
  fix: string;
}

/** A setting with the layer it came from (lib/goenv describeOrigin). */
export interface SettingFact {
  value: string;
  /** "environment", "go env file …:N", "$GOROOT/go.env path:N", "default …". */
  origin: string;
  /** The layer: env, user (go env file), goroot (go.env), default. */
  layer: "env" | "user" | "goroot" | "default";
}

/** The module cache as found on disk. */
export interface CacheFact {
  path: string;
  origin: string;
  exists: boolean;
  /** Whether this user may create entries in it (or, missing, in its nearest existing parent). */
  writable: boolean;
  /** Its owner's uid, and this process's (null where the host has none). */
  owner: number | null;
  uid: number | null;
}

/** A probe of one network endpoint the go command uses. */
export interface ProbeFact {
  kind: "GOPROXY" | "GOSUMDB";
  /** The URL requested. */
  url: string;
  /** The setting's origin. */
  origin: string;
  /** null when it answered; else why not ("timed out after 3000 ms", "connection refused"). */
  error: string | null;
}

/** Everything the checks look at. */
export interface DoctorFacts {
  /** The answer for the directory, as gtc why gives it. */
  x: Explanation;
  /** The answer with GOTOOLCHAIN=auto: what the module itself asks for. */
  auto: Explanation;
  settings: Readonly<Record<"GOROOT" | "GOTOOLCHAIN" | "GOPROXY" | "GOSUMDB", SettingFact>>;
  /** GOROOT's own VERSION when GOROOT is set in the environment ("" unreadable, null missing dir). */
  gorootEnvVersion?: string | null;
  /** Every go in PATH, in PATH order. */
  pathGos: LocalToolchain[];
  /** PATH, to write the fix that drops a directory. */
  path: string;
  cache: CacheFact | null;
  /** Whether a gtc hook serves this shell (null: cannot tell), and the shell's name. */
  hook: { active: boolean | null; shell: string } | null;
  /** The running daemon's gtc version, or null when none runs. */
  daemonVersion: string | null;
  /** This gtc's version. */
  version: string;
  probes: ProbeFact[];
}

/** A check: a named rule over the facts. */
export interface DoctorCheck {
  id: string;
  /** What it looks at, for the list of checks that passed. */
  title: string;
  run(f: DoctorFacts): Finding[];
}

const q = (s: string) => /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;

/** A GOROOT exported in the environment that is not the go command's own. */
export const gorootCheck: DoctorCheck = {
  id: "goroot-env",
  title: "GOROOT is not exported for another Go",
  run(f) {
    const g = f.settings.GOROOT;
    const local = f.x.local;
    if (g.layer !== "env" || local === null || local.goroot === "" || g.value === local.goroot) {
      return [];
    }
    const base = {
      check: this.id,
      from: "environment (exported by a shell startup file or another manager's activation)",
      fix: "unset GOROOT",
    };
    if (f.gorootEnvVersion === null) {
      return [{
        ...base,
        severity: "error",
        what: `GOROOT=${g.value} is exported but does not exist`,
        go: `${local.exe} stops: go: cannot find GOROOT directory: ${g.value}`,
      }];
    }
    const theirs = f.gorootEnvVersion ?? "";
    const differs = theirs !== "" && theirs !== local.toolchain;
    return [{
      ...base,
      severity: differs ? "error" : "warning",
      what: `GOROOT=${g.value}${
        theirs ? ` (${theirs})` : ""
      } is exported, but the go in PATH is ${local.exe} (${local.toolchain}, GOROOT ${local.goroot})`,
      go: differs
        ? `${local.exe} builds with ${theirs}'s compiler and standard library: builds fail ` +
          `(compile: version "${theirs}" does not match go tool version "${local.toolchain}")`
        : `${local.exe} uses ${g.value} instead of its own GOROOT; a switched-to toolchain resets it`,
    }];
  },
};

/** GOTOOLCHAIN left in the go env file by `go env -w`. */
export const gotoolchainFileCheck: DoctorCheck = {
  id: "gotoolchain-file",
  title: "no GOTOOLCHAIN left in the go env file",
  run(f) {
    const g = f.settings.GOTOOLCHAIN;
    if (g.layer !== "user") return [];
    const exact = !/\+(auto|path)$/.test(g.value) && g.value !== "auto" && g.value !== "path";
    const fails = (f.x.error !== null && f.x.gotoolchain.origin === g.origin) ||
      tooOldMessage(f) !== undefined;
    return [{
      check: this.id,
      severity: fails ? "error" : exact ? "warning" : "info",
      what: `GOTOOLCHAIN=${g.value} is set in the go env file: every go command of this user ` +
        `obeys it, in every directory`,
      from: g.origin,
      go: fails
        ? tooOldMessage(f) ?? f.x.error!.split("\n")[0]
        : exact
        ? `runs ${g.value === "local" ? "the go in PATH" : g.value} always; go.mod and go.work ` +
          `toolchain lines are not followed`
        : `starts from ${g.value.replace(/\+.*/, "")} and switches when a module needs newer`,
      fix: "gtc use --global --unset",
    }];
  },
};

// tooOldMessage is the go command's error when GOTOOLCHAIN (local, or a
// version without +auto/+path) makes it run an older go than the module
// needs: it reads no go.mod for its choice then, and fails loading it. The
// rule is lib/toolchain's loadErrors; resolve puts its text in diagnostics.
function tooOldMessage(f: DoctorFacts): string | undefined {
  if (f.x.mode !== "") return undefined;
  return f.x.diagnostics.find((d) => / requires go >= /.test(d))?.split("\n")[0];
}

/** GOTOOLCHAIN=local (or an exact version) while the module needs a newer go. */
export const tooOldCheck: DoctorCheck = {
  id: "gotoolchain-too-old",
  title: "GOTOOLCHAIN lets the go command run what the module needs",
  run(f) {
    const g = f.x.gotoolchain;
    const message = tooOldMessage(f);
    if (message === undefined) return [];
    // What the module asks for, as the go command would read it with GOTOOLCHAIN=auto.
    const file = f.auto.file;
    const need = file?.go?.value;
    const layer = f.settings.GOTOOLCHAIN.layer;
    return [{
      check: this.id,
      severity: "error",
      what: `GOTOOLCHAIN=${g.value} runs go ${f.x.version}, but ${
        need === undefined || file === null ? "the module" : `${file.shortPath}`
      } needs ${need === undefined ? "newer" : `go >= ${need}`}`,
      from: `GOTOOLCHAIN from ${g.origin}${
        need === undefined || file === null || file.go === undefined
          ? ""
          : `; go ${need} at ${file.path}:${file.go.line}`
      }`,
      go: message,
      // The environment beats the go env file, which beats $GOROOT/go.env.
      fix: layer === "env" ? "export GOTOOLCHAIN=auto" : "gtc use --global auto",
    }];
  },
};

/** Several go commands in PATH with different versions. */
export const pathCheck: DoctorCheck = {
  id: "path-shadowing",
  title: "one go in PATH (or all the same version)",
  run(f) {
    const [first, ...rest] = f.pathGos;
    if (first === undefined) return [];
    const shadowed = rest.filter((g) => g.toolchain !== first.toolchain);
    if (shadowed.length === 0) return [];
    const dir = first.exe.slice(0, first.exe.lastIndexOf("/"));
    const keep = f.path.split(":").filter((d) => d !== dir && d.replace(/\/$/, "") !== dir);
    return [{
      check: this.id,
      severity: "warning",
      what: `${f.pathGos.length} go commands in PATH: ${first.exe} (${first.toolchain}) comes ` +
        `first and shadows ${shadowed.map((g) => `${g.exe} (${g.toolchain})`).join(", ")}`,
      from: "PATH",
      go: `runs ${first.exe} (${first.toolchain}) as the local toolchain: the default when no ` +
        `go.mod asks for more, and the floor GOTOOLCHAIN=auto switches up from`,
      fix: `export PATH=${q(keep.join(":"))}`,
    }];
  },
};

/** Version files of other managers that name another Go. */
export const versionFileCheck: DoctorCheck = {
  id: "version-files",
  title: "no .go-version/.tool-versions/mise.toml/.gvmrc names another Go",
  run(f) {
    return (f.x.versionFiles ?? []).filter((v) => v.agrees === false).map((v) => ({
      check: this.id,
      severity: "warning" as const,
      what: disagreement(v, f.x.toolchain)!.replace(/ `gtc use.*$/, ""),
      from: `${v.path}:${v.line}`,
      go: `runs ${f.x.toolchain} here and never reads ${v.path}`,
      fix: `gtc use --from-version-file ${q(v.path)}`,
    }));
  },
};

/** A module cache this user cannot write. */
export const cacheCheck: DoctorCheck = {
  id: "module-cache",
  title: "the module cache is this user's and writable",
  run(f) {
    const c = f.cache;
    if (c === null) return [];
    const foreign = c.exists && c.owner !== null && c.uid !== null && c.owner !== c.uid;
    if (c.writable && !foreign) return [];
    const needsDownload = f.x.source === "download";
    return [{
      check: this.id,
      severity: !c.writable && needsDownload ? "error" : "warning",
      what: `the module cache ${c.path} ${c.exists ? "" : "does not exist and "}${
        foreign ? `is owned by uid ${c.owner}, not you (uid ${c.uid})` : ""
      }${foreign && !c.writable ? " and " : ""}${c.writable ? "" : "is not writable by you"}`,
      from: `GOMODCACHE from ${c.origin}`,
      go: c.writable
        ? "downloads still work, but files it extracts belong to you while the rest is another " +
          "user's: a `go clean -modcache` by either fails"
        : `fails downloading modules${
          needsDownload ? ` and the ${f.x.toolchain} toolchain it needs here` : " and toolchains"
        } (permission denied)`,
      fix: foreign || !c.exists
        ? `sudo chown -R "$(id -u):$(id -g)" ${q(c.path)}`
        : `chmod u+w ${q(c.path)}`,
    }];
  },
};

/** The gtc hook in this shell, and the daemon's version. */
export const hookCheck: DoctorCheck = {
  id: "hook-daemon",
  title: "the gtc hook is active and the daemon is this gtc",
  run(f) {
    const out: Finding[] = [];
    if (f.daemonVersion !== null && f.daemonVersion !== f.version) {
      out.push({
        check: this.id,
        severity: "warning",
        what: `the running gtc daemon is version ${f.daemonVersion}, this gtc is ${f.version}`,
        from: "gtc daemon status",
        go:
          "is not affected; gtc why, the prompt and --switch-path answer with the old daemon's rules",
        fix: "gtc daemon restart",
      });
    }
    if (f.hook !== null && f.hook.active === false) {
      out.push({
        check: this.id,
        severity: "info",
        what: `no gtc hook serves this shell (${f.hook.shell}): $GTC_PROMPT is not kept and ` +
          `PATH is not switched`,
        from: f.daemonVersion === null ? "no gtc daemon runs" : "the daemon's list of shells",
        go: "is not affected: it selects its toolchain itself",
        fix: `eval "$(gtc hook ${f.hook.shell})"`,
      });
    }
    return out;
  },
};

/** GOPROXY and the checksum database: reachable? */
export const networkCheck: DoctorCheck = {
  id: "network",
  title: "GOPROXY and the checksum database answer",
  run(f) {
    const download = f.x.source === "download";
    return f.probes.filter((p) => p.error !== null).map((p) => ({
      check: this.id,
      severity: download ? "error" as const : "warning" as const,
      what: `${p.kind} ${p.url} does not answer: ${p.error}`,
      from: `${p.kind} from ${p.origin}`,
      go: download
        ? `fails (or hangs) downloading ${f.x.toolchain}, which it needs here`
        : "fails or hangs on its next module or toolchain download",
      fix: networkFix(p, f.settings),
    }));
  },
};

const defaultProxy = "https://proxy.golang.org,direct";

// networkFix: a setting that differs from the default goes back to it (the
// default proxy also serves sum.golang.org); with the defaults already, the
// network is at fault and the command shows how.
function networkFix(p: ProbeFact, settings: DoctorFacts["settings"]): string {
  if (p.kind === "GOSUMDB" && settings.GOSUMDB.value.trim() !== "sum.golang.org") {
    return settings.GOSUMDB.layer === "env" ? "unset GOSUMDB" : "go env -u GOSUMDB";
  }
  if (settings.GOPROXY.value !== defaultProxy) {
    return settings.GOPROXY.layer === "env"
      ? `export GOPROXY=${defaultProxy}`
      : `go env -w GOPROXY=${defaultProxy}`;
  }
  return `curl -sSI ${q(p.url)}  # the network or a firewall stops it`;
}

/** The checks gtc doctor runs, in the order it prints them. */
export const doctorChecks: readonly DoctorCheck[] = [
  tooOldCheck,
  gorootCheck,
  gotoolchainFileCheck,
  pathCheck,
  versionFileCheck,
  cacheCheck,
  networkCheck,
  hookCheck,
];

/** The report: findings, and the checks that found nothing. */
export interface DoctorReport {
  dir: string;
  toolchain: string | null;
  findings: Finding[];
  passed: string[];
  /** Whether something will make the go command fail (exit status 1). */
  failing: boolean;
}

/** diagnose runs checks over facts. */
export function diagnose(
  f: DoctorFacts,
  checks: readonly DoctorCheck[] = doctorChecks,
): DoctorReport {
  const findings: Finding[] = [];
  const passed: string[] = [];
  for (const c of checks) {
    const got = c.run(f);
    if (got.length === 0) passed.push(c.title);
    findings.push(...got);
  }
  return {
    dir: f.x.dir,
    toolchain: f.x.toolchain,
    findings,
    passed,
    failing: findings.some((x) => x.severity === "error") || f.x.error !== null,
  };
}

/** parseGoproxy returns GOPROXY's URLs in order ("direct" and "off" are not servers). */
export function parseGoproxy(value: string): string[] {
  return value.split(/[,|]/).map((s) => s.trim()).filter((s) =>
    s !== "" && s !== "direct" && s !== "off"
  );
}

/**
 * sumdbURL returns the checksum database's base URL from GOSUMDB
 * ("name[+key] [url]"; default sum.golang.org), or null when off.
 */
export function sumdbURL(gosumdb: string): { name: string; url: string } | null {
  const v = gosumdb.trim() || "sum.golang.org";
  if (v === "off") return null;
  const [key, url] = v.split(/\s+/);
  const name = key.split("+")[0];
  // sum.golang.google.cn is the same database under another name.
  return { name, url: (url ?? `https://${name}`).replace(/\/$/, "") };
}

/**
 * Get asks one URL, giving up after timeoutMs: it resolves to the HTTP
 * status, or to why there was none ("timed out after 3000 ms").
 */
export type Get = (url: string, timeoutMs: number) => Promise<number | string>;

// answered: any HTTP answer but a server error means the server is there.
async function answered(get: Get, url: string, timeoutMs: number): Promise<string | null> {
  const r = await get(url, timeoutMs);
  return typeof r === "string" ? r : r >= 500 ? `HTTP ${r}` : null;
}

/**
 * probe asks each GOPROXY server for the toolchain module's list, and the
 * checksum database (through the first proxy that serves it, as the go
 * command tries, else directly) for its latest tree, in parallel.
 */
export async function probe(
  settings: DoctorFacts["settings"],
  get: Get,
  timeoutMs: number,
): Promise<ProbeFact[]> {
  const proxies = parseGoproxy(settings.GOPROXY.value);
  const jobs: Promise<ProbeFact>[] = proxies.map(async (p): Promise<ProbeFact> => {
    const url = `${p.replace(/\/$/, "")}/golang.org/toolchain/@v/list`;
    return {
      kind: "GOPROXY",
      url,
      origin: settings.GOPROXY.origin,
      error: await answered(get, url, timeoutMs),
    };
  });
  const db = sumdbURL(settings.GOSUMDB.value);
  if (db !== null) {
    jobs.push((async (): Promise<ProbeFact> => {
      const explicit = /\s/.test(settings.GOSUMDB.value.trim());
      if (!explicit && proxies.length > 0) {
        const via = `${proxies[0].replace(/\/$/, "")}/sumdb/${db.name}/supported`;
        if (await get(via, timeoutMs) === 200) {
          return { kind: "GOSUMDB", url: via, origin: settings.GOSUMDB.origin, error: null };
        }
      }
      const url = `${db.url}/latest`;
      return {
        kind: "GOSUMDB",
        url,
        origin: settings.GOSUMDB.origin,
        error: await answered(get, url, timeoutMs),
      };
    })());
  }
  return await Promise.all(jobs);
}

/** versionOfGoroot names the toolchain a GOROOT's VERSION file gives ("" when it has none). */
export function versionOfGoroot(versionFileText: string): string {
  const first = versionFileText.split("\n")[0].trim();
  return fromToolchain(first) !== "" ? first : "";
}

/**
 * goCommandsInPath lists every go in PATH, in order, each read as the go
 * command's own lookup would (lib/toolchain findLocal on that one
 * directory); the same program reached twice (a symlink) counts once.
 */
export function goCommandsInPath(fs: ReadFs, path: PathEnv): LocalToolchain[] {
  const out: LocalToolchain[] = [];
  const seen = new Set<string>();
  for (const dir of splitList(path.path, path.style)) {
    if (dir === "") continue;
    const g = findLocal({ fs, path: { ...path, path: dir } });
    if (g === undefined) continue;
    let real = g.exe;
    try {
      real = fs.realPath(g.exe);
    } catch {
      // keep the path as found
    }
    if (seen.has(real)) continue;
    seen.add(real);
    out.push(g);
  }
  return out;
}
