import assert from "node:assert/strict";
import { fetchZip, listVersions } from "./fetch.ts";
import type { ZipSink } from "./client.ts";
import type { HttpClient } from "./http.ts";
import { isNotExist } from "./errors.ts";
import { parseNetrc } from "./netrc.ts";
import { Authenticator } from "./auth.ts";
import { serve, type TestServer, text } from "./_test_server.ts";
import { newDenoHttp } from "../host/http.ts";

const http = newDenoHttp();
const path = "golang.org/toolchain";
const tv = "v0.0.1-go1.21.3.linux-amd64";
const tzip = `/golang.org/toolchain/@v/${tv}.zip`;
const zipBytes = new TextEncoder().encode("PK-not-really-a-zip");

class MemSink implements ZipSink {
  data: number[] = [];
  resets = 0;
  write(c: Uint8Array) {
    this.data.push(...c);
  }
  reset() {
    this.data = [];
    this.resets++;
  }
  text() {
    return new TextDecoder().decode(new Uint8Array(this.data));
  }
}

// A proxy that answers every request with one status, or serves the zip.
function proxy(status: number, body = "PK-not-really-a-zip"): TestServer {
  return serve((_req, target) => {
    if (status !== 200) return text(status, `status ${status}\n`);
    if (target === tzip) return new Response(new TextEncoder().encode(body));
    if (target === "/golang.org/toolchain/@v/list") {
      return text(200, `${tv}\nv0.0.1-go1.22.0.linux-amd64\n`);
    }
    return text(404, "not found\n");
  });
}

// fall-through rows: [GOPROXY separators, first status, want second asked, want ok]
const fallThroughTests: [sep: string, status: number, secondAsked: boolean, ok: boolean][] = [
  [",", 404, true, true],
  [",", 410, true, true],
  [",", 500, false, false],
  [",", 403, false, false],
  ["|", 404, true, true],
  ["|", 410, true, true],
  ["|", 500, true, true],
  ["|", 403, true, true],
];

Deno.test("fetchZip() falls through GOPROXY entries as TryProxies does", async (t) => {
  for (const [sep, status, secondAsked, ok] of fallThroughTests) {
    await t.step(`A${sep}B with A answering ${status}`, async () => {
      await using a = proxy(status);
      await using b = proxy(200);
      const dst = new MemSink();
      const run = () => fetchZip(path, tv, { goproxy: `${a.url}${sep}${b.url}`, http, dst });
      if (ok) {
        assert.deepEqual(await run(), { url: `${b.url}${tzip}` });
        assert.equal(dst.text(), "PK-not-really-a-zip");
      } else {
        await assert.rejects(run, {
          message: `${path}@${tv}: reading ${a.url}${tzip}: ${status} ${
            status === 500 ? "Internal Server Error" : "Forbidden"
          }\n\tserver response: status ${status}`,
        });
      }
      assert.equal(a.requests.length, 1);
      assert.equal(b.requests.length, secondAsked ? 1 : 0);
    });
  }
});

Deno.test("fetchZip() reports the best error: a 500 over a later 404", async () => {
  await using a = proxy(500);
  await using b = proxy(404);
  await assert.rejects(
    () => fetchZip(path, tv, { goproxy: `${a.url}|${b.url}`, http, dst: new MemSink() }),
    (e: Error) => {
      assert.match(e.message, /500 Internal Server Error/);
      assert.ok(!isNotExist(e));
      return true;
    },
  );
});

Deno.test("fetchZip() reports not-found when every proxy says so", async () => {
  await using a = proxy(404);
  await using b = proxy(410);
  await assert.rejects(
    () => fetchZip(path, tv, { goproxy: `${a.url},${b.url}`, http, dst: new MemSink() }),
    (e: Error) => {
      assert.equal(
        e.message,
        `${path}@${tv}: reading ${b.url}${tzip}: 410 Gone\n\tserver response: status 410`,
      );
      assert.ok(isNotExist(e));
      return true;
    },
  );
});

