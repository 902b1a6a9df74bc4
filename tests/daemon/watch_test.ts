// Real file edits against a real daemon: each kind of change reaches a
// subscriber, and the next resolve reflects it.

import assert from "node:assert/strict";
import { resolveSync } from "../../mod.ts";
import { type Change, connect } from "../../lib/rpc/client.ts";
import { makeWorkspace, startDaemon, writeAtomic } from "./_harness.ts";

function plain<T>(x: T): T {
  return JSON.parse(JSON.stringify(x));
}

// Changes is a subscriber's inbox.
class Changes {
  list: Change[] = [];
  #waiters: (() => void)[] = [];
  push = (c: Change) => {
    this.list.push(c);
    for (const w of this.#waiters.splice(0)) w();
  };
  /** next waits for a change whose explanation satisfies ok. */
  async next(ok: (c: Change) => boolean, ms = 5000): Promise<Change> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.list.findIndex(ok);
      if (i >= 0) {
        const c = this.list[i];
        this.list.splice(0, i + 1);
        return c;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `no matching change within ${ms} ms; got ${
            JSON.stringify(
              this.list.map((
                c,
              ) => [c.reason, c.paths, c.explanation.toolchain, c.explanation.source]),
            )
          }`,
        );
      }
      await Promise.race([
        new Promise<void>((r) => this.#waiters.push(r)),
        new Promise((r) => setTimeout(r, left)),
      ]);
    }
  }
}

