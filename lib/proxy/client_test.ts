import assert from "node:assert/strict";
import { maxZipFile, ProxyRepo, type ZipSink } from "./client.ts";
import { redacted } from "./http.ts";
import { isNotExist } from "./errors.ts";
import { parseNetrc } from "./netrc.ts";
import { Authenticator } from "./auth.ts";
import { serve, text } from "./_test_server.ts";
import { newDenoHttp } from "../host/http.ts";

const http = newDenoHttp();

// Request URLs as modfetch builds them (newProxyRepo + getBody), rows checked
// against go1.26's net/url with the vendored x/mod; printed redacted, as Go
// prints them in errors.
const urlTests: [base: string, path: string, elem: string, want: string][] = [
  [
    "https://proxy.golang.org",
    "golang.org/toolchain",
    "@v/v0.0.1-go1.21.3.linux-amd64.zip",
    "https://proxy.golang.org/golang.org/toolchain/@v/v0.0.1-go1.21.3.linux-amd64.zip",
  ],
  [
    "https://proxy.golang.org/",
    "github.com/Azure/azure-sdk-for-go",
    "@v/list",
    "https://proxy.golang.org/github.com/%21azure/azure-sdk-for-go/@v/list",
  ],
  [
    "https://proxy.golang.org",
    "github.com/GoogleCloudPlatform/omega",
    "@v/v1.0.0-!r!c1.info",
    "https://proxy.golang.org/github.com/%21google%21cloud%21platform/omega/@v/v1.0.0-%21r%21c1.info",
  ],
  [
    "https://proxy.example.com/sub/",
    "golang.org/toolchain",
    "@v/list",
    "https://proxy.example.com/sub/golang.org/toolchain/@v/list",
  ],
  [
    "https://proxy.example.com/a%2Fb/",
    "github.com/Azure/x",
    "@v/list",
    "https://proxy.example.com/a%2Fb/github.com/%21azure/x/@v/list",
  ],
  [
    "https://user:secret@proxy.example.com/p",
    "golang.org/toolchain",
    "@v/list",
    "https://user:xxxxx@proxy.example.com/p/golang.org/toolchain/@v/list",
  ],
  [
    "http://127.0.0.1:8080",
    "golang.org/toolchain",
    "@latest",
    "http://127.0.0.1:8080/golang.org/toolchain/@latest",
  ],
  [
    "file:///tmp/proxy",
    "golang.org/toolchain",
    "@v/list",
    "file:///tmp/proxy/golang.org/toolchain/@v/list",
  ],
  [
    "file:///tmp/my%20proxy/",
    "github.com/Azure/x",
    "@v/list",
    "file:///tmp/my%20proxy/github.com/%21azure/x/@v/list",
  ],
  [
    "file:///C:/proxy",
    "github.com/Azure/x",
    "@v/list",
    "file:///C:/proxy/github.com/%21azure/x/@v/list",
  ],
  [
    "https://proxy.example.com/x+y/",
    "golang.org/toolchain",
    "@v/v1.0.0+incompatible.zip",
    "https://proxy.example.com/x+y/golang.org/toolchain/@v/v1.0.0+incompatible.zip",
  ],
  [
    "https://proxy.example.com",
    "gopkg.in/yaml.v2",
    "@v/list",
    "https://proxy.example.com/gopkg.in/yaml.v2/@v/list",
  ],
  [
    "https://proxy.example.com",
    "example.com/a~b_c",
    "@v/list",
    "https://proxy.example.com/example.com/a~b_c/@v/list",
  ],
];

Deno.test("ProxyRepo.url() builds request URLs as modfetch does", async (t) => {
  for (const [base, path, elem, want] of urlTests) {
    await t.step(`${base} + ${path} + ${elem}`, () => {
      assert.equal(redacted(new ProxyRepo(base, path, { http }).url(elem)), want);
    });
  }
});

Deno.test("ProxyRepo rejects what newProxyRepo rejects", () => {
  assert.throws(() => new ProxyRepo("ftp://x", "golang.org/toolchain", { http }), {
    message: "invalid proxy URL scheme (must be https, http, file): ftp://x",
  });
  assert.throws(() => new ProxyRepo("https://x", "Golang.org/toolchain", { http }), {
    message: `malformed module path "Golang.org/toolchain": invalid char 'G' in first path element`,
  });
});

const tv = "v0.0.1-go1.21.3.linux-amd64";
const tzip = `/golang.org/toolchain/@v/${tv}.zip`;

