/**
 * GOAUTH end to end: a toolchain install from an https GOPROXY that demands
 * credentials for everything, the checksum database included (GOSUMDB names
 * only the key, so it is reached through the proxy's /sumdb/<name>/).
 * gtc runs as a child process with the host's own HTTP client (trusting the
 * test CA through DENO_CERT) and GOAUTH from its environment; the real go
 * command does its toolchain switch against the same server. Both must send
 * credentials the same way, path by path, and run the GOAUTH command alike.
 */
import assert from "node:assert/strict";
import { startFixture } from "../fixtures/mod.ts";
import { findGo } from "../differential/gocmd.ts";
import { basicAuth } from "../../lib/proxy/mod.ts";
import { makeTestTls, serveTls, type TestServer } from "../../lib/proxy/_test_server.ts";

const { go, reason } = await findGo();
const goOK = go !== undefined && Number(/^go1\.(\d+)/.exec(go.version)?.[1] ?? 0) >= 24;
const tls = await makeTestTls();
const platformOK = Deno.build.os === "linux" && Deno.build.arch === "x86_64";
if (!goOK) console.log(`skipping the GOAUTH install test against go: ${reason || go?.version}`);
if (tls === undefined) console.log("skipping the GOAUTH install tests: no openssl");

const child = new URL("./testdata/install_child.ts", import.meta.url).pathname;
const config = new URL("../../deno.json", import.meta.url).pathname;
const good = basicAuth("u", "p");

// denoDir is the module cache the child Deno shares with this one.
function denoDir(): string {
  const e = Deno.env;
  return e.get("DENO_DIR") ??
    `${e.get("XDG_CACHE_HOME") ?? `${e.get("HOME") ?? "/root"}/.cache`}/deno`;
}

// front is an https server in front of the fixture's plain-http proxy that
// answers 401 to every request without the right Authorization.
function front(backend: string): TestServer {
  return serveTls(tls!, async (req, target) => {
    if (req.headers.get("authorization") !== good) {
      return new Response("need auth\n", {
        status: 401,
        headers: { "content-type": "text/plain", "www-authenticate": 'Basic realm="gtc"' },
      });
    }
    const res = await fetch(backend + target);
    return new Response(res.body, { status: res.status, headers: res.headers });
  });
}

// byPath groups the requests as path → the Authorization values sent, in order.
function byPath(srv: TestServer): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const r of srv.requests) {
    const path = decodeURIComponent(r.target);
    m.set(path, [...(m.get(path) ?? []), r.headers.get("authorization") ?? "-"]);
  }
  srv.requests.length = 0;
  return m;
}

async function authScript(dir: string, port: number): Promise<string> {
  const path = `${dir}/auth.sh`;
  await Deno.writeTextFile(
    path,
    `#!/bin/sh
echo "$#" >> "${dir}/calls"
[ $# -gt 0 ] && printf 'https://127.0.0.1:${port}\\n\\nAuthorization: ${good}\\n\\n'
exit 0
`,
  );
  await Deno.chmod(path, 0o755);
  return path;
}

