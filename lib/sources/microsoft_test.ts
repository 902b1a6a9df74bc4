import assert from "node:assert/strict";
import { denoHttp } from "../host/http.ts";
import {
  archFor,
  linkVersion,
  microsoftDefaultBase,
  MicrosoftSource,
  parseAssets,
  parseSha256File,
  windowsIntegrityNotice,
} from "./microsoft.ts";
import { newMsVersion } from "./ms_version.ts";
import { microsoftKeyFingerprint } from "./pgp.ts";
import { ResolveError, SecurityError } from "./source.ts";
import {
  DistServer,
  generateTestKey,
  publishMicrosoftBuild,
  sha256Hex,
  signDetached,
  type TestKey,
} from "./test_server.ts";

function streamOf(b: Uint8Array): ReadableStream<Uint8Array> {
  return new Blob([b as BlobPart]).stream();
}

const linux = { goos: "linux", goarch: "amd64" };
const windows = { goos: "windows", goarch: "amd64" };

Deno.test("parseSha256File() compares only the first field (the name is the blob's)", () => {
  const h = "ab".repeat(32);
  assert.equal(parseSha256File(`${h}  go1.22.5-20240704.3.linux-amd64.tar.gz\n`), h);
  assert.equal(parseSha256File(`${h.toUpperCase()}\n`), h);
  assert.equal(parseSha256File(""), "");
});

Deno.test("parseAssets() reads go-infra's buildassets format", () => {
  // The shape of go-infra buildmodel/testdata/UpdateVersions/assets.json.
  const doc = `{
    "branch": "release-branch.go1.17",
    "buildId": "placeholder-build-id",
    "version": "1.17.2-1",
    "arches": [
      {"env": {"GOARCH": "amd64", "GOOS": "linux"}, "sha256": "${"0".repeat(64)}",
       "url": "https://example.org/go.linux-amd64.tar.gz",
       "sha256ChecksumUrl": "https://example.org/go.linux-amd64.tar.gz.sha256",
       "pgpSignatureUrl": "https://example.org/go.linux-amd64.tar.gz.sig"},
      {"env": {"GOARCH": "arm", "GOARM": "6", "GOOS": "linux"}, "sha256": "${"1".repeat(64)}",
       "url": "https://example.org/go.linux-armv6l.tar.gz"},
      {"sha256": "${"2".repeat(64)}", "url": "https://example.org/go.src.tar.gz"}
    ],
    "goSrcURL": "https://example.org/go.src.tar.gz",
    "goSrcSHA256": "${"2".repeat(64)}"
  }`;
  const a = parseAssets(doc, "assets.json");
  assert.equal(a.version, "1.17.2-1");
  assert.equal(a.arches.length, 3);
  assert.equal(archFor(a, linux)?.pgpSignatureUrl, "https://example.org/go.linux-amd64.tar.gz.sig");
  assert.equal(archFor(a, { goos: "linux", goarch: "arm" })?.sha256, "1".repeat(64));
  assert.equal(archFor(a, windows), undefined);
  assert.throws(() => parseAssets(`{"arches": []}`, "x.json"), /x.json: missing version/);
  assert.throws(
    () => parseAssets(`{"version":"1","arches":[{"env":{}}]}`, "x.json"),
    /missing url/,
  );
});

Deno.test("linkVersion() names the aka.ms link for each granularity", () => {
  assert.equal(linkVersion(newMsVersion("1.22"), "minor"), "1.22");
  assert.equal(linkVersion(newMsVersion("1.22.5"), "patch"), "1.22.5");
  assert.equal(linkVersion(newMsVersion("1.22.5-2"), "pinned"), "1.22.5-2");
  assert.equal(linkVersion(newMsVersion("1.18-fips"), "minor"), "1.18-fips");
  assert.equal(microsoftDefaultBase, "https://aka.ms/golang/release/latest");
});

interface Fixture {
  server: DistServer;
  base: string;
  key: TestKey;
  srv: Deno.HttpServer;
  source(opts?: { trusted?: string[]; key?: Uint8Array; keyUrl?: string }): MicrosoftSource;
  [Symbol.asyncDispose](): Promise<void>;
}