Deno.test("ProxyRepo speaks the proxy protocol to a loopback server", async (t) => {
  await using srv = serve((_req, target) => {
    switch (target) {
      case "/github.com/%21azure/x/@v/list":
        return text(
          200,
          "v1.0.0\nv0.9.0 2023-01-01T00:00:00Z\nv1.1.0-0.20230101000000-abcdefabcdef\nnot-semver\n\nv1.0.0-%21r%21c1\nv1.0.0-RC1\n",
        );
      case "/github.com/%21azure/x/@v/v1.0.0-%21r%21c1.info":
        return text(200, '{"Version":"v1.0.0-RC1","Time":"2023-01-01T00:00:00Z"}');
      case "/github.com/%21azure/x/@v/v1.0.0.info":
        return text(200, '{"Version":"v1.0.1","Time":"2023-01-01T00:00:00Z"}');
      case "/github.com/%21azure/x/@v/v2.0.0.info":
        return text(200, "{not json");
      case "/github.com/%21azure/x/@v/v1.0.0.mod":
        return text(200, "module github.com/Azure/x\n");
      case "/golang.org/toolchain/@v/list":
        return text(404, "not found: no such module\n");
    }
    return text(404, "nope");
  });
  const repo = new ProxyRepo(srv.url, "github.com/Azure/x", { http });

  await t.step("versions() keeps valid, non-pseudo versions, sorted", async () => {
    assert.deepEqual(await repo.versions(), ["v0.9.0", "v1.0.0-RC1", "v1.0.0"]);
    assert.deepEqual(await repo.versions("v0."), ["v0.9.0"]);
  });
  await t.step("info() case-encodes the version ('!' as %21 on the wire)", async () => {
    assert.deepEqual(await repo.info("v1.0.0-RC1"), {
      Version: "v1.0.0-RC1",
      Time: "2023-01-01T00:00:00Z",
    });
    assert.ok(
      srv.requests.some((r) => r.target === "/github.com/%21azure/x/@v/v1.0.0-%21r%21c1.info"),
    );
  });
  await t.step("info() refuses an answer for another version", async () => {
    await assert.rejects(() => repo.info("v1.0.0"), {
      message:
        "github.com/Azure/x@v1.0.0: proxy returned info for version v1.0.1 instead of requested version",
    });
  });
  await t.step("info() reports a bad body", async () => {
    await assert.rejects(() => repo.info("v2.0.0"), (e: Error) => {
      assert.match(
        e.message,
        new RegExp(`^github.com/Azure/x@v2.0.0: invalid response from proxy "${srv.url}": `),
      );
      return true;
    });
  });
  await t.step("mod() and its canonical-version rule", async () => {
    assert.equal(new TextDecoder().decode(await repo.mod("v1.0.0")), "module github.com/Azure/x\n");
    await assert.rejects(() => repo.mod("v1.0"), {
      message:
        "github.com/Azure/x@v1.0: invalid version: internal error: version passed to GoMod is not canonical",
    });
  });
  await t.step("a 404 is a ModuleError with the server's text/plain response", async () => {
    const r = new ProxyRepo(srv.url, "golang.org/toolchain", { http });
    await assert.rejects(() => r.versions(), (e: Error) => {
      assert.equal(
        e.message,
        `module golang.org/toolchain: reading ${srv.url}/golang.org/toolchain/@v/list: 404 Not Found\n\tserver response: not found: no such module`,
      );
      assert.ok(isNotExist(e));
      return true;
    });
  });
});

class MemSink implements ZipSink {
  chunks: Uint8Array[] = [];
  resets = 0;
  write(c: Uint8Array) {
    this.chunks.push(c.slice());
  }
  reset() {
    this.chunks = [];
    this.resets++;
  }
  get size() {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }
}

Deno.test("ProxyRepo.zip() streams the body", async () => {
  const big = new Uint8Array(3 << 20).map((_, i) => i & 0xff);
  await using srv = serve((_req, target) => target === tzip ? new Response(big) : text(404, ""));
  const repo = new ProxyRepo(srv.url, "golang.org/toolchain", { http });
  const sink = new MemSink();
  await repo.zipTo(sink, tv);
  assert.equal(sink.size, big.length);
  assert.ok(sink.chunks.length > 1, "the zip arrives in chunks, not as one buffer");
});

