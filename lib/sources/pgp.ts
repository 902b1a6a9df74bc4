/**
 * Detached OpenPGP signatures checked against a pinned key: the one code path
 * both signing sources (Microsoft's .sig, go.dev/dl's .asc) go through.
 *
 * A public key is used only when its primary-key fingerprint is one of the
 * trusted fingerprints the caller passes; where the key file came from (a
 * download, a mirror, a local file) then does not matter. A key file may hold
 * several keys (Google's did: the obsolete DSA key 4CCA…5991 before the pinned
 * one, as gpg's import in golang/go#35309 and letsencrypt/boulder PR #8665
 * show); the pinned one is picked and the others ignored. The signature must
 * verify over the exact bytes, with a key or subkey of that pinned
 * certificate, or verification fails. A subkey is judged at the signature's
 * creation time, so signatures made by a signing subkey that has since expired
 * still verify: Google adds a three-year signing subkey every year or two
 * (boulder PR #8665 lists six, 2016 to 2024). Uses openpgp 6.3.2 (shared/spec/
 * deno-stack.md §6: "Signed digest did not match" for tampered data, "Could
 * not find signing key" for the wrong key).
 *
 * @module
 */

import * as openpgp from "openpgp";
import { getBytes, type HttpClient, HttpStatusError } from "./http.ts";
import { SecurityError } from "./source.ts";

/**
 * microsoftKeyFingerprint is the primary fingerprint of "Managed Languages
 * Compiler Dev Team <mlangcompdev@microsoft.com>", the key that signs the
 * Microsoft build of Go (.sig files). It is asserted by microsoft/go-images
 * PR #633, which vendors the key into the Dockerfiles and checks
 * `fpr:::::::::B035FAC203AB9A45AAC802B4811005347B8E732C:`.
 */
export const microsoftKeyFingerprint = "B035FAC203AB9A45AAC802B4811005347B8E732C";

/**
 * googleKeyFingerprint is the primary fingerprint of "Google Inc. (Linux
 * Packages Signing Authority) <linux-packages-keymaster@google.com>", whose
 * rotating subkeys sign go.dev/dl's .asc files. docker-library/golang's
 * Dockerfile-linux.template pins it (`--recv-keys 'EB4C 1BFD 4F04 2F6D DDCC
 * EC91 7721 F63B D38B 4796'`, citing golang/go#14739 and
 * https://www.google.com/linuxrepositories/); golang/go#35309 and
 * docker-library/golang PR #397 show gpg reporting it as the primary key of
 * good Go signatures (subkeys 6494C6D6997C215E in 2019, 78BD65473CB3BD13 in
 * 2021).
 */
export const googleKeyFingerprint = "EB4C1BFD4F042F6DDDCCEC917721F63BD38B4796";

/** normalizeFingerprint uppercases a fingerprint and drops spaces ("b035 fac2…" → "B035FAC2…"). */
export function normalizeFingerprint(fp: string): string {
  return fp.replace(/\s+/g, "").toUpperCase();
}

/** PinnedKey is a public key whose primary fingerprint matched a trusted one. */
export interface PinnedKey {
  key: openpgp.PublicKey;
  /** Uppercase hex primary fingerprint. */
  fingerprint: string;
  /** First user ID, for messages. */
  userId: string;
}

/**
 * readPinnedKey parses an armored or binary public key file and returns the
 * key whose primary fingerprint is in trusted. The file may hold several keys
 * (one armor block or several); keys that are not pinned are ignored. When
 * none is pinned it throws SecurityError naming the fingerprints found and the
 * pinned ones. origin names where the key came from.
 */
