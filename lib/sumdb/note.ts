/**
 * Signed notes: text signed by one or more server keys.
 *
 * Mirrors golang.org/x/mod/sumdb/note (x/mod fe2ec04f, as vendored in
 * go1.26). A behaviour change here needs a failing table test first: these
 * rules decide whether a checksum database answer is trusted.
 *
 * A signed note is a text ending in "\n", a blank line, then one or more
 * lines "— <name> <base64(4-byte key hash ‖ signature)>\n". Verifier keys
 * are "<name>+<8 hex>+<base64(0x01 ‖ 32-byte Ed25519 public key)>"; signer
 * keys are "PRIVATE+KEY+<name>+<8 hex>+<base64(0x01 ‖ 32-byte seed)>".
 *
 * Parsing is synchronous; only Ed25519 (WebCrypto, which is asynchronous)
 * returns Promises, so open, sign, newSigner and generateKey are async.
 *
 * @module
 */

import { decodeBase64, encodeBase64 } from "./_base64.ts";
import { sha256, utf8 } from "./_sha256.ts";

/** A Verifier verifies messages signed with a specific key. */
export interface Verifier {
  /** name returns the server name associated with the key. */
  name(): string;
  /** keyHash returns the key hash, a uint32. */
  keyHash(): number;
  /** verify reports whether sig is a valid signature of msg; it never rejects. */
  verify(msg: Uint8Array, sig: Uint8Array): Promise<boolean>;
}

/** A Signer signs messages using a specific key. */
export interface Signer {
  /** name returns the server name associated with the key. */
  name(): string;
  /** keyHash returns the key hash, a uint32. */
  keyHash(): number;
  /** sign returns a signature for msg. */
  sign(msg: Uint8Array): Promise<Uint8Array>;
}

/** A Verifiers is a collection of known verifier keys. */
export interface Verifiers {
  /**
   * verifier returns the Verifier for the key identified by name and hash.
   * If the pair is unknown it must throw an UnknownVerifierError.
   */
  verifier(name: string, hash: number): Verifier;
}

/** A Signature is a single signature found in a note. */
export interface Signature {
  /** Name of the key that made the signature. */
  name: string;
  /** Key hash (uint32) of the key that made the signature. */
  hash: number;
  /** The base64-encoded signature bytes, as they appear in the note. */
  base64: string;
}

/** A Note is a text and signatures. */
export interface Note {
  /** Text of the note, ending in "\n". */
  text: string;
  /** Verified signatures. */
  sigs: Signature[];
  /** Signatures by keys the Verifiers did not know. */
  unverifiedSigs: Signature[];
}

/** An UnknownVerifierError indicates that the given key is not known. */
export class UnknownVerifierError extends Error {
  constructor(readonly keyName: string, readonly keyHash: number) {
    super(`unknown key ${keyName}+${hex8(keyHash)}`);
    this.name = "UnknownVerifierError";
  }
}

/**
 * An UnverifiedNoteError indicates that the note parsed but had no
 * verifiable signatures; the unverified note is in the error.
 */
export class UnverifiedNoteError extends Error {
  constructor(readonly note: Note) {
    super("note has no verifiable signatures");
    this.name = "UnverifiedNoteError";
  }
}

/**
 * An InvalidSignatureError indicates that the key was known and its
 * Verifier rejected the signature.
 */
export class InvalidSignatureError extends Error {
  constructor(readonly keyName: string, readonly keyHash: number) {
    super(`invalid signature for key ${keyName}+${hex8(keyHash)}`);
    this.name = "InvalidSignatureError";
  }
}

// Go's sentinel errors; callers tell them apart by message only, as in Go.
const errVerifierID = "malformed verifier id";
const errVerifierAlg = "unknown verifier algorithm";
const errVerifierHash = "invalid verifier hash";
const errMalformedNote = "malformed note";
const errInvalidSigner = "invalid signer";
const errMismatchedVerifier = "verifier name or hash doesn't match signature";

