package image_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/stdcopy"
	"github.com/docker/go-connections/nat"

	"github.com/imagelab/imagelab/internal/testenv"
)

const (
	flaskTag      = "imagelab-test/rocket-flask:latest"
	flaskPort     = nat.Port("8080/tcp")
	flaskVersion  = "9.9.9-test"
	flaskRevision = "0123456789abcdef"
)

// flaskImage builds examples/flask with the local bases, the lab values of
// testenv and test VERSION and REVISION values, and returns the image ID.
// Docker's layer cache makes every build after the first take about a
// second.
func flaskImage(t *testing.T) string {
	t.Helper()
	return testenv.BuildImage(t, testenv.Build{
		Context: filepath.Join(testenv.RepoRoot(t), "examples/flask"),
		Tag:     flaskTag,
		Args:    map[string]string{"VERSION": flaskVersion, "REVISION": flaskRevision},
	})
}

// flaskContainer is a container of the rocket-flask image started by a test.
type flaskContainer struct {
	cli  *client.Client
	id   string
	addr string // host:port on 127.0.0.1 where the container's 8080 is published
}

// flaskCreate creates a container of image with port 8080 published on a
// random loopback port, lets configure change the settings, and removes the
// container when the test ends. It does not start it.
func flaskCreate(t *testing.T, image string, configure func(*container.Config, *container.HostConfig)) *flaskContainer {
	t.Helper()
	cli := testenv.Docker(t)
	config := &container.Config{
		Image:        image,
		Labels:       map[string]string{"org.imagelab.test": "1"},
		ExposedPorts: nat.PortSet{flaskPort: struct{}{}},
	}
	host := &container.HostConfig{
		PortBindings: nat.PortMap{flaskPort: {{HostIP: "127.0.0.1", HostPort: ""}}},
	}
	if configure != nil {
		configure(config, host)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	created, err := cli.ContainerCreate(ctx, config, host, nil, nil, "")
	if err != nil {
		t.Fatalf("creating a container of %s: %v", image, err)
	}
	t.Cleanup(func() {
		// The test's context may be gone by now, so removal gets its own.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := cli.ContainerRemove(ctx, created.ID, container.RemoveOptions{Force: true}); err != nil {
			t.Errorf("removing container %s: %v", created.ID, err)
		}
	})
	return &flaskContainer{cli: cli, id: created.ID}
}

// flaskStart creates and starts a container (see flaskCreate) and returns
// once its port is published. It does not wait for the server.
func flaskStart(t *testing.T, image string, configure func(*container.Config, *container.HostConfig)) *flaskContainer {
	t.Helper()
	c := flaskCreate(t, image, configure)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.cli.ContainerStart(ctx, c.id, container.StartOptions{}); err != nil {
		t.Fatalf("starting container %s: %v", c.id, err)
	}
	info := c.inspect(t)
	bindings := info.NetworkSettings.Ports[flaskPort]
	if len(bindings) == 0 {
		t.Fatalf("container %s publishes no host port for %s (state %s)\n%s",
			c.id, flaskPort, info.State.Status, c.logs(t))
	}
	c.addr = "127.0.0.1:" + bindings[0].HostPort
	return c
}

func (c *flaskContainer) inspect(t *testing.T) container.InspectResponse {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	info, err := c.cli.ContainerInspect(ctx, c.id)
	if err != nil {
		t.Fatalf("inspecting container %s: %v", c.id, err)
	}
	return info
}

// output returns what the container wrote to stdout and stderr so far.
func (c *flaskContainer) output(t *testing.T) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stream, err := c.cli.ContainerLogs(ctx, c.id, container.LogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		t.Fatalf("reading the logs of container %s: %v", c.id, err)
	}
	defer stream.Close()
	var out, errOut bytes.Buffer
	if _, err := stdcopy.StdCopy(&out, &errOut, stream); err != nil {
		t.Fatalf("demultiplexing the logs of container %s: %v", c.id, err)
	}
	return out.String(), errOut.String()
}

// logs returns both streams, labelled, for failure messages.
func (c *flaskContainer) logs(t *testing.T) string {
	t.Helper()
	stdout, stderr := c.output(t)
	return fmt.Sprintf("container stdout:\n%s\ncontainer stderr:\n%s", stdout, stderr)
}

// waitReady polls GET /health until it returns 200, and fails the test
// when the container exits or 30 seconds pass first.
func (c *flaskContainer) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	client := &http.Client{Timeout: 2 * time.Second}
	for time.Now().Before(deadline) {
		resp, err := client.Get("http://" + c.addr + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if info := c.inspect(t); !info.State.Running {
			t.Fatalf("container exited with status %d before serving /health\n%s",
				info.State.ExitCode, c.logs(t))
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("GET http://%s/health did not return 200 within 30 s\n%s", c.addr, c.logs(t))
}

// wait blocks until the container stops and returns its exit status.
func (c *flaskContainer) wait(t *testing.T, timeout time.Duration) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	results, errs := c.cli.ContainerWait(ctx, c.id, container.WaitConditionNotRunning)
	select {
	case result := <-results:
		return result.StatusCode
	case err := <-errs:
		t.Fatalf("waiting for container %s to stop: %v\n%s", c.id, err, c.logs(t))
	}
	return -1
}

// flaskResponse is an HTTP response with its body read.
type flaskResponse struct {
	status int
	header http.Header
	body   string
}

// flaskRequest sends one request on a new connection and reads the whole
// response.
func flaskRequest(method, url string, timeout time.Duration) (flaskResponse, error) {
	client := &http.Client{
		Timeout:   timeout,
		Transport: &http.Transport{DisableKeepAlives: true},
	}
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		return flaskResponse{}, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return flaskResponse{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return flaskResponse{}, fmt.Errorf("reading the body of %s %s: %w", method, url, err)
	}
	return flaskResponse{status: resp.StatusCode, header: resp.Header, body: string(body)}, nil
}

// flaskLines splits s into its non-empty lines.
func flaskLines(s string) []string {
	var lines []string
	scanner := bufio.NewScanner(strings.NewReader(s))
	scanner.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for scanner.Scan() {
		if line := strings.TrimSpace(scanner.Text()); line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}
