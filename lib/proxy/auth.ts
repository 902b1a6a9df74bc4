/**
 * GOAUTH: the credentials the go command attaches to https requests for
 * go-import meta tags, module proxies and checksum databases
 * (cmd/go/internal/auth auth.go, userauth.go, gitauth.go, httputils.go and
 * cmd/go/internal/web/http.go, go1.26). Changes to the behaviour in this file
 * need a failing table or differential test first (auth_test.ts,
 * tests/differential/goauth_test.ts).
 *
 * GOAUTH is a ";"-separated list of methods; "netrc" when unset:
 *
 * - `off` (alone only): no credentials;
 * - `netrc`: Basic credentials from $NETRC or ~/.netrc, per machine;
 * - `git <absolute dir>`: `git credential fill` run in dir for the URL;
 * - anything else: a command (words split as cmd/internal/quoted does) whose
 *   output is URL lines, a blank line, header lines, a blank line, repeated.
 *
 * Every method runs once before the first https request (without a URL);
 * when an https request is answered 4xx, all run again with the URL (a
 * command gets it as its last argument and the response on stdin) and the
 * request is made once more. Methods run in reverse order, so the first
 * listed wins for a URL prefix. Credentials are cached by URL prefix
 * ("host[:port][/path]") and a request uses the longest stored prefix of its
 * URL cut at "/". Nothing is ever added to a plain-http request.
 *
 * Malformed GOAUTH values end the command with Go's texts (GoAuthError),
 * without the "go: " prefix, and only when an https request needs them, as
 * in the go command. Failures of individual methods are only logged (Go
 * prints them with -x): another method may still supply the credentials.
 *
 * @module
 */

import type { PathStyle } from "../_internal/path.ts";
import { isAbs } from "../_internal/path.ts";
import type { HttpClient, HttpResponse } from "./http.ts";
import { status as statusLine } from "./http.ts";
import type { NetrcLine } from "./netrc.ts";
import { emptyURL, type GoURL, parseRequestURI, urlString } from "./_url.ts";

/**
 * GoAuthError is a GOAUTH value the go command refuses (it exits with
 * base.Fatalf). It is final: GOPROXY fall-through and the checksum
 * database's proxy search stop at it (`fatal` is true).
 */
export class GoAuthError extends Error {
  /** fatal marks errors that end the whole command, not one request. */
  readonly fatal = true;
  constructor(
    /** The GOAUTH value as set. */
    readonly goauth: string,
    message: string,
  ) {
    super(message);
    this.name = "GoAuthError";
  }
}

