/**
 * Go's runtime/debug.BuildInfo: parsing the module information string a
 * binary carries (debug.ParseBuildInfo) and printing it back
 * (BuildInfo.String, and `go version -m` / `go version -m -json` output).
 *
 * @module
 */

import { goQuote } from "../_internal/go_quote.ts";
import { unquote } from "../modfile/_strconv.ts";

/** A module in a build (runtime/debug.Module). */
export interface Module {
  Path: string;
  Version: string;
  Sum: string;
  Replace?: Module;
}

/** A build setting: -compiler=gc, GOOS=linux, vcs.revision=… */
export interface BuildSetting {
  Key: string;
  Value: string;
}

/** BuildInfo is runtime/debug.BuildInfo (field names as in Go's JSON). */
export interface BuildInfo {
  /** "go1.22.3"; "" when not set. */
  GoVersion: string;
  /** The main package's path. */
  Path: string;
  Main: Module;
  Deps: Module[];
  Settings: BuildSetting[];
}

/** BuildInfoParseError is ParseBuildInfo's error, with Go's text. */
export class BuildInfoParseError extends Error {
  constructor(readonly line: number, detail: string) {
    super(`could not parse Go build info: line ${line}: ${detail}`);
    this.name = "BuildInfoParseError";
  }
}

const emptyModule = (): Module => ({ Path: "", Version: "", Sum: "" });

