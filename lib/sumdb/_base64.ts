/**
 * Base64 exactly as Go's encoding/base64.StdEncoding, private to lib/sumdb.
 *
 * `atob` is not a substitute: it accepts missing padding and skips spaces and
 * tabs, so keys and signatures Go rejects would be accepted. Go's decoder
 * requires padding, rejects any byte outside the alphabet, ignores only '\r'
 * and '\n', allows nothing but newlines after the padding, and (not being
 * Strict) accepts non-zero unused bits in the last quantum.
 *
 * @module
 */

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const decodeMap = new Int16Array(256).fill(-1);
for (let i = 0; i < alphabet.length; i++) decodeMap[alphabet.charCodeAt(i)] = i;

/** encodeBase64 returns the padded standard base64 encoding of b. */
export function encodeBase64(b: Uint8Array): string {
  let s = "";
  let i = 0;
  for (; i + 3 <= b.length; i += 3) {
    const v = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    s += alphabet[v >> 18] + alphabet[(v >> 12) & 63] + alphabet[(v >> 6) & 63] + alphabet[v & 63];
  }
  if (b.length - i === 1) {
    const v = b[i] << 16;
    s += alphabet[v >> 18] + alphabet[(v >> 12) & 63] + "==";
  } else if (b.length - i === 2) {
    const v = (b[i] << 16) | (b[i + 1] << 8);
    s += alphabet[v >> 18] + alphabet[(v >> 12) & 63] + alphabet[(v >> 6) & 63] + "=";
  }
  return s;
}

/**
 * decodeBase64 decodes s like Go's base64.StdEncoding.DecodeString,
 * returning undefined where Go returns an error.
 */
export function decodeBase64(s: string): Uint8Array | undefined {
  const out: number[] = [];
  let i = 0;
  const isNL = (k: number) => s[k] === "\n" || s[k] === "\r";
  for (;;) {
    const q = [0, 0, 0, 0];
    let j = 0;
    let padded = false;
    while (j < 4) {
      if (i === s.length) {
        if (j === 0) return new Uint8Array(out);
        return undefined; // incomplete quantum without padding
      }
      const c = s.charCodeAt(i++);
      if (c === 0x0a || c === 0x0d) continue;
      const v = c < 256 ? decodeMap[c] : -1;
      if (v >= 0) {
        q[j++] = v;
        continue;
      }
      if (c !== 0x3d /* = */ || j < 2) return undefined;
      if (j === 2) {
        // "==" is expected; the first "=" is already consumed.
        while (i < s.length && isNL(i)) i++;
        if (i === s.length || s[i] !== "=") return undefined;
        i++;
      }
      while (i < s.length && isNL(i)) i++;
      if (i < s.length) return undefined; // trailing garbage after padding
      padded = true;
      break;
    }
    const v = (q[0] << 18) | (q[1] << 12) | (q[2] << 6) | q[3];
    out.push((v >> 16) & 255);
    if (j >= 3) out.push((v >> 8) & 255);
    if (j === 4) out.push(v & 255);
    if (padded) return new Uint8Array(out);
  }
}
