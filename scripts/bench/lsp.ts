/**
 * Language server benchmarks: `gtc lsp` spawned as an editor spawns it,
 * spoken to by a real LSP client (tests/lsp/_client.ts), with a private
 * daemon started on demand.
 *
 * - time from `initialize` to the first diagnostics, with the daemon not yet
 *   running (the server starts it) and already running; anchor: one `gtc
 *   why` run (in-process CLI) measured in the same run;
 * - hover latency p50/p99 through the daemon; anchor: the daemon's own `why`
 *   call on a raw client connection, measured in the same run;
 * - RSS of the gtc lsp process with 1 and with N (default 200) open go.mod
 *   files in N directories (each a daemon subscription).
 *
 *   scripts/deno run -A scripts/bench/lsp.ts [--files 200] [--hovers 500]
 *
 * @module
 */

import { pathToFileURL } from "node:url";
import { connect } from "../../lib/rpc/client.ts";
import { capabilities, type LspSession, startLsp } from "../../tests/lsp/_client.ts";

function arg(name: string, def: number): number {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number(Deno.args[i + 1]) : def;
}
const FILES = arg("--files", 200);
const HOVERS = arg("--hovers", 500);

const cli = new URL("../../cli/main.ts", import.meta.url).pathname;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

function rssMB(pid: number): number {
  const s = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+) kB/.exec(s)?.[1] ?? 0) / 1024;
}

function localGoBin(): string {
  for (const d of ["/usr/local/go/bin", ...(Deno.env.get("PATH") ?? "").split(":")]) {
    try {
      if (Deno.statSync(`${d}/go`).isFile) return d;
    } catch {
      // Not here.
    }
  }
  throw new Error("no go command found");
}

const tmp = await Deno.makeTempDir({ prefix: "gtc-bench-lsp-" });
const run = `${tmp}/run`;
Deno.mkdirSync(run, { mode: 0o700 });
const env: Record<string, string> = {
  PATH: `${localGoBin()}:/usr/bin:/bin`,
  HOME: `${tmp}/home`,
  XDG_RUNTIME_DIR: run,
  GTC_HOME: `${tmp}/gtchome`,
  GOENV: "off",
  GOPROXY: "off",
  GOTOOLCHAIN: "auto",
  GOFLAGS: "",
  NO_COLOR: "1",
  DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
};
for (let i = 0; i < FILES; i++) {
  const d = `${tmp}/w/m${i}`;
  Deno.mkdirSync(d, { recursive: true });
  Deno.writeTextFileSync(`${d}/go.mod`, `module example.com/m${i}\n\ngo 1.22\n`);
}
const modPath = (i: number) => `${tmp}/w/m${i}/go.mod`;

async function init(s: LspSession): Promise<void> {
  await s.conn.sendRequest("initialize", {
    processId: Deno.pid,
    rootUri: pathToFileURL(`${tmp}/w`).href,
    capabilities,
  });
  await s.conn.sendNotification("initialized", {});
}

async function openDoc(s: LspSession, i: number): Promise<string> {
  const uri = pathToFileURL(modPath(i)).href;
  await s.conn.sendNotification("textDocument/didOpen", {
    textDocument: { uri, languageId: "gomod", version: 1, text: Deno.readTextFileSync(modPath(i)) },
  });
  return uri;
}

// firstDiagnostics: ms from initialize to the first diagnostics of one go.mod.
async function firstDiagnostics(): Promise<{ ms: number; s: LspSession }> {
  const s = startLsp(env, tmp);
  // The process starts first (Deno loading the server), as an editor sees it.
  const t0 = performance.now();
  await init(s);
  const uri = await openDoc(s, 0);
  await s.waitFor("diagnostics", () => s.diagnostics.get(uri)?.at(-1));
  return { ms: performance.now() - t0, s };
}

async function stop(s: LspSession): Promise<void> {
  await s.conn.sendRequest("shutdown");
  await s.conn.sendNotification("exit");
  await s.exited;
  s.conn.dispose();
}

console.log(
  `load average: ${Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ")}`,
);

// Anchor: one `gtc why` in-process (what an editor without a server would run).
const whyTimes: number[] = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", cli, "why", "--no-daemon", `${tmp}/w/m0`],
    env,
    clearEnv: true,
    stdout: "null",
  }).output();
  whyTimes.push(performance.now() - t0);
}
whyTimes.sort((a, b) => a - b);
const whyMs = pct(whyTimes, 0.5);

const cold = await firstDiagnostics();
await stop(cold.s);
const warm = await firstDiagnostics();
console.log(`gtc why (CLI, in-process), median of 5:        ${whyMs.toFixed(0)} ms (anchor)`);
console.log(
  `initialize → first diagnostics, daemon started: ${cold.ms.toFixed(0)} ms (${
    (cold.ms / whyMs).toFixed(2)
  }× gtc why)`,
);
console.log(
  `initialize → first diagnostics, daemon running: ${warm.ms.toFixed(0)} ms (${
    (warm.ms / whyMs).toFixed(2)
  }× gtc why)`,
);

// Hover latency through the server and the daemon, against the daemon alone.
const s = warm.s;
const uri0 = pathToFileURL(modPath(0)).href;
const hoverTimes: number[] = [];
for (let i = 0; i < HOVERS; i++) {
  const t0 = performance.now();
  await s.conn.sendRequest("textDocument/hover", {
    textDocument: { uri: uri0 },
    position: { line: 2, character: 1 },
  });
  hoverTimes.push(performance.now() - t0);
}
hoverTimes.sort((a, b) => a - b);
const c = await connect({ dir: `${run}/gtc`, env, start: false, reconnect: false });
const whyRpc: number[] = [];
for (let i = 0; i < HOVERS; i++) {
  const t0 = performance.now();
  await c.why(`${tmp}/w/m0`, { color: false });
  whyRpc.push(performance.now() - t0);
}
whyRpc.sort((a, b) => a - b);
console.log(
  `hover (${HOVERS}): p50 ${pct(hoverTimes, 0.5).toFixed(2)} ms, p99 ${
    pct(hoverTimes, 0.99).toFixed(2)
  } ms; daemon why alone: p50 ${pct(whyRpc, 0.5).toFixed(2)} ms, p99 ${
    pct(whyRpc, 0.99).toFixed(2)
  } ms (anchor)`,
);

// RSS with one open file, then with FILES.
const pid = s.child.pid!;
const rss1 = rssMB(pid);
const subs0 = (await c.status()).subscriptions;
const uris = [uri0];
for (let i = 1; i < FILES; i++) uris.push(await openDoc(s, i));
for (const u of uris) await s.waitFor("diagnostics", () => s.diagnostics.get(u)?.at(-1));
const subs = (await c.status()).subscriptions;
const rssN = rssMB(pid);
console.log(
  `RSS of gtc lsp: ${rss1.toFixed(1)} MB with 1 open go.mod, ${rssN.toFixed(1)} MB with ${FILES} (${
    (rssN / rss1).toFixed(2)
  }×); daemon subscriptions ${subs0} → ${subs}`,
);
// Closing them forgets them: the subscriptions end.
for (const u of uris) {
  await s.conn.sendNotification("textDocument/didClose", { textDocument: { uri: u } });
}
while ((await c.status()).subscriptions !== 0) await new Promise((r) => setTimeout(r, 20));
console.log(`after closing all: daemon subscriptions 0, RSS ${rssMB(pid).toFixed(1)} MB`);
c.close();
await stop(s);
await new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "--quiet", cli, "daemon", "stop"],
  env,
  clearEnv: true,
}).output();
await Deno.remove(tmp, { recursive: true });
