#!/usr/bin/env bash
# Builds one of the project's images with the classic builder:
#
#   scripts/build-image.sh TAG CONTEXT [DOCKERFILE]
#
# The lab labels come from LAB_LOGIN and LAB_TOKEN (demo values when unset).
# Base images: with BASES=public the Dockerfile's public defaults are used
# (and pulled); with BASES=local the stand-ins from scripts/build-bases.sh;
# with BASES=auto (the default) the public ones when they are already on
# this machine, else the stand-ins, built first when missing. No registry
# is contacted to decide.
set -euo pipefail

tag=${1:?usage: build-image.sh TAG CONTEXT [DOCKERFILE]}
context=${2:?usage: build-image.sh TAG CONTEXT [DOCKERFILE]}
dockerfile=${3:-$context/Dockerfile}
here=$(cd "$(dirname "$0")" && pwd)

login=${LAB_LOGIN:-demo-student}
token=${LAB_TOKEN:-demo-token}
bases=${BASES:-auto}
version=${VERSION:-$(git -C "$here/.." describe --tags --always --dirty 2>/dev/null || echo dev)}
revision=${REVISION:-$(git -C "$here/.." rev-parse --verify -q HEAD 2>/dev/null || echo unknown)}

args=(--build-arg "LAB_LOGIN=$login" --build-arg "LAB_TOKEN=$token"
  --build-arg "VERSION=$version" --build-arg "REVISION=$revision")

# uses_arg NAME: whether the Dockerfile declares ARG NAME. Only the base
# args a Dockerfile declares are passed, so the builder warns of none that
# goes unused.
uses_arg() { grep -Eq "^ARG +$1(=|$| )" "$dockerfile"; }

case "$bases" in
  public) ;;
  local|auto)
    if [ "$bases" = local ] || ! docker image inspect golang:1.26 debian:bookworm-slim >/dev/null 2>&1; then
      "$here/build-bases.sh"
      uses_arg GO_IMAGE && args+=(--build-arg GO_IMAGE=imagelab-base/golang:1.26)
      uses_arg DEBIAN_IMAGE && args+=(--build-arg DEBIAN_IMAGE=imagelab-base/debian:bookworm)
    fi ;;
  *) echo "build-image: BASES=$bases is not one of auto, local, public" >&2; exit 2 ;;
esac

# DOCKER_BUILDKIT=0 selects the classic builder on clients that default to
# BuildKit; the project's Dockerfiles use no BuildKit-only syntax. The grep
# hides the newer CLIs' notice that the classic builder is deprecated.
set +e
DOCKER_BUILDKIT=0 docker build "${args[@]}" -f "$dockerfile" -t "$tag" "$context" 2>&1 |
  grep -v -e 'DEPRECATED: The legacy builder' -e 'buildx' -e 'BuildKit is currently disabled' -e '^ *environment-variable\.$' -e '^ *$'
status=${PIPESTATUS[0]}
set -e
if [ "$status" != 0 ]; then
  echo "build-image: building $tag from $context failed (status $status); the build output is above" >&2
  exit "$status"
fi
docker image inspect "$tag" --format "built $tag: {{.Size}} bytes, ID {{.Id}}"
