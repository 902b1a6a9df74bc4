/**
 * The golang.org/toolchain module: how the go command names a Go
 * distribution as a module version.
 *
 * `go1.21.3` for linux/amd64 is golang.org/toolchain@v0.0.1-go1.21.3.linux-amd64
 * (cmd/go/internal/toolchain select.go gotoolchainModule, gotoolchainVersion;
 * cmd/go/internal/modfetch toolchain.go dlToGo; go1.26).
 *
 * @module
 */

/** toolchainModule is the module path of Go toolchain distributions. */
export const toolchainModule = "golang.org/toolchain";

/** toolchainModuleVersionPrefix is the fixed semantic-version part of every toolchain module version. */
export const toolchainModuleVersionPrefix = "v0.0.1";

/**
 * toolchainModuleVersion returns the golang.org/toolchain version of the
 * toolchain name (a "goX.Y.Z" name as GOTOOLCHAIN spells it) built for
 * goos/goarch: "v0.0.1-<name>.<goos>-<goarch>".
 */
export function toolchainModuleVersion(name: string, goos: string, goarch: string): string {
  return `${toolchainModuleVersionPrefix}-${name}.${goos}-${goarch}`;
}

/**
 * dlToGo converts a toolchain module version ("v0.0.1-go1.19.7.windows-amd64")
 * to the Go version it holds ("1.19.7"), or undefined when v does not have
 * that shape (modfetch.dlToGo). The platform is not checked.
 */
export function dlToGo(v: string): string | undefined {
  // v0.0.1-go1.19.7.windows-amd64: cut "v0.0.1-".
  const dash = v.indexOf("-");
  if (dash < 0) return undefined;
  v = v.slice(dash + 1);
  // Cut ".windows-amd64".
  const i = v.lastIndexOf(".");
  if (i < 0 || !v.slice(i + 1).includes("-")) return undefined;
  v = v.slice(0, i);
  return v.startsWith("go") ? v.slice(2) : v;
}
