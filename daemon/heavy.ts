/**
 * Answers with heavy inputs, computed off the main thread with a deadline.
 *
 * The daemon answers every client on one thread. Reading is bounded (regular
 * files of at most 64 MiB, lib/_internal/sys.ts), but parsing a go.mod of
 * tens of MiB still takes seconds: an answer whose inputs include a file
 * larger than the inline limit is computed in a worker instead, while the
 * other clients keep being answered. A worker that has not answered by the
 * deadline is terminated and the request fails alone, naming the file it
 * was reading.
 *
 * @module
 */

import type { ComputeJob, ComputeMessage } from "./compute_worker.ts";
import { computeWorkerUrl } from "./start.ts";

/** HeavyResult is a worker's answer. */
export interface HeavyResult {
  json: string;
  paths: Set<string>;
  listed: Set<string>;
}

/** DeadlineError is a computation stopped at its deadline. */
export class DeadlineError extends Error {
  constructor(readonly path: string, readonly ms: number) {
    super(
      `gtc gave up reading and parsing it after ${ms / 1000} s (the daemon's deadline for one ` +
        "answer, so that other clients are not kept waiting); the go command would keep going",
    );
    this.name = "DeadlineError";
  }
}

/** computeInWorker resolves job in a fresh worker, or rejects at the deadline. */
export function computeInWorker(
  job: ComputeJob,
  firstPath: string,
  deadlineMs: number,
): Promise<HeavyResult> {
  const w = new Worker(computeWorkerUrl(), { type: "module" });
  let current = firstPath;
  return new Promise<HeavyResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      w.terminate();
      reject(new DeadlineError(current, deadlineMs));
    }, deadlineMs);
    const done = () => {
      clearTimeout(timer);
      w.terminate();
    };
    w.onmessage = (ev: MessageEvent<ComputeMessage>) => {
      const m = ev.data;
      if (m.kind === "reading") {
        current = m.path;
      } else if (m.kind === "done") {
        done();
        resolve({ json: m.json, paths: new Set(m.paths), listed: new Set(m.listed) });
      } else {
        done();
        reject(new Error(m.message));
      }
    };
    w.onerror = (e) => {
      e.preventDefault();
      done();
      reject(new Error(e.message));
    };
    w.postMessage(job);
  });
}
