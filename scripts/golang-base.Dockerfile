# Stand-in for the public golang image: Debian plus the Go toolchain of the
# machine that runs scripts/build-bases.sh, copied in as ./go.
ARG BASE=debian:bookworm-slim
FROM ${BASE}
COPY go /usr/local/go
ENV PATH=/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    GOTOOLCHAIN=local \
    GOPATH=/go
WORKDIR /go
