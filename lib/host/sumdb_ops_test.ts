// diskClientOps on real temp dirs: the go command's file layout, config
// compare-and-swap, flock compatibility (against flock(1) from util-linux),
// and the real go command sharing one GOPATH/GOMODCACHE with gtc's client
// and a loopback TestServer as GOSUMDB.

import assert from "node:assert/strict";
import { join } from "node:path";
import { zipSync } from "fflate";
import {
  Client,
  generateKey,
  hash1,
  hashGoMod,
  parseGOSUMDB,
  SecurityError,
  WriteConflictError,
} from "../sumdb/mod.ts";
import { TestServer } from "../sumdb/test_server.ts";
import { diskClientOps, lockedRead, lockedWrite } from "./sumdb_ops.ts";

const name = "sum.gtc.test";
const { skey, vkey } = await generateKey(name);
const enc = new TextEncoder();
const dec = new TextDecoder();

function exists(p: string): boolean {
  try {
    Deno.statSync(p);
    return true;
  } catch {
    return false;
  }
}

async function withServer<T>(s: TestServer, f: (url: string) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} },
    (req) => s.handler(req),
  );
  try {
    return await f(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    ac.abort();
    await server.finished;
  }
}

function inMemoryRemote(s: TestServer) {
  return async (path: string) => {
    const res = await s.handler(new Request("http://sumdb.test" + path));
    const body = new Uint8Array(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`reading ${path}: ${res.status}`);
    return body;
  };
}

