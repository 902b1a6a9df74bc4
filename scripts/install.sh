#!/bin/sh
# install.sh: install gtc from a release without a checkout. Fetches the compiled gtc for this
# machine (gtc-<os>-<arch>) from the release's base URL, checks it against the release's
# SHA256SUMS, puts it in a user bin directory as `gtc` (atomically: an old gtc stays whole until the
# new one is in place), and prints the line that enables the prompt hook.
#
#   sh install.sh --base URL [--bin-dir DIR] [--platform linux-arm64]
#   curl -fsSL URL/install.sh | sh -s -- --base URL
#
# URL is the directory holding SHA256SUMS and the assets (https; plain http only to this machine);
# GTC_RELEASE_URL and GTC_BIN_DIR are the defaults of --base and --bin-dir (~/.local/bin).
set -eu

die() {
  echo "install.sh: $*" >&2
  exit 1
}

base=${GTC_RELEASE_URL:-}
bindir=${GTC_BIN_DIR:-${HOME:?}/.local/bin}
platform=
while [ $# -gt 0 ]; do
  case $1 in
  --base) [ $# -ge 2 ] || die "--base needs a URL"; base=$2; shift 2 ;;
  --base=*) base=${1#*=}; shift ;;
  --bin-dir) [ $# -ge 2 ] || die "--bin-dir needs a directory"; bindir=$2; shift 2 ;;
  --bin-dir=*) bindir=${1#*=}; shift ;;
  --platform) [ $# -ge 2 ] || die "--platform needs <os>-<arch>"; platform=$2; shift 2 ;;
  --platform=*) platform=${1#*=}; shift ;;
  -h | --help) sed -n '2,13p' "$0" 2>/dev/null | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown argument $1 (see --help)" ;;
  esac
done
[ -n "$base" ] || die "no release URL: pass --base URL or set GTC_RELEASE_URL"
base=${base%/}
case $base in
https://* | file://* | http://127.0.0.1[:/]* | http://localhost[:/]* | "http://[::1]"[:/]*) ;;
*) die "release URL $base: want https (plain http only to this machine), or a file: URL" ;;
esac

if [ -z "$platform" ]; then
  case $(uname -s) in
  Linux) os=linux ;;
  *) die "no gtc binary for $(uname -s); the bundle gtc.js runs on Deno: deno run -A --no-config gtc.js" ;;
  esac
  case $(uname -m) in
  x86_64 | amd64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) die "no gtc binary for $(uname -m) (Deno has no such target); the bundle gtc.js runs on Deno" ;;
  esac
  platform=$os-$arch
fi
case $platform in
linux-amd64 | linux-arm64) asset=gtc-$platform ;;
*) die "no gtc binary for $platform: want linux-amd64 or linux-arm64" ;;
esac

fetch() { # fetch URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --proto '=https,http,file' -o "$2" "$1" || die "cannot fetch $1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1" || die "cannot fetch $1"
  else
    die "need curl or wget to fetch $1"
  fi
}
sha256() { # sha256 FILE: lower-case hex
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    die "need sha256sum or shasum to verify the download"
  fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch "$base/SHA256SUMS" "$tmp/SHA256SUMS"
want=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print tolower($1) }' "$tmp/SHA256SUMS")
case $want in
[0-9a-f]*) [ ${#want} -eq 64 ] || die "$base/SHA256SUMS: malformed line for $asset" ;;
*) die "$base/SHA256SUMS does not list $asset" ;;
esac
fetch "$base/$asset" "$tmp/$asset"
got=$(sha256 "$tmp/$asset")
[ "$got" = "$want" ] ||
  die "checksum mismatch for $base/$asset: SHA256SUMS says $want, the download is $got; not installed"

mkdir -p "$bindir"
# Copied beside the target, then renamed over it: never a half-written gtc.
cp "$tmp/$asset" "$bindir/.gtc.install.$$"
chmod 755 "$bindir/.gtc.install.$$"
mv -f "$bindir/.gtc.install.$$" "$bindir/gtc" || { rm -f "$bindir/.gtc.install.$$"; die "cannot install $bindir/gtc"; }
echo "installed gtc $("$bindir/gtc" --version 2>/dev/null || echo "(from $asset)") in $bindir/gtc (sha256 $got)"

case ":${PATH:-}:" in
*":$bindir:"*) ;;
*) echo "put $bindir in PATH: export PATH=\"$bindir:\$PATH\"" ;;
esac
case $(basename "${SHELL:-bash}") in
zsh) echo "enable the prompt hook, in ~/.zshrc: eval \"\$(gtc hook zsh)\"" ;;
fish) echo "enable the prompt hook, in ~/.config/fish/config.fish: gtc hook fish | source" ;;
*) echo "enable the prompt hook, in ~/.bashrc: eval \"\$(gtc hook bash)\"" ;;
esac
