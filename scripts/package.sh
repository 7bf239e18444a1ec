#!/usr/bin/env bash
# Builds the Debian package of the desktop app with the Tauri CLI:
# target/release/bundle/deb/Lectern_<version>_amd64.deb (release build, slow),
# with the app binary stripped of debug info, and prints the package's size.
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
cargo tauri build --no-bundle "$@"
# The release profile keeps line tables for profiling; the package needs
# none of that debug info (it is most of the binary), so strip it before
# bundling. The symbol table stays, so backtraces still name functions.
profile=release
for a in "$@"; do [ "$a" = "--debug" ] && profile=debug; done
strip --strip-debug "$root/target/$profile/lectern-desktop"
cargo tauri bundle --bundles deb "$@"
deb=$(ls -t "$root/target/$profile/bundle/deb/"*.deb | head -n 1)
echo "package: $deb"
echo "package: $(du -h "$deb" | cut -f1) (.deb), $(dpkg-deb -f "$deb" Installed-Size) KiB installed"
