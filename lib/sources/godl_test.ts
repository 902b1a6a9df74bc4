import assert from "node:assert/strict";
import * as openpgp from "openpgp";
import { denoHttp } from "../host/http.ts";
import {
  artifactFor,
  dlArch,
  dlPlatform,
  filterReleases,
  godlKeyUrl,
  GodlSource,
  godlZipNotice,
  parseListing,
  selectRelease,
} from "./godl.ts";
import { googleKeyFingerprint } from "./pgp.ts";
import { type Platform, ResolveError, SecurityError } from "./source.ts";
import {
  DistServer,
  generateTestKey,
  publishGodl,
  signDetached,
  type TestKey,
} from "./test_server.ts";

const listingText = Deno.readTextFileSync(new URL("./testdata/godl_listing.json", import.meta.url));
const listing = parseListing(listingText);
const linuxAmd64: Platform = { goos: "linux", goarch: "amd64" };

Deno.test("parseListing() reads every release and file of the include=all sample", () => {
  assert.equal(listing.length, 11);
  // Newest first in Go version order, prereleases placed by version.
  assert.deepEqual(listing.map((r) => r.version), [
    "go1.23rc2",
    "go1.23rc1",
    "go1.22.5",
    "go1.22.4",
    "go1.22.0",
    "go1.22rc1",
    "go1.21.12",
    "go1.21.0",
    "go1.20.14",
    "go1.20",
    "go1.2.2",
  ]);
  const r = listing.find((r) => r.version === "go1.22.5")!;
  assert.equal(r.stable, true);
  const f = r.files.find((f) => f.filename === "go1.22.5.linux-armv6l.tar.gz")!;
  assert.deepEqual(f, {
    filename: "go1.22.5.linux-armv6l.tar.gz",
    platform: "linux-armv6l",
    kind: "archive",
    sha256: f.sha256,
    size: 65345003,
  });
  assert.match(f.sha256, /^[0-9a-f]{64}$/);
  assert.equal(r.files.find((f) => f.kind === "source")!.platform, "");
  assert.equal(listing.find((r) => r.version === "go1.23rc2")!.stable, false);
  // go1.2.2 predates SHA-256 on the downloads page: its files carry "".
  assert.ok(listing.find((r) => r.version === "go1.2.2")!.files.every((f) => f.sha256 === ""));
});

Deno.test("parseListing() rejects documents that do not fit the schema", async (t) => {
  const bad: [string, RegExp][] = [
    ["{", /invalid JSON/],
    [`{"version":"go1.22.5"}`, /not a JSON array/],
    [`[{"version":"1.22.5","files":[]}]`, /bad version/],
    [`[{"version":"go1.22.5","files":{}}]`, /files is not an array/],
    [
      `[{"version":"go1.22.5","files":[{"filename":"x","os":"linux","kind":"archive"}]}]`,
      /arch is not a string/,
    ],
  ];
  for (const [doc, want] of bad) {
    await t.step(`parseListing(${doc}) throws ${want}`, () => {
      assert.throws(
        () => parseListing(doc),
        (e: Error) => e instanceof SyntaxError && want.test(e.message),
      );
    });
  }
});

Deno.test("dlArch() and dlPlatform() use go.dev/dl's names", () => {
  assert.equal(dlArch("arm"), "armv6l");
  for (const a of ["386", "amd64", "arm64", "ppc64le", "s390x", "loong64", "riscv64"]) {
    assert.equal(dlArch(a), a);
  }
  assert.equal(dlPlatform({ goos: "windows", goarch: "amd64" }), "windows-amd64");
});

Deno.test("filterReleases() drops prereleases unless asked and narrows to a platform", () => {
  assert.equal(filterReleases(listing).length, 8);
  assert.equal(filterReleases(listing, { includeUnstable: true }).length, 11);
  const arm = filterReleases(listing, { platform: { goos: "linux", goarch: "arm" } });
  assert.deepEqual(arm.map((r) => r.files.map((f) => f.filename)), [
    ["go1.22.5.linux-armv6l.tar.gz"],
    ["go1.22.4.linux-armv6l.tar.gz"],
    ["go1.22.0.linux-armv6l.tar.gz"],
    ["go1.21.12.linux-armv6l.tar.gz"],
    ["go1.21.0.linux-armv6l.tar.gz"],
    ["go1.20.14.linux-armv6l.tar.gz"],
    ["go1.20.linux-armv6l.tar.gz"],
  ]);
});

