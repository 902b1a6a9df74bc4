// TestFormatRecord and TestParseRecord are ported from
// golang.org/x/mod/sumdb/tlog/note_test.go (x/mod 774e7788). The lookup body
// is a real sum.golang.org response (record 24929362), from
// shared/spec/toolchain-download.md §4.2.

import assert from "node:assert/strict";
import { decodeBase64 } from "./_base64.ts";
import { knownGOSUMDB } from "./gosumdb.ts";
import { newVerifier, open, verifierList } from "./note.ts";
import { formatRecord, parseModuleRecord, parseRecord } from "./record.ts";
import { parseTree } from "./tlog.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("TestFormatRecord: formatRecord adds the id and blank line", async (t) => {
  assert.equal(
    dec(formatRecord(123456789012, enc("hello, world\n"))),
    "123456789012\nhello, world\n\n",
  );

  const badTexts = [
    "",
    "hello\nworld",
    "hello\n\nworld\n",
    "hello\x01world\n",
    "a\tb\n",
    "a\rb\n",
  ];
  // Go accepts a record that is a single newline; so does gtc.
  assert.equal(dec(formatRecord(1, enc("\n"))), "1\n\n\n");
  for (const bad of badTexts) {
    await t.step(`formatRecord(id, ${JSON.stringify(bad)}) fails`, () => {
      assert.throws(() => formatRecord(123456789012, enc(bad)), {
        message: "malformed record data",
      });
    });
  }
  await t.step("formatRecord(id, invalid UTF-8) fails", () => {
    assert.throws(() => formatRecord(1, new Uint8Array([0x68, 0xff, 0x0a])), {
      message: "malformed record data",
    });
  });
});

Deno.test("TestParseRecord: parseRecord splits id, text and rest", async (t) => {
  const junk = new Uint8Array([...enc("junk on end"), 0x01, 0xff]);
  let r = parseRecord(new Uint8Array([...enc("123456789012\nhello, world\n\n"), ...junk]));
  assert.equal(r.id, 123456789012);
  assert.equal(dec(r.text), "hello, world\n");
  assert.deepEqual(r.rest, junk);

  r = parseRecord(enc("123456789012\nhello, world\n\n"));
  assert.equal(r.id, 123456789012);
  assert.equal(dec(r.text), "hello, world\n");
  assert.equal(r.rest.length, 0);

  // Check invalid records: Go's rows, then further rules.
  const badRecords: Uint8Array[] = [
    enc("not-123456789012\nhello, world\n\n"),
    enc("123\nhello\x01world\n\n"),
    new Uint8Array([...enc("123\nhello"), 0xff, ...enc("world\n\n")]),
    enc("123\nhello world\n"),
    enc("0x123\nhello world\n\n"),
    // Further rules.
    enc("123"),
    enc("\nhello world\n\n"),
    enc("1 23\nhello world\n\n"),
    enc("9007199254740993\nhello world\n\n"), // gtc: beyond 2^53
    enc("123\n\n"),
    enc("123\nhello\tworld\n\n"),
    enc("123\r\nhello world\n\n"),
  ];
  for (const bad of badRecords) {
    await t.step(`parseRecord(${JSON.stringify(dec(bad))}) fails`, () => {
      assert.throws(() => parseRecord(bad), { message: "malformed record data" });
    });
  }
});

const zipLine =
  "golang.org/toolchain v0.0.1-go1.21.9.linux-amd64 h1:rRL9rPpsjKfpdDFcppvNgw1/dynUMrpDcTxdIwtyFR0=";
const modLine =
  "golang.org/toolchain v0.0.1-go1.21.9.linux-amd64/go.mod h1:8wlg68NqwW7eMnI1aABk/C2pDYXj8mrMY4TyRfiLeS0=";
const treeNote =
  "go.sum database tree\n28905453\nf3f8U0MoQmXkWAgAEKDtXcaI3c2y6N9+55KNSRefF/w=\n\n" +
  "— sum.golang.org Az3grr4J9x4SApup87osjthKONInbYdbN37ZskrLF12HIbhDuxOBTzt8Z2jUKbCvxYWrw0yNgshddOzt7pZEl7aSCw8=\n";
const lookupBody = `24929362\n${zipLine}\n${modLine}\n\n${treeNote}`;
const path = "golang.org/toolchain";
const version = "v0.0.1-go1.21.9.linux-amd64";

