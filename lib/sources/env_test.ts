import assert from "node:assert/strict";
import { MemFs } from "../_internal/mem_fs.ts";
import { checkBaseUrl, sourcesFromEnv } from "./env.ts";
import type { HttpClient } from "./http.ts";
import { googleKeyFingerprint, microsoftKeyFingerprint } from "./pgp.ts";
import { type Artifact, plainHttpNotice, SecurityError } from "./source.ts";
import { generateTestKey } from "./test_server.ts";

const noHttp: HttpClient = {
  get(url) {
    return Promise.reject(new Error(`unexpected fetch of ${url}`));
  },
};

Deno.test("sourcesFromEnv() uses the default bases when the variables are unset or empty", () => {
  const s = sourcesFromEnv({ http: noHttp, env: { GTC_GODL_MIRROR: "" }, fs: new MemFs({}) });
  assert.equal(s.godl.baseUrl, "https://go.dev/dl");
  assert.equal(s.godl.listingUrl, "https://go.dev/dl/?mode=json&include=all");
  assert.equal(s.microsoft.baseUrl, "https://aka.ms/golang/release/latest");
});

Deno.test("sourcesFromEnv() applies GTC_GODL_MIRROR and GTC_MICROSOFT_MIRROR", () => {
  const s = sourcesFromEnv({
    http: noHttp,
    env: {
      GTC_GODL_MIRROR: "https://golang.google.cn/dl/",
      GTC_MICROSOFT_MIRROR: "file:///srv/mirror/msgo",
    },
    fs: new MemFs({}),
  });
  assert.equal(s.godl.listingUrl, "https://golang.google.cn/dl/?mode=json&include=all");
  assert.equal(s.microsoft.baseUrl, "file:///srv/mirror/msgo");
});

Deno.test("checkBaseUrl() refuses what is not an absolute https, http or file URL", () => {
  assert.throws(
    () => checkBaseUrl("GTC_GODL_MIRROR", "go.dev/dl"),
    /invalid GTC_GODL_MIRROR "go.dev\/dl": not an absolute URL/,
  );
  assert.throws(
    () => checkBaseUrl("GTC_GODL_MIRROR", "ftp://x/dl"),
    /scheme must be https, http or file/,
  );
  assert.equal(checkBaseUrl("X", "http://mirror.corp/go//"), "http://mirror.corp/go");
});

// keyVariables: each KEY variable, the source it configures, an artifact
// needing a signature from it, and the fingerprint pinned by default.
const keyVariables: {
  name: string;
  source: "godl" | "microsoft";
  artifact: Artifact;
  pinned: string;
}[] = [
  {
    name: "GTC_MICROSOFT_KEY",
    source: "microsoft",
    artifact: {
      source: "microsoft",
      name: "go1.22.5-1",
      version: "go1.22.5",
      filename: "go1.22.5-1.linux-amd64.tar.gz",
      url: "https://example.invalid/x.tar.gz",
      sha256: "0".repeat(64),
      sha256Origin: "",
      kind: "tar.gz",
      platform: { goos: "linux", goarch: "amd64" },
      integrity: "sha256+pgp",
      signatureUrl: "https://example.invalid/x.tar.gz.sig",
      notices: [],
    },
    pinned: microsoftKeyFingerprint,
  },
  {
    name: "GTC_GODL_KEY",
    source: "godl",
    artifact: {
      source: "godl",
      name: "go1.22.5",
      version: "go1.22.5",
      filename: "go1.22.5.linux-amd64.tar.gz",
      url: "https://example.invalid/go1.22.5.linux-amd64.tar.gz",
      sha256: "0".repeat(64),
      sha256Origin: "",
      kind: "tar.gz",
      platform: { goos: "linux", goarch: "amd64" },
      integrity: "sha256+pgp",
      signatureUrl: "https://example.invalid/go1.22.5.linux-amd64.tar.gz.asc",
      notices: [],
    },
    pinned: googleKeyFingerprint,
  },
];

Deno.test("the KEY variables are read when first needed and still pinned", async (t) => {
  const key = await generateTestKey();
  const fs = new MemFs({ "/keys/k.asc": key.armoredPublic });
  for (const v of keyVariables) {
    await t.step(v.name, async () => {
      const s = sourcesFromEnv({ http: noHttp, env: { [v.name]: "/keys/k.asc" }, fs })[v.source];
      // Not the vendor's key: the default pin refuses it (no network involved).
      await assert.rejects(
        s.verify(v.artifact, () => new Blob([]).stream()),
        (e: Error) =>
          e instanceof SecurityError &&
          e.message ===
            `OpenPGP key /keys/k.asc has fingerprint ${key.fingerprint}, not the pinned ${v.pinned}; refusing to use it`,
      );
      // A missing file is an error only when the key is needed.
      const missing =
        sourcesFromEnv({ http: noHttp, env: { [v.name]: "/nope.asc" }, fs })[v.source];
      await assert.rejects(missing.verify(v.artifact, () => new Blob([]).stream()), /\/nope.asc/);
    });
  }
});

Deno.test("plainHttpNotice() warns only for plain HTTP off the loopback", () => {
  assert.match(
    plainHttpNotice("http://mirror.corp/dl/?mode=json")!,
    /http:\/\/mirror.corp over plain HTTP/,
  );
  assert.equal(plainHttpNotice("https://go.dev/dl/?mode=json"), undefined);
  assert.equal(plainHttpNotice("file:///srv/dl/"), undefined);
  assert.equal(plainHttpNotice("http://127.0.0.1:8080/dl/"), undefined);
  assert.equal(plainHttpNotice("http://localhost/dl/"), undefined);
});
