/**
 * A real LSP client for tests: `gtc lsp` spawned with a controlled
 * environment, spoken to through vscode-languageserver-protocol's node
 * connection (vscode-jsonrpc) over its stdio. Notifications and the
 * server's requests are recorded so tests can wait for them.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import {
  type ClientCapabilities,
  createProtocolConnection,
  type Diagnostic,
  type ProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver-protocol/node";

const cli = new URL("../../cli/main.ts", import.meta.url).pathname;
const boundMs = 180_000;

/** What a test sees of the server. */
export interface LspSession {
  conn: ProtocolConnection;
  child: ChildProcess;
  /** Diagnostics by URI: every publishDiagnostics received, in order. */
  diagnostics: Map<string, Diagnostic[][]>;
  /** Methods of requests the server sent to the client, in order. */
  serverRequests: string[];
  /** $/progress values received, in order. */
  progress: unknown[];
  /** The server's stderr so far. */
  stderr(): string;
  /** waitFor resolves when check() is true, re-checking after every message from the server. */
  waitFor<T>(what: string, check: () => T | undefined | false): Promise<T>;
  /** exited resolves with the exit code. */
  exited: Promise<number | null>;
}

/** The client capabilities tests announce: inlay hints with refresh, work done progress. */
export const capabilities: ClientCapabilities = {
  textDocument: {
    hover: { contentFormat: ["markdown", "plaintext"] },
    inlayHint: {},
    codeAction: {},
    publishDiagnostics: {},
    synchronization: { didSave: true },
  },
  workspace: { inlayHint: { refreshSupport: true }, applyEdit: true },
  window: { workDoneProgress: true },
};

/** startLsp spawns `deno run -A cli/main.ts lsp` with env (and nothing else) in cwd. */
export function startLsp(env: Record<string, string>, cwd?: string): LspSession {
  const child = spawn(Deno.execPath(), ["run", "-A", "--quiet", cli, "lsp"], {
    env,
    cwd,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (b: Uint8Array) => err += new TextDecoder().decode(b));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const conn = createProtocolConnection(
    new StreamMessageReader(child.stdout!),
    new StreamMessageWriter(child.stdin!),
  );
  const diagnostics = new Map<string, Diagnostic[][]>();
  const serverRequests: string[] = [];
  const progress: unknown[] = [];
  const waiters = new Set<() => void>();
  const poke = () => {
    for (const w of [...waiters]) w();
  };
  conn.onNotification("textDocument/publishDiagnostics", (p) => {
    const list = diagnostics.get(p.uri) ?? [];
    list.push(p.diagnostics);
    diagnostics.set(p.uri, list);
    poke();
  });
  conn.onNotification("$/progress", (p) => {
    progress.push(p.value);
    poke();
  });
  conn.onNotification("window/logMessage", () => {});
  for (const m of ["workspace/inlayHint/refresh", "workspace/codeLens/refresh"]) {
    conn.onRequest(m, () => {
      serverRequests.push(m);
      poke();
      return null;
    });
  }
  conn.onRequest("window/workDoneProgress/create", () => {
    serverRequests.push("window/workDoneProgress/create");
    poke();
    return null;
  });
  conn.listen();
  return {
    conn,
    child,
    diagnostics,
    serverRequests,
    progress,
    stderr: () => err,
    exited,
    waitFor<T>(what: string, check: () => T | undefined | false): Promise<T> {
      return new Promise((resolve, reject) => {
        const w = () => {
          let v: T | undefined | false;
          try {
            v = check();
          } catch (e) {
            waiters.delete(w);
            reject(e);
            return;
          }
          if (v !== undefined && v !== false) {
            waiters.delete(w);
            resolve(v);
          }
        };
        waiters.add(w);
        // A bound for a broken server, far above any expected wait: a
        // failing test must end, with what it waited for.
        const bound = setTimeout(() => {
          if (!waiters.has(w)) return;
          waiters.delete(w);
          reject(
            new Error(`waiting for ${what}: nothing after ${boundMs / 1000} s; stderr: ${err}`),
          );
        }, boundMs);
        Deno.unrefTimer(bound);
        // The server may exit instead: fail with what it said.
        exited.then((code) => {
          if (!waiters.has(w)) return;
          waiters.delete(w);
          reject(new Error(`waiting for ${what}: gtc lsp exited (${code}): ${err}`));
        });
        w();
      });
    },
  };
}

/**
 * worldEnv is the environment of a test's editor: the fixture's Go world,
 * the go command's bindir first in PATH, GOTOOLCHAIN=auto, and a private
 * runtime directory (created here, 0700) so the daemon the server starts
 * is the test's own.
 */
export function worldEnv(
  f: { dir: string; home: string; env: Record<string, string> },
  goBindir: string,
): Record<string, string> {
  const run = `${f.dir}/run`;
  Deno.mkdirSync(run, { mode: 0o700 });
  return {
    ...f.env,
    PATH: `${goBindir}:/usr/bin:/bin`,
    HOME: f.home,
    XDG_RUNTIME_DIR: run,
    GTC_HOME: `${f.dir}/gtchome`,
    GOTOOLCHAIN: "auto",
    NO_COLOR: "1",
    DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
  };
}

/** stopDaemon stops the daemon a server started in env's runtime directory. */
export async function stopDaemon(env: Record<string, string>): Promise<void> {
  await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", cli, "daemon", "stop"],
    env,
    clearEnv: true,
    stdout: "null",
    stderr: "null",
  }).output().catch(() => {});
}
