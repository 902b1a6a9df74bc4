/**
 * Scenarios for the differential test: seeded random ones and fixed ones ported from
 * Go's own script tests.
 *
 * A scenario is plain data: files to create under a fresh root directory, the directory to run
 * in, and the complete process environment. The text `$ROOT` in paths, file contents and
 * environment values stands for that root; `$GOBIN` stands for the directory of the reference
 * go command (e.g. /usr/local/go/bin), `$GOROOT` for its GOROOT, and `$GOOS` / `$GOARCH` for
 * its target. Nothing here runs anything; see gocmd.ts.
 *
 * The reference toolchain is the real go (go1.26.8 on the project machines, whose
 * $GOROOT/go.env sets GOTOOLCHAIN=local). The version pools below are chosen around that local
 * version: older, equal, newer, language versions, custom suffixes and invalid names.
 *
 * @module
 */

/** FileSpec is one entry of a scenario's directory layout. */
export interface FileSpec {
  /** path relative to the scenario root, `/`-separated */
  path: string;
  /** file contents; absent for a directory */
  content?: string;
  /** permission bits for a file (default 0o644) */
  mode?: number;
  /** create a directory rather than a file */
  dir?: boolean;
}

/** Expectation is what a fixed scenario ported from a Go script test says the go command does. */
export interface Expectation {
  /** the toolchain that runs or would be downloaded ("local" means the reference go itself) */
  toolchain?: string;
  /** how the toolchain is obtained */
  kind: "local" | "path" | "download" | "error";
  /** for kind "error": the exact first stderr line */
  error?: string;
}

/** Scenario is one directory layout plus one environment in which `go version` runs. */
export interface Scenario {
  /** stable name: "random/0042" or "gotoolchain_local/12" */
  name: string;
  files: FileSpec[];
  /** working directory relative to the root ("" is the root itself) */
  cwd: string;
  /** the complete environment; `$ROOT` and `$GOBIN` are substituted */
  env: Record<string, string>;
  /** go command arguments after the program name */
  args: string[];
  /** for ported scenarios: what Go's script test expects, translated to real versions */
  want?: Expectation;
  /** why a scenario looks the way it does (ported scenarios cite their script line) */
  note?: string;
}

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32) and helpers.

/** Rand is a small deterministic PRNG; the same seed always yields the same scenarios. */
export class Rand {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** next returns a float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6D2B79F5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** chance reports whether an event of probability p happens. */
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** int returns an integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** pick returns a uniformly chosen element of xs. */
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  /** weighted picks a value from [weight, value] pairs. */
  weighted<T>(pairs: readonly (readonly [number, T])[]): T {
    const total = pairs.reduce((s, [w]) => s + w, 0);
    let x = this.next() * total;
    for (const [w, v] of pairs) {
      if (x < w) return v;
      x -= w;
    }
    return pairs[pairs.length - 1][1];
  }
}

// ---------------------------------------------------------------------------------------------
// Value pools (local toolchain: go1.26.8).

/** Toolchain names that FromToolchain accepts, around the local go1.26.8. */
export const validNames = [
  "go1.21.0",
  "go1.22.0",
  "go1.22.3",
  "go1.25.0",
  "go1.26.0",
  "go1.26.8", // equal to local
  "go1.26.9",
  "go1.27.0",
  "go1.27.1",
  "go1.28rc1",
  "go1.30.0",
  "go1.20", // pre-1.21 language spelling: a real release name
  "go1.22", // language versions: "not a toolchain version" at download
  "go1.27",
  "go1.21.0-bigcorp",
  "go1.22.0-custom",
  "go1.26.8-bigcorp", // same version as local, different name
  "go1.27.0-bigcorp",
  "go1.27.0 (bigcorp)",
  "go1.99999999999999999.0",
  "go2.0", // valid for FromToolchain, rejected by the go1 check
] as const;

/** GOTOOLCHAIN values that Select rejects (or that only look plausible). */
export const invalidGotoolchains = [
  "asdf",
  "bad+foo",
  "go1.22+foo",
  "go1.22.0+auto+path",
  "default",
  "go2.0",
  "go1.25+",
  "local+",
  "+auto",
  "path+auto",
  "auto+path",
  "Auto",
  "LOCAL",
  "go1.21/x",
  "go1.21/x+auto",
  "go1.21\\x",
  "go1.2.3+bigcorp",
  "gccgo-go1.23rc4",
  "go1.21.3rc1",
  "1.22.0",
  "1.22.0+auto",
  " auto",
  "auto ",
  "go1.27.0 ",
  "go",
  "go1",
] as const;

