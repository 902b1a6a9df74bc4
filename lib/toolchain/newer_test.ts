import assert from "node:assert/strict";
import { newerToolchain } from "./newer.ts";

// From go1.26 src/cmd/go/internal/toolchain/toolchain_test.go. Go's test
// also declares `var f = strings.Fields`, which none of its rows use; it has
// no counterpart here. A row with out "" expects an error; Go checks only
// that one occurs, and gtc's message is the format string from switch.go.

const relRC = ["1.39.0", "1.39.1", "1.39.2", "1.40.0", "1.40.1", "1.40.2", "1.41rc1"];
const rel2 = ["1.39.0", "1.39.1", "1.39.2", "1.40.0", "1.40.1", "1.40.2"];
const rel0 = ["1.39.0", "1.39.1", "1.39.2", "1.40.0"];
const newerToolchainTests: { need: string; list: readonly string[] | null; out: string }[] = [
  { need: "1.30", list: rel0, out: "go1.39.2" },
  { need: "1.30", list: rel2, out: "go1.39.2" },
  { need: "1.30", list: relRC, out: "go1.39.2" },
  { need: "1.38", list: rel0, out: "go1.39.2" },
  { need: "1.38", list: rel2, out: "go1.39.2" },
  { need: "1.38", list: relRC, out: "go1.39.2" },
  { need: "1.38.1", list: rel0, out: "go1.39.2" },
  { need: "1.38.1", list: rel2, out: "go1.39.2" },
  { need: "1.38.1", list: relRC, out: "go1.39.2" },
  { need: "1.39", list: rel0, out: "go1.39.2" },
  { need: "1.39", list: rel2, out: "go1.39.2" },
  { need: "1.39", list: relRC, out: "go1.39.2" },
  { need: "1.39.2", list: rel0, out: "go1.39.2" },
  { need: "1.39.2", list: rel2, out: "go1.39.2" },
  { need: "1.39.2", list: relRC, out: "go1.39.2" },
  { need: "1.39.3", list: rel0, out: "go1.40.0" },
  { need: "1.39.3", list: rel2, out: "go1.40.2" },
  { need: "1.39.3", list: relRC, out: "go1.40.2" },
  { need: "1.40", list: rel0, out: "go1.40.0" },
  { need: "1.40", list: rel2, out: "go1.40.2" },
  { need: "1.40", list: relRC, out: "go1.40.2" },
  { need: "1.40.1", list: rel0, out: "" },
  { need: "1.40.1", list: rel2, out: "go1.40.2" },
  { need: "1.40.1", list: relRC, out: "go1.40.2" },
  { need: "1.41", list: rel0, out: "" },
  { need: "1.41", list: rel2, out: "" },
  { need: "1.41", list: relRC, out: "go1.41rc1" },
  { need: "1.41.0", list: rel0, out: "" },
  { need: "1.41.0", list: rel2, out: "" },
  { need: "1.41.0", list: relRC, out: "" },
  { need: "1.40", list: null, out: "" }, // Go's nil list
];

// listName names a list for a step, as the test's variables do.
function listName(list: readonly string[] | null): string {
  if (list === relRC) return "relRC";
  if (list === rel2) return "rel2";
  if (list === rel0) return "rel0";
  return "nil";
}

Deno.test("newerToolchain() matches cmd/go/internal/toolchain newerToolchainTests", async (t) => {
  for (const { need, list, out } of newerToolchainTests) {
    const call = `newerToolchain(${JSON.stringify(need)}, ${listName(list)})`;
    if (out === "") {
      await t.step(`${call} throws`, () => {
        assert.throws(() => newerToolchain(need, list ?? []), {
          name: "Error",
          message: `no releases found for go >= ${need}`,
        });
      });
    } else {
      await t.step(`${call} = ${JSON.stringify(out)}`, () => {
        assert.equal(newerToolchain(need, list ?? []), out);
      });
    }
  }
});
