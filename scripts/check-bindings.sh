#!/usr/bin/env bash
# Regenerates ui/src/ipc/bindings/ from the Rust DTOs (ts-rs) and fails if
# the committed files differ, so the UI's types never drift from the shell.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

cargo test -q -p lectern-desktop --lib bindings::
if ! git diff --exit-code -- ui/src/ipc/bindings; then
  echo "check-bindings: ui/src/ipc/bindings is out of date; commit the regenerated files" >&2
  exit 1
fi
untracked="$(git ls-files --others --exclude-standard -- ui/src/ipc/bindings)"
if [ -n "$untracked" ]; then
  echo "check-bindings: new binding files are not committed:" >&2
  echo "$untracked" >&2
  exit 1
fi
echo "check-bindings: up to date"
