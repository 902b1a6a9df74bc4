/**
 * Go settings with provenance: process environment → the go env file →
 * $GOROOT/go.env → built-in default.
 *
 * Mirrors cmd/go/internal/cfg (go1.26): Getenv, EnvFile, initEnvCache,
 * findGOROOT and the defaults of GOPATH, GOMODCACHE and GOPRIVATE-derived
 * settings. An empty value counts as unset at every layer except that an
 * empty entry in the user file masks $GOROOT/go.env (Go stores it, and
 * Getenv then returns "").
 *
 * @module
 */

import type { ReadFs } from "../_internal/sys.ts";
import { clean, isAbs, join, type PathStyle, splitList } from "../_internal/path.ts";
import { parseEnvFile } from "./env_file.ts";

/** Where a setting's value came from. */
export type Origin =
  | { layer: "env" }
  | { layer: "user"; file: string; line: number }
  | { layer: "goroot"; file: string; line: number }
  | { layer: "default"; detail?: string };

/** A Go setting, its value and where the value came from. */
export interface Setting {
  key: string;
  /** The value the go command uses; "" means unset. */
  value: string;
  origin: Origin;
}

/** The inputs GoEnv reads. */
export interface GoEnvInput {
  /** The process environment the go command would see. */
  environ: Readonly<Record<string, string | undefined>>;
  fs: ReadFs;
  /** The host OS in GOOS terms ("linux", "darwin", "windows", …). */
  goos: string;
  /**
   * The GOROOT the go binary derives from its own location (the local
   * toolchain's root), used when neither the go env file nor $GOROOT set one.
   */
  runtimeGoroot?: string;
}

/** Describes the go env file in use. */
export interface EnvFileInfo {
  /** The file's path, or "" when there is none. */
  path: string;
  /** How the path was chosen, or why there is no file. */
  reason: string;
  /** Whether the file exists and was read. */
  exists: boolean;
}

/**
 * GoEnv answers cfg.Getenv(key) for one environment, remembering where each
 * value came from.
 *
 * @example
 * ```ts
 * import { deepEqual as assertEquals } from "node:assert/strict";
 * import { GoEnv } from "./layers.ts";
 * import { MemFs } from "../_internal/mem_fs.ts";
 * const fs = new MemFs({
 *   "/home/u/.config/go/env": "GOTOOLCHAIN=go1.22.0+auto\n",
 *   "/usr/local/go/go.env": "GOTOOLCHAIN=auto\nGOSUMDB=sum.golang.org\n",
 *   "/usr/local/go/pkg/tool/": "",
 * });
 * const env = new GoEnv({ environ: { HOME: "/home/u" }, fs, goos: "linux", runtimeGoroot: "/usr/local/go" });
 * assertEquals(env.lookup("GOTOOLCHAIN").value, "go1.22.0+auto");
 * assertEquals(env.lookup("GOTOOLCHAIN").origin, { layer: "user", file: "/home/u/.config/go/env", line: 1 });
 * ```
 */
export class GoEnv {
  readonly envFile: EnvFileInfo;
  /** GOROOT as findGOROOT decides it, with where it came from; value "" when unknown. */
  readonly goroot: Setting;
  /** Whether $GOROOT/go.env was read. */
  readonly gorootEnvFile: EnvFileInfo;
  readonly goos: string;
  readonly pathStyle: PathStyle;
  readonly #environ: Readonly<Record<string, string | undefined>>;
  readonly #cache = new Map<string, Setting>();

