/**
 * Whether the go command accepts a toolchain it finds in the module cache.
 *
 * toolchain.Exec does not run a cached toolchain on sight: modfetch.Download
 * finds the extracted tree and then checkMod verifies its .ziphash against
 * the checksum database, for golang.org/toolchain even with GOSUMDB=off or a
 * matching GONOSUMDB (useSumDB), because a toolchain cannot be listed in
 * go.sum. So `GOSUMDB=off go version` refuses a cached go1.27.2 with
 * "go: golang.org/toolchain@v0.0.1-go1.27.2.linux-amd64: verifying module:
 * checksum database disabled by GOSUMDB=off", and a fake tree whose
 * .ziphash the database does not vouch for is refused as a checksum mismatch.
 *
 * This is the synchronous part, cheap enough for every prompt: the decision
 * to check, the .ziphash, GOSUMDB, and the checksum database's answer when
 * the go command has it cached on disk
 * ($GOMODCACHE/cache/download/sumdb/<name>/lookup/…), which is what it reads
 * before going to the network. It never does network I/O. Two things it
 * leaves to the full check (lib/install installFromGoproxy's verified cache
 * hit, which gtc exec and gtc ci run before using a cached toolchain): the
 * cached answer's signature and tile proof (Ed25519 is asynchronous in
 * WebCrypto), and the lookup itself when no answer is cached (the go command
 * would ask the database).
 *
 * Mirrors cmd/go/internal/modfetch fetch.go checkMod, checkModSum and
 * checkSumDB, and sumdb.go useSumDB and dbDial (go1.26).
 *
 * @module
 */

import { goQuote } from "../_internal/go_quote.ts";
import { join, type PathStyle } from "../_internal/path.ts";
import type { ReadFs } from "../_internal/sys.ts";
import { cachePaths, isValidSum } from "../cache/layout.ts";
import type { GoEnv } from "../goenv/mod.ts";
import { escapePath, escapeVersion, matchPrefixPatterns } from "../module/mod.ts";
import { parseGOSUMDB, parseRecord, sumdbAbsent, sumdbMismatch } from "../sumdb/mod.ts";
import type { TraceStep } from "./trace.ts";

/** What checkCachedToolchain found. */
export interface CachedToolchainCheck {
  /** The go command's exact failure text ("go: …"), when it refuses the toolchain. */
  error?: string;
  /**
   * The step for the trace: the refusal, or what the go command checks and
   * whether that needs more than the files (the network, or the cached
   * answer's signature and proof, which gtc exec completes).
   */
  step: TraceStep;
}

/**
 * useSumDBForToolchain mirrors useSumDB for golang.org/toolchain: the
 * checksum database is required, except for a GOPROXY that is a single
 * file:// URL (testing a distpack) and for the Go proxy itself fetching
 * toolchains; then the ordinary rule applies (GOSUMDB not off, path not
 * matched by GONOSUMDB). The reason is for the trace.
 */
export function useSumDBForToolchain(env: GoEnv): { use: boolean; why: string } {
  const goproxy = env.lookup("GOPROXY").value;
  let exempt = "";
  if (goproxy.startsWith("file://") && !/[,|]/.test(goproxy)) {
    exempt = `GOPROXY=${goproxy} is a single file:// URL`;
  } else if (env.osGetenv("GIT_HTTP_USER_AGENT").includes("proxy.golang.org")) {
    exempt = "GIT_HTTP_USER_AGENT names proxy.golang.org";
  }
  if (exempt === "") {
    return { use: true, why: "a toolchain cannot be listed in go.sum" };
  }
  if (env.getenv("GOSUMDB") === "off") {
    return { use: false, why: `${exempt} and GOSUMDB=off` };
  }
  const nosumdb = env.lookup("GONOSUMDB").value;
  if (matchPrefixPatterns(nosumdb, toolchainPath)) {
    return { use: false, why: `${exempt} and GONOSUMDB=${nosumdb} matches ${toolchainPath}` };
  }
  return { use: true, why: `${exempt}, but GOSUMDB is not off` };
}

const toolchainPath = "golang.org/toolchain";
const decoder = new TextDecoder();

/**
 * checkCachedToolchain decides, from files only, whether the go command
 * accepts toolchain module version `version` (v0.0.1-go1.22.0.linux-amd64)
 * that it found extracted in gomodcache.
 */
