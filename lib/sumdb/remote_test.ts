// sumdbBaseURL (cmd/go dbClient.initBase over TryProxies), getBytes
// (web.GetBytes error texts) and httpReadRemote, over a scripted HttpClient
// and over loopback HTTP with the TestServer.

import assert from "node:assert/strict";
import { NotFoundError } from "./client.ts";
import { Client } from "./client.ts";
import { parseGOSUMDB } from "./gosumdb.ts";
import { generateKey } from "./note.ts";
import {
  getBytes,
  type HttpClient,
  httpReadRemote,
  type HttpResponse,
  join,
  type ProxyEntry,
  sumdbBaseURL,
} from "./remote.ts";
import { MemClientOps, TestServer } from "./test_server.ts";

/** scripted answers GET url with routes[url] (a status, or a status and body); 404 otherwise. */
function scripted(routes: Record<string, number | [number, string]>) {
  const seen: string[] = [];
  const http: HttpClient = {
    get(url) {
      seen.push(url);
      const r = routes[url] ?? 404;
      const [status, body] = typeof r === "number" ? [r, ""] : r;
      return Promise.resolve(
        {
          status,
          headers: new Headers(),
          body: new Response(body).body,
          url,
        } satisfies HttpResponse,
      );
    },
  };
  return { http, seen };
}

const db = parseGOSUMDB("sum.golang.org");
const p = (url: string, fallBackOnError = false): ProxyEntry => ({ url, fallBackOnError });
const supported = (proxy: string) => `${proxy}/sumdb/sum.golang.org/supported`;

// Each row: name, GOPROXY entries, answers, want base URL or error message.
const baseTests: [string, ProxyEntry[], Record<string, number | [number, string]>, string][] = [
  ["proxy supports the db", [p("https://a.example"), p("direct")], {
    [supported("https://a.example")]: 200,
  }, "https://a.example/sumdb/sum.golang.org"],
  ["404 then supported", [p("https://a.example"), p("https://b.example/x/"), p("direct")], {
    [supported("https://b.example/x")]: 200,
  }, "https://b.example/x/sumdb/sum.golang.org"],
  ["410 then direct", [p("https://a.example"), p("direct")], {
    [supported("https://a.example")]: 410,
  }, "https://sum.golang.org"],
  ["all 404", [p("https://a.example"), p("https://b.example")], {}, "https://sum.golang.org"],
  ["off", [p("off")], {}, "https://sum.golang.org"],
  ["direct", [p("direct")], {}, "https://sum.golang.org"],
  ["noproxy first (GONOPROXY set)", [p("noproxy"), p("https://a.example")], {
    [supported("https://a.example")]: 200,
  }, "https://a.example/sumdb/sum.golang.org"],
  ["500 after ',' stops: unavailable", [p("https://a.example"), p("direct")], {
    [supported("https://a.example")]: 500,
  }, "error: reading https://a.example/sumdb/sum.golang.org/supported: 500 Internal Server Error"],
  ["500 after '|' falls through", [p("https://a.example", true), p("https://b.example")], {
    [supported("https://a.example")]: 500,
    [supported("https://b.example")]: 200,
  }, "https://b.example/sumdb/sum.golang.org"],
  [
    "500 after '|' then 404: the 500 is reported",
    [p("https://a.example", true), p("https://b.example")],
    {
      [supported("https://a.example")]: [503, "down for maintenance\n"],
    },
    "error: reading https://a.example/sumdb/sum.golang.org/supported: 503 Service Unavailable\n\tserver response: down for maintenance",
  ],
  ["empty list", [], {}, "error: GOPROXY list is not the empty string, but contains no entries"],
];

Deno.test("sumdbBaseURL()", async (t) => {
  for (const [label, proxies, routes, want] of baseTests) {
    await t.step(`${label} → ${want}`, async () => {
      const { http } = scripted(routes);
      const got = await sumdbBaseURL(db, proxies, http).catch((e: Error) => `error: ${e.message}`);
      assert.equal(got, want);
    });
  }
  await t.step("an explicit GOSUMDB URL bypasses proxies", async () => {
    const { http, seen } = scripted({});
    const db2 = parseGOSUMDB("sum.golang.org https://sum.golang.google.cn");
    assert.equal(
      await sumdbBaseURL(db2, [p("https://a.example")], http),
      "https://sum.golang.google.cn",
    );
    assert.deepEqual(seen, []);
  });
});

