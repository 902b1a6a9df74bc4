/**
 * Is the extracted tree the toolchain that was asked for?
 *
 * The signature binds an archive's bytes, not its name, and the listing's
 * SHA-256 comes from the same mirror as the archive: a validly signed
 * go1.21.0 tarball served under the name go1.22.5 passes both. So before a
 * tree becomes visible, what it says about itself must match the request:
 *
 * - VERSION's first line is the version asked for (Microsoft builds carry
 *   the upstream version there, "go1.22.5");
 * - a Microsoft build's MICROSOFT_REVISION is the revision asked for
 *   ("go1.22.5-1" → "1");
 * - pkg/tool holds exactly the <goos>_<goarch> directory asked for (a Go
 *   distribution builds its tools for one platform);
 * - bin/go, when it is an ELF, Mach-O or PE binary, is built for that
 *   platform (Mach-O only for darwin, PE only for windows, ELF for the rest;
 *   the CPU from the header).
 *
 * Every mismatch is a SecurityError: final, nothing is installed.
 *
 * @module
 */

import { join, type PathStyle } from "../_internal/path.ts";
import { type Artifact, SecurityError } from "../sources/mod.ts";
import type { StoreFs } from "./fs.ts";

// ELF e_machine per GOARCH (cmd/link/internal/ld/elf.go).
const elfMachine: Record<string, number> = {
  "386": 3,
  amd64: 62,
  arm: 40,
  arm64: 183,
  loong64: 258,
  mips: 8,
  mipsle: 8,
  mips64: 8,
  mips64le: 8,
  ppc64: 21,
  ppc64le: 21,
  riscv64: 243,
  s390x: 22,
};

// Mach-O cputype per GOARCH.
const machoCpu: Record<string, number> = { amd64: 0x01000007, arm64: 0x0100000c };

// PE machine per GOARCH.
const peMachine: Record<string, number> = {
  "386": 0x14c,
  amd64: 0x8664,
  arm: 0x1c4,
  arm64: 0xaa64,
};

/** binaryPlatform describes an executable's header, or undefined when it is no binary gtc knows. */
export function binaryPlatform(
  h: Uint8Array,
): { format: "ELF" | "Mach-O" | "PE"; machine: number } | undefined {
  const dv = new DataView(h.buffer, h.byteOffset, h.byteLength);
  if (h.length >= 20 && h[0] === 0x7f && h[1] === 0x45 && h[2] === 0x4c && h[3] === 0x46) {
    return { format: "ELF", machine: dv.getUint16(18, h[5] === 1) };
  }
  if (h.length >= 8 && dv.getUint32(0, true) === 0xfeedfacf) {
    return { format: "Mach-O", machine: dv.getUint32(4, true) };
  }
  if (h.length >= 0x40 && h[0] === 0x4d && h[1] === 0x5a) {
    const off = dv.getUint32(0x3c, true);
    if (off + 6 <= h.length && dv.getUint32(off, true) === 0x00004550) {
      return { format: "PE", machine: dv.getUint16(off + 4, true) };
    }
  }
  return undefined;
}

async function head(fs: StoreFs, path: string, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let len = 0;
  const r = fs.openRead(path).getReader();
  try {
    while (len < n) {
      const { done, value } = await r.read();
      if (done) break;
      const take = Math.min(value.length, n - len);
      out.set(value.subarray(0, take), len);
      len += take;
    }
  } finally {
    await r.cancel().catch(() => {});
  }
  return out.subarray(0, len);
}

function firstLine(fs: StoreFs, path: string): string | undefined {
  let data: Uint8Array;
  try {
    data = fs.readFile(path);
  } catch {
    return undefined;
  }
  // Only the first line matters; a VERSION is a few dozen bytes.
  return new TextDecoder().decode(data.subarray(0, 4096)).split("\n")[0].trim();
}

/**
 * checkIdentity refuses an extracted tree at goroot that is not the
 * toolchain a names (version, Microsoft revision, GOOS/GOARCH).
 */
export async function checkIdentity(
  fs: StoreFs,
  goroot: string,
  a: Artifact,
  style: PathStyle = "posix",
): Promise<void> {
  const refuse = (what: string, got: string, want: string): never => {
    throw new SecurityError(
      `refusing ${a.filename} from ${a.url}: it holds ${what} ${got}, not ${want} as its name ` +
        "says; the mirror serves another toolchain under this name (the signature and " +
        "checksum cover the bytes, not the name): nothing was installed",
      { file: a.filename, url: a.url, check: what, got, want },
    );
  };
  const p = (...parts: string[]) => join(style, goroot, ...parts);

  const version = firstLine(fs, p("VERSION"));
  if (version === undefined) refuse("VERSION", "no VERSION file", a.version);
  if (version !== a.version) refuse("VERSION", JSON.stringify(version), a.version);

  if (a.source === "microsoft" && a.revision !== undefined) {
    const rev = firstLine(fs, p("MICROSOFT_REVISION"));
    if (rev !== a.revision) {
      refuse(
        "MICROSOFT_REVISION",
        rev === undefined ? "no MICROSOFT_REVISION file" : JSON.stringify(rev),
        `revision ${a.revision} (${a.name})`,
      );
    }
  }

  const { goos, goarch } = a.platform;
  const want = `${goos}_${goarch}`;
  const tools = fs.readDir(p("pkg", "tool")).filter((e) => e.isDirectory).map((e) => e.name)
    .filter((n) => /^[a-z0-9]+_[a-z0-9]+$/.test(n)).sort();
  if (tools.length !== 1 || tools[0] !== want) {
    refuse(
      "pkg/tool for",
      tools.length === 0 ? "no platform" : tools.join(", "),
      want.replace("_", "/"),
    );
  }

  const exe = p("bin", goos === "windows" ? "go.exe" : "go");
  const bin = binaryPlatform(await head(fs, exe, 4096));
  if (bin !== undefined) {
    const format = goos === "darwin" ? "Mach-O" : goos === "windows" ? "PE" : "ELF";
    const table = format === "Mach-O" ? machoCpu : format === "PE" ? peMachine : elfMachine;
    const machine = table[goarch];
    if (bin.format !== format || (machine !== undefined && bin.machine !== machine)) {
      refuse(
        "bin/go built as",
        `${bin.format} machine 0x${bin.machine.toString(16)}`,
        `${format} for ${goos}/${goarch}`,
      );
    }
  }
}