/** Values for go lines, as written after the `go` keyword. */
export const goLineValues = [
  "1.16",
  "1.17",
  "1.18",
  "1.19",
  "1.20",
  "1.21",
  "1.22",
  "1.23",
  "1.24",
  "1.25",
  "1.26",
  "1.27",
  "1.28",
  "1.29",
  "1.30",
  "1.21.0",
  "1.22rc1",
  "1.22.3",
  "1.26.8",
  "1.26.9",
  "1.27rc2",
  "1.27.0",
  "1.27.1",
  "1.30.0",
  "1.999999999999999999",
  "2.0",
  "1.x",
  "v1.27.0",
  "1.27.0.1",
  "1.21.3rc1",
  "1.27.0-bigcorp",
  "",
] as const;

/** Values for toolchain lines, as written after the `toolchain` keyword. */
export const toolchainLineValues = [
  "go1.27.1",
  "go1.27.0",
  "go1.22.0",
  "go1.26.8",
  "go1.26.9",
  "go1.30.0",
  "go1.28rc1",
  "default",
  "local",
  "go1.22",
  "go1.27",
  "go1.21.0-bigcorp",
  "go1.22.0-custom",
  "go1.27.0-bigcorp",
  "go1.27.0 (bigcorp)",
  "1.22.0",
  "gccgo-go1.23rc4",
  "go1.21/x",
  "go1.2.3+bigcorp",
  "(",
  "go2.0",
  "",
] as const;

/** Names of fake toolchain executables that may be put on PATH. */
export const fakeNames = [
  "go1.27.0",
  "go1.27.1",
  "go1.22.0",
  "go1.26.8",
  "go1.26.9",
  "go1.30.0",
  "go1.28rc1",
  "go1.22",
  "go1.27",
  "go1.22.0-custom",
  "go1.21.0-bigcorp",
  "go1.27.0-bigcorp",
  "go1.27.0 (bigcorp)",
] as const;

/** The line a fake toolchain prints on stderr starts with this marker. */
export const fakeMarker = "gtc-fake:";

/**
 * fakeGoScript returns a shell script that acts as toolchain `name`: `go version` prints
 * `go version <name> <goos>/<goarch>` on stdout, and every run prints the environment variables
 * the switching go command sets on stderr, so the child environment can be compared.
 */
export function fakeGoScript(name: string, goos = "linux", goarch = "amd64"): string {
  const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const lines = [
    "#!/bin/sh",
    `printf '%s\\n' ${q(`go version ${name} ${goos}/${goarch}`)}`,
    `printf '%s\\n' ${q(`${fakeMarker} name=${name}`)} "${fakeMarker} exe=$0" >&2`,
  ];
  for (const v of childEnvVars) {
    lines.push(`printf '%s\\n' "${fakeMarker} ${v}=\${${v}+set:}\${${v}-unset}" >&2`);
  }
  lines.push("exit 0", "");
  return lines.join("\n");
}

/** The environment variables a fake toolchain reports (as `VAR=set:value` or `VAR=unset`). */
export const childEnvVars = [
  "GOTOOLCHAIN_INTERNAL_SWITCH_VERSION",
  "GOTOOLCHAIN_INTERNAL_SWITCH_COUNT",
  "GOROOT",
  "GOTOOLCHAIN",
] as const;

// ---------------------------------------------------------------------------------------------
// Random scenarios.

/** GOTOOLCHAIN value for the environment or an env file, in one of the documented forms. */
function randomGotoolchain(r: Rand): string {
  return r.weighted<() => string>([
    [3, () => "auto"],
    [2, () => "path"],
    [2, () => "local"],
    [1, () => "local+auto"],
    [1, () => "local+path"],
    [3, () => r.pick(validNames)],
    [3, () => r.pick(validNames) + "+auto"],
    [2, () => r.pick(validNames) + "+path"],
    [3, () => r.pick(invalidGotoolchains)],
  ])();
}

