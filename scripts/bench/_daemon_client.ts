/**
 * One client process of scripts/bench/daemon.ts's throughput part: it
 * connects to the daemon, warms up, prints "ready", waits for a line on
 * stdin (the start signal every client gets at once), sends its resolve
 * requests one after another, and prints one JSON line: the wall-clock start
 * and end (ms since the epoch, sub-millisecond) and each request's latency
 * in µs.
 *
 *   deno run -A scripts/bench/_daemon_client.ts <socket> <dir> <requests>
 *   (the environment sent with each request is this process's)
 *
 * @module
 */

import { connect } from "../../lib/rpc/client.ts";

const [address, dir, n] = Deno.args;
const requests = Number(n);
const env = Deno.env.toObject();
const enc = new TextEncoder();
const c = await connect({ address, env });
for (let i = 0; i < 200; i++) await c.resolve(dir);
Deno.stdout.writeSync(enc.encode("ready\n"));
// Wait for the start signal.
const reader = Deno.stdin.readable.getReader();
await reader.read();
reader.releaseLock();
const now = () => performance.timeOrigin + performance.now();
const lat = new Array<number>(requests);
const start = now();
for (let i = 0; i < requests; i++) {
  const t = performance.now();
  await c.resolve(dir);
  lat[i] = (performance.now() - t) * 1000;
}
const end = now();
c.close();
Deno.stdout.writeSync(enc.encode(JSON.stringify({ start, end, lat }) + "\n"));
