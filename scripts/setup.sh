#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for Easy Diffusion from source:
# system libraries (WebKitGTK for the window), Bun (from npm) and the JS
# dependencies. With --dev, also what the tests need (Xvfb, Chromium, Wine and
# mingw-w64 to run the Windows build, …).
# Where upstream's release engines cannot run (glibc older than 2.39: Debian 12,
# Ubuntu 22.04), the app builds the engine from source on first start, so the
# C++ toolchain is installed too.
set -euo pipefail
cd "$(dirname "$0")/.."

BUN_VERSION=1.4.5
RUNTIME_PKGS=(libwebkit2gtk-4.1-0 libgtk-3-0 xdg-utils ca-certificates)
DEV_PKGS=(xvfb xauth x11-utils xdotool imagemagick chromium desktop-file-utils dpkg-dev xz-utils unzip curl appstream nsis rpm iproute2 cmake g++ make wine64 gcc-mingw-w64-x86-64)

dev=0
for arg in "$@"; do
  case "$arg" in
    --dev) dev=1 ;;
    *) echo "usage: scripts/setup.sh [--dev]" >&2; exit 2 ;;
  esac
done

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

pkgs=("${RUNTIME_PKGS[@]}")
BUILD_PKGS=(cmake g++ make)
glibc=$(ldd --version 2>/dev/null | head -n1 | grep -oE '[0-9]+\.[0-9]+$' || echo 0)
if [ "$(printf '%s\n' "$glibc" 2.39 | sort -V | head -n1)" != 2.39 ]; then
  echo "glibc $glibc: the engine will be built on this machine at first start"
  pkgs+=("${BUILD_PKGS[@]}")
fi
[ "$dev" -eq 1 ] && pkgs+=("${DEV_PKGS[@]}")
command -v npm >/dev/null || pkgs+=(nodejs npm)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v bun >/dev/null || [ "$(bun --version 2>/dev/null)" != "$BUN_VERSION" ]; then
  echo "Installing bun $BUN_VERSION from npm"
  "${sudo_cmd[@]}" npm install -g --no-fund --no-audit "bun@$BUN_VERSION" >/dev/null 2>&1 || true
  # npm may skip the package's install script; it only links the native binary.
  if ! bun --version >/dev/null 2>&1; then
    root=$(npm root -g)
    "${sudo_cmd[@]}" node "$root/bun/install.js"
  fi
fi
bun --version >/dev/null

bun install --frozen-lockfile
echo "Setup done (bun $(bun --version))."