function randomGoLine(r: Rand, value: string): string {
  const sep = r.weighted([[6, " "], [2, "\t"], [1, "  "], [1, " \t "]] as const);
  let line = `go${sep}${value}`;
  if (r.chance(0.15)) line += r.pick([" // comment", "// c", "\t// go 1.30.0", " //"]);
  if (r.chance(0.1)) line = r.pick(["  ", "\t", " "]) + line;
  if (r.chance(0.05)) line += r.pick([" ", "\t"]);
  return line;
}

function randomToolchainLine(r: Rand, value: string): string {
  const sep = r.weighted([[6, " "], [2, "\t"], [1, "   "]] as const);
  let line = `toolchain${sep}${value}`;
  if (r.chance(0.15)) line += r.pick([" // comment", "//x", "\t// toolchain go1.30.0"]);
  if (r.chance(0.1)) line = r.pick(["  ", "\t"]) + line;
  return line;
}

/** randomModFile returns go.mod (or go.work, with `use` lines) text with varied formatting. */
function randomModFile(r: Rand, work: boolean): string {
  const lines: string[] = [];
  if (!work && r.chance(0.85)) lines.push("module example.com/m");
  if (r.chance(0.05)) lines.push("// go 1.30.0");
  if (r.chance(0.04)) lines.push("require (", "\tgo 1.30.0", ")");
  if (r.chance(0.04)) lines.push("go1.30.0", "gotoolchain go1.30.0", "goline 1.30");
  if (r.chance(0.85)) lines.push(randomGoLine(r, r.pick(goLineValues)));
  if (r.chance(0.5)) lines.push(randomToolchainLine(r, r.pick(toolchainLineValues)));
  if (r.chance(0.04)) lines.push("toolchain (", "\tgo1.30.0", ")");
  if (r.chance(0.1)) {
    // Duplicates: the quick scan uses the first match.
    const dup = r.chance(0.5)
      ? randomGoLine(r, r.pick(goLineValues))
      : randomToolchainLine(r, r.pick(toolchainLineValues));
    lines.splice(r.int(lines.length + 1), 0, dup);
  }
  if (work) lines.push(r.pick(["use .", "use ./a", "use (\n\t.\n)", ""]));
  if (!work && r.chance(0.2)) lines.push("", "require example.com/dep v1.0.0");
  const nl = r.chance(0.15) ? "\r\n" : "\n";
  return lines.join(nl) + (r.chance(0.9) ? nl : "");
}

/** randomEnvFile returns the text of a go env file that mentions GOTOOLCHAIN somehow. */
function randomEnvFile(r: Rand, extra: Record<string, string>): string {
  const lines: string[] = [];
  const noise = [
    "# a comment",
    "# GOTOOLCHAIN=go1.30.0",
    "gotoolchain=go1.30.0",
    " GOTOOLCHAIN=go1.30.0",
    "\tGOTOOLCHAIN=go1.30.0",
    "GOTOOLCHAIN",
    "",
    "GOPROXY=off",
    "GOFLAGS=-mod=mod",
    "=auto",
    "_GOTOOLCHAIN=go1.30.0",
  ];
  const n = r.int(3);
  for (let i = 0; i < n; i++) lines.push(r.pick(noise));
  if (r.chance(0.85)) {
    if (r.chance(0.2)) lines.push(`GOTOOLCHAIN=${randomGotoolchain(r)}`); // overridden below
    const value = r.weighted<() => string>([
      [8, () => randomGotoolchain(r)],
      [2, () => ""], // an empty value masks $GOROOT/go.env
    ])();
    lines.push(`GOTOOLCHAIN=${value}`);
  }
  for (const [k, v] of Object.entries(extra)) lines.splice(r.int(lines.length + 1), 0, `${k}=${v}`);
  if (r.chance(0.2)) lines.push(r.pick(noise));
  const nl = r.chance(0.1) ? "\r\n" : "\n";
  return lines.join(nl) + (r.chance(0.85) ? nl : "");
}

/**
 * randomScenario builds scenario number i from r.
 *
 * Layout: `$ROOT/w`, `$ROOT/w/a`, `$ROOT/w/a/b` may each hold a go.mod and a go.work;
 * the go command runs in one of them. `$ROOT/home` is HOME, `$ROOT/gopath` is GOPATH,
 * `$ROOT/bin` and `$ROOT/bin2` hold fake toolchains.
 */
