# The two commands that set up a fresh machine and do the work:
#   make demo   builds the rocket image and checks it with imagelab
#   make test   runs every test against a real Docker daemon
# Both start Docker and build the local base images when needed.

SHELL := /bin/bash
GO ?= go
export LAB_LOGIN ?= demo-student
export LAB_TOKEN ?= demo-token

BIN := bin

.PHONY: all docker bases image flask-image build demo test test-short bench vet clean

all: build

docker:
	@scripts/ensure-docker.sh

bases: docker
	@scripts/build-bases.sh

build:
	$(GO) build -o $(BIN)/imagelab ./cmd/imagelab
	$(GO) build -o $(BIN)/rocket ./cmd/rocket

image: docker
	@scripts/build-image.sh rocket:latest .

flask-image: docker
	@scripts/build-image.sh rocket-flask:latest examples/flask

demo: image build
	$(BIN)/imagelab check --dockerfile Dockerfile --login "$(LAB_LOGIN)" --token "$(LAB_TOKEN)" rocket:latest

vet:
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...

test: bases vet
	@scripts/ensure-test-tools.sh
	$(GO) test -count=1 -timeout 60m ./...

test-short:
	$(GO) test -short ./...

bench: bases build
	@scripts/bench.sh

# Check containers need no cleaning here: every imagelab run removes its
# own and those that killed runs left behind.
clean:
	rm -rf $(BIN)
	-docker images --format '{{.Repository}}:{{.Tag}}' | grep -E '^imagelab-(test|bench)/' | xargs -r docker rmi