Deno.test("fetchZip() resets the sink when a proxy fails mid-body and '|' falls back", async () => {
  await using a = serve(() =>
    new Response(
      new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode("partial"));
          setTimeout(() => c.error(new Error("server crash")), 10);
        },
      }),
    )
  );
  await using b = proxy(200);
  const dst = new MemSink();
  await fetchZip(path, tv, { goproxy: `${a.url}|${b.url}`, http, dst });
  assert.equal(dst.text(), "PK-not-really-a-zip");
  assert.equal(dst.resets, 1);
});

Deno.test("fetchZip() with GOPROXY=off and GONOPROXY routing", async (t) => {
  await using a = proxy(200);
  await t.step("off", async () => {
    await assert.rejects(() => fetchZip(path, tv, { goproxy: "off", http, dst: new MemSink() }), {
      message: "module lookup disabled by GOPROXY=off",
    });
  });
  await t.step("a GONOPROXY miss: the implicit noproxy entry gives way to the proxy", async () => {
    const dst = new MemSink();
    await fetchZip(path, tv, { goproxy: a.url, gonoproxy: "example.com", http, dst });
    assert.equal(dst.text(), "PK-not-really-a-zip");
  });
  await t.step("a GONOPROXY match keeps the path away from proxies", async () => {
    const before = a.requests.length;
    // golang.org answers nothing: the direct error is the one reported.
    const offline: HttpClient = {
      get: (url) =>
        Promise.reject(new Error(`Get "${url}": dial tcp: lookup golang.org: no such host`)),
    };
    await assert.rejects(
      () =>
        fetchZip(path, tv, {
          goproxy: a.url,
          gonoproxy: "golang.org",
          http: offline,
          dst: new MemSink(),
        }),
      {
        message:
          'unrecognized import path "golang.org/toolchain": https fetch: Get "https://golang.org/toolchain?go-get=1": dial tcp: lookup golang.org: no such host',
      },
    );
    assert.equal(a.requests.length, before);
  });
});

// interceptor routes requests for fixed host names to loopback servers, as
// cmd/go's web/intercept does in its tests; https to those hosts fails as if
// nothing listened there.
function interceptor(hosts: Record<string, TestServer>, inner: HttpClient): HttpClient {
  return {
    get(url, init) {
      const u = new URL(url);
      const to = hosts[u.host];
      if (to === undefined) return inner.get(url, init);
      if (u.protocol === "https:") {
        return Promise.reject(
          new Error(`Get "${url}": dial tcp ${u.host}:443: connection refused`),
        );
      }
      return inner.get(`${to.url}${u.pathname}${u.search}`, init);
    },
  };
}

Deno.test("direct: golang.org/toolchain through the go-import mod redirect", async (t) => {
  await using dl = proxy(200);
  await using site = serve((_req, target) => {
    if (target !== "/toolchain?go-get=1") return text(404, "");
    // golang.org serves the meta tag (any status would do).
    return new Response(
      `<!DOCTYPE html><html><head>\n<meta name="go-import" content="golang.org/toolchain mod ${dl.url}/dl/mod">\n</head><body>x</body></html>`,
      { headers: { "content-type": "text/html" } },
    );
  });
  // The mod root serves /dl/mod/golang.org/toolchain/@v/….
  await using mod = serve((_req, target) => {
    if (target === `/dl/mod${tzip}`) return new Response(zipBytes);
    if (target === "/dl/mod/golang.org/toolchain/@v/list") return text(200, `${tv}\n${tv}\n`);
    return text(404, "");
  });
  const client = interceptor({ "golang.org": site, [new URL(dl.url).host]: mod }, http);

  await t.step("GOINSECURE allows the http fallback for the meta fetch", async () => {
    const dst = new MemSink();
    const got = await fetchZip(path, tv, {
      goproxy: "direct",
      goinsecure: "golang.org",
      http: client,
      dst,
    });
    assert.equal(got.url, `${dl.url}/dl/mod${tzip}`);
    assert.equal(dst.text(), "PK-not-really-a-zip");
    assert.equal(site.requests[0].target, "/toolchain?go-get=1");
  });
  await t.step("GOPRIVATE=golang.org/* routes toolchains direct", async () => {
    await using p = proxy(200);
    const versions = await listVersions(path, {
      goproxy: `${p.url},direct`,
      gonoproxy: "golang.org/*",
      goinsecure: "golang.org",
      http: client,
    });
    assert.deepEqual(versions, [tv, tv]);
    assert.equal(p.requests.length, 0);
  });
  await t.step(
    "without GOINSECURE the https failure is final and counts as not found",
    async () => {
      await assert.rejects(
        () => fetchZip(path, tv, { goproxy: "direct", http: client, dst: new MemSink() }),
        (e: Error) => {
          assert.equal(
            e.message,
            'unrecognized import path "golang.org/toolchain": https fetch: Get "https://golang.org/toolchain?go-get=1": dial tcp golang.org:443: connection refused',
          );
          assert.ok(isNotExist(e));
          return true;
        },
      );
    },
  );
});

