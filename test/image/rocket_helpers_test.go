package image_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
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
	rocketTag  = "imagelab-test/rocket:latest"
	rocketPort = nat.Port("8080/tcp")
	// rocketBound only keeps a broken test from hanging.
	rocketBound = 60 * time.Second
)

// rocketImage builds the root Dockerfile with the local bases and the lab
// values of testenv and returns the client and the image ID.
func rocketImage(t *testing.T) (*client.Client, string) {
	t.Helper()
	cli := testenv.Docker(t)
	id := testenv.BuildImage(t, testenv.Build{Context: testenv.RepoRoot(t), Tag: rocketTag})
	return cli, id
}

// rocketContainer is a started container with port 8080 published on a
// random loopback port.
type rocketContainer struct {
	cli *client.Client
	id  string
	// baseURL is the server's URL on the host, set by waitServing.
	baseURL string
}

// rocketStart creates and starts a container of image. configure may
// change the configuration before the container is created. The container
// is removed when the test ends.
func rocketStart(t *testing.T, cli *client.Client, image string, configure func(*container.Config, *container.HostConfig)) *rocketContainer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), rocketBound)
	defer cancel()

	cfg := &container.Config{
		Image:        image,
		Labels:       map[string]string{"org.imagelab.test": "1"},
		ExposedPorts: nat.PortSet{rocketPort: {}},
	}
	host := &container.HostConfig{
		PortBindings: nat.PortMap{rocketPort: {{HostIP: "127.0.0.1", HostPort: ""}}},
	}
	if configure != nil {
		configure(cfg, host)
	}
	created, err := cli.ContainerCreate(ctx, cfg, host, nil, nil, "")
	if err != nil {
		t.Fatalf("creating a container of %s: %v", image, err)
	}
	c := &rocketContainer{cli: cli, id: created.ID}
	t.Cleanup(func() {
		// A fresh context, because the test's context may be done by now.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := cli.ContainerRemove(ctx, c.id, container.RemoveOptions{Force: true}); err != nil {
			t.Errorf("removing container %s: %v", c.id, err)
		}
	})

	if err := cli.ContainerStart(ctx, c.id, container.StartOptions{}); err != nil {
		t.Fatalf("starting container %s: %v", c.id, err)
	}
	return c
}

func (c *rocketContainer) inspect(t *testing.T) container.InspectResponse {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	info, err := c.cli.ContainerInspect(ctx, c.id)
	if err != nil {
		t.Fatalf("inspecting container %s: %v", c.id, err)
	}
	return info
}

// hostPort returns the loopback port that Docker picked for 8080/tcp.
func (c *rocketContainer) hostPort(t *testing.T) string {
	t.Helper()
	info := c.inspect(t)
	if info.NetworkSettings == nil || len(info.NetworkSettings.Ports[rocketPort]) == 0 {
		t.Fatalf("container %s has no host port for %s (status %s, exit code %d); logs:\n%s",
			c.id, rocketPort, info.State.Status, info.State.ExitCode, c.logs(t))
	}
	binding := info.NetworkSettings.Ports[rocketPort][0]
	if binding.HostIP != "127.0.0.1" {
		t.Fatalf("container %s: got host IP %q, want 127.0.0.1", c.id, binding.HostIP)
	}
	return binding.HostPort
}

// waitServing sets baseURL and polls GET /health until it returns 200.
func (c *rocketContainer) waitServing(t *testing.T) {
	t.Helper()
	c.baseURL = "http://127.0.0.1:" + c.hostPort(t)
	deadline := time.Now().Add(rocketBound)
	var lastErr error
	for time.Now().Before(deadline) {
		status, _, err := rocketGet(c.baseURL + "/health")
		if err == nil && status == http.StatusOK {
			return
		}
		lastErr = fmt.Errorf("status %d, error %v", status, err)
		if !c.inspect(t).State.Running {
			t.Fatalf("container %s stopped; logs:\n%s", c.id, c.logs(t))
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("container %s: /health did not return 200 within %s (last: %v); logs:\n%s",
		c.id, rocketBound, lastErr, c.logs(t))
}

// logs returns the container's stdout and stderr.
func (c *rocketContainer) logs(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rc, err := c.cli.ContainerLogs(ctx, c.id, container.LogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		return fmt.Sprintf("(reading the logs failed: %v)", err)
	}
	defer rc.Close()
	var out strings.Builder
	if _, err := stdcopy.StdCopy(&out, &out, rc); err != nil {
		return fmt.Sprintf("(reading the logs failed: %v)\n%s", err, out.String())
	}
	return out.String()
}

// rocketGet sends GET url and returns the status and body.
func rocketGet(url string) (int, string, error) {
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// rocketGetJSON sends GET url, checks for 200 and decodes the JSON body.
func rocketGetJSON(t *testing.T, url string) map[string]string {
	t.Helper()
	status, body, err := rocketGet(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	if status != http.StatusOK {
		t.Fatalf("GET %s: got status %d, want 200 (body %q)", url, status, body)
	}
	var doc map[string]string
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("GET %s: body %q is not a JSON object of strings: %v", url, body, err)
	}
	return doc
}

// rocketIsRunStep reports whether a history entry comes from a RUN step.
// The classic builder marks every other instruction "#(nop)", and BuildKit
// starts RUN entries with "RUN ".
func rocketIsRunStep(createdBy string) bool {
	if strings.HasPrefix(createdBy, "RUN ") {
		return true
	}
	return createdBy != "" && !strings.Contains(createdBy, "#(nop)")
}