export function randomScenario(r: Rand, i: number): Scenario {
  const files: FileSpec[] = [{ path: "home", dir: true }, { path: "gopath", dir: true }];
  const env: Record<string, string> = {
    HOME: "$ROOT/home",
    GOPATH: "$ROOT/gopath",
    GOPROXY: "off",
  };
  const notes: string[] = [];

  // Module layout.
  const levels = ["w", "w/a", "w/a/b"];
  files.push({ path: "w/a/b", dir: true });
  let nearestMod: string | undefined;
  for (const dir of levels) {
    if (r.chance(0.5)) {
      if (r.chance(0.03)) files.push({ path: `${dir}/go.mod`, dir: true });
      else files.push({ path: `${dir}/go.mod`, content: randomModFile(r, false) });
    }
    if (r.chance(0.18)) {
      if (r.chance(0.05)) files.push({ path: `${dir}/go.work`, dir: true });
      else files.push({ path: `${dir}/go.work`, content: randomModFile(r, true) });
    }
  }
  const cwd = r.weighted([[4, "w"], [3, "w/a"], [3, "w/a/b"]] as const);
  for (const dir of levels) {
    if (cwd.startsWith(dir) && files.some((f) => f.path === `${dir}/go.mod` && !f.dir)) {
      nearestMod = dir; // the deepest one wins; levels are in ascending depth
    }
  }

  // GOTOOLCHAIN in the process environment.
  const gtEnv = r.weighted<() => string | undefined>([
    [4, () => undefined],
    [1, () => ""],
    [8, () => randomGotoolchain(r)],
  ])();
  if (gtEnv !== undefined) env.GOTOOLCHAIN = gtEnv;

  // The user's go env file.
  const fileExtra: Record<string, string> = {};
  if (r.chance(0.08)) fileExtra.GO111MODULE = r.pick(["off", "on", "auto", ""]);
  if (r.chance(0.08)) fileExtra.GOWORK = r.pick(["off", "auto", "", "$ROOT/alt/go.work"]);
  const envText = () => randomEnvFile(r, fileExtra);
  const goenv = r.weighted(
    [
      [3, "none"],
      [1, "off"],
      [1, "off-empty"],
      [4, "explicit"],
      [1, "explicit-missing"],
      [2, "xdg"],
      [2, "home"],
      [1, "xdg-relative"],
      [1, "xdg-empty"],
      [1, "no-home"],
    ] as const,
  );
  notes.push(`goenv=${goenv}`);
  switch (goenv) {
    case "none":
      break;
    case "off": // GOENV=off hides an existing default file
      env.GOENV = "off";
      files.push({ path: "home/.config/go/env", content: envText() });
      break;
    case "off-empty": // GOENV= (empty) means the default location
      env.GOENV = "";
      files.push({ path: "home/.config/go/env", content: envText() });
      break;
    case "explicit":
      env.GOENV = "$ROOT/cfg/goenv";
      files.push({ path: "cfg/goenv", content: envText() });
      if (r.chance(0.3)) files.push({ path: "home/.config/go/env", content: envText() });
      break;
    case "explicit-missing":
      env.GOENV = "$ROOT/cfg/missing";
      files.push({ path: "home/.config/go/env", content: envText() });
      break;
    case "xdg":
      env.XDG_CONFIG_HOME = "$ROOT/xdg";
      files.push({ path: "xdg/go/env", content: envText() });
      if (r.chance(0.3)) files.push({ path: "home/.config/go/env", content: envText() });
      break;
    case "home":
      files.push({ path: "home/.config/go/env", content: envText() });
      break;
    case "xdg-relative": // a relative XDG_CONFIG_HOME is an error: no user file at all
      env.XDG_CONFIG_HOME = "xdg";
      files.push({ path: "home/.config/go/env", content: envText() });
      files.push({ path: `${cwd}/xdg/go/env`, content: envText() });
      break;
    case "xdg-empty":
      env.XDG_CONFIG_HOME = "";
      files.push({ path: "home/.config/go/env", content: envText() });
      break;
    case "no-home": // neither XDG_CONFIG_HOME nor HOME: UserConfigDir fails
      delete env.HOME;
      files.push({ path: "home/.config/go/env", content: envText() });
      break;
  }

  // GO111MODULE, GOWORK.
  const g111 = r.weighted<string | undefined>([
    [14, undefined],
    [1, "on"],
    [1, "off"],
    [2, "auto"],
    [1, ""],
    [1, "bogus"],
  ]);
  if (g111 !== undefined) env.GO111MODULE = g111;
  const gowork = r.weighted<string | undefined>([
    [12, undefined],
    [2, "off"],
    [1, "auto"],
    [1, ""],
    [2, "$ROOT/alt/go.work"],
    [1, "$ROOT/alt/missing.work"],
    [1, "$ROOT/alt"],
    [1, "go.work"],
    [1, "./alt/go.work"],
  ]);
  if (gowork !== undefined) env.GOWORK = gowork;
  files.push({ path: "alt/go.work", content: randomModFile(r, true) });

  // Fake toolchains on PATH.
  // Bias the names towards ones the scenario mentions, so PATH hits are common. This only
  // collects strings; it does not predict the selection.
  const mentioned = mentionedNames(files, env, cwd);
  const fakes: string[] = [];
  const nFake = r.weighted([[1, 0], [3, 1], [4, 2], [3, 3]] as const);
  for (let k = 0; k < nFake; k++) {
    const name = mentioned.length > 0 && r.chance(0.75) ? r.pick(mentioned) : r.pick(fakeNames);
    const dir = r.chance(0.8) ? "bin" : "bin2";
    const path = `${dir}/${name}`;
    if (files.some((f) => f.path === path)) continue;
    fakes.push(path);
    files.push({ path, content: fakeGoScript(name), mode: r.chance(0.85) ? 0o755 : 0o644 });
  }
  files.push({ path: "bin", dir: true }, { path: "bin2", dir: true });
  const pathForm: readonly string[] = r.weighted<readonly string[]>([
    [4, ["$ROOT/bin", "$GOBIN"]],
    [4, ["$GOBIN", "$ROOT/bin"]],
    [1, ["$ROOT/bin2", "$ROOT/bin", "$GOBIN"]],
    [1, ["$GOBIN", "$ROOT/bin", "$ROOT/bin2"]],
    [1, ["$ROOT/bin", "$GOBIN", "$ROOT/bin2"]],
    [1, ["$GOBIN"]],
    [1, [".", "$ROOT/bin", "$GOBIN"]], // relative entry: a hit there is ErrDot
    [1, ["$ROOT/bin", "", "$GOBIN"]], // empty entry means "."
  ]);
  env.PATH = pathForm.join(":");
  if (pathForm.includes(".") || pathForm.includes("")) {
    // Put a fake in the working directory so the relative entry can match.
    const name = r.pick(fakeNames);
    files.push({ path: `${cwd}/${name}`, content: fakeGoScript(name), mode: 0o755 });
  }

  // Toolchains already in the module cache. Go requires a checksum database lookup for
  // golang.org/toolchain even with GOSUMDB=off, except when GOPROXY is a single file:// URL
  // (select.go's distpack exception), so those scenarios use an empty file:// proxy.
  if (r.chance(0.3)) {
    env.GOPROXY = "file://$ROOT/proxy";
    env.GOSUMDB = "off";
    files.push({ path: "proxy", dir: true });
    const nCache = r.weighted([[1, 0], [3, 1], [2, 2]] as const);
    for (let k = 0; k < nCache; k++) {
      const pool = [...mentioned, ...fakeNames].filter((n) => !n.includes(" "));
      const name = r.chance(0.7) && mentioned.length > 0 ? r.pick(mentioned) : r.pick(pool);
      if (name.includes(" ")) continue;
      files.push(...cachedToolchain(r, name));
    }
  }

  // Rarely: GOROOT set explicitly to the real one, TMPDIR at a module root,
  // switch bookkeeping variables inherited from a parent go command.
  if (r.chance(0.15)) env.GOROOT = "$GOROOT";
  if (r.chance(0.08)) env.TMPDIR = nearestMod ? `$ROOT/${nearestMod}` : "$ROOT/w";
  else if (r.chance(0.03)) env.TMPDIR = "$ROOT";
  if (r.chance(0.06)) {
    env.GOTOOLCHAIN_INTERNAL_SWITCH_COUNT = r.pick(["0", "1", "89", "90", "99", "100", "x", ""]);
  }
  if (r.chance(0.04)) {
    env.GOTOOLCHAIN_INTERNAL_SWITCH_VERSION = r.pick(["go1.26.8", "go1.27.0", ""]);
  }

  // Mostly `go version`; sometimes the `go env` argv shapes that bypass selection (and some
  // that look alike but do not), or a -C flag after the subcommand.
  const sub = cwd === "w" ? "a" : cwd === "w/a" ? "b" : "..";
  const args = r.weighted<string[]>([
    [80, ["version"]],
    [4, ["env", "GOTOOLCHAIN"]],
    [2, ["env", "GOMOD"]],
    [2, ["env", "GOWORK"]],
    [2, ["env", "-json", "GOTOOLCHAIN"]],
    [1, ["env", "GOTOOLCHAIN", "GOMOD"]],
    [2, ["env", "-w", "GOTOOLCHAIN=auto"]],
    [3, ["version", "-C", sub]],
    [1, ["version", `-C=${sub}`]],
  ]);

  return {
    name: `random/${String(i).padStart(4, "0")}`,
    files,
    cwd,
    env,
    args,
    note: notes.join(" "),
  };
}