Deno.test("direct: go-import failures speak as vcs.RepoRootForImportPath", async (t) => {
  const pages: Record<string, [number, string]> = {
    "/none?go-get=1": [200, "<html><head></head></html>"],
    "/gone?go-get=1": [404, "no such page\n"],
    "/other?go-get=1": [
      200,
      '<meta name="go-import" content="golang.org/x git https://go.googlesource.com/x">',
    ],
    "/file?go-get=1": [200, '<meta name="go-import" content="golang.org/file mod file:///tmp/x">'],
  };
  await using site = serve((_req, target) => {
    const [status, body] = pages[target] ?? [404, ""];
    return text(status, body, status === 200 ? "text/html" : "text/plain");
  });
  const client = interceptor({ "golang.org": site }, http);
  const rows: [string, string][] = [
    [
      "golang.org/none",
      'unrecognized import path "golang.org/none": parse http://golang.org/none?go-get=1: no go-import meta tags ()',
    ],
    [
      "golang.org/gone",
      'unrecognized import path "golang.org/gone": reading http://golang.org/gone?go-get=1: 404 Not Found\n\tserver response: no such page',
    ],
    [
      "golang.org/other",
      'unrecognized import path "golang.org/other": parse http://golang.org/other?go-get=1: no go-import meta tags (meta tag golang.org/x did not match import path golang.org/other)',
    ],
    [
      "golang.org/file",
      'unrecognized import path "golang.org/file": http://golang.org/file?go-get=1: invalid repo root "file:///tmp/x": file scheme disallowed',
    ],
  ];
  for (const [p, want] of rows) {
    await t.step(p, async () => {
      await assert.rejects(
        () => listVersions(p, { goproxy: "direct", goinsecure: "golang.org", http: client }),
        { message: want },
      );
    });
  }
});

Deno.test("netrc: an http proxy in the list never receives credentials", async () => {
  await using a = proxy(200);
  const host = new URL(a.url).host;
  await fetchZip(path, tv, {
    goproxy: a.url,
    http,
    auth: new Authenticator({
      goauth: "netrc",
      netrc: () => parseNetrc(`machine ${host} login u password p\n`),
      stat: () => ({ isDirectory: false }),
      runner: { run: () => Promise.reject(new Error("no commands here")) },
    }),
    dst: new MemSink(),
  });
  assert.equal(a.requests[0].headers.get("authorization"), null);
});

Deno.test("fetchZip() from a file:// GOPROXY tree, falling through to a second", async () => {
  const empty = await Deno.makeTempDir();
  const full = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${full}/golang.org/toolchain/@v`, { recursive: true });
    await Deno.writeFile(`${full}${tzip}`, zipBytes);
    const dst = new MemSink();
    const got = await fetchZip(path, tv, { goproxy: `file://${empty},file://${full}`, http, dst });
    assert.equal(got.url, `file://${full}${tzip}`);
    assert.equal(dst.text(), "PK-not-really-a-zip");
  } finally {
    await Deno.remove(empty, { recursive: true });
    await Deno.remove(full, { recursive: true });
  }
});
