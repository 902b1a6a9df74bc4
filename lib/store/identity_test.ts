import assert from "node:assert/strict";
import { binaryPlatform } from "./identity.ts";

// The header reader on real executables of this machine: the go command
// and the Deno running the test are both built for it.
Deno.test("binaryPlatform() reads this machine's executables", () => {
  const want: Record<string, [string, number]> = {
    "linux-x86_64": ["ELF", 62],
    "linux-aarch64": ["ELF", 183],
    "darwin-x86_64": ["Mach-O", 0x01000007],
    "darwin-aarch64": ["Mach-O", 0x0100000c],
    "windows-x86_64": ["PE", 0x8664],
  };
  const w = want[`${Deno.build.os}-${Deno.build.arch}`];
  if (w === undefined) return;
  const f = Deno.openSync(Deno.execPath());
  const h = new Uint8Array(4096);
  const n = f.readSync(h) ?? 0;
  f.close();
  assert.deepEqual(binaryPlatform(h.subarray(0, n)), { format: w[0], machine: w[1] });
  assert.equal(binaryPlatform(new TextEncoder().encode("#!/bin/sh\necho go\n")), undefined);
});
