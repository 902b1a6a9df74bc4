/**
 * Test helpers for lib/cache: a temp GOMODCACHE, the real host fs and codec,
 * toolchain zips from tests/fixtures, and a tree snapshot (names, kinds,
 * modes, contents) for comparing module cache states.
 *
 * @module
 */

import { denoWriteFs } from "../host/fs_write.ts";
import { nodeCodec } from "../host/zip_codec.ts";
import {
  removeAll as fixtureRemoveAll,
  type ToolchainZip,
  toolchainZip,
} from "../../tests/fixtures/mod.ts";
import type { CacheEnv, InstallRequest } from "./mod.ts";

export { fixtureRemoveAll, type ToolchainZip, toolchainZip };

/** env returns a CacheEnv on the real machine for gomodcache. */
export function env(gomodcache: string): CacheEnv {
  return { fs: denoWriteFs, codec: nodeCodec, gomodcache, goos: "linux" };
}

/** streamOf serves bytes as a stream in 64 KiB chunks. */
export function streamOf(data: Uint8Array): ReadableStream<Uint8Array> {
  let off = 0;
  return new ReadableStream({
    pull(c) {
      if (off >= data.length) return c.close();
      c.enqueue(data.slice(off, off + 65536));
      off += 65536;
    },
  });
}

/** request builds an InstallRequest for tz that counts fetches and verifications. */
export function request(tz: ToolchainZip, opts: { verify?: (h: string) => void } = {}) {
  const counts = { fetch: 0, verify: 0 };
  const req: InstallRequest = {
    module: { path: tz.path, version: tz.moduleVersion },
    fetchZip: () => {
      counts.fetch++;
      return Promise.resolve(streamOf(tz.zip));
    },
    verify: (h) => {
      counts.verify++;
      if (opts.verify) opts.verify(h);
      else if (h !== tz.h1) throw new Error(`verifying: checksum mismatch: ${h} != ${tz.h1}`);
    },
  };
  return { req, counts };
}

/**
 * snapshot lists everything under root: "<rel> <kind> <mode> <content or size>",
 * sorted, for comparing trees written by gtc and by the go command.
 */
export function snapshot(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of Deno.readDirSync(d)) {
      const p = `${d}/${e.name}`;
      const r = rel === "" ? e.name : `${rel}/${e.name}`;
      const st = Deno.lstatSync(p);
      const mode = (st.mode! & 0o7777).toString(8);
      if (st.isSymlink) out.push(`${r} link ${mode} ${Deno.readLinkSync(p)}`);
      else if (st.isDirectory) {
        out.push(`${r}/ dir ${mode}`);
        walk(p, r);
      } else out.push(`${r} file ${mode} ${hashBytes(Deno.readFileSync(p))}`);
    }
  };
  walk(root, "");
  return out.sort();
}

function hashBytes(b: Uint8Array): string {
  let h = 2166136261;
  for (const x of b) h = Math.imul(h ^ x, 16777619) >>> 0;
  return `${b.length}:${h.toString(16)}`;
}
