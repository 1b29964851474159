package image_test

// Tests of examples/flask: the rocket service as a Flask app under
// gunicorn on a scratch image. Each test builds the image (cached after
// the first build) and runs real containers on the local Docker daemon.

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"

	"github.com/imagelab/imagelab/internal/testenv"
)

// flaskMaxImageBytes is the size budget of the image, in decimal bytes.
const flaskMaxImageBytes = 45_000_000

func TestFlaskImageSize(t *testing.T) {
	id := flaskImage(t)
	info, err := testenv.Docker(t).ImageInspect(context.Background(), id)
	if err != nil {
		t.Fatalf("inspecting %s: %v", id, err)
	}
	t.Logf("image size: %d bytes (%.1f MB)", info.Size, float64(info.Size)/1e6)
	if info.Size > flaskMaxImageBytes {
		t.Errorf("image size = %d bytes, want at most %d", info.Size, flaskMaxImageBytes)
	}
}

func TestFlaskImageConfig(t *testing.T) {
	id := flaskImage(t)
	info, err := testenv.Docker(t).ImageInspect(context.Background(), id)
	if err != nil {
		t.Fatalf("inspecting %s: %v", id, err)
	}
	config := info.Config
	if config == nil {
		t.Fatalf("image %s has no config", id)
	}

	if config.User != "10001:10001" {
		t.Errorf("User = %q, want 10001:10001", config.User)
	}
	if _, ok := config.ExposedPorts["8080/tcp"]; !ok {
		t.Errorf("ExposedPorts = %v, want 8080/tcp among them", config.ExposedPorts)
	}
	if config.StopSignal != "SIGTERM" {
		t.Errorf("StopSignal = %q, want SIGTERM", config.StopSignal)
	}
	wantEntrypoint := []string{"/usr/bin/python3", "-m", "gunicorn", "--config", "/app/gunicorn.conf.py"}
	if strings.Join(config.Entrypoint, "\x00") != strings.Join(wantEntrypoint, "\x00") {
		t.Errorf("Entrypoint = %q, want the exec form %q", config.Entrypoint, wantEntrypoint)
	}
	if !slices.Contains(config.Env, "ROCKET_SIZE=Medium") {
		t.Errorf("Env = %q, want ROCKET_SIZE=Medium among them", config.Env)
	}
	if config.Healthcheck == nil || len(config.Healthcheck.Test) == 0 {
		t.Fatalf("image has no HEALTHCHECK")
	}
	if test := config.Healthcheck.Test; test[0] != "CMD" {
		t.Errorf("HEALTHCHECK = %q, want the exec form (CMD), because the image has no shell", test)
	}
}

func TestFlaskImageHasNoShellOrTools(t *testing.T) {
	id := flaskImage(t)
	c := createContainer(t, id, nil)
	ctx := context.Background()

	// The files the service runs from must be found, or a broken
	// CopyFromContainer would make every check below pass.
	for _, path := range []string{
		"/usr/bin/python3.11",
		"/app/gunicorn.conf.py",
		"/app/__pycache__/rocket.cpython-311.pyc",
		"/usr/lib/python3/dist-packages/gunicorn/__pycache__/arbiter.cpython-311.pyc",
	} {
		stream, _, err := c.cli.CopyFromContainer(ctx, c.id, path)
		if err != nil {
			t.Errorf("%s: %v, want it in the image", path, err)
			continue
		}
		stream.Close()
	}

	for _, path := range []string{
		"/bin/sh", "/bin/bash", "/bin/dash", "/usr/bin/sh", "/bin/busybox",
		"/usr/bin/curl", "/usr/bin/wget",
		"/usr/bin/apt", "/usr/bin/apt-get", "/usr/bin/dpkg", "/var/lib/dpkg", "/etc/apt",
		"/usr/bin/gcc", "/usr/bin/cc", "/usr/bin/pip3",
		"/usr/lib/python3.11/test", "/usr/lib/python3.11/ensurepip",
		"/usr/lib/python3.11/idlelib", "/usr/lib/python3.11/tkinter",
		"/tmp",
	} {
		stream, _, err := c.cli.CopyFromContainer(ctx, c.id, path)
		if err == nil {
			stream.Close()
			t.Errorf("%s is in the image, want it left out", path)
			continue
		}
		if !cerrdefs.IsNotFound(err) {
			t.Errorf("%s: %v, want a not-found error", path, err)
		}
	}
}

