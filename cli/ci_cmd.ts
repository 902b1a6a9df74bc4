/**
 * `gtc ci [dir] [--format plain|shell|github|json] [--no-install]`: the
 * environment a CI step needs to run the toolchain the go command selects in
 * dir, installing it first when it needs a download, and the module and
 * build cache paths with their cache keys (lib/ci/cache.ts).
 *
 * Everything but commander is imported when the command runs, so that
 * registering it costs the other commands nothing.
 *
 * @module
 */

import type { Command } from "commander";

const formats = ["plain", "shell", "github", "json"] as const;
type Format = (typeof formats)[number];

interface CiFlags {
  format: string;
  install?: boolean;
  cacheKeys?: boolean;
}

function write(fd: "out" | "err", s: string): void {
  const b = new TextEncoder().encode(s);
  const w = fd === "out" ? Deno.stdout : Deno.stderr;
  let n = 0;
  while (n < b.length) n += w.writeSync(b.subarray(n));
}

class CiError extends Error {
  constructor(message: string, readonly code = 1) {
    super(message);
  }
}

/** registerCiCommand adds `gtc ci` to program. */
export function registerCiCommand(program: Command): void {
  program.command("ci")
    .description(
      "Print the environment a CI step needs for the toolchain selected in [dir]: " +
        "GOROOT, PATH with its bin first, GOTOOLCHAIN (installing it first if needed); " +
        "the cache paths GOMODCACHE, GOCACHE and their cache keys",
    )
    .argument("[dir]", "directory (default: here)")
    .option(
      "--format <format>",
      "plain (KEY=value lines), shell (export lines), github (append to $GITHUB_ENV, " +
        "$GITHUB_PATH and $GITHUB_OUTPUT, print a summary) or json",
      "plain",
    )
    .option("--no-install", "fail instead of downloading a toolchain that is not on this machine")
    .option(
      "--cache-keys",
      "print only the cache paths and keys (github: to $GITHUB_OUTPUT), without installing: " +
        "to restore the caches before the toolchain is installed into the module cache",
    )
    .action(async (dir: string | undefined, flags: CiFlags) => {
      try {
        await ci(dir, flags);
      } catch (e) {
        if (!(e instanceof CiError)) throw e;
        write("err", `gtc ci: ${e.message}\n`);
        Deno.exitCode = e.code;
      }
    });
}

