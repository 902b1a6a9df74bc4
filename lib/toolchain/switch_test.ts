import assert from "node:assert/strict";
import { MemFs } from "../_internal/mem_fs.ts";
import { switchFor, tooNewError } from "./switch.ts";

const startup = (GOTOOLCHAIN: string, autoFile = "", autoGoVersion = "", autoToolchain = "") => ({
  GOTOOLCHAIN,
  autoFile,
  autoGoVersion,
  autoToolchain,
});

// Messages from cmd/go/testdata/script (go1.26): gotoolchain_local.txt,
// mod_get_exec_toolchain.txt, work_use_toolchain.txt.
Deno.test("tooNewError() prints gover.TooNewError", async (t) => {
  const cases: [string, string, string, ReturnType<typeof startup>, string][] = [
    [
      "go.mod",
      "1.700",
      "1.500",
      startup("path", "go.mod", "", "default"),
      "go.mod requires go >= 1.700 (running go 1.500; GOTOOLCHAIN=path; go.mod sets toolchain default)",
    ],
    [
      "updating go.mod",
      "1.22.3",
      "1.22.1",
      startup("local"),
      "updating go.mod requires go >= 1.22.3 (running go 1.22.1; GOTOOLCHAIN=local)",
    ],
    [
      "module ./m1",
      "1.21.2",
      "1.21.1",
      startup("auto"),
      "module ./m1 requires go >= 1.21.2 (running go 1.21.1)",
    ],
    [
      "go.mod",
      "1.23",
      "1.22.0",
      startup("auto", "go.mod", "1.22.9"),
      "go.mod requires go >= 1.23 (running go 1.22.0; go.mod sets go 1.22.9)",
    ],
    [
      "go.mod",
      "1.23",
      "1.22.0",
      startup("", "go.mod"),
      "go.mod requires go >= 1.23 (running go 1.22.0)",
    ],
  ];
  for (const [what, need, local, st, want] of cases) {
    await t.step(want, () => assert.equal(tooNewError(what, need, local, st), want));
  }
});

Deno.test("switchFor() in auto mode uses the proxy list plus Local()", () => {
  const versions = [
    "v0.0.1-go1.21.0.linux-amd64",
    "v0.0.1-go1.22.0.darwin-arm64",
    "v0.0.1-go1.22.9.windows-amd64",
    "v0.0.1-go1.23rc1.linux-amd64",
  ];
  let r = switchFor({
    what: "go.mod",
    need: "1.22.1",
    gotoolchain: "auto",
    local: "1.21.0",
    startup: startup("auto"),
    moduleVersions: versions,
  });
  assert.equal(r.toolchain, "go1.22.9");
  assert.equal(r.failed, false);
  // Only Local() qualifies: the local version is always a candidate in auto mode.
  r = switchFor({
    what: "go.mod",
    need: "1.24",
    gotoolchain: "go1.20+auto",
    local: "1.24.0",
    startup: startup("go1.20+auto"),
    moduleVersions: versions,
  });
  assert.equal(r.toolchain, "go1.24.0");
  r = switchFor({
    what: "go.mod",
    need: "1.99",
    gotoolchain: "auto",
    local: "1.21.0",
    startup: startup("auto"),
    moduleVersions: versions,
  });
  assert.deepEqual(r.stderr, [
    "go: go.mod requires go >= 1.99 (running go 1.21.0)",
    "go: switching to go >= 1.99: no releases found for go >= 1.99",
  ]);
  assert.equal(r.failed, true);
});

Deno.test("switchFor() in path mode scans PATH, without Local()", () => {
  const fs = new MemFs()
    .write("/p/go1.22.3", "", 0o755)
    .write("/p/go1.23.0-custom", "", 0o755)
    .write("/q/go1.23.5", "", 0o644); // not executable: ignored
  const path = { path: "/p:/q", style: "posix" as const };
  let r = switchFor({
    what: "go.mod",
    need: "1.23",
    gotoolchain: "path",
    local: "1.23.9",
    startup: startup("path"),
    fs,
    path,
  });
  // go1.23.0-custom contributes 1.23.0; Local() (1.23.9) is not a candidate.
  assert.equal(r.toolchain, "go1.23.0");
  r = switchFor({
    what: "go.mod",
    need: "1.24",
    gotoolchain: "go1.22.0+path",
    local: "1.22.0",
    startup: startup("go1.22.0+path"),
    fs,
    path,
  });
  assert.equal(r.failed, true);
  assert.equal(r.stderr[1], "go: switching to go >= 1.24: no releases found for go >= 1.24");
});

Deno.test("switchFor() without +auto/+path reports the error and does not switch", () => {
  const r = switchFor({
    what: "go.mod",
    need: "1.30",
    gotoolchain: "local",
    local: "1.26.8",
    startup: startup("local"),
  });
  assert.deepEqual(r, {
    stderr: ["go: go.mod requires go >= 1.30 (running go 1.26.8; GOTOOLCHAIN=local)"],
    failed: true,
  });
});
