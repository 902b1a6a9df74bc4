/**
 * The one-file bundle on Node (the runtime for linux-armv6l and any machine
 * Deno has no build for): the smoke suite's steps that gtc's Node path
 * covers so far, with this machine's node. The daemon itself still runs on
 * Deno here; a Node client dials it, asks it (its request counter moves) and
 * gets the same answer. Skipped, saying so, where no node >= 18 is on PATH.
 */
import assert from "node:assert/strict";
import { runSmoke } from "./smoke.ts";
import { assertPassed, bundleInTemp } from "./_bundle.ts";

// nodeOnPath returns node's path when `node --version` says 18 or newer.
function nodeOnPath(): { node?: string; reason?: string } {
  let out: Deno.CommandOutput;
  try {
    out = new Deno.Command("node", { args: ["--version"], stderr: "null" }).outputSync();
  } catch {
    return { reason: "no node on PATH (apt-get install nodejs)" };
  }
  const v = new TextDecoder().decode(out.stdout).trim();
  const major = Number(/^v(\d+)\./.exec(v)?.[1]);
  if (!(major >= 18)) return { reason: `node ${v} on PATH is older than 18` };
  return { node: "node" };
}

const { node, reason } = nodeOnPath();
if (reason) console.log(`skipping tests/onefile/node_test.ts: ${reason}`);

// nodeFile returns the bundle as Node should load it: Node < 20.19 tells an
// ES module from a script only by name (.mjs), newer ones by its syntax.
async function nodeFile(file: string): Promise<string> {
  const out = new Deno.Command("node", { args: ["-p", "process.versions.node"] }).outputSync();
  const [major, minor] = new TextDecoder().decode(out.stdout).trim().split(".").map(Number);
  if (major > 20 || (major === 20 && minor >= 19)) return file;
  const mjs = file.replace(/\.js$/, ".mjs");
  await Deno.copyFile(file, mjs);
  return mjs;
}

Deno.test({
  name: "the bundle runs on node: --version, why, current",
  ignore: node === undefined,
  async fn() {
    const file = await bundleInTemp();
    try {
      const only = ["--version", "why", "current"];
      const results = await runSmoke({ gtc: [node!, await nodeFile(file)], only });
      assert.deepEqual(results.map((r) => r.name), only);
      assertPassed(results);
    } finally {
      await Deno.remove(file.slice(0, file.lastIndexOf("/")), { recursive: true });
    }
  },
});

Deno.test({
  name: "gtc on node asks a running daemon (a Deno one) over its Unix socket",
  ignore: node === undefined || Deno.build.os === "windows",
  async fn() {
    const file = await bundleInTemp();
    try {
      const only = ["daemon start", "daemon status", "daemon worker (large go.mod)", "daemon stop"];
      const results = await runSmoke({
        gtc: [node!, await nodeFile(file)],
        daemonGtc: [Deno.execPath(), "run", "-A", "--no-config", file],
        daemonArg: file,
        only,
      });
      assert.deepEqual(results.map((r) => r.name), only);
      assertPassed(results);
    } finally {
      await Deno.remove(file.slice(0, file.lastIndexOf("/")), { recursive: true });
    }
  },
});
