import assert from "node:assert/strict";
import * as openpgp from "openpgp";
import { googleKeyFingerprint, normalizeFingerprint, readPinnedKey } from "./pgp.ts";
import { SecurityError } from "./source.ts";
import { generateTestKey } from "./test_server.ts";

Deno.test("normalizeFingerprint() accepts gpg's spaced form, in either case", () => {
  // As docker-library/golang's Dockerfile and gpg --fingerprint print it.
  assert.equal(
    normalizeFingerprint("eb4c 1bfd 4f04 2f6d ddcc  ec91 7721 f63b d38b 4796"),
    googleKeyFingerprint,
  );
});

Deno.test("readPinnedKey() picks the pinned key out of a file holding several", async (t) => {
  const old = await generateTestKey("obsolete");
  const pinned = await generateTestKey("pinned");
  const keys = await Promise.all(
    [old, pinned].map((k) => openpgp.readKey({ armoredKey: k.armoredPublic })),
  );
  const binary = new Uint8Array([...keys[0].write(), ...keys[1].write()]);
  // One armor block holding both keys, as `gpg --export --armor A B` writes it.
  const oneBlock = openpgp.armor(openpgp.enums.armor.publicKey, binary);
  const files: [string, Uint8Array][] = [
    ["two armor blocks", new TextEncoder().encode(old.armoredPublic + pinned.armoredPublic)],
    ["one armor block with two keys", new TextEncoder().encode(oneBlock)],
    ["binary", binary],
  ];
  for (const [name, data] of files) {
    await t.step(name, async () => {
      const k = await readPinnedKey(data, [pinned.fingerprint.toLowerCase()], "k.asc");
      assert.equal(k.fingerprint, pinned.fingerprint);
      assert.match(k.userId, /^pinned/);
      await assert.rejects(
        readPinnedKey(data, ["0".repeat(40)], "k.asc"),
        (e: Error) =>
          e instanceof SecurityError &&
          e.message ===
            `OpenPGP key k.asc has fingerprints ${old.fingerprint}, ${pinned.fingerprint}, ` +
              `not the pinned ${"0".repeat(40)}; refusing to use it`,
      );
    });
  }
});

Deno.test("readPinnedKey() refuses what is not a key", async () => {
  for (const s of ["", "hello", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxx\n"]) {
    await assert.rejects(
      readPinnedKey(new TextEncoder().encode(s), ["0".repeat(40)], "k.asc"),
      (e: Error) =>
        e instanceof SecurityError && e.message.startsWith("reading OpenPGP key k.asc: "),
    );
  }
});
