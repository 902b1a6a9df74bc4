// Abuse of a real daemon: floods of malformed frames, oversized and
// never-ending frames, hundreds of clients, clients that vanish mid-request,
// and a daemon killed mid-request. The daemon keeps serving everyone else.

import assert from "node:assert/strict";
import { resolveSync } from "../../mod.ts";
import { connect } from "../../lib/rpc/client.ts";
import { ErrorCode, MAX_FRAME_BYTES } from "../../lib/rpc/protocol.ts";
import { LineClient, makeWorkspace, sleep, startCommand, startDaemon } from "./_harness.ts";

function plain<T>(x: T): T {
  return JSON.parse(JSON.stringify(x));
}

const garbage = [
  "{",
  "}",
  "nul",
  '{"jsonrpc":"2.0","id":1,"method":',
  '"just a string"',
  "[[]]",
  '{"jsonrpc":"1.0","id":1,"method":"status"}',
  '{"jsonrpc":"2.0","id":{},"method":"status"}',
  '{"jsonrpc":"2.0","id":1,"method":42}',
  '{"jsonrpc":"2.0","id":1,"method":"resolve","params":{"dir":"/","env":"PATH"}}',
  "\u0000\u0001\u0002",
  "\xff\xfe",
  '{"a":' + "[".repeat(5000) + "]".repeat(5000) + "}",
];

// connectionsSettle waits until the daemon counts want connections (it
// sees closes as events, later on a loaded machine) and returns the count,
// giving up after a minute.
async function connectionsSettle(c: { status(): Promise<{ connections: number }> }, want: number) {
  let n = (await c.status()).connections;
  for (let i = 0; i < 600 && n !== want; i++) {
    await sleep(100);
    n = (await c.status()).connections;
  }
  return n;
}

Deno.test("malformed, oversized and never-ending frames; the daemon keeps serving", async (t) => {
  const d = await startDaemon({ args: ["--stall-timeout", "1"] });
  const ws = await makeWorkspace(d.tmp);
  const want = plain(resolveSync({ dir: ws.mod, env: ws.env }));
  const good = await connect({ address: d.socket, env: ws.env });
  try {
    await t.step("10,000 malformed frames each get an error answer", async () => {
      const lc = await LineClient.open(d.socket);
      const N = 10_000;
      let frames = "";
      for (let i = 0; i < N; i++) frames += garbage[i % garbage.length] + "\n";
      const writing = lc.write(frames);
      // Another client is served while the flood is processed.
      const during = good.resolve(ws.mod);
      let errors = 0;
      for (let i = 0; i < N; i++) {
        const l = await lc.line();
        assert.ok(l !== undefined, `answer ${i} missing`);
        const r = JSON.parse(l);
        const e = Array.isArray(r) ? r[0].error : r.error;
        assert.ok(e && e.code <= -32600 && e.code >= -32700, l);
        errors++;
      }
      await writing;
      assert.equal(errors, N);
      assert.deepEqual(await during, want);
      // The same connection still works.
      await lc.write('{"jsonrpc":"2.0","id":"after","method":"status"}\n');
      assert.equal((await lc.json() as { id: string }).id, "after");
      lc.close();
    });

    await t.step("an oversized frame gets one -32600 and the connection goes on", async () => {
      const lc = await LineClient.open(d.socket);
      const big = '{"jsonrpc":"2.0","id":1,"method":"status","params":{"x":"' +
        "a".repeat(MAX_FRAME_BYTES + 10) + '"}}\n';
      await lc.write(big);
      const r = await lc.json() as { id: null; error: { code: number; message: string } };
      assert.equal(r.error.code, ErrorCode.InvalidRequest);
      assert.match(r.error.message, /frame longer than 1048576 bytes/);
      await lc.write('{"jsonrpc":"2.0","id":2,"method":"status"}\n');
      assert.equal((await lc.json() as { id: number }).id, 2);
      lc.close();
    });

    await t.step("a never-ending frame (64 MiB, no newline) costs no memory", async () => {
      const lc = await LineClient.open(d.socket);
      const chunk = new Uint8Array(1 << 20).fill(0x61);
      const before = (await good.status()).rssBytes;
      for (let i = 0; i < 64; i++) await lc.write(chunk);
      const r = await lc.json() as { error: { code: number } };
      assert.equal(r.error.code, ErrorCode.InvalidRequest);
      const s = await good.status();
      assert.ok(
        s.rssBytes - before < 48e6,
        `RSS grew by ${((s.rssBytes - before) / 1e6).toFixed(1)} MB`,
      );
      assert.deepEqual(await good.resolve(ws.mod), want);
      lc.close();
    });

    await t.step("clients that disconnect mid-request or mid-frame", async () => {
      for (let i = 0; i < 50; i++) {
        const lc = await LineClient.open(d.socket);
        await lc.write(
          JSON.stringify({
            jsonrpc: "2.0",
            id: i,
            method: "resolve",
            params: { dir: ws.mod, env: ws.env, fresh: true },
          }) + (i % 2 ? "\n" : ""),
        );
        lc.close();
      }
      assert.deepEqual(await good.resolve(ws.mod), want);
      assert.equal(await connectionsSettle(good, 1), 1);
    });

    await t.step("a client that never reads its answers is dropped", async () => {
      const conn = await Deno.connect({ transport: "unix", path: d.socket });
      // Big answers (rpc.discover, ~10 KB each), never read.
      const req = new TextEncoder().encode(
        '{"jsonrpc":"2.0","id":1,"method":"rpc.discover"}\n'.repeat(1000),
      );
      let dropped = false;
      try {
        for (let i = 0; i < 400 && !dropped; i++) {
          let off = 0;
          while (off < req.length) off += await conn.write(req.subarray(off));
        }
      } catch {
        dropped = true;
      }
      assert.deepEqual(await good.resolve(ws.mod), want);
      assert.ok(dropped, "the daemon dropped the connection");
      assert.match(await Deno.readTextFile(`${d.dir}/daemon.log`), /stopped reading its answers/);
      conn.close();
    });
  } finally {
    good.close();
    await d.stop();
  }
});