async function fixture(): Promise<Fixture> {
  const server = new DistServer();
  const key = await generateTestKey();
  server.put("/keys/ms.asc", key.armoredPublic);
  const srv = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, server.handler);
  const root = `http://127.0.0.1:${srv.addr.port}`;
  return {
    server,
    base: `${root}/ms`,
    key,
    srv,
    source(opts = {}) {
      return new MicrosoftSource({
        http: denoHttp,
        baseUrl: `${root}/ms`,
        keyUrl: opts.keyUrl ?? `${root}/keys/ms.asc`,
        trustedFingerprints: opts.trusted ?? [key.fingerprint],
        ...(opts.key ? { key: opts.key, keyOrigin: "test.asc" } : {}),
      });
    },
    async [Symbol.asyncDispose]() {
      await srv.shutdown();
    },
  };
}

Deno.test("MicrosoftSource resolves floating and pinned versions to the pinned link", async (t) => {
  await using f = await fixture();
  await publishMicrosoftBuild({
    server: f.server,
    prefix: "/ms",
    version: "1.22.5-2",
    platforms: ["linux-amd64", "linux-armv6l", "windows-amd64"],
    key: f.key,
  });
  const src = f.source();
  for (const q of ["1.22", "go1.22", "1.22.5", "go1.22.5-2"]) {
    await t.step(`resolve(${q}, linux/amd64) = go1.22.5-2`, async () => {
      const a = await src.resolve(q, linux);
      assert.equal(a.name, "go1.22.5-2");
      assert.equal(a.version, "go1.22.5");
      assert.equal(a.url, `${f.base}/go1.22.5-2.linux-amd64.tar.gz`);
      assert.equal(a.signatureUrl, `${f.base}/go1.22.5-2.linux-amd64.tar.gz.sig`);
      assert.equal(a.integrity, "sha256+pgp");
      assert.deepEqual(a.env, { GOTOOLCHAIN: "local" });
      assert.deepEqual(a.notices, []);
      assert.match(a.sha256, /^[0-9a-f]{64}$/);
    });
  }
  await t.step("resolve(1.22, linux/arm) uses linux-armv6l", async () => {
    const a = await src.resolve("1.22", { goos: "linux", goarch: "arm" });
    assert.equal(a.filename, "go1.22.5-2.linux-armv6l.tar.gz");
  });
  await t.step(
    "resolve(1.22, windows/amd64) is a zip checked by SHA-256 only, with a notice",
    async () => {
      const a = await src.resolve("1.22", windows);
      assert.equal(a.kind, "zip");
      assert.equal(a.integrity, "sha256");
      assert.equal(a.signatureUrl, undefined);
      assert.deepEqual(a.notices, [windowsIntegrityNotice]);
    },
  );
  await t.step("resolve(latest) lists go1.N.assets.json lines", async () => {
    const a = await src.resolve("latest", linux);
    assert.equal(a.name, "go1.22.5-2");
  });
  await t.step("resolve errors", async () => {
    await assert.rejects(src.resolve("1.21", linux), ResolveError);
    await assert.rejects(
      src.resolve("1.22", { goos: "darwin", goarch: "arm64" }),
      /has no archive for darwin-arm64/,
    );
    await assert.rejects(
      src.resolve("1.22.5-1/../../x", linux),
      /invalid Microsoft build of Go version/,
    );
  });
});

Deno.test("MicrosoftSource.list() returns the newest build of each minor line", async () => {
  await using f = await fixture();
  for (const v of ["1.21.12-1", "1.22.5-2", "1.23.0-1"]) {
    await publishMicrosoftBuild({
      server: f.server,
      prefix: "/ms",
      version: v,
      platforms: ["linux-amd64"],
      key: f.key,
    });
  }
  const rs = await f.source().list({ platform: linux });
  assert.deepEqual(rs.map((r) => r.version), ["go1.23.0-1", "go1.22.5-2", "go1.21.12-1"]);
  assert.deepEqual(rs[0].files.map((x) => x.filename), ["go1.23.0-1.linux-amd64.tar.gz"]);
});

