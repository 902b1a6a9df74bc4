/**
 * Detached OpenPGP signatures checked against a pinned key.
 *
 * A public key is used only when its primary-key fingerprint is one of the
 * trusted fingerprints the caller passes; where the key file came from (a
 * download, a mirror, a local file) then does not matter. The signature must
 * verify over the exact bytes, with a key or subkey of that pinned
 * certificate, or verification fails. Uses openpgp 6.3.2 (shared/spec/
 * deno-stack.md §6: "Signed digest did not match" for tampered data, "Could
 * not find signing key" for the wrong key).
 *
 * @module
 */

import * as openpgp from "openpgp";
import { SecurityError } from "./source.ts";

/**
 * microsoftKeyFingerprint is the primary fingerprint of "Managed Languages
 * Compiler Dev Team <mlangcompdev@microsoft.com>", the key that signs the
 * Microsoft build of Go (.sig files). It is asserted by microsoft/go-images
 * PR #633, which vendors the key into the Dockerfiles and checks
 * `fpr:::::::::B035FAC203AB9A45AAC802B4811005347B8E732C:`.
 */
export const microsoftKeyFingerprint = "B035FAC203AB9A45AAC802B4811005347B8E732C";

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
 * readPinnedKey parses an armored or binary public key and returns it only if
 * its primary fingerprint is in trusted; otherwise it throws SecurityError
 * naming both fingerprints. origin names where the key came from.
 */
export async function readPinnedKey(
  data: Uint8Array,
  trusted: readonly string[],
  origin: string,
): Promise<PinnedKey> {
  let key: openpgp.Key;
  try {
    const text = new TextDecoder().decode(data);
    key = text.includes("-----BEGIN PGP PUBLIC KEY BLOCK-----")
      ? await openpgp.readKey({ armoredKey: text })
      : await openpgp.readKey({ binaryKey: data });
  } catch (e) {
    throw new SecurityError(`reading OpenPGP key ${origin}: ${(e as Error).message}`, {
      key: origin,
    }, {
      cause: e,
    });
  }
  if (key.isPrivate()) key = key.toPublic();
  const fingerprint = normalizeFingerprint(key.getFingerprint());
  const want = trusted.map(normalizeFingerprint);
  if (!want.includes(fingerprint)) {
    throw new SecurityError(
      `OpenPGP key ${origin} has fingerprint ${fingerprint}, not the pinned ${
        want.join(" or ")
      }; refusing to use it`,
      { key: origin, fingerprint, pinned: want.join(" ") },
    );
  }
  return { key: key as openpgp.PublicKey, fingerprint, userId: key.getUserIDs()[0] ?? "" };
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
