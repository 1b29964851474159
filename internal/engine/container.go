package engine

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"
	"github.com/docker/go-connections/nat"
)

// Labels that mark imagelab's containers. LabelOwner holds "host/pid" of
// the process that made the container, so that a later run can tell the
// leftovers of a killed run from containers of a run still going.
const (
	LabelCheck = "org.imagelab.check"
	LabelOwner = "org.imagelab.owner"
)

// RunSpec says how to run one container of an image.
type RunSpec struct {
	// Purpose names the container (imagelab-<purpose>-<random>) and is the
	// value of its LabelCheck label.
	Purpose string
	Image   string
	// Port is the container port to publish on 127.0.0.1, "8080/tcp".
	Port string
	// Env is added to the image's environment (NAME=VALUE).
	Env []string
	// ReadOnly runs with a read-only root filesystem and no tmpfs.
	ReadOnly bool
	// Harden drops all capabilities and sets no-new-privileges.
	Harden bool
	// Healthcheck, when set, replaces the image's HEALTHCHECK.
	Healthcheck *container.HealthConfig
	// Create only creates the container, without starting it.
	Create bool
}

// Container is one container that this Engine made. Remove it when done.
type Container struct {
	ID      string
	Name    string
	Started time.Time
	e       *Engine
}

// Run creates and starts a container as spec describes, publishing its port on
// 127.0.0.1 at a port the daemon picks. When the start fails, the
// container is removed and the daemon's message is returned.
func (e *Engine) Run(ctx context.Context, spec RunSpec) (*Container, error) {
	cfg, host, err := e.containerConfig(spec)
	if err != nil {
		return nil, err
	}
	name := "imagelab-" + spec.Purpose + "-" + randomSuffix()
	created, err := e.cli.ContainerCreate(ctx, cfg, host, nil, nil, name)
	if err != nil {
		if ctx.Err() != nil {
			e.removeByName(name)
		}
		return nil, fmt.Errorf("creating a container of %s: %w", spec.Image, err)
	}
	c := &Container{ID: created.ID, Name: name, e: e}
	if spec.Create {
		return c, nil
	}
	c.Started = time.Now()
	if err := e.cli.ContainerStart(ctx, c.ID, container.StartOptions{}); err != nil {
		c.Remove()
		return nil, &StartError{Image: spec.Image, Err: err}
	}
	return c, nil
}

// removeByName removes a container whose create request was cancelled:
// the daemon may have created it anyway, and the caller never learnt its
// ID. The daemon can also finish the request a moment later, so a name it
// does not know yet is tried again for about two seconds.
func (e *Engine) removeByName(name string) {
	for range 5 {
		c := &Container{ID: name, Name: name, e: e}
		if err := c.remove(); err == nil {
			return
		}
		time.Sleep(400 * time.Millisecond)
	}
}

// StartError reports that the daemon could not start a container, for
// example because its USER does not exist in the image.
type StartError struct {
	Image string
	Err   error
}

func (e *StartError) Error() string {
	return fmt.Sprintf("starting a container of %s: %v", e.Image, e.Err)
}

func (e *StartError) Unwrap() error { return e.Err }

func (e *Engine) containerConfig(spec RunSpec) (*container.Config, *container.HostConfig, error) {
	cfg := &container.Config{
		Image:       spec.Image,
		Env:         spec.Env,
		Healthcheck: spec.Healthcheck,
		Labels:      map[string]string{LabelCheck: spec.Purpose, LabelOwner: e.owner},
	}
	host := &container.HostConfig{ReadonlyRootfs: spec.ReadOnly}
	if spec.Harden {
		host.CapDrop = []string{"ALL"}
		host.SecurityOpt = []string{"no-new-privileges"}
	}
	if spec.Port != "" {
		port, err := nat.NewPort(nat.SplitProtoPort(spec.Port))
		if err != nil {
			return nil, nil, fmt.Errorf("parsing port %q: %w", spec.Port, err)
		}
		cfg.ExposedPorts = nat.PortSet{port: struct{}{}}
		host.PortBindings = nat.PortMap{port: {{HostIP: "127.0.0.1", HostPort: ""}}}
	}
	return cfg, host, nil
}