const algEd25519 = 1;

// The fixed PKCS#8 prefix of an Ed25519 private key (RFC 8410): WebCrypto
// imports a raw 32-byte seed only in this wrapping.
const pkcs8Ed25519Prefix = new Uint8Array([
  0x30,
  0x2e,
  0x02,
  0x01,
  0x00,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x04,
  0x22,
  0x04,
  0x20,
]);

function hex8(h: number): string {
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** keyHash computes the key hash for the server name and encoded public key (alg ‖ key). */
function keyHash(name: string, key: Uint8Array): number {
  const sum = sha256(utf8(name), utf8("\n"), key);
  return new DataView(sum.buffer).getUint32(0);
}

// isSpace mirrors Go's unicode.IsSpace (which, unlike JS \s, includes U+0085
// and excludes U+FEFF).
function isSpace(c: number): boolean {
  if (c <= 0xff) {
    return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0;
  }
  return c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000;
}

/**
 * isValidName reports whether name is a valid key name: non-empty, valid
 * UTF-8 (no lone surrogates), with no Unicode spaces and no '+'.
 */
function isValidName(name: string): boolean {
  if (name === "" || !name.isWellFormed() || name.includes("+")) return false;
  for (const ch of name) if (isSpace(ch.codePointAt(0)!)) return false;
  return true;
}

/** cut mirrors Go's strings.Cut. */
function cut(s: string, sep: string): [string, string, boolean] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, "", false] : [s.slice(0, i), s.slice(i + sep.length), true];
}

/** parseHash32 mirrors strconv.ParseUint(s, 16, 32) for an 8-digit s. */
function parseHash32(s: string): number | undefined {
  return /^[0-9a-fA-F]{8}$/.test(s) ? parseInt(s, 16) : undefined;
}

/**
 * newVerifier constructs a Verifier from an encoded verifier key
 * "<name>+<hash>+<keydata>".
 *
 * @throws {Error} "malformed verifier id", "invalid verifier hash" or
 * "unknown verifier algorithm", as Go's NewVerifier.
 *
 * @example Parsing the key from x/mod's documentation
 * ```ts
 * import assert from "node:assert/strict";
 * import { newVerifier } from "./note.ts";
 * const v = newVerifier("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
 * assert.equal(v.name(), "PeterNeumann");
 * assert.equal(v.keyHash(), 0xc74f20a3);
 * assert.throws(() => newVerifier("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"), /invalid verifier hash/);
 * ```
 */
export function newVerifier(vkey: string): Verifier {
  const [name, rest] = cut(vkey, "+");
  const [hash16, key64] = cut(rest, "+");
  const hash = parseHash32(hash16);
  const key = decodeBase64(key64);
  if (hash === undefined || key === undefined || !isValidName(name) || key.length === 0) {
    throw new Error(errVerifierID);
  }
  if (hash !== keyHash(name, key)) throw new Error(errVerifierHash);

  const alg = key[0], pub = key.slice(1);
  if (alg !== algEd25519) throw new Error(errVerifierAlg);
  if (pub.length !== 32) throw new Error(errVerifierID);

  // Imported once, on first use: construction stays synchronous.
  let imported: Promise<CryptoKey> | undefined;
  return {
    name: () => name,
    keyHash: () => hash,
    async verify(msg, sig) {
      // Go's ed25519.Verify reports false for a wrong-length signature or a
      // public key that is not a curve point; WebCrypto throws instead.
      if (sig.length !== 64) return false;
      try {
        imported ??= crypto.subtle.importKey(
          "raw",
          new Uint8Array(pub),
          { name: "Ed25519" },
          false,
          ["verify"],
        );
        // Copies: WebCrypto takes only ArrayBuffer-backed views; notes are small.
        const key = await imported;
        return await crypto.subtle.verify("Ed25519", key, new Uint8Array(sig), new Uint8Array(msg));
      } catch {
        return false;
      }
    },
  };
}

