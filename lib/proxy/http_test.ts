import assert from "node:assert/strict";
import { checkRedirect, redacted, shouldCopyHeaderOnRedirect, status } from "./http.ts";

// The https → http refusal cannot be served over loopback without
// certificates, so the rule is tested here as the pure function the host
// calls on every hop (web.securityPreservingHTTPClient, go1.26).
const checkRedirectTests: [via: string[], next: string, want: string | undefined][] = [
  [["https://proxy.example.com/a"], "https://cdn.example.com/b", undefined],
  [
    ["https://proxy.example.com/a"],
    "http://cdn.example.com/b",
    "redirected from secure URL https://proxy.example.com/a to insecure URL http://cdn.example.com/b",
  ],
  // The last hop is named, not the first.
  [
    ["https://a.example.com/1", "https://b.example.com/2"],
    "http://c.example.com/3",
    "redirected from secure URL https://b.example.com/2 to insecure URL http://c.example.com/3",
  ],
  // Only the first request's scheme counts: http → https → http is allowed.
  [["http://a.example.com/1", "https://b.example.com/2"], "http://c.example.com/3", undefined],
  [["http://a.example.com/1"], "http://a.example.com/2", undefined],
  // A file: redirect target is not https either.
  [
    ["https://a.example.com/1"],
    "file:///etc/passwd",
    "redirected from secure URL https://a.example.com/1 to insecure URL file:///etc/passwd",
  ],
  [Array.from({ length: 9 }, (_, i) => `http://a/${i}`), "http://a/9", undefined],
  [
    Array.from({ length: 10 }, (_, i) => `http://a/${i}`),
    "http://a/10",
    "stopped after 10 redirects",
  ],
  // The scheme check comes first.
  [
    Array.from({ length: 10 }, (_, i) => `https://a/${i}`),
    "http://a/10",
    "redirected from secure URL https://a/9 to insecure URL http://a/10",
  ],
];

Deno.test("checkRedirect() refuses https → http and stops after 10 requests", async (t) => {
  for (const [via, next, want] of checkRedirectTests) {
    await t.step(`checkRedirect(${via.length} requests, ${next}) = ${want}`, () => {
      assert.equal(checkRedirect(via, next), want);
    });
  }
});

const shouldCopyTests: [initial: string, dest: string, want: boolean][] = [
  ["https://example.com/a", "https://example.com/b", true],
  ["https://example.com/a", "https://example.com:8443/b", true],
  ["https://example.com/a", "https://sub.example.com/b", true],
  ["https://example.com/a", "https://notexample.com/b", false],
  ["https://sub.example.com/a", "https://example.com/b", false],
  ["https://proxy.golang.org/x", "https://storage.googleapis.com/y", false],
  ["http://[::1]:80/a", "http://[::1]:81/b", true],
  ["http://127.0.0.1/a", "http://localhost/b", false],
];

Deno.test("shouldCopyHeaderOnRedirect() keeps credentials within a domain", async (t) => {
  for (const [initial, dest, want] of shouldCopyTests) {
    await t.step(`${initial} → ${dest}: ${want}`, () => {
      assert.equal(shouldCopyHeaderOnRedirect(initial, dest), want);
    });
  }
});

Deno.test("status() spells codes as Go's http.StatusText", () => {
  assert.equal(status(404), "404 Not Found");
  assert.equal(status(410), "410 Gone");
  assert.equal(status(500), "500 Internal Server Error");
  assert.equal(status(418), "418 I'm a teapot");
  assert.equal(status(599), "599 ");
});

Deno.test("redacted() hides passwords as URL.Redacted", () => {
  assert.equal(
    redacted("https://u:secret@proxy.example.com/p"),
    "https://u:xxxxx@proxy.example.com/p",
  );
  assert.equal(redacted("https://u@proxy.example.com/p"), "https://u@proxy.example.com/p");
  assert.equal(redacted("https://u:@proxy.example.com/p"), "https://u:xxxxx@proxy.example.com/p");
  assert.equal(redacted("https://proxy.example.com/a:b@c"), "https://proxy.example.com/a:b@c");
});
