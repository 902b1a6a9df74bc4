import assert from "node:assert/strict";
import { basicAuth, Credentials, netrcPath, parseNetrc, readNetrc } from "./netrc.ts";
import { MemFs } from "../_internal/mem_fs.ts";

// From go1.26 src/cmd/go/internal/auth/netrc_test.go.
const testNetrc = `
machine incomplete
password none

machine api.github.com
  login user
  password pwd

machine incomlete.host
  login justlogin

machine test.host
login user2
password pwd2

machine oneline login user3 password pwd3

machine ignore.host macdef ignore
  login nobody
  password nothing

machine hasmacro.too macdef ignore-next-lines login user4 password pwd4
  login nobody
  password nothing

default
login anonymous
password gopher@golang.org

machine after.default
login oops
password too-late-in-file
`;

Deno.test("parseNetrc() follows auth TestParseNetrc", () => {
  assert.deepEqual(parseNetrc(testNetrc), [
    { machine: "api.github.com", login: "user", password: "pwd" },
    { machine: "test.host", login: "user2", password: "pwd2" },
    { machine: "oneline", login: "user3", password: "pwd3" },
    { machine: "hasmacro.too", login: "user4", password: "pwd4" },
  ]);
});

Deno.test("parseNetrc() edge cases", () => {
  // A "default" with tokens after it on its line does not end the parse (Go's
  // switch-local break).
  assert.deepEqual(
    parseNetrc("default login a password b\nmachine m login l password p\n"),
    [{ machine: "m", login: "l", password: "p" }],
  );
  // CRLF files: fields drop the \r, but a "\r" line does not end a macro.
  assert.deepEqual(
    parseNetrc("machine a\r\nlogin l\r\npassword p\r\n"),
    [{ machine: "a", login: "l", password: "p" }],
  );
  assert.deepEqual(parseNetrc("macdef x\r\nmachine a login l password p\r\n"), []);
});

// From go1.26 src/cmd/go/internal/auth/auth_test.go TestCredentialCache.
Deno.test("Credentials follows auth TestCredentialCache", async (t) => {
  const testCases: [machine: string, login: string, password: string][] = [
    ["api.github.com", "user", "pwd"],
    ["test.host", "user2", "pwd2"],
    ["oneline", "user3", "pwd3"],
    ["hasmacro.too", "user4", "pwd4"],
    ["hasmacro.too", "user5", "pwd5"],
  ];
  const c = new Credentials();
  for (const [machine, login, password] of testCases) {
    await t.step(`store and load ${machine}`, () => {
      c.store(machine, basicAuth(login, password));
      assert.equal(c.lookup(machine), basicAuth(login, password));
    });
  }
  // Having stored those credentials, we should be able to look up longer URLs too.
  const extraCases: [url: string, login: string, password: string][] = [
    ["https://api.github.com/foo", "user", "pwd"],
    ["https://api.github.com/foo/bar/baz", "user", "pwd"],
    ["https://example.com/abc", "", ""],
    ["https://example.com/?/../api.github.com/", "", ""],
    ["https://example.com/?/../api.github.com", "", ""],
    ["https://example.com/../api.github.com/", "", ""],
    ["https://example.com/../api.github.com", "", ""],
  ];
  for (const [url, login, password] of extraCases) {
    await t.step(`lookup(${url})`, () => {
      assert.equal(c.lookup(url), login === "" ? undefined : basicAuth(login, password));
    });
  }
  await t.step("TestCredentialCacheDelete", () => {
    c.store("api.github.com", undefined);
    assert.equal(c.lookup("api.github.com"), undefined);
  });
});

Deno.test("Credentials.fromNetrc(): first entry wins, https only, path prefixes", () => {
  const c = Credentials.fromNetrc(parseNetrc(
    "machine proxy.example.com login first password 1\n" +
      "machine proxy.example.com login second password 2\n" +
      "machine proxy.example.com/private login deep password 3\n",
  ));
  assert.deepEqual(c.authorizationFor("https://proxy.example.com/golang.org/toolchain/@v/list"), {
    authorization: basicAuth("first", "1"),
  });
  assert.deepEqual(c.authorizationFor("https://proxy.example.com/private/x/@v/list"), {
    authorization: basicAuth("deep", "3"),
  });
  // Credentials never go over plain http or to files.
  assert.deepEqual(c.authorizationFor("http://proxy.example.com/golang.org/toolchain/@v/list"), {});
  assert.deepEqual(c.authorizationFor("file:///proxy.example.com/x"), {});
  // A port is part of the machine name.
  assert.deepEqual(c.authorizationFor("https://proxy.example.com:8443/x"), {});
  assert.equal(basicAuth("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
});

Deno.test("netrcPath() follows auth.netrcPath", () => {
  const fs = new MemFs({ "/home/u/.netrc": "" });
  assert.equal(netrcPath({ NETRC: "/etc/netrc", home: "/home/u" }, fs, "posix"), "/etc/netrc");
  assert.equal(netrcPath({ NETRC: "", home: "/home/u" }, fs, "posix"), "/home/u/.netrc");
  assert.equal(netrcPath({ home: "/home/v" }, fs, "posix"), "/home/v/.netrc");
  assert.throws(() => netrcPath({}, fs, "posix"), { message: "$HOME is not defined" });
  // MemFs is POSIX-only; Windows needs only stat.
  class WinFs extends MemFs {
    override stat(p: string) {
      return p === "C:\\Users\\u\\_netrc" ? super.stat("/home/u/.netrc") : undefined;
    }
  }
  const win = new WinFs({ "/home/u/.netrc": "" });
  assert.equal(netrcPath({ home: "C:\\Users\\u" }, win, "windows"), "C:\\Users\\u\\_netrc");
  assert.equal(netrcPath({ home: "C:\\Users\\w" }, win, "windows"), "C:\\Users\\w\\.netrc");
});

Deno.test("readNetrc() treats a missing file as empty", () => {
  const fs = new MemFs({ "/home/u/.netrc": "machine m login l password p\n" });
  assert.deepEqual(readNetrc("/home/u/.netrc", fs), [{ machine: "m", login: "l", password: "p" }]);
  assert.deepEqual(readNetrc("/home/u/none", fs), []);
});
