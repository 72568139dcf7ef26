#!/usr/bin/env bash
# Idempotent setup: system packages, then .venv with the project (editable) and its dev tools.
# On a machine already set up it only checks, in a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(ffmpeg espeak-ng sox texlive-latex-base texlive-latex-extra texlive-lang-chinese
  texlive-xetex dvisvgm fonts-noto-cjk libpango1.0-dev pkg-config
  libssl3 libasound2 ca-certificates)  # the Azure Speech SDK's native library loads OpenSSL 3 and ALSA
APT_PACKAGES+=(chromium)  # the operator-view test opens the Prefect UI in headless Chromium
PYTHON="${PYTHON:-python3}"

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# Building pycairo and manimpango needs a compiler and Python headers; venv needs ensurepip.
command -v gcc >/dev/null || missing+=(build-essential)
command -v "$PYTHON" >/dev/null || missing+=(python3)
if command -v "$PYTHON" >/dev/null; then
  "$PYTHON" -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
    || missing+=(python3-dev)
  "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
fi

if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

stamp=".venv/.setup-stamp"
want="$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python dependencies (pinned by constraints.txt)"
  .venv/bin/python -m pip install -q --disable-pip-version-check -U pip setuptools wheel
  .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[dev]"
  echo "$want" > "$stamp"
fi
echo "setup: ready"
