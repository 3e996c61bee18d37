#!/usr/bin/env bash
# Set up Crosscheck on a fresh Debian/Ubuntu machine: the system libraries Qt
# needs, a virtual environment in .venv, and the package with its dependencies.
#   scripts/setup.sh          the application
#   scripts/setup.sh --test   the application plus the test tools (and PostgreSQL for its tests)
set -euo pipefail
cd "$(dirname "$0")/.."

extras="postgres"
apt_packages=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0
              libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
              fonts-dejavu-core fonts-noto-color-emoji fonts-droid-fallback)  # emoji; CJK fallback
if [[ "${1:-}" == "--test" ]]; then
  extras="test,dev"
  # zsh: the generated zsh completion; desktop-file-utils, appstream: the desktop entry's and metainfo's validators
  apt_packages+=(postgresql zsh desktop-file-utils appstream)
fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
if (( ${#missing[@]} )); then
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "Installing system libraries: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
[[ -x .venv/bin/python ]] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[$extras]"
