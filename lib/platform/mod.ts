/**
 * The machine's GOOS, GOARCH and GOARM, decided from facts every runtime
 * can read (node:os `platform()`, `machine()`, `endianness()` and
 * /proc/cpuinfo) by the rules cmd/dist applies when it builds a go command
 * on that machine (cmd/dist/main.go's `uname -m` switch, cmd/dist/util.go's
 * `xgetgoarm`). A runtime's own arch name is not enough: Node says "arm"
 * for ARMv6 and ARMv7 alike, and a shim that reports x86_64 under qemu
 * would make gtc fetch amd64 toolchains on a Raspberry Pi.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { machinePlatform } from "./mod.ts";
 * const p = machinePlatform({ platform: "linux", machine: "armv6l", endianness: "LE" });
 * assert.deepEqual(p, { goos: "linux", goarch: "arm", goarm: "6" });
 * ```
 *
 * @module
 */

/** The facts read from the machine; all plain strings, so tests can give any. */
export interface MachineFacts {
  /** node:os `platform()`: "linux", "darwin", "win32", "freebsd", "sunos", "aix", "android", …. */
  platform: string;
  /** `uname -m` (node:os `machine()`): "x86_64", "aarch64", "armv6l", "armv7l", "i686", …. */
  machine: string;
  /** node:os `endianness()`: "LE" or "BE"; tells mips from mipsle as cmd/dist's ELF check does. */
  endianness: string;
  /** The text of /proc/cpuinfo, where there is one (only read on 32-bit ARM Linux). */
  cpuinfo?: string;
}

/** Platform is the machine in Go's names. goarm is set only where goarch is "arm". */
export interface MachinePlatform {
  goos: string;
  goarch: string;
  goarm?: string;
}

/** goosOf maps node:os `platform()` to runtime.GOOS (the names differ for Windows and Solaris). */
export function goosOf(platform: string): string {
  switch (platform) {
    case "win32":
      return "windows";
    case "sunos":
      // Node says sunos for both; Go builds illumos binaries as solaris-compatible.
      return "solaris";
    default:
      return platform;
  }
}

/**
 * goarchOf maps `uname -m` to GOARCH in cmd/dist's order: the first
 * substring that matches wins ("x86_64" before "86", "aarch64" before "arm",
 * "ppc64le" before "ppc64", "mips64" before "mips"). It returns undefined
 * for a machine name cmd/dist does not know.
 */
export function goarchOf(machine: string, goos: string, endianness: string): string | undefined {
  const m = machine.toLowerCase();
  const le = endianness !== "BE";
  if (m.includes("x86_64") || m.includes("amd64") || m === "x64") return "amd64";
  if (m === "ia32") return "386"; // node:os arch(), where machine() is missing
  // "i386", "i686", "x86": 32-bit x86. Darwin only ships 64-bit now, like cmd/dist assumes.
  if (m.includes("86")) return goos === "darwin" ? "amd64" : "386";
  if (m.includes("aarch64") || m.includes("arm64")) return "arm64";
  if (m.includes("arm")) return "arm";
  if (m.includes("ppc64le")) return "ppc64le";
  if (m.includes("ppc64")) return "ppc64";
  if (m.includes("mips64")) return le ? "mips64le" : "mips64";
  if (m.includes("mips")) return le ? "mipsle" : "mips";
  if (m.includes("loongarch64")) return "loong64";
  if (m.includes("riscv64")) return "riscv64";
  if (m.includes("s390x")) return "s390x";
  return undefined;
}

/**
 * goarmOf is the GOARM a go command built on this ARM machine defaults to.
 * cmd/dist runs a VFPv1 and a VFPv3 instruction and sees which trap
 * (7: both run, 6: only VFPv1, 5: neither); the kernel's view of the same
 * hardware is the Features line of /proc/cpuinfo, which is what cmd/dist
 * read before it probed ("vfpv3" → 7, "vfp" → 6, else 5). Without that line
 * (no /proc, or an emulator showing the host's x86 cpuinfo) the `uname -m`
 * name tells the architecture version; failing that, Go's default for an
 * unknown ARM target is 7. Android devices are always 7.
 */
export function goarmOf(goos: string, machine: string, cpuinfo: string | undefined): string {
  if (goos === "android") return "7";
  const features = cpuinfo === undefined ? undefined : cpuFeatures(cpuinfo);
  if (features !== undefined) {
    if (features.includes("vfpv3")) return "7";
    if (features.includes("vfp")) return "6";
    return "5";
  }
  const v = /^armv(\d+)/i.exec(machine);
  if (v !== null) {
    const n = Number(v[1]);
    if (n <= 5) return "5";
    if (n === 6) return "6";
  }
  return "7";
}

// cpuFeatures returns the fields of the first "Features" line, or undefined
// when there is none (x86 cpuinfo says "flags").
function cpuFeatures(cpuinfo: string): string[] | undefined {
  for (const line of cpuinfo.split("\n")) {
    const i = line.indexOf(":");
    if (i < 0 || line.slice(0, i).trim() !== "Features") continue;
    return line.slice(i + 1).trim().split(/\s+/).filter((f) => f !== "");
  }
  return undefined;
}

/**
 * machinePlatform decides the machine's GOOS/GOARCH(/GOARM). An unknown
 * machine name keeps its own spelling as goarch, so a message names it
 * ("toolchain not available for linux/sparc64") instead of guessing amd64.
 */
export function machinePlatform(f: MachineFacts): MachinePlatform {
  const goos = goosOf(f.platform);
  const goarch = goarchOf(f.machine, goos, f.endianness) ?? f.machine;
  if (goarch !== "arm") return { goos, goarch };
  return { goos, goarch, goarm: goarmOf(goos, f.machine, f.cpuinfo) };
}