export async function readPinnedKey(
  data: Uint8Array,
  trusted: readonly string[],
  origin: string,
): Promise<PinnedKey> {
  let keys: openpgp.Key[];
  try {
    keys = await readKeyFile(data);
  } catch (e) {
    throw new SecurityError(`reading OpenPGP key ${origin}: ${(e as Error).message}`, {
      key: origin,
    }, {
      cause: e,
    });
  }
  const want = trusted.map(normalizeFingerprint);
  const found = keys.map((k) => normalizeFingerprint(k.getFingerprint()));
  const i = found.findIndex((fp) => want.includes(fp));
  if (i < 0) {
    throw new SecurityError(
      `OpenPGP key ${origin} has ${found.length === 1 ? "fingerprint" : "fingerprints"} ${
        found.join(", ")
      }, not the pinned ${want.join(" or ")}; refusing to use it`,
      { key: origin, fingerprint: found.join(" "), pinned: want.join(" ") },
    );
  }
  let key = keys[i];
  if (key.isPrivate()) key = key.toPublic();
  return {
    key: key as openpgp.PublicKey,
    fingerprint: found[i],
    userId: key.getUserIDs()[0] ?? "",
  };
}

// readKeyFile reads every key of a binary key file or of each armor block of an armored one.
async function readKeyFile(data: Uint8Array): Promise<openpgp.Key[]> {
  const text = new TextDecoder().decode(data);
  const begin = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
  if (!text.includes(begin) && !text.includes("-----BEGIN PGP PRIVATE KEY BLOCK-----")) {
    return await openpgp.readKeys({ binaryKeys: data });
  }
  // openpgp reads one armor block at a time; a key file may concatenate several.
  const blocks = text.split(/(?=-----BEGIN PGP (?:PUBLIC|PRIVATE) KEY BLOCK-----)/)
    .filter((b) => b.includes("-----BEGIN PGP"));
  const keys: openpgp.Key[] = [];
  for (const b of blocks) keys.push(...await openpgp.readKeys({ armoredKeys: b }));
  return keys;
}

/**
 * verifyDetached checks a detached signature (armored or binary) over the
 * bytes of data, which is read once to the end. It resolves only when at
 * least one signature in the packet list was made by the pinned key and
 * verifies, and every signature present verifies; otherwise it throws
 * SecurityError whose message says what failed.
 */
export async function verifyDetached(input: {
  data: ReadableStream<Uint8Array>;
  signature: Uint8Array;
  key: PinnedKey;
  /** The signed file's name, for messages. */
  name: string;
  /** Where the signature came from. */
  signatureOrigin: string;
}): Promise<string> {
  const { key, name } = input;
  const evidence = {
    file: name,
    signature: input.signatureOrigin,
    fingerprint: key.fingerprint,
  };
  let signature: openpgp.Signature;
  try {
    const text = new TextDecoder().decode(input.signature.subarray(0, 64));
    signature = text.startsWith("-----BEGIN PGP SIGNATURE-----")
      ? await openpgp.readSignature({ armoredSignature: new TextDecoder().decode(input.signature) })
      : await openpgp.readSignature({ binarySignature: input.signature });
  } catch (e) {
    await input.data.cancel().catch(() => {});
    throw new SecurityError(
      `verifying ${name}: malformed OpenPGP signature ${input.signatureOrigin}: ${
        (e as Error).message
      }`,
      evidence,
      { cause: e },
    );
  }
  let failure: string | undefined;
  try {
    const message = await openpgp.createMessage({ binary: input.data });
    const result = await openpgp.verify({
      message,
      signature,
      verificationKeys: key.key,
      format: "binary",
    });
    // The digest is computed as the data stream is read: drain it before asking.
    const reader = (result.data as ReadableStream<Uint8Array>).getReader();
    while (!(await reader.read()).done) { /* drain */ }
    if (result.signatures.length === 0) failure = "no signatures in the signature file";
    for (const s of result.signatures) {
      try {
        await s.verified;
      } catch (e) {
        failure = (e as Error).message;
        break;
      }
    }
  } catch (e) {
    failure = (e as Error).message;
  }
  if (failure !== undefined) {
    throw new SecurityError(
      `verifying ${name}: bad OpenPGP signature ${input.signatureOrigin}: ${failure}` +
        ` (pinned key ${key.fingerprint})`,
      evidence,
    );
  }
  return `pgp: signed by ${key.fingerprint}${key.userId === "" ? "" : ` (${key.userId})`}`;
}

