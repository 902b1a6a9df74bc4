import assert from "node:assert/strict";
import { newDenoHttp, urlToFilePath } from "./http.ts";
import { makeTestTls, serve, serveTls, text } from "../proxy/_test_server.ts";

const http = newDenoHttp();

async function bodyText(b: ReadableStream<Uint8Array> | null): Promise<string> {
  return b === null ? "" : await new Response(b).text();
}

// A server whose /r/<n> redirects to /r/<n-1> until /r/0 answers "done".
function redirectChain() {
  return serve((_req, target) => {
    const m = target.match(/^\/r\/(\d+)$/);
    if (m === null) return text(404, "no");
    const n = Number(m[1]);
    if (n === 0) return text(200, "done");
    return new Response(null, { status: 302, headers: { location: `/r/${n - 1}` } });
  });
}

// Go's limit counts requests: "stop after 10 consecutive requests", so 9
// redirects are followed and the 10th fails "stopped after 10 redirects"
// (checked against go1.26's net/http).
Deno.test("denoHttp stops after 10 requests, as Go's http.Client does", async (t) => {
  await using srv = redirectChain();
  await t.step("9 redirects are followed", async () => {
    const res = await http.get(`${srv.url}/r/9`);
    assert.equal(res.status, 200);
    assert.equal(await bodyText(res.body), "done");
    assert.equal(res.url, `${srv.url}/r/0`);
  });
  await t.step("the 10th is refused with Go's url.Error text", async () => {
    await assert.rejects(() => http.get(`${srv.url}/r/10`), {
      message: 'Get "/r/0": stopped after 10 redirects',
    });
  });
});

Deno.test("denoHttp follows 301, 303, 307, 308 and returns other 3xx as they are", async () => {
  await using srv = serve((_req, target) => {
    const codes: Record<string, number> = { "/301": 301, "/303": 303, "/307": 307, "/308": 308 };
    if (target in codes) {
      return new Response(null, { status: codes[target], headers: { location: "/ok" } });
    }
    if (target === "/304") return new Response(null, { status: 304, headers: { location: "/ok" } });
    if (target === "/302-no-location") return new Response(null, { status: 302 });
    return text(200, "ok");
  });
  for (const c of ["301", "303", "307", "308"]) {
    const res = await http.get(`${srv.url}/${c}`);
    assert.equal(res.status, 200, c);
    await res.body?.cancel();
  }
  const notModified = await http.get(`${srv.url}/304`);
  assert.equal(notModified.status, 304);
  await notModified.body?.cancel();
  const bare = await http.get(`${srv.url}/302-no-location`);
  assert.equal(bare.status, 302);
  await bare.body?.cancel();
});

Deno.test("denoHttp drops Authorization when a redirect leaves the host", async () => {
  await using other = serve(() => text(200, "other"));
  await using srv = serve((_req, target) => {
    if (target === "/same") {
      return new Response(null, { status: 302, headers: { location: "/end" } });
    }
    if (target === "/away") {
      // 127.0.0.1 → localhost is a different host name.
      return new Response(null, {
        status: 302,
        headers: { location: `http://localhost:${other.port}/end` },
      });
    }
    return text(200, "end");
  });
  const headers = { authorization: "Basic dTpw" };
  await (await http.get(`${srv.url}/same`, { headers })).body?.cancel();
  assert.equal(srv.requests.at(-1)!.headers.get("authorization"), "Basic dTpw");
  await (await http.get(`${srv.url}/away`, { headers })).body?.cancel();
  assert.equal(other.requests.length, 1);
  assert.equal(other.requests[0].headers.get("authorization"), null);
});

Deno.test("denoHttp sends User-Agent gtc/0.1.0 and URL credentials as Basic auth", async () => {
  await using srv = serve(() => text(200, "ok"));
  await (await http.get(`${srv.url}/x`)).body?.cancel();
  assert.equal(srv.requests[0].headers.get("user-agent"), "gtc/0.1.0");
  const withUser = srv.url.replace("http://", "http://us%20er:p%40ss@");
  await (await http.get(`${withUser}/y`)).body?.cancel();
  assert.equal(srv.requests[1].headers.get("authorization"), "Basic " + btoa("us er:p@ss"));
});

Deno.test("denoHttp reports a refused connection with the URL", async () => {
  // Bind and release a port so nothing listens there.
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  await assert.rejects(() => http.get(`http://127.0.0.1:${port}/x`), (e: Error) => {
    assert.match(e.message, new RegExp(`^Get "http://127\\.0\\.0\\.1:${port}/x": `));
    return true;
  });
});

