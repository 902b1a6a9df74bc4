// Ported from golang.org/x/mod/sumdb/note/note_test.go (x/mod 02c99138).

import assert from "node:assert/strict";
import {
  generateKey,
  InvalidSignatureError,
  newEd25519VerifierKey,
  newSigner,
  newVerifier,
  type Note,
  open,
  sign,
  type Signature,
  type Signer,
  UnknownVerifierError,
  UnverifiedNoteError,
  type Verifier,
  verifierList,
  type Verifiers,
} from "./note.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

const peterKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const enochKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const peterSKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

const text = "If you think cryptography is the answer to your problem,\n" +
  "then you don't know what your problem is.\n";
const peterSig =
  "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const enochSig =
  "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";
const peter: Signature = {
  name: "PeterNeumann",
  hash: 0xc74f20a3,
  base64:
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
};
const enoch: Signature = {
  name: "EnochRoot",
  hash: 0xaf0cfe78,
  base64:
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=",
};

/** manglings returns every proper substring of k and every one-byte increment of k. */
/** insertABCD inserts "ABCD" after the first 60 bytes (not UTF-16 units) of s, as Go's s[:60]+"ABCD"+s[60:]. */
function insertABCD(s: string): string {
  const b = enc(s);
  return dec(b.slice(0, 60)) + "ABCD" + dec(b.slice(60));
}

function manglings(k: string): string[] {
  const out: string[] = [];
  for (let i = 0; i <= k.length; i++) {
    for (let j = i + 1; j <= k.length; j++) {
      if (i !== 0 || j !== k.length) out.push(k.slice(i, j));
    }
  }
  for (let i = 0; i < k.length; i++) {
    out.push(k.slice(0, i) + String.fromCharCode(k.charCodeAt(i) + 1) + k.slice(i + 1));
  }
  return out;
}

Deno.test("newVerifier() accepts PeterNeumann's key and rejects every mangling", () => {
  newVerifier(peterKey);
  const bad = manglings(peterKey);
  bad.push(
    "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==", // wrong length key, with adjusted key hash
    "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", // unknown algorithm, with adjusted key hash
  );
  for (const k of bad) {
    assert.throws(() => newVerifier(k), Error, `newVerifier(${k}) succeeded`);
  }
});