/** goAuthErrorIn returns the GoAuthError in e's cause chain, if any. */
export function goAuthErrorIn(e: unknown): GoAuthError | undefined {
  for (let i = 0; i < 100 && e !== undefined && e !== null; i++) {
    if (e instanceof GoAuthError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A GoAuthMethod is one GOAUTH entry, in the order the go command runs them (reversed). */
export type GoAuthMethod =
  | { kind: "off"; command: string }
  | { kind: "netrc"; command: string }
  | { kind: "git"; command: string; dir: string }
  | { kind: "command"; command: string };

type PlanStep = GoAuthMethod | { kind: "fatal"; message: string };

// goAuthPlan is the loop of runGoAuth up to the first base.Fatalf that does
// not need the file system: the methods in the order they run, ending with
// the fatal step if GOAUTH is malformed.
function goAuthPlan(goauth: string, style: PathStyle): PlanStep[] {
  const plan: PlanStep[] = [];
  const goAuthCmds = goauth.split(";");
  // The GOAUTH commands are processed in reverse order to prioritize
  // credentials in the order they were specified.
  goAuthCmds.reverse();
  for (let command of goAuthCmds) {
    command = trimSpace(command);
    const words = fields(command);
    if (words.length === 0) {
      plan.push({
        kind: "fatal",
        message: `GOAUTH encountered an empty command (GOAUTH=${goauth})`,
      });
      return plan;
    }
    switch (words[0]) {
      case "off":
        if (goAuthCmds.length !== 1) {
          plan.push({
            kind: "fatal",
            message:
              `GOAUTH=off cannot be combined with other authentication commands (GOAUTH=${goauth})`,
          });
        } else {
          plan.push({ kind: "off", command });
        }
        // runGoAuth returns at "off": nothing after it runs.
        return plan;
      case "netrc":
        // Words after "netrc" are ignored, as in the go command.
        plan.push({ kind: "netrc", command });
        break;
      case "git":
        if (words.length !== 2) {
          plan.push({
            kind: "fatal",
            message: "GOAUTH=git dir method requires an absolute path to the git working directory",
          });
          return plan;
        }
        if (!isAbs(words[1], style)) {
          plan.push({
            kind: "fatal",
            message:
              "GOAUTH=git dir method requires an absolute path to the git working directory, dir is not absolute",
          });
          return plan;
        }
        // The directory is checked (os.Stat) when the method runs.
        plan.push({ kind: "git", command, dir: words[1] });
        break;
      default:
        plan.push({ kind: "command", command });
    }
  }
  return plan;
}

/**
 * parseGoAuth returns GOAUTH's methods in the order the go command runs them
 * (the last listed first). A git method's directory is not checked here.
 *
 * @throws {GoAuthError} with the go command's text: `GOAUTH encountered an
 * empty command (GOAUTH=…)`, `GOAUTH=off cannot be combined with other
 * authentication commands (GOAUTH=…)`, `GOAUTH=git dir method requires an
 * absolute path to the git working directory[, dir is not absolute]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseGoAuth } from "./auth.ts";
 * assert.deepEqual(parseGoAuth("netrc; my-auth --x"), [
 *   { kind: "command", command: "my-auth --x" },
 *   { kind: "netrc", command: "netrc" },
 * ]);
 * assert.throws(() => parseGoAuth("netrc;off"), /cannot be combined/);
 * ```
 */
export function parseGoAuth(goauth: string, style: PathStyle = "posix"): GoAuthMethod[] {
  const plan = goAuthPlan(goauth, style);
  const methods: GoAuthMethod[] = [];
  for (const step of plan) {
    if (step.kind === "fatal") throw new GoAuthError(goauth, step.message);
    methods.push(step);
  }
  return methods;
}

/** Header is an http.Header: canonical names ("Authorization") to values, in order. */
export type Header = Record<string, string[]>;

/** basicAuth returns the Basic Authorization value for login:password (Request.SetBasicAuth). */
export function basicAuth(login: string, password: string): string {
  const bytes = new TextEncoder().encode(`${login}:${password}`);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return "Basic " + btoa(bin);
}

/**
 * CredentialCache maps URL prefixes ("host[:port][/path]", no scheme) to the
 * headers to send (auth.credentialCache, storeCredential, loadCredential).
 */
export class CredentialCache {
  #byPrefix = new Map<string, Header>();

  /**
   * storeCredential caches header for prefix, or removes the prefix when
   * header has no fields; "https://" and one trailing "/" are trimmed.
   */
  storeCredential(prefix: string, header: Header): void {
    // Trim "https://" prefix to match the format used in .netrc files.
    prefix = trimPrefix(prefix, "https://");
    prefix = trimSuffix(prefix, "/");
    if (Object.keys(header).length === 0) this.#byPrefix.delete(prefix);
    else this.#byPrefix.set(prefix, header);
  }

  /**
   * loadCredential adds the headers cached for the longest prefix of url
   * (url itself, then cut at each "/" from the right, down to the host) to
   * header and reports whether there were any. The URL is compared as
   * written, query included.
   */
  loadCredential(header: Headers, url: string): boolean {
    const found = this.lookup(url);
    if (found === undefined) return false;
    for (const [key, values] of Object.entries(found)) {
      for (const value of values) header.append(key, byteString(value));
    }
    return true;
  }

  /** lookup returns the cached headers loadCredential would add for url. */
  lookup(url: string): Header | undefined {
    let currentPrefix = trimPrefix(url, "https://");
    currentPrefix = trimSuffix(currentPrefix, "/");
    // Iteratively try prefixes, moving up the path hierarchy.
    // E.g. example.com/foo/bar, example.com/foo, example.com
    for (;;) {
      const headers = this.#byPrefix.get(currentPrefix);
      if (headers !== undefined) return headers;
      const lastSlash = currentPrefix.lastIndexOf("/");
      if (lastSlash === -1) return undefined;
      currentPrefix = currentPrefix.slice(0, lastSlash);
    }
  }
}

// byteString writes a header value's UTF-8 bytes one per char, which is how
// fetch sends a ByteString: the bytes Go would send.
function byteString(s: string): string {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  let out = "";
  for (const b of new TextEncoder().encode(s)) out += String.fromCharCode(b);
  return out;
}

/**
 * parseUserAuth parses the output of a GOAUTH command into prefix (without
 * "https://") → header (auth.parseUserAuth): blocks of URL lines, a blank
 * line, "Name: value" header lines and a blank line. Empty output is no
 * credentials. A later block for the same prefix replaces an earlier one; a
 * block with no header lines removes the prefix when stored.
 *
 * @throws {Error} "invalid format: missing empty line after URLs", "invalid
 * format: missing empty line after headers", "invalid format: invalid
 * header line", `could not parse URL <line>: parse "<line>": <reason>`.
 */
export function parseUserAuth(data: string): Map<string, Header> {
  const credentials = new Map<string, Header>();
  while (data !== "") {
    let line: string;
    let ok: boolean;
    const urls: string[] = [];
    // Parse URLS first.
    for (;;) {
      [line, data, ok] = cut(data, "\n");
      if (!ok) throw new Error("invalid format: missing empty line after URLs");
      if (line === "") break;
      let u: GoURL;
      try {
        u = parseRequestURI(line);
      } catch (e) {
        throw new Error(`could not parse URL ${line}: ${(e as Error).message}`);
      }
      urls.push(urlString(u));
    }
    // Parse Headers second.
    const header: Header = {};
    for (;;) {
      [line, data, ok] = cut(data, "\n");
      if (!ok) throw new Error("invalid format: missing empty line after headers");
      if (line === "") break;
      const [name, rawValue, found] = cut(line, ": ");
      const value = trimSpace(rawValue);
      if (!found || !validHeaderFieldName(name) || !validHeaderFieldValue(value)) {
        throw new Error("invalid format: invalid header line");
      }
      const key = canonicalMIMEHeaderKey(name);
      (header[key] ??= []).push(value);
    }
    for (const [p, h] of mapHeadersToPrefixes(urls, header)) credentials.set(p, h);
  }
  return credentials;
}

// mapHeadersToPrefixes returns prefix → a copy of header, without the
// leading "https://".
function mapHeadersToPrefixes(prefixes: string[], header: Header): Map<string, Header> {
  const prefixToHeaders = new Map<string, Header>();
  for (let p of prefixes) {
    p = trimPrefix(p, "https://");
    const clone: Header = {};
    for (const [k, v] of Object.entries(header)) clone[k] = [...v];
    prefixToHeaders.set(p, clone);
  }
  return prefixToHeaders;
}

/**
 * parseGitAuth reads the output of `git credential fill`: the URL prefix
 * built from protocol=, host= and path= (or a valid url= line, which
 * replaces them), username= and password= (auth.parseGitAuth). Any of the
 * three is "" when missing. Lines without "=" are skipped.
 */
export function parseGitAuth(
  data: string,
  log?: (line: string) => void,
): { prefix: string; username: string; password: string } {
  let prefix: GoURL = emptyURL();
  let username = "";
  let password = "";
  for (const line of data.split("\n")) {
    const [key, value, ok] = cut(trimSpace(line), "=");
    if (!ok) continue;
    switch (key) {
      case "protocol":
        prefix.scheme = value;
        break;
      case "host":
        prefix.host = value;
        break;
      case "path":
        prefix.path = value;
        prefix.rawPath = "";
        break;
      case "username":
        username = value;
        break;
      case "password":
        password = value;
        break;
      case "url": {
        // Write to a local variable instead of updating prefix directly: if
        // the url field is malformed, we don't want to invalidate information
        // parsed from the protocol, host, and path fields.
        try {
          prefix = parseRequestURI(value);
        } catch (e) {
          // Proceed anyway: we might be able to parse the prefix from other
          // fields of the response.
          log?.(`malformed URL from 'git credential fill' (${(e as Error).message}): ${value}`);
        }
        break;
      }
    }
  }
  return { prefix: urlString(prefix), username, password };
}

/**
 * quotedSplit splits s into fields at spaces, tabs and newlines, allowing
 * single or double quotes around a field, with no unescaping inside
 * (cmd/internal/quoted.Split).
 *
 * @throws {Error} "unterminated ' string", "unterminated \" string".
 */
export function quotedSplit(s: string): string[] {
  const isSpaceByte = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\r";
  const f: string[] = [];
  while (s.length > 0) {
    while (s.length > 0 && isSpaceByte(s[0])) s = s.slice(1);
    if (s.length === 0) break;
    // Accepted quoted string. No unescaping inside.
    if (s[0] === '"' || s[0] === "'") {
      const quote = s[0];
      s = s.slice(1);
      const i = s.indexOf(quote);
      if (i < 0) throw new Error(`unterminated ${quote} string`);
      f.push(s.slice(0, i));
      s = s.slice(i + 1);
      continue;
    }
    let i = 0;
    while (i < s.length && !isSpaceByte(s[i])) i++;
    f.push(s.slice(0, i));
    s = s.slice(i);
  }
  return f;
}

// tchar (RFC 7230): "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
// "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA (httputils.go isTokenTable).
const tokenChars = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** validHeaderFieldName reports whether v is a valid HTTP/1.x header name (a token). */
export function validHeaderFieldName(v: string): boolean {
  return tokenChars.test(v);
}

/** validHeaderFieldValue reports whether v has no control bytes other than space and tab. */
export function validHeaderFieldValue(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const b = v.charCodeAt(i);
    const isCTL = b < 0x20 || b === 0x7f;
    const isLWS = b === 0x20 || b === 0x09;
    if (isCTL && !isLWS) return false;
  }
  return true;
}

/**
 * canonicalMIMEHeaderKey returns the canonical form of a header name
 * ("content-type" → "Content-Type"); names with bytes that are not token
 * characters come back unchanged (textproto.CanonicalMIMEHeaderKey).
 */
export function canonicalMIMEHeaderKey(s: string): string {
  if (!tokenChars.test(s)) return s;
  let out = "";
  let upper = true;
  for (const c of s) {
    out += upper ? c.toUpperCase() : c.toLowerCase();
    upper = c === "-";
  }
  return out;
}

/** CommandResult is how a command ended and what it printed (as UTF-8 text). */
export interface CommandResult {
  stdout: string;
  stderr: string;
  /** The exit code; meaningless when signal is set. */
  code: number;
  /** The signal that ended the command ("SIGKILL"), if one did. */
  signal?: string;
}

/** CommandRunner runs GOAUTH's commands and git (lib/host/auth_cmd.ts on a real machine). */
export interface CommandRunner {
  /**
   * run starts argv[0] (looked up in PATH when it has no path separator)
   * with the arguments argv[1:], in dir (default: the current directory),
   * in the environment of this process; writes stdin, if given, to its
   * standard input and closes it (standard input is the null device
   * otherwise); and waits for it to exit.
   *
   * @throws {Error} only when the command cannot be started, with the text
   * of Go's os/exec (`exec: "x": executable file not found in $PATH`,
   * `fork/exec /x: no such file or directory`, "exec: no command").
   */
  run(argv: readonly string[], options?: { dir?: string; stdin?: string }): Promise<CommandResult>;
}

/** AuthDeps is what an Authenticator reads and runs. */
export interface AuthDeps {
  /** GOAUTH as the go command sees it; "" means the default, "netrc". */
  goauth: string;
  /**
   * netrc returns the .netrc entries (auth.readNetrc): none when the file
   * does not exist; throws what Go reports otherwise ("$HOME is not
   * defined", "open /x/.netrc: permission denied"). Called at most once.
   */
  netrc(): NetrcLine[];
  /** stat follows symlinks; it throws an FsError whose message is Go's ("stat /x: no such file or directory"). */
  stat(path: string): { isDirectory: boolean };
  runner: CommandRunner;
  /**
   * The client `git` credentials are checked with before `git credential
   * approve` or `reject` (not the authenticated one). Without it, the
   * credential helper is not told.
   */
  http?: HttpClient;
  /** How paths are written, for "git <dir>". @default "posix" */
  pathStyle?: PathStyle;
  /** Where to report what the go command prints with -x (methods that failed). @default none */
  log?: (line: string) => void;
}

/** The number of times a `git` credential is checked before approve/reject (gitauth.go maxTries). */
const maxTries = 3;

/**
 * Authenticator holds one command's GOAUTH state: whether the methods have
 * run once, and the credentials they produced (auth.AddCredentials and its
 * package state). Safe for concurrent use. Make one per operation, as the
 * go command has one per invocation.
 */
export class Authenticator {
  readonly #deps: AuthDeps;
  readonly #goauth: string;
  readonly #cache = new CredentialCache();
  #once?: Promise<void>;
  #netrc?: { lines: NetrcLine[] } | { err: Error };
  readonly #background = new Set<Promise<void>>();

  constructor(deps: AuthDeps) {
    this.#deps = deps;
    // cfg.GOAUTH is never empty: EnvOrAndChanged("GOAUTH", "netrc").
    this.#goauth = deps.goauth === "" ? "netrc" : deps.goauth;
  }

  /** goauth is the GOAUTH value in effect. */
  get goauth(): string {
    return this.#goauth;
  }

  /**
   * addCredentials adds to header the credentials for reqURL, which must be
   * https, and reports whether there were any (auth.AddCredentials). All
   * methods run once before the first answer; with url (the request URL,
   * after a 4xx answer res), they run again first, commands with url as
   * their last argument and res on stdin.
   *
   * @throws {GoAuthError} when GOAUTH is malformed or names a git directory
   * that is not one.
   */
  async addCredentials(
    header: Headers,
    reqURL: string,
    res?: HttpResponse,
    url = "",
  ): Promise<boolean> {
    if (!isHttps(reqURL)) throw new Error("internal error: GOAUTH called without https");
    if (this.#goauth === "off") return false;
    // Run all GOAUTH commands at least once.
    this.#once ??= this.#runGoAuth(undefined, "");
    await this.#once;
    if (url !== "") {
      // First fetch must have failed; re-invoke GOAUTH commands with url.
      await this.#runGoAuth(res, url);
    }
    return this.#cache.loadCredential(header, reqURL);
  }

  /** idle resolves when background work (telling git's credential helper) has finished. */
  async idle(): Promise<void> {
    while (this.#background.size > 0) await Promise.all([...this.#background]);
  }

  // runGoAuth runs the GOAUTH methods and caches what they produce
  // (auth.runGoAuth); base.Fatalf becomes a thrown GoAuthError.
  async #runGoAuth(res: HttpResponse | undefined, url: string): Promise<void> {
    const cmdErrs: string[] = []; // GOAUTH command errors to log later.
    const style = this.#deps.pathStyle ?? "posix";
    for (const m of goAuthPlan(this.#goauth, style)) {
      switch (m.kind) {
        case "fatal":
          throw new GoAuthError(this.#goauth, m.message);
        case "off":
          return;
        case "netrc": {
          let lines: NetrcLine[];
          try {
            lines = this.#readNetrc();
          } catch (e) {
            cmdErrs.push(`GOAUTH=${m.command}: ${(e as Error).message}`);
            continue;
          }
          // Process lines in reverse so that if the same machine is listed
          // multiple times, we end up saving the earlier one (overwriting
          // later ones). This matches the way the go command worked before
          // GOAUTH.
          for (let i = lines.length - 1; i >= 0; i--) {
            const l = lines[i];
            this.#cache.storeCredential(l.machine, {
              Authorization: [basicAuth(l.login, l.password)],
            });
          }
          break;
        }
        case "git": {
          let isDir: boolean;
          try {
            isDir = this.#deps.stat(m.dir).isDirectory;
          } catch (e) {
            throw new GoAuthError(
              this.#goauth,
              `GOAUTH=git encountered an error; cannot stat ${m.dir}: ${(e as Error).message}`,
            );
          }
          if (!isDir) {
            throw new GoAuthError(
              this.#goauth,
              "GOAUTH=git dir method requires an absolute path to the git working directory, dir is not a directory",
            );
          }
          // Skip the initial GOAUTH run since we need to provide an explicit
          // url to runGitAuth.
          if (url === "") continue;
          try {
            const { prefix, header } = await this.#runGitAuth(m.dir, url);
            this.#cache.storeCredential(prefix, header);
          } catch (e) {
            // Save the error, but don't print it yet in case another GOAUTH
            // command might succeed.
            cmdErrs.push(`GOAUTH=${m.command}: ${(e as Error).message}`);
          }
          break;
        }
        case "command": {
          let credentials: Map<string, Header>;
          try {
            credentials = await this.#runAuthCommand(m.command, url, res);
          } catch (e) {
            cmdErrs.push(`GOAUTH=${m.command}: ${(e as Error).message}`);
            continue;
          }
          for (const [prefix, header] of credentials) this.#cache.storeCredential(prefix, header);
          break;
        }
      }
    }
    // If no GOAUTH command provided a credential for the given url and an
    // error occurred, log the error.
    const log = this.#deps.log;
    if (log !== undefined && url !== "") {
      if (this.#cache.lookup(url) === undefined && cmdErrs.length > 0) {
        log(`GOAUTH encountered errors for ${url}:`);
        for (const err of cmdErrs) log(`  ${err}`);
      }
    }
  }

  // readNetrc is sync.OnceValues(readNetrc): read once, error included.
  #readNetrc(): NetrcLine[] {
    if (this.#netrc === undefined) {
      try {
        this.#netrc = { lines: this.#deps.netrc() };
      } catch (e) {
        this.#netrc = { err: e instanceof Error ? e : new Error(String(e)) };
      }
    }
    if ("err" in this.#netrc) throw this.#netrc.err;
    return this.#netrc.lines;
  }

  // runAuthCommand runs a user's GOAUTH command (with url as an extra last
  // argument unless it is "", and res on stdin) and parses its output
  // (auth.runAuthCommand).
  async #runAuthCommand(
    command: string,
    url: string,
    res: HttpResponse | undefined,
  ): Promise<Map<string, Header>> {
    let words: string[];
    try {
      words = quotedSplit(command);
    } catch (e) {
      throw new Error(`cannot parse GOAUTH command ${command}: ${(e as Error).message}`);
    }
    const argv = url !== "" ? [...words, url] : words;
    const stdin = res !== undefined ? responseText(res) : undefined;
    let r: CommandResult;
    try {
      r = await this.#deps.runner.run(argv, { stdin });
    } catch (e) {
      throw new Error(`could not run command ${command}: ${(e as Error).message}\n`);
    }
    const exitErr = exitError(r);
    if (exitErr !== undefined) {
      throw new Error(`could not run command ${command}: ${exitErr}\n${r.stderr}`);
    }
    try {
      return parseUserAuth(r.stdout);
    } catch (e) {
      throw new Error(`cannot parse output of GOAUTH command ${command}: ${(e as Error).message}`);
    }
  }

  // runGitAuth gets credentials for url from `git credential fill` in dir
  // and returns the prefix they are for and the Basic header
  // (auth.runGitAuth); git's helper is told in the background whether they
  // work.
  async #runGitAuth(dir: string, url: string): Promise<{ prefix: string; header: Header }> {
    let r: CommandResult;
    try {
      r = await this.#deps.runner.run(["git", "credential", "fill"], {
        dir,
        stdin: `url=${url}\n`,
      });
    } catch (e) {
      throw new Error(`'git credential fill' failed (url=${url}): ${(e as Error).message}\n`);
    }
    // CombinedOutput.
    const out = r.stdout + r.stderr;
    const exitErr = exitError(r);
    if (exitErr !== undefined) {
      throw new Error(`'git credential fill' failed (url=${url}): ${exitErr}\n${out}`);
    }
    const { prefix, username, password } = parseGitAuth(out, this.#deps.log);
    if (prefix === "") {
      throw new Error(`'git credential fill' failed for url=${url}, could not parse url\n`);
    }
    // Check that the URL Git gave us is a prefix of the one we requested.
    if (!url.startsWith(prefix)) {
      throw new Error(
        `requested a credential for ${url}, but 'git credential fill' provided one for ${prefix}\n`,
      );
    }
    const header: Header = { Authorization: [basicAuth(username, password)] };
    // Validate the credentials in the background, so that the helper can
    // update its cache without blocking the request; the caller still
    // validates them with its own request.
    const done = this.#updateGitCredentialHelper(prefix, header, out).catch(() => {});
    this.#background.add(done);
    done.finally(() => this.#background.delete(done));
    return { prefix, header };
  }

  // updateGitCredentialHelper asks prefix with the credentials and runs `git
  // credential approve` on 200 or `reject` on 401, trying up to maxTries
  // times (auth.updateGitCredentialHelper). The go command sends a HEAD;
  // HttpClient only GETs, so this is a GET whose body is discarded.
  async #updateGitCredentialHelper(prefix: string, header: Header, fillOutput: string) {
    const http = this.#deps.http;
    if (http === undefined) return;
    const h = new Headers();
    for (const [k, vs] of Object.entries(header)) for (const v of vs) h.append(k, byteString(v));
    for (let i = 0; i < maxTries; i++) {
      let res: HttpResponse;
      try {
        res = await http.get(prefix, { headers: Object.fromEntries(h) });
      } catch {
        continue;
      }
      await res.body?.cancel().catch(() => {});
      if (res.status === 200 || res.status === 401) {
        const action = res.status === 200 ? "approve" : "reject";
        // The go command ignores the outcome, and runs it in its own directory.
        await this.#deps.runner.run(["git", "credential", action], { stdin: fillOutput })
          .catch(() => {});
        break;
      }
    }
  }
}

