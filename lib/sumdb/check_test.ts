// checkSumDB and checkToolchainSum: cmd/go's texts (modfetch fetch.go
// checkSumDB, go1.26) over the in-memory TestServer.

import assert from "node:assert/strict";
import { checkSumDB, ChecksumError, checkToolchainSum, dial } from "./check.ts";
import { Client, SecurityError } from "./client.ts";
import { generateKey } from "./note.ts";
import { MemClientOps, TestServer } from "./test_server.ts";

const name = "sum.gtc.test";
const { skey, vkey } = await generateKey(name);
const tc = "golang.org/toolchain";
const v = "v0.0.1-go1.21.0.linux-amd64";
const zipH1 = "h1:rRL9rPpsjKfpdDFcppvNgw1/dynUMrpDcTxdIwtyFR0=";
const modH1 = "h1:8wlg68NqwW7eMnI1aABk/C2pDYXj8mrMY4TyRfiLeS0=";
const otherH1 = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

async function setup(record: string) {
  const s = await TestServer.create(skey);
  await s.addRecord("example.com/pad", "v1.0.0", "example.com/pad v1.0.0 " + otherH1 + "\n");
  await s.addRecord(tc, v, record);
  const ops = new MemClientOps(vkey, s);
  return { s, ops, conn: dial(`${vkey} http://127.0.0.1:1`, () => ops) };
}

Deno.test("checkToolchainSum() accepts the exact lines", async () => {
  const { conn } = await setup(`${tc} ${v} ${zipH1}\n${tc} ${v}/go.mod ${modH1}\n`);
  await checkToolchainSum(conn, { path: tc, version: v, zipHash: zipH1, modHash: modH1 });
});

Deno.test("checkSumDB() reports a mismatch in cmd/go's words", async () => {
  const { conn } = await setup(`${tc} ${v} ${zipH1}\n${tc} ${v}/go.mod ${modH1}\n`);
  const err = await checkSumDB(conn, { path: tc, version: v }, otherH1).then(
    () => assert.fail("accepted"),
    (e) => e,
  );
  assert.ok(err instanceof ChecksumError);
  assert.equal(err.recorded, zipH1);
  assert.equal(
    err.message,
    `${tc}@${v}: verifying module: checksum mismatch
\tdownloaded: ${otherH1}
\t${name}: ${zipH1}

SECURITY ERROR
This download does NOT match the one reported by the checksum server.
The bits may have been replaced on the origin server, or an attacker may
have intercepted the download attempt.

For more information, see 'go help module-auth'.
`,
  );
  await assert.rejects(
    checkSumDB(conn, { path: tc, version: v + "/go.mod" }, otherH1),
    (e: Error) =>
      e.message.startsWith(
        `${tc}@${v}: verifying go.mod: checksum mismatch\n\tdownloaded: ${otherH1}\n\t${name}: ${modH1}\n\nSECURITY ERROR\n`,
      ),
  );
});

Deno.test("checkSumDB() requires the line (go1.26: checksum missing from sumdb response)", async () => {
  const { conn } = await setup(`${tc} ${v}/go.mod ${modH1}\n`);
  await assert.rejects(checkSumDB(conn, { path: tc, version: v }, zipH1), {
    name: "ChecksumError",
    message: `${tc}@${v}: verifying module: checksum missing from sumdb response

SECURITY ERROR
This download does NOT match one reported by the checksum server.
The checksum server has provided checksums, but the checksums do
not contain an entry for the download.
The checksum server may be malfunctioning, or an attacker may have
intercepted the checksum request.
The download cannot be verified.

For more information, see 'go help module-auth'.
`,
  });
});

Deno.test("checkSumDB() rejects a second, different h1: line even after the matching one (gtc)", async () => {
  const { conn } = await setup(`${tc} ${v} ${zipH1}\n${tc} ${v} ${otherH1}\n`);
  await assert.rejects(checkSumDB(conn, { path: tc, version: v }, zipH1), {
    name: "ChecksumError",
  });
});

