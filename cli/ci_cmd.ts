/**
 * `gtc ci [dir] [--format plain|shell|github|json] [--no-install]`: the
 * environment a CI step needs to run the toolchain the go command selects in
 * dir, installing it first when it needs a download.
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
        "GOROOT, PATH with its bin first, GOTOOLCHAIN (installing it first if needed)",
    )
    .argument("[dir]", "directory (default: here)")
    .option(
      "--format <format>",
      "plain (KEY=value lines), shell (export lines), github (append to $GITHUB_ENV and " +
        "$GITHUB_PATH, print a summary) or json",
      "plain",
    )
    .option("--no-install", "fail instead of downloading a toolchain that is not on this machine")
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
  const githubFiles = format === "github" ? githubTargets() : undefined;

  const [{ resolveSync }, { denoHost }, lib, { gtcHome }] = await Promise.all([
    import("../mod.ts"),
    import("../lib/host/host.ts"),
    import("../lib/ci/mod.ts"),
    import("../lib/store/mod.ts"),
  ]);
  const env = Deno.env.toObject();
  let x = resolveSync({ dir: dirArg, env });
  if (x.error !== null) throw new CiError(x.error);
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
  const style = denoHost.pathStyle;
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
  const out = lib.ciEnv(x, {
    goroot: r.goroot,
    microsoft,
    path: env[style === "windows" ? "Path" : "PATH"] ?? env.PATH ?? "",
    style,
    installed,
  });
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
        ]);
        const pathText = lib.githubPathLines(out.pathPrepend);
        Deno.writeTextFileSync(files.env, envText, { append: true });
        Deno.writeTextFileSync(files.path, pathText, { append: true });
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

// githubTargets reads the file names GitHub Actions gives a step.
function githubTargets(): { env: string; path: string } {
  const env = Deno.env.get("GITHUB_ENV") ?? "";
  const path = Deno.env.get("GITHUB_PATH") ?? "";
  if (env === "" || path === "") {
    throw new CiError(
      "--format github: GITHUB_ENV and GITHUB_PATH must name the step's files " +
        "(they are set inside a GitHub Actions step)",
      2,
    );
  }
  return { env, path };
}