/**
 * responseText is what a GOAUTH command reads on stdin after a 4xx answer
 * (auth.writeResponseToStdin): the status line, the header lines with
 * canonical names (sorted; Go's order is a map's), and a blank line.
 *
 * HttpResponse does not say which HTTP version answered; Go writes the
 * response's Proto. This writes "HTTP/2.0", what Go's client (and fetch)
 * speak to an https server that offers it.
 */
export function responseText(res: HttpResponse): string {
  let out = `HTTP/2.0 ${statusLine(res.status)}\n`;
  const byKey = new Map<string, string[]>();
  for (const [k, v] of res.headers) {
    const key = canonicalMIMEHeaderKey(k);
    const vs = byKey.get(key) ?? [];
    vs.push(v);
    byKey.set(key, vs);
  }
  for (const key of [...byKey.keys()].sort()) out += `${key}: ${byKey.get(key)!.join(", ")}\n`;
  return out + "\n";
}

// exitError returns Go's *exec.ExitError text for a failed command, or
// undefined when it exited 0.
function exitError(r: CommandResult): string | undefined {
  if (r.signal !== undefined) return `signal: ${signalText[r.signal] ?? r.signal}`;
  if (r.code !== 0) return `exit status ${r.code}`;
  return undefined;
}

// Go's syscall.Signal strings for the signals that commonly end a command.
const signalText: Record<string, string> = {
  SIGHUP: "hangup",
  SIGINT: "interrupt",
  SIGQUIT: "quit",
  SIGABRT: "aborted",
  SIGKILL: "killed",
  SIGSEGV: "segmentation fault",
  SIGPIPE: "broken pipe",
  SIGALRM: "alarm clock",
  SIGTERM: "terminated",
};

