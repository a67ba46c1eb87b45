#!/usr/bin/env bash
# `make test` of two or more commits side by side, as a newcomer runs it: each commit in a fresh
# clone with its own virtualenv and its own database, the runs taking turns (a, b, c, a, b, c, ...)
# so that the machine's load falls on all alike. Before each run the clone's caches are removed
# (mypy, pytest, ruff, hypothesis), so that every run is a first run.
#
#   benchmarks/suite.sh [COMMIT ...]     # default: 1064f63 HEAD; SUITE_ROUNDS (default 2) rounds
#
# Environment: SUITE_REPO (the repository holding the commits, default this one), SUITE_DIR
# (where the clones go, default /tmp/suite), PGHOST/PGUSER/PGPORT (the
# PostgreSQL server, default 127.0.0.1/postgres/5432), CELERY_BROKER_URL (passed on if set).
# Prints one line per run: commit, tests passed/failed, wall seconds of `make test`, load average;
# the logs stay in $SUITE_DIR/c<n>-<round>.log (c1 the first commit named).
set -euo pipefail

if [ $# -eq 0 ]; then
  set -- 1064f63 HEAD
fi
rounds=${SUITE_ROUNDS:-2}
repo=${SUITE_REPO:-$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)}
base=${SUITE_DIR:-/tmp/suite}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres} PGPORT=${PGPORT:-5432}
mkdir -p "$base"

prepare() {  # prepare NAME COMMIT: a clone at COMMIT with its virtualenv, and a database
  local dir="$base/$1"
  if [ ! -d "$dir" ]; then
    git clone -q "$repo" "$dir"
  fi
  git -C "$dir" fetch -q "$repo"
  git -C "$dir" checkout -q --detach "$2"
  make -C "$dir" install >"$base/$1-install.log" 2>&1
  createdb "zipingjia_suite_$1" 2>/dev/null || true
}

run() {  # run NAME ROUND
  local dir="$base/$1" log="$base/$1-$2.log" start end status=0
  rm -rf "$dir/.mypy_cache" "$dir/.pytest_cache" "$dir/.ruff_cache" "$dir/.hypothesis"
  start=$(date +%s.%N)
  (
    cd "$dir"
    # -k: a lint finding does not stop the run before the tests (the exit status still says so).
    DATABASE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/zipingjia_suite_$1" make -k test
  ) >"$log" 2>&1 || status=$?
  end=$(date +%s.%N)
  local summary
  summary=$(grep -aE '^=+ .*(passed|failed).* in ' "$log" | tail -1 | tr -d '=' | xargs || true)
  printf '%s %s  exit %s  %s  make test %.1f s  load %s\n' \
    "$1" "$(git -C "$dir" rev-parse --short HEAD)" "$status" "${summary:-?}" \
    "$(echo "$end - $start" | bc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}

names=()
for commit in "$@"; do
  name=c$((${#names[@]} + 1))
  prepare "$name" "$(git -C "$repo" rev-parse --verify "$commit^{commit}")"
  names+=("$name")
done
for round in $(seq "$rounds"); do
  for name in "${names[@]}"; do
    run "$name" "$round"
  done
done
