// Package engine is imagelab's seam to the Docker Engine API: it reads
// images, runs the containers that dynamic checks probe, and removes every
// container it made. It speaks to the daemon through Docker's Go SDK,
// honours DOCKER_HOST, and works against API 1.41 (Docker 20.10) and newer.
package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/imagelab/imagelab/internal/i18n"
)

// MinAPIVersion is the oldest Engine API version imagelab supports.
const MinAPIVersion = "1.41"

// Client is the part of Docker's SDK client that this package calls. Tests
// fake it by embedding the interface and overriding what they need.
type Client interface {
	Ping(ctx context.Context) (types.Ping, error)
	ClientVersion() string
	ImageInspect(ctx context.Context, ref string, opts ...client.ImageInspectOption) (image.InspectResponse, error)
	ImageHistory(ctx context.Context, ref string, opts ...client.ImageHistoryOption) ([]image.HistoryResponseItem, error)
	ContainerCreate(ctx context.Context, config *container.Config, host *container.HostConfig, net *network.NetworkingConfig, platform *ocispec.Platform, name string) (container.CreateResponse, error)
	ContainerStart(ctx context.Context, id string, opts container.StartOptions) error
	ContainerInspect(ctx context.Context, id string) (container.InspectResponse, error)
	ContainerStop(ctx context.Context, id string, opts container.StopOptions) error
	ContainerRemove(ctx context.Context, id string, opts container.RemoveOptions) error
	ContainerList(ctx context.Context, opts container.ListOptions) ([]container.Summary, error)
	ContainerLogs(ctx context.Context, id string, opts container.LogsOptions) (io.ReadCloser, error)
	ContainerTop(ctx context.Context, id string, args []string) (container.TopResponse, error)
	ContainerStatPath(ctx context.Context, id, path string) (container.PathStat, error)
	CopyFromContainer(ctx context.Context, id, path string) (io.ReadCloser, container.PathStat, error)
	Close() error
}

// ErrNoDaemon reports that no Docker daemon responded.
var ErrNoDaemon = errors.New("no Docker daemon responds")

// DaemonError is returned by Open when the daemon cannot be reached or is
// too old. Its message explains how to fix it.
type DaemonError struct {
	Host string
	Err  error
}

func (e *DaemonError) Error() string { return e.text().String() }

// Localize implements i18n.Localizer.
func (e *DaemonError) Localize(l i18n.Lang) string { return l.Format(e.text()) }

func (e *DaemonError) text() i18n.Text {
	return i18n.T("connecting to the Docker daemon at %s: %v; start it (on this project's machines: scripts/ensure-docker.sh) or set DOCKER_HOST to a daemon that runs", e.Host, e.Err)
}

func (e *DaemonError) Unwrap() error { return ErrNoDaemon }

// Engine runs imagelab's requests against one daemon.
type Engine struct {
	cli   Client
	owner string // label value that marks containers of this process
}

// Open connects to the daemon named by DOCKER_HOST (or the default socket),
// negotiates the API version and checks that the daemon responds within 5
// seconds.
func Open(ctx context.Context) (*Engine, error) {
	cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, &DaemonError{Host: hostName(), Err: err}
	}
	e, err := New(ctx, cli)
	if err != nil {
		cli.Close()
		return nil, err
	}
	return e, nil
}

// New wraps an existing client, pinging it first so that version
// negotiation has happened before any other call.
func New(ctx context.Context, cli Client) (*Engine, error) {
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ping, err := cli.Ping(pingCtx)
	if err != nil {
		return nil, &DaemonError{Host: hostName(), Err: err}
	}
	if ping.APIVersion != "" && versionLess(ping.APIVersion, MinAPIVersion) {
		return nil, &DaemonError{Host: hostName(), Err: i18n.Errorf("the daemon speaks Engine API %s, older than the %s (Docker 20.10) that imagelab needs", ping.APIVersion, MinAPIVersion)}
	}
	host, _ := os.Hostname()
	return &Engine{cli: cli, owner: fmt.Sprintf("%s/%d", host, os.Getpid())}, nil
}

// Close releases the client's connections.
func (e *Engine) Close() error { return e.cli.Close() }

// APIVersion returns the negotiated Engine API version.
func (e *Engine) APIVersion() string { return e.cli.ClientVersion() }

func hostName() string {
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		return h
	}
	return client.DefaultDockerHost
}

// versionLess compares two "major.minor" API versions.
func versionLess(a, b string) bool {
	var am, an, bm, bn int
	fmt.Sscanf(a, "%d.%d", &am, &an)
	fmt.Sscanf(b, "%d.%d", &bm, &bn)
	return am < bm || (am == bm && an < bn)
}
