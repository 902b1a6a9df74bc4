import assert from "node:assert/strict";
import { proxyList, type ProxySpec, route, tryProxies } from "./list.ts";
import { errNoproxy, errProxyOff, errUseProxy, HttpError, NotExistError } from "./errors.ts";

// Rows checked against go1.26: modfetch.proxyList and newProxyRepo's URL
// checks, compiled out of cmd/go with the vendored x/mod.
const proxyListTests: [goproxy: string, gonoproxy: string, want: ProxySpec[] | string][] = [
  ["https://proxy.golang.org,direct", "", [{
    url: "https://proxy.golang.org",
    fallBackOnError: false,
  }, { url: "direct", fallBackOnError: false }]],
  ["https://proxy.golang.org|direct", "", [{
    url: "https://proxy.golang.org",
    fallBackOnError: true,
  }, { url: "direct", fallBackOnError: false }]],
  ["https://a.example.com|https://b.example.com,https://c.example.com", "", [
    { url: "https://a.example.com", fallBackOnError: true },
    { url: "https://b.example.com", fallBackOnError: false },
    { url: "https://c.example.com", fallBackOnError: false },
  ]],
  ["proxy.example.com", "", [{ url: "https://proxy.example.com", fallBackOnError: false }]],
  ["localhost:3000", "", [{ url: "https://localhost:3000", fallBackOnError: false }]],
  ["direct", "", [{ url: "direct", fallBackOnError: false }]],
  ["off", "", [{ url: "off", fallBackOnError: false }]],
  ["off,https://proxy.golang.org", "", [{ url: "off", fallBackOnError: false }]],
  ["direct,https://proxy.golang.org", "", [{ url: "direct", fallBackOnError: false }]],
  ["https://proxy.golang.org,off,direct", "", [{
    url: "https://proxy.golang.org",
    fallBackOnError: false,
  }, { url: "off", fallBackOnError: false }]],
  [" https://a.example.com , ,direct ", "", [{
    url: "https://a.example.com",
    fallBackOnError: false,
  }, { url: "direct", fallBackOnError: false }]],
  [",", "", "GOPROXY list is not the empty string, but contains no entries"],
  [" ", "", "GOPROXY list is not the empty string, but contains no entries"],
  ["|,|", "", "GOPROXY list is not the empty string, but contains no entries"],
  [",", "corp.example.com", "GOPROXY list is not the empty string, but contains no entries"],
  ["https://proxy.golang.org,direct", "corp.example.com", [
    { url: "noproxy", fallBackOnError: false },
    { url: "https://proxy.golang.org", fallBackOnError: false },
    { url: "direct", fallBackOnError: false },
  ]],
  ["direct", "corp.example.com", [{ url: "direct", fallBackOnError: false }]],
  ["off", "corp.example.com", [{ url: "noproxy", fallBackOnError: false }, {
    url: "off",
    fallBackOnError: false,
  }]],
  ["noproxy", "", "invalid proxy URL missing scheme: noproxy"],
  ["/path/to/proxy", "", "invalid proxy URL missing scheme: /path/to/proxy"],
  ["file:///tmp/proxy", "", [{ url: "file:///tmp/proxy", fallBackOnError: false }]],
  ["file:///tmp/proxy/", "", [{ url: "file:///tmp/proxy/", fallBackOnError: false }]],
  [
    "file://localhost/tmp/proxy",
    "",
    "invalid file:// proxy URL with non-path elements: file://localhost/tmp/proxy",
  ],
  [
    "file://host/tmp/proxy",
    "",
    "invalid file:// proxy URL with non-path elements: file://host/tmp/proxy",
  ],
  ["file:/tmp/proxy", "", "invalid file:// proxy URL with non-path elements: file:/tmp/proxy"],
  ["file:tmp/proxy", "", 'parse "https://file:tmp/proxy": invalid port ":tmp" after host'],
  [
    "file:///tmp/proxy?x=1",
    "",
    "invalid file:// proxy URL with non-path elements: file:///tmp/proxy?x=1",
  ],
  [
    "ftp://proxy.example.com",
    "",
    "invalid proxy URL scheme (must be https, http, file): ftp://proxy.example.com",
  ],
  ["https://%zz.example.com", "", 'parse "https://%zz.example.com": invalid URL escape "%zz"'],
  [
    "https://proxy.example.com:abc",
    "",
    'parse "https://proxy.example.com:abc": invalid port ":abc" after host',
  ],
  ["https://user:secret@proxy.example.com", "", [{
    url: "https://user:secret@proxy.example.com",
    fallBackOnError: false,
  }]],
  [
    "gopher://user:secret@proxy.example.com",
    "",
    "invalid proxy URL scheme (must be https, http, file): gopher://user:xxxxx@proxy.example.com",
  ],
  ["http://[::1]:8080/x", "", [{ url: "http://[::1]:8080/x", fallBackOnError: false }]],
  ["https://proxy.example.com/a%2Fb/", "", [{
    url: "https://proxy.example.com/a%2Fb/",
    fallBackOnError: false,
  }]],
  ["mirror", "", "invalid proxy URL missing scheme: mirror"],
  ["https://proxy.example.com#frag", "", [{
    url: "https://proxy.example.com#frag",
    fallBackOnError: false,
  }]],
  [
    "file:///tmp/proxy#frag",
    "",
    "invalid file:// proxy URL with non-path elements: file:///tmp/proxy#frag",
  ],
  [
    "https://proxy.example.com/%zz",
    "",
    'parse "https://proxy.example.com/%zz": invalid URL escape "%zz"',
  ],
  [
    "proxy.example.com:80:90",
    "",
    'parse "https://proxy.example.com:80:90": invalid port ":80:90" after host',
  ],
  ["https://a.example.com\t,direct", "", [
    { url: "https://a.example.com", fallBackOnError: false },
    { url: "direct", fallBackOnError: false },
  ]],
  ["c:/x", "", "invalid proxy URL scheme (must be https, http, file): c:/x"],
];