Deno.test("200 concurrent clients get correct answers", async () => {
  const d = await startDaemon();
  const ws = await makeWorkspace(d.tmp);
  const dirs: string[] = [];
  for (let i = 0; i < 20; i++) {
    const m = `${ws.root}/src/m${i}`;
    await Deno.mkdir(m, { recursive: true });
    await Deno.writeTextFile(
      `${m}/go.mod`,
      `module m${i}\n\ngo 1.21\n\ntoolchain go1.${40 + i}.0\n`,
    );
    dirs.push(m);
  }
  try {
    const clients = await Promise.all(
      Array.from({ length: 200 }, () => connect({ address: d.socket, env: ws.env })),
    );
    await Promise.all(clients.map(async (c, i) => {
      for (let k = 0; k < 10; k++) {
        const dir = dirs[(i + k) % dirs.length];
        const x = await c.resolve(dir);
        assert.equal(x.toolchain, `go1.${40 + ((i + k) % dirs.length)}.0`);
      }
    }));
    assert.equal((await clients[0].status()).connections, 200);
    for (const c of clients) c.close();
    const c = await connect({ address: d.socket });
    assert.equal(await connectionsSettle(c, 1), 1);
    c.close();
  } finally {
    await d.stop();
  }
});

Deno.test("the daemon killed mid-request: the client restarts it and gets its answer", async () => {
  const d = await startDaemon();
  const ws = await makeWorkspace(d.tmp);
  const c = await connect({ dir: d.dir, start: startCommand(), env: ws.env });
  let sub;
  try {
    const first = await c.status();
    assert.equal(first.pid, d.pid);
    const changes: string[] = [];
    sub = await c.subscribe(
      ws.mod,
      (ch) => changes.push(`${ch.reason}:${ch.explanation.toolchain}`),
    );
    // Freeze the daemon so the request is certainly in flight, then kill it.
    Deno.kill(d.pid, "SIGSTOP");
    const pending = c.resolve(ws.mod);
    await sleep(100);
    Deno.kill(d.pid, "SIGKILL");
    await d.child.output();
    assert.deepEqual(await pending, plain(resolveSync({ dir: ws.mod, env: ws.env })));
    const second = await c.status();
    assert.notEqual(second.pid, first.pid);
    // The subscription was renewed with the new daemon: edits still arrive.
    await Deno.writeTextFile(`${ws.mod}/go.mod`, "module m\n\ngo 1.21\n\ntoolchain go1.77.0\n");
    const seen = () => changes.some((c) => c.endsWith(":go1.77.0"));
    for (let i = 0; i < 100 && !seen(); i++) await sleep(50);
    assert.ok(seen(), JSON.stringify(changes));
    await c.shutdown();
  } finally {
    await sub?.close();
    c.close();
  }
});