// Beyond Go's test: the error each kind of mangling gets.
const newVerifierErrorTests: [string, string][] = [
  ["PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", ""],
  ["PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", ""], // ParseUint takes upper case
  ["PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n", ""], // base64 skips newlines
  ["PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "malformed verifier id"],
  ["PeterNeumann+0c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "malformed verifier id"],
  ["PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "invalid verifier hash"],
  ["PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T", "malformed verifier id"], // missing padding
  ["PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW ", "malformed verifier id"],
  ["Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "malformed verifier id"],
  ["+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "malformed verifier id"],
  ["PeterNeumann+c74f20a3+", "malformed verifier id"],
  [
    "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
    "malformed verifier id",
  ],
  [
    "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    "unknown verifier algorithm",
  ],
  ["on", "malformed verifier id"],
];

Deno.test("newVerifier() errors", async (t) => {
  for (const [k, want] of newVerifierErrorTests) {
    await t.step(`newVerifier(${JSON.stringify(k)}) = ${want || "ok"}`, () => {
      if (want === "") newVerifier(k);
      else assert.throws(() => newVerifier(k), { message: want });
    });
  }
});

Deno.test("newSigner() accepts PeterNeumann's key and rejects every mangling", async () => {
  await newSigner(peterSKey);
  for (const k of manglings(peterSKey)) {
    await assert.rejects(newSigner(k), Error, `newSigner(${k}) succeeded`);
  }
});

async function testSignerAndVerifier(name: string, signer: Signer, verifier: Verifier) {
  assert.equal(signer.name(), name);
  assert.equal(verifier.name(), name);
  assert.equal(signer.keyHash(), verifier.keyHash());

  const msg = enc("hi");
  const sig = await signer.sign(msg);
  assert.ok(await verifier.verify(msg, sig), "verify failed on signature returned by sign");
  sig[0]++;
  assert.ok(!(await verifier.verify(msg, sig)), "verify succeeded on corrupt signature");
  sig[0]--;
  msg[0]++;
  assert.ok(!(await verifier.verify(msg, sig)), "verify succeeded on corrupt message");
}

Deno.test("generateKey() returns a self-consistent key pair", async () => {
  // Generate key pair, make sure it is all self-consistent.
  const { skey, vkey } = await generateKey("EnochRoot");
  await testSignerAndVerifier("EnochRoot", await newSigner(skey), newVerifier(vkey));
});

Deno.test("newEd25519VerifierKey() agrees with newSigner() on a WebCrypto key", async () => {
  // Go's TestFromEd25519: a key made outside this package.
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const pub = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const seed = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey)).slice(-32);
  const vkey = newEd25519VerifierKey("EnochRoot", pub);
  const hash = vkey.split("+")[1];
  const skey = `PRIVATE+KEY+EnochRoot+${hash}+${new Uint8Array([1, ...seed]).toBase64()}`;
  await testSignerAndVerifier("EnochRoot", await newSigner(skey), newVerifier(vkey));
  // Check that wrong key sizes return errors.
  assert.throws(() => newEd25519VerifierKey("EnochRoot", pub.slice(1)), {
    message: "invalid public key size 31, expected 32",
  });
});

Deno.test("sign() reproduces x/mod's signed note", async () => {
  const signer = await newSigner(peterSKey);
  const want = text + "\n" + peterSig;
  const note = (sigs: Signature[] = []): Note => ({ text, sigs, unverifiedSigs: [] });
  assert.equal(dec(await sign(note(), [signer])), want);

  // Check that existing signature is replaced by new one.
  const bad = { name: "PeterNeumann", hash: 0xc74f20a3, base64: "BADSIGN=" };
  assert.equal(dec(await sign(note([bad]), [signer])), want, "sign replacing signature");

  // Check various bad inputs.
  await assert.rejects(sign({ ...note(), text: "abc" }, [signer]), { message: "malformed note" });
  await assert.rejects(sign(note([{ name: "a+b", hash: 0, base64: "ABCD" }]), []), {
    message: "malformed note",
  });
  await assert.rejects(
    sign(note([{ name: "PeterNeumann", hash: 0xc74f20a3, base64: "BADHASH=" }]), []),
    { message: "malformed note" },
  );
  const badSigner: Signer = { ...signer, name: () => "bad name" };
  await assert.rejects(sign(note(), [badSigner]), { message: "invalid signer" });
  const errSurprise = new Error("surprise!");
  const errSigner: Signer = { ...signer, sign: () => Promise.reject(errSurprise) };
  await assert.rejects(sign(note(), [errSigner]), (err) => err === errSurprise);
});

Deno.test("verifierList() finds, misses and refuses ambiguous keys", () => {
  const peterVerifier = newVerifier(peterKey);
  const enochVerifier = newVerifier(enochKey);
  const list = verifierList([peterVerifier, enochVerifier, enochVerifier]);
  assert.equal(list.verifier("PeterNeumann", 0xc74f20a3), peterVerifier);
  assert.throws(() => list.verifier("PeterNeumann", 0xc74f20a4), {
    name: "UnknownVerifierError",
    message: "unknown key PeterNeumann+c74f20a4",
  });
  assert.throws(() => list.verifier("PeterNeuman", 0xc74f20a3), {
    message: "unknown key PeterNeuman+c74f20a3",
  });
  assert.throws(() => list.verifier("EnochRoot", 0xaf0cfe78), {
    message: "ambiguous key EnochRoot+af0cfe78",
  });
});

/** fixedVerifier returns v for every name and hash, like Go's test type. */
function fixedVerifier(v: Verifier): Verifiers {
  return { verifier: () => v };
}

Deno.test("open() verifies, records and rejects signatures", async (t) => {
  const peterVerifier = newVerifier(peterKey);
  const enochVerifier = newVerifier(enochKey);

  await t.step("one signature verified, one not", async () => {
    const n = await open(enc(text + "\n" + peterSig + enochSig), verifierList([peterVerifier]));
    assert.equal(n.text, text);
    assert.deepEqual(n.sigs, [peter]);
    assert.deepEqual(n.unverifiedSigs, [enoch]);
  });

  await t.step("both verified", async () => {
    const n = await open(
      enc(text + "\n" + peterSig + enochSig),
      verifierList([peterVerifier, enochVerifier]),
    );
    assert.deepEqual(n.sigs, [peter, enoch]);
    assert.deepEqual(n.unverifiedSigs, []);
  });

  await t.step("both unverified", async () => {
    const err = await open(enc(text + "\n" + peterSig + enochSig), verifierList([])).then(
      () => assert.fail("open succeeded"),
      (e) => e,
    );
    assert.ok(err instanceof UnverifiedNoteError);
    assert.equal(err.message, "note has no verifiable signatures");
    assert.deepEqual(err.note.sigs, []);
    assert.deepEqual(err.note.unverifiedSigs, [peter, enoch]);
  });

  await t.step("duplicated verifier", async () => {
    await assert.rejects(
      open(
        enc(text + "\n" + enochSig),
        verifierList([enochVerifier, peterVerifier, enochVerifier]),
      ),
      { message: "ambiguous key EnochRoot+af0cfe78" },
    );
  });

  await t.step("unused duplicated verifier", async () => {
    await open(
      enc(text + "\n" + peterSig),
      verifierList([enochVerifier, peterVerifier, enochVerifier]),
    );
  });

  await t.step("too many signatures", async () => {
    for (const list of [[peterVerifier], []]) {
      await assert.rejects(open(enc(text + "\n" + peterSig.repeat(101)), verifierList(list)), {
        message: "malformed note",
      });
    }
    // 100 is still fine.
    await open(enc(text + "\n" + peterSig.repeat(100)), verifierList([peterVerifier]));
  });

  await t.step("invalid signature", async () => {
    const bad = insertABCD(peterSig);
    await assert.rejects(open(enc(text + "\n" + bad), verifierList([peterVerifier])), (e) => {
      assert.ok(e instanceof InvalidSignatureError);
      assert.equal(e.message, "invalid signature for key PeterNeumann+c74f20a3");
      return true;
    });
  });

  await t.step("duplicated verified and unverified signatures", async () => {
    const enochABCD: Signature = {
      name: "EnochRoot",
      hash: 0xaf0cfe78,
      base64: "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n" + "ABCD" +
        "2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=",
    };
    const n = await open(
      enc(
        text + "\n" + peterSig + peterSig + enochSig + enochSig + insertABCD(enochSig),
      ),
      verifierList([peterVerifier]),
    );
    assert.deepEqual(n.sigs, [peter]);
    assert.deepEqual(n.unverifiedSigs, [enoch, enochABCD]);
  });

  await t.step("verifiers returning the wrong name or hash", async () => {
    const misnamedSig = peterSig.replaceAll("PeterNeumann", "CarmenSandiego");
    await assert.rejects(open(enc(text + "\n" + misnamedSig), fixedVerifier(peterVerifier)), {
      message: "verifier name or hash doesn't match signature",
    });
    const wrongHash = peterSig.replaceAll("x08g", "xxxx");
    await assert.rejects(open(enc(text + "\n" + wrongHash), fixedVerifier(peterVerifier)), {
      message: "verifier name or hash doesn't match signature",
    });
  });

  await t.step("the split is at the last blank line", async () => {
    // The peter line becomes text, so only the unknown enoch signature is left.
    const err = await open(
      enc(text + "\n" + peterSig + "\n" + enochSig),
      verifierList([peterVerifier]),
    )
      .then(() => assert.fail("open succeeded"), (e) => e);
    assert.ok(err instanceof UnverifiedNoteError);
    assert.equal(err.note.text, text + "\n" + peterSig);
  });

  await t.step("errors other than UnknownVerifierError propagate", async () => {
    const boom = new Error("boom");
    const v: Verifiers = {
      verifier() {
        throw boom;
      },
    };
    await assert.rejects(open(enc(text + "\n" + peterSig), v), (e) => e === boom);
  });

  await t.step("unknown verifier is reported by name and hash", () => {
    const e = new UnknownVerifierError("PeterNeumann", 0xc74f20a3);
    assert.equal(e.keyName, "PeterNeumann");
    assert.equal(e.keyHash, 0xc74f20a3);
  });
});

// Invalid encoded message syntax: each must fail with "malformed note".
// The first seven rows are Go's badMsgs; the rest are further rules of Open.
const badMsgs: [string, Uint8Array][] = [
  ["text only", enc(text)],
  ["no signatures", enc(text + "\n")],
  ["signature without final newline", enc(text + "\n" + peterSig.slice(0, -1))],
  ["control character", enc("\x01" + text + "\n" + peterSig)],
  ["invalid UTF-8", new Uint8Array([0xff, ...enc(text + "\n" + peterSig)])],
  [
    "space in name, no newline",
    enc(
      text + "\n" +
        "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
    ),
  ],
  ["unexpected line", enc(text + "\n" + peterSig + "Unexpected line.\n")],
  // Further rules.
  ["tab", enc("a\tb\n\n" + peterSig)],
  ["carriage return", enc(text.replace("\n", "\r\n") + "\n" + peterSig)],
  ["CRLF signature line", enc(text + "\n" + peterSig.replace("\n", "\r\n"))],
  ["surrogate encoded in UTF-8", new Uint8Array([0xed, 0xa0, 0x80, ...enc("\n\n" + peterSig)])],
  ["overlong UTF-8", new Uint8Array([0xc0, 0xaf, ...enc("\n\n" + peterSig)])],
  ["truncated UTF-8", new Uint8Array([...enc(text + "\n" + peterSig), 0xe2, 0x80])],
  ["hyphen instead of em dash", enc(text + "\n" + peterSig.replace("—", "-"))],
  ["en dash instead of em dash", enc(text + "\n" + peterSig.replace("—", "–"))],
  ["no space after dash", enc(text + "\n" + peterSig.replace("— ", "—"))],
  ["empty signature", enc(text + "\n" + "— PeterNeumann \n")],
  ["no signature field", enc(text + "\n" + "— PeterNeumann\n")],
  ["signature of 4 bytes", enc(text + "\n" + "— PeterNeumann x08gow==\n")],
  ["unpadded base64", enc(text + "\n" + peterSig.replace("AM=\n", "AM\n"))],
  ["two spaces", enc(text + "\n" + peterSig.replace("Neumann ", "Neumann  "))],
  ["trailing space", enc(text + "\n" + peterSig.replace("=\n", "= \n"))],
  ["plus in name", enc(text + "\n" + peterSig.replace("PeterNeumann", "Peter+Neumann"))],
  ["empty name", enc(text + "\n" + peterSig.replace("PeterNeumann", ""))],
  ["101 unknown signatures", enc(text + "\n" + enochSig.repeat(101))],
  ["empty message", enc("")],
  ["nothing before the blank line", enc("\n\n")],
];

Deno.test("open() rejects malformed notes", async (t) => {
  const known = verifierList([newVerifier(peterKey)]);
  for (const [name, msg] of badMsgs) {
    await t.step(`open(${name}) = malformed note`, async () => {
      await assert.rejects(open(msg, known), { message: "malformed note" });
    });
  }
});

// Tamper classes for a note: every single-byte change to the signed text or
// to the signature must fail, whatever the error.
Deno.test("open() rejects every single-byte change to the text or signature", async () => {
  const known = verifierList([newVerifier(peterKey)]);
  const msg = enc(text + "\n" + peterSig);
  await open(msg, known);
  for (let i = 0; i < msg.length; i++) {
    const m = msg.slice();
    m[i] ^= 1;
    await assert.rejects(open(m, known), Error, `open succeeded with byte ${i} flipped`);
  }
});

Deno.test("open() keeps a leading BOM in the signed text", async () => {
  const signer = await newSigner(peterSKey);
  const msg = await sign({ text: "\ufeffhi\n", sigs: [], unverifiedSigs: [] }, [signer]);
  assert.deepEqual(msg.subarray(0, 3), new Uint8Array([0xef, 0xbb, 0xbf]));
  const n = await open(msg, verifierList([newVerifier(peterKey)]));
  assert.equal(n.text, "\ufeffhi\n");
});