Deno.test("MicrosoftSource: pinned links work from a mirror without assets.json", async () => {
  await using f = await fixture();
  await publishMicrosoftBuild({
    server: f.server,
    prefix: "/ms",
    version: "1.22.5-1",
    platforms: ["linux-amd64"],
    key: f.key,
  });
  for (const k of [...f.server.files.keys()]) {
    if (k.endsWith(".assets.json")) f.server.files.delete(k);
  }
  const src = f.source();
  const a = await src.resolve("1.22.5-1", linux);
  assert.equal(a.sha256Origin, `${f.base}/go1.22.5-1.linux-amd64.tar.gz.sha256`);
  await assert.rejects(src.resolve("1.22", linux), /no go1.22.assets.json/);
});

Deno.test("MicrosoftSource refuses when assets.json and .sha256 disagree", async () => {
  await using f = await fixture();
  await publishMicrosoftBuild({
    server: f.server,
    prefix: "/ms",
    version: "1.22.5-1",
    platforms: ["linux-amd64"],
    key: f.key,
  });
  f.server.put("/ms/go1.22.5-1.linux-amd64.tar.gz.sha256", `${"e".repeat(64)}  blob.tar.gz\n`);
  await assert.rejects(
    f.source().resolve("1.22", linux),
    (e: Error) => e instanceof SecurityError && /published checksums disagree/.test(e.message),
  );
});

Deno.test("MicrosoftSource refuses an assets.json describing another version", async () => {
  await using f = await fixture();
  await publishMicrosoftBuild({
    server: f.server,
    prefix: "/ms",
    version: "1.22.5-1",
    platforms: ["linux-amd64"],
    key: f.key,
  });
  f.server.put("/ms/go1.21.assets.json", f.server.files.get("/ms/go1.22.assets.json")!);
  await assert.rejects(
    f.source().resolve("1.21", linux),
    /describes version 1.22.5-1, which is not go1.21/,
  );
});

Deno.test("MicrosoftSource.verify() accepts a signature by the pinned key", async () => {
  await using f = await fixture();
  const archives = await publishMicrosoftBuild({
    server: f.server,
    prefix: "/ms",
    version: "1.22.5-1",
    platforms: ["linux-amd64"],
    key: f.key,
  });
  const src = f.source();
  const a = await src.resolve("1.22", linux);
  const v = await src.verify(a, () => streamOf(archives.get("linux-amd64")!));
  assert.equal(v.checks.length, 1);
  assert.match(
    v.checks[0],
    new RegExp(`pgp: signed by ${f.key.fingerprint} \\(gtc test signer <signer@example.com>\\)`),
  );
  // The key is fetched once per source.
  await src.verify(a, () => streamOf(archives.get("linux-amd64")!));
  assert.equal(f.server.count("/keys/ms.asc"), 1);
});

Deno.test("MicrosoftSource.verify() accepts an armored signature and a key given as bytes", async () => {
  await using f = await fixture();
  const archives = await publishMicrosoftBuild({
    server: f.server,
    prefix: "/ms",
    version: "1.22.5-1",
    platforms: ["linux-amd64"],
    key: f.key,
  });
  const data = archives.get("linux-amd64")!;
  f.server.put("/ms/go1.22.5-1.linux-amd64.tar.gz.sig", await signDetached(f.key, data, true));
  const src = f.source({
    key: new TextEncoder().encode(f.key.armoredPublic),
    keyUrl: "http://127.0.0.1:1/unused",
  });
  const a = await src.resolve("1.22.5-1", linux);
  assert.equal((await src.verify(a, () => streamOf(data))).checks.length, 1);
});

Deno.test("MicrosoftSource.verify() rejects tampered bytes", async () => {
  await using f = await fixture();
  const archives = await publishMicrosoftBuild({
    server: f.server,
    prefix: "/ms",
    version: "1.22.5-1",
    platforms: ["linux-amd64"],
    key: f.key,
  });
  const src = f.source();
  const a = await src.resolve("1.22", linux);
  const bad = archives.get("linux-amd64")!.slice();
  bad[bad.length - 1] ^= 1;
  await assert.rejects(
    src.verify(a, () => streamOf(bad)),
    (e: Error) =>
      e instanceof SecurityError &&
      /bad OpenPGP signature .*Signed digest did not match/.test(e.message),
  );
});

