/**
 * The real machine's side of GOAUTH (lib/proxy/auth.ts): running the
 * commands GOAUTH names and `git credential`, with os/exec's error texts,
 * and reading .netrc and git directories from the file system.
 *
 * @module
 */

import { hostOs } from "./runtime.ts";
import type { GoEnv } from "../goenv/mod.ts";
import {
  Authenticator,
  type CommandResult,
  type CommandRunner,
  type HttpClient,
  netrcPath,
  readNetrc,
} from "../proxy/mod.ts";
import { denoFs, toFsError } from "./fs.ts";
import { denoHttp } from "./http.ts";

/**
 * denoRunner runs commands with Deno.Command in this process's environment,
 * as the go command's exec.Command does: standard input is the null device
 * unless stdin is given, output is collected as UTF-8 text.
 */
export const denoRunner: CommandRunner = {
  async run(argv, options = {}): Promise<CommandResult> {
    const [name = "", ...args] = argv;
    if (name === "") throw new Error("exec: no command");
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(name, {
        args,
        cwd: options.dir,
        stdin: options.stdin === undefined ? "null" : "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
    } catch (e) {
      throw new Error(execErrorText(name, e));
    }
    const writeStdin = async () => {
      if (options.stdin === undefined) return;
      const w = child.stdin.getWriter();
      // Like os/exec, a command that exits without reading its input is not an error.
      await w.write(new TextEncoder().encode(options.stdin)).catch(() => {});
      await w.close().catch(() => {});
    };
    const [, out] = await Promise.all([writeStdin(), child.output()]);
    const dec = new TextDecoder();
    return {
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
      code: out.code,
      signal: out.signal ?? undefined,
    };
  },
};

// execErrorText words a failure to start name as os/exec does: a bare name
// not found in PATH is `exec: "name": executable file not found in $PATH`;
// a path that cannot be run is `fork/exec <path>: <errno text>`.
function execErrorText(name: string, e: unknown): string {
  const hasSep = name.includes("/") || (hostOs === "windows" && name.includes("\\"));
  if (e instanceof Deno.errors.NotFound) {
    if (!hasSep) {
      const pathVar = hostOs === "windows" ? "%PATH%" : "$PATH";
      return `exec: "${name}": executable file not found in ${pathVar}`;
    }
    return `fork/exec ${name}: no such file or directory`;
  }
  if (e instanceof Deno.errors.PermissionDenied) return `fork/exec ${name}: permission denied`;
  return `fork/exec ${name}: ${toFsError("exec", name, e).detail}`;
}

/**
 * hostAuthenticator returns the Authenticator for one operation with the
 * settings in env: GOAUTH (default "netrc"), NETRC and the home directory
 * for .netrc, commands run by denoRunner. Methods that fail are reported on
 * stderr when GTC_DEBUG is set (the go command prints them with -x).
 *
 * @param http the client git's credentials are checked with (not authenticated).
 */
export function hostAuthenticator(env: GoEnv, http: HttpClient = denoHttp): Authenticator {
  return new Authenticator({
    goauth: env.lookup("GOAUTH").value,
    netrc() {
      const home = env.osGetenv(env.goos === "windows" ? "USERPROFILE" : "HOME");
      const path = netrcPath({ NETRC: env.osGetenv("NETRC"), home }, denoFs, env.pathStyle);
      return readNetrc(path, denoFs);
    },
    stat(path) {
      try {
        return { isDirectory: Deno.statSync(path).isDirectory };
      } catch (e) {
        throw toFsError("stat", path, e);
      }
    },
    runner: denoRunner,
    http,
    pathStyle: env.pathStyle,
    log: env.osGetenv("GTC_DEBUG") ? (line) => console.error(line) : undefined,
  });
}
