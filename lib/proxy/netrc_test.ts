import assert from "node:assert/strict";
import { netrcPath, parseNetrc, readNetrc } from "./netrc.ts";
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

// The credential cache (auth_test.go) is tested in auth_test.ts.

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