Deno.test("diskClientOps() keeps files where the go command does", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const s = await TestServer.create(skey);
    await s.addRecord("example.com/M", "v1.0.0", "example.com/M v1.0.0 h1:x\n");
    const gopath = join(tmp, "gopath"), gomodcache = join(tmp, "modcache");
    const ops = diskClientOps({
      db: parseGOSUMDB(vkey),
      gopath,
      gomodcache,
      remote: inMemoryRemote(s),
    });
    assert.deepEqual(await new Client(ops).lookup("example.com/M", "v1.0.0"), [
      "example.com/M v1.0.0 h1:x",
    ]);
    const latest = join(gopath, "pkg/sumdb", name, "latest");
    assert.deepEqual(await Deno.readFile(latest), await s.signed());
    const cache = join(gomodcache, "cache/download/sumdb", name);
    assert.ok(exists(join(cache, "lookup/example.com/!m@v1.0.0")));
    assert.ok(exists(join(cache, "tile/8/0/000.p/1")));
    const umask = Deno.umask();
    assert.equal(Deno.statSync(latest).mode! & 0o777, 0o666 & ~umask);
    assert.equal(Deno.statSync(join(cache, "tile/8/0/000.p/1")).mode! & 0o777, 0o666 & ~umask);
    // The key is not stored; it comes from GOSUMDB.
    assert.equal(dec.decode(await ops.readConfig("key")), vkey);
    await assert.rejects(
      ops.writeConfig("key", new Uint8Array(), new Uint8Array()),
      /cannot write key/,
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("diskClientOps() config: missing is empty, writes are compare-and-swap", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const ops = diskClientOps({
      db: parseGOSUMDB(vkey),
      gopath: tmp,
      gomodcache: join(tmp, "pkg/mod"),
      remote: () => Promise.reject(new Error("offline")),
    });
    const file = `${name}/latest`;
    assert.deepEqual(await ops.readConfig(file), new Uint8Array());
    await ops.writeConfig(file, new Uint8Array(), enc.encode("A"));
    assert.equal(dec.decode(await ops.readConfig(file)), "A");
    await assert.rejects(
      ops.writeConfig(file, enc.encode("B"), enc.encode("C")),
      WriteConflictError,
    );
    assert.equal(dec.decode(await ops.readConfig(file)), "A");
    await ops.writeConfig(file, enc.encode("A"), enc.encode("longer content"));
    await ops.writeConfig(file, enc.encode("longer content"), enc.encode("D"));
    assert.equal(dec.decode(await ops.readConfig(file)), "D", "truncated on write");
    // An empty stored file matches any old (cmd/go's rule).
    await Deno.writeFile(join(tmp, "pkg/sumdb", file), new Uint8Array());
    await ops.writeConfig(file, enc.encode("anything"), enc.encode("E"));
    assert.equal(dec.decode(await ops.readConfig(file)), "E");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("diskClientOps() cache: zero-length and unreadable files are missing", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const ops = diskClientOps({
      db: parseGOSUMDB(vkey),
      gopath: tmp,
      gomodcache: tmp,
      remote: () => Promise.reject(new Error("offline")),
    });
    const file = `${name}/tile/8/0/000.p/1`;
    assert.equal(await ops.readCache(file), undefined);
    await ops.writeCache(file, new Uint8Array(32).fill(7));
    assert.deepEqual(await ops.readCache(file), new Uint8Array(32).fill(7));
    await Deno.writeFile(join(tmp, "cache/download/sumdb", file), new Uint8Array());
    assert.equal(await ops.readCache(file), undefined);
    await Deno.mkdir(join(tmp, "cache/download/sumdb", `${name}/lookup/x@v1.0.0`), {
      recursive: true,
    });
    assert.equal(await ops.readCache(`${name}/lookup/x@v1.0.0`), undefined, "a directory");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

const haveFlock = (() => {
  try {
    return new Deno.Command("flock", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
})();

/** flockNB runs flock(1) -n with -s (shared) or -x (exclusive) and reports whether it got the lock. */
async function flockNB(file: string, mode: "-s" | "-x"): Promise<boolean> {
  const out = await new Deno.Command("flock", { args: ["-n", mode, file, "true"] }).output();
  return out.success;
}

Deno.test({
  name: "lockedRead/lockedWrite use flock(2), as Go's lockedfile (checked with flock(1))",
  ignore: !haveFlock || Deno.build.os === "windows",
  async fn(t) {
    const tmp = await Deno.makeTempDir();
    const file = join(tmp, "latest");
    await Deno.writeFile(file, enc.encode("v1"));
    try {
      await t.step("a Deno shared lock admits shared flock(1) and excludes exclusive", async () => {
        const f = await Deno.open(file, { read: true });
        await f.lock(false);
        assert.equal(await flockNB(file, "-s"), true);
        assert.equal(await flockNB(file, "-x"), false);
        f.close();
        assert.equal(await flockNB(file, "-x"), true);
      });
      await t.step("a Deno exclusive lock excludes flock(1) entirely", async () => {
        const f = await Deno.open(file, { read: true, write: true });
        await f.lock(true);
        assert.equal(await flockNB(file, "-s"), false);
        f.close();
      });
      await t.step("lockedRead waits for another process's exclusive lock", async () => {
        const holder = new Deno.Command("flock", {
          args: ["-x", file, "sh", "-c", 'echo locked; sleep 0.6; printf v2 > "$0"', file],
          stdout: "piped",
        }).spawn();
        const reader = holder.stdout.getReader();
        await reader.read(); // "locked"
        reader.releaseLock();
        const start = performance.now();
        const data = await lockedRead(file);
        const waited = performance.now() - start;
        await holder.status;
        await holder.stdout.cancel().catch(() => {});
        assert.equal(dec.decode(data), "v2", "read after the writer finished");
        assert.ok(waited > 300, `waited ${waited} ms`);
      });
      await t.step("lockedWrite waits for another process's shared lock", async () => {
        const holder = new Deno.Command("flock", {
          args: ["-s", file, "sh", "-c", 'echo locked; sleep 0.6; cat "$0"', file],
          stdout: "piped",
        }).spawn();
        const reader = holder.stdout.getReader();
        const first = await reader.read();
        assert.match(dec.decode(first.value), /^locked\n/);
        const writing = lockedWrite(file, enc.encode("v3"));
        let rest = dec.decode(first.value).slice("locked\n".length);
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          rest += dec.decode(value);
        }
        await writing;
        await holder.status;
        assert.equal(rest, "v2", "the reader saw the old content whole");
        assert.equal(dec.decode(await Deno.readFile(file)), "v3");
      });
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

// The real go command and gtc share GOPATH and GOMODCACHE, with the
// TestServer on loopback as GOSUMDB and a file:// GOPROXY holding one module.

const goBin = (() => {
  try {
    const out = new Deno.Command("go", { args: ["env", "GOROOT"], stdout: "piped", stderr: "null" })
      .outputSync();
    return out.success ? join(dec.decode(out.stdout).trim(), "bin", "go") : undefined;
  } catch {
    return undefined;
  }
})();

interface GoEnv {
  tmp: string;
  gopath: string;
  gomodcache: string;
  proxyDir: string;
  zipH1: string;
  modH1: string;
}

/** makeModule writes mod@v1.0.0 into the file:// proxy tree under tmp and returns its hashes. */
async function makeModule(tmp: string, mod = "example.com/hello"): Promise<GoEnv> {
  const v = "v1.0.0";
  const gomod = enc.encode(`module ${mod}\n\ngo 1.21\n`);
  const files: Record<string, Uint8Array> = {
    [`${mod}@${v}/go.mod`]: gomod,
    [`${mod}@${v}/hello.go`]: enc.encode("package hello\n\nconst Hello = 1\n"),
  };
  const proxyDir = join(tmp, "proxy");
  const at = join(proxyDir, mod, "@v");
  await Deno.mkdir(at, { recursive: true });
  await Deno.writeFile(join(at, "list"), enc.encode(`${v}\n`));
  await Deno.writeFile(
    join(at, `${v}.info`),
    enc.encode(`{"Version":"${v}","Time":"2024-01-01T00:00:00Z"}\n`),
  );
  await Deno.writeFile(join(at, `${v}.mod`), gomod);
  await Deno.writeFile(join(at, `${v}.zip`), zipSync(files));
  return {
    tmp,
    gopath: join(tmp, "gopath"),
    gomodcache: join(tmp, "gopath", "pkg", "mod"),
    proxyDir,
    zipH1: hash1(Object.keys(files), (n) => files[n]),
    modH1: hashGoMod(gomod),
  };
}

async function runGo(e: GoEnv, gosumdb: string, args: string[]) {
  const out = await new Deno.Command(goBin!, {
    args,
    cwd: e.tmp,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: e.tmp,
      GOPATH: e.gopath,
      GOENV: "off",
      GOTOOLCHAIN: "local",
      GOFLAGS: "-modcacherw",
      GOPROXY: "file://" + e.proxyDir,
      GOSUMDB: gosumdb,
      GONOSUMDB: "",
      GOPRIVATE: "",
      GONOPROXY: "",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test({
  name: "the real go command accepts the TestServer and shares its sumdb files with gtc",
  ignore: goBin === undefined,
  async fn(t) {
    const tmp = await Deno.realPath(await Deno.makeTempDir());
    try {
      const e = await makeModule(tmp);
      const s = await TestServer.create(skey);
      // Padding records so the tree spans tiles.
      for (let i = 0; i < 300; i++) {
        await s.addRecord(
          `example.com/pad${i}`,
          "v1.0.0",
          `example.com/pad${i} v1.0.0 ${e.zipH1}\n`,
        );
      }
      const forked = s.fork();
      await s.addRecord(
        "example.com/hello",
        "v1.0.0",
        `example.com/hello v1.0.0 ${e.zipH1}\nexample.com/hello v1.0.0/go.mod ${e.modH1}\n`,
      );
      const dbOps = (remote: (p: string) => Promise<Uint8Array>) =>
        diskClientOps({
          db: parseGOSUMDB(vkey),
          gopath: e.gopath,
          gomodcache: e.gomodcache,
          remote,
        });

      await withServer(s, async (url) => {
        await t.step("go mod download verifies against the TestServer", async () => {
          const r = await runGo(e, `${vkey} ${url}`, [
            "mod",
            "download",
            "-json",
            "example.com/hello@v1.0.0",
          ]);
          assert.equal(r.code, 0, r.stderr + r.stdout);
          assert.equal(JSON.parse(r.stdout).Sum, e.zipH1, "go's h1 equals gtc's dirhash");
          assert.equal(JSON.parse(r.stdout).GoModSum, e.modH1);
          assert.ok(s.requests.includes("/lookup/example.com/hello@v1.0.0"));
        });
      });

      await t.step("go wrote the files where diskClientOps reads them", () => {
        assert.deepEqual(
          Deno.readFileSync(join(e.gopath, "pkg/sumdb", name, "latest")).length > 0,
          true,
        );
        const cache = join(e.gomodcache, "cache/download/sumdb", name);
        assert.ok(exists(join(cache, "lookup/example.com/hello@v1.0.0")));
        // Tree 301 on first use: the inclusion proof of record 300 needs
        // only these (tile 0/000 is covered by its hash in 1/000.p/1).
        assert.ok(exists(join(cache, "tile/8/0/001.p/45")));
        assert.ok(exists(join(cache, "tile/8/1/000.p/1")));
      });

      await t.step("gtc's client answers from go's files, offline", async () => {
        const ops = dbOps((p) => Promise.reject(new Error(`offline: ${p}`)));
        assert.deepEqual(await new Client(ops).lookup("example.com/hello", "v1.0.0/go.mod"), [
          `example.com/hello v1.0.0/go.mod ${e.modH1}`,
        ]);
      });

      await t.step("go answers from gtc's files, offline", async () => {
        // A module go never saw: gtc fetches and caches its record (the tree
        // grows to 302), then go verifies it with the database unreachable
        // (loopback port 9, discard).
        const e2 = await makeModule(tmp, "example.com/hello2");
        await s.addRecord(
          "example.com/hello2",
          "v1.0.0",
          `example.com/hello2 v1.0.0 ${e2.zipH1}\nexample.com/hello2 v1.0.0/go.mod ${e2.modH1}\n`,
        );
        const ops = dbOps(inMemoryRemote(s));
        await new Client(ops).lookup("example.com/hello2", "v1.0.0");
        const latest = join(e.gopath, "pkg/sumdb", name, "latest");
        assert.match(dec.decode(Deno.readFileSync(latest)), /\n302\n/);
        const r = await runGo(e, `${vkey} http://127.0.0.1:9`, [
          "mod",
          "download",
          "-json",
          "example.com/hello2@v1.0.0",
        ]);
        assert.equal(r.code, 0, r.stderr + r.stdout);
        assert.equal(JSON.parse(r.stdout).Sum, e2.zipH1);
      });

      await t.step("a fork is a SECURITY ERROR for both, with the same report", async () => {
        // The fork shares the first 300 records (so the full tile 0/000 is
        // the same) and then diverges: 10 other records and hello3.
        const e3 = await makeModule(tmp, "example.com/hello3");
        for (let i = 0; i < 10; i++) {
          await forked.addRecord(
            `example.com/evil${i}`,
            "v1.0.0",
            `example.com/evil${i} v1.0.0 ${e.zipH1}\n`,
          );
        }
        await forked.addRecord(
          "example.com/hello3",
          "v1.0.0",
          `example.com/hello3 v1.0.0 ${e3.zipH1}\nexample.com/hello3 v1.0.0/go.mod ${e3.modH1}\n`,
        );
        const latest = join(e.gopath, "pkg/sumdb", name, "latest");
        const latestBefore = Deno.readFileSync(latest);
        const goReport = await withServer(forked, async (url) => {
          const r = await runGo(e, `${vkey} ${url}`, [
            "mod",
            "download",
            "-json",
            "example.com/hello3@v1.0.0",
          ]);
          assert.notEqual(r.code, 0);
          return r.stderr;
        });
        assert.match(
          goReport,
          /^SECURITY ERROR\ngo\.sum database server misbehavior detected!\n/,
        );
        let reported = "";
        const ops = diskClientOps({
          db: parseGOSUMDB(vkey),
          gopath: e.gopath,
          gomodcache: e.gomodcache,
          remote: inMemoryRemote(forked),
          securityError: (m) => (reported = m),
        });
        const err = await new Client(ops).lookup("example.com/hello3", "v1.0.0").then(
          () => assert.fail("accepted"),
          (x) => x,
        );
        assert.ok(err instanceof SecurityError, String(err));
        assert.equal(reported, err.message);
        // base.Fatalf logs the report (no "go: " prefix) and a newline:
        // byte-identical, notes and proof included.
        assert.equal(goReport, err.message + "\n");
        assert.deepEqual(Deno.readFileSync(latest), latestBefore, "latest unchanged");
      });
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
