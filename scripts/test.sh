#!/usr/bin/env bash
# The one command that sets up a fresh Debian 12 machine and runs every test:
# core and CLI, the desktop shell's own tests, the real-data corpus (when ../shared/corpus exists), supply
# chain gates, the desktop UI's type check and unit tests, the end-to-end
# tests of the real app under Xvfb, and what ships (the .deb, the portable
# CLI, the pull-request workflow). Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
step() { printf '\n== %s\n' "$*"; }

step "setup (system packages, tools, npm packages)"
bash scripts/setup.sh

step "the core stays free of the desktop stack"
if cargo tree --locked -p lectern -e normal,build | grep -E -i '\b(tauri|rfd|wry|webkit2gtk)\b'; then
  echo "the core crate must not depend on tauri, rfd, wry or webkit"; exit 1
fi

step "no module cycles in the core (top-level modules and files)"
python3 scripts/module-cycles.py src crate 1 --check | tail -n 2
python3 scripts/module-cycles.py src crate 2 --check | tail -n 2

step "no module cycles in the desktop shell (top-level modules)"
python3 scripts/module-cycles.py src-tauri/src crate 1 --check | tail -n 2

step "core and CLI: cargo test"
cargo test --locked

step "desktop shell: cargo test -p lectern-desktop (commands, IPC fuzz on the mock runtime, configuration)"
cargo test --locked -p lectern-desktop

corpus="${LECTERN_CORPUS:-$root/../shared/corpus}"
if [ -d "$corpus" ]; then
  step "real corpus: lectern check (exit 0 or 1 is fine; 2 means it could not run)"
  for year in "$corpus"/*/; do
    [ -f "$year/config.toml" ] || continue
    set +e
    ./target/debug/lectern check "$year" --format json > /tmp/lectern-corpus.json
    code=$?
    set -e
    if [ "$code" -ge 2 ]; then echo "lectern check failed on $year (exit $code)"; exit 1; fi
    python3 -c 'import json,sys,collections; d=json.load(open("/tmp/lectern-corpus.json")); c=collections.Counter(x["severity"] for x in d); print(sys.argv[1], dict(c))' "$(basename "$year")"
  done
  echo "(byte-identical round-trip of every corpus file ran in cargo test: corpus::*)"
else
  step "real corpus not present at $corpus: skipped"
fi

# ship-test.sh: the .deb (installed with dpkg -i) and the portable archive
# built by scripts/package.sh, the pull-request workflow and the pre-commit hook.
for extra in scripts/supply-chain.sh scripts/ui-test.sh scripts/fuzz.sh scripts/e2e.sh scripts/ship-test.sh; do
  if [ -f "$extra" ]; then
    step "$extra"
    bash "$extra"
  fi
done
step "all tests passed"