function quoteKey(key: string): boolean {
  return key.length === 0 || /[= \t\r\n"`]/.test(key);
}

function quoteValue(value: string): boolean {
  return /[ \t\r\n"`]/.test(value);
}

// quotedPrefix mirrors strconv.QuotedPrefix for "…" and `…`: the quoted
// literal at the start of s, or undefined.
function quotedPrefix(s: string): string | undefined {
  if (s[0] === "`") {
    const end = s.indexOf("`", 1);
    return end < 0 ? undefined : s.slice(0, end + 1);
  }
  for (let i = 1; i < s.length; i++) {
    if (s[i] === "\n") return undefined;
    if (s[i] === "\\") {
      i++;
      continue;
    }
    if (s[i] === '"') {
      const lit = s.slice(0, i + 1);
      return unquote(lit) === undefined ? undefined : lit;
    }
  }
  return undefined;
}

/**
 * parseBuildInfo parses the module information string (BuildInfo.String()
 * form without the go line), as debug.ParseBuildInfo does.
 *
 * @throws {BuildInfoParseError} with Go's message and line number
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseBuildInfo } from "./info.ts";
 * const bi = parseBuildInfo("path\tx.org/t\nmod\tx.org/t\tv1.0.0\th1:abc=\nbuild\tGOOS=linux\n");
 * assert.equal(bi.Main.Version, "v1.0.0");
 * assert.deepEqual(bi.Settings, [{ Key: "GOOS", Value: "linux" }]);
 * ```
 */
export function parseBuildInfo(data: string): BuildInfo {
  const bi: BuildInfo = { GoVersion: "", Path: "", Main: emptyModule(), Deps: [], Settings: [] };
  let lineNum = 1;
  const fail = (detail: string): never => {
    throw new BuildInfoParseError(lineNum, detail);
  };
  const readModuleLine = (elem: string[]): Module => {
    if (elem.length !== 2 && elem.length !== 3) {
      fail(`expected 2 or 3 columns; got ${elem.length}`);
    }
    return { Path: elem[0], Version: elem[1], Sum: elem.length === 3 ? elem[2] : "" };
  };
  let last: Module | undefined;
  while (data.length > 0) {
    const nl = data.indexOf("\n");
    if (nl < 0) break;
    const line = data.slice(0, nl);
    data = data.slice(nl + 1);
    if (line.startsWith("path\t")) {
      bi.Path = line.slice(5);
    } else if (line.startsWith("mod\t")) {
      bi.Main = readModuleLine(line.slice(4).split("\t"));
      last = bi.Main;
    } else if (line.startsWith("dep\t")) {
      last = readModuleLine(line.slice(4).split("\t"));
      bi.Deps.push(last);
    } else if (line.startsWith("=>\t")) {
      const elem = line.slice(3).split("\t");
      if (elem.length !== 3) fail(`expected 3 columns for replacement; got ${elem.length}`);
      if (last === undefined) fail("replacement with no module on previous line");
      last!.Replace = { Path: elem[0], Version: elem[1], Sum: elem[2] };
      last = undefined;
    } else if (line.startsWith("build\t")) {
      const kv = line.slice(6);
      if (kv.length < 1) fail("build line missing '='");
      let key: string;
      let rawValue: string;
      if (kv[0] === "=") {
        fail("build line with missing key");
      }
      if (kv[0] === "`" || kv[0] === '"') {
        const rawKey = quotedPrefix(kv);
        if (rawKey === undefined) fail("invalid quoted key in build line");
        if (kv.length === rawKey!.length) fail("build line missing '=' after quoted key");
        const c = kv[rawKey!.length];
        if (c !== "=") fail(`unexpected character after quoted key: ${quoteChar(c)}`);
        key = unquote(rawKey!) ?? "";
        rawValue = kv.slice(rawKey!.length + 1);
      } else {
        const eq = kv.indexOf("=");
        if (eq < 0) fail("build line missing '=' after key");
        key = kv.slice(0, eq);
        rawValue = kv.slice(eq + 1);
        if (quoteKey(key)) fail(`unquoted key ${goQuote(key)} must be quoted`);
      }
      let value = "";
      if (rawValue.length > 0) {
        if (rawValue[0] === "`" || rawValue[0] === '"') {
          const v = unquote(rawValue);
          if (v === undefined) fail("invalid quoted value in build line");
          value = v!;
        } else {
          value = rawValue;
          if (quoteValue(value)) fail(`unquoted value ${goQuote(value)} must be quoted`);
        }
      }
      bi.Settings.push({ Key: key!, Value: value });
    }
    lineNum++;
  }
  return bi;
}

// quoteChar is %q of a byte: 'x'.
function quoteChar(c: string): string {
  const q = goQuote(c);
  return `'${q.slice(1, -1).replaceAll('\\"', '"').replaceAll("'", "\\'")}'`;
}

/**
 * formatBuildInfo is BuildInfo.String(): go, path, mod, dep, => and build
 * lines, tab-separated.
 */
export function formatBuildInfo(bi: BuildInfo): string {
  let out = "";
  if (bi.GoVersion !== "") out += `go\t${bi.GoVersion}\n`;
  if (bi.Path !== "") out += `path\t${bi.Path}\n`;
  const formatMod = (word: string, m: Module) => {
    out += `${word}\t${m.Path}\t${m.Version}`;
    if (m.Replace === undefined) out += `\t${m.Sum}`;
    else {
      out += "\n";
      formatMod("=>", m.Replace);
    }
    out += "\n";
  };
  const m = bi.Main;
  if (m.Path !== "" || m.Version !== "" || m.Sum !== "" || m.Replace !== undefined) {
    formatMod("mod", m);
  }
  for (const d of bi.Deps) formatMod("dep", d);
  for (const s of bi.Settings) {
    const key = quoteKey(s.Key) ? goQuote(s.Key) : s.Key;
    const value = quoteValue(s.Value) ? goQuote(s.Value) : s.Value;
    out += `build\t${key}=${value}\n`;
  }
  return out;
}

/**
 * formatVersionM is what `go version -m file` prints for one Go binary:
 * "file: goversion" and the module information indented by a tab.
 */
export function formatVersionM(file: string, bi: BuildInfo): string {
  const mod = formatBuildInfo({ ...bi, GoVersion: "" });
  let out = `${file}: ${bi.GoVersion}\n`;
  if (mod.length > 0) out += `\t${mod.slice(0, -1).replaceAll("\n", "\n\t")}\n`;
  return out;
}

function moduleJson(m: Module): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (m.Path) o.Path = m.Path;
  if (m.Version) o.Version = m.Version;
  if (m.Sum) o.Sum = m.Sum;
  if (m.Replace) o.Replace = moduleJson(m.Replace);
  return o;
}

/**
 * buildInfoJson is the object `go version -m -json` prints for a binary
 * (encoding/json of debug.BuildInfo: empty fields omitted, Main always present).
 */
export function buildInfoJson(bi: BuildInfo): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (bi.GoVersion) o.GoVersion = bi.GoVersion;
  if (bi.Path) o.Path = bi.Path;
  o.Main = moduleJson(bi.Main);
  if (bi.Deps.length) o.Deps = bi.Deps.map(moduleJson);
  if (bi.Settings.length) {
    o.Settings = bi.Settings.map((s) => {
      const x: Record<string, string> = {};
      if (s.Key) x.Key = s.Key;
      if (s.Value) x.Value = s.Value;
      return x;
    });
  }
  return o;
}
