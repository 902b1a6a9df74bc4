// GOSUMDB parsing, checked against cmd/go/internal/modfetch/sumdb.go dbDial
// (go1.26). The name rows were produced by running dbDial's name check
// (url.Parse("https://"+name) and its conditions) under Go 1.26.

import assert from "node:assert/strict";
import { knownGOSUMDB, parseGOSUMDB } from "./gosumdb.ts";
import { newEd25519VerifierKey } from "./note.ts";

const sumGolangOrgKey = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";
const peterKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

Deno.test("knownGOSUMDB holds Go's built-in sum.golang.org key", () => {
  // The text of cmd/go/internal/modfetch/key.go in go1.26.
  assert.deepEqual({ ...knownGOSUMDB }, { "sum.golang.org": sumGolangOrgKey });
});

// gosumdbTests: [GOSUMDB, want {name, key, url} or error message]
const gosumdbTests: [string, { name: string; key: string; url?: string } | string][] = [
  ["sum.golang.org", { name: "sum.golang.org", key: sumGolangOrgKey }],
  [" sum.golang.org\t", { name: "sum.golang.org", key: sumGolangOrgKey }],
  ["sum.golang.google.cn", {
    name: "sum.golang.org",
    key: sumGolangOrgKey,
    url: "https://sum.golang.google.cn",
  }],
  // Only the exact string is the alias.
  [" sum.golang.google.cn", "invalid GOSUMDB: malformed verifier id"],
  ["sum.golang.org https://sum.example.com/x", {
    name: "sum.golang.org",
    key: sumGolangOrgKey,
    url: "https://sum.example.com/x",
  }],
  ["sum.golang.org\u00a0https://a.example", {
    name: "sum.golang.org",
    key: sumGolangOrgKey,
    url: "https://a.example",
  }],
  [sumGolangOrgKey, { name: "sum.golang.org", key: sumGolangOrgKey }],
  [peterKey, { name: "PeterNeumann", key: peterKey }],
  [peterKey + " http://localhost:8080/sumdb", {
    name: "PeterNeumann",
    key: peterKey,
    url: "http://localhost:8080/sumdb",
  }],
  ["off", "checksum database disabled by GOSUMDB=off"],
  [" off", "invalid GOSUMDB: malformed verifier id"],
  ["", "missing GOSUMDB"],
  [" \t\n", "missing GOSUMDB"],
  ["sum.golang.org a b", "invalid GOSUMDB: too many fields"],
  ["on", "invalid GOSUMDB: malformed verifier id"],
  ["sum.golang.org+033de0ae", "invalid GOSUMDB: malformed verifier id"],
  [
    "sum.golang.org+033de0af+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
    "invalid GOSUMDB: invalid verifier hash",
  ],
  [
    "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    "invalid GOSUMDB: unknown verifier algorithm",
  ],
  [
    "sum.golang.org http://x/%zz",
    'invalid GOSUMDB URL: parse "http://x/%zz": invalid URL escape "%zz"',
  ],
  ["sum.golang.org :x", 'invalid GOSUMDB URL: parse ":x": missing protocol scheme'],
  [
    "sum.golang.org http://x/\x01",
    'invalid GOSUMDB URL: parse "http://x/\\x01": net/url: invalid control character in URL',
  ],
];

Deno.test("parseGOSUMDB() mirrors dbDial", async (t) => {
  for (const [value, want] of gosumdbTests) {
    await t.step(`parseGOSUMDB(${JSON.stringify(value)})`, () => {
      if (typeof want === "string") {
        assert.throws(() => parseGOSUMDB(value), { message: want });
      } else {
        assert.deepEqual(parseGOSUMDB(value), {
          name: want.name,
          key: want.key,
          url: want.url,
          direct: "https://" + want.name,
        });
      }
    });
  }
});

const n = "invalid sumdb name (must be host[/path]): ";
const u = (fields: string) =>
  ` {Scheme:https Opaque: User:${fields} RawFragment: ForceQuery:false OmitHost:false}`;

