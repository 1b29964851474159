package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/client"
	"github.com/docker/go-connections/nat"
)

// labelRun marks every container the bench creates. Its value is the run's
// id, so removeAll removes this run's containers only, and scripts/bench.sh
// can remove containers that a killed run left behind.
const labelRun = "org.imagelab.bench"

// servicePort is the container port of every subject.
const servicePort = "8080/tcp"

// Docker is the Engine API client of one bench run.
type Docker struct {
	cli   *client.Client
	runID string
}

func openDocker(ctx context.Context) (*Docker, error) {
	cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, fmt.Errorf("creating the Docker client failed: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := cli.Ping(pingCtx); err != nil {
		cli.Close()
		return nil, fmt.Errorf("the Docker daemon did not respond to a ping: %w", err)
	}
	id := make([]byte, 4)
	_, _ = rand.Read(id)
	return &Docker{cli: cli, runID: hex.EncodeToString(id)}, nil
}

func (d *Docker) close() { d.cli.Close() }

// Service is a running container of a subject, published on 127.0.0.1.
type Service struct {
	ID   string
	Addr string // 127.0.0.1:PORT
}

// URL returns the service's URL for path.
func (s *Service) URL(path string) string { return "http://" + s.Addr + path }

// start creates and starts a container of image with its port published on
// a free 127.0.0.1 port. The container runs with the image's defaults and
// no CPU or memory limit.
func (d *Docker) start(ctx context.Context, image string) (*Service, error) {
	port := nat.Port(servicePort)
	cfg := &container.Config{
		Image:        image,
		ExposedPorts: nat.PortSet{port: struct{}{}},
		Labels:       map[string]string{labelRun: d.runID},
	}
	host := &container.HostConfig{
		PortBindings: nat.PortMap{port: {{HostIP: "127.0.0.1", HostPort: ""}}},
	}
	created, err := d.cli.ContainerCreate(ctx, cfg, host, nil, nil, "")
	if err != nil {
		return nil, fmt.Errorf("creating a container of %s failed: %w", image, err)
	}
	svc := &Service{ID: created.ID}
	if err := d.cli.ContainerStart(ctx, created.ID, container.StartOptions{}); err != nil {
		d.remove(created.ID)
		return nil, fmt.Errorf("starting a container of %s failed: %w", image, err)
	}
	info, err := d.cli.ContainerInspect(ctx, created.ID)
	if err != nil {
		d.remove(created.ID)
		return nil, fmt.Errorf("inspecting the container of %s failed: %w", image, err)
	}
	if info.NetworkSettings != nil {
		for _, b := range info.NetworkSettings.Ports[port] {
			if b.HostIP == "127.0.0.1" && b.HostPort != "" {
				svc.Addr = "127.0.0.1:" + b.HostPort
			}
		}
	}
	if svc.Addr == "" {
		d.remove(created.ID)
		return nil, fmt.Errorf("the container of %s has no published port for %s (state %s)", image, servicePort, info.State.Status)
	}
	return svc, nil
}

// dockerStopGrace is the time `docker stop` waits before it sends SIGKILL
// when neither the request nor the container sets one: 10 s in Docker
// 20.10. start sets no StopTimeout on the containers it creates.
const dockerStopGrace = 10 * time.Second

// stop runs `docker stop` with the daemon's default grace (10 s). It
// returns the call's wall time, the container's exit code and how long
// after the call the daemon recorded the exit (State.FinishedAt, read from
// the same host clock). The gap between the two is the daemon's own work
// after the process ended, such as releasing the published port.
func (d *Docker) stop(ctx context.Context, id string) (StopRun, error) {
	begin := time.Now()
	err := d.cli.ContainerStop(ctx, id, container.StopOptions{})
	run := StopRun{Took: time.Since(begin)}
	if err != nil {
		return run, fmt.Errorf("docker stop failed: %w", err)
	}
	info, err := d.cli.ContainerInspect(ctx, id)
	if err != nil {
		return run, fmt.Errorf("inspecting the stopped container failed: %w", err)
	}
	run.ExitCode = info.State.ExitCode
	if finished, err := time.Parse(time.RFC3339Nano, info.State.FinishedAt); err == nil {
		run.ExitedAfter = finished.Sub(begin)
	}
	return run, nil
}

// remove deletes a container, killing it first when it still runs. It uses
// its own context so that it also works after Ctrl-C cancelled the run.
func (d *Docker) remove(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := d.cli.ContainerRemove(ctx, id, container.RemoveOptions{Force: true})
	if err != nil && !client.IsErrNotFound(err) {
		logf("removing container %.12s failed: %v", id, err)
	}
}

// removeAll deletes every container of this run that is left.
func (d *Docker) removeAll() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	list, err := d.cli.ContainerList(ctx, container.ListOptions{
		All:     true,
		Filters: filters.NewArgs(filters.Arg("label", labelRun+"="+d.runID)),
	})
	if err != nil {
		logf("listing this run's containers failed: %v; remove them with: docker rm -f $(docker ps -aq --filter label=%s)", err, labelRun)
		return
	}
	for _, c := range list {
		d.remove(c.ID)
	}
}

// healthClient probes /health on fresh connections, so that a probe never
// reuses a connection that the previous container left open.
var healthClient = &http.Client{
	Timeout:   time.Second,
	Transport: &http.Transport{DisableKeepAlives: true},
}

// waitHealthy polls GET /health every 5 ms until it returns 200, and
// returns the time of that response.
func waitHealthy(ctx context.Context, svc *Service, limit time.Duration) (time.Time, error) {
	deadline := time.Now().Add(limit)
	var last error
	for time.Now().Before(deadline) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, svc.URL("/health"), nil)
		if err != nil {
			return time.Time{}, err
		}
		resp, err := healthClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Now(), nil
			}
			last = fmt.Errorf("GET /health returned %s", resp.Status)
		} else {
			last = err
		}
		if ctx.Err() != nil {
			return time.Time{}, ctx.Err()
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Time{}, fmt.Errorf("no 200 on GET /health within %s (last: %v)", limit, last)
}