// selectReleaseTests: query, platform, the release it selects or the error it throws.
const selectReleaseTests: [string, Platform, string | RegExp][] = [
  ["latest", linuxAmd64, "go1.22.5"],
  ["go1.22.5", linuxAmd64, "go1.22.5"],
  ["1.22.5", linuxAmd64, "go1.22.5"],
  ["1.22.4", linuxAmd64, "go1.22.4"],
  ["1.22", linuxAmd64, "go1.22.5"],
  ["go1.22", linuxAmd64, "go1.22.5"],
  ["1.21", linuxAmd64, "go1.21.12"],
  ["1.22.0", linuxAmd64, "go1.22.0"],
  // Before 1.21 the .0 release is named without ".0".
  ["1.20", linuxAmd64, "go1.20.14"],
  ["1.20.0", linuxAmd64, "go1.20"],
  ["go1.20", linuxAmd64, "go1.20.14"],
  ["1.23rc1", linuxAmd64, "go1.23rc1"],
  ["go1.23rc2", linuxAmd64, "go1.23rc2"],
  ["1.22rc1", linuxAmd64, "go1.22rc1"],
  ["1.22.5", { goos: "linux", goarch: "arm" }, "go1.22.5"],
  ["1.2", { goos: "linux", goarch: "amd64" }, "go1.2.2"],
  ["1.23", linuxAmd64, /no stable release of go1.23 .*prereleases: go1.23rc2, go1.23rc1/],
  ["1.22.6", linuxAmd64, /go1.22.6 is not a Go release listed/],
  ["1.19", linuxAmd64, /no stable release of go1.19/],
  ["1.22.5", { goos: "plan9", goarch: "amd64" }, /go1.22.5 has no archive for plan9-amd64/],
  ["1.2.2", { goos: "linux", goarch: "arm64" }, /go1.2.2 has no archive for linux-arm64/],
  ["banana", linuxAmd64, /invalid Go version "banana"/],
  ["1.22.5.1", linuxAmd64, /invalid Go version/],
  ["", linuxAmd64, /invalid Go version ""/],
];

Deno.test("selectRelease() resolves queries", async (t) => {
  for (const [q, p, want] of selectReleaseTests) {
    await t.step(`selectRelease(${JSON.stringify(q)}, ${dlPlatform(p)}) = ${want}`, () => {
      if (typeof want === "string") {
        assert.equal(selectRelease(listing, q, p).version, want);
      } else {
        assert.throws(
          () => selectRelease(listing, q, p),
          (e: Error) => e instanceof ResolveError && want.test(e.message),
        );
      }
    });
  }
});

Deno.test("artifactFor() builds <base>/<filename> with the listing's hash", () => {
  const r = selectRelease(listing, "1.22", { goos: "windows", goarch: "amd64" });
  const a = artifactFor(
    r,
    { goos: "windows", goarch: "amd64" },
    "https://mirror.example/golang/",
    "L",
  );
  assert.equal(a.url, "https://mirror.example/golang/go1.22.5.windows-amd64.zip");
  assert.equal(a.kind, "zip");
  assert.equal(a.name, "go1.22.5");
  assert.equal(a.source, "godl");
  // go.dev/dl signs no zip: SHA-256 only, and the user is told.
  assert.equal(a.integrity, "sha256");
  assert.equal(a.signatureUrl, undefined);
  assert.deepEqual(a.notices, [godlZipNotice]);
  assert.equal(a.sha256Origin, "L");
  assert.equal(a.size, listing[2].files.find((f) => f.filename === a.filename)!.size);
});

Deno.test("artifactFor() asks tarballs for <url>.asc under the same base (mirrors too)", () => {
  const r = selectRelease(listing, "1.22", linuxAmd64);
  const a = artifactFor(
    r,
    linuxAmd64,
    "http://mirror.corp/golang/",
    "http://mirror.corp/golang/?l",
  );
  assert.equal(a.url, "http://mirror.corp/golang/go1.22.5.linux-amd64.tar.gz");
  assert.equal(a.signatureUrl, "http://mirror.corp/golang/go1.22.5.linux-amd64.tar.gz.asc");
  assert.equal(a.integrity, "sha256+pgp");
  // The signature covers the bytes, so a plain-http mirror needs no warning for a tarball.
  assert.deepEqual(a.notices, []);
  const zip = artifactFor(
    r,
    { goos: "windows", goarch: "amd64" },
    "http://mirror.corp/golang",
    "http://mirror.corp/golang/?l",
  );
  assert.equal(zip.notices.length, 2);
  assert.match(zip.notices[1], /http:\/\/mirror.corp over plain HTTP/);
});