func randomSuffix() string {
	b := make([]byte, 5)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// PublishedAddr returns the 127.0.0.1:port address published for port in
// info, an inspect result of this container.
func (c *Container) PublishedAddr(info container.InspectResponse, port string) (string, error) {
	return c.hostAddrOf(info, port)
}

// Inspect returns the container's current state and configuration.
func (c *Container) Inspect(ctx context.Context) (container.InspectResponse, error) {
	info, err := c.e.cli.ContainerInspect(ctx, c.ID)
	if err != nil {
		return info, fmt.Errorf("inspecting container %s: %w", c.Name, err)
	}
	return info, nil
}

// hostAddrOf reads the published address of port from an inspect result.
func (c *Container) hostAddrOf(info container.InspectResponse, port string) (string, error) {
	if info.NetworkSettings == nil {
		return "", fmt.Errorf("container %s has no network settings (state %s)", c.Name, info.State.Status)
	}
	p, err := nat.NewPort(nat.SplitProtoPort(port))
	if err != nil {
		return "", err
	}
	for _, b := range info.NetworkSettings.Ports[p] {
		if b.HostIP == "127.0.0.1" && b.HostPort != "" {
			return "127.0.0.1:" + b.HostPort, nil
		}
	}
	return "", fmt.Errorf("container %s has no published host port for %s (state %s)", c.Name, port, info.State.Status)
}

// Stop has the engine stop the container with the image's STOPSIGNAL
// and waits up to grace before the engine kills it, as `docker stop -t`.
// It returns the wall time the stop took.
func (c *Container) Stop(ctx context.Context, grace time.Duration) (time.Duration, error) {
	seconds := int(grace.Round(time.Second) / time.Second)
	start := time.Now()
	err := c.e.cli.ContainerStop(ctx, c.ID, container.StopOptions{Timeout: &seconds})
	took := time.Since(start)
	if err != nil {
		return took, fmt.Errorf("stopping container %s: %w", c.Name, err)
	}
	return took, nil
}

// Logs returns the container's stdout and stderr lines, interleaved as
// the daemon stored them, at most the last tail lines.
func (c *Container) Logs(ctx context.Context, tail int) ([]string, error) {
	rc, err := c.e.cli.ContainerLogs(ctx, c.ID, container.LogsOptions{
		ShowStdout: true, ShowStderr: true, Tail: fmt.Sprint(tail),
	})
	if err != nil {
		return nil, fmt.Errorf("reading the logs of container %s: %w", c.Name, err)
	}
	defer rc.Close()
	var buf bytes.Buffer
	if _, err := stdcopy.StdCopy(&buf, &buf, rc); err != nil {
		return nil, fmt.Errorf("reading the logs of container %s: %w", c.Name, err)
	}
	text := strings.TrimRight(buf.String(), "\n")
	if text == "" {
		return nil, nil
	}
	return strings.Split(text, "\n"), nil
}

// Process is one process of a running container, as `docker top` shows it.
type Process struct {
	PID  string
	UID  string
	Args string
}

// Processes lists the container's processes with their host PIDs, UIDs
// and command lines. The first entry is the container's main process.
func (c *Container) Processes(ctx context.Context) ([]Process, error) {
	top, err := c.e.cli.ContainerTop(ctx, c.ID, []string{"-o", "pid,uid,args"})
	if err != nil {
		return nil, fmt.Errorf("listing the processes of container %s: %w", c.Name, err)
	}
	col := map[string]int{}
	for i, t := range top.Titles {
		col[strings.ToUpper(t)] = i
	}
	pidCol, uidCol, argsCol := col["PID"], col["UID"], col["COMMAND"]
	if _, ok := col["COMMAND"]; !ok {
		argsCol = len(top.Titles) - 1
	}
	var out []Process
	for _, row := range top.Processes {
		if len(row) <= argsCol || len(row) <= uidCol {
			continue
		}
		out = append(out, Process{PID: row[pidCol], UID: row[uidCol], Args: row[argsCol]})
	}
	return out, nil
}

// Remove deletes the container and its anonymous volumes, with a fresh
// timeout of its own, so that it also works after the run's context was
// cancelled.
func (c *Container) Remove() error {
	err := c.remove()
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("removing container %s: %w", c.Name, err)
	}
	return nil
}

func (c *Container) remove() error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return c.e.cli.ContainerRemove(ctx, c.ID, container.RemoveOptions{Force: true, RemoveVolumes: true})
}
