#!/usr/bin/env bash
# Makes sure a Docker daemon responds. When none does and this is Debian with
# root, installs Debian's docker.io and starts dockerd in the background.
# Everything in this project works against Engine API 1.41 (Docker 20.10)
# and newer, which is what Debian bookworm's docker.io provides.
#
# Environment:
#   DOCKERD_LOG      dockerd's log file (default /var/log/imagelab-dockerd.log)
#   DOCKERD_WAIT     seconds to wait for the daemon to answer (default 60)
set -euo pipefail

log=${DOCKERD_LOG:-/var/log/imagelab-dockerd.log}
wait_seconds=${DOCKERD_WAIT:-60}

say() { printf 'ensure-docker: %s\n' "$*" >&2; }

answers() { docker version --format '{{.Server.APIVersion}}' >/dev/null 2>&1; }

if command -v docker >/dev/null 2>&1 && answers; then
  say "daemon answers (API $(docker version --format '{{.Server.APIVersion}}'))"
  exit 0
fi

if [ -n "${DOCKER_HOST:-}" ]; then
  say "DOCKER_HOST=$DOCKER_HOST is set but no daemon answers there."
  say "Start that daemon, or unset DOCKER_HOST to let this script start a local one."
  exit 1
fi

if [ ! -r /etc/debian_version ] || [ "$(id -u)" != 0 ]; then
  say "no Docker daemon answers, and this script can only install one on Debian as root."
  say "Install Docker Engine 20.10 or newer (https://docs.docker.com/engine/install/),"
  say "start it, and check that 'docker version' shows a Server section."
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  say "installing Debian's docker.io (dockerd was not found)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends docker.io iptables ca-certificates >/dev/null
fi

# The docker CLI may come from another package than the daemon; Debian's
# client is enough when none is on PATH.
command -v docker >/dev/null 2>&1 || { say "the docker client is missing after the install"; exit 1; }

if pgrep -x dockerd >/dev/null 2>&1; then
  say "dockerd is already running but does not answer yet; waiting for it"
else
  say "starting dockerd in the background, log in $log"
  mkdir -p "$(dirname "$log")"
  # setsid keeps the daemon out of the caller's process group, so a job
  # control stop of the caller does not stop the daemon mid-test.
  setsid dockerd >>"$log" 2>&1 </dev/null &
fi

for ((i = 0; i < wait_seconds * 2; i++)); do
  if answers; then
    say "dockerd answers (API $(docker version --format '{{.Server.APIVersion}}')) after $((i / 2)) s"
    exit 0
  fi
  sleep 0.5
done

say "dockerd did not respond within ${wait_seconds} s. The last lines of $log:"
tail -n 20 "$log" >&2 || true
say "Fix the cause shown above, or raise DOCKERD_WAIT, and run this script again."
exit 1
