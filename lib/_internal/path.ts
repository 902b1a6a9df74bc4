/**
 * Lexical path operations in the style of Go's path/filepath, for the host's
 * path style. lib/ may not import node:path (only lib/host touches node:*,
 * and the first node: import costs ~20 ms of startup on the prompt path).
 *
 * POSIX is complete; Windows paths are handled for drive letters and either
 * separator, which is what go.mod discovery and PATH scanning need.
 *
 * @module
 */

/** PathStyle selects separators: "posix" ("/", ":") or "windows" ("\\", ";"). */
export type PathStyle = "posix" | "windows";

function isSep(c: string, style: PathStyle): boolean {
  return c === "/" || (style === "windows" && c === "\\");
}

/** separator returns the style's path separator. */
export function separator(style: PathStyle): string {
  return style === "windows" ? "\\" : "/";
}

/** listSeparator returns the PATH list separator of the style. */
export function listSeparator(style: PathStyle): string {
  return style === "windows" ? ";" : ":";
}

// volumeLen returns the length of a leading Windows volume name ("C:").
function volumeLen(p: string, style: PathStyle): number {
  if (style === "windows" && p.length >= 2 && p[1] === ":" && /[A-Za-z]/.test(p[0])) return 2;
  return 0;
}

/** isAbs reports whether p is absolute. */
export function isAbs(p: string, style: PathStyle = "posix"): boolean {
  if (style === "posix") return p.startsWith("/");
  const v = volumeLen(p, style);
  if (v === 0) return p.startsWith("\\\\") || p.startsWith("//");
  return p.length > v && isSep(p[v], style);
}

/** clean returns the shortest lexically equivalent path, like filepath.Clean. */
export function clean(p: string, style: PathStyle = "posix"): string {
  const sep = separator(style);
  const vol = p.slice(0, volumeLen(p, style));
  let rest = p.slice(vol.length);
  if (rest === "") return vol + ".";
  const rooted = isSep(rest[0], style);
  if (style === "windows") rest = rest.replaceAll("/", "\\");
  const out: string[] = [];
  for (const part of rest.split(sep)) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(part);
  }
  const body = out.join(sep);
  if (rooted) return vol + sep + body;
  return vol + (body === "" ? "." : body);
}

/** join joins elements with the separator and cleans the result; empty elements are ignored. */
export function join(style: PathStyle, ...elems: string[]): string {
  const parts = elems.filter((e) => e !== "");
  if (parts.length === 0) return "";
  return clean(parts.join(separator(style)), style);
}

/** dirname returns all but the last element of p, cleaned (filepath.Dir). */
export function dirname(p: string, style: PathStyle = "posix"): string {
  const vol = volumeLen(p, style);
  let i = p.length - 1;
  while (i >= vol && !isSep(p[i], style)) i--;
  const dir = clean(p.slice(vol, i + 1), style);
  return p.slice(0, vol) + dir;
}

/** basename returns the last element of p (filepath.Base). */
export function basename(p: string, style: PathStyle = "posix"): string {
  if (p === "") return ".";
  p = p.slice(volumeLen(p, style));
  while (p.length > 0 && isSep(p[p.length - 1], style)) p = p.slice(0, -1);
  if (p === "") return separator(style);
  let i = p.length - 1;
  while (i >= 0 && !isSep(p[i], style)) i--;
  return p.slice(i + 1);
}

/**
 * rel returns a relative path that names target when joined to base, like
 * filepath.Rel for two absolute, cleaned paths; undefined when impossible.
 */
export function rel(base: string, target: string, style: PathStyle = "posix"): string | undefined {
  const sep = separator(style);
  const b = clean(base, style);
  const t = clean(target, style);
  const eq = style === "windows"
    ? (x: string, y: string) => x.toLowerCase() === y.toLowerCase()
    : (x: string, y: string) => x === y;
  if (eq(b, t)) return ".";
  const bv = b.slice(0, volumeLen(b, style));
  const tv = t.slice(0, volumeLen(t, style));
  if (!eq(bv, tv)) return undefined;
  const bp = b.slice(bv.length).split(sep).filter((s) => s !== "");
  const tp = t.slice(tv.length).split(sep).filter((s) => s !== "");
  let i = 0;
  while (i < bp.length && i < tp.length && eq(bp[i], tp[i])) i++;
  const up = bp.slice(i).map(() => "..");
  return [...up, ...tp.slice(i)].join(sep) || ".";
}

/** splitList splits a PATH-style list (filepath.SplitList): "" gives no elements. */
export function splitList(list: string, style: PathStyle = "posix"): string[] {
  if (list === "") return [];
  if (style === "posix") return list.split(":");
  // Windows: quoted elements may contain ';'; quotes are removed.
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (const c of list) {
    if (c === '"') quoted = !quoted;
    else if (c === ";" && !quoted) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}