  constructor(input: GoEnvInput) {
    this.#environ = input.environ;
    this.goos = input.goos;
    this.pathStyle = input.goos === "windows" ? "windows" : "posix";
    const fs = input.fs;

    this.envFile = this.#findEnvFile();
    if (this.envFile.path !== "") {
      const data = readText(fs, this.envFile.path);
      this.envFile.exists = data !== undefined;
      // The user file is maintained by "go env -w": the last duplicate wins.
      for (const e of parseEnvFile(data ?? "")) {
        this.#cache.set(e.key, {
          key: e.key,
          value: e.value,
          origin: { layer: "user", file: this.envFile.path, line: e.line },
        });
      }
    }

    this.goroot = this.#findGoroot(input.runtimeGoroot ?? "");
    const gorootEnv = this.goroot.value === ""
      ? ""
      : join(this.pathStyle, this.goroot.value, "go.env");
    this.gorootEnvFile = { path: gorootEnv, reason: "$GOROOT/go.env", exists: false };
    if (gorootEnv !== "") {
      const data = readText(fs, gorootEnv);
      this.gorootEnvFile.exists = data !== undefined;
      for (const e of parseEnvFile(data ?? "")) {
        // go.env never overrides the user's file; within it the first line wins.
        if (this.#cache.has(e.key)) continue;
        this.#cache.set(e.key, {
          key: e.key,
          value: e.value,
          origin: { layer: "goroot", file: gorootEnv, line: e.line },
        });
      }
    }
  }

  /** osGetenv returns the raw process environment value ("" when unset). */
  osGetenv(key: string): string {
    return this.#environ[key] ?? "";
  }

  /** environ returns the process environment this GoEnv was built from. */
  environ(): Readonly<Record<string, string | undefined>> {
    return this.#environ;
  }

  /**
   * getenv mirrors cfg.Getenv: a non-empty process value, else the value from
   * the go env file or $GOROOT/go.env, else "".
   */
  getenv(key: string): string {
    return this.lookupRaw(key).value;
  }

  /** lookupRaw is getenv with the origin; no built-in default is applied. */
  lookupRaw(key: string): Setting {
    const v = this.osGetenv(key);
    if (v !== "") return { key, value: v, origin: { layer: "env" } };
    return this.#cache.get(key) ?? { key, value: "", origin: { layer: "default" } };
  }

  /**
   * lookup returns the effective value of a Go setting as the go command
   * uses it, applying the built-in defaults of cmd/go/internal/cfg where one
   * exists (GOPATH, GOMODCACHE, GONOPROXY, GONOSUMDB, GOROOT, GOENV, …).
   */
  lookup(key: string): Setting {
    const s = this.lookupRaw(key);
    if (s.value !== "") return s;
    const def = (detail: string, value: string): Setting => ({
      key,
      value,
      origin: { layer: "default", detail },
    });
    switch (key) {
      case "GOROOT":
        return this.goroot;
      case "GOENV":
        return def(this.envFile.reason, this.envFile.path === "" ? "off" : this.envFile.path);
      case "GOPATH": {
        const home = this.#homeVar();
        const h = this.osGetenv(home);
        if (h === "") return def(`$${home} is not set`, "");
        const p = join(this.pathStyle, h, "go");
        // go/build refuses a default GOPATH equal to GOROOT.
        if (clean(p, this.pathStyle) === clean(this.goroot.value, this.pathStyle)) {
          return def("cannot set GOROOT as GOPATH", "");
        }
        return def(`$${home}/go`, p);
      }
      case "GOMODCACHE": {
        const first = splitList(this.lookup("GOPATH").value, this.pathStyle)[0] ?? "";
        if (first === "") return def("GOPATH is not set", "");
        return def("first GOPATH entry + /pkg/mod", join(this.pathStyle, first, "pkg", "mod"));
      }
      case "GONOPROXY":
      case "GONOSUMDB": {
        const p = this.lookupRaw("GOPRIVATE");
        return p.value === "" ? s : { key, value: p.value, origin: p.origin };
      }
      case "GOPROXY":
        // modfetch falls back to this when GOPROXY is empty everywhere.
        return def("built in", "https://proxy.golang.org,direct");
      case "GOSUMDB":
        return def("built in", "sum.golang.org");
      case "GOAUTH":
        return def("built in", "netrc");
      case "GOOS":
      case "GOHOSTOS":
        return def("host", this.goos);
    }
    return s;
  }

  #homeVar(): string {
    return this.goos === "windows" ? "USERPROFILE" : this.goos === "plan9" ? "home" : "HOME";
  }

  // findEnvFile mirrors cfg.EnvFile and os.UserConfigDir.
  #findEnvFile(): EnvFileInfo {
    const goenv = this.osGetenv("GOENV");
    if (goenv === "off") return { path: "", reason: "GOENV=off", exists: false };
    if (goenv !== "") return { path: goenv, reason: "$GOENV", exists: false };
    const style = this.pathStyle;
    let dir = "";
    let reason = "";
    switch (this.goos) {
      case "windows":
        dir = this.osGetenv("AppData");
        reason = "%AppData%\\go\\env";
        if (dir === "") return { path: "", reason: "%AppData% is not defined", exists: false };
        break;
      case "darwin":
      case "ios":
        dir = this.osGetenv("HOME");
        if (dir === "") return { path: "", reason: "$HOME is not defined", exists: false };
        dir = join(style, dir, "Library", "Application Support");
        reason = "$HOME/Library/Application Support/go/env";
        break;
      case "plan9":
        dir = this.osGetenv("home");
        if (dir === "") return { path: "", reason: "$home is not defined", exists: false };
        dir = join(style, dir, "lib");
        reason = "$home/lib/go/env";
        break;
      default:
        dir = this.osGetenv("XDG_CONFIG_HOME");
        reason = "$XDG_CONFIG_HOME/go/env";
        if (dir === "") {
          dir = this.osGetenv("HOME");
          if (dir === "") {
            return {
              path: "",
              reason: "neither $XDG_CONFIG_HOME nor $HOME are defined",
              exists: false,
            };
          }
          dir = join(style, dir, ".config");
          reason = "$HOME/.config/go/env";
        } else if (!isAbs(dir, style)) {
          return { path: "", reason: "path in $XDG_CONFIG_HOME is relative", exists: false };
        }
    }
    return { path: join(style, dir, "go", "env"), reason, exists: false };
  }

  // findGoroot mirrors cfg.findGOROOT: the go env file's GOROOT, then
  // $GOROOT, then the root the go binary derives from its location.
  #findGoroot(runtimeGoroot: string): Setting {
    const user = this.#cache.get("GOROOT");
    if (user !== undefined && user.value !== "") {
      return { ...user, value: clean(user.value, this.pathStyle) };
    }
    const env = this.osGetenv("GOROOT");
    if (env !== "") {
      return { key: "GOROOT", value: clean(env, this.pathStyle), origin: { layer: "env" } };
    }
    return {
      key: "GOROOT",
      value: runtimeGoroot,
      origin: {
        layer: "default",
        detail: runtimeGoroot === "" ? "no go command found" : "the go command's own location",
      },
    };
  }
}

function readText(fs: ReadFs, path: string): string | undefined {
  try {
    return new TextDecoder().decode(fs.readFile(path));
  } catch {
    // cfg.readEnvFile ignores unreadable files.
    return undefined;
  }
}

/** describeOrigin renders an origin for people: "go env file /x/env:3", "$GOROOT/go.env:12". */
export function describeOrigin(o: Origin): string {
  switch (o.layer) {
    case "env":
      return "environment";
    case "user":
      return `go env file ${o.file}:${o.line}`;
    case "goroot":
      return `${o.file}:${o.line}`;
    case "default":
      return o.detail ? `default (${o.detail})` : "default";
  }
}

/** The Go settings `gtc env` lists, in display order. */
export const knownKeys: readonly string[] = [
  "GOTOOLCHAIN",
  "GOROOT",
  "GOENV",
  "GOPATH",
  "GOMODCACHE",
  "GOPROXY",
  "GOSUMDB",
  "GOPRIVATE",
  "GONOPROXY",
  "GONOSUMDB",
  "GOINSECURE",
  "GOFLAGS",
  "GOWORK",
  "GO111MODULE",
  "GOAUTH",
  "GODEBUG",
];
