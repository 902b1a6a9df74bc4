/**
 * Differential test: a request that gets no answer is explained as the go
 * command explains it (issue 12, point 5): `dial tcp 127.0.0.1:N: connect:
 * connection refused`, `dial tcp: lookup x.invalid on <dns>:53: no such
 * host`, never a bare "fetch failed". For every source gtc reads:
 *
 * - goproxy: `gtc list --remote` against `go list -m -versions golang.org/toolchain`;
 * - sumdb: `gtc exec -- go version` against `go version` switching to a
 *   toolchain the (loopback) proxy serves, with GOSUMDB naming the failing URL;
 * - godl and microsoft (mirrors the go command never reads): the cause gtc
 *   prints after `Get "<url>": ` is the cause the go command prints for a
 *   request to the same host and port.
 *
 * The failing endpoints: a loopback port that refuses connections, and a
 * name under the reserved .invalid TLD. The name case is skipped, with a
 * message, where the machine has no DNS server answering "no such host".
 */
import assert from "node:assert/strict";
import { findGo } from "./gocmd.ts";
import { gtc, refusedPort, run } from "./_cli.ts";
import { startFixture } from "../fixtures/mod.ts";

const { go, reason } = await findGo();
if (go === undefined) console.log(`skipping net_errors_test: ${reason}`);

// lastLine is the failure itself (the go command may print "go: downloading …" first).
function lastLine(s: string): string {
  const lines = s.trimEnd().split("\n");
  return lines[lines.length - 1];
}

// cause returns what follows `Get "<url>": ` in an error line.
function cause(line: string): string {
  const m = /Get "[^"]*": (.*)$/.exec(line);
  assert.ok(m, `no Get "…": in ${JSON.stringify(line)}`);
  return m[1];
}

Deno.test({
  name: "network failures name their cause as the go command does, for every source",
  ignore: go === undefined || Deno.build.os !== "linux" || Deno.build.arch !== "x86_64",
  async fn(t) {
    const f = await startFixture({ toolchains: ["go1.99.1"] });
    try {
      const base = { ...f.env, PATH: `${go!.bindir}:/usr/bin:/bin` };
      const endpoints = [
        { name: "a refused loopback port", url: `http://127.0.0.1:${refusedPort()}` },
        { name: "a name that does not resolve", url: "https://gtc-test.invalid" },
      ];
      for (const ep of endpoints) {
        // The go command's own words for this endpoint, through GOPROXY.
        const ref = await run(
          go!.path,
          ["list", "-m", "-versions", "golang.org/toolchain"],
          { ...base, GOPROXY: ep.url, GOFLAGS: "-mod=mod" },
          f.work,
        );
        assert.notEqual(ref.code, 0, ref.stdout);
        const want = lastLine(ref.stderr);
        if (ep.url.endsWith(".invalid") && !want.endsWith(": no such host")) {
          console.log(`skipping ${ep.name}: no DNS server says "no such host" here (${want})`);
          continue;
        }

        await t.step(`goproxy: ${ep.name}`, async () => {
          const r = await gtc(
            ["list", "--remote", "--source", "goproxy"],
            { ...base, GOPROXY: ep.url },
            f.work,
          );
          assert.equal(r.code, 1, r.stderr);
          assert.equal(lastLine(r.stderr).replace(/^gtc: /, ""), want.replace(/^go: /, ""));
        });

        await t.step(`sumdb: ${ep.name}`, async () => {
          const env = { ...base, GOSUMDB: `${f.sumdb.vkey} ${ep.url}`, GOTOOLCHAIN: "go1.99.1" };
          const g = await run(go!.path, ["version"], env, f.work);
          assert.equal(g.code, 1, g.stdout);
          const r = await gtc(["exec", "--", "go", "version"], env, f.work);
          assert.equal(r.code, 1, r.stdout);
          assert.equal(
            lastLine(r.stderr).replace(/^gtc: /, ""),
            lastLine(g.stderr).replace(/^go: /, ""),
          );
        });

        for (
          const [source, variable] of [["godl", "GTC_GODL_MIRROR"], [
            "microsoft",
            "GTC_MICROSOFT_MIRROR",
          ]]
        ) {
          await t.step(`${source}: ${ep.name}`, async () => {
            const r = await gtc(
              ["list", "--remote", "--source", source],
              { ...base, [variable]: ep.url },
              f.work,
            );
            assert.equal(r.code, 1, r.stderr);
            assert.equal(cause(lastLine(r.stderr)), cause(want));
          });
        }
      }
    } finally {
      await f.close();
    }
  },
});
