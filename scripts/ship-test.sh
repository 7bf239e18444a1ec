#!/usr/bin/env bash
# Tests what Lectern ships (issue 16), from the built files, as a site
# maintainer would use them:
#   - builds the .deb and the portable archive (scripts/package.sh), unless
#     SHIP_SKIP_BUILD=1 and both are already in target/;
#   - installs the .deb with dpkg -i: `lectern --version`, `man -w lectern`,
#     the bash completion, and `lectern check` on a copy of the sample site,
#     all from the installed files;
#   - unpacks the portable archive (checksum verified) and runs its binary;
#     no glibc symbol newer than 2.17;
#   - the workflow's install step, run for real against the archive served on
#     127.0.0.1 (and refusing an archive whose checksum does not match);
#   - actionlint on the workflow, as shipped and as `lectern ci init` writes it;
#   - `lectern ci init` writes once and refuses the second time;
#   - the pre-commit hook, with pre-commit's try-repo on a staged session file.
# Needs root for dpkg (sudo otherwise). Exits non-zero on the first failure.
# For work on the archive or the workflow alone, SHIP_CLI_ONLY=1 builds and
# tests only the archive (package.sh --cli-only) and uses its binary for the
# ci init steps; SHIP_DEBUG=1 packages the debug desktop binary (package.sh
# --debug: it reuses the e2e build, minutes instead of a release build). CI
# runs everything, release.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
say() { printf 'ship-test: %s\n' "$*"; }
fail() { printf 'ship-test: FAILED: %s\n' "$*" >&2; exit 1; }
passed=0
ok() { passed=$((passed + 1)); say "ok: $*"; }

work="$(mktemp -d)"
server_pid=""
installed=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  # Remove the package again, unless it was installed before this test.
  if [ -n "$installed" ]; then $SUDO dpkg -r "$installed" > /dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
name="lectern-$version-x86_64-linux"
archive="target/dist/$name.tar.gz"
profile=release
package_args=()
if [ -n "${SHIP_DEBUG:-}" ]; then profile=debug; package_args+=(--debug); fi
deb="target/$profile/bundle/deb/Lectern_${version}_amd64.deb"

cli_only="${SHIP_CLI_ONLY:-}"
if [ -n "${SHIP_SKIP_BUILD:-}" ] && [ -f "$archive" ] && { [ -n "$cli_only" ] || [ -f "$deb" ]; }; then
  say "using the built files (SHIP_SKIP_BUILD)"
else
  start=$(date +%s)
  bash scripts/package.sh ${cli_only:+--cli-only} ${package_args[@]+"${package_args[@]}"}
  say "scripts/package.sh took $(( $(date +%s) - start )) s"
fi
[ -f "$archive" ] || fail "$archive was not built"
[ -f "$archive.sha256" ] || fail "$archive.sha256 was not written"
say "$(du -h "$archive" | cut -f1) archive"

# Exit 0 (no errors) or 1 (problems found) is a run; 2 means it could not run.
check_runs() {
  local code=0
  "$@" > "$work/check.out" 2>&1 || code=$?
  if [ "$code" -ge 2 ]; then cat "$work/check.out"; fail "$* exited $code"; fi
  tail -n 1 "$work/check.out"
}

cp -r assets/sample-site "$work/site"
lectern=""
if [ -z "$cli_only" ]; then
# --- the .deb ----------------------------------------------------------------
[ -f "$deb" ] || fail "$deb was not built"
say "$(du -h "$deb" | cut -f1) .deb, $(dpkg-deb -f "$deb" Installed-Size) KiB installed"
package="$(dpkg-deb -f "$deb" Package)"
# The listing is read once into a variable: with pipefail, `dpkg-deb -c | grep -q`
# fails at random when grep stops reading early and dpkg-deb dies of SIGPIPE.
listing="$(dpkg-deb -c "$deb")"
paths="$(awk '{sub(/^\.?\//, "", $NF); print $NF}' <<<"$listing")"
for f in /usr/bin/lectern /usr/bin/lectern-desktop /usr/share/man/man1/lectern.1.gz \
  /usr/share/man/man1/lectern-check.1.gz /usr/share/man/man1/lectern-ci-init.1.gz \
  /usr/share/bash-completion/completions/lectern /usr/share/zsh/vendor-completions/_lectern \
  /usr/share/fish/vendor_completions.d/lectern.fish; do
  # Entries are listed as usr/bin/x or ./usr/bin/x depending on the tool that built the tar.
  grep -qxF "${f#/}" <<<"$paths" || fail "$deb has no $f"
