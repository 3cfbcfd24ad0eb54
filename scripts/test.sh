#!/usr/bin/env bash
# The whole suite, as CI runs it (README's second command; .ci/run calls this script):
#   1. system packages when run as root (scripts/provision-system.sh; idempotent)
#   2. .venv = requirements-test.txt + the project, editable (scripts/venv.sh)
#   3. gates: ruff check, ruff format --check, mypy src/, lint-imports
#   4. pytest on SQLite, then pytest on a throwaway PostgreSQL (TEST_DB=postgres)
# Every stage after the set-up runs even when an earlier one failed, so one run shows every
# problem; the exit code is non-zero when any stage failed.
#
#   bash scripts/test.sh                 everything
#   bash scripts/test.sh -k login        pytest arguments go to both pytest passes
#   TEST_DBS=sqlite bash scripts/test.sh     one database only (sqlite, postgres or both)
#   PYTEST_WORKERS=0 bash scripts/test.sh    no pytest-xdist (default: auto, one per core)
set -uo pipefail
cd "$(dirname "$0")/.."

export UV_PYTHON_DOWNLOADS=never PIP_DISABLE_PIP_VERSION_CHECK=1
# Some machines set PYTHONDONTWRITEBYTECODE=1: then every pytest process and xdist worker
# compiles Django and the rest from source again. Let the first one leave .pyc files behind.
unset PYTHONDONTWRITEBYTECODE
TEST_DBS=${TEST_DBS:-sqlite postgres}
PYTEST_WORKERS=${PYTEST_WORKERS:-auto}
t0=$SECONDS
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

results=()
failed=0
summaries=()
last_summary=""

# run NAME COMMAND...: run one stage, time it, remember how it ended.
run() {
  local name=$1 start=$SECONDS rc
  shift
  echo
  echo "=== $name: $*"
  "$@"
  rc=$?
  if [ "$rc" -eq 0 ]; then
    results+=("$(printf '%-18s ok     %4ss' "$name" $((SECONDS - start)))")
  else
    results+=("$(printf '%-18s FAILED %4ss  (exit %s)' "$name" $((SECONDS - start)) "$rc")")
    failed=1
  fi
  return "$rc"
}

# pytest_pass DB: one pytest pass; exit 5 (no test collected) counts as success.
pytest_pass() {
  local db=$1 rc workers=()
  shift
  [ "$PYTEST_WORKERS" != "0" ] && workers=(-n "$PYTEST_WORKERS")
  TEST_DB=$db .venv/bin/pytest "${workers[@]}" "$@" 2>&1 | tee "$logs/pytest-$db.log"
  rc=${PIPESTATUS[0]}
  last_summary=$(grep -E '^=+ .* in [0-9.]+s' "$logs/pytest-$db.log" | tail -1)
  summaries+=("$(printf '%-8s %s' "$db" "$(echo "${last_summary:-no summary line}" | tr -d '=' |
    sed 's/^ *//; s/ *$//')")")
  if [ "$rc" -eq 5 ]; then
    echo "test.sh: pytest collected no test on $db (exit 5), counted as success"
    rc=0
  fi
  return "$rc"
}

if [ "$(id -u)" -eq 0 ]; then
  run provision bash scripts/provision-system.sh || exit 1
fi
run venv bash scripts/venv.sh requirements-test.txt || {
  echo "test.sh: could not set up .venv; nothing else can run"
  exit 1
}

run "ruff check" .venv/bin/ruff check --output-format concise .
run "ruff format" .venv/bin/ruff format --check --output-format concise .
run mypy .venv/bin/mypy src/
run lint-imports .venv/bin/lint-imports
for db in $TEST_DBS; do
  run "pytest $db" pytest_pass "$db" "$@"
done

echo
echo "=== test.sh summary ($((SECONDS - t0))s in all)"
printf '  %s\n' "${results[@]}"
for line in "${summaries[@]}"; do
  echo "  pytest $line"
done
# The last line is the last pytest pass's own summary line.
[ -n "$last_summary" ] && echo "$last_summary"
exit "$failed"
