/**
 * The version files of other Go version managers: `.go-version` (goenv),
 * `.tool-versions` (asdf, mise), `mise.toml`/`.mise.toml` (mise) and
 * `.gvmrc` (gvm). The go command reads none of them — go.work, go.mod and
 * GOTOOLCHAIN decide — but their users believe them, so gtc lists them as
 * inputs that do not decide and says when they disagree with what the go
 * command runs.
 *
 * Search rules, as each tool looks for its file:
 * - goenv: the nearest `.go-version` from the directory up to `/` (goenv
 *   then falls back to GOENV_VERSION and its global version file, which are
 *   not files of the project and are not read here). Its first word is the
 *   version.
 * - asdf: the nearest `.tool-versions` that has a `golang` line, from the
 *   directory up to `/` (a file without one is passed over); the first
 *   version on the line is used. mise reads the same files, and also a `go`
 *   line.
 * - mise: every `mise.toml` and `.mise.toml` from the directory up to `/`;
 *   the nearest directory's `go` entry of `[tools]` wins, `.mise.toml` over
 *   `mise.toml` in one directory. (mise's other names — mise.local.toml,
 *   .config/mise.toml… — and its global config are not read.)
 * - gvm: the nearest `.gvmrc` up to `/`, as the shell hooks that source it
 *   look for it; a version is read from `gvm use goX.Y.Z`, a bare version
 *   line, or `GVM_GO_VERSION=…`.
 *
 * Cost: at most five stat calls per directory level, and a read only of the
 * files that exist; a kind stops being looked for once found.
 *
 * @example
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { parseToolVersions } from "./mod.ts";
 * assertEquals(parseToolVersions("nodejs 20\ngolang 1.22.5 1.21.0 # pinned\n"), [
 *   { tool: "golang", version: "1.22.5", line: 2 },
 * ]);
 * ```
 *
 * @module
 */

import type { ReadFs } from "../_internal/sys.ts";
import { dirname, join, type PathStyle } from "../_internal/path.ts";
import { isLang, isValid, lang } from "../gover/mod.ts";

/** The managers whose files gtc reads. */
export type Manager = "goenv" | "asdf" | "mise" | "gvm";

/** One version file that says which Go its manager would run. */
export interface VersionFile {
  /** Absolute path of the file. */
  path: string;
  /** 1-based line of the version. */
  line: number;
  /** The managers that read this file and this entry. */
  managers: Manager[];
  /** The version as written ("1.22.5", "go1.22", "latest", "system"). */
  says: string;
  /**
   * The toolchain query it means for `go get toolchain@…` ("go1.22.5",
   * "go1.22" = its latest release), or null when it names no version
   * ("system", "latest", "ref:…").
   */
  toolchain: string | null;
}

/** parseGoVersion reads a .go-version: the first word of the first non-blank, non-comment line. */
export function parseGoVersion(text: string): { version: string; line: number } | undefined {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const word = lines[i].replace(/#.*/, "").trim().split(/\s+/)[0];
    if (word) return { version: word, line: i + 1 };
  }
  return undefined;
}

