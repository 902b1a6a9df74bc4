/**
 * Writing the go env file as `go env -w` and `go env -u` do.
 *
 * Mirrors cmd/go/internal/envcmd (go1.26) updateEnvFile, lineToKey,
 * sortKeyValues and the value checks of checkEnvWrite. The file is handled as
 * bytes (each byte one UTF-16 unit, "latin1"), so invalid UTF-8, '\r' and
 * sorting compare exactly as Go's strings do.
 *
 * @module
 */

const latin1 = new TextDecoder("latin1");

function toBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function utf8AsBytes(s: string): string {
  return latin1.decode(new TextEncoder().encode(s));
}

// lineToKey returns the KEY part of a "KEY=VALUE" line, or "" (comments,
// blank lines, lines without '='). Unlike the reader, any text before the
// first '=' without '#' counts as a key here, as in envcmd.lineToKey.
function lineToKey(line: string): string {
  const i = line.indexOf("=");
  if (i < 0 || line.slice(0, i).includes("#")) return "";
  return line.slice(0, i);
}

/**
 * checkEnvValue returns go env -w's error for a value it refuses
 * (checkEnvWrite's checks that apply to every key), or undefined.
 */
export function checkEnvValue(key: string, value: string): string | undefined {
  // A lone surrogate is how invalid UTF-8 reaches a JS string.
  if (!value.isWellFormed()) return `go: invalid UTF-8 in ${key}=... value`;
  if (value.includes("\x00")) return `go: invalid NUL in ${key}=... value`;
  if (/[\v\r\n]/.test(value)) return `go: invalid newline in ${key}=... value`;
  return undefined;
}

/**
 * updateEnvFile returns the go env file's new bytes after setting add's keys
 * (`go env -w K=V`) and deleting del's (`go env -u K`), from its current
 * bytes (undefined: no file yet). Byte for byte what the go command writes:
 * duplicates keep only their last line, a key is rewritten where it was or
 * appended, and each run of KEY=VALUE lines between comments or blank lines
 * is sorted by key.
 *
 * @example
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { updateEnvFile } from "./env_write.ts";
 * const out = updateEnvFile(new TextEncoder().encode("GOPROXY=direct\n# mine\nGOFLAGS=-v"), {
 *   GOTOOLCHAIN: "go1.25.3+auto",
 * });
 * assertEquals(
 *   new TextDecoder().decode(out),
 *   "GOPROXY=direct\n# mine\nGOFLAGS=-v\nGOTOOLCHAIN=go1.25.3+auto\n",
 * );
 * ```
 */
export function updateEnvFile(
  data: Uint8Array | undefined,
  add: Readonly<Record<string, string>> = {},
  del: readonly string[] = [],
): Uint8Array {
  const text = data === undefined ? "" : latin1.decode(data);
  // strings.SplitAfter(s, "\n"): each line keeps its "\n"; a last line
  // without one gets it.
  const lines = text.split("\n").map((l) => l + "\n");
  // The piece after the last "\n" is a line only if it is not empty; it
  // gains the "\n" it lacked.
  if (lines.pop() !== "\n") lines.push(text.slice(text.lastIndexOf("\n") + 1) + "\n");

  // All but the last copy of a key are dropped: the last one takes effect.
  const prev = new Map<string, number>();
  lines.forEach((line, l) => {
    const key = lineToKey(line);
    if (key === "") return;
    const p = prev.get(key);
    if (p !== undefined) lines[p] = "";
    prev.set(key, l);
  });

  const pending = new Map<string, string>();
  for (const [k, v] of Object.entries(add)) {
    const key = utf8AsBytes(k);
    const line = `${key}=${utf8AsBytes(v)}\n`;
    const p = prev.get(key);
    if (p !== undefined) lines[p] = line;
    else pending.set(key, line);
  }
  // Go appends in map order; the sort below makes the order irrelevant
  // whenever it matters (appended lines join the last run of keys).
  for (const line of pending.values()) lines.push(line);

  for (const k of del) {
    const p = prev.get(utf8AsBytes(k));
    if (p !== undefined) lines[p] = "";
  }

  // Sort each run of KEY=VALUE lines; an emptied line ends a run too.
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i === lines.length || lineToKey(lines[i]) === "") {
      const run = lines.slice(start, i).sort((a, b) => {
        const ka = lineToKey(a), kb = lineToKey(b);
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      });
      lines.splice(start, run.length, ...run);
      start = i + 1;
    }
  }
  return toBytes(lines.join(""));
}
