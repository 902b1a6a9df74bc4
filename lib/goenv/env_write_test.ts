import { deepEqual as assertEquals } from "node:assert/strict";
import { checkEnvValue, updateEnvFile } from "./env_write.ts";
import { latin1Bytes, updateEnvFileTests } from "./_env_write_cases.ts";

Deno.test("updateEnvFile() writes what go env -w / -u write", async (t) => {
  for (const c of updateEnvFileTests) {
    await t.step(c.name, () => {
      const out = updateEnvFile(
        c.before === undefined ? undefined : latin1Bytes(c.before),
        c.add,
        c.del,
      );
      assertEquals(new TextDecoder("latin1").decode(out), c.after);
    });
  }
});

Deno.test("checkEnvValue() refuses what go env -w refuses", () => {
  const cases: [string, string | undefined][] = [
    ["go1.25.3+auto", undefined],
    ["a\nb", "go: invalid newline in GOTOOLCHAIN=... value"],
    ["a\vb", "go: invalid newline in GOTOOLCHAIN=... value"],
    ["a\x00b", "go: invalid NUL in GOTOOLCHAIN=... value"],
    ["\ud800", "go: invalid UTF-8 in GOTOOLCHAIN=... value"],
  ];
  for (const [v, want] of cases) assertEquals(checkEnvValue("GOTOOLCHAIN", v), want);
});
