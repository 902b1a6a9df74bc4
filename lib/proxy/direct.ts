/**
 * "direct" for modules served through a go-import `mod` redirect, which is
 * how golang.org/toolchain is fetched without a proxy
 * (modfetch.lookupDirect → vcs.RepoRootForImportPath with PreferMod, go1.26).
 *
 * `GET https://golang.org/toolchain?go-get=1` answers (at any status) with
 * `<meta name="go-import" content="golang.org/toolchain mod https://go.dev/dl/mod">`,
 * and https://go.dev/dl/mod is then used as a proxy base. GOINSECURE (globs
 * as in GOPRIVATE) makes the meta fetch accept any certificate and fall back
 * to plain http (web.Insecure); the proxy base it names is then fetched with
 * the usual checks, as the go command does.
 * Version-control (git, hg …) roots are not supported by gtc.
 *
 * @module
 */

import { matchPrefixPatterns } from "../module/mod.ts";
import { goQuote } from "../_internal/go_quote.ts";
import type { HttpResponse } from "./http.ts";
import { readAll, responseError } from "./errors.ts";
import { NotExistError } from "./errors.ts";
import { ProxyRepo, type RepoOptions } from "./client.ts";
import { authHttp, goAuthErrorIn } from "./auth.ts";
import { parseURL } from "./_url.ts";

/** MetaImport is one go-import meta tag. */
export interface MetaImport {
  prefix: string;
  vcs: string;
  repoRoot: string;
  subDir: string;
}

/** DirectOptions configure lookupDirect. */
export interface DirectOptions extends RepoOptions {
  /** GOINSECURE: module path globs whose meta fetch skips certificate checks and may fall back to http. */
  goinsecure?: string;
}

/**
 * lookupDirect finds where a module path is served from and returns a
 * ProxyRepo for a `mod` go-import root (modfetch.lookupDirect). Failures
 * count as "not found" for GOPROXY ranking, as Go's notExistError does.
 *
 * @throws {NotExistError} `unrecognized import path "…": https fetch: …` and
 * the other vcs.RepoRootForImportPath errors.
 */
export async function lookupDirect(path: string, options: DirectOptions): Promise<ProxyRepo> {
  const insecure = matchPrefixPatterns(options.goinsecure ?? "", path);
  let repoRoot: MetaImport;
  try {
    repoRoot = await repoRootForImportDynamic(path, insecure, options);
  } catch (e) {
    if (goAuthErrorIn(e) !== undefined) throw e;
    // We don't know where to find code for a module with this path.
    const err = new Error(
      `unrecognized import path ${goQuote(path)}: ${(e as Error).message}`,
      { cause: e },
    );
    throw new NotExistError(err.message, { cause: err });
  }
  if (repoRoot.vcs !== "mod") {
    throw new Error(
      `${path}: go-import names ${repoRoot.vcs} repository ${repoRoot.repoRoot}; gtc fetches only "mod" roots`,
    );
  }
  // Fetch module from proxy with base URL rr.Repo.
  return new ProxyRepo(repoRoot.repoRoot, path, options);
}

// urlForImportPath is vcs.urlForImportPath, without the scheme (web.Get
// tries https first).
function urlForImportPath(importPath: string): string {
  let slash = importPath.indexOf("/");
  if (slash < 0) slash = importPath.length;
  const host = importPath.slice(0, slash);
  let path = importPath.slice(slash);
  if (!host.includes(".")) throw new Error("import path does not begin with hostname");
  if (path === "") path = "/";
  return `${host}${path}?go-get=1`;
}

// get is web.Get for a scheme-less URL: https (with GOAUTH's credentials,
// asked again after a 4xx), then (Insecure only) plain http without them.
async function get(
  hostPath: string,
  insecure: boolean,
  options: RepoOptions,
): Promise<{ res: HttpResponse; url: string }> {
  const http = authHttp(options.http, options.auth);
  const secure = "https://" + hostPath;
  try {
    // web.Insecure: the https attempt accepts any certificate
    // (impatientInsecureHTTPClient), and only then falls back to http.
    return { res: await http.get(secure, { signal: options.signal, insecure }), url: secure };
  } catch (e) {
    // A malformed GOAUTH ends the command (base.Fatalf): no http fallback.
    if (!insecure || goAuthErrorIn(e) !== undefined) throw e;
  }
  const plain = "http://" + hostPath;
  return { res: await http.get(plain, { signal: options.signal }), url: plain };
}

