/**
 * crc32 is the IEEE CRC-32 in plain TypeScript, for building test zips
 * without lib/host (the real reader uses the host Codec's native crc32).
 *
 * @module
 */

let table: Uint32Array | undefined;

/** crc32 continues crc (0 to start) over data. */
export function crc32(data: Uint8Array, crc: number): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[i] = c >>> 0;
    }
  }
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
