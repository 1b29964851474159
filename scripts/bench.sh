#!/usr/bin/env bash
# Measures the project's images, their services and the imagelab checker,
# and rewrites docs/BENCHMARKS.md and docs/bench-*.svg (make bench).
#
#   scripts/bench.sh                 full run, about 5 to 10 minutes
#   BENCH_QUICK=1 scripts/bench.sh   short runs for development
#
# Steps: make sure a Docker daemon runs (scripts/ensure-docker.sh) and wrk is
# installed (as root on Debian this script installs Debian's wrk package,
# as ensure-docker.sh does with docker.io), build the four images with
# scripts/build-image.sh, then run `go run ./bench`. bench/main.go lists
# the BENCH_* variables that set the run's parameters. The four images are
# kept. The grading benchmark builds its own student images, and those and
# every container the bench starts are removed, also on Ctrl-C.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
started=$(date +%s)

say() { printf 'bench: %s\n' "$*" >&2; }

"$here/ensure-docker.sh"

if ! command -v wrk >/dev/null 2>&1; then
  if [ -r /etc/debian_version ] && [ "$(id -u)" = 0 ]; then
    say "installing Debian's wrk package (wrk was not found)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq wrk >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null; }
  fi
  if ! command -v wrk >/dev/null 2>&1; then
    say "wrk is missing. Install it (Debian and Ubuntu: apt-get install wrk) and run make bench again."
    exit 1
  fi
fi
command -v go >/dev/null 2>&1 || { say "go is missing. Install Go 1.26 and run make bench again."; exit 1; }

logs=$(mktemp -d "${TMPDIR:-/tmp}/imagelab-bench-builds.XXXXXX")
# Containers and student images that a killed run left behind carry the
# bench label, so this also cleans up after an earlier run that was killed
# with SIGKILL.
cleanup() {
  docker ps -aq --filter label=org.imagelab.bench | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker images -q --filter label=org.imagelab.bench | sort -u | xargs -r docker rmi -f >/dev/null 2>&1 || true
  rm -rf "$logs"
}
trap cleanup EXIT

build() {
  local tag=$1 context=$2 log
  log="$logs/$(echo "$tag" | tr '/:' '__').log"
  say "building $tag from $context"
  if ! "$here/build-image.sh" "$tag" "$context" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    say "building $tag failed; the last lines of the build output are above"
    exit 1
  fi
}
build rocket:latest .
build rocket-flask:latest examples/flask
build imagelab-bench/reference:latest bench/reference
build imagelab-bench/failing:latest bench/failing

status=0
go run ./bench || status=$?
say "total elapsed $(($(date +%s) - started)) s, builds included"
exit "$status"
