package image_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"

	"github.com/imagelab/imagelab/internal/testenv"
)

// rocketMaxImageBytes is the image size budget, in decimal bytes.
const rocketMaxImageBytes = 6_000_000

// rocketStopGrace is how long `docker stop` waits by default before it
// sends SIGKILL.
const rocketStopGrace = 10 * time.Second

func TestRocketImageSize(t *testing.T) {
	cli, id := rocketImage(t)
	img, err := cli.ImageInspect(context.Background(), id)
	if err != nil {
		t.Fatalf("inspecting %s: %v", id, err)
	}
	t.Logf("image size: %d bytes", img.Size)
	if img.Size > rocketMaxImageBytes {
		t.Errorf("size: got %d bytes, want at most %d", img.Size, rocketMaxImageBytes)
	}
}

func TestRocketImageConfig(t *testing.T) {
	cli, id := rocketImage(t)
	img, err := cli.ImageInspect(context.Background(), id)
	if err != nil {
		t.Fatalf("inspecting %s: %v", id, err)
	}
	cfg := img.Config
	if cfg == nil {
		t.Fatalf("image %s has no config", id)
	}

	uid, gid, found := strings.Cut(cfg.User, ":")
	uidNumber, uidErr := strconv.Atoi(uid)
	_, gidErr := strconv.Atoi(gid)
	if !found || uidErr != nil || gidErr != nil || uidNumber == 0 {
		t.Errorf("USER: got %q, want numeric non-root UID:GID", cfg.User)
	}
	if got := strings.Join(cfg.Entrypoint, " "); got != "/rocket" {
		t.Errorf("ENTRYPOINT: got %q, want exec form [\"/rocket\"]", cfg.Entrypoint)
	}
	if cfg.StopSignal != "SIGTERM" {
		t.Errorf("STOPSIGNAL: got %q, want SIGTERM", cfg.StopSignal)
	}
	if _, ok := cfg.ExposedPorts[string(servicePort)]; !ok {
		t.Errorf("EXPOSE: got %v, want %s", cfg.ExposedPorts, servicePort)
	}
	if !containsString(cfg.Env, "ROCKET_SIZE=Medium") {
		t.Errorf("ENV: got %q, want ROCKET_SIZE=Medium", cfg.Env)
	}
	hc := cfg.Healthcheck
	if hc == nil || len(hc.Test) < 2 || hc.Test[0] != "CMD" || hc.Test[1] != "/rocket" {
		t.Fatalf("HEALTHCHECK: got %+v, want exec form running /rocket", hc)
	}
	if last := hc.Test[len(hc.Test)-1]; last != "http://127.0.0.1:8080/health" {
		t.Errorf("HEALTHCHECK URL: got %q, want the /health URL it probes", last)
	}
	if hc.Timeout <= 2*time.Second {
		t.Errorf("HEALTHCHECK --timeout: got %s, want above the probe's own 2s", hc.Timeout)
	}
}

func containsString(list []string, s string) bool {
	for _, item := range list {
		if item == s {
			return true
		}
	}
	return false
}

