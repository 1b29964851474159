package engine

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"
)

// fakeClient fails every call it does not override.
type fakeClient struct {
	Client
	pingErr    error
	apiVersion string
	inspectErr error
	list       []container.Summary
	removed    []string
}

func (f *fakeClient) Ping(context.Context) (types.Ping, error) {
	return types.Ping{APIVersion: f.apiVersion}, f.pingErr
}

func (f *fakeClient) ImageInspect(context.Context, string, ...client.ImageInspectOption) (image.InspectResponse, error) {
	return image.InspectResponse{}, f.inspectErr
}

func (f *fakeClient) ContainerList(context.Context, container.ListOptions) ([]container.Summary, error) {
	return f.list, nil
}

func (f *fakeClient) ContainerRemove(_ context.Context, id string, _ container.RemoveOptions) error {
	f.removed = append(f.removed, id)
	return nil
}

func (f *fakeClient) Close() error { return nil }

func TestNewDaemonDown(t *testing.T) {
	_, err := New(context.Background(), &fakeClient{pingErr: errors.New("dial unix /var/run/docker.sock: connect: no such file or directory")})
	if !errors.Is(err, ErrNoDaemon) {
		t.Fatalf("New error = %v, want ErrNoDaemon", err)
	}
	if !strings.Contains(err.Error(), "ensure-docker.sh") || !strings.Contains(err.Error(), "DOCKER_HOST") {
		t.Errorf("error %q does not say how to start a daemon", err)
	}
}

func TestNewDaemonTooOld(t *testing.T) {
	_, err := New(context.Background(), &fakeClient{apiVersion: "1.40"})
	if !errors.Is(err, ErrNoDaemon) || !strings.Contains(err.Error(), "1.40") {
		t.Errorf("New error = %v, want one naming API 1.40 as too old", err)
	}
	if _, err := New(context.Background(), &fakeClient{apiVersion: "1.41"}); err != nil {
		t.Errorf("API 1.41: %v, want no error", err)
	}
}

func TestImageNotFound(t *testing.T) {
	e := &Engine{cli: &fakeClient{inspectErr: errdefs.NotFound(errors.New("No such image: nope:latest"))}}
	_, err := e.Image(context.Background(), "nope:latest")
	if !IsImageNotFound(err) {
		t.Fatalf("Image error = %v, want an ImageNotFoundError", err)
	}
	if !strings.Contains(err.Error(), `"nope:latest"`) || !strings.Contains(err.Error(), "docker images") {
		t.Errorf("error %q does not name the image and the fix", err)
	}
}

func TestImageEngineError(t *testing.T) {
	e := &Engine{cli: &fakeClient{inspectErr: errors.New("Error response from daemon: server error")}}
	_, err := e.Image(context.Background(), "x")
	if err == nil || IsImageNotFound(err) {
		t.Errorf("Image error = %v, want an engine error that is not 'not found'", err)
	}
}

func TestSweepRemovesOnlyOrphans(t *testing.T) {
	host, _ := os.Hostname()
	dead := host + "/999999999"
	fc := &fakeClient{list: []container.Summary{
		{ID: "orphan", Names: []string{"/imagelab-sigterm-1"}, Labels: map[string]string{LabelOwner: dead}},
		{ID: "mine", Labels: map[string]string{LabelOwner: host + "/" + strconv.Itoa(os.Getpid())}},
		{ID: "other-host", Labels: map[string]string{LabelOwner: "elsewhere/1"}},
		{ID: "unlabelled", Labels: map[string]string{}},
	}}
	e := &Engine{cli: fc}
	removed, err := e.Sweep(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(fc.removed) != 1 || fc.removed[0] != "orphan" || removed[0] != "imagelab-sigterm-1" {
		t.Errorf("removed %v (%v), want only the orphan", fc.removed, removed)
	}
}
