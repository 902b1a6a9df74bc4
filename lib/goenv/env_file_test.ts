import { deepEqual as assertEquals } from "node:assert/strict";
import { parseEnvFile } from "./env_file.ts";

// Rules of cmd/go/internal/cfg.readEnvFile (go1.26).
const parseEnvFileTests: [name: string, input: string, want: [string, string, number][]][] = [
  ["empty file", "", []],
  ["one line", "GOTOOLCHAIN=auto\n", [["GOTOOLCHAIN", "auto", 1]]],
  ["no trailing newline", "GOTOOLCHAIN=auto", [["GOTOOLCHAIN", "auto", 1]]],
  ["comment and blank lines", "# x\n\nGOPROXY=off\n", [["GOPROXY", "off", 3]]],
  ["value kept verbatim", "GOFLAGS= -mod=mod  \n", [["GOFLAGS", " -mod=mod  ", 1]]],
  ["trailing CR kept", "GOTOOLCHAIN=auto\r\n", [["GOTOOLCHAIN", "auto\r", 1]]],
  ["quotes kept", 'GOPROXY="off"\n', [["GOPROXY", '"off"', 1]]],
  ["lowercase key ignored", "gotoolchain=auto\n", []],
  ["leading space ignored", " GOTOOLCHAIN=auto\n", []],
  ["no equals ignored", "GOTOOLCHAIN\n", []],
  ["empty value kept", "GOTOOLCHAIN=\n", [["GOTOOLCHAIN", "", 1]]],
  ["second equals in value", "GOFLAGS=-ldflags=-s\n", [["GOFLAGS", "-ldflags=-s", 1]]],
  ["duplicates all returned", "A=1\nA=2\n", [["A", "1", 1], ["A", "2", 2]]],
  ["key may contain odd bytes", "G O=1\n", [["G O", "1", 1]]],
];

Deno.test("parseEnvFile() follows readEnvFile", async (t) => {
  for (const [name, input, want] of parseEnvFileTests) {
    await t.step(`parseEnvFile(${JSON.stringify(input)}): ${name}`, () => {
      assertEquals(
        parseEnvFile(input).map((e) => [e.key, e.value, e.line]),
        want,
      );
    });
  }
});
