import assert from "node:assert/strict";
import { denoHttp } from "../host/http.ts";
import { denoStoreFs } from "../host/store_fs.ts";
import {
  type Artifact,
  GodlSource,
  godlZipNotice,
  googleKeyFingerprint,
  MicrosoftSource,
  SecurityError,
  windowsIntegrityNotice,
} from "../sources/mod.ts";
import {
  type DistEntry,
  DistServer,
  generateTestKey,
  goDistribution,
  godlListing,
  makeTarGz,
  publishGodl,
  publishMicrosoftBuild,
  sha256Hex,
  signDetached,
  type TestKey,
} from "../sources/test_server.ts";
import { ArchiveError } from "./extract.ts";
import type { Limits } from "./extract.ts";
import { Store } from "./store.ts";

const linux = { goos: "linux", goarch: "amd64" };
const windows = { goos: "windows", goarch: "amd64" };

interface Env {
  server: DistServer;
  root: string;
  home: string;
  key: TestKey;
  store: Store;
  godl(trusted?: string[]): GodlSource;
  microsoft(trusted?: string[]): MicrosoftSource;
  /**
   * Publish go.dev/dl releases under /dl, tarballs signed by key into .asc
   * files: version → archive members (default: a good distribution), per
   * platform. Returns the archives by file name.
   */
  publishGodl(
    releases: {
      version: string;
      platform?: typeof linux;
      entries?: DistEntry[];
      sha256?: string;
    }[],
  ): Promise<Map<string, Uint8Array>>;
  /** Everything under $GTC_HOME, as "dir/", "file" and "link@". */
  files(): string[];
  [Symbol.asyncDispose](): Promise<void>;
}

async function env(limits?: Partial<Limits>): Promise<Env> {
  const server = new DistServer();
  const srv = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, server.handler);
  const root = `http://127.0.0.1:${srv.addr.port}`;
  const home = Deno.makeTempDirSync({ prefix: "gtc-store-" });
  const key = await generateTestKey();
  // One generated key stands for both vendors' keys; each source pins its fingerprint.
  server.put("/keys/ms.asc", key.armoredPublic);
  server.put("/linux/linux_signing_key.pub", key.armoredPublic);
  const http = denoHttp;
  let now = Date.UTC(2024, 6, 10, 12, 0, 0);
  const store = new Store({
    home,
    fs: denoStoreFs,
    http,
    now: () => new Date(now += 60_000),
    limits: limits ?? {},
  });
  const e: Env = {
    server,
    root,
    home,
    key,
    store,
    godl: (trusted = [key.fingerprint]) =>
      new GodlSource({
        http,
        baseUrl: `${root}/dl`,
        keyUrl: `${root}/linux/linux_signing_key.pub`,
        trustedFingerprints: trusted,
      }),
    microsoft: (trusted = [key.fingerprint]) =>
      new MicrosoftSource({
        http,
        baseUrl: `${root}/ms`,
        keyUrl: `${root}/keys/ms.asc`,
        trustedFingerprints: trusted,
      }),
    publishGodl: (releases) => publishGodl({ server, prefix: "/dl", releases, key }),
    files() {
      const walk = (dir: string, rel: string): string[] => {
        const out: string[] = [];
        let ents: Deno.DirEntry[];
        try {
          ents = [...Deno.readDirSync(dir)];
        } catch {
          return out;
        }
        for (const d of ents.sort((a, b) => a.name < b.name ? -1 : 1)) {
          const r = rel + d.name;
          if (d.isSymlink) out.push(r + "@");
          else if (d.isDirectory) out.push(r + "/", ...walk(`${dir}/${d.name}`, r + "/"));
          else out.push(r);
        }
        return out;
      };
      return walk(home, "");
    },
    async [Symbol.asyncDispose]() {
      await srv.shutdown();
      Deno.removeSync(home, { recursive: true });
    },
  };
  return e;
}

// assertNothingInstalled checks the store holds no toolchain, no link and no temporary file.
function assertNothingInstalled(e: Env) {
  assert.deepEqual(e.store.list(), []);
  const leftovers = e.files().filter((f) =>
    !f.endsWith("/") && f !== "toolchains/.lock" && f !== "toolchains/.meta.lock"
  );
  assert.deepEqual(leftovers, [], "files left in $GTC_HOME");
}