// Issue 9.3: one directory whose go.mod is a named pipe, a link to
// /dev/zero or a huge sparse file must not freeze or balloon the daemon:
// that request fails alone, naming the file, while other clients are
// answered. Without the fix the pipe froze the whole daemon until something
// wrote to it: a writer started long after (writing again and again) turns
// that hang into a failure (the pipe's answer is then "module unblocked").
Deno.test({
  name: "a FIFO, /dev/zero or huge go.mod fails alone; other clients keep being answered",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const d = await startDaemon();
    const ws = await makeWorkspace(d.tmp);
    const dir = (n: string) => `${ws.root}/src/${n}`;
    for (const n of ["fifo", "zero", "huge"]) await Deno.mkdir(dir(n), { recursive: true });
    assert.ok(
      (await new Deno.Command("mkfifo", { args: [`${dir("fifo")}/go.mod`] }).output()).success,
    );
    await Deno.symlink("/dev/zero", `${dir("zero")}/go.mod`);
    await Deno.writeFile(`${dir("huge")}/go.mod`, new Uint8Array(0));
    await Deno.truncate(`${dir("huge")}/go.mod`, 3 * 2 ** 30);
    const writer = new Deno.Command("sh", {
      args: [
        "-c",
        'sleep 60; while :; do printf "module unblocked\\n" > "$1"; done',
        "sh",
        `${dir("fifo")}/go.mod`,
      ],
    }).spawn();
    const bad = await connect({ address: d.socket, env: ws.env });
    const good = await connect({ address: d.socket, env: ws.env });
    try {
      const stuck = ["fifo", "zero", "huge"].map((n) => bad.why(dir(n)));
      // Another client, another directory: answered while those are asked.
      const other = await good.why(ws.mod);
      assert.equal(other.error, null, other.text);
      const status = await good.status();
      const want: [string, RegExp][] = [
        ["fifo", /a named pipe \(FIFO\), not a regular file: .*would block/],
        ["zero", /a character device, not a regular file: .*\/dev\/zero/],
        ["huge", /larger than 64 MiB \(3221225472 bytes\)/],
      ];
      for (const [i, [n, re]] of want.entries()) {
        const r = await stuck[i];
        assert.ok(r.error !== null, `${n}: want an error, got ${r.text}`);
        assert.match(r.error, re);
        assert.ok(r.error.includes(`${dir(n)}/go.mod`), `${n}: names the file: ${r.error}`);
        assert.ok(!/internal error/.test(r.text), r.text);
      }
      // Nothing was read into memory: far below the 3 GB file.
      assert.ok(status.rssBytes < 1 << 30, `rss ${status.rssBytes}`);
      assert.ok((await good.status()).rssBytes < 1 << 30);
    } finally {
      bad.close();
      good.close();
      try {
        writer.kill("SIGKILL");
      } catch {
        // Done.
      }
      await writer.status;
      await d.stop();
    }
  },
});

// Issue 9.6: JSON text is UTF-8. A params.dir holding bytes that are not
// (or a lone surrogate, which no file name holds) is refused with -32602,
// never decoded with U+FFFD and answered for another directory, here one
// really named with U+FFFD.
Deno.test("params.dir that is not valid UTF-8 is refused with -32602", async () => {
  const d = await startDaemon();
  const ws = await makeWorkspace(d.tmp);
  const base = `${ws.root}/src`;
  await Deno.mkdir(`${base}/x\uFFFD`, { recursive: true });
  await Deno.writeTextFile(`${base}/x\uFFFD/go.mod`, "module decoy\n\ngo 1.21\n");
  await Deno.mkdir(`${base}/é`, { recursive: true });
  await Deno.writeTextFile(`${base}/é/go.mod`, "module accent\n\ngo 1.21\n");
  const enc = new TextEncoder();
  const frame = (dirBytes: Uint8Array, id: number) => {
    const head = enc.encode(`{"jsonrpc":"2.0","id":${id},"method":"resolve","params":{"dir":"`);
    const tail = enc.encode(`","env":${JSON.stringify(ws.env)}}}\n`);
    const out = new Uint8Array(head.length + dirBytes.length + tail.length);
    out.set(head);
    out.set(dirBytes, head.length);
    out.set(tail, head.length + dirBytes.length);
    return out;
  };
  const lc = await LineClient.open(d.socket);
  try {
    const cases: [string, Uint8Array, RegExp | null][] = [
      [
        "a 0xff byte",
        new Uint8Array([...enc.encode(`${base}/x`), 0xff]),
        /params\.dir: not valid UTF-8/,
      ],
      [
        "a truncated sequence",
        new Uint8Array([...enc.encode(`${base}/x`), 0xc3]),
        /params\.dir: not valid UTF-8/,
      ],
      [
        "a lone surrogate escape",
        enc.encode(`${base}/x\\udc80`),
        /params\.dir: not well-formed Unicode/,
      ],
      ["valid UTF-8", enc.encode(`${base}/é`), null],
    ];
    for (const [i, [name, bytes, want]] of cases.entries()) {
      await lc.write(frame(bytes, i));
      const r = await lc.json() as {
        id: number;
        result?: { file?: { path: string } };
        error?: { code: number; message: string };
      };
      assert.equal(r.id, i, name);
      if (want === null) {
        assert.equal(r.error, undefined, `${name}: ${JSON.stringify(r.error)}`);
        assert.equal(r.result?.file?.path, `${base}/é/go.mod`, name);
      } else {
        assert.equal(r.error?.code, ErrorCode.InvalidParams, `${name}: ${JSON.stringify(r)}`);
        assert.match(r.error!.message, want, name);
      }
    }
  } finally {
    lc.close();
    await d.stop();
  }
});

