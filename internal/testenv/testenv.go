// Package testenv gives tests a real Docker daemon and real images built
// from real Dockerfiles.
//
// Tests that need the daemon call Docker. Under `go test -short` they are
// skipped. Without -short a missing daemon skips them too, except under
// CI=true, where it fails the test: CI must never pass by skipping.
package testenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/jsonmessage"
	"github.com/moby/go-archive"
	"github.com/moby/patternmatcher/ignorefile"
)

// Local stand-in base images built by scripts/build-bases.sh.
const (
	GoBase     = "imagelab-base/golang:1.26"
	DebianBase = "imagelab-base/debian:bookworm"
)

// Lab build-arg values that test images are built with.
const (
	LabLogin = "student42"
	LabToken = "tok-0042"
)

var (
	clientOnce sync.Once
	sharedCli  *client.Client
	clientErr  error
)

// Docker returns a client for the daemon that DOCKER_HOST names (or the
// default socket), after checking that the daemon responds.
func Docker(t testing.TB) *client.Client {
	t.Helper()
	if testing.Short() {
		t.Skip("needs a Docker daemon; skipped under -short")
	}
	clientOnce.Do(func() {
		sharedCli, clientErr = client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
		if clientErr != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, clientErr = sharedCli.Ping(ctx)
	})
	if clientErr != nil {
		msg := fmt.Sprintf("no Docker daemon responds (%v): run scripts/ensure-docker.sh", clientErr)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return sharedCli
}

// RepoRoot returns the repository's top folder: the one holding go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate testenv's source file")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Build describes one image build.
type Build struct {
	// Context is the build context folder.
	Context string
	// Dockerfile is the Dockerfile's path inside Context (default "Dockerfile").
	Dockerfile string
	// Tag names the image; it is kept after the test so that later runs
	// reuse the build cache (`make clean` removes imagelab-test/ images).
	Tag string
	// Args are build args. The local base images and the lab values are
	// added unless Args sets them.
	Args map[string]string
}

var buildMu sync.Mutex

// BuildImage builds b with the classic builder and returns the image ID.
// It fails the test with the build's output when the build fails, and
// when the local base images are missing.
func BuildImage(t testing.TB, b Build) string {
	t.Helper()
	cli := Docker(t)
	// One build at a time: parallel classic builds of shared stages only
	// compete for the two cores and the layer cache.
	buildMu.Lock()
	defer buildMu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	requireBases(t, ctx, cli)

	id, out, err := buildImage(ctx, cli, b)
	if err != nil {
		t.Fatalf("building %s from %s: %v\n%s", b.Tag, b.Context, err, lastLines(out, 30))
	}
	return id
}

func requireBases(t testing.TB, ctx context.Context, cli *client.Client) {
	t.Helper()
	for _, ref := range []string{GoBase, DebianBase} {
		if _, err := cli.ImageInspect(ctx, ref); err != nil {
			t.Fatalf("base image %s is missing (%v): run scripts/build-bases.sh", ref, err)
		}
	}
}

func buildImage(ctx context.Context, cli *client.Client, b Build) (string, string, error) {
	tar, err := contextTar(b.Context)
	if err != nil {
		return "", "", err
	}
	defer tar.Close()

	args := map[string]*string{}
	defaults := map[string]string{
		"GO_IMAGE": GoBase, "DEBIAN_IMAGE": DebianBase,
		"LAB_LOGIN": LabLogin, "LAB_TOKEN": LabToken,
	}
	for k, v := range defaults {
		args[k] = &v
	}
	for k, v := range b.Args {
		args[k] = &v
	}
	dockerfile := b.Dockerfile
	if dockerfile == "" {
		dockerfile = "Dockerfile"
	}
	resp, err := cli.ImageBuild(ctx, tar, build.ImageBuildOptions{
		Tags: []string{b.Tag}, Dockerfile: dockerfile, BuildArgs: args,
		Remove: true, ForceRemove: true, Version: build.BuilderV1,
	})
	if err != nil {
		return "", "", err
	}
	defer resp.Body.Close()

	var out bytes.Buffer
	if err := jsonmessage.DisplayJSONMessagesStream(resp.Body, &out, 0, false, nil); err != nil {
		return "", out.String(), err
	}
	img, err := cli.ImageInspect(ctx, b.Tag)
	if err != nil {
		return "", out.String(), fmt.Errorf("inspecting the built image: %w", err)
	}
	return img.ID, out.String(), nil
}

// contextTar packs dir as a build context, leaving out what its
// .dockerignore excludes, as the docker CLI does.
func contextTar(dir string) (io.ReadCloser, error) {
	var excludes []string
	f, err := os.Open(filepath.Join(dir, ".dockerignore"))
	switch {
	case err == nil:
		excludes, err = ignorefile.ReadAll(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("reading %s/.dockerignore: %w", dir, err)
		}
	case !errors.Is(err, os.ErrNotExist):
		return nil, err
	}
	return archive.TarWithOptions(dir, &archive.TarOptions{ExcludePatterns: excludes})
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