Deno.test("MicrosoftSource.verify() rejects a signature by another key, even one that is pinned-looking", async () => {
  await using f = await fixture();
  const archives = await publishMicrosoftBuild({
    server: f.server,
    prefix: "/ms",
    version: "1.22.5-1",
    platforms: ["linux-amd64"],
    key: f.key,
  });
  const data = archives.get("linux-amd64")!;
  const other = await generateTestKey("impostor");
  f.server.put("/ms/go1.22.5-1.linux-amd64.tar.gz.sig", await signDetached(other, data));
  const src = f.source();
  const a = await src.resolve("1.22", linux);
  await assert.rejects(
    src.verify(a, () => streamOf(data)),
    (e: Error) => e instanceof SecurityError && /Could not find signing key/.test(e.message),
  );
});

Deno.test("MicrosoftSource.verify() refuses a key whose fingerprint is not pinned", async () => {
  await using f = await fixture();
  const archives = await publishMicrosoftBuild({
    server: f.server,
    prefix: "/ms",
    version: "1.22.5-1",
    platforms: ["linux-amd64"],
    key: f.key,
  });
  const data = archives.get("linux-amd64")!;
  // The default trust is Microsoft's fingerprint only: a test key (however valid its signature) is refused.
  const src = new MicrosoftSource({
    http: denoHttp,
    baseUrl: f.base,
    keyUrl: `${f.base.replace("/ms", "")}/keys/ms.asc`,
  });
  const a = await src.resolve("1.22", linux);
  await assert.rejects(
    src.verify(a, () => streamOf(data)),
    (e: Error) =>
      e instanceof SecurityError &&
      e.message.includes(
        `has fingerprint ${f.key.fingerprint}, not the pinned ${microsoftKeyFingerprint}`,
      ),
  );
});

Deno.test("MicrosoftSource.verify() fails when the signature is missing or garbage", async () => {
  await using f = await fixture();
  const archives = await publishMicrosoftBuild({
    server: f.server,
    prefix: "/ms",
    version: "1.22.5-1",
    platforms: ["linux-amd64"],
    key: f.key,
  });
  const data = archives.get("linux-amd64")!;
  const src = f.source();
  const a = await src.resolve("1.22.5-1", linux);
  f.server.put("/ms/go1.22.5-1.linux-amd64.tar.gz.sig", "not a signature");
  await assert.rejects(src.verify(a, () => streamOf(data)), /malformed OpenPGP signature/);
  f.server.files.delete("/ms/go1.22.5-1.linux-amd64.tar.gz.sig");
  // The fallback (assets.json pgpSignatureUrl) points at a blob host that does not exist here.
  await assert.rejects(
    src.verify({ ...a, signatureFallbackUrl: undefined }, () => streamOf(data)),
    /signature not found/,
  );
});

Deno.test("MicrosoftSource.verify() checks nothing more for Windows zips", async () => {
  await using f = await fixture();
  await publishMicrosoftBuild({
    server: f.server,
    prefix: "/ms",
    version: "1.22.5-1",
    platforms: ["windows-amd64"],
    key: f.key,
  });
  const src = f.source();
  const a = await src.resolve("1.22", windows);
  assert.deepEqual(await src.verify(a, () => streamOf(new Uint8Array())), { checks: [] });
  assert.equal(await sha256Hex(f.server.files.get("/ms/go1.22.windows-amd64.zip")!), a.sha256);
});

Deno.test("MicrosoftSource refuses an assets.json whose version is not N.N.N-R", async () => {
  await using f = await fixture();
  await publishMicrosoftBuild({
    server: f.server,
    prefix: "/ms",
    version: "1.22.5-1",
    platforms: ["linux-amd64"],
    key: f.key,
  });
  const doc = JSON.parse(new TextDecoder().decode(f.server.files.get("/ms/go1.22.assets.json")!));
  for (const v of ["1.22.5-1/../../x", "1.22.5", "1.22.5-1-fips", "main-1"]) {
    f.server.put("/ms/go1.22.assets.json", JSON.stringify({ ...doc, version: v }));
    await assert.rejects(
      f.source().resolve("1.22", linux),
      (e: Error) =>
        e instanceof SecurityError && e.message.includes(`malformed version ${JSON.stringify(v)}`),
    );
  }
});
