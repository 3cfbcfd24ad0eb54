#!/usr/bin/env bash
# Make .venv hold exactly what a requirements file pins, plus the project itself (editable).
#   bash scripts/venv.sh requirements-test.txt          exact: removes what the file does not pin
#   bash scripts/venv.sh requirements.txt --additive    adds what is missing, removes nothing
# Needs only a Python >= 3.12 with pip; it installs uv into that Python when uv is missing.
# Fresh machine: about 6 s; when nothing changed: about 1 s.
set -euo pipefail
cd "$(dirname "$0")/.."

reqs=${1:?usage: scripts/venv.sh REQUIREMENTS_FILE [--additive]}
mode=${2:-}
export UV_PYTHON_DOWNLOADS=never PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore

# Django 6 needs Python >= 3.12; a Debian 12 machine's own python3 is 3.11. From the repo root,
# pyenv's shims follow .python-version; without them, look into pyenv's folder directly.
find_python() {
  local pyenv_root=${PYENV_ROOT:-${HOME:-/root}/.pyenv} candidate
  for candidate in python python3 python3.12 python3.13 \
    "$pyenv_root"/versions/3.12*/bin/python3 "$pyenv_root"/versions/3.13*/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      "$candidate" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
  echo "venv: no Python >= 3.12 found (pyenv's 3.12 is expected; see .python-version)" >&2
  return 1
}

py=$(find_python)
if ! "$py" -m uv --version >/dev/null 2>&1; then
  "$py" -m pip install -q uv
fi
uv() { "$py" -m uv "$@"; }

uv venv -q --allow-existing --python "$py" .venv
# The project goes in the same call, so an unchanged editable install is not rebuilt (2-3 s).
if [ "$mode" = "--additive" ]; then
  uv pip install -q --python .venv/bin/python -r "$reqs" -e .
else
  uv pip sync -q --python .venv/bin/python "$reqs" <(echo "-e .")
fi
