#!/usr/bin/env bash
# scripts/action.sh keys|setup: the steps of action.yml (the gtc GitHub composite action).
#
#   keys   installs gtc from the action's own checkout (scripts/gtc, which fetches the
#          pinned Deno from npm on first use), puts it in PATH for later steps, and
#          writes the cache paths and keys to $GITHUB_OUTPUT
#          (`gtc ci --cache-keys --format github`) — before anything is installed, so
#          actions/cache restores into an empty module cache (tar cannot overwrite the
#          module cache's read-only directories).
#   setup  runs `gtc ci --format github`: installs the selected toolchain when it needs
#          a download; GOROOT, GOTOOLCHAIN, GOMODCACHE and GOCACHE go to $GITHUB_ENV,
#          the toolchain's bin to $GITHUB_PATH, toolchain/goroot/cache outputs to
#          $GITHUB_OUTPUT.
#
# Inputs come as environment variables (action.yml passes them):
#   INPUT_WORKING_DIRECTORY  the directory whose go.mod/go.work decides (default .)
#   INPUT_INSTALL            "false": fail instead of downloading the toolchain
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
: "${GITHUB_ENV:?must run inside a GitHub Actions step (GITHUB_ENV unset)}"
: "${GITHUB_PATH:?must run inside a GitHub Actions step (GITHUB_PATH unset)}"
: "${GITHUB_OUTPUT:?must run inside a GitHub Actions step with an id (GITHUB_OUTPUT unset)}"
bin="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/gtc-bin"

case "${1:-}" in
keys)
  mkdir -p "$bin"
  ln -sf "$root/scripts/gtc" "$bin/gtc"
  # gtc itself for later steps; the toolchain's bin, written later, comes first.
  echo "$bin" >>"$GITHUB_PATH"
  cd "${INPUT_WORKING_DIRECTORY:-.}"
  exec "$bin/gtc" ci --cache-keys --format github
  ;;
setup)
  args=(ci --format github)
  if [ "${INPUT_INSTALL:-true}" = "false" ]; then args+=(--no-install); fi
  cd "${INPUT_WORKING_DIRECTORY:-.}"
  exec "$bin/gtc" "${args[@]}"
  ;;
*)
  echo "usage: $0 keys|setup" >&2
  exit 2
  ;;
esac
