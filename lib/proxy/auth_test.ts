import assert from "node:assert/strict";
import {
  Authenticator,
  authHttp,
  basicAuth,
  canonicalMIMEHeaderKey,
  type CommandResult,
  type CommandRunner,
  CredentialCache,
  GoAuthError,
  goAuthErrorIn,
  type Header,
  parseGitAuth,
  parseGoAuth,
  parseUserAuth,
  quotedSplit,
  responseText,
} from "./auth.ts";
import type { HttpClient, HttpResponse } from "./http.ts";
import { parseNetrc } from "./netrc.ts";
import { parseRequestURI, urlString } from "./_url.ts";

function basicHeader(login: string, password: string): Header {
  return { Authorization: [basicAuth(login, password)] };
}

function loaded(c: CredentialCache, url: string): Record<string, string> {
  const h = new Headers();
  c.loadCredential(h, url);
  return Object.fromEntries(h);
}

// From go1.26 src/cmd/go/internal/auth/auth_test.go TestCredentialCache.
Deno.test("CredentialCache follows auth TestCredentialCache", async (t) => {
  const testCases: [machine: string, login: string, password: string][] = [
    ["api.github.com", "user", "pwd"],
    ["test.host", "user2", "pwd2"],
    ["oneline", "user3", "pwd3"],
    ["hasmacro.too", "user4", "pwd4"],
    ["hasmacro.too", "user5", "pwd5"],
  ];
  const c = new CredentialCache();
  for (const [machine, login, password] of testCases) {
    await t.step(`loadCredential(${machine}) = ${login}:${password}`, () => {
      c.storeCredential(machine, basicHeader(login, password));
      const h = new Headers();
      assert.equal(c.loadCredential(h, machine), true);
      assert.deepEqual(Object.fromEntries(h), { authorization: basicAuth(login, password) });
    });
  }
  // Having stored those credentials, we should be able to look up longer URLs too.
  const extraCases: [machine: string, login: string, password: string][] = [
    ["https://api.github.com/foo", "user", "pwd"],
    ["https://api.github.com/foo/bar/baz", "user", "pwd"],
    ["https://example.com/abc", "", ""],
    ["https://example.com/?/../api.github.com/", "", ""],
    ["https://example.com/?/../api.github.com", "", ""],
    ["https://example.com/../api.github.com/", "", ""],
    ["https://example.com/../api.github.com", "", ""],
  ];
  for (const [machine, login, password] of extraCases) {
    await t.step(`loadCredential(${machine}) = ${login}:${password}`, () => {
      const want = login === "" ? {} : { authorization: basicAuth(login, password) };
      assert.deepEqual(loaded(c, machine), want);
    });
  }
});

// From go1.26 auth_test.go TestCredentialCacheDelete.
Deno.test("CredentialCache follows auth TestCredentialCacheDelete", () => {
  const c = new CredentialCache();
  // Store a credential for api.github.com
  c.storeCredential("api.github.com", basicHeader("user", "pwd"));
  assert.deepEqual(loaded(c, "api.github.com"), { authorization: basicAuth("user", "pwd") });
  // Providing an empty header for api.github.com should clear credentials.
  c.storeCredential("api.github.com", {});
  assert.equal(c.loadCredential(new Headers(), "api.github.com"), false);
});

// From go1.26 auth_test.go TestCredentialCacheTrailingSlash.
Deno.test("CredentialCache follows auth TestCredentialCacheTrailingSlash", () => {
  const c = new CredentialCache();
  // Store a credential for api.github.com/foo/bar
  c.storeCredential("api.github.com/foo", basicHeader("user", "pwd"));
  assert.deepEqual(loaded(c, "api.github.com/foo/bar"), {
    authorization: basicAuth("user", "pwd"),
  });
  assert.deepEqual(loaded(c, "https://api.github.com/foo/bar/"), {
    authorization: basicAuth("user", "pwd"),
  });
});