done
grep -E ' (\./)?usr/bin/lectern$' <<<"$listing" | grep -q '^-rwxr-xr-x' || fail "/usr/bin/lectern is not executable in the package"
ok "the .deb holds lectern, its man pages and completions"

was_installed="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
$SUDO dpkg -i "$deb" > "$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -i $deb"; }
case "$was_installed" in *"ok installed"*) ;; *) installed="$package" ;; esac
[ "$(/usr/bin/lectern --version)" = "lectern $version" ] || fail "/usr/bin/lectern --version: $(/usr/bin/lectern --version)"
ok "dpkg -i: $(/usr/bin/lectern --version)"
[ "$(man -w lectern)" = /usr/share/man/man1/lectern.1.gz ] || fail "man -w lectern: $(man -w lectern 2>&1)"
[ "$(man -w lectern-ci-init)" = /usr/share/man/man1/lectern-ci-init.1.gz ] || fail "man -w lectern-ci-init"
man_check="$(MANPAGER=cat MANWIDTH=80 man lectern-check 2>/dev/null)"
grep -q -e '--format' <<<"$man_check" || fail "man lectern-check does not document --format"
ok "man -w lectern: $(man -w lectern)"
# shellcheck disable=SC2016
bash --norc -c 'source /usr/share/bash-completion/completions/lectern && complete -p lectern' | grep -q 'lectern' ||
  fail "the bash completion does not register for lectern"
ok "bash completion registers"
say "installed lectern check on the sample site: $(check_runs /usr/bin/lectern check "$work/site")"
ok "lectern check from the .deb"
lectern=/usr/bin/lectern
fi

# --- the portable archive ----------------------------------------------------
mkdir "$work/unpack"
(cd "$(dirname "$archive")" && sha256sum --check --strict --quiet "$name.tar.gz.sha256") || fail "checksum"
tar -xzf "$archive" -C "$work/unpack"
bin="$work/unpack/$name/lectern"
for f in lectern README.md LICENSE completions/lectern.bash completions/_lectern completions/lectern.fish man/man1/lectern.1 man/man1/lectern-check.1; do
  [ -f "$work/unpack/$name/$f" ] || fail "the archive has no $name/$f"
