/**
 * The daemon test harness waits on events: a daemon that cannot start is
 * reported as soon as it exits, not after a deadline (issue 12: fixed 10 s
 * deadlines failed on a loaded machine; the backstop is now generous).
 */
import assert from "node:assert/strict";
import { startDaemon } from "./_harness.ts";

Deno.test({
  name: "startDaemon reports a daemon that exits before listening, with its status",
  ignore: Deno.build.os === "windows",
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "gtc-harness-" });
    try {
      await assert.rejects(
        startDaemon({ tmp, args: ["--no-such-flag"] }),
        /the daemon exited \(code [1-9]\d*\) before listening on /,
      );
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