async function metaImportsForPrefix(
  importPrefix: string,
  insecure: boolean,
  options: RepoOptions,
): Promise<{ url: string; imports: MetaImport[]; res: HttpResponse; body: Uint8Array }> {
  let got: { res: HttpResponse; url: string };
  try {
    got = await get(urlForImportPath(importPrefix), insecure, options);
  } catch (e) {
    throw new Error(`${insecure ? "http/" : ""}https fetch: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const body = got.res.body === null ? new Uint8Array() : await readAll(got.res.body, 1 << 20);
  return {
    url: got.url,
    imports: parseMetaGoImports(new TextDecoder().decode(body)),
    res: got.res,
    body,
  };
}

async function repoRootForImportDynamic(
  importPath: string,
  insecure: boolean,
  options: RepoOptions,
): Promise<MetaImport> {
  const { url, imports, res, body } = await metaImportsForPrefix(importPath, insecure, options);
  if (imports.length === 0 && res.status !== 200) {
    // If the server's status was not OK, prefer to report that instead of a
    // parse error.
    const respErr = await responseError(url, {
      ...res,
      body: new ReadableStream({
        start(c) {
          c.enqueue(body);
          c.close();
        },
      }),
    });
    if (respErr !== undefined) throw respErr;
  }
  const mmi = matchGoImport(imports, importPath, url);
  // If the import was "uni.edu/bob/project", which said the prefix was
  // "uni.edu" and the RepoRoot was "evilroot.com", make sure we don't trust
  // Bob: first verify the root and see if it matches Bob's claim.
  if (mmi.prefix !== importPath) {
    const second = await metaImportsForPrefix(mmi.prefix, insecure, options);
    let mmi2: MetaImport | undefined;
    try {
      mmi2 = matchGoImport(second.imports, importPath, second.url);
    } catch {
      mmi2 = undefined;
    }
    if (
      mmi2 === undefined || mmi2.prefix !== mmi.prefix || mmi2.vcs !== mmi.vcs ||
      mmi2.repoRoot !== mmi.repoRoot || mmi2.subDir !== mmi.subDir
    ) {
      throw new Error(`${url} and ${second.url} disagree about go-import for ${mmi.prefix}`);
    }
  }
  const rootErr = validateRepoRoot(mmi.repoRoot);
  if (rootErr !== undefined) {
    throw new Error(`${url}: invalid repo root ${goQuote(mmi.repoRoot)}: ${rootErr}`);
  }
  return mmi;
}

function validateRepoRoot(repoRoot: string): string | undefined {
  let scheme: string;
  try {
    scheme = parseURL(repoRoot).scheme;
  } catch (e) {
    return (e as Error).message;
  }
  if (scheme === "") return "no scheme";
  if (scheme === "file") return "file scheme disallowed";
  return undefined;
}

// hasPathPrefix is str.HasPathPrefix: s is prefix or starts with prefix + "/".
function hasPathPrefix(s: string, prefix: string): boolean {
  if (s.length === prefix.length) return s === prefix;
  if (prefix === "") return true;
  if (s.length > prefix.length) {
    if (prefix.endsWith("/")) return s.startsWith(prefix);
    return s[prefix.length] === "/" && s.startsWith(prefix);
  }
  return false;
}

/**
 * matchGoImport returns the meta import for importPath (vcs.matchGoImport):
 * the mod entry wins over others for the same prefix.
 *
 * @throws {Error} `parse <url>: no go-import meta tags (meta tag X did not
 * match import path Y)` or `multiple meta tags match import path "…"`.
 */
export function matchGoImport(imports: MetaImport[], importPath: string, url: string): MetaImport {
  let match = -1;
  const mismatches: string[] = [];
  for (let i = 0; i < imports.length; i++) {
    const im = imports[i];
    if (!hasPathPrefix(importPath, im.prefix)) {
      mismatches.push(im.prefix);
      continue;
    }
    if (match >= 0) {
      // All the mod entries precede all the non-mod entries.
      if (imports[match].vcs === "mod" && im.vcs !== "mod") break;
      throw new Error(`parse ${url}: multiple meta tags match import path ${goQuote(importPath)}`);
    }
    match = i;
  }
  if (match === -1) {
    const why = mismatches.map((p) => `meta tag ${p} did not match import path ${importPath}`);
    throw new Error(`parse ${url}: no go-import meta tags (${why.join(", ")})`);
  }
  return imports[match];
}

/**
 * parseMetaGoImports returns the go-import meta tags of an HTML page, mod
 * entries first (vcs.parseMetaGoImports with PreferMod). Reading stops at
 * <body> or </head>. Go reads the page with a non-strict XML tokenizer; this
 * is a tag scanner that agrees on ordinary pages.
 */
export function parseMetaGoImports(html: string): MetaImport[] {
  const imports: MetaImport[] = [];
  const tag = /<!--[\s\S]*?-->|<(\/?)([A-Za-z][^\s/>]*)([^>]*)>/g;
  for (let m; (m = tag.exec(html)) !== null;) {
    if (m[2] === undefined) continue; // comment
    const end = m[1] === "/";
    const name = m[2].toLowerCase();
    if (!end && name === "body") break;
    if (end && name === "head") break;
    if (end || name !== "meta") continue;
    const attrs = parseAttrs(m[3]);
    if (attrs.get("name") !== "go-import") continue;
    const f = (attrs.get("content") ?? "").split(/\s+/).filter((x) => x !== "");
    if (f.length === 3 || f.length === 4) {
      imports.push({ prefix: f[0], vcs: f[1], repoRoot: f[2], subDir: f[3] ?? "" });
    }
  }
  // Extract mod entries, then non-mod entries not superseded by a mod entry.
  const list = imports.filter((m) => m.vcs === "mod");
  const have = new Set(list.map((m) => m.prefix));
  for (const m of imports) if (m.vcs !== "mod" && !have.has(m.prefix)) list.push(m);
  return list;
}

// parseAttrs reads attributes; names are case-insensitive, the first wins.
function parseAttrs(s: string): Map<string, string> {
  const attrs = new Map<string, string>();
  const re = /([^\s=/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  for (let m; (m = re.exec(s)) !== null;) {
    const k = m[1].toLowerCase();
    if (!attrs.has(k)) attrs.set(k, entities(m[2] ?? m[3] ?? m[4] ?? ""));
  }
  return attrs;
}

function entities(s: string): string {
  return s.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    switch (e) {
      case "amp":
        return "&";
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "quot":
        return '"';
      case "apos":
        return "'";
    }
    const cp = e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return String.fromCodePoint(cp);
  });
}
