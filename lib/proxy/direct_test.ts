import assert from "node:assert/strict";
import { denoHttp } from "../host/http.ts";
import { lookupDirect, matchGoImport, parseMetaGoImports } from "./direct.ts";
import type { HttpClient } from "./http.ts";
import { makeTestTls, serveTls } from "./_test_server.ts";

Deno.test("parseMetaGoImports() reads go-import tags as vcs.parseMetaGoImports", async (t) => {
  await t.step("the golang.org/toolchain page", () => {
    assert.deepEqual(
      parseMetaGoImports(
        '<!DOCTYPE html>\n<html><head>\n<meta name="go-import" content="golang.org/toolchain mod https://go.dev/dl/mod">\n</head></html>',
      ),
      [{
        prefix: "golang.org/toolchain",
        vcs: "mod",
        repoRoot: "https://go.dev/dl/mod",
        subDir: "",
      }],
    );
  });
  await t.step("mod entries first; a mod entry hides the others for its prefix", () => {
    const html = `<head>
      <meta name="go-import" content="example.com/a git https://git.example.com/a">
      <META NAME="go-import" CONTENT="example.com/a mod https://proxy.example.com">
      <meta name='go-import' content='example.com/b hg https://hg.example.com/b sub'>
      <meta name="go-source" content="example.com/a x y z">
      <meta name="go-import" content="too few">
    </head>`;
    assert.deepEqual(parseMetaGoImports(html), [
      { prefix: "example.com/a", vcs: "mod", repoRoot: "https://proxy.example.com", subDir: "" },
      { prefix: "example.com/b", vcs: "hg", repoRoot: "https://hg.example.com/b", subDir: "sub" },
    ]);
  });
  await t.step("reading stops at <body> and </head>; comments are skipped", () => {
    assert.deepEqual(
      parseMetaGoImports(
        '<!-- <meta name="go-import" content="a.b/c mod https://x"> --><body><meta name="go-import" content="a.b/c mod https://y">',
      ),
      [],
    );
    assert.deepEqual(
      parseMetaGoImports('</head><meta name="go-import" content="a.b/c mod https://y">'),
      [],
    );
  });
  await t.step("entities in attribute values", () => {
    assert.equal(
      parseMetaGoImports('<meta name="go-import" content="a.b/c mod https://x/?a=1&amp;b=2">')[0]
        .repoRoot,
      "https://x/?a=1&b=2",
    );
  });
});

Deno.test("matchGoImport() follows vcs.matchGoImport", () => {
  const mod = { prefix: "example.com/a", vcs: "mod", repoRoot: "https://p", subDir: "" };
  const git = { prefix: "example.com/a", vcs: "git", repoRoot: "https://g", subDir: "" };
  assert.equal(matchGoImport([mod, git], "example.com/a/b", "u"), mod);
  assert.throws(() => matchGoImport([git, git], "example.com/a", "u"), {
    message: 'parse u: multiple meta tags match import path "example.com/a"',
  });
  assert.throws(() => matchGoImport([mod], "example.com/ab", "u"), {
    message:
      "parse u: no go-import meta tags (meta tag example.com/a did not match import path example.com/ab)",
  });
});

// GOINSECURE on the go-import lookup, over real TLS: a server whose
// certificate the host does not trust stands in for example.com (requests
// are redirected to it, as the go command's web/intercept does in its tests).
Deno.test("lookupDirect() accepts an untrusted certificate only for GOINSECURE paths", async (t) => {
  const tls = await makeTestTls();
  if (tls === undefined) {
    console.log("lib/proxy/direct_test.ts: no openssl; skipping the GOINSECURE test");
    return;
  }
  try {
    await using srv = serveTls(tls, () =>
      new Response(
        '<meta name="go-import" content="example.com/m mod https://mirror.example/mod">',
        { headers: { "content-type": "text/html" } },
      ));
    const intercept: HttpClient = {
      get: (url, init) =>
        denoHttp.get(url.replace(/^https:\/\/example\.com\//, `${srv.url}/`), init),
    };
    await t.step("GOINSECURE=example.com: found, over https", async () => {
      const repo = await lookupDirect("example.com/m", {
        http: intercept,
        goinsecure: "example.com",
      });
      assert.equal(repo.url("@v/list"), "https://mirror.example/mod/example.com/m/@v/list");
      assert.deepEqual(srv.requests.map((r) => r.target), ["/m?go-get=1"]);
    });
    await t.step("no GOINSECURE: the certificate is refused, with Go's wording", async () => {
      await assert.rejects(
        () => lookupDirect("example.com/m", { http: intercept }),
        (e: Error) => {
          assert.match(
            e.message,
            new RegExp(
              `^unrecognized import path "example.com/m": https fetch: Get "${srv.url}/m\\?go-get=1": `,
            ),
          );
          return true;
        },
      );
    });
  } finally {
    await tls.close();
  }
});