export function checkCachedToolchain(
  fs: ReadFs,
  env: GoEnv,
  gomodcache: string,
  version: string,
  style: PathStyle = "posix",
): CachedToolchainCheck {
  const mod = `${toolchainPath}@${version}`;
  const p = cachePaths(gomodcache, { path: toolchainPath, version }, style);
  const fail = (error: string, detail: string): CachedToolchainCheck => ({
    error,
    step: { rule: "checksum", fired: true, detail },
  });
  const pass = (detail: string): CachedToolchainCheck => ({
    step: { rule: "checksum", fired: false, detail },
  });

  // checkMod: the .ziphash, trimmed; a damaged one means re-hashing the zip.
  let h: string;
  try {
    h = decoder.decode(fs.readFile(p.ziphash)).trim();
  } catch (e) {
    const msg = `verifying ${mod}: ${(e as Error).message}`;
    return fail(`go: ${msg}`, `the go command cannot read ${p.ziphash}: ${msg}`);
  }
  if (!isValidSum(h)) {
    if (fs.stat(p.zip) === undefined) {
      const msg = `verifying ${mod}: open ${p.zip}: no such file or directory`;
      return fail(`go: ${msg}`, `${p.ziphash} is damaged and there is no zip to hash again`);
    }
    return pass(
      `${p.ziphash} is damaged: the go command hashes ${p.zip} again ` +
        `and checks that hash against the checksum database (gtc exec does the same)`,
    );
  }
  if (!h.startsWith("h1:")) {
    const msg = `verifying ${mod}: unexpected ziphash: ${goQuote(h)}`;
    return fail(`go: ${msg}`, msg);
  }

  const use = useSumDBForToolchain(env);
  if (!use.use) {
    return pass(
      `not checked against the checksum database: ${use.why}`,
    );
  }

  // checkSumDB → lookupSumDB → dbDial: GOSUMDB is read before any lookup.
  const where = `${mod}: verifying module: `;
  let db;
  try {
    db = parseGOSUMDB(env.getenv("GOSUMDB"));
  } catch (e) {
    const msg = where + (e as Error).message;
    return fail(`go: ${msg}`, `${msg} (${use.why}, so GOSUMDB=off does not skip the check)`);
  }

  // sumdb.Client.Lookup reads its cache before the network.
  const file = join(
    style,
    gomodcache,
    "cache",
    "download",
    "sumdb",
    db.name,
    "lookup",
    `${escapePath(toolchainPath)}@${escapeVersion(version)}`,
  );
  let data: Uint8Array | undefined;
  try {
    data = fs.readFile(file);
  } catch {
    data = undefined;
  }
  // A zero-length file may be one being written: the client treats it as missing.
  if (data === undefined || data.length === 0) {
    return pass(
      `the go command checks ${h} with the checksum database ${db.name}: ` +
        `no answer is cached (${file}), so it asks the database over the network ` +
        `and runs the toolchain only if the database vouches for it (gtc exec does the same)`,
    );
  }
  let lines: string[];
  try {
    lines = decoder.decode(parseRecord(data).text).split("\n").filter((l) => l !== "");
  } catch (e) {
    const msg = `${where}${mod}: ${(e as Error).message}`;
    return fail(`go: ${msg}`, `the cached checksum database answer ${file} is damaged`);
  }
  // checkSumDB: the first line for this module version decides.
  const have = `${toolchainPath} ${version} ${h}`;
  const prefix = `${toolchainPath} ${version} h1:`;
  for (const line of lines) {
    if (line === have) {
      return pass(
        `${h} matches the checksum database ${db.name} answer cached in ${file} ` +
          `(its signature and proof are checked when gtc exec runs it)`,
      );
    }
    if (line.startsWith(prefix)) {
      const recorded = line.slice(prefix.length - "h1:".length);
      const msg = where +
        `checksum mismatch\n\tdownloaded: ${h}\n\t${db.name}: ${recorded}` + sumdbMismatch;
      return fail(
        `go: ${msg}`,
        `${h} in ${p.ziphash} is not what the checksum database ${db.name} recorded (${recorded})`,
      );
    }
  }
  const msg = where + "checksum missing from sumdb response" + sumdbAbsent;
  return fail(`go: ${msg}`, `the checksum database ${db.name} has no hash for ${mod}`);
}
