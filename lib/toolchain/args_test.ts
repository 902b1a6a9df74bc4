import assert from "node:assert/strict";
import { handleChdirFlag, lookupCmd } from "./args.ts";

// main.lookupCmd (go1.26): runnable commands, and the mod/work parents.
const lookupCmdTests: [string[], number][] = [
  [[], 0],
  [["version"], 1],
  [["version", "-m"], 1],
  [["mod"], 1],
  [["mod", "edit"], 2],
  [["mod", "bogus"], 1],
  [["work", "use", "."], 2],
  [["help", "build"], 0],
  [["gopath"], 0], // a help topic is not runnable
  [["-C", "x", "version"], 0],
  [["frob"], 0],
];

Deno.test("lookupCmd()", async (t) => {
  for (const [args, want] of lookupCmdTests) {
    await t.step(`lookupCmd(${JSON.stringify(args)}) = ${want}`, () => {
      assert.equal(lookupCmd(args), want);
    });
  }
});

const handleChdirFlagTests: [string[], string[], string | undefined][] = [
  [["version", "-C", "sub"], ["version"], "sub"],
  [["version", "--C", "sub", "-m"], ["version", "-m"], "sub"],
  [["version", "-C=sub"], ["version"], "sub"],
  [["version", "--C=a=b"], ["version"], "a=b"],
  [["version", "-C"], ["version", "-C"], undefined], // no value: left alone
  [["-C", "sub", "version"], ["version"], "sub"], // before the command too
  [["mod", "edit", "-C", "m", "-fmt"], ["mod", "edit", "-fmt"], "m"],
  [["build", "-o", "x", "-C", "sub"], ["build", "-o", "x", "-C", "sub"], undefined],
  [["version", "-Cfoo"], ["version", "-Cfoo"], undefined],
];

Deno.test("handleChdirFlag()", async (t) => {
  for (const [args, wantArgs, wantDir] of handleChdirFlagTests) {
    await t.step(`handleChdirFlag(${JSON.stringify(args)})`, () => {
      const r = handleChdirFlag(args);
      assert.deepEqual(r.args, wantArgs);
      assert.equal(r.dir, wantDir);
    });
  }
});
