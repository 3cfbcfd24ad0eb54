#!/usr/bin/env bash
# Install the system packages the test suite needs (Debian 12, as root). Idempotent: when every
# package is already installed it changes nothing and takes well under a second.
#   chromium            the browser tests drive Debian's Chromium (no `playwright install`)
#   fonts-liberation2   "Times New Roman" metrics with every Vietnamese glyph (1.x lacks them)
#   postgresql          TEST_DB=postgres starts a throwaway cluster with these binaries
#   poppler-utils, libharfbuzz-subset0, gettext, fontconfig   documents, fonts, translations
set -euo pipefail

PKGS=(chromium fonts-liberation2 poppler-utils postgresql libharfbuzz-subset0 gettext fontconfig)

if [ "$(id -u)" -ne 0 ]; then
  echo "provision: not root, skipping apt (the suite needs: ${PKGS[*]})"
  exit 0
fi

missing=()
for p in "${PKGS[@]}"; do
  # `dpkg -s` is not enough: a removed package whose config files remain still answers 0.
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "provision: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "provision: ok ($(chromium --version 2>/dev/null | head -1);" \
  "PostgreSQL $(ls /usr/lib/postgresql | tr '\n' ' ' | sed 's/ $//'))"