func TestRocketBecomesHealthy(t *testing.T) {
	_, id := rocketImage(t)
	c := startContainer(t, id, nil)

	deadline := time.Now().Add(testBound)
	for {
		state := c.inspect(t).State
		if state.Health == nil {
			t.Fatalf("container %s has no health state; is HEALTHCHECK set?", c.id)
		}
		switch state.Health.Status {
		case "healthy":
			return
		case "unhealthy":
			var probes []string
			for _, probe := range state.Health.Log {
				probes = append(probes, fmt.Sprintf("exit %d: %q", probe.ExitCode, probe.Output))
			}
			t.Fatalf("health: got unhealthy, want healthy; probes: %s", strings.Join(probes, ", "))
		}
		if time.Now().After(deadline) {
			t.Fatalf("health: got %q after %s, want healthy", state.Health.Status, testBound)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func TestRocketSizeFromEnvironment(t *testing.T) {
	_, id := rocketImage(t)
	for _, size := range []string{"Small", "Falcon Heavy <9>"} {
		t.Run(size, func(t *testing.T) {
			c := startContainer(t, id, func(cfg *container.Config, _ *container.HostConfig) {
				cfg.Env = []string{"ROCKET_SIZE=" + size}
			})
			c.waitReady(t)

			if got := c.inspect(t).Image; got != id {
				t.Errorf("image: got %s, want %s", got, id)
			}
			doc := rocketGetJSON(t, c.url()+"/")
			if doc["rocket_size"] != size {
				t.Errorf("rocket_size: got %q, want %q", doc["rocket_size"], size)
			}
			if doc["service"] != "rocket" {
				t.Errorf("service: got %q, want %q", doc["service"], "rocket")
			}
		})
	}
}

func TestRocketHardenedReadOnlyRun(t *testing.T) {
	_, id := rocketImage(t)
	c := startContainer(t, id, func(cfg *container.Config, host *container.HostConfig) {
		cfg.User = "12345:12345"
		host.ReadonlyRootfs = true
		host.CapDrop = []string{"ALL"}
		host.SecurityOpt = []string{"no-new-privileges"}
	})
	c.waitReady(t)

	info := c.inspect(t)
	if !info.HostConfig.ReadonlyRootfs || info.Config.User != "12345:12345" {
		t.Fatalf("container runs with read-only %v as %q, want read-only true as 12345:12345",
			info.HostConfig.ReadonlyRootfs, info.Config.User)
	}
	if doc := rocketGetJSON(t, c.url()+"/"); doc["rocket_size"] != "Medium" {
		t.Errorf("GET /: got rocket_size %q, want %q", doc["rocket_size"], "Medium")
	}
	if doc := rocketGetJSON(t, c.url()+"/health"); doc["status"] != "ok" {
		t.Errorf("GET /health: got status %q, want %q", doc["status"], "ok")
	}
}

func TestRocketStopIsGraceful(t *testing.T) {
	cli, id := rocketImage(t)
	c := startContainer(t, id, nil)
	c.waitReady(t)

	ctx, cancel := context.WithTimeout(context.Background(), testBound)
	defer cancel()
	start := time.Now()
	// StopOptions without a timeout applies Docker's default grace.
	if err := cli.ContainerStop(ctx, c.id, container.StopOptions{}); err != nil {
		t.Fatalf("stopping container %s: %v", c.id, err)
	}
	elapsed := time.Since(start)
	t.Logf("docker stop took %s", elapsed)

	state := c.inspect(t).State
	if state.ExitCode != 0 {
		t.Errorf("exit code: got %d, want 0; logs:\n%s", state.ExitCode, c.logs(t))
	}
	// At the grace Docker sends SIGKILL, so reaching it means SIGTERM
	// was ignored.
	if elapsed >= rocketStopGrace {
		t.Errorf("stop took %s, want well under the %s grace", elapsed, rocketStopGrace)
	}
	if logs := c.logs(t); !strings.Contains(logs, `"msg":"shutdown finished"`) {
		t.Errorf("logs: got %q, want a shutdown finished line", logs)
	}
}

func TestRocketLabelsAndHistory(t *testing.T) {
	cli, id := rocketImage(t)
	ctx := context.Background()
	img, err := cli.ImageInspect(ctx, id)
	if err != nil {
		t.Fatalf("inspecting %s: %v", id, err)
	}

	want := map[string]string{
		"org.lab.login":                     testenv.LabLogin,
		"org.lab.token":                     testenv.LabToken,
		"org.opencontainers.image.title":    "rocket",
		"org.opencontainers.image.version":  "dev",
		"org.opencontainers.image.revision": "unknown",
	}
	for key, value := range want {
		if got := img.Config.Labels[key]; got != value {
			t.Errorf("label %s: got %q, want %q", key, got, value)
		}
	}
	if got := img.Config.Labels["org.opencontainers.image.source"]; !strings.HasPrefix(got, "https://") {
		t.Errorf("label org.opencontainers.image.source: got %q, want an https URL", got)
	}

	history, err := cli.ImageHistory(ctx, id)
	if err != nil {
		t.Fatalf("reading the history of %s: %v", id, err)
	}
	if len(history) == 0 {
		t.Fatalf("image %s has no history", id)
	}
	for _, step := range history {
		if !rocketIsRunStep(step.CreatedBy) {
			continue
		}
		for _, secret := range []string{testenv.LabLogin, testenv.LabToken} {
			if strings.Contains(step.CreatedBy, secret) {
				t.Errorf("RUN step %q shows the lab value %q", step.CreatedBy, secret)
			}
		}
	}
}

func TestRocketRejectsInvalidSize(t *testing.T) {
	cli, id := rocketImage(t)
	c := startContainer(t, id, func(cfg *container.Config, _ *container.HostConfig) {
		cfg.Env = []string{"ROCKET_SIZE=" + strings.Repeat("X", 65)}
	})

	ctx, cancel := context.WithTimeout(context.Background(), testBound)
	defer cancel()
	waitC, errC := cli.ContainerWait(ctx, c.id, container.WaitConditionNotRunning)
	select {
	case result := <-waitC:
		if result.StatusCode != 2 {
			t.Errorf("exit code: got %d, want 2", result.StatusCode)
		}
	case err := <-errC:
		t.Fatalf("waiting for container %s: %v", c.id, err)
	}
	_, logs := c.output(t)
	if !strings.HasPrefix(logs, `rocket: invalid ROCKET_SIZE "XXXXXXXXXXXXXXXXXXXX…"`) || strings.Count(logs, "\n") != 1 {
		t.Errorf("logs: got %q, want one line naming ROCKET_SIZE", logs)
	}
}
