#!/usr/bin/env bash
# Builds what Lectern ships on Linux:
#
# 1. The portable `lectern` command line, built with cargo-zigbuild against
#    glibc 2.17 so it runs on distributions older than the build machine (the
#    script fails if the binary needs any newer glibc symbol, checked with
#    objdump -T), its man pages (lectern.1 and one per subcommand) and
#    bash/zsh/fish completions, generated from its clap definitions, packed as
#      target/dist/lectern-<version>-x86_64-linux.tar.gz  (+ .sha256)
# 2. The Debian package of the desktop app, with that same `lectern` in
#    /usr/bin beside lectern-desktop, the man pages in /usr/share/man/man1
#    and the completions where bash-completion, zsh and fish look for them
#    (bundle.linux.deb.files in src-tauri/tauri.conf.json):
#      target/release/bundle/deb/Lectern_<version>_amd64.deb  (release, slow)
#
#   scripts/package.sh             # both, release .deb
#   scripts/package.sh --debug     # debug desktop binary, to check the bundle quickly
#   scripts/package.sh --cli-only  # only the portable archive (a few minutes)
#
# Installs what it needs on first use: tauri-cli (a Rust crate), and
# cargo-zigbuild and ziglang (both from PyPI). The Tauri CLI runs the UI build
# itself (build.beforeBuildCommand in src-tauri/tauri.conf.json).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

cli_only=""
tauri_args=()
for a in "$@"; do
  case "$a" in
    --cli-only) cli_only=1 ;;
    *) tauri_args+=("$a") ;;
  esac
done

# --- 1. the portable command line -------------------------------------------
if ! command -v cargo-zigbuild >/dev/null 2>&1 || ! python3 -m ziglang version >/dev/null 2>&1; then
  echo "package: installing cargo-zigbuild and ziglang (PyPI)"
  python3 -m pip install --quiet ziglang cargo-zigbuild
fi
rustup target list --installed 2>/dev/null | grep -qx x86_64-unknown-linux-gnu ||
  rustup target add x86_64-unknown-linux-gnu

glibc_max=2.17
echo "package: building lectern (release, glibc $glibc_max)"
cargo zigbuild --locked --release --bin lectern --target "x86_64-unknown-linux-gnu.$glibc_max"
built="$root/target/x86_64-unknown-linux-gnu/release/lectern"

dist="$root/target/dist"
version="$("$built" --version | awk '{print $2}')"
name="lectern-$version-x86_64-linux"
stage="$dist/$name"
debfiles="$dist/deb"
rm -rf "$stage" "$debfiles"
mkdir -p "$stage/completions" "$stage/man/man1" "$debfiles/completions" "$debfiles/man1"

# The release profile keeps line tables for profiling; strip that debug info
# (most of the binary). The symbol table stays, so backtraces name functions.
cp "$built" "$stage/lectern"
strip --strip-debug "$stage/lectern"

# No glibc symbol newer than $glibc_max, or the archive is not portable.
glibc_versions() { objdump -T "$1" | { grep -o 'GLIBC_[0-9][0-9.]*' || true; } | sort -u -V; }
too_new=$(glibc_versions "$stage/lectern" |
  while read -r v; do
    n=${v#GLIBC_}
    [ "$(printf '%s\n%s\n' "$n" "$glibc_max" | sort -V | tail -n 1)" = "$glibc_max" ] || echo "$v"
  done)
if [ -n "$too_new" ]; then
  echo "package: $stage/lectern needs glibc symbols newer than $glibc_max: $(echo "$too_new" | tr "\n" " ")"
  objdump -T "$stage/lectern" | grep -F -e "$(echo "$too_new" | head -n 1)" | head -n 20
  exit 1
fi
echo "package: glibc check passed (newest symbol version: $(glibc_versions "$stage/lectern" | tail -n 1))"

"$stage/lectern" man-pages --out "$stage/man/man1"
for shell in bash zsh fish; do
  "$stage/lectern" completions "$shell" > "$stage/completions/lectern.$shell"
done
mv "$stage/completions/lectern.zsh" "$stage/completions/_lectern"
cp README.md LICENSE "$stage/"

# A reproducible archive: sorted names, fixed owner and times (the last commit's).
epoch="$(git log -1 --format=%ct 2>/dev/null || date +%s)"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
  -C "$dist" -cf - "$name" | gzip -9n > "$dist/$name.tar.gz"
(cd "$dist" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "package: $dist/$name.tar.gz ($(du -h "$dist/$name.tar.gz" | cut -f1)), sha256 $(cut -d ' ' -f 1 "$dist/$name.tar.gz.sha256")"

# What the .deb takes (fixed paths, named in src-tauri/tauri.conf.json).
cp "$stage/lectern" "$debfiles/lectern"
for page in "$stage"/man/man1/*.1; do
  gzip -9n < "$page" > "$debfiles/man1/$(basename "$page").gz"
done
cp "$stage/completions/lectern.bash" "$debfiles/completions/lectern"
cp "$stage/completions/_lectern" "$stage/completions/lectern.fish" "$debfiles/completions/"

[ -n "$cli_only" ] && exit 0

# --- 2. the desktop app's .deb ----------------------------------------------
if ! cargo tauri --version >/dev/null 2>&1; then
  echo "package: installing tauri-cli"
  cargo install tauri-cli --locked --version '^2'
fi
if [ ! -d ui/node_modules ]; then
  (cd ui && npm ci --no-audit --no-fund)
fi
cd src-tauri
cargo tauri build --no-bundle ${tauri_args[@]+"${tauri_args[@]}"}
# As for the CLI: strip the debug info, keep the symbol table.
profile=release
for a in ${tauri_args[@]+"${tauri_args[@]}"}; do [ "$a" = "--debug" ] && profile=debug; done
strip --strip-debug "$root/target/$profile/lectern-desktop"
cargo tauri bundle --bundles deb ${tauri_args[@]+"${tauri_args[@]}"}
deb=$(ls -t "$root/target/$profile/bundle/deb/"*.deb | head -n 1)
echo "package: $deb"
echo "package: $(du -h "$deb" | cut -f1) (.deb), $(dpkg-deb -f "$deb" Installed-Size) KiB installed"
