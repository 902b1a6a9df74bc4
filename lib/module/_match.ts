/**
 * pathMatch is Go's path.Match (go1.26 src/path/match.go), which
 * module.MatchPrefixPatterns uses for GOPRIVATE-style globs.
 *
 * Go walks UTF-8 bytes and decodes runes for '?' and classes; this port walks
 * code points, which gives the same answers for well-formed strings.
 *
 * @module
 */

/** The error path.Match reports for a malformed pattern (path.ErrBadPattern). */
export const errBadPattern = "syntax error in pattern";

/**
 * pathMatch reports whether name matches the shell pattern (`*`, `?`,
 * `[class]`, `\` escapes; `*` and `?` never match `/`).
 *
 * @throws {Error} errBadPattern when the pattern is malformed (checked even
 * when the match has already failed, as Go does).
 */
export function pathMatch(pattern: string, name: string): boolean {
  let pat = Array.from(pattern);
  let nm = Array.from(name);
  pattern: while (pat.length > 0) {
    let star: boolean;
    let chunk: string[];
    [star, chunk, pat] = scanChunk(pat);
    if (star && chunk.length === 0) {
      // Trailing * matches rest of string unless it has a /.
      return !nm.includes("/");
    }
    // Look for match at current position.
    const t = matchChunk(chunk, nm);
    // If we're the last chunk, make sure we've exhausted the name,
    // otherwise we'd give a false result even if we could still match using the star.
    if (t !== undefined && (t.length === 0 || pat.length > 0)) {
      nm = t;
      continue;
    }
    if (star) {
      // Look for match skipping i+1 runes. Cannot skip /.
      for (let i = 0; i < nm.length && nm[i] !== "/"; i++) {
        const t = matchChunk(chunk, nm.slice(i + 1));
        if (t !== undefined) {
          // If we're the last chunk, make sure we exhausted the name.
          if (pat.length === 0 && t.length > 0) continue;
          nm = t;
          continue pattern;
        }
      }
    }
    // Before returning false with no error,
    // check that the remainder of the pattern is syntactically valid.
    while (pat.length > 0) {
      [, chunk, pat] = scanChunk(pat);
      matchChunk(chunk, []);
    }
    return false;
  }
  return nm.length === 0;
}

function scanChunk(pattern: string[]): [boolean, string[], string[]] {
  let star = false;
  while (pattern.length > 0 && pattern[0] === "*") {
    pattern = pattern.slice(1);
    star = true;
  }
  let inrange = false;
  for (let i = 0; i < pattern.length; i++) {
    switch (pattern[i]) {
      case "\\":
        // Error check handled in matchChunk: bad pattern.
        if (i + 1 < pattern.length) i++;
        break;
      case "[":
        inrange = true;
        break;
      case "]":
        inrange = false;
        break;
      case "*":
        if (!inrange) return [star, pattern.slice(0, i), pattern.slice(i)];
    }
  }
  return [star, pattern, []];
}

// matchChunk returns the rest of s after chunk matched a prefix of it, or
// undefined when it did not match; it throws errBadPattern.
function matchChunk(chunk: string[], s: string[]): string[] | undefined {
  // failed records whether the match has failed. After the match fails, the
  // loop continues on processing chunk, checking that the pattern is
  // well-formed but no longer reading s.
  let failed = false;
  let c = 0;
  let i = 0;
  while (c < chunk.length) {
    failed = failed || i >= s.length;
    switch (chunk[c]) {
      case "[": {
        // character class
        let r = -1;
        if (!failed) r = s[i++].codePointAt(0)!;
        c++;
        // possibly negated
        let negated = false;
        if (c < chunk.length && chunk[c] === "^") {
          negated = true;
          c++;
        }
        // parse all ranges
        let match = false;
        let nrange = 0;
        for (;;) {
          if (c < chunk.length && chunk[c] === "]" && nrange > 0) {
            c++;
            break;
          }
          let lo: number;
          [lo, c] = getEsc(chunk, c);
          let hi = lo;
          if (chunk[c] === "-") [hi, c] = getEsc(chunk, c + 1);
          match = match || lo <= r && r <= hi;
          nrange++;
        }
        failed = failed || match === negated;
        break;
      }
      case "?":
        if (!failed) failed = s[i++] === "/";
        c++;
        break;
      case "\\":
        c++;
        if (c >= chunk.length) throw new Error(errBadPattern);
        // falls through
      default:
        if (!failed) failed = chunk[c] !== s[i++];
        c++;
    }
  }
  if (failed) return undefined;
  return s.slice(i);
}

function getEsc(chunk: string[], c: number): [number, number] {
  if (c >= chunk.length || chunk[c] === "-" || chunk[c] === "]") {
    throw new Error(errBadPattern);
  }
  if (chunk[c] === "\\") {
    c++;
    if (c >= chunk.length) throw new Error(errBadPattern);
  }
  const r = chunk[c].codePointAt(0)!;
  c++;
  if (c >= chunk.length) throw new Error(errBadPattern);
  return [r, c];
}
