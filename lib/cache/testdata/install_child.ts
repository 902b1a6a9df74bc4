// A child process for crash_test.ts: installs one module version from a zip
// file into GOMODCACHE, streaming the zip in small chunks, and appends a
// line to <log> each time it fetches. Prints "ok <downloaded> <extracted>".
// Usage: install_child.ts <gomodcache> <zip> <path> <version> <h1> <log>
import { denoWriteFs } from "../../host/fs_write.ts";
import { nodeCodec } from "../../host/zip_codec.ts";
import { install } from "../mod.ts";

const [gomodcache, zipFile, path, version, h1, log] = Deno.args;
const res = await install(
  { fs: denoWriteFs, codec: nodeCodec, gomodcache, goos: "linux" },
  {
    module: { path, version },
    fetchZip: () => {
      Deno.writeTextFileSync(log, `fetch ${Deno.pid}\n`, { append: true });
      const data = Deno.readFileSync(zipFile);
      let off = 0;
      return Promise.resolve(
        new ReadableStream<Uint8Array>({
          async pull(c) {
            if (off >= data.length) return c.close();
            await new Promise((r) => setTimeout(r, 1));
            c.enqueue(data.slice(off, off + 16384));
            off += 16384;
          },
        }),
      );
    },
    verify: (h) => {
      if (h !== h1) throw new Error(`checksum mismatch: ${h} != ${h1}`);
    },
  },
);
console.log(`ok ${res.downloaded} ${res.extracted}`);