// hugeGoMod writes a valid go.mod of about mib MiB (a long require block).
async function hugeGoMod(path: string, mib: number): Promise<void> {
  const lines = ["module huge", "", "go 1.21", "", "require ("];
  let size = 0;
  for (let i = 0; size < mib << 20; i++) {
    const l = `\texample.com/m${String(i).padStart(8, "0")} v1.0.${i % 100}`;
    lines.push(l);
    size += l.length + 1;
  }
  lines.push(")", "");
  await Deno.writeTextFile(path, lines.join("\n"));
}

// Issue 9.3: parsing a go.mod of several MiB takes seconds. The daemon
// computes such an answer in a worker: a client asking elsewhere is
// answered first, and past the deadline the request fails alone, naming
// the file. Without the worker, the heavy request held the only thread and
// was answered before the light one sent after it.
Deno.test("a huge go.mod is parsed in a worker; other clients first; the deadline fails alone", async (t) => {
  const tmp = await Deno.makeTempDir({ prefix: "gtc-daemon-" });
  const ws = await makeWorkspace(tmp);
  const heavy = `${ws.root}/src/heavy`;
  await Deno.mkdir(heavy, { recursive: true });
  await hugeGoMod(`${heavy}/go.mod`, 4);
  await t.step("answered in a worker while another client is answered", async () => {
    const d = await startDaemon({ tmp, args: ["--inline-max", "65536", "--deadline", "600"] });
    const a = await connect({ address: d.socket, env: ws.env });
    const b = await connect({ address: d.socket, env: ws.env });
    try {
      const order: string[] = [];
      const big = a.resolve(heavy).then((x) => (order.push("heavy"), x));
      const small = await b.resolve(ws.mod).then((x) => (order.push("light"), x));
      const x = await big;
      assert.deepEqual(order, ["light", "heavy"]);
      assert.equal(small.error, null);
      assert.equal(x.error, null, String(x.error));
      assert.equal(x.file?.path, `${heavy}/go.mod`);
      assert.deepEqual(plain(x), plain(resolveSync({ dir: heavy, env: ws.env })));
      // Answered from the cache now: no second worker.
      const again = await b.resolve(heavy);
      assert.deepEqual(again, x);
    } finally {
      a.close();
      b.close();
      await d.stop();
    }
  });
  await t.step("past the deadline the request fails alone, naming the file", async () => {
    // 1 ms: no worker can even start in that time.
    const d = await startDaemon({ args: ["--inline-max", "65536", "--deadline", "0.001"] });
    const c = await connect({ address: d.socket, env: ws.env });
    try {
      const x = await c.why(heavy);
      assert.ok(x.error !== null, x.text);
      assert.match(
        x.error,
        new RegExp(`read ${heavy}/go\\.mod: gtc gave up reading and parsing it after 0\\.001 s`),
      );
      assert.ok(!/internal error/.test(x.text), x.text);
      assert.equal((await c.why(ws.mod)).error, null);
    } finally {
      c.close();
      await d.stop();
      await Deno.remove(d.tmp, { recursive: true });
    }
  });
  await Deno.remove(tmp, { recursive: true });
});
