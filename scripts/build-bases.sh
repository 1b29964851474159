#!/usr/bin/env bash
# Builds the local stand-in base images, for machines that reach no container
# registry. The Dockerfiles of this project take their bases as build args
# with the usual public defaults; with these images they build offline:
#
#   imagelab-base/debian:bookworm   Debian bookworm minbase from debootstrap
#                                   (stand-in for debian:bookworm-slim)
#   imagelab-base/golang:1.26       that Debian plus this machine's Go
#                                   toolchain (stand-in for golang:1.26)
#
# Images already present are reused; --force rebuilds them. The Debian
# mirror is the one this machine's apt sources use.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
force=false
for arg in "$@"; do
  case "$arg" in
    --force) force=true ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-bases: unknown argument $arg (use --force or --help)" >&2; exit 2 ;;
  esac
done

say() { printf 'build-bases: %s\n' "$*" >&2; }

debian_image=imagelab-base/debian:bookworm
golang_image=imagelab-base/golang:1.26

present() { ! $force && docker image inspect "$1" >/dev/null 2>&1; }

apt_mirror() {
  local m
  m=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -v -e security -e nodesource -e google | head -n 1 || true)
  [ -n "$m" ] || m=$(awk '$1 == "deb" && $2 !~ /security|nodesource|google/ {print $2; exit}' \
    /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
  printf '%s' "$m"
}

build_debian() {
  local mirror rootfs
  mirror=$(apt_mirror)
  if [ -z "$mirror" ]; then
    say "no Debian mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d"
    say "add one (a 'deb URL bookworm main' line) and run this script again"
    exit 1
  fi
  if ! command -v debootstrap >/dev/null 2>&1; then
    say "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null ||
      { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  fi
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' RETURN
  say "debootstrap bookworm from $mirror (about a minute)"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 ||
    { tail -n 20 "$rootfs.log" >&2; say "debootstrap failed, full log in $rootfs.log"; exit 1; }
  rm -f "$rootfs.log"
  # Keep apt usable inside the image (the builds install packages) but drop
  # what debootstrap leaves behind: downloaded .debs, docs and locales.
  printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$mirror" "$mirror" \
    >"$rootfs/etc/apt/sources.list"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*
  tar -C "$rootfs" -c . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'CMD ["bash"]' - "$debian_image" >/dev/null
  say "built $debian_image"
}

build_golang() {
  local ctx goroot
  goroot=$(go env GOROOT 2>/dev/null) ||
    { say "no Go toolchain on this machine: install Go 1.26 (go.dev/dl) and run again"; exit 1; }
  ctx=$(mktemp -d)
  trap 'rm -rf "$ctx"' RETURN
  cp -a "$goroot" "$ctx/go"
  rm -rf "$ctx/go/pkg/obj" "$ctx/go/.git"
  cp "$here/golang-base.Dockerfile" "$ctx/Dockerfile"
  # The build's output is shown only when it fails: on success newer
  # clients print just a notice that the classic builder is deprecated.
  if ! DOCKER_BUILDKIT=0 docker build -q --build-arg BASE="$debian_image" -t "$golang_image" "$ctx" >"$ctx.log" 2>&1; then
    cat "$ctx.log" >&2
    rm -f "$ctx.log"
    say "building $golang_image failed; the build output is above"
    exit 1
  fi
  rm -f "$ctx.log"
  say "built $golang_image ($("$goroot/bin/go" version))"
}

present "$debian_image" && say "reusing $debian_image" || build_debian
present "$golang_image" && say "reusing $golang_image" || build_golang
