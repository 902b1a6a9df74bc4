/**
 * Where the daemon listens: one address per user and protocol version.
 *
 * POSIX: `$XDG_RUNTIME_DIR/gtc/gtc-v1.sock`, or, without XDG_RUNTIME_DIR,
 * `<user cache dir>/gtc/run/gtc-v1.sock` (the cache dir as Go's
 * os.UserCacheDir finds it). The directory must be owned by the user and
 * private (0700): permissions on the containing directory are what protect
 * the socket, as watchman does, because not every system honours a socket's
 * own mode. The lock file and the log live beside it.
 *
 * Windows: the named pipe `\\.\pipe\gtc-v1-<user>` (untested: Deno reaches
 * named pipes only through node:net; see docs/protocol.md).
 *
 * @module
 */

import { join } from "../_internal/path.ts";
import { PROTOCOL_VERSION } from "./protocol.ts";

/** Address says where a daemon listens and keeps its files. */
export interface Address {
  /** The socket path or pipe name clients dial. */
  socket: string;
  /** The private directory holding the socket and the lock ("" on Windows). */
  dir: string;
  /** The lock file that makes the daemon unique. */
  lock: string;
  /** The daemon's log file. */
  log: string;
  /**
   * The hook file shell hooks read before each prompt (docs/hooks.md): one
   * line `<daemon pid> <generation> <loopback port> <token>`, mode 0600.
   */
  hook: string;
  /** The directory of `go` symlinks for goX.Y.Z programs that hooks put first in PATH. */
  shims: string;
  /** Whether dir is the fallback under the cache directory (no XDG_RUNTIME_DIR). */
  fallback: boolean;
}

/** The inputs of daemonAddress. */
export interface AddressInput {
  env: Readonly<Record<string, string | undefined>>;
  goos: string;
  /** User name for the Windows pipe name. */
  user?: string;
  /** Overrides the directory (tests, `gtc daemon --dir`). */
  dir?: string;
}

/**
 * userCacheDir mirrors os.UserCacheDir: $XDG_CACHE_HOME or $HOME/.cache on
 * Unix, $HOME/Library/Caches on macOS, %LocalAppData% on Windows; undefined
 * when the variable it needs is unset or relative.
 */
export function userCacheDir(
  env: Readonly<Record<string, string | undefined>>,
  goos: string,
): string | undefined {
  if (goos === "windows") return env.LocalAppData || env.LOCALAPPDATA || undefined;
  if (goos === "darwin" || goos === "ios") {
    return env.HOME?.startsWith("/") ? join("posix", env.HOME, "Library", "Caches") : undefined;
  }
  const xdg = env.XDG_CACHE_HOME;
  if (xdg?.startsWith("/")) return xdg;
  return env.HOME?.startsWith("/") ? join("posix", env.HOME, ".cache") : undefined;
}

/** daemonAddress computes the daemon's address, or throws when neither XDG_RUNTIME_DIR nor a cache directory is known. */
export function daemonAddress(input: AddressInput): Address {
  const name = `gtc-v${PROTOCOL_VERSION}`;
  const cache = userCacheDir(input.env, input.goos);
  if (input.goos === "windows") {
    const user = (input.user || input.env.USERNAME || "user").replace(/[^A-Za-z0-9_.-]/g, "_");
    const logDir = cache ? join("windows", cache, "gtc") : "";
    return {
      socket: `\\\\.\\pipe\\${name}-${user}`,
      dir: input.dir ?? logDir,
      lock: logDir ? join("windows", logDir, `${name}.lock`) : "",
      log: logDir ? join("windows", logDir, "daemon.log") : "",
      hook: logDir ? join("windows", logDir, `${name}.hook`) : "",
      shims: logDir ? join("windows", logDir, "shims") : "",
      fallback: false,
    };
  }
  let dir = input.dir;
  let fallback = false;
  if (dir === undefined) {
    const xdg = input.env.XDG_RUNTIME_DIR;
    if (xdg?.startsWith("/")) {
      dir = join("posix", xdg, "gtc");
    } else if (cache !== undefined) {
      dir = join("posix", cache, "gtc", "run");
      fallback = true;
    } else {
      throw new Error(
        "gtc daemon: no place for the socket: set XDG_RUNTIME_DIR or HOME (or XDG_CACHE_HOME)",
      );
    }
  }
  return {
    socket: join("posix", dir, `${name}.sock`),
    dir,
    lock: join("posix", dir, `${name}.lock`),
    log: join("posix", dir, "daemon.log"),
    hook: join("posix", dir, `${name}.hook`),
    shims: join("posix", dir, "shims"),
    fallback,
  };
}