func TestFlaskLabelsAndHistory(t *testing.T) {
	id := flaskImage(t)
	cli := testenv.Docker(t)
	ctx := context.Background()
	info, err := cli.ImageInspect(ctx, id)
	if err != nil {
		t.Fatalf("inspecting %s: %v", id, err)
	}

	wantLabels := map[string]string{
		"org.lab.login":                     testenv.LabLogin,
		"org.lab.token":                     testenv.LabToken,
		"org.opencontainers.image.title":    "rocket-flask",
		"org.opencontainers.image.source":   "https://github.com/imagelab/imagelab",
		"org.opencontainers.image.version":  flaskVersion,
		"org.opencontainers.image.revision": flaskRevision,
	}
	for key, want := range wantLabels {
		if got := info.Config.Labels[key]; got != want {
			t.Errorf("label %s = %q, want %q", key, got, want)
		}
	}

	history, err := cli.ImageHistory(ctx, id)
	if err != nil {
		t.Fatalf("reading the history of %s: %v", id, err)
	}
	for _, layer := range history {
		line := layer.CreatedBy
		if !strings.Contains(line, testenv.LabLogin) && !strings.Contains(line, testenv.LabToken) {
			continue
		}
		// Classic-builder history marks every step but RUN with #(nop).
		if !strings.Contains(line, "#(nop)") || !strings.Contains(line, "LABEL") {
			t.Errorf("history line outside a LABEL step contains a lab value: %s", line)
		}
	}
}

func TestFlaskLabArgsFinalStageOnly(t *testing.T) {
	path := filepath.Join(testenv.RepoRoot(t), "examples/flask/Dockerfile")
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the Dockerfile: %v", err)
	}

	// A RUN step's history line shows every ARG declared before it in its
	// stage, and intermediate build-stage images keep that history. So the
	// lab ARGs belong in the final stage, after its last RUN. They have no
	// default, so that an image built without them has visibly empty labels.
	lastFrom, lastRun := -1, -1
	argLines := map[string][]int{}
	argDefaults := map[string]bool{}
	for number, line := range strings.Split(string(text), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		switch strings.ToUpper(fields[0]) {
		case "FROM":
			lastFrom = number
		case "RUN":
			lastRun = number
		case "ARG":
			if len(fields) > 1 {
				name, _, hasDefault := strings.Cut(fields[1], "=")
				argLines[name] = append(argLines[name], number)
				argDefaults[name] = argDefaults[name] || hasDefault
			}
		}
	}
	for _, name := range []string{"LAB_LOGIN", "LAB_TOKEN"} {
		lines := argLines[name]
		if len(lines) != 1 {
			t.Errorf("ARG %s is declared %d times, want once", name, len(lines))
			continue
		}
		if argDefaults[name] {
			t.Errorf("ARG %s has a default value, want none", name)
		}
		if lines[0] < lastFrom || lines[0] < lastRun {
			t.Errorf("ARG %s is on line %d, want it after the last FROM (line %d) and the last RUN (line %d)",
				name, lines[0]+1, lastFrom+1, lastRun+1)
		}
	}
}

func TestFlaskLabelsEmptyWithoutLabArgs(t *testing.T) {
	id := testenv.BuildImage(t, testenv.Build{
		Context: filepath.Join(testenv.RepoRoot(t), "examples/flask"),
		Tag:     "imagelab-test/rocket-flask:no-lab-args",
		Args:    map[string]string{"LAB_LOGIN": "", "LAB_TOKEN": ""},
	})
	info, err := testenv.Docker(t).ImageInspect(context.Background(), id)
	if err != nil {
		t.Fatalf("inspecting %s: %v", id, err)
	}
	for _, key := range []string{"org.lab.login", "org.lab.token"} {
		value, ok := info.Config.Labels[key]
		if !ok {
			t.Errorf("label %s is missing, want it present and empty", key)
		}
		if value != "" {
			t.Errorf("label %s = %q, want empty", key, value)
		}
	}
}

