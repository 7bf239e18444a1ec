#!/usr/bin/env bash
# End-to-end tests of the desktop app: builds the UI, builds the app (debug,
# serving ui/dist), then drives the real window through tauri-driver under a
# private Xvfb. Needs no display. Exits non-zero on any failure.
#
#   scripts/e2e.sh            # setup check, build, run every e2e test
#   SKIP_SETUP=1 scripts/e2e.sh
#   scripts/e2e.sh window_opens   # extra args go to the test binary (a filter)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ -z "${SKIP_SETUP:-}" ]; then
  bash scripts/setup.sh
fi

echo "e2e: building the UI"
npm --prefix ui run build

echo "e2e: building lectern-desktop (debug, custom-protocol)"
cargo build -p lectern-desktop --features custom-protocol

echo "e2e: running the tests"
# One at a time: each test starts its own X server, driver and app, and the
# machine has two cores.
cargo test -p lectern-e2e -- --test-threads=1 "$@"