Deno.test("CredentialCache: prefixes include the port and stop at the host", () => {
  const c = new CredentialCache();
  c.storeCredential("https://proxy.example.com/", basicHeader("a", "1"));
  c.storeCredential("proxy.example.com/private", basicHeader("b", "2"));
  c.storeCredential("127.0.0.1:8443", basicHeader("c", "3"));
  assert.deepEqual(loaded(c, "https://proxy.example.com/x/@v/list"), {
    authorization: basicAuth("a", "1"),
  });
  assert.deepEqual(loaded(c, "https://proxy.example.com/private/x/@v/list"), {
    authorization: basicAuth("b", "2"),
  });
  // "private" is a path element, not a string prefix.
  assert.deepEqual(loaded(c, "https://proxy.example.com/privateer"), {
    authorization: basicAuth("a", "1"),
  });
  assert.deepEqual(loaded(c, "https://proxy.example.com:8443/x"), {});
  assert.deepEqual(loaded(c, "https://127.0.0.1:8443/x?go-get=1"), {
    authorization: basicAuth("c", "3"),
  });
  assert.deepEqual(loaded(c, "https://127.0.0.1/x"), {});
  // Several values of one header all go out.
  c.storeCredential("multi.example", { Authorization: ["a", "b"], "X-Token": ["t"] });
  assert.deepEqual(loaded(c, "https://multi.example/p"), { authorization: "a, b", "x-token": "t" });
  assert.equal(basicAuth("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
});

// From go1.26 src/cmd/go/internal/auth/userauth_test.go TestParseUserAuth.
Deno.test("parseUserAuth() follows auth TestParseUserAuth", () => {
  const data = `https://example.com

Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l
Authorization: Basic jpvcGVuc2VzYW1lYWxhZGRpb

https://hello.com

Authorization: Basic GVuc2VzYW1lYWxhZGRpbjpvc
Authorization: Basic 1lYWxhZGRplW1lYWxhZGRpbs
Data: Test567

`;
  // Build the expected header
  const header1: Header = {
    Authorization: ["Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Basic jpvcGVuc2VzYW1lYWxhZGRpb"],
  };
  const header2: Header = {
    Authorization: ["Basic GVuc2VzYW1lYWxhZGRpbjpvc", "Basic 1lYWxhZGRplW1lYWxhZGRpbs"],
    Data: ["Test567"],
  };
  const credentials = parseUserAuth(data);
  assert.deepEqual(credentials.get("example.com"), header1);
  assert.deepEqual(credentials.get("hello.com"), header2);
});

// From go1.26 userauth_test.go TestParseUserAuthInvalid.
const parseUserAuthInvalid: [comment: string, data: string][] = [
  [
    "Missing new line after url.",
    `https://example.com
Authorization: Basic AVuc2VzYW1lYWxhZGRpbjpvc

`,
  ],
  [
    "Missing url.",
    `Authorization: Basic AVuc2VzYW1lYWxhZGRpbjpvc

`,
  ],
  [
    "Missing url.",
    `https://example.com

Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l
Authorization: Basic jpvcGVuc2VzYW1lYWxhZGRpb

Authorization: Basic GVuc2VzYW1lYWxhZGRpbjpvc
Authorization: Basic 1lYWxhZGRplW1lYWxhZGRpbs
Data: Test567

`,
  ],
  [
    "Wrong order.",
    `Authorization: Basic AVuc2VzYW1lYWxhZGRpbjpvc

https://example.com

`,
  ],
  [
    "Missing new lines after URL.",
    `https://example.com
`,
  ],
  [
    "Missing new line after empty header.",
    `https://example.com

`,
  ],
  [
    "Missing new line between blocks.",
    `https://example.com

Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l
Authorization: Basic jpvcGVuc2VzYW1lYWxhZGRpb
https://hello.com

Authorization: Basic GVuc2VzYW1lYWxhZGRpbjpvc
Authorization: Basic 1lYWxhZGRplW1lYWxhZGRpbs
Data: Test567

`,
  ],
  [
    "Continuation in URL line",
    `https://example.com/
 Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l
`,
  ],
  [
    "Continuation in header line",
    `https://example.com

Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l
 Authorization: Basic jpvcGVuc2VzYW1lYWxhZGRpb
`,
  ],
  [
    "Continuation in multiple header lines",
    `https://example.com

Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l
 Authorization: Basic jpvcGVuc2VzYW1lYWxhZGRpb
 Authorization: Basic dGhpc2lzYWxvbmdzdHJpbmc=
`,
  ],
  [
    "Continuation with mixed spacing",
    `https://example.com

Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l
  Authorization: Basic jpvcGVuc2VzYW1lYWxhZGRpb
`,
  ],
  [
    "Continuation with tab character",
    `https://example.com

Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l
        Authorization: Basic jpvcGVuc2VzYW1lYWxhZGRpb
`,
  ],
  [
    "Continuation at the start of a block",
    ` https://example.com

Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l
`,
  ],
  [
    "Continuation after a blank line",
    `https://example.com


Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l
`,
  ],
];

Deno.test("parseUserAuth() follows auth TestParseUserAuthInvalid", async (t) => {
  for (const [comment, data] of parseUserAuthInvalid) {
    await t.step(`parseUserAuth() rejects: ${comment}`, () => {
      assert.throws(() => parseUserAuth(data));
    });
  }
});

Deno.test("parseUserAuth() gives Go's error texts", async (t) => {
  const cases: [data: string, want: string][] = [
    ["https://example.com", "invalid format: missing empty line after URLs"],
    ["https://example.com\n\nA: b", "invalid format: missing empty line after headers"],
    ["https://example.com\n\nA b\n\n", "invalid format: invalid header line"],
    ["https://example.com\n\nA:b\n\n", "invalid format: invalid header line"],
    ["https://example.com\n\nA B: c\n\n", "invalid format: invalid header line"],
    ["https://example.com\n\nA: b\x01c\n\n", "invalid format: invalid header line"],
    [
      "example.com\n\n\n",
      'could not parse URL example.com: parse "example.com": invalid URI for request',
    ],
    [
      "https://exa mple.com\n\n\n",
      'could not parse URL https://exa mple.com: parse "https://exa mple.com": invalid character " " in host name',
    ],
    [
      "https://example.com\r\n\r\n",
      'could not parse URL https://example.com\r: parse "https://example.com\\r": net/url: invalid control character in URL',
    ],
    [":x\n\n\n", 'could not parse URL :x: parse ":x": missing protocol scheme'],
  ];
  for (const [data, want] of cases) {
    await t.step(`parseUserAuth(${JSON.stringify(data)}) throws ${want}`, () => {
      assert.throws(() => parseUserAuth(data), { message: want });
    });
  }
});

// From go1.26 userauth_test.go TestParseUserAuthDuplicated.
Deno.test("parseUserAuth() follows auth TestParseUserAuthDuplicated", () => {
  const data = `https://example.com

Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l
Authorization: Basic jpvcGVuc2VzYW1lYWxhZGRpb

https://example.com

Authorization: Basic GVuc2VzYW1lYWxhZGRpbjpvc
Authorization: Basic 1lYWxhZGRplW1lYWxhZGRpbs
Data: Test567

`;
  // Build the expected header
  const header: Header = {
    Authorization: ["Basic GVuc2VzYW1lYWxhZGRpbjpvc", "Basic 1lYWxhZGRplW1lYWxhZGRpbs"],
    Data: ["Test567"],
  };
  assert.deepEqual(parseUserAuth(data).get("example.com"), header);
});

// From go1.26 userauth_test.go TestParseUserAuthEmptyHeader and TestParseUserAuthEmpty.
Deno.test("parseUserAuth() follows auth TestParseUserAuthEmptyHeader and TestParseUserAuthEmpty", () => {
  assert.deepEqual(parseUserAuth("https://example.com\n\n\n").get("example.com"), {});
  assert.deepEqual(parseUserAuth(""), new Map());
});

Deno.test("parseUserAuth(): several URLs, canonical names, trimmed values, kept schemes", () => {
  const got = parseUserAuth(
    "https://a.example/p/\nHTTPS://b.example:8443\nhttp://c.example\n\n" +
      "x-token:   t  \nauthorization: Bearer z\n\n",
  );
  const h = { "X-Token": ["t"], Authorization: ["Bearer z"] };
  // URL.String lower-cases the scheme; only "https://" is trimmed, so an
  // http URL becomes a prefix no https request has.
  assert.deepEqual(
    [...got.entries()],
    [["a.example/p/", h], ["b.example:8443", h], ["http://c.example", h]],
  );
});

// From go1.26 src/cmd/go/internal/auth/gitauth_test.go TestParseGitAuth.
const parseGitAuthTests: {
  comment: string;
  gitauth: string; // contents of 'git credential fill'
  wantPrefix: string;
  wantUsername: string;
  wantPassword: string;
}[] = [
  {
    comment: "Standard case.",
    gitauth: `
protocol=https
host=example.com
username=bob
password=secr3t
`,
    wantPrefix: "https://example.com",
    wantUsername: "bob",
    wantPassword: "secr3t",
  },
  {
    comment: "Should not use an invalid url.",
    gitauth: `
protocol=https
host=example.com
username=bob
password=secr3t
url=invalid
`,
    wantPrefix: "https://example.com",
    wantUsername: "bob",
    wantPassword: "secr3t",
  },
  {
    comment: "Should use the new url.",
    gitauth: `
protocol=https
host=example.com
username=bob
password=secr3t
url=https://go.dev
`,
    wantPrefix: "https://go.dev",
    wantUsername: "bob",
    wantPassword: "secr3t",
  },
  {
    comment: "Empty data.",
    gitauth: `
`,
    wantPrefix: "",
    wantUsername: "",
    wantPassword: "",
  },
  {
    comment: "Does not follow the '=' format.",
    gitauth: `
protocol:https
host:example.com
username:bob
password:secr3t
`,
    wantPrefix: "",
    wantUsername: "",
    wantPassword: "",
  },
];

Deno.test("parseGitAuth() follows auth TestParseGitAuth", async (t) => {
  for (const tc of parseGitAuthTests) {
    await t.step(`parseGitAuth(): ${tc.comment}`, () => {
      assert.deepEqual(parseGitAuth(tc.gitauth), {
        prefix: tc.wantPrefix,
        username: tc.wantUsername,
        password: tc.wantPassword,
      });
    });
  }
});

Deno.test("parseGitAuth(): path, port and a logged bad url", () => {
  const logged: string[] = [];
  const got = parseGitAuth(
    "protocol=https\nhost=127.0.0.1:8443\npath=a b/c\nurl=::\nusername=u\npassword=p=q\n",
    (l) => logged.push(l),
  );
  assert.deepEqual(got, {
    prefix: "https://127.0.0.1:8443/a%20b/c",
    username: "u",
    password: "p=q",
  });
  assert.deepEqual(logged, [
    `malformed URL from 'git credential fill' (parse "::": missing protocol scheme): ::`,
  ]);
});

// From go1.26 src/cmd/internal/quoted/quoted_test.go TestSplit.
const splitTests: { name: string; value: string; want?: string[]; wantErr?: string }[] = [
  { name: "empty", value: "", want: [] },
  { name: "space", value: " ", want: [] },
  { name: "one", value: "a", want: ["a"] },
  { name: "leading_space", value: " a", want: ["a"] },
  { name: "trailing_space", value: "a ", want: ["a"] },
  { name: "two", value: "a b", want: ["a", "b"] },
  { name: "two_multi_space", value: "a  b", want: ["a", "b"] },
  { name: "two_tab", value: "a\tb", want: ["a", "b"] },
  { name: "two_newline", value: "a\nb", want: ["a", "b"] },
  { name: "quote_single", value: `'a b'`, want: ["a b"] },
  { name: "quote_double", value: `"a b"`, want: ["a b"] },
  { name: "quote_both", value: `'a '"b "`, want: ["a ", "b "] },
  { name: "quote_contains", value: `'a "'"'b"`, want: [`a "`, `'b`] },
  { name: "escape", value: `\\'`, want: [`\\'`] },
  { name: "quote_unclosed", value: `'a`, wantErr: "unterminated ' string" },
];

Deno.test("quotedSplit() follows quoted TestSplit", async (t) => {
  for (const test of splitTests) {
    await t.step(`quotedSplit(${JSON.stringify(test.value)}): ${test.name}`, () => {
      if (test.wantErr !== undefined) {
        assert.throws(() => quotedSplit(test.value), { message: test.wantErr });
      } else {
        assert.deepEqual(quotedSplit(test.value), test.want);
      }
    });
  }
});

// The texts the go1.26 command prints for these values (go mod download with
// an https GOPROXY), without its "go: " prefix; checked against the real go
// in tests/differential/goauth_test.ts.
const goAuthTests: [goauth: string, want: string][] = [
  [";", "GOAUTH encountered an empty command (GOAUTH=;)"],
  ["netrc;", "GOAUTH encountered an empty command (GOAUTH=netrc;)"],
  ["", "GOAUTH encountered an empty command (GOAUTH=)"],
  [
    "off;netrc",
    "GOAUTH=off cannot be combined with other authentication commands (GOAUTH=off;netrc)",
  ],
  [
    "netrc;off",
    "GOAUTH=off cannot be combined with other authentication commands (GOAUTH=netrc;off)",
  ],
  ["git", "GOAUTH=git dir method requires an absolute path to the git working directory"],
  ["git /tmp x", "GOAUTH=git dir method requires an absolute path to the git working directory"],
  [
    "git rel",
    "GOAUTH=git dir method requires an absolute path to the git working directory, dir is not absolute",
  ],
  // Processing runs from the last entry: the empty one is met first.
  [
    ";git rel",
    "GOAUTH=git dir method requires an absolute path to the git working directory, dir is not absolute",
  ],
  ["git rel;", "GOAUTH encountered an empty command (GOAUTH=git rel;)"],
];

Deno.test("parseGoAuth() rejects with the go command's texts", async (t) => {
  for (const [goauth, want] of goAuthTests) {
    await t.step(`parseGoAuth(${JSON.stringify(goauth)}) throws ${want}`, () => {
      assert.throws(() => parseGoAuth(goauth), (e: Error) => {
        assert.ok(e instanceof GoAuthError);
        assert.equal(e.message, want);
        assert.equal(e.goauth, goauth);
        assert.equal(e.fatal, true);
        return true;
      });
    });
  }
});

Deno.test("parseGoAuth() accepts and orders methods as the go command runs them", () => {
  assert.deepEqual(parseGoAuth("netrc"), [{ kind: "netrc", command: "netrc" }]);
  assert.deepEqual(parseGoAuth(" off"), [{ kind: "off", command: "off" }]);
  // Words after netrc are ignored; a quoted netrc is a command.
  assert.deepEqual(parseGoAuth("netrc extra;'netrc'"), [
    { kind: "command", command: "'netrc'" },
    { kind: "netrc", command: "netrc extra" },
  ]);
  assert.deepEqual(parseGoAuth("a b ; git /repo ;netrc"), [
    { kind: "netrc", command: "netrc" },
    { kind: "git", command: "git /repo", dir: "/repo" },
    { kind: "command", command: "a b" },
  ]);
  assert.deepEqual(parseGoAuth("git C:\\repo", "windows"), [
    { kind: "git", command: "git C:\\repo", dir: "C:\\repo" },
  ]);
  assert.throws(() => parseGoAuth("git /repo", "windows"), /dir is not absolute/);
});

Deno.test("canonicalMIMEHeaderKey() and parseRequestURI()", () => {
  assert.equal(canonicalMIMEHeaderKey("content-type"), "Content-Type");
  assert.equal(canonicalMIMEHeaderKey("WWW-AUTHENTICATE"), "Www-Authenticate");
  assert.equal(canonicalMIMEHeaderKey("x_y"), "X_y");
  assert.equal(canonicalMIMEHeaderKey("bad key"), "bad key");
  assert.equal(
    urlString(parseRequestURI("HTTPS://Example.com/a%2Fb?q")),
    "https://Example.com/a%2Fb?q",
  );
  assert.equal(urlString(parseRequestURI("/abs/path")), "/abs/path");
  assert.equal(urlString(parseRequestURI("*")), "*");
  assert.equal(urlString(parseRequestURI("https://x/#frag")), "https://x/%23frag");
  assert.throws(() => parseRequestURI(""), { message: 'parse "": empty url' });
  assert.throws(() => parseRequestURI("host/p"), {
    message: 'parse "host/p": invalid URI for request',
  });
  // Without a scheme, "//host/p" is a path, not an authority.
  assert.equal(parseRequestURI("//host/p").path, "//host/p");
});

Deno.test("responseText() is what a GOAUTH command reads after a 4xx", () => {
  const res: HttpResponse = {
    status: 401,
    headers: new Headers([
      ["www-authenticate", 'Basic realm="x"'],
      ["content-length", "10"],
      ["x-multi", "a"],
      ["x-multi", "b"],
    ]),
    body: null,
    url: "https://example.com/x",
  };
  assert.equal(
    responseText(res),
    'HTTP/2.0 401 Unauthorized\nContent-Length: 10\nWww-Authenticate: Basic realm="x"\nX-Multi: a, b\n\n',
  );
});

/**
 * ScriptRunner is a CommandRunner whose commands are functions of their
 * arguments and stdin; it records every call and fails a call it has no
 * script for the way os/exec does.
 */
class ScriptRunner implements CommandRunner {
  calls: { argv: string[]; dir?: string; stdin?: string }[] = [];
  constructor(
    readonly scripts: Record<
      string,
      (args: string[], stdin: string | undefined) => Partial<CommandResult>
    >,
  ) {}
  run(argv: readonly string[], options: { dir?: string; stdin?: string } = {}) {
    this.calls.push({ argv: [...argv], ...options });
    const f = this.scripts[argv[0]];
    if (f === undefined) {
      return Promise.reject(new Error(`exec: "${argv[0]}": executable file not found in $PATH`));
    }
    const r = f(argv.slice(1), options.stdin);
    return Promise.resolve({ stdout: "", stderr: "", code: 0, ...r });
  }
}

function authenticator(
  goauth: string,
  runner: CommandRunner,
  more: { netrc?: string; dirs?: string[]; http?: HttpClient; log?: string[] } = {},
): Authenticator & { readonly netrcReads: number } {
  const state = { netrcReads: 0 };
  const a = new Authenticator({
    goauth,
    netrc() {
      state.netrcReads++;
      return parseNetrc(more.netrc ?? "");
    },
    stat(path) {
      if (path === "/file") return { isDirectory: false };
      if (!(more.dirs ?? []).includes(path)) {
        throw new Error(`stat ${path}: no such file or directory`);
      }
      return { isDirectory: true };
    },
    runner,
    http: more.http,
    log: more.log ? (l) => more.log!.push(l) : undefined,
  });
  Object.defineProperty(a, "netrcReads", { get: () => state.netrcReads });
  return a as Authenticator & { readonly netrcReads: number };
}

async function creds(
  a: Authenticator,
  url: string,
  res?: HttpResponse,
  retryURL = "",
): Promise<Record<string, string>> {
  const h = new Headers();
  await a.addCredentials(h, url, res, retryURL);
  return Object.fromEntries(h);
}

const unauthorized: HttpResponse = {
  status: 401,
  headers: new Headers({ "www-authenticate": "Basic" }),
  body: null,
  url: "https://example.com/m/@v/list",
};

Deno.test("Authenticator: netrc is the default, read once; the first machine entry wins", async () => {
  const runner = new ScriptRunner({});
  const a = authenticator("", runner, {
    netrc:
      "machine example.com login first password 1\nmachine example.com login second password 2\n" +
      "machine example.com:8443/deep login d password 3\n",
  });
  assert.equal(a.goauth, "netrc");
  assert.deepEqual(await creds(a, "https://example.com/m/@v/list"), {
    authorization: basicAuth("first", "1"),
  });
  assert.deepEqual(await creds(a, "https://example.com:8443/deep/x"), {
    authorization: basicAuth("d", "3"),
  });
  assert.deepEqual(await creds(a, "https://example.com:8443/x"), {});
  // The retry runs netrc again, from the entries already read.
  assert.deepEqual(
    await creds(a, "https://example.com/m", unauthorized, "https://example.com/m"),
    { authorization: basicAuth("first", "1") },
  );
  assert.equal(a.netrcReads, 1);
  assert.deepEqual(runner.calls, []);
});

Deno.test("Authenticator: GOAUTH=off adds nothing and runs nothing", async () => {
  const runner = new ScriptRunner({});
  const a = authenticator("off", runner, { netrc: "machine example.com login u password p\n" });
  assert.equal(await a.addCredentials(new Headers(), "https://example.com/x"), false);
  assert.equal(
    await a.addCredentials(
      new Headers(),
      "https://example.com/x",
      unauthorized,
      "https://example.com/x",
    ),
    false,
  );
  assert.equal(a.netrcReads, 0);
  // " off" is not "off", but runGoAuth stops at it all the same.
  const b = authenticator(" off", runner, { netrc: "machine example.com login u password p\n" });
  assert.deepEqual(await creds(b, "https://example.com/x"), {});
  assert.equal(b.netrcReads, 0);
});

Deno.test("Authenticator: a command runs once without the URL, then with it and the response after a 4xx", async () => {
  const runner = new ScriptRunner({
    "my-auth": (args) =>
      args.length === 3
        ? { stdout: "https://example.com/m\n\nAuthorization: Bearer t\n\n" }
        : { stdout: "" },
  });
  const a = authenticator("my-auth --flag 'two words'", runner);
  assert.deepEqual(await creds(a, "https://example.com/m/@v/list"), {});
  assert.deepEqual(await creds(a, "https://example.com/m/@v/v1.0.0.info"), {});
  const url = "https://example.com/m/@v/list";
  assert.deepEqual(await creds(a, url, unauthorized, url), { authorization: "Bearer t" });
  // Stored for the prefix: later requests under it get it at once.
  assert.deepEqual(await creds(a, "https://example.com/m/@v/v1.0.0.zip"), {
    authorization: "Bearer t",
  });
  assert.deepEqual(await creds(a, "https://example.com/other"), {});
  assert.deepEqual(runner.calls, [
    { argv: ["my-auth", "--flag", "two words"], stdin: undefined },
    {
      argv: ["my-auth", "--flag", "two words", url],
      stdin: "HTTP/2.0 401 Unauthorized\nWww-Authenticate: Basic\n\n",
    },
  ]);
});

Deno.test("Authenticator: the first listed method wins (they run in reverse)", async () => {
  const order: string[] = [];
  const runner = new ScriptRunner({
    first: () => (order.push("first"), { stdout: "https://example.com\n\nAuthorization: one\n\n" }),
    second:
      () => (order.push("second"), { stdout: "https://example.com\n\nAuthorization: two\n\n" }),
  });
  const a = authenticator("first;second;netrc", runner, {
    netrc: "machine example.com login n password n\n",
  });
  assert.deepEqual(await creds(a, "https://example.com/x"), { authorization: "one" });
  assert.deepEqual(order, ["second", "first"]);
  const b = authenticator("netrc;second", runner, {
    netrc: "machine example.com login n password n\n",
  });
  assert.deepEqual(await creds(b, "https://example.com/x"), { authorization: basicAuth("n", "n") });
  // An empty header block removes what a later-listed method stored.
  const c = authenticator(
    "revoke;netrc",
    new ScriptRunner({ revoke: () => ({ stdout: "https://example.com\n\n\n" }) }),
    { netrc: "machine example.com login n password n\n" },
  );
  assert.deepEqual(await creds(c, "https://example.com/x"), {});
});

Deno.test("Authenticator: failing methods are only logged, and only when nothing matched", async () => {
  const log: string[] = [];
  const runner = new ScriptRunner({
    bad: () => ({ code: 3, stderr: "oops\n" }),
    garbled: () => ({ stdout: "not a url\n\n\n" }),
    killed: () => ({ signal: "SIGKILL", code: 137 }),
  });
  const a = authenticator("bad;garbled;killed;'unterminated;missing", runner, { log });
  const url = "https://example.com/x";
  assert.deepEqual(await creds(a, url, unauthorized, url), {});
  assert.deepEqual(log, [
    "GOAUTH encountered errors for https://example.com/x:",
    `  GOAUTH=missing: could not run command missing: exec: "missing": executable file not found in $PATH\n`,
    "  GOAUTH='unterminated: cannot parse GOAUTH command 'unterminated: unterminated ' string",
    "  GOAUTH=killed: could not run command killed: signal: killed\n",
    '  GOAUTH=garbled: cannot parse output of GOAUTH command garbled: could not parse URL not a url: parse "not a url": invalid URI for request',
    "  GOAUTH=bad: could not run command bad: exit status 3\noops\n",
  ]);
  // Nothing is logged for the initial run, nor when another method matched.
  log.length = 0;
  const b = authenticator(
    "bad;good",
    new ScriptRunner({
      bad: () => ({ code: 1 }),
      good: () => ({ stdout: "https://example.com\n\nAuthorization: g\n\n" }),
    }),
    { log },
  );
  assert.deepEqual(await creds(b, url, unauthorized, url), { authorization: "g" });
  assert.deepEqual(log, []);
});

Deno.test("Authenticator: a malformed GOAUTH fails the first https request, every time", async () => {
  const runner = new ScriptRunner({ x: () => ({}) });
  for (const [goauth, want] of goAuthTests) {
    const a = authenticator(goauth === "" ? ";" : goauth, runner);
    const expect = goauth === "" ? "GOAUTH encountered an empty command (GOAUTH=;)" : want;
    for (let i = 0; i < 2; i++) {
      await assert.rejects(() => creds(a, "https://example.com/x"), (e: Error) => {
        assert.ok(e instanceof GoAuthError);
        assert.equal(e.message, expect);
        return true;
      });
    }
  }
  // Methods listed before the malformed one have run (the go command runs
  // them in reverse and exits at the bad one); those after it have not.
  assert.deepEqual(runner.calls, []);
  const seen = new ScriptRunner({ x: () => ({}) });
  await assert.rejects(() => creds(authenticator(";x", seen), "https://example.com/"));
  assert.equal(seen.calls.length, 1);
});

Deno.test("Authenticator: git <dir> is checked on every run and asked only with a URL", async () => {
  const fills: { dir?: string; stdin?: string }[] = [];
  const actions: { argv: string[]; stdin?: string }[] = [];
  const runner = new ScriptRunner({
    git: (args, stdin) => {
      if (args[1] === "fill") {
        fills.push({ stdin });
        return {
          stdout: "protocol=https\nhost=example.com\nusername=u\npassword=p\n",
        };
      }
      actions.push({ argv: args, stdin });
      return {};
    },
  });
  const gets: { url: string; headers?: Record<string, string> }[] = [];
  const http: HttpClient = {
    get(url, init) {
      gets.push({ url, headers: init?.headers });
      return Promise.resolve({ status: 200, headers: new Headers(), body: null, url });
    },
  };
  const a = authenticator("git /repo", runner, { dirs: ["/repo"], http });
  assert.deepEqual(await creds(a, "https://example.com/m/@v/list"), {});
  assert.deepEqual(fills, []);
  const url = "https://example.com/m/@v/list";
  assert.deepEqual(await creds(a, url, unauthorized, url), {
    authorization: basicAuth("u", "p"),
  });
  assert.equal(runner.calls[0].dir, "/repo");
  assert.deepEqual(fills, [{ stdin: `url=${url}\n` }]);
  await a.idle();
  // The helper is told the credentials work (go sends a HEAD; this is a GET).
  assert.deepEqual(gets, [{
    url: "https://example.com",
    headers: { authorization: basicAuth("u", "p") },
  }]);
  assert.deepEqual(actions, [{
    argv: ["credential", "approve"],
    stdin: "protocol=https\nhost=example.com\nusername=u\npassword=p\n",
  }]);
  assert.equal(runner.calls.at(-1)!.dir, undefined);

  for (
    const [dirs, want] of [
      [
        [],
        "GOAUTH=git encountered an error; cannot stat /repo: stat /repo: no such file or directory",
      ],
      [
        ["/file"],
        "GOAUTH=git dir method requires an absolute path to the git working directory, dir is not a directory",
      ],
    ] as const
  ) {
    const goauth = dirs.length === 0 ? "git /repo" : "git /file";
    const b = authenticator(goauth, runner, { dirs: [...dirs] });
    await assert.rejects(() => creds(b, "https://example.com/x"), { message: want });
  }
});

Deno.test("Authenticator: git answers for another URL, or fails", async () => {
  const log: string[] = [];
  const url = "https://example.com/m/@v/list";
  for (
    const [out, want] of [
      [
        { stdout: "protocol=https\nhost=other.example\nusername=u\npassword=p\n" },
        `requested a credential for ${url}, but 'git credential fill' provided one for https://other.example\n`,
      ],
      [
        { stdout: "username=u\n" },
        `'git credential fill' failed for url=${url}, could not parse url\n`,
      ],
      [
        { code: 128, stderr: "fatal: no\n" },
        `'git credential fill' failed (url=${url}): exit status 128\nfatal: no\n`,
      ],
    ] as const
  ) {
    log.length = 0;
    const a = authenticator("git /repo", new ScriptRunner({ git: () => out }), {
      dirs: ["/repo"],
      log,
    });
    assert.deepEqual(await creds(a, url, unauthorized, url), {});
    assert.deepEqual(log, [`GOAUTH encountered errors for ${url}:`, `  GOAUTH=git /repo: ${want}`]);
  }
});

Deno.test("Authenticator refuses to add credentials to plain http", async () => {
  const a = authenticator("netrc", new ScriptRunner({}));
  await assert.rejects(() => creds(a, "http://example.com/x"), {
    message: "internal error: GOAUTH called without https",
  });
});

/** RecordingHttp answers from a function of the request and records what was sent. */
class RecordingHttp implements HttpClient {
  seen: { url: string; headers: Record<string, string> }[] = [];
  constructor(readonly answer: (url: string, headers: Record<string, string>) => number) {}
  get(url: string, init: { headers?: Record<string, string> } = {}) {
    const headers = init.headers ?? {};
    this.seen.push({ url, headers });
    const status = this.answer(url, headers);
    return Promise.resolve({
      status,
      headers: new Headers({ "content-type": "text/plain" }),
      body: new Response(`${status}\n`).body,
      url,
    });
  }
}

Deno.test("authHttp(): 401, GOAUTH with the URL, then the retry with its credentials", async () => {
  const runner = new ScriptRunner({
    helper: (args) =>
      args.length === 0 ? {} : { stdout: "https://example.com\n\nAuthorization: Bearer ok\n\n" },
  });
  const a = authenticator("helper", runner);
  const http = new RecordingHttp((_, h) => h.authorization === "Bearer ok" ? 200 : 401);
  const client = authHttp(http, a);
  const url = "https://example.com/m/@v/v1.0.0.zip";
  const res = await client.get(url, { headers: { range: "bytes=5-" } });
  assert.equal(res.status, 200);
  await res.body?.cancel();
  const res2 = await client.get("https://example.com/m/@v/list");
  await res2.body?.cancel();
  assert.deepEqual(http.seen, [
    { url, headers: { range: "bytes=5-" } },
    // The caller's own headers stay on the retry (gtc's Range resumes).
    { url, headers: { range: "bytes=5-", authorization: "Bearer ok" } },
    { url: "https://example.com/m/@v/list", headers: { authorization: "Bearer ok" } },
  ]);
  assert.deepEqual(runner.calls.map((c) => c.argv), [["helper"], ["helper", url]]);
});

Deno.test("authHttp(): every https 4xx is asked twice, also without GOAUTH; other answers and http once", async () => {
  for (const auth of [undefined, authenticator("off", new ScriptRunner({}))]) {
    const http = new RecordingHttp((url) =>
      url.endsWith("/404") ? 404 : url.endsWith("/500") ? 500 : 200
    );
    const client = authHttp(http, auth);
    for (const u of ["https://h/404", "https://h/500", "https://h/200", "http://h/404"]) {
      const res = await client.get(u);
      await res.body?.cancel();
    }
    assert.deepEqual(http.seen.map((s) => s.url), [
      "https://h/404",
      "https://h/404",
      "https://h/500",
      "https://h/200",
      "http://h/404",
    ]);
    assert.ok(http.seen.every((s) => Object.keys(s.headers).length === 0));
  }
});

Deno.test("authHttp(): credentials never go over http, whatever GOAUTH has for the host", async () => {
  const a = authenticator("netrc", new ScriptRunner({}), {
    netrc: "machine h login u password p\n",
  });
  const http = new RecordingHttp(() => 401);
  const client = authHttp(http, a);
  for (const u of ["http://h/x", "HTTPS://h/x"]) {
    const res = await client.get(u);
    await res.body?.cancel();
  }
  assert.deepEqual(http.seen, [
    { url: "http://h/x", headers: {} },
    { url: "HTTPS://h/x", headers: {} },
    { url: "HTTPS://h/x", headers: {} },
  ]);
  // As written, "HTTPS://h/x" is no prefix of h: URL.String would lower the
  // scheme; lib/proxy sends URLs that way, so both forms meet in practice.
  const res = await client.get("https://h/x");
  await res.body?.cancel();
  assert.deepEqual(http.seen.at(-1)!.headers, { authorization: basicAuth("u", "p") });
});

Deno.test("authHttp(): a malformed GOAUTH throws before anything is sent", async () => {
  const http = new RecordingHttp(() => 200);
  const client = authHttp(http, authenticator("netrc;;", new ScriptRunner({})));
  const err = await client.get("https://h/x").catch((e) => e);
  assert.ok(err instanceof GoAuthError);
  assert.equal(err.message, "GOAUTH encountered an empty command (GOAUTH=netrc;;)");
  assert.equal(goAuthErrorIn(new Error("wrapped", { cause: new Error("x", { cause: err }) })), err);
  assert.deepEqual(http.seen, []);
  // Plain http never runs GOAUTH, so it never fails on it.
  const res = await client.get("http://h/x");
  await res.body?.cancel();
  assert.equal(http.seen.length, 1);
});