/** The largest detached signature read; real ones are well under 1 KiB. */
const maxSignatureBytes = 64 << 10;

/** The largest public key file read; Google's, with every rotated subkey, is ~20 KiB. */
const maxKeyBytes = 1 << 20;

/** PinnedKeyOptions says where a source's signing key comes from and which fingerprints it must have. */
export interface PinnedKeyOptions {
  http: HttpClient;
  /** Where the key is published; fetched when key is not given. */
  keyUrl: string;
  /**
   * The public key's bytes (armored or binary), or a function reading them
   * when first needed (GTC_MICROSOFT_KEY, GTC_GODL_KEY); used instead of
   * keyUrl, still pinned.
   */
  key?: Uint8Array | (() => Uint8Array) | undefined;
  /** Names where key came from, for messages. @default "(configured key)" */
  keyOrigin?: string | undefined;
  /** Primary fingerprints the key must have. */
  trusted: readonly string[];
}

/**
 * SignatureChecker checks detached signatures against one pinned key, which
 * it loads (from the configured bytes or the published URL) once, when first
 * needed; a failed load is retried on the next check.
 */
export class SignatureChecker {
  readonly #opts: PinnedKeyOptions;
  #key: Promise<PinnedKey> | undefined;

  constructor(opts: PinnedKeyOptions) {
    this.#opts = opts;
  }

  /** pinnedKey loads and pins the key, once. */
  pinnedKey(): Promise<PinnedKey> {
    if (this.#key === undefined) {
      const o = this.#opts;
      this.#key = (async () => {
        if (o.key !== undefined) {
          const bytes = typeof o.key === "function" ? o.key() : o.key;
          return await readPinnedKey(bytes, o.trusted, o.keyOrigin ?? "(configured key)");
        }
        return await readPinnedKey(
          await getBytes(this.#opts.http, o.keyUrl, maxKeyBytes),
          o.trusted,
          o.keyUrl,
        );
      })();
      this.#key.catch(() => this.#key = undefined);
    }
    return this.#key;
  }

  /**
   * check fetches the detached signature from the first of urls that exists
   * and verifies data (read once, streaming) against it with the pinned key.
   * When every URL answers 404 or 410 it throws SecurityError "signature not
   * found at …", followed by missingHint when given (what the user can do);
   * with no URL at all (undefined entries are skipped) it refuses too.
   * It returns the check's description, e.g. "pgp: signed by EB4C… (Google…)".
   */
  async check(input: {
    /** The signed file's name, for messages. */
    name: string;
    urls: readonly (string | undefined)[];
    data: () => ReadableStream<Uint8Array>;
    missingHint?: string;
  }): Promise<string> {
    const urls = input.urls.filter((u): u is string => u !== undefined && u !== "");
    if (urls.length === 0) {
      throw new SecurityError(`verifying ${input.name}: no signature URL`, { file: input.name });
    }
    const key = await this.pinnedKey();
    const sig = await this.#fetch(input.name, urls, input.missingHint);
    return await verifyDetached({
      data: input.data(),
      signature: sig.data,
      key,
      name: input.name,
      signatureOrigin: sig.origin,
    });
  }

  async #fetch(
    name: string,
    urls: readonly string[],
    missingHint: string | undefined,
  ): Promise<{ data: Uint8Array; origin: string }> {
    for (const u of urls) {
      try {
        return { data: await getBytes(this.#opts.http, u, maxSignatureBytes), origin: u };
      } catch (e) {
        if (e instanceof HttpStatusError && e.isNotFound) continue;
        throw e;
      }
    }
    throw new SecurityError(
      `verifying ${name}: signature not found at ${urls.join(" or ")}` +
        (missingHint === undefined ? "" : `; ${missingHint}`),
      { file: name, signature: urls.join(" ") },
    );
  }
}