func TestFlaskRoutes(t *testing.T) {
	t.Parallel()
	c := startContainer(t, flaskImage(t), nil)
	c.waitReady(t)
	base := "http://" + c.addr

	cases := []struct {
		method, path string
		status       int
		body         string // exact JSON body; empty means only check it is JSON
		allow        string // expected Allow header, for 405
	}{
		{"GET", "/", 200, `{"service":"rocket-flask","rocket_size":"Medium"}`, ""},
		{"GET", "/health", 200, `{"status":"ok"}`, ""},
		{"HEAD", "/", 200, "", ""},
		{"HEAD", "/health", 200, "", ""},
		{"POST", "/", 405, "", "GET"},
		{"PUT", "/health", 405, "", "GET"},
		{"DELETE", "/", 405, "", "GET"},
		{"OPTIONS", "/health", 405, "", "GET"},
		{"GET", "/missing", 404, "", ""},
		{"POST", "/missing", 404, "", ""},
		// The test-only route is off unless ROCKET_TEST_SLOW=1.
		{"GET", "/slow?seconds=0", 404, "", ""},
	}
	for _, tc := range cases {
		resp, err := flaskRequest(tc.method, base+tc.path, 5*time.Second)
		if err != nil {
			t.Errorf("%s %s: %v", tc.method, tc.path, err)
			continue
		}
		if resp.status != tc.status {
			t.Errorf("%s %s: status = %d, want %d (body %q)", tc.method, tc.path, resp.status, tc.status, resp.body)
		}
		if tc.method == "HEAD" {
			if resp.body != "" {
				t.Errorf("HEAD %s: body = %q, want none", tc.path, resp.body)
			}
			continue
		}
		if got := resp.header.Get("Content-Type"); !strings.HasPrefix(got, "application/json") {
			t.Errorf("%s %s: Content-Type = %q, want application/json", tc.method, tc.path, got)
		}
		if got := resp.header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s %s: X-Content-Type-Options = %q, want nosniff", tc.method, tc.path, got)
		}
		if tc.body != "" && !flaskJSONEqual(resp.body, tc.body) {
			t.Errorf("%s %s: body = %s, want %s", tc.method, tc.path, resp.body, tc.body)
		}
		if !json.Valid([]byte(resp.body)) {
			t.Errorf("%s %s: body is not JSON: %q", tc.method, tc.path, resp.body)
		}
		if tc.allow != "" && !strings.Contains(resp.header.Get("Allow"), tc.allow) {
			t.Errorf("%s %s: Allow = %q, want it to list %s", tc.method, tc.path, resp.header.Get("Allow"), tc.allow)
		}
	}

	stdout, stderr := c.output(t)
	if stdout != "" {
		t.Errorf("stdout = %q, want nothing: logs go to stderr", stdout)
	}
	lines := flaskLines(stderr)
	sawStart, sawAccess := false, false
	for _, line := range lines {
		var record map[string]any
		if err := json.Unmarshal([]byte(line), &record); err != nil {
			t.Errorf("stderr line is not JSON: %s", line)
			continue
		}
		for _, key := range []string{"time", "level", "message"} {
			if _, ok := record[key]; !ok {
				t.Errorf("log line has no %q field: %s", key, line)
			}
		}
		if record["logger"] == "gunicorn.access" && !sawAccess {
			sawAccess = true
			t.Errorf("access log line at the default log level: %s", line)
		}
		if record["message"] == "rocket-flask started" {
			sawStart = true
			if record["rocket_size"] != "Medium" || record["address"] != "0.0.0.0:8080" {
				t.Errorf("start line = %s, want rocket_size Medium and address 0.0.0.0:8080", line)
			}
		}
	}
	if !sawStart {
		t.Errorf("no \"rocket-flask started\" line on stderr:\n%s", stderr)
	}
}

