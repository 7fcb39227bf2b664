#!/bin/sh
# Flatpak entry point (/app/bin/easy-diffusion). Inside the sandbox
# XDG_DATA_HOME is ~/.var/app/<id>/data; point the app at the host folders a
# native install uses instead (the manifest grants them), so models, images
# and settings are shared with it and stay when the Flatpak is uninstalled.
# Flags the user gives come later on the command line and win.
exe="$(dirname "$0")/../lib/easy-diffusion/easy-diffusion"
data="${HOST_XDG_DATA_HOME:-$HOME/.local/share}/easy-diffusion"
config="${HOST_XDG_CONFIG_HOME:-$HOME/.config}/easy-diffusion/config.yaml"
if [ "$1" = engine ] && [ "$2" = import ]; then
  shift 2
  exec "$exe" engine import --data-dir "$data" --config "$config" "$@"
fi
exec "$exe" --data-dir "$data" --config "$config" "$@"
