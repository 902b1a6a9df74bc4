/**
 * Rendering an Explanation for people: a short verdict, the inputs with their
 * origins, and each rule the go command applied. Colour only when asked
 * (the CLI asks on a TTY unless NO_COLOR is set).
 *
 * @module
 */

import type { Explanation } from "../resolve/mod.ts";
import { disagreement } from "../versionfiles/mod.ts";

/** Options of renderProse. */
export interface RenderOptions {
  /** Use ANSI colour. @default false */
  color?: boolean;
  /** List rules that did not fire too. @default true */
  verbose?: boolean;
}

const sourceText: Record<string, string> = {
  local: "the local go command",
  path: "found in PATH",
  cache: "already in the module cache",
  download: "not on this machine: the go command would download it",
};

/**
 * renderProse explains an Explanation in a few lines of text.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { renderProse } from "./render.ts";
 * const text = renderProse({
 *   dir: "/src/m", toolchain: "go1.22.0", version: "1.22.0", source: "download", goroot: null,
 *   exe: null, error: null, local: null, gotoolchain: { value: "auto", origin: "environment" },
 *   mode: "auto", file: null, modules: true, childEnv: null, notices: [], microsoft: false, diagnostics: [], trace: [],
 * });
 * assert(text.includes("go1.22.0"));
 * ```
 */
export function renderProse(x: Explanation, options: RenderOptions = {}): string {
  const c = options.color ? ansi : plain;
  const verbose = options.verbose ?? true;
  const out: string[] = [];
  if (x.error !== null) {
    out.push(`${c.red("error")} in ${x.dir}:`);
    out.push(`  ${x.error.split("\n").join("\n  ")}`);
    if (x.toolchain !== null) out.push(`  (selected ${c.bold(x.toolchain)})`);
  } else {
    out.push(`${c.bold(x.toolchain ?? "?")} runs in ${x.dir}`);
    const where = sourceText[x.source ?? ""] ?? "";
    const at = x.source === "download"
      ? x.exe ? ` (into ${x.exe.replace(/[/\\]bin[/\\]go(\.exe)?$/, "")})` : ""
      : x.exe
      ? ` (${x.exe})`
      : "";
    out.push(`  ${where}${at}`);
  }
  out.push("");
  out.push(c.bold("inputs"));
  out.push(
    `  GOTOOLCHAIN=${x.gotoolchain.value || "<unset>"}  ${c.dim(`from ${x.gotoolchain.origin}`)}`,
  );
  if (x.local) {
    out.push(
      `  local go: ${x.local.toolchain} at ${x.local.exe}  ${
        c.dim(`version from ${x.local.versionFrom}`)
      }`,
    );
  } else {
    out.push("  local go: none in PATH");
  }
  if (x.file) {
    const f = x.file;
    out.push(`  ${f.kind}: ${f.path}`);
    if (f.go) out.push(`    go ${f.go.value}  ${c.dim(`${f.shortPath}:${f.go.line}`)}`);
    if (f.toolchain) {
      out.push(
        `    toolchain ${f.toolchain.value}  ${c.dim(`${f.shortPath}:${f.toolchain.line}`)}`,
      );
    }
  } else if (x.mode !== "") {
    out.push("  go.work/go.mod: none found");
  }
  if (x.versionFiles) {
    out.push("  not read by the go command:");
    for (const f of x.versionFiles) {
      const verdict = f.agrees === true
        ? c.dim("agrees")
        : f.agrees === false
        ? c.yellow("disagrees")
        : c.dim("cannot compare");
      out.push(
        `    ${f.says} for ${f.managers.join(", ")}  ${c.dim(`${f.path}:${f.line}`)}  ${verdict}`,
      );
    }
  }
  for (const d of x.diagnostics) {
    out.push("");
    out.push(
      `${c.yellow("warning")}: once it runs, the go command will fail loading ${
        x.file?.shortPath ?? "the module"
      }:`,
    );
    out.push(`  ${d.split("\n").join("\n  ")}`);
  }
  for (const f of x.versionFiles ?? []) {
    const w = disagreement(f, x.toolchain);
    if (w !== undefined) out.push("", `${c.yellow("warning")}: ${w}`);
  }
  out.push("");
  out.push(c.bold("rules"));
  for (const s of x.trace) {
    if (!verbose && !s.fired) continue;
    const mark = s.fired ? c.green("✓") : c.dim("·");
    out.push(`  ${mark} ${s.rule.padEnd(17)} ${s.detail}`);
  }
  if (x.childEnv) {
    out.push("");
    out.push(c.bold("environment of the switched-to toolchain"));
    for (const [k, v] of Object.entries(x.childEnv)) {
      out.push(v === null ? `  ${k} unset` : `  ${k}=${v}`);
    }
  }
  for (const n of x.notices) out.push(c.yellow(n));
  return out.join("\n") + "\n";
}

type Paint = (s: string) => string;
interface Palette {
  bold: Paint;
  dim: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
}

const id: Paint = (s) => s;
const plain: Palette = { bold: id, dim: id, red: id, green: id, yellow: id };
const wrap = (open: number, close: number): Paint => (s) => `\x1b[${open}m${s}\x1b[${close}m`;
const ansi: Palette = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
};