Deno.test("getBytes() speaks web.GetBytes", async (t) => {
  const u = "https://sum.example/lookup/x@v1.0.0";
  await t.step("404 with a one-line body is a NotFoundError", async () => {
    const { http } = scripted({ [u]: [404, "not found: x@v1.0.0\n"] });
    await assert.rejects(getBytes(http, u), (e: Error) => {
      assert.ok(e instanceof NotFoundError);
      assert.equal(
        e.message,
        `reading ${u}: 404 Not Found\n\tserver response: not found: x@v1.0.0`,
      );
      return true;
    });
  });
  await t.step("a multi-line body stops at the first blank line", async () => {
    const { http } = scripted({ [u]: [410, "gone\nreally\n\nignored\n"] });
    await assert.rejects(getBytes(http, u), {
      message: `reading ${u}: 410 Gone\n\tserver response:\n\tgone\n\treally`,
    });
  });
  await t.step("a body with control characters is not shown", async () => {
    const { http } = scripted({ [u]: [500, "\x1b[31mred\n"] });
    await assert.rejects(getBytes(http, u), { message: `reading ${u}: 500 Internal Server Error` });
  });
  await t.step("passwords are redacted", async () => {
    const v = "https://user:secret@sum.example/latest";
    const { http } = scripted({ [v]: 403 });
    await assert.rejects(getBytes(http, v), {
      message: "reading https://user:xxxxx@sum.example/latest: 403 Forbidden",
    });
  });
});

Deno.test("join() adds a path as web.Join", () => {
  assert.equal(join("https://p.example/a/", "/lookup/x@v1"), "https://p.example/a/lookup/x@v1");
  assert.equal(
    join("https://p.example", "sumdb/s/supported"),
    "https://p.example/sumdb/s/supported",
  );
});

Deno.test("httpReadRemote() finds the base once, and only when needed", async () => {
  const { http, seen } = scripted({
    [supported("https://a.example")]: 200,
    "https://a.example/sumdb/sum.golang.org/latest": [200, "x"],
  });
  const read = httpReadRemote(db, [p("https://a.example")], http);
  assert.deepEqual(seen, []);
  assert.deepEqual(await read("/latest"), new TextEncoder().encode("x"));
  await read("/latest");
  assert.deepEqual(seen, [
    supported("https://a.example"),
    "https://a.example/sumdb/sum.golang.org/latest",
    "https://a.example/sumdb/sum.golang.org/latest",
  ]);
});

Deno.test("Client over loopback HTTP through a proxy's /sumdb/<name>/", async () => {
  const { skey, vkey } = await generateKey("sum.gtc.test");
  const s = await TestServer.create(skey);
  await s.addRecord("example.com/m", "v1.0.0", "example.com/m v1.0.0 h1:x\n");
  const ac = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} },
    (req) => s.handler(req),
  );
  try {
    const proxy = `http://127.0.0.1:${server.addr.port}`;
    const http: HttpClient = {
      async get(url) {
        const res = await fetch(url);
        return { status: res.status, headers: res.headers, body: res.body, url: res.url };
      },
    };
    const sumdb = parseGOSUMDB(vkey);
    const ops = new MemClientOps(vkey, httpReadRemote(sumdb, [p(proxy)], http));
    assert.deepEqual(await new Client(ops).lookup("example.com/m", "v1.0.0"), [
      "example.com/m v1.0.0 h1:x",
    ]);
    assert.deepEqual(s.requests, [
      "/supported",
      "/lookup/example.com/m@v1.0.0",
      "/tile/8/0/000.p/1",
    ]);
  } finally {
    ac.abort();
    await server.finished;
  }
});

Deno.test("sumdbBaseURL() stops at a fatal error (a malformed GOAUTH), whatever the list says", async () => {
  const db = parseGOSUMDB("sum.golang.org");
  const fatal = Object.assign(new Error("GOAUTH encountered an empty command (GOAUTH=;)"), {
    fatal: true,
  });
  const seen: string[] = [];
  const http: HttpClient = {
    get(url) {
      seen.push(url);
      return Promise.reject(fatal);
    },
  };
  // "|" falls back on any error, and "direct" would answer: not after this one.
  const proxies: ProxyEntry[] = [
    { url: "https://a.example", fallBackOnError: true },
    { url: "https://b.example", fallBackOnError: true },
    { url: "direct", fallBackOnError: false },
  ];
  await assert.rejects(() => sumdbBaseURL(db, proxies, http), (e) => e === fatal);
  assert.deepEqual(seen, ["https://a.example/sumdb/sum.golang.org/supported"]);
});
