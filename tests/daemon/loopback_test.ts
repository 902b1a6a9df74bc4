// The loopback listener for bash hooks is reachable by every local user:
// another user flooding it with idle connections must not lock the owner out
// of the Unix socket, nor out of the loopback port itself, and must hold
// nothing for long (docs/hooks.md, threat model).

import assert from "node:assert/strict";
import { connect } from "../../lib/rpc/client.ts";
import { ErrorCode } from "../../lib/rpc/protocol.ts";
import { makeWorkspace, sleep, startDaemon } from "./_harness.ts";

/** More idle connections than the daemon's whole connection limit (4,096). */
const FLOOD = 4200;
/** Another user: nobody. Running the flood as it needs root and setpriv. */
const OTHER_UID = 65534;

function has(program: string): boolean {
  return ["/usr/bin", "/bin", "/usr/sbin", "/sbin"].some((d) => {
    try {
      return Deno.statSync(`${d}/${program}`).isFile;
    } catch {
      return false;
    }
  });
}

// acceptQueue returns how many connections wait in the accept queue of the
// socket listening on 127.0.0.1:port (/proc/net/tcp: rx_queue of a LISTEN
// socket), or undefined when there is none.
function acceptQueue(port: number): number | undefined {
  const want = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  for (const line of Deno.readTextFileSync("/proc/net/tcp").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[1] === want && f[3] === "0A") return parseInt(f[4].split(":")[1], 16);
  }
  return undefined;
}

/** ask sends one frame on a new loopback connection; returns the first line and whether it was then closed. */
async function ask(port: number, frame: string, waitClose = true): Promise<[string, boolean]> {
  const c = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await c.write(new TextEncoder().encode(frame + "\n"));
    const buf = new Uint8Array(65536);
    let text = "";
    // No answer at all (a connection left idle) ends the wait after a while:
    // the caller's assertion on the empty line says so.
    const t = setTimeout(() => c.close(), 10_000);
    try {
      for (;;) {
        const n = await c.read(buf);
        if (n === null) return [text, true];
        text += new TextDecoder().decode(buf.subarray(0, n));
        if (text.includes("\n")) break;
      }
    } catch {
      return [text, false];
    } finally {
      clearTimeout(t);
    }
    if (!waitClose) return [text.split("\n")[0], false];
    // Closed after the answer? (A connection left open would wait here until
    // the test's own timeout: the assertion says which.)
    const closed = await Promise.race([
      c.read(buf).then((n) => n === null, () => true),
      sleep(5000).then(() => false),
    ]);
    return [text.split("\n")[0], closed];
  } finally {
    try {
      c.close();
    } catch {
      // Closed.
    }
  }
}

Deno.test({
  name: "another user flooding the loopback port locks nobody out; idle and stray peers are closed",
  ignore: Deno.build.os !== "linux" || !has("bash"),
  async fn(t) {
    const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "gtc-loop-" }));
    const ws = await makeWorkspace(tmp);
    const d = await startDaemon({ tmp, args: ["--auth-timeout", "1"] });
    let flood: Deno.ChildProcess | undefined;
    try {
      const [, , , port, token, proof] = Deno.readTextFileSync(`${d.dir}/gtc-v1.hook`).trim()
        .split(" ");
      const params = { dir: ws.mod, env: ws.env };

      await t.step("a notification without a token: one error, then closed", async () => {
        const [line, closed] = await ask(
          Number(port),
          JSON.stringify({ jsonrpc: "2.0", method: "prompt", params }),
        );
        assert.ok(line !== "", "an answer");
        assert.equal(JSON.parse(line).error?.code, ErrorCode.Unauthorized, line);
        assert.equal(closed, true);
      });

      await t.step(`${FLOOD} idle connections from another user`, async () => {
        // bash holds the connections open (its /dev/tcp) and then sleeps.
        const script =
          `for ((i = 0; i < $2; i++)); do exec {fd}<>"/dev/tcp/127.0.0.1/$1" || break; done
echo "opened $i"; exec sleep 600`;
        let argv = ["bash", "-c", script, "flood", port, String(FLOOD)];
        if (Deno.uid() === 0 && has("setpriv")) {
          argv = [
            "setpriv",
            `--reuid=${OTHER_UID}`,
            `--regid=${OTHER_UID}`,
            "--clear-groups",
            ...argv,
          ];
        } else {
          console.log(
            "loopback_test: not root or no setpriv: the flood runs as this user " +
              "(the daemon cannot tell TCP peers apart anyway)",
          );
        }
        flood = new Deno.Command(argv[0], {
          args: argv.slice(1),
          stdout: "piped",
          stderr: "null",
        }).spawn();
        const reader = flood.stdout.getReader();
        let out = "";
        while (!out.includes("\n")) {
          const { value, done } = await reader.read();
          if (done) break;
          out += new TextDecoder().decode(value);
        }
        reader.releaseLock();
        assert.equal(out.trim(), `opened ${FLOOD}`);
        // Every one of them accepted by the daemon, none left in the kernel's queue.
        while ((acceptQueue(Number(port)) ?? 0) > 0) await sleep(20);
      });

      await t.step("the Unix socket still serves its owner", async () => {
        const c = await connect({ address: d.socket });
        try {
          const st = await c.status();
          assert.equal(st.pid, d.pid);
        } finally {
          c.close();
        }
      });

      await t.step("a hook with the token still gets its prompt on the loopback port", async () => {
        const [line] = await ask(
          Number(port),
          JSON.stringify({ jsonrpc: "2.0", id: 1, method: "prompt", params: { ...params, token } }),
          false,
        );
        assert.ok(line !== "", "an answer");
        const r = JSON.parse(line);
        assert.ok(typeof r.result === "string" && r.result.startsWith(`${proof}|`), line);
      });

      await t.step("the idle connections are closed: none holds the daemon", async () => {
        const c = await connect({ address: d.socket });
        try {
          let n = (await c.status()).connections;
          // The deadline is 1 s; wait generously on a loaded machine.
          for (let i = 0; i < 300 && n > 1; i++) {
            await sleep(100);
            n = (await c.status()).connections;
          }
          assert.equal(n, 1, "only this status connection is left");
        } finally {
          c.close();
        }
      });
    } finally {
      try {
        flood?.kill("SIGKILL");
      } catch {
        // Gone.
      }
      await flood?.status;
      await d.stop();
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
    }
  },
});