async function ci(dirArg: string | undefined, flags: CiFlags): Promise<void> {
  if (!(formats as readonly string[]).includes(flags.format)) {
    throw new CiError(
      `--format ${flags.format}: expected one of ${formats.join(", ")}`,
      2,
    );
  }
  const format = flags.format as Format;
  if (dirArg !== undefined) {
    let info: Deno.FileInfo | undefined;
    try {
      info = Deno.statSync(dirArg);
    } catch {
      info = undefined;
    }
    if (!info?.isDirectory) {
      throw new CiError(`${dirArg}: ${info ? "not a directory" : "no such directory"}`, 2);
    }
  }
  const githubFiles = format === "github" ? githubTargets(!!flags.cacheKeys) : undefined;

  const [{ resolveSync }, { denoHost }, lib, { gtcHome }] = await Promise.all([
    import("../mod.ts"),
    import("../lib/host/host.ts"),
    import("../lib/ci/mod.ts"),
    import("../lib/store/mod.ts"),
  ]);
  const env = Deno.env.toObject();
  let x = resolveSync({ dir: dirArg, env });
  if (x.error !== null) throw new CiError(x.error);
  const style = denoHost.pathStyle;

  // computeCache gives the cache paths and keys as the toolchain will see
  // them with environ, reading $GOROOT/go.env of goroot; null (with a note)
  // when the go command would have no module or build cache.
  const computeCache = async (environ: Record<string, string>, goroot: string | undefined) => {
    const { GoEnv } = await import("../lib/goenv/mod.ts");
    const goenv = new GoEnv({
      environ,
      fs: denoHost.fs,
      goos: denoHost.goos,
      runtimeGoroot: goroot,
    });
    const file = x.file?.path;
    try {
      return lib.ciCache({
        fs: denoHost.fs,
        env: goenv,
        style,
        goos: denoHost.goos,
        goarch: denoHost.goarch,
        toolchain: x.toolchain!,
        root: file ? file.slice(0, Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"))) : x.dir,
      });
    } catch (e) {
      write("err", `gtc ci: note: no cache paths: ${e instanceof Error ? e.message : e}\n`);
      return null;
    }
  };

  if (flags.cacheKeys) {
    // Before any install: the selected toolchain may not be here yet, so its
    // go.env is read only when it is (else the local go's).
    const cache = await computeCache(env, x.goroot ?? x.local?.goroot ?? undefined);
    if (cache === null) throw new CiError("no cache paths");
    const vars = lib.cacheVars({ cache });
    switch (format) {
      case "plain":
        write("out", vars.map(([k, v]) => `${k}=${v}\n`).join(""));
        return;
      case "shell":
        write("out", vars.map(([k, v]) => `export ${k}=${lib.shellQuote(v)}\n`).join(""));
        return;
      case "json":
        write("out", JSON.stringify(cache, null, 2) + "\n");
        return;
      case "github": {
        const text = lib.githubEnvLines(lib.githubCacheOutputs(cache));
        Deno.writeTextFileSync(githubFiles!.output!, text, { append: true });
        write("out", `gtc ci: cache key ${cache.key} written to ${githubFiles!.output}\n`);
        return;
      }
    }
  }
  let installed = false;
  if (x.source === "download") {
    if (flags.install === false) {
      throw new CiError(`toolchain ${x.toolchain} needs a download (--no-install)`);
    }
    const { installToolchain } = await import("./install_cmd.ts");
    // Progress goes to stderr (on a terminal); stdout carries only the answer.
    try {
      const r = await installToolchain(x.toolchain!, "goproxy", env);
      for (const n of r.notices) write("err", `gtc ci: note: ${n}\n`);
    } catch (e) {
      throw new CiError(`install ${x.toolchain}: ${e instanceof Error ? e.message : e}`);
    }
    installed = true;
    x = resolveSync({ dir: x.dir, env });
    if (x.error !== null) throw new CiError(x.error);
    if (x.source === "download") {
      throw new CiError(
        `toolchain ${x.toolchain} is still not on this machine after installing it`,
      );
    }
  }
  if (x.source === "cache") {
    // The go command verifies a cached toolchain before it runs it; so
    // does gtc before putting it in PATH.
    const { verifyCachedToolchain } = await import("./install_cmd.ts");
    const refused = await verifyCachedToolchain(x, env, true);
    if (refused !== undefined) throw new CiError(`go: ${refused.replace(/\n$/, "")}`);
  }
  const r = lib.findGoroot(x, {
    fs: denoHost.fs,
    runner: denoHost.runner,
    environ: env,
    style,
    goos: denoHost.goos,
  });
  if ("error" in r) throw new CiError(r.error);
  const microsoft = x.microsoft || lib.isMicrosoftGoroot(denoHost.fs, r.goroot, {
    style,
    gtcHome: gtcHome(env, denoHost.goos),
  });
  const ciInput = {
    goroot: r.goroot,
    microsoft,
    path: env[style === "windows" ? "Path" : "PATH"] ?? env.PATH ?? "",
    style,
    installed,
  };
  const out = lib.ciEnv(x, ciInput);
  // The caches as the selected toolchain will see them in the next steps:
  // the step environment plus what gtc ci sets, its own $GOROOT/go.env.
  out.cache = await computeCache({ ...env, ...out.env }, r.goroot);
  try {
    switch (format) {
      case "plain":
        write("out", lib.formatPlain(out));
        return;
      case "shell":
        write("out", lib.formatShell(out));
        return;
      case "json":
        write("out", lib.formatJson(out));
        return;
      case "github": {
        const files = githubFiles!;
        const envText = lib.githubEnvLines([
          ["GOROOT", out.env.GOROOT],
          ["GOTOOLCHAIN", out.env.GOTOOLCHAIN],
          ...lib.cacheVars(out).filter(([k]) => k === "GOMODCACHE" || k === "GOCACHE"),
        ]);
        const pathText = lib.githubPathLines(out.pathPrepend);
        // All texts are rendered (and checked) before the first file is touched.
        const outputText = files.output !== undefined
          ? lib.githubEnvLines(lib.githubOutputs(out))
          : undefined;
        Deno.writeTextFileSync(files.env, envText, { append: true });
        Deno.writeTextFileSync(files.path, pathText, { append: true });
        if (outputText !== undefined) {
          Deno.writeTextFileSync(files.output!, outputText, { append: true });
        }
        write("out", lib.githubSummary(out, files));
        return;
      }
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied) {
      throw new CiError((e as Error).message);
    }
    if (e instanceof Error && /^cannot write|has a line break/.test(e.message)) {
      throw new CiError(e.message);
    }
    throw e;
  }
}

// githubTargets reads the file names GitHub Actions gives a step
// ($GITHUB_OUTPUT only inside a step with an id; optional).
function githubTargets(cacheKeys: boolean): { env: string; path: string; output?: string } {
  const env = Deno.env.get("GITHUB_ENV") ?? "";
  const path = Deno.env.get("GITHUB_PATH") ?? "";
  const output = Deno.env.get("GITHUB_OUTPUT") ?? "";
  if (cacheKeys) {
    if (output === "") {
      throw new CiError(
        "--cache-keys --format github: GITHUB_OUTPUT must name the step's output file " +
          "(give the step an id)",
        2,
      );
    }
    return { env, path, output };
  }
  if (env === "" || path === "") {
    throw new CiError(
      "--format github: GITHUB_ENV and GITHUB_PATH must name the step's files " +
        "(they are set inside a GitHub Actions step)",
      2,
    );
  }
  return output === "" ? { env, path } : { env, path, output };
}
