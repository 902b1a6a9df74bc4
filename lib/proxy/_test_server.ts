/**
 * A loopback HTTP server for tests: Deno.serve on 127.0.0.1, port 0, that
 * records every request and must be closed (use `await using`); and its
 * https twin with a throw-away CA (the go command sends GOAUTH credentials
 * on https only), plus an HttpClient that trusts that CA.
 *
 * @module
 */

import type { HttpClient } from "./http.ts";

/** Seen is one request as the server saw it. */
export interface Seen {
  method: string;
  /** Path and query as sent on the wire (not decoded). */
  target: string;
  headers: Headers;
}

/** TestServer is a running loopback server. */
export interface TestServer extends AsyncDisposable {
  /** "http://127.0.0.1:<port>" */
  url: string;
  port: number;
  requests: Seen[];
  close(): Promise<void>;
}

/** serve starts a loopback server answering with handler. */
export function serve(
  handler: (req: Request, target: string) => Response | Promise<Response>,
): TestServer {
  const requests: Seen[] = [];
  const ac = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} },
    (req) => {
      const u = new URL(req.url);
      const target = u.pathname + u.search;
      requests.push({ method: req.method, target, headers: req.headers });
      return handler(req, target);
    },
  );
  const port = (server.addr as Deno.NetAddr).port;
  const close = async () => {
    ac.abort();
    await server.finished;
  };
  return { url: `http://127.0.0.1:${port}`, port, requests, close, [Symbol.asyncDispose]: close };
}

/** text answers with a text/plain body. */
export function text(status: number, body: string, type = "text/plain; charset=utf-8"): Response {
  return new Response(body, { status, headers: { "content-type": type } });
}

/**
 * TestTls is a throw-away certificate authority and a certificate it signed
 * for 127.0.0.1 and localhost, made with openssl; close() deletes them.
 */
export interface TestTls extends AsyncDisposable {
  /** The CA certificate file (PEM): SSL_CERT_FILE for the go command, DENO_CERT for Deno. */
  caFile: string;
  caPem: string;
  /** The server certificate and key (PEM). */
  cert: string;
  key: string;
  close(): Promise<void>;
}

/**
 * makeTestTls creates a CA and a server certificate with /usr/bin/openssl
 * (or openssl on PATH), or returns undefined when there is no openssl.
 */
export async function makeTestTls(): Promise<TestTls | undefined> {
  const dir = await Deno.makeTempDir({ prefix: "gtc-tls-" });
  const close = () => Deno.remove(dir, { recursive: true });
  const openssl = async (...args: string[]) => {
    let out: Deno.CommandOutput;
    try {
      out = await new Deno.Command("openssl", { args, cwd: dir, stdin: "null" }).output();
    } catch {
      return false;
    }
    if (out.code !== 0) {
      throw new Error(`openssl ${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
    }
    return true;
  };
  const ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  const ca = `req -x509 ${ec} -keyout ca.key -out ca.pem -days 2 -subj /CN=gtc-test-CA` +
    " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign";
  if (!await openssl(...ca.split(" "))) {
    await close();
    return undefined;
  }
  await openssl(...`req ${ec} -keyout leaf.key -out leaf.csr -subj /CN=127.0.0.1`.split(" "));
  await Deno.writeTextFile(
    `${dir}/ext.cnf`,
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n" +
      "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
  );
  const sign = "x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem" +
    " -days 2 -extfile ext.cnf";
  await openssl(...sign.split(" "));
  return {
    caFile: `${dir}/ca.pem`,
    caPem: await Deno.readTextFile(`${dir}/ca.pem`),
    cert: await Deno.readTextFile(`${dir}/leaf.pem`),
    key: await Deno.readTextFile(`${dir}/leaf.key`),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** serveTls is serve over https with tls's certificate: url is "https://127.0.0.1:<port>". */
export function serveTls(
  tls: TestTls,
  handler: (req: Request, target: string) => Response | Promise<Response>,
): TestServer {
  const requests: Seen[] = [];
  const ac = new AbortController();
  const server = Deno.serve(
    {
      hostname: "127.0.0.1",
      port: 0,
      cert: tls.cert,
      key: tls.key,
      signal: ac.signal,
      onListen: () => {},
    },
    (req) => {
      const u = new URL(req.url);
      const target = u.pathname + u.search;
      // A copy: the request's own headers cannot be read once it is closed.
      requests.push({ method: req.method, target, headers: new Headers(req.headers) });
      return handler(req, target);
    },
  );
  const port = (server.addr as Deno.NetAddr).port;
  const close = async () => {
    ac.abort();
    await server.finished;
  };
  return { url: `https://127.0.0.1:${port}`, port, requests, close, [Symbol.asyncDispose]: close };
}

/**
 * tlsHttp is a minimal HttpClient over fetch that trusts tls's CA (the
 * host's denoHttp trusts only the system's, or DENO_CERT at start-up). It
 * follows redirects as fetch does; close() releases the connection pool.
 */
export function tlsHttp(tls: TestTls): HttpClient & Disposable & { close(): void } {
  const client = Deno.createHttpClient({ caCerts: [tls.caPem] });
  const close = () => client.close();
  return {
    async get(url, init = {}) {
      const res = await fetch(url, { headers: init.headers, signal: init.signal, client });
      return { status: res.status, headers: res.headers, body: res.body, url: res.url };
    },
    close,
    [Symbol.dispose]: close,
  };
}
