#!/usr/bin/env bash
# Builds the Debian package of the desktop app with the Tauri CLI:
# target/release/bundle/deb/Lectern_<version>_amd64.deb (release build, slow).
#   scripts/package.sh           # release .deb
#   scripts/package.sh --debug   # debug .deb, to check the bundle quickly
# Installs tauri-cli (a Rust crate) on first use; the Tauri CLI runs the
# UI build itself (build.beforeBuildCommand in src-tauri/tauri.conf.json).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! cargo tauri --version >/dev/null 2>&1; then
  echo "package: installing tauri-cli"
  cargo install tauri-cli --locked --version '^2'
fi
if [ ! -d ui/node_modules ]; then
  (cd ui && npm ci --no-audit --no-fund)
fi
cd src-tauri
cargo tauri build --bundles deb "$@"
