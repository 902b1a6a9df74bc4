/**
 * Checking a downloaded module's hash against the checksum database, in the
 * go command's words: GOSUMDB is dialed once (cmd/go dbOnce), each check is
 * one Client.lookup, and the answer must contain the exact go.sum line.
 *
 * Mirrors cmd/go/internal/modfetch fetch.go checkSumDB and sumdb.go
 * lookupSumDB/dbDial (go1.26). A behaviour change here needs a failing test
 * first.
 *
 * gtc is stricter than cmd/go in one case: an answer holding the exact line
 * and also a different "h1:" line for the same module version is a mismatch
 * (cmd/go accepts it when the matching line comes first). Older cmd/go
 * releases also accepted an answer with no line for the module at all (the
 * quirk in spec §4.4); go1.26 reports "checksum missing from sumdb
 * response", and so does gtc.
 *
 * @module
 */

import { Client, type ClientOps, type ClientOptions, SecurityError } from "./client.ts";
import { parseGOSUMDB, type SumDB } from "./gosumdb.ts";

/** A SumDBConn is GOSUMDB dialed once: the database name and a Client, or the dial error. */
export interface SumDBConn {
  /**
   * lookup returns the database name and its go.sum lines for path@version
   * (the version may end in "/go.mod").
   *
   * @throws {Error} the dial error (e.g. "checksum database disabled by
   * GOSUMDB=off") on every call, or the Client.lookup error.
   */
  lookup(path: string, version: string): Promise<{ name: string; lines: string[] }>;
}

/**
 * dial interprets GOSUMDB once and returns a connection whose lookups go to
 * one Client, built with the ClientOps opsFor returns for the database. A
 * GOSUMDB error is not thrown here but by every lookup, as cmd/go does.
 *
 * @example GOSUMDB=off fails each lookup
 * ```ts
 * import assert from "node:assert/strict";
 * import { dial } from "./check.ts";
 * const conn = dial("off", () => assert.fail("not dialed"));
 * await assert.rejects(conn.lookup("golang.org/toolchain", "v0.0.1-go1.21.0.linux-amd64"), {
 *   message: "checksum database disabled by GOSUMDB=off",
 * });
 * ```
 */
export function dial(
  gosumdb: string,
  opsFor: (db: SumDB) => ClientOps,
  options?: ClientOptions,
): SumDBConn {
  let conn: { name: string; client: Client } | Error | undefined;
  const get = () => {
    if (conn === undefined) {
      try {
        const db = parseGOSUMDB(gosumdb);
        conn = { name: db.name, client: new Client(opsFor(db), options) };
      } catch (err) {
        conn = err as Error;
      }
    }
    return conn;
  };
  return {
    async lookup(path, version) {
      const c = get();
      if (c instanceof Error) throw c;
      return { name: c.name, lines: await c.client.lookup(path, version) };
    },
  };
}

/**
 * A ChecksumError says a download does not match the checksum database:
 * the database has a different hash (recorded is it) or no line for the
 * download at all (recorded is undefined). It is a verification failure:
 * never retry, fall back or install after it.
 */
export class ChecksumError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly version: string,
    readonly downloaded: string,
    readonly recorded: string | undefined,
  ) {
    super(message);
    this.name = "ChecksumError";
  }
}

/** cmd/go/internal/modfetch fetch.go sumdbMismatch (go1.26): follows a checksum mismatch. */
export const sumdbMismatch = `

SECURITY ERROR
This download does NOT match the one reported by the checksum server.
The bits may have been replaced on the origin server, or an attacker may
have intercepted the download attempt.

For more information, see 'go help module-auth'.
`;

/** cmd/go/internal/modfetch fetch.go sumdbAbsent (go1.26): follows a missing checksum. */
export const sumdbAbsent = `

SECURITY ERROR
This download does NOT match one reported by the checksum server.
The checksum server has provided checksums, but the checksums do
not contain an entry for the download.
The checksum server may be malfunctioning, or an attacker may have
intercepted the checksum request.
The download cannot be verified.

For more information, see 'go help module-auth'.
`;

/**
 * checkSumDB checks that the checksum database has the go.sum line
 * "<path> <version> <h>" for a download with hash h; version ends in
 * "/go.mod" for a go.mod file's hash.
 *
 * @throws {ChecksumError} "<path>@<version>: verifying module: checksum
 * mismatch\n\tdownloaded: h1:…\n\t<db>: h1:…" + Go's SECURITY ERROR text,
 * or "…: checksum missing from sumdb response" + Go's text for that.
 * @throws {SecurityError} unchanged from the client (a forked database).
 * @throws {Error} "<path>@<version>: verifying module: <lookup error>",
 * e.g. "…: verifying module: checksum database disabled by GOSUMDB=off".
 */
export async function checkSumDB(
  conn: SumDBConn,
  mod: { path: string; version: string },
  h: string,
): Promise<void> {
  let version = mod.version;
  let noun = "module";
  if (version.endsWith("/go.mod")) {
    noun = "go.mod";
    version = version.slice(0, -"/go.mod".length);
  }
  // module.VersionError's prefix.
  const where = `${mod.path}@${version}: verifying ${noun}: `;

  let db: string, lines: string[];
  try {
    ({ name: db, lines } = await conn.lookup(mod.path, mod.version));
  } catch (err) {
    if (err instanceof SecurityError) throw err;
    throw new Error(where + (err as Error).message, { cause: err });
  }

  const have = mod.path + " " + mod.version + " " + h;
  const prefix = mod.path + " " + mod.version + " h1:";
  let found = false;
  for (const line of lines) {
    if (line === have) {
      found = true;
      continue;
    }
    // gtc: a different h1: line is a mismatch even after the matching one.
    if (line.startsWith(prefix)) {
      const recorded = line.slice(prefix.length - "h1:".length);
      throw new ChecksumError(
        where + `checksum mismatch\n\tdownloaded: ${h}\n\t${db}: ${recorded}` + sumdbMismatch,
        mod.path,
        mod.version,
        h,
        recorded,
      );
    }
  }
  if (found) return;
  throw new ChecksumError(
    where + "checksum missing from sumdb response" + sumdbAbsent,
    mod.path,
    mod.version,
    h,
    undefined,
  );
}

/**
 * checkToolchainSum verifies a downloaded golang.org/toolchain module (or
 * any module) against the checksum database: the zip hash, then the go.mod
 * hash if given. For toolchains GOSUMDB=off does not skip the check, it
 * fails it (cmd/go useSumDB), and GONOSUMDB/GOPRIVATE do not apply.
 *
 * @throws {ChecksumError | SecurityError | Error} as checkSumDB.
 *
 * @example What go prints for a toolchain with GOSUMDB=off
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkToolchainSum, dial } from "./check.ts";
 * await assert.rejects(
 *   checkToolchainSum(dial("off", () => assert.fail()), {
 *     path: "golang.org/toolchain",
 *     version: "v0.0.1-go1.21.0.linux-amd64",
 *     zipHash: "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
 *   }),
 *   {
 *     message: "golang.org/toolchain@v0.0.1-go1.21.0.linux-amd64: " +
 *       "verifying module: checksum database disabled by GOSUMDB=off",
 *   },
 * );
 * ```
 */
export async function checkToolchainSum(
  conn: SumDBConn,
  input: { path: string; version: string; zipHash: string; modHash?: string },
): Promise<void> {
  await checkSumDB(conn, input, input.zipHash);
  if (input.modHash !== undefined) {
    await checkSumDB(conn, { path: input.path, version: input.version + "/go.mod" }, input.modHash);
  }
}
