/**
 * Helpers of the one-file tests: the bundle in an empty temp directory, and
 * the failure report of a smoke run.
 *
 * @module
 */
import assert from "node:assert/strict";
import { formatResult, type StepResult } from "./smoke.ts";

const root = new URL("../..", import.meta.url).pathname;

/**
 * bundleInTemp writes gtc.js with scripts/bundle.ts into a new temp
 * directory that holds nothing else, and returns its path.
 */
export async function bundleInTemp(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "gtc-onefile-" });
  const file = `${dir}/gtc.js`;
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${root}scripts/bundle.ts`, "--quiet", file],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
  return file;
}

/** assertPassed fails with every failed step's message; skipped steps are printed. */
export function assertPassed(results: StepResult[]): void {
  const failed = results.filter((r) => r.status === "fail");
  assert.deepEqual(failed.map((r) => r.name), [], failed.map(formatResult).join("\n"));
  for (const r of results.filter((r) => r.status === "skip")) console.log(formatResult(r));
}