/**
 * authHttp returns http with the go command's credentials rules for https
 * (web/http.go fetch): a request gets the credentials GOAUTH has for its
 * URL; when the answer is 4xx, its body is discarded, GOAUTH runs again for
 * the URL, and the request is made once more with what that produced (with
 * the caller's other headers). Plain-http and file: requests pass through
 * untouched. Without auth it still asks once more after a 4xx, as the go
 * command does with GOAUTH=off.
 *
 * @throws {GoAuthError} when GOAUTH is malformed, before anything is sent.
 */
export function authHttp(http: HttpClient, auth: Authenticator | undefined): HttpClient {
  return {
    async get(url, init = {}) {
      if (!isHttps(url)) return await http.get(url, init);
      // Use initial GOAUTH credentials.
      const first = new Headers(init.headers);
      await auth?.addCredentials(first, url);
      const res = await http.get(url, { ...init, headers: headerRecord(first) });
      // If the initial request fails with a 4xx client error, retry the
      // request with credentials obtained by invoking GOAUTH with the
      // request URL. (The go command does this whatever the body says,
      // a valid go-import meta tag included.)
      if (res.status >= 400 && res.status < 500) {
        // Close the body of the previous response since we are discarding it.
        await res.body?.cancel().catch(() => {});
        const retry = new Headers(init.headers);
        await auth?.addCredentials(retry, url, res, url);
        return await http.get(url, { ...init, headers: headerRecord(retry) });
      }
      return res;
    },
  };
}

function headerRecord(h: Headers): Record<string, string> {
  return Object.fromEntries(h);
}

function isHttps(url: string): boolean {
  return /^https:/i.test(url);
}

// cut is strings.Cut.
function cut(s: string, sep: string): [before: string, after: string, found: boolean] {
  const i = s.indexOf(sep);
  if (i < 0) return [s, "", false];
  return [s.slice(0, i), s.slice(i + sep.length), true];
}

function trimPrefix(s: string, prefix: string): string {
  return s.startsWith(prefix) ? s.slice(prefix.length) : s;
}

function trimSuffix(s: string, suffix: string): string {
  return s.endsWith(suffix) ? s.slice(0, -suffix.length) : s;
}

// Go's unicode.IsSpace.
const space = "\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";
const trimRe = new RegExp(`^[${space}]+|[${space}]+$`, "gu");
const fieldsRe = new RegExp(`[${space}]+`, "u");

// trimSpace is strings.TrimSpace.
function trimSpace(s: string): string {
  return s.replace(trimRe, "");
}

// fields is strings.Fields.
function fields(s: string): string[] {
  return s.split(fieldsRe).filter((x) => x !== "");
}
