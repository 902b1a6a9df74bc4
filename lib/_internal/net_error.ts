/**
 * The go command's words for a request that never got a response. fetch
 * says only "fetch failed"; its cause (Deno's hyper/reqwest text) says why,
 * and Go's net package says it this way:
 *
 * - a name that does not resolve: `dial tcp: lookup go.dev on 10.0.0.53:53:
 *   no such host` (Go's own resolver names the DNS server it asked);
 * - a port that refuses: `dial tcp 127.0.0.1:8080: connect: connection
 *   refused` (the address dialed, not the name);
 * - an unknown certificate authority: `tls: failed to verify certificate:
 *   x509: certificate signed by unknown authority`.
 *
 * Anything else keeps the innermost cause's own text, which still says more
 * than "fetch failed".
 *
 * @module
 */

/** What the host knows besides the error: where names are looked up, what a name resolved to. */
export interface NetErrorContext {
  /** The DNS server Go's resolver would name ("10.0.0.53:53"), if known. */
  nameserver?: string;
  /** The address the host name resolves to (for a connect error), if known. */
  address?: string;
}

// errno → Go's syscall.Errno text (Linux numbers, which Deno prints as "os error N").
const errnoText: Record<number, string> = {
  101: "network is unreachable",
  104: "connection reset by peer",
  110: "connection timed out",
  111: "connection refused",
  113: "no route to host",
};

// getaddrinfo's texts (glibc, musl, macOS) for a name that does not exist.
const noSuchHost =
  /Name or service not known|No address associated with hostname|nodename nor servname provided|Name does not resolve|No such host is known/i;

/** causes lists err and its causes, outermost first. */
export function causes(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = err, n = 0; e !== undefined && e !== null && n < 20; n++) {
    out.push(e);
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

/** hostOf returns the URL's host name without IPv6 brackets, and its port (default by scheme). */
export function hostOf(url: string): { host: string; port: string } {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = u.port || (u.protocol === "https:" ? "443" : "80");
  return { host, port };
}

function joinHostPort(host: string, port: string): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * goNetError returns Go's text for err, the failure of a request to url
 * (fetch's TypeError with its cause chain), or undefined when err is not a
 * network failure it recognises.
 *
 * @example A refused connection
 * ```ts
 * import assert from "node:assert/strict";
 * import { goNetError } from "./net_error.ts";
 * const err = new TypeError("fetch failed", {
 *   cause: new Error(
 *     "error sending request for url (http://127.0.0.1:8/x): client error (Connect): " +
 *       "tcp connect error: Connection refused (os error 111)",
 *   ),
 * });
 * assert.equal(
 *   goNetError("http://127.0.0.1:8/x", err, {}),
 *   "dial tcp 127.0.0.1:8: connect: connection refused",
 * );
 * ```
 */
export function goNetError(url: string, err: unknown, ctx: NetErrorContext): string | undefined {
  const chain = causes(err);
  const texts = chain.map((e) => e instanceof Error ? e.message : String(e));
  const all = texts.join("\n");
  let host: string, port: string;
  try {
    ({ host, port } = hostOf(url));
  } catch {
    return undefined;
  }
  let m: RegExpExecArray | null;
  if ((m = /dns error: ([^\n]*)/.exec(all))) {
    const why = noSuchHost.test(m[1])
      ? "no such host"
      : /Temporary failure in name resolution/i.test(m[1])
      ? "server misbehaving"
      : m[1];
    return `dial tcp: lookup ${host}${ctx.nameserver ? ` on ${ctx.nameserver}` : ""}: ${why}`;
  }
  if ((m = /tcp connect error: [^\n]*?\(os error (\d+)\)/.exec(all))) {
    const text = errnoText[Number(m[1])];
    if (text !== undefined) {
      return `dial tcp ${joinHostPort(ctx.address ?? host, port)}: connect: ${text}`;
    }
  }
  if (/invalid peer certificate: UnknownIssuer/.exec(all)) {
    return "tls: failed to verify certificate: x509: certificate signed by unknown authority";
  }
  if (!(err instanceof TypeError) || chain.length < 2) return undefined;
  // Unrecognised: the innermost cause, without reqwest's "error sending request for url (…): ".
  return texts[texts.length - 1].replace(/^error sending request for url \([^)]*\): /, "");
}

/**
 * needsAddress reports whether Go's text for err names the address dialed
 * (a connect error), which the host then looks up.
 */
export function needsAddress(err: unknown): boolean {
  return causes(err).some((e) => e instanceof Error && /tcp connect error/.test(e.message));
}

/**
 * firstNameserver returns Go's name for the first DNS server in resolv.conf
 * text ("10.0.0.53:53", "[::1]:53"), or Go's default "127.0.0.1:53" when it
 * lists none.
 */
export function firstNameserver(resolvConf: string): string {
  for (const line of resolvConf.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f[0] === "nameserver" && f.length > 1 && !f[1].startsWith("#")) {
      return joinHostPort(f[1].replace(/%.*$/, ""), "53");
    }
  }
  return "127.0.0.1:53";
}