func TestFlaskHealthTurnsHealthy(t *testing.T) {
	t.Parallel()
	c := startContainer(t, flaskImage(t), nil)

	// The first probe runs one interval (10 s) after the start.
	deadline := time.Now().Add(40 * time.Second)
	for {
		info := c.inspect(t)
		if !info.State.Running {
			t.Fatalf("container exited with status %d\n%s", info.State.ExitCode, c.logs(t))
		}
		health := info.State.Health
		if health == nil {
			t.Fatalf("container has no health state: the image has no HEALTHCHECK")
		}
		if health.Status == container.Healthy {
			return
		}
		if health.Status == container.Unhealthy || time.Now().After(deadline) {
			var probes []string
			for _, result := range health.Log {
				probes = append(probes, strings.TrimSpace(result.Output))
			}
			t.Fatalf("health = %s after %d failed probes, want healthy (probe output: %q)\n%s",
				health.Status, health.FailingStreak, probes, c.logs(t))
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func TestFlaskRocketSizeFromEnv(t *testing.T) {
	t.Parallel()
	id := flaskImage(t)

	cases := []struct {
		name, env, want string
	}{
		{"small", "ROCKET_SIZE=Small", "Small"},
		{"markup and quotes", `ROCKET_SIZE=<b>"Heavy" & 'Tall'</b>`, `<b>"Heavy" & 'Tall'</b>`},
		{"non-ASCII", "ROCKET_SIZE=Сатурн-5 🚀", "Сатурн-5 🚀"},
		{"64 characters", "ROCKET_SIZE=" + strings.Repeat("x", 64), strings.Repeat("x", 64)},
		{"empty means Medium", "ROCKET_SIZE=", "Medium"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := startContainer(t, id, func(config *container.Config, _ *container.HostConfig) {
				config.Env = []string{tc.env}
			})
			c.waitReady(t)
			if got := c.inspect(t).Image; got != id {
				t.Errorf("container runs image %s, want %s", got, id)
			}

			resp, err := flaskRequest("GET", "http://"+c.addr+"/", 5*time.Second)
			if err != nil {
				t.Fatalf("GET /: %v", err)
			}
			var body struct {
				Service    string `json:"service"`
				RocketSize string `json:"rocket_size"`
			}
			if err := json.Unmarshal([]byte(resp.body), &body); err != nil {
				t.Fatalf("GET /: body is not JSON (%v): %q", err, resp.body)
			}
			if body.RocketSize != tc.want {
				t.Errorf("rocket_size = %q, want %q", body.RocketSize, tc.want)
			}
			if body.Service != "rocket-flask" {
				t.Errorf("service = %q, want rocket-flask", body.Service)
			}
			// Markup is escaped inside JSON strings, never echoed raw.
			if strings.Contains(resp.body, "<b>") {
				t.Errorf("body contains raw markup: %s", resp.body)
			}
		})
	}
}

func TestFlaskInvalidSettingsExit2(t *testing.T) {
	t.Parallel()
	id := flaskImage(t)

	cases := []struct {
		name, env, variable, rule string
	}{
		{"size too long", "ROCKET_SIZE=" + strings.Repeat("y", 65), "ROCKET_SIZE", "at most 64 characters"},
		{"size with escape", "ROCKET_SIZE=big\x1b[31mred", "ROCKET_SIZE", "printable"},
		{"size with newline", "ROCKET_SIZE=two\nlines", "ROCKET_SIZE", "printable"},
		{"port not a number", "PORT=http", "PORT", "from 1 to 65535"},
		{"port out of range", "PORT=70000", "PORT", "from 1 to 65535"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := startContainer(t, id, func(config *container.Config, _ *container.HostConfig) {
				config.Env = []string{tc.env}
			})
			if status := c.wait(t, 30*time.Second); status != 2 {
				t.Errorf("exit status = %d, want 2\n%s", status, c.logs(t))
			}

			stdout, stderr := c.output(t)
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			lines := flaskLines(stderr)
			if len(lines) != 1 {
				t.Fatalf("stderr has %d lines, want 1:\n%s", len(lines), stderr)
			}
			var record struct {
				Level    string `json:"level"`
				Message  string `json:"message"`
				Variable string `json:"variable"`
				Rule     string `json:"rule"`
				Value    string `json:"value"`
			}
			if err := json.Unmarshal([]byte(lines[0]), &record); err != nil {
				t.Fatalf("stderr line is not JSON (%v): %s", err, lines[0])
			}
			if record.Level != "ERROR" {
				t.Errorf("level = %q, want ERROR", record.Level)
			}
			if record.Variable != tc.variable || !strings.Contains(record.Message, tc.variable) {
				t.Errorf("line = %s, want it to name %s", lines[0], tc.variable)
			}
			if !strings.Contains(record.Rule, tc.rule) || !strings.Contains(record.Message, tc.rule) {
				t.Errorf("line = %s, want the rule %q", lines[0], tc.rule)
			}
			// The value is repr-quoted: control characters appear escaped.
			if !strings.HasPrefix(record.Value, "'") || strings.ContainsAny(record.Value, "\x1b\n") {
				t.Errorf("value = %q, want it quoted with control characters escaped", record.Value)
			}
			if len(record.Value) > 80 {
				t.Errorf("value = %q (%d bytes), want it shortened", record.Value, len(record.Value))
			}
		})
	}
}

func TestFlaskReadOnlyHardened(t *testing.T) {
	t.Parallel()
	id := flaskImage(t)

	// No tmpfs is mounted: the image must write nowhere but /dev/shm,
	// which Docker mounts in every container. The second case sets a user
	// that the image has never seen and that has no /etc/passwd entry.
	for _, user := range []string{"", "12345:12345"} {
		name := "image user"
		if user != "" {
			name = "user " + user
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := startContainer(t, id, func(config *container.Config, host *container.HostConfig) {
				config.User = user
				host.ReadonlyRootfs = true
				host.CapDrop = []string{"ALL"}
				host.SecurityOpt = []string{"no-new-privileges"}
			})
			c.waitReady(t)
			for _, path := range []string{"/", "/health"} {
				resp, err := flaskRequest("GET", "http://"+c.addr+path, 5*time.Second)
				if err != nil {
					t.Errorf("GET %s: %v", path, err)
					continue
				}
				if resp.status != http.StatusOK {
					t.Errorf("GET %s: status = %d, want 200 (body %q)", path, resp.status, resp.body)
				}
			}

			// A worker that crashes after it has served its first requests
			// shows only later, so look again after 3 s.
			time.Sleep(3 * time.Second)
			info := c.inspect(t)
			if !info.State.Running {
				t.Fatalf("container exited with status %d\n%s", info.State.ExitCode, c.logs(t))
			}
			resp, err := flaskRequest("GET", "http://"+c.addr+"/health", 5*time.Second)
			if err != nil {
				t.Errorf("GET /health 3 s later: %v", err)
			} else if resp.status != http.StatusOK {
				t.Errorf("GET /health 3 s later: status = %d, want 200", resp.status)
			}
			_, stderr := c.output(t)
			for _, line := range flaskLines(stderr) {
				if strings.Contains(line, `"level": "ERROR"`) || strings.Contains(line, `"level": "CRITICAL"`) {
					t.Errorf("error logged: %s", line)
				}
			}
			// gunicorn.conf.py starts 2 workers, so more boots mean restarts.
			if boots := strings.Count(stderr, "Booting worker"); boots != 2 {
				t.Errorf("%d workers booted, want 2:\n%s", boots, stderr)
			}
		})
	}
}