Deno.test("checkSumDB() ignores other hash kinds next to the matching line", async () => {
  const { conn } = await setup(`${tc} ${v} ${zipH1}\n${tc} ${v} h2:xyzzy\n`);
  await checkSumDB(conn, { path: tc, version: v }, zipH1);
});

// The real go 1.26.8, run as
//   GOSUMDB=off GOPROXY=https://proxy.golang.org GOTOOLCHAIN=go1.21.0 \
//     HOME=$(mktemp -d) GOPATH=$(mktemp -d) go version
// prints (exit status 1):
//   go: downloading go1.21.0 (linux/amd64)
//   go: download go1.21.0: golang.org/toolchain@v0.0.1-go1.21.0.linux-amd64: verifying module: checksum database disabled by GOSUMDB=off
// "go: download go1.21.0: " is the toolchain switch's prefix; the rest is checkSumDB's error.
Deno.test("checkToolchainSum() with GOSUMDB=off fails as go does", async () => {
  let dialed = false;
  const conn = dial("off", () => {
    dialed = true;
    throw new Error("not reached");
  });
  await assert.rejects(checkToolchainSum(conn, { path: tc, version: v, zipHash: zipH1 }), {
    message:
      "golang.org/toolchain@v0.0.1-go1.21.0.linux-amd64: verifying module: checksum database disabled by GOSUMDB=off",
  });
  assert.equal(dialed, false);
});

Deno.test("checkSumDB() wraps lookup errors twice, as go does", async (t) => {
  await t.step("404 from the database", async () => {
    const { conn } = await setup(`${tc} ${v} ${zipH1}\n`);
    const err = await checkSumDB(conn, { path: tc, version: "v0.0.1-go1.99.0.linux-amd64" }, zipH1)
      .then(() => assert.fail("accepted"), (e) => e);
    assert.match(
      err.message,
      /^golang\.org\/toolchain@v0\.0\.1-go1\.99\.0\.linux-amd64: verifying module: golang\.org\/toolchain@v0\.0\.1-go1\.99\.0\.linux-amd64: reading \/lookup\//,
    );
    assert.equal(err.cause.cause.name, "NotFoundError");
  });
  await t.step("invalid GOSUMDB", async () => {
    const conn = dial("on", () => assert.fail("not dialed"));
    await assert.rejects(checkSumDB(conn, { path: tc, version: v }, zipH1), {
      message: `${tc}@${v}: verifying module: invalid GOSUMDB: malformed verifier id`,
    });
  });
});

Deno.test("checkSumDB() passes a SecurityError through unchanged", async () => {
  const { ops } = await setup(`${tc} ${v} ${zipH1}\n`);
  await new Client(ops).lookup(tc, v); // latest = tree 2
  // A forked log with the same key: other records, one more of them.
  const forked = await TestServer.create(skey);
  await forked.addRecord("example.com/evil", "v1.0.0", `example.com/evil v1.0.0 ${otherH1}\n`);
  await forked.addRecord(tc, v, `${tc} ${v} ${otherH1}\n`);
  await forked.addRecord("example.com/more", "v1.0.0", `example.com/more v1.0.0 ${otherH1}\n`);
  const ops2 = new MemClientOps(vkey, forked);
  ops2.config.set(`${name}/latest`, ops.config.get(`${name}/latest`)!);
  // Tree 2's tiles, as trusted before (not the cached lookup).
  for (const [k, data] of ops.cache) if (k.includes("/tile/")) ops2.cache.set(k, data);
  const conn = dial(vkey, () => ops2);
  const err = await checkSumDB(conn, { path: tc, version: v }, otherH1).then(
    () => assert.fail("accepted"),
    (e) => e,
  );
  assert.ok(err instanceof SecurityError, err.message);
  assert.equal(ops2.security.length, 1);
});
