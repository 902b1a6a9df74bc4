#!/usr/bin/env bash
# armel_node.sh ROOT — Debian's armel nodejs (bookworm: Node 18, built for
# ARMv6K + VFPv2, the Raspberry Pi Zero/1 CPU) and the shared libraries it
# loads, downloaded with apt and extracted under ROOT, not installed. Run it
# with: qemu-arm -cpu arm1176 -L ROOT ROOT/usr/bin/node …
#
# Adds the armel architecture to dpkg (and runs apt-get update) when it is
# missing and this is root. Prints ROOT/usr/bin/node on success; exits 1
# with the reason on stderr when the packages cannot be had.
set -euo pipefail

root=${1:?usage: armel_node.sh ROOT}
node="$root/usr/bin/node"
if [ -x "$node" ]; then
  echo "$node"
  exit 0
fi
command -v apt-get >/dev/null || { echo "armel_node: no apt-get (Debian/Ubuntu only)" >&2; exit 1; }
if ! dpkg --print-foreign-architectures | grep -qx armel; then
  if [ "$(id -u)" != 0 ]; then
    echo "armel_node: dpkg has no armel architecture and this is not root (dpkg --add-architecture armel)" >&2
    exit 1
  fi
  dpkg --add-architecture armel
  apt-get update -qq
fi
# nodejs's run-time closure on bookworm (apt-cache depends --recurse nodejs:armel,
# libraries only); the node-* packages are architecture-independent JavaScript
# libnode loads from /usr/share/nodejs (undici for fetch, acorn, cjs-module-lexer…).
pkgs=(
  nodejs:armel libnode108:armel libc6:armel libgcc-s1:armel libstdc++6:armel libatomic1:armel
  libbrotli1:armel libc-ares2:armel libicu72:armel libnghttp2-14:armel libssl3:armel
  libuv1:armel zlib1g:armel
  node-acorn node-busboy node-cjs-module-lexer node-undici node-xtend
)
dl=$(mktemp -d)
trap 'rm -rf "$dl"' EXIT
if ! (cd "$dl" && apt-get download -qq "${pkgs[@]}" >/dev/null 2>"$dl/err"); then
  echo "armel_node: apt-get download failed: $(cat "$dl/err")" >&2
  exit 1
fi
mkdir -p "$root.partial"
for deb in "$dl"/*.deb; do dpkg-deb -x "$deb" "$root.partial"; done
# Only a complete tree takes the final name: a failed run leaves nothing half-made under ROOT.
rm -rf "$root"
mv "$root.partial" "$root"
echo "$node"
