#!/usr/bin/env bash
# Fuzz Lectern's core (SECURITY.md, checklist F1/F3).
#
# With nightly Rust and cargo-fuzz: runs each cargo-fuzz target in fuzz/ for
# LECTERN_FUZZ_SECONDS (default 20) with libFuzzer's -timeout and
# -rss_limit_mb from the checklist, seeding the corpora from the hostile and
# XSS fixtures. Without them (the usual case on a stable-only builder, and
# what CI runs): the proptest equivalents, `cargo test --test it fuzz_equiv`,
# PROPTEST_CASES cases per property (default 2000). Both use the same oracles
# (tests/it/fuzz_oracles.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${LECTERN_FUZZ_SECONDS:-20}"
targets=(roundtrip set_field formats render schedule_import image_decode)

have_fuzz() {
  [ "${LECTERN_FUZZ_STABLE:-0}" != 1 ] \
    && cargo +nightly --version >/dev/null 2>&1 \
    && cargo fuzz --version >/dev/null 2>&1
}

if have_fuzz; then
  echo "== cargo-fuzz: ${targets[*]}, ${secs}s each"
  for t in roundtrip set_field; do
    mkdir -p "fuzz/corpus/$t"
    cp tests/fixtures/hostile/*.md tests/fixtures/mini/content/sessions/*.md "fuzz/corpus/$t/"
  done
  # TOML and JSON front matter (issue 12): the devopsdays-shaped fixtures.
  mkdir -p fuzz/corpus/formats
  find tests/fixtures/devops/content -name '*.md' -exec cp {} fuzz/corpus/formats/ \;
  cp tests/fixtures/mini/content/sessions/*.md fuzz/corpus/formats/
  mkdir -p fuzz/corpus/render
  # One seed per XSS vector line (comments and block markers skipped).
  n=0
  while IFS= read -r line; do
    case "$line" in ''|'%%'*|'<<<'|'>>>') continue ;; esac
    n=$((n + 1))
    printf '%s' "$line" > "fuzz/corpus/render/xss-$n"
  done < tests/fixtures/xss/vectors.txt
  mkdir -p fuzz/corpus/schedule_import
  printf '2022-07-29T14:00:00' > fuzz/corpus/schedule_import/date
  printf 'Ada Park, Bob Li、Chen；Dee' > fuzz/corpus/schedule_import/presenters
  printf 'Session Id,Scheduled At,Room\n101,2030-05-01 10:00,Main Hall\n102,2030-05-02 14:30,Side Room\n' > fuzz/corpus/schedule_import/schedule.csv
  printf '[{"groupName":"All","sessions":[{"id":"101","title":"Fast Indexes","description":"x","startsAt":"2030-05-01T10:00:00","room":"Main Hall","speakers":[{"id":"s1","name":"Ada Park"}],"categories":[]}]}]' > fuzz/corpus/schedule_import/sessionize.json
  mkdir -p fuzz/corpus/image_decode
  cp tests/e2e/fixtures/site/static/images/speaker/*.png src-tauri/icons/32x32.png fuzz/corpus/image_decode/ 2>/dev/null || true
  # AddressSanitizer keeps up to 256 MB of freed memory in quarantine, which
  # alone pushed the round-trip target past the 512 MB RSS limit (live heap
  # 25 MB, quarantine 239 MB). A smaller quarantine keeps the limit about
  # Lectern's own memory.
  export ASAN_OPTIONS="${ASAN_OPTIONS:-quarantine_size_mb=64}"
  failed=()
  for t in "${targets[@]}"; do
    echo "-- $t"
    # Findings land in fuzz/artifacts/<target>/; replay one with
    # `cargo +nightly fuzz run <target> <file>`.
    if ! (cd fuzz && cargo +nightly fuzz run "$t" -- \
      -max_total_time="$secs" -timeout="${LECTERN_FUZZ_TIMEOUT:-1}" -rss_limit_mb=512 -print_final_stats=1); then
      failed+=("$t")
    fi
  done
  # The targets' scratch folders (named lectern-fuzz-*, one per process).
  rm -rf /dev/shm/lectern-fuzz-* "${TMPDIR:-/tmp}"/lectern-fuzz-*
  if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]} (see fuzz/artifacts/)"
    exit 1
  fi
else
  echo "== nightly Rust or cargo-fuzz not available: proptest equivalents on stable"
  PROPTEST_CASES="${PROPTEST_CASES:-2000}" cargo test --test it fuzz_equiv -- --nocapture
fi
