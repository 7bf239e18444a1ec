#!/usr/bin/env bash
# The one command that sets up a fresh Debian 12 machine and runs Lectern's
# desktop app on the sample site: installs what is missing (scripts/setup.sh),
# builds the UI and the app, and starts it. Without an argument the app opens
# a writable copy of assets/sample-site in your data folder (the installed
# files are never edited); pass a folder to open another site.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm --prefix ui run build
cargo build --release -p lectern-desktop --features custom-protocol
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display (DISPLAY/WAYLAND_DISPLAY unset); starting the app under Xvfb." >&2
  echo "run: use a desktop session to see the window." >&2
  exec xvfb-run -a target/release/lectern-desktop "$@"
fi
exec target/release/lectern-desktop "$@"