/** parseToolVersions returns the go entries ("golang", "go") of a .tool-versions. */
export function parseToolVersions(
  text: string,
): { tool: "golang" | "go"; version: string; line: number }[] {
  const out: { tool: "golang" | "go"; version: string; line: number }[] = [];
  text.split("\n").forEach((l, i) => {
    const words = l.replace(/#.*/, "").trim().split(/\s+/);
    if ((words[0] === "golang" || words[0] === "go") && words.length > 1) {
      out.push({ tool: words[0], version: words[1], line: i + 1 });
    }
  });
  return out;
}

/**
 * parseMiseToml finds the go entry of mise's [tools] table: `go = "1.22"`,
 * `go = ["1.22", "1.21"]` (the first), `go = { version = "1.22" }`, and the
 * dotted `tools.go = …` or `[tools.go]` + `version = …`. It scans lines
 * rather than parsing all of TOML: only this entry matters, and it runs on
 * every `gtc why`.
 */
export function parseMiseToml(text: string): { version: string; line: number } | undefined {
  let table = "";
  const lines = text.split("\n");
  const str = /^\s*(?:\[\s*)?(?:"([^"]*)"|'([^']*)')/;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].replace(/^\s+/, "");
    const header = /^\[\s*([^\]]*?)\s*\]\s*(#.*)?$/.exec(l);
    if (header) {
      table = header[1].replace(/["']/g, "").replace(/\s*\.\s*/g, ".");
      continue;
    }
    const kv = /^("go"|'go'|go|tools\s*\.\s*(?:"go"|'go'|go)|version)\s*=\s*(.*)$/.exec(l);
    if (kv === null) continue;
    const key = kv[1].replace(/["'\s]/g, "");
    const inTools = (table === "tools" && key === "go") ||
      (table === "" && key === "tools.go") || (table === "tools.go" && key === "version");
    if (!inTools) continue;
    let v = kv[2].trim();
    const inline = /^\{.*?\bversion\s*=\s*(.*)$/.exec(v);
    if (inline) v = inline[1];
    const m = str.exec(v);
    if (m) return { version: m[1] ?? m[2], line: i + 1 };
  }
  return undefined;
}

/** parseGvmrc reads the version a .gvmrc selects: `gvm use go1.22.5`, `go1.22.5`, `GVM_GO_VERSION=1.22.5`. */
export function parseGvmrc(text: string): { version: string; line: number } | undefined {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].replace(/#.*/, "").trim();
    const m = /^(?:gvm\s+use\s+|GVM_GO_VERSION=["']?)?((?:go)?\d[\w.\-]*)["']?(?:\s|;|&|$)/.exec(
      l,
    );
    if (m) return { version: m[1], line: i + 1 };
  }
  return undefined;
}

/**
 * toolchainQuery turns a manager's version into a `go get toolchain@…`
 * query: "1.22.5" and "go1.22.5" → "go1.22.5", "1.22" → "go1.22" (go get
 * takes its latest release), anything else → null.
 */
export function toolchainQuery(says: string): string | null {
  const v = says.startsWith("go") ? says.slice(2) : says;
  return isValid(v) ? `go${v}` : null;
}

/**
 * findVersionFiles returns, nearest first, the entry each manager would use
 * for dir: at most one per manager's search (a .tool-versions entry serves
 * asdf and mise at once).
 */
export function findVersionFiles(
  fs: ReadFs,
  dir: string,
  style: PathStyle = "posix",
): VersionFile[] {
  const out: VersionFile[] = [];
  // The searches still open; each closes at its nearest answer.
  let goenv = true, asdf = true, miseTv = true, mise = true, gvm = true;
  const dec = new TextDecoder();
  // read returns an existing regular file's text (stat first: most
  // directories have none of these files, and a failed stat is cheaper
  // than a failed open under Deno).
  const read = (d: string, name: string): [string, string] | undefined => {
    const p = join(style, d, name);
    if (!fs.stat(p)?.isFile) return undefined;
    try {
      return [p, dec.decode(fs.readFile(p))];
    } catch {
      return undefined;
    }
  };
  for (let d = dir;; d = dirname(d, style)) {
    const gv = goenv ? read(d, ".go-version") : undefined;
    if (gv) {
      const v = parseGoVersion(gv[1]);
      if (v) out.push(entry(gv[0], v.line, ["goenv"], v.version));
      goenv = false;
    }
    const tv = asdf || miseTv ? read(d, ".tool-versions") : undefined;
    if (tv) {
      const es = parseToolVersions(tv[1]);
      const golang = asdf ? es.find((e) => e.tool === "golang") : undefined;
      const first = miseTv ? es[0] : undefined;
      if (golang && golang === first) {
        out.push(entry(tv[0], golang.line, ["asdf", "mise"], golang.version));
      } else {
        if (golang) out.push(entry(tv[0], golang.line, ["asdf"], golang.version));
        if (first) out.push(entry(tv[0], first.line, ["mise"], first.version));
      }
      if (golang) asdf = false;
      if (first) miseTv = false;
    }
    if (mise) {
      // .mise.toml overrides mise.toml of the same directory.
      for (const name of [".mise.toml", "mise.toml"]) {
        const f = read(d, name);
        const v = f && parseMiseToml(f[1]);
        if (f && v) {
          out.push(entry(f[0], v.line, ["mise"], v.version));
          mise = false;
          break;
        }
      }
    }
    const rc = gvm ? read(d, ".gvmrc") : undefined;
    if (rc) {
      const v = parseGvmrc(rc[1]);
      if (v) out.push(entry(rc[0], v.line, ["gvm"], v.version));
      gvm = false;
    }
    if (!(goenv || asdf || miseTv || mise || gvm)) break;
    if (dirname(d, style) === d) break;
  }
  return out;
}

function entry(path: string, line: number, managers: Manager[], says: string): VersionFile {
  return { path, line, managers, says, toolchain: toolchainQuery(says) };
}

/**
 * agrees says whether a version file's version matches the toolchain the go
 * command runs: true, false, or null when it cannot tell ("latest", or the go
 * command fails before choosing). A prefix matches its releases ("1.22"
 * matches go1.22.5), as mise and goenv read it; "system" means the go in
 * PATH.
 */
export function agrees(
  f: VersionFile,
  selected: string | null,
  local: string | null,
): boolean | null {
  if (selected === null) return null;
  if (f.says === "system") return local === null ? null : selected === local;
  if (f.toolchain === null) return null;
  const want = f.toolchain.slice(2);
  const have = selected.startsWith("go") ? selected.slice(2) : selected;
  if (have === want || have.startsWith(want + ".")) return true;
  // "1.22" also matches the prereleases of 1.22 ("1.22rc1").
  return isLang(want) && lang(have) === want;
}

/** A version file with its verdict against what the go command runs. */
export interface VersionFileFinding extends VersionFile {
  /** Whether it names what the go command runs (null: cannot tell). */
  agrees: boolean | null;
}

/**
 * judge compares each version file with the toolchain the go command
 * selected (null when it fails first) and the go in PATH.
 */
export function judge(
  files: readonly VersionFile[],
  selected: string | null,
  local: string | null,
): VersionFileFinding[] {
  return files.map((f) => ({ ...f, agrees: agrees(f, selected, local) }));
}

/** shortName is the file's name for messages: ".go-version:1". */
export function shortName(f: VersionFile): string {
  const slash = Math.max(f.path.lastIndexOf("/"), f.path.lastIndexOf("\\"));
  return `${f.path.slice(slash + 1)}:${f.line}`;
}

/**
 * disagreement is the one-line warning for a version file that names a
 * different Go than the go command runs, or undefined when it does not.
 */
export function disagreement(f: VersionFileFinding, selected: string | null): string | undefined {
  if (f.agrees !== false) return undefined;
  return `${f.path}:${f.line} says ${f.says} for ${f.managers.join(" and ")}, but the go ` +
    `command runs ${selected}: it does not read ${shortName(f).replace(/:\d+$/, "")}. ` +
    `\`gtc use --from-version-file\` pins ${f.toolchain ?? f.says} in go.mod; or update or ` +
    `delete the file`;
}

/**
 * readVersionFile parses one named file by its name (.go-version,
 * .tool-versions, mise.toml, .mise.toml, .gvmrc), for `gtc use
 * --from-version-file FILE`. A .tool-versions gives its golang line, else
 * its go line.
 */
export function readVersionFile(path: string, text: string): VersionFile | { error: string } {
  const name = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  let found: { version: string; line: number } | undefined;
  let managers: Manager[] = [];
  if (name === ".go-version") [found, managers] = [parseGoVersion(text), ["goenv"]];
  else if (name === ".tool-versions") {
    const es = parseToolVersions(text);
    found = es.find((e) => e.tool === "golang") ?? es[0];
    managers = found === es.find((e) => e.tool === "golang") ? ["asdf", "mise"] : ["mise"];
  } else if (name === "mise.toml" || name === ".mise.toml") {
    [found, managers] = [parseMiseToml(text), ["mise"]];
  } else if (name === ".gvmrc") [found, managers] = [parseGvmrc(text), ["gvm"]];
  else {
    return {
      error: `${path}: not a version file gtc knows (.go-version, .tool-versions, ` +
        `mise.toml, .mise.toml, .gvmrc)`,
    };
  }
  if (found === undefined) return { error: `${path}: names no Go version` };
  return entry(path, found.line, managers, found.version);
}

/**
 * pinFrom picks the version `gtc use --from-version-file` pins: the nearest
 * file's, when every file found names the same Go; otherwise it asks for the
 * file to be named, listing them. A file that names no version ("latest",
 * "system") cannot be pinned.
 */
export function pinFrom(files: readonly VersionFile[]): { file: VersionFile } | { error: string } {
  if (files.length === 0) {
    return {
      error: "no .go-version, .tool-versions, mise.toml, .mise.toml or .gvmrc here or above",
    };
  }
  const list = files.map((f) => `  ${f.path}:${f.line}: ${f.says} (${f.managers.join(", ")})`)
    .join("\n");
  if (new Set(files.map((f) => f.toolchain ?? f.says)).size > 1) {
    return {
      error: `the version files name different Go versions; name the one to pin ` +
        `(--from-version-file FILE):\n${list}`,
    };
  }
  const f = files[0];
  if (f.toolchain === null) {
    return {
      error: `${f.path}:${f.line}: "${f.says}" names no Go version to pin; ` +
        `give one: gtc use go1.X.Y`,
    };
  }
  return { file: f };
}
