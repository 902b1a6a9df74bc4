/**
 * The zip format's record signatures, fixed lengths and little-endian field
 * readers (APPNOTE.TXT 4.3), shared by the random-access reader (reader.ts)
 * and the streaming hash (stream.ts).
 *
 * @module
 */

export const fileHeaderSignature = 0x04034b50;
export const directoryHeaderSignature = 0x02014b50;
export const directoryEndSignature = 0x06054b50;
export const directory64LocSignature = 0x07064b50;
export const directory64EndSignature = 0x06064b50;
export const dataDescriptorSignature = 0x08074b50;
export const fileHeaderLen = 30;
export const directoryHeaderLen = 46;
export const directoryEndLen = 22;
export const dataDescriptorLen = 16;
export const directory64LocLen = 20;
export const directory64EndLen = 56;
export const zip64ExtraID = 0x0001;

/** u16 reads a little-endian uint16 at o. */
export function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

/** u32 reads a little-endian uint32 at o. */
export function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

/** u64 reads a little-endian uint64 at o. */
export function u64(b: Uint8Array, o: number): bigint {
  return BigInt(u32(b, o)) | (BigInt(u32(b, o + 4)) << 32n);
}
