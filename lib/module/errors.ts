/**
 * The error types of x/mod/module, printed as Go prints them.
 *
 * @module
 */

import { goQuote } from "../_internal/go_quote.ts";

/**
 * InvalidPathError reports a module, import or file path that does not
 * satisfy the naming rules: `malformed module path "x": missing dot in first
 * path element` (module.InvalidPathError).
 */
export class InvalidPathError extends Error {
  constructor(
    /** "module", "import" or "file". */
    readonly kind: "module" | "import" | "file",
    readonly path: string,
    /** The reason alone, without the "malformed … path" prefix. */
    readonly detail: string,
  ) {
    super(`malformed ${kind} path ${goQuote(path)}: ${detail}`);
    this.name = "InvalidPathError";
  }
}

/**
 * InvalidVersionError reports a version that is invalid regardless of the
 * module path: `version "v1.0" invalid: disallowed version string`
 * (module.InvalidVersionError).
 */
export class InvalidVersionError extends Error {
  constructor(
    readonly version: string,
    /** Reports whether version is a pseudo-version (the noun becomes "pseudo-version"). */
    readonly pseudo: boolean,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(
      `${pseudo ? "pseudo-version" : "version"} ${goQuote(version)} invalid: ${detail}`,
      options,
    );
    this.name = "InvalidVersionError";
  }

  /** noun is "pseudo-version" or "version". */
  get noun(): string {
    return this.pseudo ? "pseudo-version" : "version";
  }
}

/**
 * ModuleError is an error about one module (module.ModuleError):
 * "path@version: err", "path@version: invalid version: detail" when err is an
 * InvalidVersionError, or "module path: err" without a version.
 *
 * The wrapped error is `cause`; errors that mean "does not exist" keep that
 * meaning through the wrapper (see isNotExist in lib/proxy).
 */
export class ModuleError extends Error {
  constructor(readonly path: string, readonly version: string, readonly err: Error) {
    super(moduleErrorText(path, version, err), { cause: err });
    this.name = "ModuleError";
  }
}

function moduleErrorText(path: string, version: string, err: Error): string {
  if (err instanceof InvalidVersionError) {
    return `${path}@${err.version}: invalid ${err.noun}: ${err.detail}`;
  }
  if (version !== "") return `${path}@${version}: ${err.message}`;
  return `module ${path}: ${err.message}`;
}

/**
 * versionError returns a ModuleError for path@version wrapping err, or err
 * itself when it is already such an error (module.VersionError).
 */
export function versionError(path: string, version: string, err: Error): Error {
  if (err instanceof ModuleError && err.path === path && err.version === version) return err;
  return new ModuleError(path, version, err);
}