/** seedSigner imports an Ed25519 seed and derives its raw public key. */
async function seedSigner(
  seed: Uint8Array,
): Promise<{ priv: CryptoKey; pub: Uint8Array }> {
  const pkcs8 = new Uint8Array(pkcs8Ed25519Prefix.length + 32);
  pkcs8.set(pkcs8Ed25519Prefix);
  pkcs8.set(seed, pkcs8Ed25519Prefix.length);
  const priv = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, true, ["sign"]);
  // The public key is derived from the seed; JWK export is the only WebCrypto
  // way to read it back from a private key.
  const jwk = await crypto.subtle.exportKey("jwk", priv);
  const pub = decodeBase64Url(jwk.x ?? "");
  if (pub.length !== 32) throw new Error("internal error: Ed25519 public key has wrong length");
  return { priv, pub };
}

function decodeBase64Url(s: string): Uint8Array {
  let t = s.replaceAll("-", "+").replaceAll("_", "/");
  while (t.length % 4 !== 0) t += "=";
  return decodeBase64(t) ?? new Uint8Array();
}

function makeSigner(name: string, hash: number, priv: CryptoKey): Signer {
  return {
    name: () => name,
    keyHash: () => hash,
    async sign(msg) {
      return new Uint8Array(await crypto.subtle.sign("Ed25519", priv, new Uint8Array(msg)));
    },
  };
}

/**
 * newSigner constructs a Signer from an encoded signer key
 * "PRIVATE+KEY+<name>+<hash>+<keydata>".
 *
 * It is async because the key hash covers the public key, which WebCrypto
 * derives from the seed asynchronously.
 *
 * @throws {Error} "malformed verifier id", "invalid verifier hash" or
 * "unknown verifier algorithm" (Go uses the verifier messages here too).
 *
 * @example Signing x/mod's example note
 * ```ts
 * import assert from "node:assert/strict";
 * import { newSigner, sign } from "./note.ts";
 * const s = await newSigner("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz");
 * const msg = await sign({ text: "hello\n", sigs: [], unverifiedSigs: [] }, [s]);
 * assert.match(new TextDecoder().decode(msg), /^hello\n\n— PeterNeumann /);
 * ```
 */
export async function newSigner(skey: string): Promise<Signer> {
  const [priv1, r1] = cut(skey, "+");
  const [priv2, r2] = cut(r1, "+");
  const [name, r3] = cut(r2, "+");
  const [hash16, key64] = cut(r3, "+");
  const hash = parseHash32(hash16);
  const key = decodeBase64(key64);
  if (
    priv1 !== "PRIVATE" || priv2 !== "KEY" || hash === undefined || key === undefined ||
    !isValidName(name) || key.length === 0
  ) {
    throw new Error(errVerifierID);
  }
  // Note: hash is the hash of the public key and we have the private key.
  // Must verify hash after deriving public key.
  const alg = key[0], seed = key.slice(1);
  if (alg !== algEd25519) throw new Error(errVerifierAlg);
  if (seed.length !== 32) throw new Error(errVerifierID);
  const { priv, pub } = await seedSigner(seed);
  if (hash !== keyHash(name, concat([algEd25519], pub))) throw new Error(errVerifierHash);
  return makeSigner(name, hash, priv);
}

