/**
 * Files read at offsets (Go's io.ReaderAt over *os.File), for reading build
 * information out of executables without loading them whole.
 *
 * @module
 */

import type { ReaderAt } from "../buildinfo/exe.ts";

/** An open file read at offsets; close it when done. */
export interface FileReaderAt extends ReaderAt {
  close(): void;
}

/**
 * openReaderAt opens path for reading at offsets.
 *
 * @throws {Deno.errors.NotFound} and the other errors of Deno.openSync
 */
export function openReaderAt(path: string): FileReaderAt {
  const f = Deno.openSync(path, { read: true });
  return {
    readAt(buf, off) {
      if (off >= Number.MAX_SAFE_INTEGER) return 0;
      f.seekSync(off, Deno.SeekMode.Start);
      let n = 0;
      while (n < buf.length) {
        const r = f.readSync(buf.subarray(n));
        if (r === null || r === 0) break;
        n += r;
      }
      return n;
    },
    close() {
      f.close();
    },
  };
}
