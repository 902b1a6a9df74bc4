import assert from "node:assert/strict";
import { firstNameserver, goNetError } from "./net_error.ts";

// Deno's fetch failure: a TypeError "fetch failed" whose cause is reqwest's text.
function fetchFailure(url: string, inner: string): TypeError {
  return new TypeError("fetch failed", {
    cause: new Error(`error sending request for url (${url}): client error (Connect): ${inner}`),
  });
}

Deno.test("goNetError words fetch failures as Go's net package", async (t) => {
  const table: {
    name: string;
    url: string;
    inner: string;
    ctx?: { nameserver?: string; address?: string };
    want: string | undefined;
  }[] = [
    {
      name: "refused, IPv4 literal",
      url: "http://127.0.0.1:8/x",
      inner: "tcp connect error: Connection refused (os error 111)",
      want: "dial tcp 127.0.0.1:8: connect: connection refused",
    },
    {
      name: "refused, IPv6 literal, default https port",
      url: "https://[::1]/x",
      inner: "tcp connect error: Connection refused (os error 111)",
      want: "dial tcp [::1]:443: connect: connection refused",
    },
    {
      name: "refused, a name: the address it resolved to",
      url: "http://localhost:8/x",
      inner: "tcp connect error: Connection refused (os error 111)",
      ctx: { address: "127.0.0.1" },
      want: "dial tcp 127.0.0.1:8: connect: connection refused",
    },
    {
      name: "unreachable network",
      url: "http://10.1.2.3/x",
      inner: "tcp connect error: Network is unreachable (os error 101)",
      want: "dial tcp 10.1.2.3:80: connect: network is unreachable",
    },
    {
      name: "no such host, with the DNS server",
      url: "https://go.dev.invalid/dl/?mode=json",
      inner: "dns error: failed to lookup address information: Name or service not known",
      ctx: { nameserver: "10.0.0.53:53" },
      want: "dial tcp: lookup go.dev.invalid on 10.0.0.53:53: no such host",
    },
    {
      name: "no such host, no DNS server known",
      url: "https://go.dev.invalid/",
      inner: "dns error: failed to lookup address information: No address associated with hostname",
      want: "dial tcp: lookup go.dev.invalid: no such host",
    },
    {
      name: "unknown certificate authority",
      url: "https://127.0.0.1:4443/",
      inner: "invalid peer certificate: UnknownIssuer",
      want: "tls: failed to verify certificate: x509: certificate signed by unknown authority",
    },
    {
      name: "anything else: the innermost cause",
      url: "https://127.0.0.1:4443/",
      inner: "something new",
      want: "client error (Connect): something new",
    },
  ];
  for (const c of table) {
    await t.step(c.name, () => {
      assert.equal(goNetError(c.url, fetchFailure(c.url, c.inner), c.ctx ?? {}), c.want);
    });
  }
  await t.step("not a fetch failure", () => {
    assert.equal(goNetError("http://x/", new Error("boom"), {}), undefined);
  });
});

Deno.test("firstNameserver reads resolv.conf as Go's resolver", () => {
  assert.equal(
    firstNameserver("# c\nsearch x\nnameserver 10.0.0.53\nnameserver 1.1.1.1\n"),
    "10.0.0.53:53",
  );
  assert.equal(firstNameserver("nameserver fe80::1%eth0\n"), "[fe80::1]:53");
  assert.equal(firstNameserver(""), "127.0.0.1:53");
});
