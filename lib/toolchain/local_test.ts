import { deepEqual as assertEquals, equal } from "node:assert/strict";
import { MemFs } from "../_internal/mem_fs.ts";
import { denoFs } from "../host/fs.ts";
import { denoRunner } from "../host/host.ts";
import { findLocal, gorootOf, localToolchainName } from "./local.ts";

// gover.local (cmd/go/internal/gover/local.go): release names are kept,
// development builds become go1.N.
const localToolchainNameTests: [string, { toolchain: string; version: string } | undefined][] = [
  ["go1.26.8", { toolchain: "go1.26.8", version: "1.26.8" }],
  ["go1.21.0-bigcorp", { toolchain: "go1.21.0-bigcorp", version: "1.21.0" }],
  ["go1.500 (bigcorp)", { toolchain: "go1.500 (bigcorp)", version: "1.500" }],
  ["go1.22rc1", { toolchain: "go1.22rc1", version: "1.22rc1" }],
  ["devel go1.27-e4283592e5 Thu May 21 2026 +0000", { toolchain: "go1.27", version: "1.27" }],
  ["weird", undefined],
];

Deno.test("localToolchainName()", async (t) => {
  for (const [input, want] of localToolchainNameTests) {
    await t.step(`localToolchainName(${JSON.stringify(input)})`, () => {
      assertEquals(localToolchainName(input), want);
    });
  }
});

Deno.test("gorootOf() follows findGOROOT's executable rules", async (t) => {
  const fs = new MemFs({
    "/usr/local/go/bin/go": "",
    "/usr/local/go/pkg/tool/": "",
    "/usr/lib/go-1.22/bin/go": "",
    "/usr/lib/go-1.22/pkg/tool/": "",
    "/usr/bin/go": "-> ../lib/go-1.22/bin/go",
    "/opt/cross/bin/linux_arm64/go": "",
    "/opt/cross/pkg/tool/": "",
    "/nowhere/bin/go": "",
  });
  const cases: [string, string][] = [
    ["/usr/local/go/bin/go", "/usr/local/go"],
    ["/usr/bin/go", "/usr/lib/go-1.22"],
    ["/opt/cross/bin/linux_arm64/go", "/opt/cross"],
    ["/nowhere/bin/go", ""],
  ];
  for (const [exe, want] of cases) {
    await t.step(`gorootOf(${exe}) = ${JSON.stringify(want)}`, () => {
      equal(gorootOf(fs, exe, "posix"), want);
    });
  }
});

Deno.test("findLocal() on a symlinked install, reading VERSION (real files)", () => {
  const dir = Deno.makeTempDirSync({ prefix: "gtc-local-" });
  try {
    Deno.mkdirSync(`${dir}/lib/go-1.99/bin`, { recursive: true });
    Deno.mkdirSync(`${dir}/lib/go-1.99/pkg/tool`, { recursive: true });
    Deno.writeTextFileSync(`${dir}/lib/go-1.99/VERSION`, "go1.99.2\ntime 2026-01-01T00:00:00Z\n");
    Deno.writeTextFileSync(`${dir}/lib/go-1.99/bin/go`, "#!/bin/sh\nexit 1\n", { mode: 0o755 });
    Deno.mkdirSync(`${dir}/bin`);
    Deno.symlinkSync("../lib/go-1.99/bin/go", `${dir}/bin/go`);
    const local = findLocal({
      fs: denoFs,
      path: { path: `${dir}/empty:${dir}/bin`, style: "posix" },
    });
    equal(local?.exe, `${dir}/bin/go`);
    equal(local?.goroot, Deno.realPathSync(`${dir}/lib/go-1.99`));
    equal(local?.toolchain, "go1.99.2");
    equal(local?.version, "1.99.2");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("findLocal() asks the binary when there is no VERSION file (real process)", () => {
  const dir = Deno.makeTempDirSync({ prefix: "gtc-local-" });
  try {
    Deno.mkdirSync(`${dir}/go/bin`, { recursive: true });
    Deno.mkdirSync(`${dir}/go/pkg/tool`, { recursive: true });
    // A source build reports a devel version; it must be asked with GOTOOLCHAIN=local.
    Deno.writeTextFileSync(
      `${dir}/go/bin/go`,
      '#!/bin/sh\n[ "$GOTOOLCHAIN" = local ] && [ "$1 $2" = "env GOVERSION" ] || exit 3\necho "devel go1.27-abcdef Thu May 21 12:00:00 2026 +0000"\n',
      { mode: 0o755 },
    );
    const path = { path: `${dir}/go/bin`, style: "posix" as const };
    const local = findLocal({
      fs: denoFs,
      path,
      runner: denoRunner,
      environ: { PATH: "/usr/bin:/bin" },
    });
    equal(local?.toolchain, "go1.27");
    equal(local?.version, "1.27");
    equal(local?.versionFrom, `GOTOOLCHAIN=local ${dir}/go/bin/go env GOVERSION`);
    // Without a runner, nothing is run and there is no answer.
    equal(findLocal({ fs: denoFs, path }), undefined);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("findLocal() with no go in PATH is a valid state", () => {
  equal(
    findLocal({ fs: new MemFs({ "/bin/sh": "" }), path: { path: "/bin", style: "posix" } }),
    undefined,
  );
});
