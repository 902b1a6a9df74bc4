/**
 * .netrc credentials as the go command uses them for GOAUTH=netrc
 * (cmd/go/internal/auth netrc.go and auth.go, go1.26).
 *
 * A netrc file is whitespace-separated tokens: `machine <host>`,
 * `login <name>`, `password <secret>`, `macdef <name>` (a macro whose body
 * runs to the next empty line) and `default` (which ends what Go reads).
 * Only entries with all three of machine, login and password count; when a
 * machine appears twice, the first entry wins (auth.ts stores them). A
 * "machine" is a URL prefix without the scheme: credentials apply to https
 * URLs whose host[:port]/path starts with it at a "/" boundary, longest
 * prefix first, so a server on a port other than 443 needs
 * `machine host:port`.
 *
 * @module
 */

import type { ReadFs } from "../_internal/sys.ts";
import { join, type PathStyle } from "../_internal/path.ts";

/** NetrcLine is one complete machine entry. */
export interface NetrcLine {
  machine: string;
  login: string;
  password: string;
}

/** parseNetrc returns the complete entries of a netrc file in file order (auth.parseNetrc). */
export function parseNetrc(data: string): NetrcLine[] {
  const nrc: NetrcLine[] = [];
  let l: NetrcLine = { machine: "", login: "", password: "" };
  let inMacro = false;
  lines: for (const line of data.split("\n")) {
    if (inMacro) {
      if (line === "") inMacro = false;
      continue;
    }
    const f = fields(line);
    let i = 0;
    for (; i < f.length - 1; i += 2) {
      // Reset at each "machine" token. "The auto-login process searches the
      // .netrc file for a machine token that matches […]. Once a match is
      // made, the subsequent .netrc tokens are processed, stopping when the
      // end of file is reached or another machine or a default token is
      // encountered."
      switch (f[i]) {
        case "machine":
          l = { machine: f[i + 1], login: "", password: "" };
          break;
        case "default":
          // Go's `break` here leaves only the switch: a "default" followed
          // by more tokens on its line does not end the parse.
          break;
        case "login":
          l.login = f[i + 1];
          break;
        case "password":
          l.password = f[i + 1];
          break;
        case "macdef":
          // "A macro is defined with the specified name; its contents begin
          // with the next .netrc line and continue until a null line
          // (consecutive new-line characters) is encountered."
          inMacro = true;
          break;
      }
      if (l.machine !== "" && l.login !== "" && l.password !== "") {
        nrc.push(l);
        l = { machine: "", login: "", password: "" };
      }
    }
    // "There can be only one default token, and it must be after all machine tokens."
    if (i < f.length && f[i] === "default") break lines;
  }
  return nrc;
}

// fields splits s around runs of white space (strings.Fields).
function fields(s: string): string[] {
  return s.split(/[\t\n\v\f\r \u0085\u00A0\p{Zs}\u2028\u2029]+/u).filter((x) => x !== "");
}

/** NetrcEnv is what netrcPath reads from the environment. */
export interface NetrcEnv {
  /** $NETRC. */
  NETRC?: string;
  /** The user's home directory (os.UserHomeDir: $HOME, or %USERPROFILE% on Windows). */
  home?: string;
}

/**
 * netrcPath returns the netrc file the go command reads: $NETRC if set,
 * else ~/.netrc, except that on Windows ~/_netrc is preferred when it exists
 * (auth.netrcPath).
 *
 * @throws {Error} when neither NETRC nor a home directory is known
 * ("$HOME is not defined", as os.UserHomeDir reports), or when ~/_netrc
 * cannot be checked for a reason other than not existing.
 */
export function netrcPath(env: NetrcEnv, fs: ReadFs, style: PathStyle): string {
  if (env.NETRC !== undefined && env.NETRC !== "") return env.NETRC;
  const dir = env.home;
  if (dir === undefined || dir === "") {
    throw new Error(style === "windows" ? "%userprofile% is not defined" : "$HOME is not defined");
  }
  // Prioritize _netrc on Windows for compatibility.
  if (style === "windows") {
    const legacy = join(style, dir, "_netrc");
    if (fs.stat(legacy) !== undefined) return legacy;
  }
  return join(style, dir, ".netrc");
}

/**
 * readNetrc reads and parses the netrc file at path; a missing file yields
 * no entries (auth.readNetrc).
 *
 * @throws {FsError} when the file exists but cannot be read.
 */
export function readNetrc(path: string, fs: ReadFs): NetrcLine[] {
  let data: Uint8Array;
  try {
    data = fs.readFile(path);
  } catch (e) {
    if ((e as { kind?: string }).kind === "not-exist") return [];
    throw e;
  }
  return parseNetrc(new TextDecoder().decode(data));
}