Deno.test({
  name:
    "GOAUTH: gtc and the go command install a toolchain through an authenticating https proxy alike",
  ignore: tls === undefined || !platformOK,
  async fn() {
    const f = await startFixture({ toolchains: ["go1.99.1"] });
    await using srv = front(f.goproxy);
    try {
      const script = await authScript(f.dir, srv.port);
      const env = (side: string) => ({
        ...f.env,
        GOPATH: `${f.dir}/${side}/gopath`,
        GOMODCACHE: `${f.dir}/${side}/gopath/pkg/mod`,
        GOPROXY: srv.url,
        GOSUMDB: f.gosumdbViaProxy,
        GOAUTH: script,
      });

      // gtc, as a separate program with the host's HTTP client.
      const gtc = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--quiet", "--config", config, child, "go1.99.1", "linux", "amd64"],
        env: { ...env("gtc"), DENO_DIR: denoDir(), DENO_CERT: tls!.caFile },
        clearEnv: true,
      }).output();
      const dec = new TextDecoder();
      assert.equal(gtc.code, 0, dec.decode(gtc.stderr));
      assert.match(dec.decode(gtc.stdout), /\nok true true h1:/);
      const fromGtc = byPath(srv);
      const gtcCalls = await Deno.readTextFile(`${f.dir}/calls`);
      await Deno.remove(`${f.dir}/calls`);

      // Run once without the URL, once with it after the first 401; every
      // later request (zip, sumdb supported/lookup/tiles) carries the header.
      assert.equal(gtcCalls, "0\n1\n");
      const first = [...fromGtc.entries()][0];
      assert.deepEqual(first[1], ["-", good]);
      for (const [path, auths] of [...fromGtc.entries()].slice(1)) {
        assert.deepEqual(auths, [good], path);
      }
      assert.ok([...fromGtc.keys()].some((p) => p.endsWith("/supported")));
      assert.ok([...fromGtc.keys()].some((p) => p.includes("/lookup/")));

      if (!goOK) return;
      const g = await new Deno.Command(go!.path, {
        args: ["version"],
        env: {
          ...env("go"),
          PATH: `${go!.bindir}:/usr/bin:/bin`,
          GOTOOLCHAIN: "go1.99.1",
          SSL_CERT_FILE: tls!.caFile,
        },
        clearEnv: true,
        cwd: f.work,
      }).output();
      assert.equal(dec.decode(g.stdout), "go version go1.99.1 linux/amd64\n", dec.decode(g.stderr));
      const fromGo = byPath(srv);
      assert.equal(await Deno.readTextFile(`${f.dir}/calls`), gtcCalls);
      // Path by path, what both asked for went with the same headers; the
      // first request of each is the one that met the 401.
      const common = [...fromGtc.keys()].filter((p) => fromGo.has(p));
      assert.ok(common.some((p) => p.endsWith(".zip")), common.join(" "));
      assert.ok(common.some((p) => p.endsWith("/supported")), common.join(" "));
      for (const p of common) assert.deepEqual(fromGtc.get(p), fromGo.get(p), p);
      console.log(
        `  go asked ${fromGo.size} paths, gtc ${fromGtc.size}, ${common.length} in common, ` +
          `same headers; first: ${[...fromGo.keys()][0]} / ${first[0]}`,
      );
    } finally {
      await f.close();
    }
  },
});

Deno.test({
  name: "a malformed GOAUTH ends a gtc install with the go command's text and nothing sent",
  ignore: tls === undefined || !platformOK,
  async fn() {
    const f = await startFixture({ toolchains: ["go1.99.1"] });
    await using srv = front(f.goproxy);
    try {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--quiet", "--config", config, child, "go1.99.1", "linux", "amd64"],
        env: {
          ...f.env,
          GOPROXY: `${srv.url}|direct`,
          GOSUMDB: f.gosumdbViaProxy,
          GOAUTH: "netrc;off",
          DENO_DIR: denoDir(),
          DENO_CERT: tls!.caFile,
        },
        clearEnv: true,
      }).output();
      assert.notEqual(out.code, 0);
      // install_child.ts lets the error escape (Deno prints "error: Uncaught
      // (in promise) GoAuthError: …"); the gtc CLI prints "gtc: <message>".
      assert.match(
        new TextDecoder().decode(out.stderr),
        /GoAuthError: GOAUTH=off cannot be combined with other authentication commands \(GOAUTH=netrc;off\)\n/,
      );
      assert.deepEqual(srv.requests, []);
    } finally {
      await f.close();
    }
  },
});

Deno.test({
  name: "zz: remove the GOAUTH install test certificates",
  ignore: tls === undefined,
  async fn() {
    await tls!.close();
  },
});
