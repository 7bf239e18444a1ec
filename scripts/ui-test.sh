#!/usr/bin/env bash
# The desktop UI's fast checks: strict TypeScript type check, Vitest unit
# tests, and the generated IPC bindings being up to date with the Rust DTOs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ ! -d ui/node_modules ]; then
  (cd ui && npm ci --no-audit --no-fund)
fi
npm --prefix ui run typecheck
npm --prefix ui test
bash scripts/check-bindings.sh