/**
 * mentionedNames returns plausible toolchain names spelled in the scenario: GOTOOLCHAIN values
 * (before any "+"), toolchain lines, and "go"+V / "go"+V+".0" for go lines.
 */
function mentionedNames(
  files: FileSpec[],
  env: Record<string, string>,
  cwd: string,
): string[] {
  const dirname = (p: string) => p.slice(0, Math.max(0, p.lastIndexOf("/")));
  const out = new Set<string>();
  const add = (name: string) => {
    if (/^go1\.[0-9a-z.]+(-[a-z]+| \(bigcorp\))?$/.test(name)) out.add(name);
  };
  const texts = files.filter((f) =>
    f.content !== undefined && !f.path.startsWith("alt/") &&
    (cwd.startsWith(dirname(f.path)) || /(^|\/)(go)?env$/.test(f.path))
  ).map((f) => f.content!);
  if (env.GOTOOLCHAIN !== undefined) texts.push(`GOTOOLCHAIN=${env.GOTOOLCHAIN}`);
  for (const text of texts) {
    for (const raw of text.split("\n")) {
      const line = raw.trim();
      let m: RegExpExecArray | null;
      if ((m = /^GOTOOLCHAIN=([^+]*)/.exec(line))) add(m[1]);
      else if ((m = /^toolchain\s+(.*?)\s*(\/\/.*)?$/.exec(line))) add(m[1]);
      else if ((m = /^go\s+(\S+)/.exec(line))) {
        add("go" + m[1]);
        if (/^1\.\d+$/.test(m[1])) add("go" + m[1] + ".0");
      }
    }
  }
  return [...out].sort();
}

