#!/usr/bin/env bash
# README's first command: set up .venv and run `lifelong demo` (SQLite in ./var, loopback only).
# Additive install: it never removes the test tools from a .venv that scripts/test.sh set up.
#   bash scripts/demo.sh [arguments of `lifelong demo`]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh requirements.txt --additive
exec .venv/bin/lifelong demo "$@"
