/**
 * A loopback HTTP server for tests: Deno.serve on 127.0.0.1, port 0, that
 * records every request and must be closed (use `await using`).
 *
 * @module
 */

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
