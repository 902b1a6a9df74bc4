import assert from "node:assert/strict";
import { denoHttp } from "../host/http.ts";
import {
  artifactFor,
  dlArch,
  dlPlatform,
  filterReleases,
  GodlSource,
  parseListing,
  selectRelease,
} from "./godl.ts";
import { type Platform, ResolveError, SecurityError } from "./source.ts";
import { DistServer } from "./test_server.ts";

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
  assert.equal(a.integrity, "sha256");
  assert.equal(a.sha256Origin, "L");
  assert.equal(a.size, listing[2].files.find((f) => f.filename === a.filename)!.size);
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