Deno.test("proxyList() parses GOPROXY as the go command does", async (t) => {
  for (const [goproxy, gonoproxy, want] of proxyListTests) {
    await t.step(`proxyList(${JSON.stringify(goproxy)}, ${JSON.stringify(gonoproxy)})`, () => {
      if (typeof want === "string") {
        assert.throws(() => proxyList(goproxy, gonoproxy), { message: want });
      } else assert.deepEqual(proxyList(goproxy, gonoproxy), want);
    });
  }
});

Deno.test("proxyList() keeps Windows absolute paths unprefixed", () => {
  // filepath.IsAbs on windows: C:\proxy is a path, so it gets no https://
  // and url.Parse reads "c" as its scheme.
  assert.throws(() => proxyList("C:\\proxy", "", { pathStyle: "windows" }), {
    message: "invalid proxy URL scheme (must be https, http, file): c:\\proxy",
  });
  assert.deepEqual(proxyList("file:///C:/proxy", "", { pathStyle: "windows" }), [
    { url: "file:///C:/proxy", fallBackOnError: false },
  ]);
});

Deno.test("proxyList() of an unset GOPROXY is empty (callers resolve the go.env default)", () => {
  assert.deepEqual(proxyList("", ""), []);
});

// What one entry does, by name, in a tryProxies scenario.
type Outcome = "ok" | "404" | "410" | "500" | "useProxy" | "noproxy" | "off" | "directErr";

function outcomeError(o: Outcome, proxy: string): Error {
  switch (o) {
    case "404":
      return new HttpError(`${proxy}/x/@v/list`, 404, "404 Not Found", "");
    case "410":
      return new HttpError(`${proxy}/x/@v/list`, 410, "410 Gone", "");
    case "500":
      return new HttpError(`${proxy}/x/@v/list`, 500, "500 Internal Server Error", "");
    case "useProxy":
      return errUseProxy;
    case "noproxy":
      return errNoproxy;
    case "off":
      return errProxyOff;
    case "directErr":
      return new NotExistError(`unrecognized import path "x.y/z" via ${proxy}`);
    default:
      throw new Error("internal error: ok is not an error");
  }
}