function run(exe: string, env: Record<string, string> = {}): string {
  const out = new Deno.Command(exe, { args: ["version"], env, stdout: "piped", stderr: "piped" })
    .outputSync();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test("install go.dev/dl go1.22.5: GOROOT, metadata, bin link that runs", async () => {
  await using e = await env();
  await e.publishGodl([{ version: "go1.22.5" }, { version: "go1.21.12" }]);
  const src = e.godl();
  const a = await src.resolve("1.22", linux);
  const res = await e.store.install(src, a);
  assert.equal(res.alreadyInstalled, false);
  const t = res.toolchain;
  assert.equal(t.name, "go1.22.5");
  assert.equal(t.source, "godl");
  assert.equal(t.goroot, `${e.home}/toolchains/godl/go1.22.5`);
  assert.equal(t.sha256, a.sha256);
  // Both the listing's SHA-256 and Google's (here: the test key's) signature vouch for it.
  assert.equal(t.integrity, "sha256+pgp");
  assert.deepEqual(t.checks, [
    `pgp: signed by ${e.key.fingerprint} (gtc test signer <signer@example.com>)`,
  ]);
  assert.deepEqual(t.notices, []);
  assert.deepEqual(t.env, {});
  assert.equal(t.installedAt, "2024-07-10T12:01:00.000Z");
  assert.equal(t.linked, true);
  assert.deepEqual(e.files(), [
    "bin/",
    "bin/go1.22.5@",
    "toolchains/",
    "toolchains/.lock",
    "toolchains/.meta.lock",
    "toolchains/godl/",
    "toolchains/godl/go1.22.5/",
    "toolchains/godl/go1.22.5/VERSION",
    "toolchains/godl/go1.22.5/bin/",
    "toolchains/godl/go1.22.5/bin/go",
    "toolchains/godl/go1.22.5/bin/gofmt",
    "toolchains/godl/go1.22.5/go.env",
    "toolchains/godl/go1.22.5/pkg/",
    "toolchains/godl/go1.22.5/pkg/tool/",
    "toolchains/godl/go1.22.5/pkg/tool/linux_amd64/",
    "toolchains/godl/go1.22.5/pkg/tool/linux_amd64/compile",
    "toolchains/godl/go1.22.5/src/",
    "toolchains/godl/go1.22.5/src/fmt/",
    "toolchains/godl/go1.22.5/src/fmt/print.go",
    "toolchains/godl/go1.22.5.json",
  ]);
  assert.equal(Deno.readLinkSync(`${e.home}/bin/go1.22.5`), "../toolchains/godl/go1.22.5/bin/go");
  if (Deno.build.os !== "windows") {
    assert.equal(run(`${e.home}/bin/go1.22.5`), "go version go1.22.5 linux/amd64");
  }
  const md = JSON.parse(Deno.readTextFileSync(`${e.home}/toolchains/godl/go1.22.5.json`));
  assert.equal(md.schema, 1);
  assert.equal(md.url, `${e.root}/dl/go1.22.5.linux-amd64.tar.gz`);
  assert.equal(md.integrity, "sha256+pgp");

  // A second install downloads nothing, signature included.
  const before = e.server.count("/dl/go1.22.5.linux-amd64.tar.gz");
  const again = await e.store.install(src, a);
  assert.equal(again.alreadyInstalled, true);
  assert.equal(e.server.count("/dl/go1.22.5.linux-amd64.tar.gz"), before);
  assert.equal(e.server.count("/dl/go1.22.5.linux-amd64.tar.gz.asc"), 1);
  assert.deepEqual(e.store.list().map((t) => t.name), ["go1.22.5"]);
});

Deno.test("install a Microsoft build: signature checked, GOTOOLCHAIN=local recorded", async () => {
  await using e = await env();
  await publishMicrosoftBuild({
    server: e.server,
    prefix: "/ms",
    version: "1.22.5-1",
    platforms: ["linux-amd64"],
    key: e.key,
  });
  const src = e.microsoft();
  const a = await src.resolve("go1.22", linux);
  const { toolchain: t } = await e.store.install(src, a);
  assert.equal(t.name, "go1.22.5-1");
  assert.equal(t.version, "go1.22.5");
  assert.equal(t.source, "microsoft");
  assert.equal(t.integrity, "sha256+pgp");
  assert.deepEqual(t.env, { GOTOOLCHAIN: "local" });
  assert.match(t.checks[0], new RegExp(`^pgp: signed by ${e.key.fingerprint}`));
  assert.equal(Deno.readTextFileSync(`${t.goroot}/MICROSOFT_REVISION`), "1\n");
  assert.equal(
    Deno.readLinkSync(`${e.home}/bin/go1.22.5-1`),
    "../toolchains/microsoft/go1.22.5-1/bin/go",
  );
  if (Deno.build.os !== "windows") {
    assert.equal(run(`${e.home}/bin/go1.22.5-1`), "go version go1.22.5 linux/amd64");
  }
  assert.equal(e.store.get("go1.22.5-1")?.source, "microsoft");
});

Deno.test("install a Microsoft Windows zip: SHA-256 only, and the notice is reported", async () => {
  await using e = await env();
  await publishMicrosoftBuild({
    server: e.server,
    prefix: "/ms",
    version: "1.22.5-1",
    platforms: ["windows-amd64"],
    key: e.key,
  });
  const src = e.microsoft();
  const notices: string[] = [];
  const { toolchain: t } = await e.store.install(src, await src.resolve("1.22.5-1", windows), {
    onNotice: (n) => notices.push(n),
  });
  assert.deepEqual(notices, [windowsIntegrityNotice]);
  assert.deepEqual(t.notices, [windowsIntegrityNotice]);
  assert.equal(t.integrity, "sha256");
  assert.ok(e.files().includes("toolchains/microsoft/go1.22.5-1/bin/go.exe"));
});

// Tamper tests: each must fail with a SecurityError and leave nothing installed.

Deno.test("tamper: go.dev/dl archive that does not match the listing's sha256", async () => {
  await using e = await env();
  await e.publishGodl([{ version: "go1.22.5" }]);
  const evil = await makeTarGz(goDistribution({ version: "go1.22.5-evil", ...linux }));
  const src = e.godl();
  const a = await src.resolve("1.22.5", linux);
  e.server.put("/dl/go1.22.5.linux-amd64.tar.gz", evil);
  await assert.rejects(
    e.store.install(src, { ...a, size: evil.length }),
    (err: Error) =>
      err instanceof SecurityError &&
      err.message.startsWith(
        "verifying go1.22.5.linux-amd64.tar.gz: checksum mismatch\n\tdownloaded: ",
      ) &&
      err.message.includes(`\tpublished:  ${a.sha256} (${e.root}/dl/?mode=json&include=all)`) &&
      err.message.includes("SECURITY ERROR") &&
      err.evidence.downloaded !== a.sha256,
  );
  assertNothingInstalled(e);
});

Deno.test("tamper: empty sha256 in the listing is refused, at resolve and at install", async () => {
  await using e = await env();
  await e.publishGodl([{ version: "go1.22.5", sha256: "" }]);
  const src = e.godl();
  await assert.rejects(
    src.resolve("1.22.5", linux),
    (err: Error) => err instanceof SecurityError && /publishes no SHA-256/.test(err.message),
  );
  // An artifact built by other code with an empty hash is refused before any download.
  const forged: Artifact = {
    source: "godl",
    name: "go1.22.5",
    version: "go1.22.5",
    filename: "go1.22.5.linux-amd64.tar.gz",
    url: `${e.root}/dl/go1.22.5.linux-amd64.tar.gz`,
    sha256: "",
    sha256Origin: "",
    kind: "tar.gz",
    platform: linux,
    integrity: "sha256",
    notices: [],
  };
  await assert.rejects(e.store.install(src, forged), /no SHA-256 to verify it against/);
  assert.equal(e.server.count("/dl/go1.22.5.linux-amd64.tar.gz"), 0);
  assertNothingInstalled(e);
});

// godlSignatureTamper: what an attacker (or a broken mirror) does to a
// go.dev/dl tarball's signature, and the refusal it must produce. Each case
// must install nothing.
const godlSignatureTamper: {
  name: string;
  tamper: (e: Env, archive: Uint8Array) => Promise<void>;
  /** Fingerprints the source pins. @default the test key's */
  trusted?: (e: Env) => string[];
  want: RegExp;
}[] = [
  {
    // The mirror serves its own archive with a matching listing, but cannot sign.
    name: "archive and listing replaced consistently, old signature kept",
    tamper: async (e) => {
      await publishGodl({
        server: e.server,
        prefix: "/dl",
        releases: [{
          version: "go1.22.5",
          entries: goDistribution({ version: "go1.22.5", ...linux }).concat([
            { name: "go/EVIL", data: "x" },
          ]),
        }],
      });
    },
    want: /bad OpenPGP signature .*\.asc: Signed digest did not match/,
  },
  {
    name: "signature by another key",
    tamper: async (e, archive) =>
      e.server.put(
        "/dl/go1.22.5.linux-amd64.tar.gz.asc",
        await signDetached(await generateTestKey("impostor"), archive, true),
      ),
    want: /bad OpenPGP signature .*Could not find signing key/,
  },
  {
    // The attacker re-signs and serves their own key where Google's is published.
    name: "signature by a key whose fingerprint is not pinned",
    tamper: async (e, archive) => {
      const attacker = await generateTestKey("Google Inc. (Linux Packages Signing Authority)");
      e.server.put("/linux/linux_signing_key.pub", attacker.armoredPublic);
      e.server.put(
        "/dl/go1.22.5.linux-amd64.tar.gz.asc",
        await signDetached(attacker, archive, true),
      );
    },
    want:
      /OpenPGP key .*\/linux\/linux_signing_key.pub has fingerprint [0-9A-F]{40}, not the pinned/,
  },
  {
    name: "the real pin refuses the test key",
    tamper: () => Promise.resolve(),
    trusted: () => [googleKeyFingerprint],
    want: new RegExp(`not the pinned ${googleKeyFingerprint}`),
  },
  {
    name: "missing .asc",
    tamper: (e) =>
      Promise.resolve(void e.server.files.delete("/dl/go1.22.5.linux-amd64.tar.gz.asc")),
    want:
      /signature not found at http:\/\/127\.0\.0\.1:\d+\/dl\/go1\.22\.5\.linux-amd64\.tar\.gz\.asc; /,
  },
  {
    name: "corrupt .asc",
    tamper: (e) =>
      Promise.resolve(
        e.server.put(
          "/dl/go1.22.5.linux-amd64.tar.gz.asc",
          "-----BEGIN PGP SIGNATURE-----\n\n!!\n",
        ),
      ),
    want: /malformed OpenPGP signature/,
  },
];

Deno.test("tamper: go.dev/dl tarball whose signature does not verify installs nothing", async (t) => {
  for (const tc of godlSignatureTamper) {
    await t.step(tc.name, async () => {
      await using e = await env();
      const archives = await e.publishGodl([{ version: "go1.22.5" }]);
      await tc.tamper(e, archives.get("go1.22.5.linux-amd64.tar.gz")!);
      const src = e.godl(tc.trusted?.(e));
      const a = await src.resolve("1.22.5", linux);
      await assert.rejects(
        e.store.install(src, a),
        (err: Error) => {
          assert.ok(err instanceof SecurityError, `${err.name}: ${err.message}`);
          assert.match(err.message, tc.want);
          return true;
        },
      );
      assertNothingInstalled(e);
      assert.throws(() => Deno.lstatSync(`${e.home}/bin/go1.22.5`));
    });
  }
});

Deno.test("install a go.dev/dl Windows zip: SHA-256 only, and the notice is reported", async () => {
  await using e = await env();
  await e.publishGodl([{ version: "go1.22.5", platform: windows }]);
  const src = e.godl();
  const notices: string[] = [];
  const { toolchain: t } = await e.store.install(src, await src.resolve("1.22.5", windows), {
    onNotice: (n) => notices.push(n),
  });
  assert.deepEqual(notices, [godlZipNotice]);
  assert.deepEqual(t.notices, [godlZipNotice]);
  assert.equal(t.integrity, "sha256");
  assert.deepEqual(t.checks, []);
  assert.equal(e.server.count("/linux/linux_signing_key.pub"), 0);
  assert.ok(e.files().includes("toolchains/godl/go1.22.5/bin/go.exe"));
});

Deno.test("tamper: Microsoft archive whose bytes differ from assets.json and .sha256", async () => {
  await using e = await env();
  await publishMicrosoftBuild({
    server: e.server,
    prefix: "/ms",
    version: "1.22.5-1",
    platforms: ["linux-amd64"],
    key: e.key,
    tamper: (_p, data) => {
      const d = data.slice();
      d[d.length - 5] ^= 0xff;
      return d;
    },
  });
  const src = e.microsoft();
  await assert.rejects(
    e.store.install(src, await src.resolve("1.22", linux)),
    (err: Error) => err instanceof SecurityError && /checksum mismatch/.test(err.message),
  );
  assertNothingInstalled(e);
});

Deno.test("tamper: bad OpenPGP signature (archive and checksums replaced consistently)", async () => {
  await using e = await env();
  await publishMicrosoftBuild({
    server: e.server,
    prefix: "/ms",
    version: "1.22.5-1",
    platforms: ["linux-amd64"],
    key: e.key,
  });
  // An attacker controlling the mirror swaps archive, assets.json and .sha256, but cannot sign.
  const evil = await makeTarGz(
    goDistribution({ version: "go1.22.5", ...linux }).concat([{ name: "go/EVIL", data: "x" }]),
  );
  const sum = await sha256Hex(evil);
  for (const v of ["1.22", "1.22.5", "1.22.5-1"]) {
    const assets = JSON.parse(
      new TextDecoder().decode(e.server.files.get(`/ms/go${v}.assets.json`)!),
    );
    assets.arches[0].sha256 = sum;
    e.server.put(`/ms/go${v}.assets.json`, JSON.stringify(assets));
    e.server.put(`/ms/go${v}.linux-amd64.tar.gz`, evil);
    e.server.put(`/ms/go${v}.linux-amd64.tar.gz.sha256`, `${sum}  x.tar.gz\n`);
  }
  const src = e.microsoft();
  await assert.rejects(
    e.store.install(src, await src.resolve("1.22", linux)),
    (err: Error) =>
      err instanceof SecurityError &&
      /bad OpenPGP signature .*Signed digest did not match/.test(err.message),
  );
  assertNothingInstalled(e);
});

// elfHeader is the first bytes of an ELF executable for e_machine.
function elfHeader(machine: number): Uint8Array {
  const h = new Uint8Array(64);
  h.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  new DataView(h.buffer).setUint16(18, machine, true);
  return h;
}

// Issue 9.5: the signature binds the bytes, not the name, and the listing's
// SHA-256 comes from the same mirror: a validly signed and hashed archive of
// another version, revision or platform served under the requested name is
// refused after extraction, before anything is visible.
Deno.test("tamper: a signed archive of another version, revision or platform under this name", async (t) => {
  const godlCases: { name: string; entries: DistEntry[]; want: RegExp }[] = [
    {
      name: "go1.21.0 served as go1.22.5",
      entries: goDistribution({ version: "go1.21.0", ...linux }),
      want: /holds VERSION "go1\.21\.0", not go1\.22\.5/,
    },
    {
      name: "darwin/arm64 served as linux/amd64",
      entries: goDistribution({ version: "go1.22.5", goos: "darwin", goarch: "arm64" }),
      want: /holds pkg\/tool for darwin_arm64, not linux\/amd64/,
    },
    {
      name: "an arm64 bin/go in a linux/amd64 layout",
      entries: goDistribution({ version: "go1.22.5", ...linux }).map((x) =>
        x.name === "go/bin/go" ? { ...x, data: elfHeader(183) } : x
      ),
      want: /holds bin\/go built as ELF machine 0xb7, not ELF for linux\/amd64/,
    },
    {
      name: "no VERSION file",
      entries: goDistribution({ version: "go1.22.5", ...linux }).filter((x) =>
        x.name !== "go/VERSION"
      ),
      want: /holds VERSION no VERSION file, not go1\.22\.5/,
    },
  ];
  for (const c of godlCases) {
    await t.step(`go.dev/dl: ${c.name}`, async () => {
      await using e = await env();
      await e.publishGodl([{ version: "go1.22.5", entries: c.entries }]);
      const src = e.godl();
      const a = await src.resolve("1.22.5", linux);
      await assert.rejects(e.store.install(src, a), (err: Error) => {
        assert.ok(err instanceof SecurityError, String(err));
        assert.match(err.message, c.want);
        assert.match(err.message, /go1\.22\.5\.linux-amd64\.tar\.gz/);
        return true;
      });
      assertNothingInstalled(e);
    });
  }
  const msCases: { name: string; packed: string; want: RegExp }[] = [
    {
      name: "go1.21.0-1 served as go1.22.5-2",
      packed: "1.21.0-1",
      want: /holds VERSION "go1\.21\.0", not go1\.22\.5/,
    },
    {
      name: "revision 1 served as revision 2",
      packed: "1.22.5-1",
      want: /holds MICROSOFT_REVISION "1", not revision 2 \(go1\.22\.5-2\)/,
    },
  ];
  for (const c of msCases) {
    await t.step(`Microsoft: ${c.name}`, async () => {
      await using e = await env();
      await publishMicrosoftBuild({
        server: e.server,
        prefix: "/ms",
        version: "1.22.5-2",
        packed: c.packed,
        platforms: ["linux-amd64"],
        key: e.key,
      });
      const src = e.microsoft();
      const a = await src.resolve("1.22.5-2", linux);
      await assert.rejects(e.store.install(src, a), (err: Error) => {
        assert.ok(err instanceof SecurityError, String(err));
        assert.match(err.message, c.want);
        return true;
      });
      assertNothingInstalled(e);
    });
  }
});

Deno.test("tamper: signature by a key whose fingerprint is not pinned", async () => {
  await using e = await env();
  // The attacker re-signs with their own key and serves it as the public key.
  const attacker = await generateTestKey("Managed Languages Compiler Dev Team");
  const archives = await publishMicrosoftBuild({
    server: e.server,
    prefix: "/ms",
    version: "1.22.5-1",
    platforms: ["linux-amd64"],
    key: attacker,
  });
  e.server.put("/keys/ms.asc", attacker.armoredPublic);
  e.server.put(
    "/ms/go1.22.5-1.linux-amd64.tar.gz.sig",
    await signDetached(attacker, archives.get("linux-amd64")!),
  );
  const src = e.microsoft(); // pinned to e.key's fingerprint
  await assert.rejects(
    e.store.install(src, await src.resolve("1.22", linux)),
    (err: Error) =>
      err instanceof SecurityError &&
      err.message.includes(
        `has fingerprint ${attacker.fingerprint}, not the pinned ${e.key.fingerprint}`,
      ),
  );
  assertNothingInstalled(e);
});

Deno.test("tamper: unsafe archives that match their checksums are refused", async (t) => {
  const good = goDistribution({ version: "go1.22.5", ...linux });
  const cases: [string, DistEntry[], RegExp, Partial<Limits>?][] = [
    ["tar with ../evil", [...good, { name: "go/../evil", data: "pwned" }], /escapes the archive/],
    [
      "tar with an absolute path",
      [...good, { name: "/tmp/gtc-evil", data: "pwned" }],
      /absolute path/,
    ],
    [
      "tar with a symlink",
      [...good, { name: "go/bin/go2", type: "symlink", linkname: "/bin/sh" }],
      /symlink to "\/bin\/sh"/,
    ],
    ["oversize file", good, /file larger than 40 bytes/, { maxFileBytes: 40 }],
    ["no go/bin/go", good.filter((x) => x.name !== "go/bin/go"), /no go\/bin\/go in the archive/],
  ];
  for (const [name, entries, want, limits] of cases) {
    await t.step(name, async () => {
      await using e = await env(limits);
      await e.publishGodl([{ version: "go1.22.5", entries }]);
      const src = e.godl();
      await assert.rejects(
        e.store.install(src, await src.resolve("1.22.5", linux)),
        (err: Error) => err instanceof SecurityError && want.test(err.message),
      );
      assertNothingInstalled(e);
      assert.throws(() => Deno.lstatSync(`${e.home}/toolchains/godl/evil`));
      assert.throws(() => Deno.lstatSync("/tmp/gtc-evil"));
    });
  }
});

Deno.test("tamper: a download larger than the declared size is cut off", async () => {
  await using e = await env();
  await e.publishGodl([{ version: "go1.22.5" }]);
  const src = e.godl();
  const a = await src.resolve("1.22.5", linux);
  await assert.rejects(
    e.store.install(src, { ...a, size: 100 }),
    /more than the declared 100 bytes/,
  );
  assertNothingInstalled(e);
});

Deno.test("tamper: a toolchain name that could leave the store is refused", async () => {
  await using e = await env();
  await e.publishGodl([{ version: "go1.22.5" }]);
  const src = e.godl();
  const a = await src.resolve("1.22.5", linux);
  await assert.rejects(
    e.store.install(src, { ...a, name: "go1.22.5/../../../x" }),
    /not a Go toolchain name/,
  );
  assertNothingInstalled(e);
});

Deno.test("crash leftovers are invisible to list() and removed by the next install", async () => {
  await using e = await env();
  await e.publishGodl([{ version: "go1.22.5" }, { version: "go1.21.12" }]);
  const dir = `${e.home}/toolchains/godl`;
  Deno.mkdirSync(`${dir}/.tmp-abc/bin`, { recursive: true });
  Deno.writeFileSync(`${dir}/.tmp-abc.download`, new Uint8Array(10));
  // A crash after the rename but before the metadata: a GOROOT with no .json.
  Deno.mkdirSync(`${dir}/go1.21.12/bin`, { recursive: true });
  Deno.mkdirSync(`${e.home}/bin`, { recursive: true });
  Deno.symlinkSync("../toolchains/godl/go1.21.12/bin/go", `${e.home}/bin/.tmp-xyz`);
  assert.deepEqual(e.store.list(), []);
  assert.equal(e.store.get("go1.21.12"), undefined);
  const src = e.godl();
  await e.store.install(src, await src.resolve("1.22.5", linux));
  assert.deepEqual(e.store.list().map((t) => t.name), ["go1.22.5"]);
  assert.deepEqual(e.files().filter((f) => f.includes(".tmp-") || f.includes("go1.21.12")), []);
  // The half-installed name installs cleanly afterwards.
  await e.store.install(src, await src.resolve("1.21.12", linux));
  assert.deepEqual(e.store.list().map((t) => t.name), ["go1.21.12", "go1.22.5"]);
});

Deno.test("touch() records lastUsed; remove() deletes tree, metadata and link", async () => {
  await using e = await env();
  await e.publishGodl([{ version: "go1.22.5" }]);
  const src = e.godl();
  const { toolchain } = await e.store.install(src, await src.resolve("latest", linux));
  assert.equal(toolchain.lastUsed, toolchain.installedAt);
  assert.equal(await e.store.touch("go1.22.5"), true);
  const t = e.store.get("go1.22.5")!;
  assert.ok(t.lastUsed > t.installedAt);
  assert.equal(t.installedAt, toolchain.installedAt);
  assert.equal(await e.store.touch("go1.99.0"), false);

  assert.equal(await e.store.remove("go1.22.5"), true);
  assert.equal(await e.store.remove("go1.22.5"), false);
  assertNothingInstalled(e);
  assert.throws(() => Deno.lstatSync(`${e.home}/bin/go1.22.5`));
});

Deno.test("install(force) replaces a toolchain; a broken link is repaired by reinstalling", async () => {
  await using e = await env();
  await e.publishGodl([{ version: "go1.22.5" }]);
  const src = e.godl();
  const a = await src.resolve("1.22.5", linux);
  await e.store.install(src, a);
  Deno.writeTextFileSync(`${e.home}/toolchains/godl/go1.22.5/STRAY`, "x");
  Deno.removeSync(`${e.home}/bin/go1.22.5`);
  assert.equal(e.store.get("go1.22.5")?.linked, false);
  const again = await e.store.install(src, a);
  assert.equal(again.alreadyInstalled, true);
  assert.equal(again.toolchain.linked, true);
  await e.store.install(src, a, { force: true });
  assert.throws(() => Deno.lstatSync(`${e.home}/toolchains/godl/go1.22.5/STRAY`));
  assert.deepEqual(e.files().filter((f) => f.includes(".tmp-")), []);
});

Deno.test("concurrent installs serialize on the store lock", async () => {
  await using e = await env();
  await e.publishGodl([{ version: "go1.22.5" }, { version: "go1.21.12" }]);
  const src = e.godl();
  const [a, b] = await Promise.all([src.resolve("1.22.5", linux), src.resolve("1.21.12", linux)]);
  const results = await Promise.all([
    e.store.install(src, a),
    e.store.install(src, b),
    e.store.install(src, a),
  ]);
  assert.deepEqual(results.map((r) => r.alreadyInstalled), [false, false, true]);
  assert.deepEqual(e.store.list().map((t) => t.name), ["go1.21.12", "go1.22.5"]);
});

Deno.test("install refuses a go.dev/dl Windows zip with an unsafe name like a tarball", async () => {
  await using e = await env();
  const entries = [...goDistribution({ version: "go1.22.5", ...windows }), {
    name: "go/../evil.txt",
    data: "x",
  }];
  await e.publishGodl([{ version: "go1.22.5", platform: windows, entries }]);
  const src = e.godl();
  await assert.rejects(
    e.store.install(src, await src.resolve("1.22.5", windows)),
    (err: Error) => err instanceof ArchiveError && /escapes the archive/.test(err.message),
  );
  assertNothingInstalled(e);
});

Deno.test("touch() does not wait for an install that is downloading", async () => {
  await using e = await env();
  await e.publishGodl([{ version: "go1.22.5" }, { version: "go1.21.12" }]);
  const src = e.godl();
  await e.store.install(src, await src.resolve("1.21.12", linux));
  let open!: () => void;
  e.server.gates.set("/dl/go1.22.5.linux-amd64.tar.gz", new Promise((r) => open = r));
  const slow = e.store.install(src, await src.resolve("1.22.5", linux));
  while (e.server.count("/dl/go1.22.5.linux-amd64.tar.gz") === 0) {
    await new Promise((r) => setTimeout(r, 5));
  }
  // The install holds the store lock and waits on the network; touch still completes.
  assert.equal(await e.store.touch("go1.21.12"), true);
  assert.deepEqual(e.store.list().map((t) => t.name), ["go1.21.12"]);
  open();
  await slow;
  assert.deepEqual(e.store.list().map((t) => t.name), ["go1.21.12", "go1.22.5"]);
});

Deno.test("air-gapped: install from a file: mirror of go.dev/dl (GTC_GODL_MIRROR=file:///…)", async () => {
  await using e = await env();
  const mirror = Deno.makeTempDirSync({ prefix: "gtc-mirror-" });
  try {
    const data = await makeTarGz(goDistribution({ version: "go1.22.5", ...linux }));
    Deno.writeFileSync(`${mirror}/go1.22.5.linux-amd64.tar.gz`, data);
    const base = `file://${mirror}`;
    const listing = godlListing([{
      version: "go1.22.5",
      files: [{
        filename: "go1.22.5.linux-amd64.tar.gz",
        os: "linux",
        arch: "amd64",
        sha256: await sha256Hex(data),
        size: data.length,
        kind: "archive",
      }],
    }]);
    // `curl 'https://go.dev/dl/?mode=json&include=all' > index.json` plus the archives.
    Deno.writeTextFileSync(`${mirror}/index.json`, listing);
    // The key comes from a file (GTC_GODL_KEY), as nothing is downloaded here.
    const src = new GodlSource({
      http: denoHttp,
      baseUrl: base,
      key: new TextEncoder().encode(e.key.armoredPublic),
      keyOrigin: "/etc/gtc/linux_signing_key.pub",
      keyUrl: "http://127.0.0.1:1/unreachable",
      trustedFingerprints: [e.key.fingerprint],
    });
    assert.equal(src.listingUrl, `${base}/index.json`);
    const a = await src.resolve("1.22", linux);

    // A mirror that copied the archives but not their .asc files is refused, by name.
    await assert.rejects(
      e.store.install(src, a),
      (err: Error) =>
        err instanceof SecurityError &&
        err.message.includes(
          `signature not found at ${base}/go1.22.5.linux-amd64.tar.gz.asc; `,
        ) &&
        err.message.includes("GTC_GODL_MIRROR must serve each <archive>.asc next to the archive"),
    );
    assertNothingInstalled(e);

    Deno.writeFileSync(
      `${mirror}/go1.22.5.linux-amd64.tar.gz.asc`,
      await signDetached(e.key, data, true),
    );
    const { toolchain } = await e.store.install(src, a);
    assert.equal(toolchain.url, `${base}/go1.22.5.linux-amd64.tar.gz`);
    assert.equal(toolchain.integrity, "sha256+pgp");
    assert.deepEqual(toolchain.notices, []);
  } finally {
    Deno.removeSync(mirror, { recursive: true });
  }
});
