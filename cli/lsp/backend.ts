/**
 * Where the language server gets its answers: the gtc daemon (started on
 * demand, answers pushed when they change), or, with GTC_DAEMON=off or when
 * no daemon can be started, this process (answers recomputed when the
 * editor saves). Either way the answer is the Explanation `gtc why --json`
 * prints and the prose `gtc why` prints.
 *
 * @module
 */

import { type Explanation, renderProse, resolveSync } from "../../mod.ts";
import { type Client, connect } from "../../lib/rpc/client.ts";
import type { InstallResult } from "../../lib/rpc/protocol.ts";
import { daemonCommand } from "../../daemon/start.ts";

/** A live answer for one directory. */
export interface Watch {
  /** The answer now. */
  explanation: Explanation;
  close(): Promise<void>;
}

/** Backend answers for directories in one environment. */
export interface Backend {
  /** "daemon" or "in-process", for the log. */
  readonly kind: string;
  /** watch returns dir's answer and calls onChange with every different one. */
  watch(dir: string, onChange: (x: Explanation) => void): Promise<Watch>;
  /** why returns the prose `gtc why` prints for dir (no colour). */
  why(dir: string): Promise<string>;
  /** install installs a toolchain into the module cache, as `gtc install` does. */
  install(name: string, onProgress: (bytes: number, total: number | null) => void): Promise<
    InstallResult
  >;
  /** saved tells the backend that the editor wrote files (in-process: recompute). */
  saved(): void;
  close(): void;
}

/**
 * openBackend connects to the daemon, starting it unless GTC_DAEMON=off in
 * env; when that fails it answers in this process and says why in note.
 */
export async function openBackend(
  env: Record<string, string>,
  note: (msg: string) => void,
): Promise<Backend> {
  if (env.GTC_DAEMON !== "off") {
    try {
      const c = await connect({ env, start: daemonCommand(), reconnect: true });
      return new DaemonBackend(c, env);
    } catch (e) {
      note(
        `gtc lsp: no gtc daemon (${
          e instanceof Error ? e.message : e
        }); answering in-process, refreshed on save`,
      );
    }
  }
  return new LocalBackend(env);
}

class DaemonBackend implements Backend {
  readonly kind = "daemon";
  constructor(readonly client: Client, readonly env: Record<string, string>) {}

  async watch(dir: string, onChange: (x: Explanation) => void): Promise<Watch> {
    const sub = await this.client.subscribe(dir, (c) => onChange(c.explanation));
    return {
      get explanation() {
        return sub.explanation;
      },
      close: () => sub.close(),
    };
  }

  async why(dir: string): Promise<string> {
    return (await this.client.why(dir, { color: false })).text;
  }

  install(name: string, onProgress: (bytes: number, total: number | null) => void) {
    return this.client.install({ name, source: "goproxy" }, {
      onProgress: (p) => onProgress(p.bytes, p.total),
    });
  }

  saved(): void {
    // The daemon watches the files itself.
  }

  close(): void {
    this.client.close();
  }
}

class LocalBackend implements Backend {
  readonly kind = "in-process";
  #watches = new Set<{ dir: string; last: string; onChange: (x: Explanation) => void }>();
  constructor(readonly env: Record<string, string>) {}

  watch(dir: string, onChange: (x: Explanation) => void): Promise<Watch> {
    const x = resolveSync({ dir, env: this.env });
    const w = { dir, last: JSON.stringify(x), onChange };
    this.#watches.add(w);
    return Promise.resolve({
      get explanation() {
        return JSON.parse(w.last) as Explanation;
      },
      close: () => {
        this.#watches.delete(w);
        return Promise.resolve();
      },
    });
  }

  why(dir: string): Promise<string> {
    const x = resolveSync({ dir, env: this.env });
    return Promise.resolve(renderProse(x, { color: false, verbose: true }));
  }

  async install(name: string, onProgress: (bytes: number, total: number | null) => void) {
    const { installToolchain } = await import("../../lib/ops/mod.ts");
    const r = await installToolchain(name, "goproxy", this.env, {
      onProgress: (b, t) => onProgress(b, t ?? null),
    });
    this.saved();
    return r;
  }

  saved(): void {
    for (const w of this.#watches) {
      const x = resolveSync({ dir: w.dir, env: this.env });
      const text = JSON.stringify(x);
      if (text === w.last) continue;
      w.last = text;
      w.onChange(x);
    }
  }

  close(): void {
    this.#watches.clear();
  }
}