/**
 * cachedToolchain returns the module cache files of toolchain `name` (GOPATH=$ROOT/gopath):
 * the extracted module with a fake bin/go, and usually the .ziphash that marks the download as
 * complete. Variants: bin/go without execute bits (the go command then sets them, which needs
 * pkg/tool, lib and bin/gofmt), and an incomplete entry (no .ziphash) that is not a cache hit.
 */
export function cachedToolchain(r: Rand, name: string): FileSpec[] {
  const v = `v0.0.1-${name}.$GOOS-$GOARCH`;
  const dir = `gopath/pkg/mod/golang.org/toolchain@${v}`;
  const files: FileSpec[] = [];
  const executable = r.chance(0.7);
  files.push({
    path: `${dir}/bin/go`,
    content: fakeGoScript(name),
    mode: executable ? 0o755 : 0o644,
  });
  if (!executable) {
    files.push(
      { path: `${dir}/bin/gofmt`, content: "", mode: 0o644 },
      { path: `${dir}/pkg/tool/$GOOS_$GOARCH/compile`, content: "", mode: 0o644 },
      { path: `${dir}/lib`, dir: true },
    );
  }
  if (r.chance(0.85)) {
    files.push({
      path: `gopath/pkg/mod/cache/download/golang.org/toolchain/@v/${v}.ziphash`,
      content: "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
    });
  }
  return files;
}

/** randomScenarios returns n scenarios generated from seed. */
export function randomScenarios(seed: number, n: number): Scenario[] {
  const r = new Rand(seed);
  const out: Scenario[] = [];
  for (let i = 0; i < n; i++) out.push(randomScenario(r, i));
  return out;
}
