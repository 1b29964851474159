package rocket

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runCommand runs the rocket command with args and env and returns the exit
// status and what it wrote.
func runCommand(args []string, env map[string]string) (status int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	cmd := Command{Args: args, Getenv: envMap(env), Stdout: &out, Stderr: &errOut, Version: "v9.9.9"}
	status = cmd.Run()
	return status, out.String(), errOut.String()
}

// healthServer returns an httptest server whose /health returns status.
func healthServer(t *testing.T, status int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/health" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// closedAddr returns a loopback address on which nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listening: %v", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestHealthcheckStatus(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		wantExit   int
		wantStderr string
	}{
		{"200", http.StatusOK, 0, ""},
		{"204", http.StatusNoContent, 0, ""},
		{"503", http.StatusServiceUnavailable, 1, "unhealthy status 503 Service Unavailable"},
		{"500", http.StatusInternalServerError, 1, "unhealthy status 500"},
		{"301 not followed", http.StatusMovedPermanently, 1, "unhealthy status 301"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := healthServer(t, tt.status).URL + "/health"
			exit, _, stderr := runCommand([]string{"healthcheck", target}, nil)

			if exit != tt.wantExit {
				t.Errorf("exit status: got %d, want %d (stderr %q)", exit, tt.wantExit, stderr)
			}
			if tt.wantStderr == "" && stderr != "" {
				t.Errorf("stderr: got %q, want nothing", stderr)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr: got %q, want it to contain %q", stderr, tt.wantStderr)
			}
			if strings.Count(stderr, "\n") > 1 {
				t.Errorf("stderr: got %q, want at most one line", stderr)
			}
		})
	}
}

func TestHealthcheckDefaultURLUsesPort(t *testing.T) {
	u, err := url.Parse(healthServer(t, http.StatusOK).URL)
	if err != nil {
		t.Fatalf("parsing the test server URL: %v", err)
	}
	exit, _, stderr := runCommand([]string{"healthcheck"}, map[string]string{EnvPort: u.Port()})
	if exit != 0 {
		t.Errorf("exit status: got %d, want 0 (stderr %q)", exit, stderr)
	}
}

func TestHealthcheckFailures(t *testing.T) {
	refused := closedAddr(t)
	_, refusedPort, _ := net.SplitHostPort(refused)
	tests := []struct {
		name       string
		args       []string
		env        map[string]string
		wantStderr string
	}{
		{"connection refused", []string{"healthcheck", "http://" + refused + "/health"}, nil, "connection refused"},
		{"default URL refused", []string{"healthcheck"}, map[string]string{EnvPort: refusedPort}, "connection refused"},
		{"invalid PORT", []string{"healthcheck"}, map[string]string{EnvPort: "eighty"}, `invalid PORT "eighty"`},
		{"https URL", []string{"healthcheck", "https://127.0.0.1/health"}, nil, "must start with http://"},
		{"URL without host", []string{"healthcheck", "http:///health"}, nil, "name a host"},
		{"unparsable URL", []string{"healthcheck", "http://[::1/health"}, nil, "parsing health URL"},
		{"two URLs", []string{"healthcheck", "http://a/", "http://b/"}, nil, "at most one URL, got 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exit, _, stderr := runCommand(tt.args, tt.env)
			// The status is never 2 because Docker reserves it for
			// HEALTHCHECK commands.
			if exit != 1 {
				t.Errorf("exit status: got %d, want 1", exit)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr: got %q, want it to contain %q", stderr, tt.wantStderr)
			}
			if !strings.HasPrefix(stderr, "rocket healthcheck: ") || strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr: got %q, want one line starting with %q", stderr, "rocket healthcheck: ")
			}
		})
	}
}

func TestHealthcheckTimesOut(t *testing.T) {
	// The listener accepts connections but never replies, so the probe
	// must time out.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listening: %v", err)
	}
	t.Cleanup(func() { ln.Close() })

	exit, _, stderr := runCommand([]string{"healthcheck", "http://" + ln.Addr().String() + "/health"}, nil)
	if exit != 1 {
		t.Errorf("exit status: got %d, want 1", exit)
	}
	if !strings.Contains(stderr, "timeout") {
		t.Errorf("stderr: got %q, want it to mention the timeout", stderr)
	}
}