// nameTests: [name, "" if Go accepts it, else Go's message]. Where Go's
// url.Parse fails, dbDial dereferences a nil URL and crashes ("PANIC" in
// the Go run); gtc reports the name alone. Rows marked "gtc refuses" are
// accepted by Go but refused by gtc, which accepts only plain hosts.
const nameTests: [string, string][] = [
  ["sum.golang.org", ""],
  ["sum.example.com/path", ""],
  [
    "sum.example.com/",
    n + "sum.example.com/" + u(" Host:sum.example.com Path:/ Fragment: RawQuery: RawPath:"),
  ],
  ["sum.example.com:8443", ""],
  ["u@host", n + "u@host" + u("u Host:host Path: Fragment: RawQuery: RawPath:")],
  ["u:p@host", n + "u:p@host" + u("u:p Host:host Path: Fragment: RawQuery: RawPath:")],
  ["host?x", n + "host?x" + u(" Host:host Path: Fragment: RawQuery:x RawPath:")],
  [
    "host?",
    n + "host?" +
    u(" Host:host Path: Fragment: RawQuery: RawPath:").replace(
      "ForceQuery:false",
      "ForceQuery:true",
    ),
  ],
  ["host#f", n + "host#f" + u(" Host:host Path: Fragment:f RawQuery: RawPath:")],
  ["host#", ""],
  ["host/%41", n + "host/%41" + u(" Host:host Path:/A Fragment: RawQuery: RawPath:/%41")],
  ["host/a%2Fb", n + "host/a%2Fb" + u(" Host:host Path:/a/b Fragment: RawQuery: RawPath:/a%2Fb")],
  ["/path", n + "/path" + u(" Host: Path:/path Fragment: RawQuery: RawPath:")],
  ["%zz", n + "%zz"], // Go: PANIC
  ["host:port", n + "host:port"], // Go: PANIC
  ["host:44a", n + "host:44a"], // Go: PANIC
  ["host\x01", n + "host\x01"], // Go: PANIC
  ["host/%zz", n + "host/%zz"], // Go: PANIC
  ["host/a%", n + "host/a%"], // Go: PANIC
  ["host%41", n + "host%41"], // Go: PANIC
  ["host/é", n + "host/é" + u(" Host:host Path:/é Fragment: RawQuery: RawPath:/é")],
  ["hé", ""],
  ["host/a/../b", ""],
  ["host/.", ""],
  ["HOST", ""],
  ["host:", ""],
  ["host/a;b", ""],
  ["host/a:b", ""],
  ["host/a*b", n + "host/a*b" + u(" Host:host Path:/a*b Fragment: RawQuery: RawPath:/a*b")],
  ["host/~x", ""],
  ["a/b/c/", n + "a/b/c/" + u(" Host:a Path:/b/c/ Fragment: RawQuery: RawPath:")],
  ["host/a%2Ab", ""],
  ["host/a%2ab", n + "host/a%2ab" + u(" Host:host Path:/a*b Fragment: RawQuery: RawPath:/a%2ab")],
  ["host/a$b&c,d=e@f", ""],
  ["host/a!b", n + "host/a!b" + u(" Host:host Path:/a!b Fragment: RawQuery: RawPath:/a!b")],
  ["host/a(b)", n + "host/a(b)" + u(" Host:host Path:/a(b) Fragment: RawQuery: RawPath:/a(b)")],
  ["host/a'b", n + "host/a'b" + u(" Host:host Path:/a'b Fragment: RawQuery: RawPath:/a'b")],
  ["h_o~s-t.x", ""],
  ["host:443/p", ""],
  ["host/a?b#c", n + "host/a?b#c" + u(" Host:host Path:/a Fragment:c RawQuery:b RawPath:")],
  ["u@host/p?q#f", n + "u@host/p?q#f" + u("u Host:host Path:/p Fragment:f RawQuery:q RawPath:")],
  [
    "host#%41",
    n + "host#%41" +
    u(" Host:host Path: Fragment:A RawQuery: RawPath:").replace("RawFragment:", "RawFragment:%41"),
  ],
  ["h!st", ""],
  ["h*st", ""],
  ["host/a/", n + "host/a/" + u(" Host:host Path:/a/ Fragment: RawQuery: RawPath:")],
  ["host/a//b", ""],
  ["host//", n + "host//" + u(" Host:host Path:// Fragment: RawQuery: RawPath:")],
  ["host/é/", n + "host/é/" + u(" Host:host Path:/é/ Fragment: RawQuery: RawPath:/é/")],
  // gtc refuses (Go accepts): IP literals.
  ["[::1]", n + "[::1]" + u(" Host:[::1] Path: Fragment: RawQuery: RawPath:")],
  ["[::1]:8443/x", n + "[::1]:8443/x" + u(" Host:[::1]:8443 Path:/x Fragment: RawQuery: RawPath:")],
];

Deno.test("parseGOSUMDB() checks the database name like dbDial", async (t) => {
  const pub = new Uint8Array(32).fill(7);
  for (const [name, want] of nameTests) {
    await t.step(`name ${JSON.stringify(name)}: ${want === "" ? "ok" : "refused"}`, () => {
      const vkey = newEd25519VerifierKey(name, pub);
      if (want === "") {
        const db = parseGOSUMDB(vkey);
        assert.equal(db.name, name);
        assert.equal(db.direct, "https://" + name);
      } else {
        assert.throws(() => parseGOSUMDB(vkey), { message: want });
      }
    });
  }
});
