#!/usr/bin/env bash
# Supply-chain gates (SECURITY.md, checklist G1/G2):
#  1. cargo deny: licenses, bans and sources of the whole workspace (deny.toml);
#  2. the Cargo.lock version floors (tests/it/supply_chain.rs).
# Advisories need the RustSec database from the network, which this builder
# does not have: run `cargo audit` (or LECTERN_ADVISORIES=1 for
# `cargo deny check advisories`) where the network allows it.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo-deny >/dev/null 2>&1; then
  # Compiles from crates.io: 14 min wall (3 min 49 s CPU) on the shared
  # 2-core builder, measured once.
  echo "cargo-deny is missing: installing it (cargo install cargo-deny --locked)"
  cargo install cargo-deny --locked
fi

echo "== cargo deny --workspace check licenses bans sources"
# Duplicate-version warnings are expected (see deny.toml); the graphs behind
# them are long, so they are hidden.
cargo deny --workspace check --hide-inclusion-graph licenses bans sources

echo "== Cargo.lock version floors"
cargo test --locked --test it supply_chain -- --nocapture

if [ "${LECTERN_ADVISORIES:-0}" = 1 ]; then
  echo "== cargo deny check advisories (needs the network)"
  cargo deny --workspace check advisories
else
  echo "(advisories not checked offline: run \`cargo audit\` where the network allows it)"
fi
