# The rocket reference service as a scratch image that contains one static
# binary. Build it with the classic builder:
#
#   scripts/build-image.sh rocket:latest .      (or: make image)
#
# The lab labels come from --build-arg LAB_LOGIN=... --build-arg LAB_TOKEN=...
# Without them the labels are EMPTY, and the imagelab checker reports them.

# The builder base is an argument so that offline machines can use the
# stand-in from scripts/build-bases.sh (imagelab-base/golang:1.26).
ARG GO_IMAGE=golang:1.26

FROM ${GO_IMAGE} AS build
WORKDIR /src
# The rocket packages import only the standard library, so go.mod alone is
# enough: the build needs no go.sum and downloads nothing. GOPROXY=off turns
# any attempt to download into an error instead of a network call, and
# GOTOOLCHAIN=local stops go.mod from selecting another toolchain.
ENV CGO_ENABLED=0 GOPROXY=off GOTOOLCHAIN=local
COPY go.mod ./
COPY cmd/rocket/ ./cmd/rocket/
COPY internal/rocket/ ./internal/rocket/
# nethttpomithttp2 leaves out net/http's bundled HTTP/2, which a plain-HTTP
# server never uses (0.38 MB). -trimpath, -buildvcs=false and -buildid= keep
# paths, VCS state and build IDs out of the binary, so two builds of the
# same sources with the same toolchain and VERSION are byte-identical.
ARG VERSION=dev
RUN go build -tags nethttpomithttp2 -trimpath -buildvcs=false \
      -ldflags "-s -w -buildid= -X main.version=${VERSION}" \
      -o /out/rocket ./cmd/rocket

FROM scratch
# Only the binary. It is static (CGO_ENABLED=0) and serves plain HTTP, so
# it needs no CA certificates. Without zone data its log times are UTC, and
# a numeric USER needs no /etc/passwd.
COPY --from=build /out/rocket /rocket
# 65532 is the conventional "nonroot" ID of distroless images. No file in
# the image is written at run time, so any ID works, including --user.
USER 65532:65532
ENV ROCKET_SIZE=Medium
EXPOSE 8080
# The probe is rocket's own healthcheck subcommand (no curl, no shell) and
# names the URL it requests. With PORT set to another port, override the
# probe too (docker run --health-cmd needs a shell, so use a derived
# image). Docker 20.10 runs the first probe one interval after the start
# (it has no --start-interval), so a 5 s interval makes the container
# healthy within about 5 s, and a stopped server is reported after 3
# failed probes, about 15 s. The probe itself gives up after 2 s, under
# the 3 s timeout.
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/rocket", "healthcheck", "http://127.0.0.1:8080/health"]
# The server drains on SIGTERM within SHUTDOWN_TIMEOUT (at most 9 s), so
# `docker stop` with its default 10 s grace never needs SIGKILL.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/rocket"]

# Labels come last so that new values rebuild no earlier step. This stage
# has no RUN step, so the lab values appear in no RUN line of the history.
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="rocket" \
      org.opencontainers.image.source="https://github.com/imagelab/imagelab" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
ARG LAB_LOGIN
ARG LAB_TOKEN
LABEL org.lab.login="${LAB_LOGIN}" org.lab.token="${LAB_TOKEN}"