function concat(a: ArrayLike<number>, b: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * generateKey generates a signer and verifier key pair for a named server.
 * The signer key skey is private and must be kept secret.
 *
 * @example A fresh key pair signs and verifies
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateKey, newSigner, newVerifier, open, sign, verifierList } from "./note.ts";
 * const { skey, vkey } = await generateKey("EnochRoot");
 * const msg = await sign({ text: "hi\n", sigs: [], unverifiedSigs: [] }, [await newSigner(skey)]);
 * const n = await open(msg, verifierList([newVerifier(vkey)]));
 * assert.equal(n.text, "hi\n");
 * ```
 */
export async function generateKey(name: string): Promise<{ skey: string; vkey: string }> {
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const pub = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const seed = pkcs8.slice(pkcs8.length - 32);
  const pubkey = concat([algEd25519], pub);
  const privkey = concat([algEd25519], seed);
  const h = hex8(keyHash(name, pubkey));
  return {
    skey: `PRIVATE+KEY+${name}+${h}+${encodeBase64(privkey)}`,
    vkey: `${name}+${h}+${encodeBase64(pubkey)}`,
  };
}

/**
 * newEd25519VerifierKey returns an encoded verifier key for name and a
 * 32-byte Ed25519 public key.
 *
 * @throws {Error} "invalid public key size N, expected 32".
 */
export function newEd25519VerifierKey(name: string, key: Uint8Array): string {
  if (key.length !== 32) {
    throw new Error(`invalid public key size ${key.length}, expected 32`);
  }
  const pubkey = concat([algEd25519], key);
  return `${name}+${hex8(keyHash(name, pubkey))}+${encodeBase64(pubkey)}`;
}

/**
 * verifierList returns a Verifiers that uses the given list of verifiers.
 * A name and hash matching several verifiers is an error when looked up
 * ("ambiguous key …"), not when the list is built.
 */
export function verifierList(list: readonly Verifier[]): Verifiers {
  const m = new Map<string, Verifier[]>();
  for (const v of list) {
    const k = `${v.name()}+${hex8(v.keyHash())}`;
    m.set(k, [...(m.get(k) ?? []), v]);
  }
  return {
    verifier(name, hash) {
      const v = m.get(`${name}+${hex8(hash)}`);
      if (v === undefined) throw new UnknownVerifierError(name, hash);
      // If this happens, some malicious actor has taken control of the
      // verifier list; diagnose it rather than pick one.
      if (v.length > 1) throw new Error(`ambiguous key ${name}+${hex8(hash)}`);
      return v[0];
    },
  };
}

const sigPrefix = "— ";

/**
 * open parses the signed message msg and checks its signatures against the
 * known verifiers, as Go's note.Open.
 *
 * Signatures by unknown keys go to unverifiedSigs (identical lines once);
 * repeated signatures by one known key are skipped.
 *
 * @throws {Error} "malformed note" for any syntax problem (invalid UTF-8, a
 * control character other than "\n", no blank line before the signatures, a
 * bad signature line, more than 100 signatures).
 * @throws {InvalidSignatureError} when a known key's signature fails.
 * @throws {UnverifiedNoteError} when no known key signed the note.
 *
 * @example Opening x/mod's example note
 * ```ts
 * import assert from "node:assert/strict";
 * import { newVerifier, open, verifierList } from "./note.ts";
 * const v = newVerifier("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
 * const msg = new TextEncoder().encode(
 *   "If you think cryptography is the answer to your problem,\n" +
 *     "then you don't know what your problem is.\n\n" +
 *     "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
 * );
 * const n = await open(msg, verifierList([v]));
 * assert.equal(n.sigs[0].name, "PeterNeumann");
 * await assert.rejects(open(msg.subarray(1), verifierList([v])), /invalid signature/);
 * ```
 */
export async function open(msg: Uint8Array, known: Verifiers): Promise<Note> {
  // Must have valid UTF-8 with no non-newline ASCII control characters.
  // The decoder is fatal (like Go, it rejects overlong forms and surrogates)
  // and keeps a leading BOM, which Go treats as text.
  let all: string;
  try {
    all = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(msg);
  } catch {
    throw new Error(errMalformedNote);
  }
  for (let i = 0; i < all.length; i++) {
    const c = all.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) throw new Error(errMalformedNote);
  }

  // Must end with signature block preceded by blank line.
  const split = all.lastIndexOf("\n\n");
  if (split < 0) throw new Error(errMalformedNote);
  const text = all.slice(0, split + 1);
  let sigs = all.slice(split + 2);
  if (sigs.length === 0 || !sigs.endsWith("\n")) throw new Error(errMalformedNote);
  // The signed bytes are the original ones: a fatal decode with the BOM kept
  // re-encodes to exactly the same bytes.
  const textBytes = utf8(text);

  const n: Note = { text, sigs: [], unverifiedSigs: [] };
  const seen = new Set<string>();
  const seenUnverified = new Set<string>();
  let numSig = 0;
  while (sigs.length > 0) {
    // sigs ends in "\n", so indexOf always finds one.
    const i = sigs.indexOf("\n");
    let line = sigs.slice(0, i);
    sigs = sigs.slice(i + 1);

    if (!line.startsWith(sigPrefix)) throw new Error(errMalformedNote);
    line = line.slice(sigPrefix.length);
    const [name, b64] = cut(line, " ");
    const sig = decodeBase64(b64);
    if (sig === undefined || !isValidName(name) || b64 === "" || sig.length < 5) {
      throw new Error(errMalformedNote);
    }
    const hash = new DataView(sig.buffer).getUint32(0);
    const sigBytes = sig.subarray(4);

    // Avoid spending forever parsing a note with many signatures.
    if (++numSig > 100) throw new Error(errMalformedNote);

    let v: Verifier;
    try {
      v = known.verifier(name, hash);
    } catch (err) {
      if (!(err instanceof UnknownVerifierError)) throw err;
      // Drop repeated identical unverified signatures.
      if (!seenUnverified.has(line)) {
        seenUnverified.add(line);
        n.unverifiedSigs.push({ name, hash, base64: b64 });
      }
      continue;
    }

    // Check that known.verifier returned the right verifier.
    if (v.name() !== name || v.keyHash() !== hash) throw new Error(errMismatchedVerifier);

    // Drop repeated signatures by a single verifier.
    const k = `${name}+${hex8(hash)}`;
    if (seen.has(k)) continue;
    seen.add(k);

    if (!(await v.verify(textBytes, sigBytes))) throw new InvalidSignatureError(name, hash);
    n.sigs.push({ name, hash, base64: b64 });
  }

  // Parsed and verified all the signatures.
  if (n.sigs.length === 0) throw new UnverifiedNoteError(n);
  return n;
}

/**
 * sign signs the note with the given signers and returns the encoded message.
 * New signatures follow the existing ones in n.sigs and n.unverifiedSigs; an
 * existing signature by the same key as a signer is dropped.
 *
 * @throws {Error} "malformed note" when n.text does not end in "\n" or an
 * existing signature is malformed; "invalid signer" for a bad signer name.
 */
export async function sign(n: Note, signers: readonly Signer[]): Promise<Uint8Array> {
  if (!n.text.endsWith("\n")) throw new Error(errMalformedNote);
  const textBytes = utf8(n.text);

  // Prepare signatures.
  let sigs = "";
  const have = new Set<string>();
  for (const s of signers) {
    const name = s.name();
    const hash = s.keyHash();
    have.add(`${name}+${hex8(hash)}`);
    if (!isValidName(name)) throw new Error(errInvalidSigner);
    const sig = await s.sign(textBytes);
    const hbuf = new Uint8Array(4);
    new DataView(hbuf.buffer).setUint32(0, hash);
    sigs += `${sigPrefix}${name} ${encodeBase64(concat(hbuf, sig))}\n`;
  }

  let out = n.text + "\n";
  // Emit existing signatures not replaced by new ones.
  for (const list of [n.sigs, n.unverifiedSigs]) {
    for (const sig of list) {
      if (!isValidName(sig.name)) throw new Error(errMalformedNote);
      if (have.has(`${sig.name}+${hex8(sig.hash)}`)) continue;
      // Double-check hash against base64.
      const raw = decodeBase64(sig.base64);
      if (
        raw === undefined || raw.length < 4 || new DataView(raw.buffer).getUint32(0) !== sig.hash
      ) {
        throw new Error(errMalformedNote);
      }
      out += `${sigPrefix}${sig.name} ${sig.base64}\n`;
    }
  }
  return utf8(out + sigs);
}