Deno.test("a real sum.golang.org lookup parses and its note verifies", async () => {
  const r = parseRecord(enc(lookupBody));
  assert.equal(r.id, 24929362);
  const known = verifierList([newVerifier(knownGOSUMDB["sum.golang.org"])]);
  const note = await open(r.rest, known);
  const tree = parseTree(note.text);
  assert.equal(tree.n, 28905453);
  assert.ok(r.id < tree.n);
  assert.deepEqual(parseModuleRecord(r.text, path, version), {
    path,
    version,
    zipHash: "h1:rRL9rPpsjKfpdDFcppvNgw1/dynUMrpDcTxdIwtyFR0=",
    modHash: "h1:8wlg68NqwW7eMnI1aABk/C2pDYXj8mrMY4TyRfiLeS0=",
  });
  // Lines in the other order are the same record.
  assert.deepEqual(
    parseModuleRecord(enc(`${modLine}\n${zipLine}\n`), path, version),
    parseModuleRecord(r.text, path, version),
  );
});

Deno.test("the real tree note fails on every single-byte change and on another key", async () => {
  const known = verifierList([newVerifier(knownGOSUMDB["sum.golang.org"])]);
  const msg = enc(treeNote);
  const sig = (b: Uint8Array) => decodeBase64(dec(b).split(" ").at(-1)!.trimEnd());
  for (let i = 0; i < msg.length; i++) {
    const m = msg.slice();
    m[i] ^= 1;
    const ok = await open(m, known).then(() => true, () => false);
    // Like Go's (non-strict) base64, the last character of a padded
    // signature carries unused bits: flipping one of them leaves the
    // signature bytes, and so the verdict, unchanged.
    if (ok) assert.deepEqual(sig(m), sig(msg), `byte ${i} flipped and the note still opens`);
  }
  // Signed by sum.golang.org, but only another key is trusted.
  await assert.rejects(
    open(
      msg,
      verifierList([
        newVerifier("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
      ]),
    ),
    { name: "UnverifiedNoteError" },
  );
});

// badModuleRecords: [name, record text, error detail]. Every one must be
// refused: a record that says more or less than the requested module version.
const badModuleRecords: [string, string, string][] = [
  [
    "missing go.mod line",
    `${zipLine}\n`,
    'missing line "golang.org/toolchain v0.0.1-go1.21.9.linux-amd64/go.mod h1:…"',
  ],
  [
    "missing zip line",
    `${modLine}\n`,
    'missing line "golang.org/toolchain v0.0.1-go1.21.9.linux-amd64 h1:…"',
  ],
  ["repeated zip line", `${zipLine}\n${zipLine}\n${modLine}\n`, "repeated line 2"],
  ["repeated go.mod line", `${zipLine}\n${modLine}\n${modLine}\n`, "repeated line 3"],
  [
    "extra line",
    `${zipLine}\n${modLine}\nexample.com/m v1.0.0 h1:rRL9rPpsjKfpdDFcppvNgw1/dynUMrpDcTxdIwtyFR0=\n`,
    "unexpected line 3",
  ],
  ["another version", zipLine.replace("amd64", "arm64") + `\n${modLine}\n`, "unexpected line 1"],
  [
    "another path",
    zipLine.replace("toolchain", "toolchain2") + `\n${modLine}\n`,
    "unexpected line 1",
  ],
  ["version prefix", zipLine.replace("amd64 ", "amd64x ") + `\n${modLine}\n`, "unexpected line 1"],
  ["two spaces", zipLine.replace(" h1:", "  h1:") + `\n${modLine}\n`, "unexpected line 1"],
  ["trailing space", `${zipLine} \n${modLine}\n`, "unexpected line 1"],
  ["four fields", `${zipLine} x\n${modLine}\n`, "unexpected line 1"],
  ["h2 hash", zipLine.replace("h1:", "h2:") + `\n${modLine}\n`, "malformed hash on line 1"],
  ["short hash", zipLine.replace("FR0=", "FR==") + `\n${modLine}\n`, "malformed hash on line 1"],
  ["unpadded hash", zipLine.replace("FR0=", "FR0") + `\n${modLine}\n`, "malformed hash on line 1"],
  [
    "hash too long",
    zipLine.replace("FR0=", "FR0=AAAA") + `\n${modLine}\n`,
    "malformed hash on line 1",
  ],
  ["blank line", `${zipLine}\n\n${modLine}\n`, "malformed record data"],
  ["no final newline", `${zipLine}\n${modLine}`, "malformed record data"],
  ["empty", "", "malformed record data"],
  ["CRLF", `${zipLine}\r\n${modLine}\r\n`, "malformed record data"],
];

Deno.test("parseModuleRecord() refuses anything but the two lines asked for", async (t) => {
  for (const [name, text, detail] of badModuleRecords) {
    await t.step(`parseModuleRecord(${name}) fails`, () => {
      assert.throws(() => parseModuleRecord(enc(text), path, version), (err: Error) => {
        assert.ok(
          err.message.startsWith(`checksum database record for ${path}@${version}: ${detail}`),
          err.message,
        );
        return true;
      });
    });
  }
});
