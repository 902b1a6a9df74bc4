/**
 * Test helpers: the testdata/*.txtar fixtures and a summary of a parsed file
 * to compare with their "want" sections. Used by parse_test.ts and
 * gocmd_test.ts only.
 *
 * A fixture is a txtar archive (golang.org/x/tools/txtar): a comment, then
 * sections "-- name --". testdata/errors/NAME.txtar holds one go.mod or
 * go.work and, in "want", the errors the go command prints for it (one a
 * line, without the "go: errors parsing" header). testdata/ok/NAME.txtar
 * holds one file and, in "want" (strict parse) and "want lax" (parseLax), a
 * JSON summary as summarize returns it.
 *
 * @module
 */

import { posString } from "./parse.ts";
import type { ModFile, WorkFile } from "./parse.ts";
import { span } from "./lex.ts";

/** A Fixture is one testdata case. */
export interface Fixture {
  /** File name without directory or extension. */
  name: string;
  /** The archive's comment: what the case shows. */
  comment: string;
  /** "go.mod" or "go.work". */
  file: "go.mod" | "go.work";
  /** The file's contents. */
  data: string;
  /** Other sections by name ("want", "want lax"). */
  sections: Map<string, string>;
}

/** parseTxtar splits a txtar archive into its comment and sections. */
export function parseTxtar(text: string): { comment: string; sections: Map<string, string> } {
  const sections = new Map<string, string>();
  const marker = /^-- (.+) --$/;
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  let comment = "";
  let name: string | undefined;
  let body: string[] = [];
  const flush = () => {
    const s = body.map((l) => l + "\n").join("");
    if (name === undefined) comment = s;
    else sections.set(name, s);
  };
  for (const line of lines) {
    const m = marker.exec(line);
    if (m === null) {
      body.push(line);
      continue;
    }
    flush();
    name = m[1];
    body = [];
  }
  flush();
  return { comment, sections };
}

/** loadFixtures reads every .txtar file in a testdata folder, sorted by name. */
export function loadFixtures(dir: URL): Fixture[] {
  const out: Fixture[] = [];
  for (const e of Deno.readDirSync(dir)) {
    if (!e.name.endsWith(".txtar")) continue;
    const { comment, sections } = parseTxtar(Deno.readTextFileSync(new URL(e.name, dir)));
    const file = sections.has("go.work") ? "go.work" : "go.mod";
    const data = sections.get(file);
    if (data === undefined) throw new Error(`${e.name}: no go.mod or go.work section`);
    sections.delete(file);
    out.push({ name: e.name.slice(0, -".txtar".length), comment, file, data, sections });
  }
  return out.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/**
 * summarize reduces a parsed file to what the fixtures check: each directive
 * as "value @ file:line[:col]", the go version in effect, and the positions
 * of ignored lines.
 */
export function summarize(f: ModFile | WorkFile): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const at = (v: string, p: { file: string; line: number; col: number }) =>
    `${v} @ ${posString(p)}`;
  if ("module" in f && f.module) {
    out.module = at(f.module.path, f.module.pos);
    if (f.module.deprecated !== "") out.deprecated = f.module.deprecated;
  }
  if (f.go) out.go = at(f.go.version, f.go.pos);
  out.goVersion = f.goVersion;
  if (f.toolchain) out.toolchain = at(f.toolchain.name, f.toolchain.pos);
  if (f.godebug.length > 0) out.godebug = f.godebug.map((g) => at(`${g.key}=${g.value}`, g.pos));
  if ("require" in f && f.require.length > 0) {
    out.require = f.require.map((r) => at(`${r.mod.path} ${r.mod.version}`, r.pos));
  }
  if ("use" in f && f.use.length > 0) out.use = f.use.map((u) => at(u.path, u.pos));
  if ("ignored" in f && f.ignored.length > 0) {
    out.ignored = f.ignored.map((x) => {
      const [start] = span(x);
      return posString({ file: f.syntax.name, line: start.line, col: start.lineRune });
    });
  }
  return out;
}