Deno.test("artifactFor() refuses a file whose sha256 is empty or malformed", () => {
  const old = listing.find((r) => r.version === "go1.2.2")!;
  assert.throws(
    () =>
      artifactFor(old, linuxAmd64, "https://go.dev/dl", "https://go.dev/dl/?mode=json&include=all"),
    (e: Error) =>
      e instanceof SecurityError &&
      /refusing go1.2.2.linux-amd64.tar.gz: .* publishes no SHA-256/.test(e.message),
  );
  const r = structuredClone(listing.find((r) => r.version === "go1.22.5")!);
  const f = r.files.find((f) => f.filename === "go1.22.5.linux-amd64.tar.gz")!;
  f.sha256 = "abc";
  assert.throws(() => artifactFor(r, linuxAmd64, "b", "l"), SecurityError);
  f.sha256 = "a".repeat(64);
  f.filename = "go1.22.5.linux-amd64/../../evil.tar.gz";
  assert.throws(
    () => artifactFor(r, { goos: "linux", goarch: "amd64" }, "b", "l"),
    (e: Error) => e instanceof SecurityError && /malformed file name/.test(e.message),
  );
});

Deno.test("GodlSource fetches the listing once from a mirror base and resolves", async () => {
  const server = new DistServer();
  server.put("/golang/?mode=json&include=all", listingText);
  await using srv = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, server.handler);
  const base = `http://127.0.0.1:${srv.addr.port}/golang`;
  const src = new GodlSource({ http: denoHttp, baseUrl: base + "/" });
  assert.equal(src.listingUrl, `${base}/?mode=json&include=all`);
  const a = await src.resolve("1.21", linuxAmd64);
  assert.equal(a.url, `${base}/go1.21.12.linux-amd64.tar.gz`);
  assert.equal((await src.list()).length, 8);
  await assert.rejects(src.resolve("1.2.2", linuxAmd64), SecurityError);
  assert.equal(server.count("/golang/?mode=json&include=all"), 1);
});

Deno.test("GodlSource reports a listing that is not there", async () => {
  const server = new DistServer();
  await using srv = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, server.handler);
  const src = new GodlSource({
    http: denoHttp,
    baseUrl: `http://127.0.0.1:${srv.addr.port}/dl`,
  });
  await assert.rejects(src.resolve("latest", linuxAmd64), /404 Not Found/);
});

Deno.test("GodlSource pins Google's key by default", () => {
  assert.equal(googleKeyFingerprint, "EB4C1BFD4F042F6DDDCCEC917721F63BD38B4796");
  assert.equal(godlKeyUrl, "https://dl.google.com/linux/linux_signing_key.pub");
});

function streamOf(b: Uint8Array): ReadableStream<Uint8Array> {
  return new Blob([b as BlobPart]).stream();
}

interface Fixture {
  server: DistServer;
  root: string;
  key: TestKey;
  /** The go1.22.5 linux/amd64 tarball as published. */
  data: Uint8Array;
  ascPath: string;
  source(opts?: { trusted?: string[]; key?: Uint8Array }): GodlSource;
  [Symbol.asyncDispose](): Promise<void>;
}

async function fixture(): Promise<Fixture> {
  const server = new DistServer();
  const key = await generateTestKey("Google Inc. (Linux Packages Signing Authority)");
  server.put("/linux/linux_signing_key.pub", key.armoredPublic);
  const archives = await publishGodl({
    server,
    prefix: "/dl",
    releases: [{ version: "go1.22.5" }, {
      version: "go1.22.5",
      platform: { goos: "windows", goarch: "amd64" },
    }],
    key,
  });
  const srv = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, server.handler);
  const root = `http://127.0.0.1:${srv.addr.port}`;
  return {
    server,
    root,
    key,
    data: archives.get("go1.22.5.linux-amd64.tar.gz")!,
    ascPath: "/dl/go1.22.5.linux-amd64.tar.gz.asc",
    source(opts = {}) {
      return new GodlSource({
        http: denoHttp,
        baseUrl: `${root}/dl`,
        keyUrl: `${root}/linux/linux_signing_key.pub`,
        trustedFingerprints: opts.trusted ?? [key.fingerprint],
        ...(opts.key ? { key: opts.key, keyOrigin: "/etc/gtc/google.asc" } : {}),
      });
    },
    async [Symbol.asyncDispose]() {
      await srv.shutdown();
    },
  };
}