Deno.test("file changes reach subscribers and the next resolve", async (t) => {
  const d = await startDaemon();
  const ws = await makeWorkspace(d.tmp);
  const c = await connect({ address: d.socket, env: ws.env });
  const inbox = new Changes();
  const gomod = `${ws.mod}/go.mod`;
  try {
    const sub = await c.subscribe(ws.mod, inbox.push);
    assert.equal(sub.explanation.source, "local");

    const check = async (change: Change) => {
      assert.equal(change.dir, ws.mod);
      const want = plain(resolveSync({ dir: ws.mod, env: ws.env }));
      assert.deepEqual(change.explanation, want);
      assert.deepEqual(await c.resolve(ws.mod), want);
    };

    await t.step("append-write to go.mod", async () => {
      await Deno.writeTextFile(gomod, "\ntoolchain go1.30.0\n", { append: true });
      const ch = await inbox.next((x) => x.explanation.toolchain === "go1.30.0");
      assert.equal(ch.reason, "file");
      assert.ok(ch.paths.includes(gomod), JSON.stringify(ch.paths));
      assert.equal(ch.explanation.source, "download");
      await check(ch);
    });

    await t.step("a go1.30.0 program appears in a PATH directory", async () => {
      await Deno.writeTextFile(`${ws.bin}/go1.30.0`, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
      Deno.chmodSync(`${ws.bin}/go1.30.0`, 0o755);
      const ch = await inbox.next((x) => x.explanation.source === "path");
      assert.equal(ch.explanation.exe, `${ws.bin}/go1.30.0`);
      await check(ch);
    });

    await t.step("the program loses its execute bit", async () => {
      Deno.chmodSync(`${ws.bin}/go1.30.0`, 0o644);
      const ch = await inbox.next((x) => x.explanation.source === "download");
      await check(ch);
      Deno.removeSync(`${ws.bin}/go1.30.0`);
    });

    await t.step("rename-save (editor)", async () => {
      await writeAtomic(gomod, "module example.com/mod\n\ngo 1.21\n\ntoolchain go1.31.2\n");
      const ch = await inbox.next((x) => x.explanation.toolchain === "go1.31.2");
      await check(ch);
    });

    await t.step("delete and recreate", async () => {
      await Deno.remove(gomod);
      await inbox.next((x) => x.explanation.file === null);
      await Deno.writeTextFile(gomod, "module example.com/mod\n\ngo 1.21\n\ntoolchain go1.32.0\n");
      const ch = await inbox.next((x) => x.explanation.toolchain === "go1.32.0");
      await check(ch);
    });

    await t.step("a go.work appears in a parent directory", async () => {
      await Deno.writeTextFile(`${ws.root}/src/go.work`, "go 1.33.1\n\nuse ./proj/mod\n");
      const ch = await inbox.next((x) => x.explanation.file?.kind === "go.work");
      assert.equal(ch.explanation.toolchain, "go1.33.1");
      assert.ok(ch.paths.includes(`${ws.root}/src/go.work`), JSON.stringify(ch.paths));
      await check(ch);
    });

    await t.step("the go.work is removed by rename-away", async () => {
      await Deno.rename(`${ws.root}/src/go.work`, `${ws.root}/src/go.work.bak`);
      const ch = await inbox.next((x) => x.explanation.file?.kind === "go.mod");
      await check(ch);
    });

    await t.step(
      "the go env file is created in a directory that did not exist (mkdir race)",
      async () => {
        // No GOTOOLCHAIN in the environment: the go env file decides.
        const env = { ...ws.env };
        delete env.GOTOOLCHAIN;
        const inbox2 = new Changes();
        const sub2 = await c.subscribe(ws.mod, inbox2.push, { env });
        assert.notEqual(sub2.explanation.gotoolchain.origin.startsWith("go env file"), true);
        await Deno.mkdir(`${ws.home}/.config/go`, { recursive: true });
        await Deno.writeTextFile(`${ws.home}/.config/go/env`, "GOTOOLCHAIN=go1.34.0+auto\n");
        const ch = await inbox2.next((x) => x.explanation.toolchain === "go1.34.0");
        assert.match(ch.explanation.gotoolchain.origin, /go env file/);
        assert.deepEqual(ch.explanation, plain(resolveSync({ dir: ws.mod, env })));
        assert.deepEqual(await c.resolve(ws.mod, { env }), ch.explanation);
        await sub2.close();
      },
    );

    await t.step("unsubscribe stops notifications; status counts subscriptions", async () => {
      assert.equal((await c.status()).subscriptions, 1);
      await sub.close();
      assert.equal((await c.status()).subscriptions, 0);
      inbox.list = [];
      await Deno.writeTextFile(gomod, "module example.com/mod\n\ngo 1.21\n");
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(inbox.list.length, 0);
      // Unsubscribed answers are still fresh on request.
      assert.deepEqual(await c.resolve(ws.mod), plain(resolveSync({ dir: ws.mod, env: ws.env })));
    });

    await t.step("a directory deleted and recreated is watched again", async () => {
      const inbox3 = new Changes();
      const sub3 = await c.subscribe(ws.mod, inbox3.push);
      await Deno.remove(ws.mod, { recursive: true });
      await inbox3.next((x) => x.explanation.file === null);
      await Deno.mkdir(ws.mod);
      await Deno.writeTextFile(gomod, "module example.com/mod\n\ngo 1.21\n\ntoolchain go1.35.0\n");
      await inbox3.next((x) => x.explanation.toolchain === "go1.35.0");
      // And later edits still arrive (the new directory has a watch).
      await Deno.writeTextFile(gomod, "module example.com/mod\n\ngo 1.21\n\ntoolchain go1.36.0\n");
      const ch = await inbox3.next((x) => x.explanation.toolchain === "go1.36.0");
      await check(ch);
      await sub3.close();
    });
  } finally {
    c.close();
    await d.stop();
  }
});

Deno.test("an answer is never stale: edits seen by resolve without a subscription", async () => {
  const d = await startDaemon();
  const ws = await makeWorkspace(d.tmp);
  const c = await connect({ address: d.socket, env: ws.env });
  try {
    const gomod = `${ws.mod}/go.mod`;
    for (let i = 0; i < 20; i++) {
      const v = `go1.40.${i}`;
      await writeAtomic(gomod, `module m\n\ngo 1.21\n\ntoolchain ${v}\n`);
      // fresh: true closes the race between the write and the watcher's event.
      assert.equal((await c.resolve(ws.mod, { fresh: true })).toolchain, v);
      await new Promise((r) => setTimeout(r, 30));
      assert.equal((await c.resolve(ws.mod)).toolchain, v);
    }
  } finally {
    c.close();
    await d.stop();
  }
});