Deno.test("denoHttp aborts when the caller's signal fires", async () => {
  await using srv = serve(() =>
    new Promise<Response>((r) => setTimeout(() => r(text(200, "late")), 2000))
  );
  const ac = new AbortController();
  const p = http.get(`${srv.url}/slow`, { signal: ac.signal });
  ac.abort(new Error("stop"));
  await assert.rejects(() => p, { message: "stop" });
});

Deno.test("denoHttp reads file: URLs: 200, 404, 403 and directories", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/f.txt`, "hello\n");
    const ok = await http.get(`file://${dir}/f.txt`);
    assert.equal(ok.status, 200);
    assert.equal(await bodyText(ok.body), "hello\n");

    const missing = await http.get(`file://${dir}/missing`);
    assert.equal(missing.status, 404);
    assert.equal(await bodyText(missing.body), "no such file or directory");

    if (Deno.build.os !== "windows" && Deno.uid() !== 0) {
      await Deno.writeTextFile(`${dir}/secret`, "x");
      await Deno.chmod(`${dir}/secret`, 0o000);
      const denied = await http.get(`file://${dir}/secret`);
      assert.equal(denied.status, 403);
      assert.equal(await bodyText(denied.body), "permission denied");
    }

    const d = await http.get(`file://${dir}`);
    assert.equal(d.status, 200);
    await assert.rejects(() => bodyText(d.body), { message: `read ${dir}: is a directory` });

    // A path through a regular file is neither missing nor forbidden to Go.
    await assert.rejects(() => http.get(`file://${dir}/f.txt/x`), {
      message: `open ${dir}/f.txt/x: not a directory`,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const urlToFilePathTests: [url: string, style: "posix" | "windows", want: string][] = [
  ["file:///tmp/proxy/x", "posix", "/tmp/proxy/x"],
  ["file://localhost/tmp/x", "posix", "/tmp/x"],
  ["file:///tmp/my%20proxy", "posix", "/tmp/my proxy"],
  ["file://host/tmp/x", "posix", "error: file URL specifies non-local host"],
  ["file:///C:/proxy/x", "windows", "C:\\proxy\\x"],
  ["file://host/share/x", "windows", "\\\\host\\share\\x"],
  ["file:///proxy/x", "windows", "error: file URL missing drive letter"],
];

Deno.test("urlToFilePath() mirrors web.urlToFilePath", async (t) => {
  for (const [url, style, want] of urlToFilePathTests) {
    await t.step(`urlToFilePath(${url}, ${style}) = ${want}`, () => {
      let got: string;
      try {
        got = urlToFilePath(url, style);
      } catch (e) {
        got = `error: ${(e as Error).message}`;
      }
      assert.equal(got, want);
    });
  }
});

// A server certificate from a throw-away CA the host does not trust: to
// denoHttp it is as good as self-signed.
const tls = await makeTestTls();
if (tls === undefined) {
  console.log("lib/host/http_test.ts: no openssl; skipping the GOINSECURE tests");
}

Deno.test({
  name: "denoHttp: insecure (GOINSECURE) gets skip certificate checks, others do not",
  ignore: tls === undefined,
  async fn(t) {
    await using srv = serveTls(tls!, (req, target) => {
      if (target === "/hop") {
        return new Response(null, { status: 302, headers: { location: "/m" } });
      }
      if (target === "/down") {
        return new Response(null, { status: 302, headers: { location: "http://127.0.0.1:1/m" } });
      }
      return new Response(`<meta name="go-import" content="x mod https://x">`, {
        headers: { "content-type": "text/html", "x-auth": req.headers.get("authorization") ?? "" },
      });
    });
    const base = srv.url;
    try {
      await t.step(
        "a certificate the host does not trust is refused by default, with the URL",
        async () => {
          const err = await http.get(`${base}/m`).then(() => undefined, (e: Error) => e);
          assert.ok(err !== undefined, "an untrusted certificate was accepted");
          assert.match(err.message, new RegExp(`^Get "${base}/m": `));
        },
      );
      await t.step("insecure: answered, redirects followed, headers kept on the host", async () => {
        const res = await http.get(`${base}/hop`, {
          insecure: true,
          headers: { authorization: "Basic dTpw" },
        });
        assert.equal(res.status, 200);
        assert.equal(res.url, `${base}/m`);
        assert.equal(res.headers.get("content-type"), "text/html");
        assert.equal(res.headers.get("x-auth"), "Basic dTpw");
        assert.match(await bodyText(res.body), /go-import/);
      });
      await t.step("insecure still refuses a redirect from https to http", async () => {
        await assert.rejects(() => http.get(`${base}/down`, { insecure: true }), {
          message:
            `Get "http://127.0.0.1:1/m": redirected from secure URL ${base}/down to insecure URL http://127.0.0.1:1/m`,
        });
      });
    } finally {
      await tls!.close();
    }
  },
});