// [name, GOPROXY-like list, outcome per entry, entries called, result]
// The result is "ok:<entry>" or the message of the error reported.
const tryProxiesTests: [string, ProxySpec[], Outcome[], number, string][] = [
  ["',' falls through on 404", [p("https://a"), p("https://b")], ["404", "ok"], 2, "ok:https://b"],
  ["',' falls through on 410", [p("https://a"), p("https://b")], ["410", "ok"], 2, "ok:https://b"],
  [
    "',' stops on 500",
    [p("https://a"), p("https://b")],
    ["500", "ok"],
    1,
    "reading https://a/x/@v/list: 500 Internal Server Error",
  ],
  [
    "'|' falls through on 500",
    [p("https://a", true), p("https://b")],
    ["500", "ok"],
    2,
    "ok:https://b",
  ],
  [
    "a 500 outranks a later 404",
    [p("https://a", true), p("https://b")],
    ["500", "404"],
    2,
    "reading https://a/x/@v/list: 500 Internal Server Error",
  ],
  [
    "the last not-found error is reported",
    [p("https://a"), p("https://b")],
    ["404", "410"],
    2,
    "reading https://b/x/@v/list: 410 Gone",
  ],
  [
    "errUseProxy gives way to the proxy's answer",
    [p("noproxy"), p("https://a")],
    ["useProxy", "404"],
    2,
    "reading https://a/x/@v/list: 404 Not Found",
  ],
  [
    "off after noproxy",
    [p("noproxy"), p("off")],
    ["useProxy", "off"],
    2,
    "module lookup disabled by GOPROXY=off",
  ],
  [
    "direct outranks a proxy error",
    [p("https://a", true), p("direct")],
    ["500", "directErr"],
    2,
    'unrecognized import path "x.y/z" via direct',
  ],
  [
    "a real noproxy attempt outranks everything after it",
    [p("noproxy"), p("https://a", true), p("direct")],
    ["directErr", "noproxy", "directErr"],
    3,
    'unrecognized import path "x.y/z" via direct',
  ],
  [
    "a real noproxy attempt outranks errNoproxy",
    [p("noproxy"), p("https://a")],
    ["directErr", "noproxy"],
    2,
    'unrecognized import path "x.y/z" via noproxy',
  ],
  ["the first success wins", [p("https://a"), p("https://b")], ["ok", "ok"], 1, "ok:https://a"],
];

function p(url: string, fallBackOnError = false): ProxySpec {
  return { url, fallBackOnError };
}

Deno.test("tryProxies() follows modfetch.TryProxies", async (t) => {
  for (const [name, list, outcomes, wantCalls, want] of tryProxiesTests) {
    await t.step(name, async () => {
      let calls = 0;
      let got: string;
      try {
        got = await tryProxies(list, (proxy) => {
          const o = outcomes[calls++];
          if (o === "ok") return Promise.resolve(`ok:${proxy}`);
          return Promise.reject(outcomeError(o, proxy));
        });
      } catch (e) {
        got = (e as Error).message;
      }
      assert.equal(got, want);
      assert.equal(calls, wantCalls);
    });
  }
});

// [proxy entry, module path, GONOPROXY, want]
const routeTests: [string, string, string, string][] = [
  ["https://proxy.golang.org", "golang.org/toolchain", "", "proxy https://proxy.golang.org"],
  ["direct", "golang.org/toolchain", "", "direct"],
  ["noproxy", "golang.org/toolchain", "", "path does not match GOPRIVATE/GONOPROXY"],
  ["off", "golang.org/toolchain", "", "module lookup disabled by GOPROXY=off"],
  // GOPRIVATE=golang.org/* sends toolchains direct through the go-import redirect.
  ["noproxy", "golang.org/toolchain", "golang.org/*", "direct"],
  ["direct", "golang.org/toolchain", "golang.org/*", "direct"],
  [
    "https://proxy.golang.org",
    "golang.org/toolchain",
    "golang.org/*",
    "disabled by GOPRIVATE/GONOPROXY",
  ],
  // A GONOPROXY match wins over "off".
  ["off", "golang.org/toolchain", "golang.org", "disabled by GOPRIVATE/GONOPROXY"],
  [
    "https://proxy.golang.org",
    "golang.org/toolchain",
    "*.corp.example.com",
    "proxy https://proxy.golang.org",
  ],
];

Deno.test("route() mirrors modfetch.lookup", async (t) => {
  for (const [proxy, path, gonoproxy, want] of routeTests) {
    await t.step(`route(${proxy}, ${path}, GONOPROXY=${gonoproxy}) = ${want}`, () => {
      const r = route(proxy, path, gonoproxy);
      const got = r.kind === "proxy"
        ? `proxy ${r.url}`
        : r.kind === "direct"
        ? "direct"
        : r.error.message;
      assert.equal(got, want);
    });
  }
});
