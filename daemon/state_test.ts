import assert from "node:assert/strict";
import { resolveSync } from "../mod.ts";
import { denoHost } from "../lib/host/host.ts";
import { State } from "./state.ts";

const quiet = { info() {}, warn() {}, error() {} };

// Answers that share a JSON template and dependency records must each give
// their own exact text, and a change in one module must reach only its answer.
Deno.test("state: shared templates and deps give exact, fresh answers", () => {
  const tmp = Deno.makeTempDirSync({ prefix: "gtc-state-" });
  const state = new State({ log: quiet, revalidateMs: 0 });
  try {
    Deno.mkdirSync(`${tmp}/home`);
    const env = { PATH: "/usr/bin:/bin", HOME: `${tmp}/home`, GOTOOLCHAIN: "auto" };
    const mods: string[] = [];
    for (let i = 0; i < 5; i++) {
      const d = `${tmp}/src/m${i}`;
      Deno.mkdirSync(d, { recursive: true });
      Deno.writeTextFileSync(`${d}/go.mod`, `module m${i}\n\ngo 1.21\n`);
      mods.push(d);
    }
    const want = (d: string) =>
      JSON.stringify(
        resolveSync({ dir: d, env }, { ...denoHost, cwd: () => "/", environ: () => env }),
      );
    for (const d of mods) assert.equal(state.resolve({ dir: d, env }).json.json, want(d));

    Deno.writeTextFileSync(`${mods[2]}/go.mod`, "module m2\n\ngo 1.21\n\ntoolchain go1.99.1\n");
    state.watcher.drain?.();
    for (const d of mods) {
      const e = state.resolve({ dir: d, env });
      assert.equal(e.json.json, want(d));
      assert.equal(e.json.json.includes("go1.99.1"), d === mods[2]);
    }
    // Answers for the root and a short directory are kept as plain text.
    assert.equal(state.resolve({ dir: "/", env }).json.json, want("/"));
  } finally {
    state.close();
    Deno.removeSync(tmp, { recursive: true });
  }
});