func TestCommandVersionAndUsage(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantExit   int
		wantStdout string
		wantStderr string
	}{
		{"version", []string{"version"}, 0, "v9.9.9\n", ""},
		{"help", []string{"help"}, 0, Usage + "\n", ""},
		{"unknown", []string{"launch"}, 2, "", "rocket: unknown command \"launch\"\n" + Usage + "\n"},
		{"flag", []string{"-port=1"}, 2, "", "rocket: unknown command \"-port=1\"\n" + Usage + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exit, stdout, stderr := runCommand(tt.args, nil)
			if exit != tt.wantExit {
				t.Errorf("exit status: got %d, want %d", exit, tt.wantExit)
			}
			if stdout != tt.wantStdout {
				t.Errorf("stdout: got %q, want %q", stdout, tt.wantStdout)
			}
			if stderr != tt.wantStderr {
				t.Errorf("stderr: got %q, want %q", stderr, tt.wantStderr)
			}
		})
	}
}

func TestCommandInvalidConfig(t *testing.T) {
	long := strings.Repeat("L", 70)
	exit, stdout, stderr := runCommand(nil, map[string]string{EnvRocketSize: long})

	if exit != ExitUsage {
		t.Errorf("exit status: got %d, want %d", exit, ExitUsage)
	}
	want := `rocket: invalid ROCKET_SIZE "` + long[:20] + "…\": must be at most 64 characters, got 70\n"
	if stderr != want {
		t.Errorf("stderr: got %q, want %q", stderr, want)
	}
	if stdout != "" {
		t.Errorf("stdout: got %q, want nothing", stdout)
	}
}

func TestCommandListenFailure(t *testing.T) {
	var stderr lockedBuffer
	cmd := Command{
		Getenv: envMap(nil), Stdout: &stderr, Stderr: &stderr,
		Listen: func(string, string) (net.Listener, error) { return nil, syscall.EADDRINUSE },
	}
	if exit := cmd.Run(); exit != ExitFailure {
		t.Errorf("exit status: got %d, want %d", exit, ExitFailure)
	}
	if !strings.Contains(stderr.String(), `"msg":"listening failed"`) {
		t.Errorf("stderr: got %q, want a listening failed log line", stderr.String())
	}
}

func TestCommandStopsOnSignal(t *testing.T) {
	run := startCommand(t, nil)
	run.signals <- syscall.SIGTERM

	if exit := run.wait(t); exit != 0 {
		t.Errorf("exit status: got %d, want 0", exit)
	}
	for _, msg := range []string{"stop signal received, shutting down", "shutdown started", "shutdown finished"} {
		if _, ok := findLog(t, run.stderr.String(), msg); !ok {
			t.Errorf("log: got %q, want a %q line", run.stderr.String(), msg)
		}
	}
}

func TestCommandSecondSignalExitsAtOnce(t *testing.T) {
	run := startCommand(t, map[string]string{EnvShutdownTimeout: "9s"})
	// A connection with half-sent headers keeps the drain waiting.
	partial := dialPartial(t, run.addr, "/health")
	proveAccepted(t, run.addr)

	run.signals <- syscall.SIGTERM
	waitRefused(t, run.addr)
	run.signals <- os.Interrupt

	if exit := run.wait(t); exit != 130 {
		t.Errorf("exit status: got %d, want 130 (128 + SIGINT)", exit)
	}
	logs := run.stderr.String()
	if _, ok := findLog(t, logs, "second stop signal received, exiting before the drain finished"); !ok {
		t.Errorf("log: got %q, want a second-signal line", logs)
	}
	// The partial request is still open, so the drain cannot have ended.
	if _, ok := findLog(t, logs, "shutdown finished"); ok {
		t.Errorf("log: got %q, want Run to return before the drain finished", logs)
	}
	partial.Close()
}

// commandRun is a rocket Command serving on a loopback listener.
type commandRun struct {
	addr    string
	signals chan os.Signal
	stderr  *lockedBuffer
	exit    chan int
}

func startCommand(t *testing.T, env map[string]string) *commandRun {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listening: %v", err)
	}
	run := &commandRun{
		addr:    ln.Addr().String(),
		signals: make(chan os.Signal, 2),
		stderr:  &lockedBuffer{},
		exit:    make(chan int, 1),
	}
	cmd := Command{
		Getenv: envMap(env), Stdout: run.stderr, Stderr: run.stderr, Signals: run.signals,
		Listen:  func(string, string) (net.Listener, error) { return ln, nil },
		Version: "test",
	}
	go func() { run.exit <- cmd.Run() }()
	return run
}

func (r *commandRun) wait(t *testing.T) int {
	t.Helper()
	select {
	case exit := <-r.exit:
		return exit
	case <-time.After(testBound):
		t.Fatalf("the command did not return within %s; log:\n%s", testBound, r.stderr.String())
		return -1
	}
}