func TestFlaskStopDrainsInFlightRequest(t *testing.T) {
	t.Parallel()
	// One worker with one thread: /slow occupies the only thread, so the
	// /health request sent after it waits in the worker's queue and is
	// handled after SIGTERM, during the drain.
	c := startContainer(t, flaskImage(t), func(config *container.Config, _ *container.HostConfig) {
		config.Env = []string{"ROCKET_TEST_SLOW=1", "GUNICORN_CMD_ARGS=--workers 1 --threads 1"}
	})
	c.waitReady(t)
	base := "http://" + c.addr

	const slowSeconds = 3
	var wg sync.WaitGroup
	var slow, health flaskResponse
	var slowErr, healthErr error
	wg.Add(2)
	go func() {
		defer wg.Done()
		slow, slowErr = flaskRequest("GET", base+"/slow?seconds=3", 20*time.Second)
	}()
	time.Sleep(500 * time.Millisecond)
	go func() {
		defer wg.Done()
		health, healthErr = flaskRequest("GET", base+"/health", 20*time.Second)
	}()
	time.Sleep(300 * time.Millisecond)

	grace := 10
	start := time.Now()
	if err := c.cli.ContainerStop(context.Background(), c.id, container.StopOptions{Timeout: &grace}); err != nil {
		t.Fatalf("stopping container %s: %v", c.id, err)
	}
	stopTime := time.Since(start)
	wg.Wait()
	t.Logf("docker stop took %v with a %d s request in flight", stopTime.Round(10*time.Millisecond), slowSeconds)

	if slowErr != nil {
		t.Errorf("GET /slow: %v, want it to finish during the drain\n%s", slowErr, c.logs(t))
	} else {
		if slow.status != http.StatusOK {
			t.Errorf("GET /slow: status = %d, want 200 (body %q)", slow.status, slow.body)
		}
		if !flaskJSONEqual(slow.body, `{"slept_seconds":3.0,"shutting_down":true}`) {
			t.Errorf("GET /slow: body = %s, want the full sleep and shutting_down true", slow.body)
		}
	}
	if healthErr != nil {
		t.Errorf("GET /health during the drain: %v", healthErr)
	} else {
		if health.status != http.StatusServiceUnavailable {
			t.Errorf("GET /health during the drain: status = %d, want 503 (body %q)", health.status, health.body)
		}
		if !flaskJSONEqual(health.body, `{"status":"shutting down"}`) {
			t.Errorf("GET /health during the drain: body = %s, want {\"status\":\"shutting down\"}", health.body)
		}
	}

	info := c.inspect(t)
	if info.State.ExitCode != 0 {
		t.Errorf("exit status = %d, want 0 (137 means Docker had to kill it)\n%s", info.State.ExitCode, c.logs(t))
	}
	// gunicorn's graceful_timeout is 8 s, so anything near Docker's 10 s
	// means the drain did not end with the request.
	if stopTime > 7*time.Second {
		t.Errorf("docker stop took %v, want well under the %d s grace", stopTime, grace)
	}
	_, stderr := c.output(t)
	if !strings.Contains(stderr, `"message": "rocket-flask stopped"`) {
		t.Errorf("no \"rocket-flask stopped\" line on stderr:\n%s", stderr)
	}
}

func TestFlaskStopIdleExits0(t *testing.T) {
	t.Parallel()
	c := startContainer(t, flaskImage(t), nil)
	c.waitReady(t)

	grace := 10
	start := time.Now()
	if err := c.cli.ContainerStop(context.Background(), c.id, container.StopOptions{Timeout: &grace}); err != nil {
		t.Fatalf("stopping container %s: %v", c.id, err)
	}
	stopTime := time.Since(start)
	t.Logf("docker stop took %v", stopTime.Round(10*time.Millisecond))

	if code := c.inspect(t).State.ExitCode; code != 0 {
		t.Errorf("exit status = %d, want 0\n%s", code, c.logs(t))
	}
	if stopTime > 4*time.Second {
		t.Errorf("docker stop took %v, want under 4 s for an idle server", stopTime)
	}
}

// flaskJSONEqual reports whether a and b are JSON texts of equal value.
func flaskJSONEqual(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	xs, _ := json.Marshal(x)
	ys, _ := json.Marshal(y)
	return string(xs) == string(ys)
}