done
[ "$("$bin" --version)" = "lectern $version" ] || fail "archive binary --version"
say "archive lectern check on the sample site: $(check_runs "$bin" check "$work/site")"
ok "the archive's binary runs"
newest="$(objdump -T "$bin" | { grep -o 'GLIBC_[0-9][0-9.]*' || true; } | sort -u -V | tail -n 1)"
[ "$(printf '%s\n%s\n' "${newest#GLIBC_}" 2.17 | sort -V | tail -n 1)" = 2.17 ] || fail "the archive's binary needs $newest"
ok "newest glibc symbol: $newest (<= 2.17)"
[ -n "$lectern" ] || lectern="$bin"

# --- the workflow's install step, against a local release server --------------
step() { # the run: script of the workflow step named $2 in $1
  python3 -c 'import sys, yaml
w = yaml.safe_load(open(sys.argv[1]))
print(next(s["run"] for s in w["jobs"]["check"]["steps"] if s.get("name") == sys.argv[2]))' "$1" "$2"
}
mkdir -p "$work/releases/v$version"
cp "$archive" "$archive.sha256" "$work/releases/v$version/"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$work/releases" "$port" > "$work/http.log" 2>&1 &
server_pid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/" > /dev/null && break; sleep 0.1; done
install_step="$(step assets/ci/lectern.yml 'Install lectern')"
run_install() { # $1: LECTERN_SHA256; runs in a fresh runner temp folder
  rm -rf "$work/runner" && mkdir -p "$work/runner"
  : > "$work/runner/path"
  env LECTERN_VERSION="$version" LECTERN_DOWNLOAD="http://127.0.0.1:$port/" LECTERN_SHA256="$1" \
    RUNNER_TEMP="$work/runner" GITHUB_PATH="$work/runner/path" \
    bash --noprofile --norc -e -o pipefail -c "$install_step"
}
run_install "$(cut -d ' ' -f 1 "$archive.sha256")" > "$work/install.log" 2>&1 || { cat "$work/install.log"; fail "the workflow's install step"; }
"$(cat "$work/runner/path")/lectern" --version | grep -qx "lectern $version" || fail "the install step put no working lectern on GITHUB_PATH"
ok "the workflow's install step, pinned checksum"
run_install "" > "$work/install.log" 2>&1 || { cat "$work/install.log"; fail "the install step with the release's .sha256"; }
grep -q '::notice' "$work/install.log" || fail "an unpinned checksum gives no notice"
ok "the workflow's install step, the release's .sha256"
if run_install "$(printf '0%.0s' $(seq 64))" > "$work/install.log" 2>&1; then fail "the install step accepted a wrong checksum"; fi
grep -q 'FAILED' "$work/install.log" || { cat "$work/install.log"; fail "no checksum failure reported"; }
[ ! -e "$work/runner/lectern/$name/lectern" ] || fail "an archive with a wrong checksum was unpacked"
ok "the workflow's install step refuses a wrong checksum"

# --- lectern ci init (the installed binary), and actionlint ---------------
cp -r assets/sample-site "$work/ci-site"
"$lectern" ci init "$work/ci-site" > "$work/init.log" 2>&1 || { cat "$work/init.log"; fail "lectern ci init"; }
cmp -s assets/ci/lectern.yml "$work/ci-site/.github/workflows/lectern.yml" || fail "ci init did not write the workflow"
echo "# ours" >> "$work/ci-site/.github/workflows/lectern.yml"
code=0
"$lectern" ci init "$work/ci-site" > "$work/init.log" 2>&1 || code=$?
[ "$code" -eq 2 ] || fail "a second ci init exited $code, expected 2"
grep -q -e '--force' "$work/init.log" || fail "the refusal does not mention --force"
tail -n 1 "$work/ci-site/.github/workflows/lectern.yml" | grep -qx '# ours' || fail "the second ci init changed the workflow"
ok "lectern ci init writes once, then refuses: $(cat "$work/init.log")"
"$lectern" ci init "$work/ci-site" --force --sha256 "$(cut -d ' ' -f 1 "$archive.sha256")" \
  --download https://releases.example.org/lectern > /dev/null
command -v actionlint > /dev/null || fail "actionlint is not installed (scripts/setup.sh installs it)"
actionlint assets/ci/lectern.yml
actionlint "$work/ci-site/.github/workflows/lectern.yml"
ok "actionlint: assets/ci/lectern.yml and a workflow written by ci init"

# --- pre-commit -----------------------------------------------------------------
if command -v pre-commit > /dev/null && git rev-parse --git-dir > /dev/null 2>&1; then
  mkdir "$work/pc" && cp -r assets/sample-site/. "$work/pc/"
  git -C "$work/pc" init -q -b main
  git -C "$work/pc" add -A
  code=0
  # try-repo takes the hooks from this repository's work tree; lectern is the one tested above.
  (cd "$work/pc" && PATH="$(dirname "$lectern"):$PATH" pre-commit try-repo "$root" lectern-check --files content/sessions/*.md) > "$work/pc.log" 2>&1 || code=$?
  grep -q 'lectern check' "$work/pc.log" || { cat "$work/pc.log"; fail "pre-commit did not run lectern-check"; }
  # The sample site has deliberate errors: the hook must fail, not crash.
  [ "$code" -eq 1 ] || { cat "$work/pc.log"; fail "pre-commit try-repo exited $code, expected 1 (errors found)"; }
  grep -q 'Failed' "$work/pc.log" || { cat "$work/pc.log"; fail "pre-commit did not report the hook as failed"; }
  ok "pre-commit hook lectern-check runs and blocks on errors"
else
  say "pre-commit not installed or not a git checkout: hook test skipped"
fi

say "$passed checks passed"
