package image_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/stdcopy"
	"github.com/docker/go-connections/nat"

	"github.com/imagelab/imagelab/internal/testenv"
)

const (
	// servicePort is the container port of rocket and the Flask example.
	servicePort = nat.Port("8080/tcp")
	// testBound only keeps a broken test from hanging.
	testBound = 60 * time.Second
)

// testContainer is a container of one of the project's images, started by
// a test.
type testContainer struct {
	cli  *client.Client
	id   string
	addr string // host:port on 127.0.0.1 where the container's 8080 is published
}

// createContainer creates a container of image with port 8080 published on a
// random loopback port, lets configure change the settings, and removes the
// container when the test ends. It does not start it.
func createContainer(t *testing.T, image string, configure func(*container.Config, *container.HostConfig)) *testContainer {
	t.Helper()
	cli := testenv.Docker(t)
	config := &container.Config{
		Image:        image,
		Labels:       map[string]string{"org.imagelab.test": "1"},
		ExposedPorts: nat.PortSet{servicePort: struct{}{}},
	}
	host := &container.HostConfig{
		PortBindings: nat.PortMap{servicePort: {{HostIP: "127.0.0.1", HostPort: ""}}},
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
	return &testContainer{cli: cli, id: created.ID}
}

// startContainer creates and starts a container (see createContainer) and returns
// once its port is published. It does not wait for the server.
func startContainer(t *testing.T, image string, configure func(*container.Config, *container.HostConfig)) *testContainer {
	t.Helper()
	c := createContainer(t, image, configure)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.cli.ContainerStart(ctx, c.id, container.StartOptions{}); err != nil {
		t.Fatalf("starting container %s: %v", c.id, err)
	}
	info := c.inspect(t)
	bindings := info.NetworkSettings.Ports[servicePort]
	if len(bindings) == 0 {
		t.Fatalf("container %s publishes no host port for %s (state %s)\n%s",
			c.id, servicePort, info.State.Status, c.logs(t))
	}
	if bindings[0].HostIP != "127.0.0.1" {
		t.Fatalf("container %s: got host IP %q, want 127.0.0.1", c.id, bindings[0].HostIP)
	}
	c.addr = "127.0.0.1:" + bindings[0].HostPort
	return c
}

// url returns the base URL of the container's service on the host.
func (c *testContainer) url() string { return "http://" + c.addr }

func (c *testContainer) inspect(t *testing.T) container.InspectResponse {
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
func (c *testContainer) output(t *testing.T) (stdout, stderr string) {
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
func (c *testContainer) logs(t *testing.T) string {
	t.Helper()
	stdout, stderr := c.output(t)
	return fmt.Sprintf("container stdout:\n%s\ncontainer stderr:\n%s", stdout, stderr)
}

// waitReady polls GET /health until it returns 200, and fails the test
// when the container exits or testBound passes first.
func (c *testContainer) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(testBound)
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
	t.Fatalf("GET http://%s/health did not return 200 within %s\n%s", c.addr, testBound, c.logs(t))
}

// wait blocks until the container stops and returns its exit status.
func (c *testContainer) wait(t *testing.T, timeout time.Duration) int64 {
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