// rotatedKey makes a key shaped like Google's: a primary that never expires
// and a signing subkey that expired long ago, plus an archive signed by that
// subkey while it was valid.
async function rotatedKey(data: Uint8Array): Promise<{ key: TestKey; asc: Uint8Array }> {
  const day = 86_400_000;
  const created = new Date(Date.now() - 3 * 365 * day);
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: "ecc",
    curve: "ed25519Legacy",
    userIDs: [{ name: "rotating signer" }],
    format: "object",
    date: created,
    subkeys: [{ sign: true, keyExpirationTime: 365 * 86_400 }],
  });
  const sub = privateKey.subkeys[0].getKeyID();
  // The case under test: the subkey that signed is expired by now.
  assert.ok(Number(await publicKey.subkeys[0].getExpirationTime()) < Date.now());
  const asc = await openpgp.sign({
    message: await openpgp.createMessage({ binary: data }),
    signingKeys: privateKey,
    signingKeyIDs: [sub],
    detached: true,
    date: new Date(created.getTime() + 100 * day),
  });
  return {
    key: {
      privateKey,
      armoredPublic: publicKey.armor(),
      fingerprint: publicKey.getFingerprint().toUpperCase(),
    },
    asc: new TextEncoder().encode(asc as string),
  };
}

// verifyTests: how the server (or the source's key) is changed, and the
// check verify() reports or the SecurityError it throws.
const verifyTests: {
  name: string;
  setup?: (f: Fixture) => Promise<{ trusted?: string[]; key?: Uint8Array } | void>;
  data?: (f: Fixture) => Uint8Array;
  want: RegExp;
  ok?: boolean;
}[] = [
  {
    name: "a good armored signature by the pinned key passes",
    want: /^pgp: signed by [0-9A-F]{40} \(Google Inc. \(Linux Packages Signing Authority\)/,
    ok: true,
  },
  {
    name: "a binary signature passes too",
    setup: async (f) => f.server.put(f.ascPath, await signDetached(f.key, f.data)),
    want: /^pgp: signed by /,
    ok: true,
  },
  {
    name: "a key file holding another key before the pinned one passes",
    setup: async (f) => {
      const old = await generateTestKey("obsolete DSA-era key");
      f.server.put("/linux/linux_signing_key.pub", old.armoredPublic + "\n" + f.key.armoredPublic);
    },
    want: /^pgp: signed by /,
    ok: true,
  },
  {
    name: "a signature by a rotated signing subkey that has since expired passes",
    setup: async (f) => {
      const r = await rotatedKey(f.data);
      f.server.put(f.ascPath, r.asc);
      f.server.put("/linux/linux_signing_key.pub", r.key.armoredPublic);
      return { trusted: [r.key.fingerprint] };
    },
    want: /^pgp: signed by .*rotating signer/,
    ok: true,
  },
  {
    name: "a signature by another key is refused",
    setup: async (f) =>
      f.server.put(f.ascPath, await signDetached(await generateTestKey("impostor"), f.data, true)),
    want:
      /^verifying go1.22.5.linux-amd64.tar.gz: bad OpenPGP signature .*\.asc: Could not find signing key/,
  },
  {
    name: "altered bytes are refused (the signature no longer matches)",
    data: (f) => {
      const d = f.data.slice();
      d[d.length - 1] ^= 1;
      return d;
    },
    want: /bad OpenPGP signature .*Signed digest did not match/,
  },
  {
    name: "a key whose fingerprint is not the pinned one is refused, however valid its signature",
    setup: () => Promise.resolve({ trusted: [googleKeyFingerprint] }),
    want: new RegExp(
      `OpenPGP key http://127.0.0.1:\\d+/linux/linux_signing_key.pub has fingerprint [0-9A-F]{40}, ` +
        `not the pinned ${googleKeyFingerprint}; refusing to use it`,
    ),
  },
  {
    name: "a configured key file that is not pinned is refused",
    setup: async () => ({
      trusted: [googleKeyFingerprint],
      key: new TextEncoder().encode((await generateTestKey()).armoredPublic),
    }),
    want: /OpenPGP key \/etc\/gtc\/google.asc has fingerprint [0-9A-F]{40}, not the pinned EB4C/,
  },
  {
    name: "a missing .asc is refused, naming the URL and what to do",
    setup: (f) => Promise.resolve(void f.server.files.delete(f.ascPath)),
    want: new RegExp(
      "^verifying go1.22.5.linux-amd64.tar.gz: signature not found at " +
        "http://127.0.0.1:\\d+/dl/go1.22.5.linux-amd64.tar.gz.asc; " +
        "gtc installs go.dev/dl tarballs only with Google's signature.*" +
        "--source goproxy.*GTC_GODL_MIRROR must serve each <archive>.asc",
    ),
  },
  {
    name: "a corrupt .asc is refused",
    setup: (f) =>
      Promise.resolve(f.server.put(f.ascPath, "-----BEGIN PGP SIGNATURE-----\n\ngarbage\n")),
    want: /^verifying go1.22.5.linux-amd64.tar.gz: malformed OpenPGP signature .*\.asc/,
  },
  {
    name: "an .asc that is not a signature at all is refused",
    setup: (f) => Promise.resolve(f.server.put(f.ascPath, "<html>not found</html>")),
    want: /malformed OpenPGP signature/,
  },
];

Deno.test("GodlSource.verify() checks the .asc against the pinned key", async (t) => {
  for (const tc of verifyTests) {
    await t.step(tc.name, async () => {
      await using f = await fixture();
      const opts = (await tc.setup?.(f)) ?? {};
      const src = f.source(opts);
      const a = await src.resolve("1.22.5", linuxAmd64);
      const data = tc.data?.(f) ?? f.data;
      if (tc.ok) {
        const v = await src.verify(a, () => streamOf(data));
        assert.equal(v.checks.length, 1);
        assert.match(v.checks[0], tc.want);
      } else {
        await assert.rejects(
          src.verify(a, () => streamOf(data)),
          (e: Error) => {
            assert.ok(e instanceof SecurityError, `${e.name}: ${e.message}`);
            assert.match(e.message, tc.want);
            // Evidence names what was refused, without asking the server again.
            assert.ok((e.evidence.file ?? e.evidence.key ?? "") !== "", JSON.stringify(e.evidence));
            return true;
          },
        );
      }
    });
  }
});

Deno.test("GodlSource fetches the key once, and the .asc from the archive's base", async () => {
  await using f = await fixture();
  const src = f.source();
  const a = await src.resolve("1.22.5", linuxAmd64);
  assert.equal(a.integrity, "sha256+pgp");
  assert.equal(a.signatureUrl, `${f.root}/dl/go1.22.5.linux-amd64.tar.gz.asc`);
  await src.verify(a, () => streamOf(f.data));
  await src.verify(a, () => streamOf(f.data));
  assert.equal(f.server.count("/linux/linux_signing_key.pub"), 1);
  assert.equal(f.server.count(f.ascPath), 2);
});

Deno.test("GodlSource.verify() checks nothing more for a Windows zip, and fetches nothing", async () => {
  await using f = await fixture();
  const src = f.source();
  const a = await src.resolve("1.22.5", { goos: "windows", goarch: "amd64" });
  assert.equal(a.integrity, "sha256");
  assert.deepEqual(a.notices, [godlZipNotice]);
  assert.deepEqual(await src.verify(a, () => streamOf(new Uint8Array())), { checks: [] });
  assert.equal(f.server.count("/linux/linux_signing_key.pub"), 0);
});

Deno.test("GodlSource.verify() checks every tarball, whatever the artifact claims", async () => {
  await using f = await fixture();
  const src = f.source();
  const a = await src.resolve("1.22.5", linuxAmd64);
  // An artifact built elsewhere that claims SHA-256 is enough for a tarball is still checked.
  f.server.put(f.ascPath, await signDetached(await generateTestKey("impostor"), f.data, true));
  await assert.rejects(
    src.verify({ ...a, integrity: "sha256" }, () => streamOf(f.data)),
    (e: Error) => e instanceof SecurityError && /Could not find signing key/.test(e.message),
  );
  await assert.rejects(
    src.verify({ ...a, signatureUrl: undefined }, () => streamOf(f.data)),
    (e: Error) => e instanceof SecurityError && /no signature URL/.test(e.message),
  );
});
