import assert from "node:assert/strict";
import { goarchOf, goarmOf, goosOf, machinePlatform } from "./mod.ts";
import { thisMachine } from "../host/host.ts";
import { dlPlatform } from "../sources/godl.ts";
import { toolchainModuleVersion } from "../module/toolchain.ts";
import { findGo } from "../../tests/differential/gocmd.ts";

const { go, reason } = await findGo();
if (go === undefined) {
  console.log(`skipping the differential check in lib/platform/mod_test.ts: ${reason}`);
}

// Features lines as the kernel prints them on real boards.
const cpuinfo = {
  // Raspberry Pi Zero / 1 (ARM1176JZF-S, ARMv6 + VFPv2).
  piZero: "processor\t: 0\nmodel name\t: ARMv6-compatible processor rev 7 (v6l)\n" +
    "BogoMIPS\t: 697.95\nFeatures\t: half thumb fastmult vfp edsp java tls \n" +
    "CPU implementer\t: 0x41\nCPU architecture: 7\n\nHardware\t: BCM2835\n",
  // Raspberry Pi 2 (Cortex-A7, ARMv7 + VFPv4).
  pi2: "processor\t: 0\nmodel name\t: ARMv7 Processor rev 5 (v7l)\n" +
    "Features\t: half thumb fastmult vfp edsp neon vfpv3 tls vfpv4 idiva idivt vfpd32 lpae evtstrm\n",
  // Marvell Kirkwood (Feroceon 88FR131, ARMv5TE, no VFP): a SheevaPlug.
  kirkwood: "Processor\t: Feroceon 88FR131 rev 1 (v5l)\nBogoMIPS\t: 1191.11\n" +
    "Features\t: swp half thumb fastmult edsp \nCPU architecture: 5TE\n",
  // What qemu-user shows a guest: the host's x86 cpuinfo, with "flags", no "Features".
  x86: "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vme de pse tsc msr sse2\n",
};

Deno.test("goosOf: node:os platform names to GOOS", () => {
  const table: [string, string][] = [
    ["linux", "linux"],
    ["darwin", "darwin"],
    ["win32", "windows"],
    ["freebsd", "freebsd"],
    ["openbsd", "openbsd"],
    ["netbsd", "netbsd"],
    ["sunos", "solaris"],
    ["aix", "aix"],
    ["android", "android"],
  ];
  for (const [platform, want] of table) assert.equal(goosOf(platform), want, platform);
});

Deno.test("goarchOf: uname -m to GOARCH in cmd/dist's order", () => {
  const table: [machine: string, goos: string, endianness: string, want: string | undefined][] = [
    ["x86_64", "linux", "LE", "amd64"],
    ["amd64", "freebsd", "LE", "amd64"],
    ["i686", "linux", "LE", "386"],
    ["i386", "linux", "LE", "386"],
    ["i386", "darwin", "LE", "amd64"], // old macOS printed i386 on 64-bit machines
    ["aarch64", "linux", "LE", "arm64"],
    ["arm64", "darwin", "LE", "arm64"],
    ["armv6l", "linux", "LE", "arm"], // never amd64, never arm64
    ["armv7l", "linux", "LE", "arm"],
    ["armv5tel", "linux", "LE", "arm"],
    ["ppc64le", "linux", "LE", "ppc64le"],
    ["ppc64", "aix", "BE", "ppc64"],
    ["mips64", "linux", "LE", "mips64le"],
    ["mips64", "linux", "BE", "mips64"],
    ["mips", "linux", "LE", "mipsle"],
    ["mips", "linux", "BE", "mips"],
    ["loongarch64", "linux", "LE", "loong64"],
    ["riscv64", "linux", "LE", "riscv64"],
    ["s390x", "linux", "BE", "s390x"],
    ["x64", "win32", "LE", "amd64"], // node:os arch() where machine() is missing
    ["ia32", "win32", "LE", "386"],
    ["sparc64", "linux", "BE", undefined],
  ];
  for (const [m, goos, e, want] of table) {
    assert.equal(goarchOf(m, goos, e), want, `${m} ${goos} ${e}`);
  }
});

Deno.test("goarmOf: GOARM from the cpuinfo Features line, else the uname name, else 7", () => {
  const table: [goos: string, machine: string, cpuinfo: string | undefined, want: string][] = [
    ["linux", "armv6l", cpuinfo.piZero, "6"],
    ["linux", "armv7l", cpuinfo.pi2, "7"],
    ["linux", "armv5tel", cpuinfo.kirkwood, "5"],
    // The Features line wins over the name: an ARMv7 kernel name on a CPU without VFPv3.
    ["linux", "armv7l", cpuinfo.piZero, "6"],
    // An aarch64 kernel running 32-bit userland shows ARMv8 features (vfpv3 among them).
    ["linux", "armv8l", "Features\t: fp asimd evtstrm aes vfp vfpv3 vfpv4\n", "7"],
    // qemu-user: the host's x86 cpuinfo has no Features line; the name decides.
    ["linux", "armv6l", cpuinfo.x86, "6"],
    ["linux", "armv5tejl", cpuinfo.x86, "5"],
    ["linux", "armv7l", undefined, "7"],
    ["freebsd", "arm", undefined, "7"], // nothing local: Go's default
    ["android", "armv6l", cpuinfo.piZero, "7"], // Android is always 7
  ];
  for (const [goos, m, text, want] of table) {
    assert.equal(goarmOf(goos, m, text), want, `${goos} ${m} ${text?.slice(0, 30)}`);
  }
});

Deno.test("machinePlatform: an armv6l machine fetches linux-armv6l and golang.org/toolchain linux-arm", () => {
  const table: [facts: Parameters<typeof machinePlatform>[0], dl: string, mod: string][] = [
    [
      { platform: "linux", machine: "armv6l", endianness: "LE", cpuinfo: cpuinfo.piZero },
      "linux-armv6l",
      "v0.0.1-go1.22.0.linux-arm",
    ],
    [
      { platform: "linux", machine: "armv7l", endianness: "LE", cpuinfo: cpuinfo.pi2 },
      "linux-armv6l",
      "v0.0.1-go1.22.0.linux-arm",
    ],
    [
      { platform: "linux", machine: "aarch64", endianness: "LE" },
      "linux-arm64",
      "v0.0.1-go1.22.0.linux-arm64",
    ],
    [
      { platform: "win32", machine: "x86_64", endianness: "LE" },
      "windows-amd64",
      "v0.0.1-go1.22.0.windows-amd64",
    ],
  ];
  for (const [facts, dl, mod] of table) {
    const p = machinePlatform(facts);
    assert.equal(dlPlatform(p), dl, facts.machine);
    assert.equal(toolchainModuleVersion("go1.22.0", p.goos, p.goarch), mod, facts.machine);
    assert.equal(p.goarm !== undefined, p.goarch === "arm", `${facts.machine}: goarm only on arm`);
  }
  assert.equal(
    machinePlatform({ platform: "linux", machine: "sparc64", endianness: "BE" }).goarch,
    "sparc64",
  );
});

Deno.test({
  name: "thisMachine agrees with the real go command's GOHOSTOS/GOHOSTARCH",
  ignore: go === undefined,
  fn() {
    const out = new Deno.Command(go!.path, {
      args: ["env", "GOHOSTOS", "GOHOSTARCH"],
      stderr: "null",
    })
      .outputSync();
    const [goos, goarch] = new TextDecoder().decode(out.stdout).trim().split("\n");
    const p = thisMachine();
    assert.deepEqual([p.goos, p.goarch], [goos, goarch]);
  },
});