Deno.test("ProxyRepo.zipTo() reads a fetch body into one buffer, reused chunk after chunk", async () => {
  const big = new Uint8Array(3 << 20).map((_, i) => (i * 7) & 0xff);
  await using srv = serve((_req, target) => target === tzip ? new Response(big) : text(404, ""));
  const repo = new ProxyRepo(srv.url, "golang.org/toolchain", { http });
  const got: Uint8Array[] = [];
  let prev: Uint8Array | undefined;
  let reused = 0;
  await repo.zipTo({
    write: (c) => {
      // The memory of the chunk before was handed to the read of this one
      // (a BYOB read transfers it): the earlier view is detached now.
      if (prev !== undefined && prev.buffer.byteLength === 0) reused++;
      prev = c;
      got.push(c.slice());
    },
    reset: () => {},
  }, tv);
  assert.ok(got.length > 2, `${got.length} chunks`);
  assert.equal(reused, got.length - 1);
  const all = new Uint8Array(got.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of got) {
    all.set(c, o);
    o += c.length;
  }
  assert.deepEqual(all, big);
});

Deno.test("ProxyRepo.zip() stops past maxZipFile", async () => {
  // A body that claims to go on forever; the client must stop at 500 MiB + 1.
  let sent = 0;
  await using srv = serve(() =>
    new Response(
      new ReadableStream({
        pull(c) {
          const chunk = new Uint8Array(1 << 20);
          sent += chunk.length;
          c.enqueue(chunk);
          if (sent > maxZipFile + (4 << 20)) c.close();
        },
      }),
    )
  );
  const repo = new ProxyRepo(srv.url, "golang.org/toolchain", { http });
  let n = 0;
  await assert.rejects(
    () => repo.zipTo({ write: (c) => void (n += c.length), reset: () => {} }, tv),
    { message: `golang.org/toolchain@${tv}: downloaded zip file too large` },
  );
  assert.ok(n <= maxZipFile);
});

// netrcAuth is GOAUTH=netrc over the given .netrc text.
function netrcAuth(netrc: string): Authenticator {
  return new Authenticator({
    goauth: "netrc",
    netrc: () => parseNetrc(netrc),
    stat: () => ({ isDirectory: false }),
    runner: { run: () => Promise.reject(new Error("no commands here")) },
  });
}

Deno.test("netrc credentials go to https only: a plain-http proxy sees no Authorization", async () => {
  await using srv = serve(() => text(200, "v0.0.1-go1.21.3.linux-amd64\n"));
  const host = new URL(srv.url).host;
  const auth = netrcAuth(
    `machine ${host} login u password p\nmachine 127.0.0.1 login u password p\n`,
  );
  const repo = new ProxyRepo(srv.url, "golang.org/toolchain", { http, auth });
  assert.deepEqual(await repo.versions(), [tv]);
  assert.equal(srv.requests.length, 1);
  assert.equal(srv.requests[0].headers.get("authorization"), null);
});

Deno.test("netrc credentials are attached to https requests", async () => {
  // No TLS on loopback: record what the client would send over https.
  const seen: Record<string, string>[] = [];
  const recording = {
    get(url: string, init?: { headers?: Record<string, string> }) {
      seen.push({ url, ...(init?.headers ?? {}) });
      return Promise.resolve({
        status: 200,
        headers: new Headers(),
        body: new Response("v0.0.1-go1.21.3.linux-amd64\n").body,
        url,
      });
    },
  };
  const auth = netrcAuth("machine proxy.example.com login u password p\n");
  const repo = new ProxyRepo("https://proxy.example.com", "golang.org/toolchain", {
    http: recording,
    auth,
  });
  await repo.versions();
  assert.deepEqual(seen, [{
    url: "https://proxy.example.com/golang.org/toolchain/@v/list",
    authorization: "Basic dTpw",
  }]);
});

Deno.test("ProxyRepo reads a file:// proxy tree", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const v = `${dir}/golang.org/toolchain/@v`;
    await Deno.mkdir(v, { recursive: true });
    await Deno.writeTextFile(`${v}/list`, `${tv}\n`);
    await Deno.writeFile(`${v}/${tv}.zip`, new Uint8Array([0x50, 0x4b, 5, 6]));
    const repo = new ProxyRepo(`file://${dir}`, "golang.org/toolchain", { http });
    assert.deepEqual(await repo.versions(), [tv]);
    const sink = new MemSink();
    await repo.zipTo(sink, tv);
    assert.equal(sink.size, 4);
    const other = "v0.0.1-go1.99.0.linux-amd64";
    await assert.rejects(() => repo.zipTo(sink, other), (e: Error) => {
      assert.equal(
        e.message,
        `golang.org/toolchain@${other}: reading file://${dir}/golang.org/toolchain/@v/${other}.zip: no such file or directory`,
      );
      assert.ok(isNotExist(e));
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
