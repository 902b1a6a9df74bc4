/**
 * Streaming an archive to a new file while hashing it: the archive is never
 * held in memory, and the SHA-256 is known the moment the last byte lands.
 *
 * @module
 */

import { type HttpClient, HttpStatusError } from "../sources/mod.ts";
import type { StoreFs } from "./fs.ts";

/** DownloadInput describes one download. */
export interface DownloadInput {
  http: HttpClient;
  fs: StoreFs;
  url: string;
  /** A path that must not exist yet; created with mode 0o600. */
  dest: string;
  /** Bytes allowed; the download stops with an error past this. */
  maxBytes: number;
  /** The size the source declared, if any: more or fewer bytes is an error. */
  declaredSize?: number;
  signal?: AbortSignal;
  /** Called after each chunk with the bytes so far and the declared size. */
  onProgress?: (done: number, total: number | undefined) => void;
}

/** Downloaded is the result of a complete download. */
export interface Downloaded {
  /** Lowercase hex SHA-256 of the bytes written. */
  sha256: string;
  size: number;
}

/** DownloadError is a failed transfer (not a verification failure). */
export class DownloadError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DownloadError";
  }
}

/**
 * download fetches url into dest, hashing as it writes. On any failure it
 * throws and leaves dest for the caller to remove.
 */
export async function download(input: DownloadInput): Promise<Downloaded> {
  const { fs, url } = input;
  const resp = await input.http.get(url, input.signal ? { signal: input.signal } : {});
  if (resp.status !== 200) {
    await resp.body?.cancel().catch(() => {});
    throw new HttpStatusError(url, resp.status);
  }
  const limit = input.declaredSize ?? input.maxBytes;
  const hash = fs.sha256();
  const sink = fs.create(input.dest, { mode: 0o600 });
  let n = 0;
  try {
    if (resp.body !== null) {
      const reader = resp.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          n += value.length;
          if (n > limit) {
            await reader.cancel().catch(() => {});
            throw new DownloadError(
              input.declaredSize !== undefined
                ? `downloading ${url}: more than the declared ${input.declaredSize} bytes`
                : `downloading ${url}: larger than ${input.maxBytes} bytes`,
            );
          }
          hash.update(value);
          sink.write(value);
          input.onProgress?.(n, input.declaredSize);
        }
      } finally {
        reader.releaseLock();
      }
    }
  } finally {
    sink.close();
  }
  if (input.declaredSize !== undefined && n !== input.declaredSize) {
    throw new DownloadError(
      `downloading ${url}: got ${n} bytes, want the declared ${input.declaredSize}`,
    );
  }
  return { sha256: hash.digest(), size: n };
}
