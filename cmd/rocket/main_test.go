package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// testBound only keeps a broken test from hanging. No test asserts speed.
const testBound = 15 * time.Second

const testVersion = "v0.0.0-test"

// buildRocket compiles this command into a temporary folder, with the
// version stamped the way the Dockerfile stamps it.
func buildRocket(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "rocket")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-X main.version="+testVersion, "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// lockedBuffer collects the child's stderr while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestVersionIsStamped(t *testing.T) {
	out, err := exec.Command(buildRocket(t), "version").Output()
	if err != nil {
		t.Fatalf("rocket version: %v", err)
	}
	if got, want := string(out), testVersion+"\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestInvalidStartExitsTwo(t *testing.T) {
	bin := buildRocket(t)
	tests := []struct {
		name       string
		args       []string
		env        string
		wantPrefix string
	}{
		{"size too long", nil, "ROCKET_SIZE=" + strings.Repeat("9", 65), `rocket: invalid ROCKET_SIZE "99999999999999999999…": must be at most 64 characters, got 65`},
		{"size control character", nil, "ROCKET_SIZE=Big\x07", `rocket: invalid ROCKET_SIZE "Big\a": must contain only printable characters`},
		{"size invalid UTF-8", nil, "ROCKET_SIZE=\xc3\x28", `rocket: invalid ROCKET_SIZE "\xc3(": must be valid UTF-8`},
		{"port", nil, "PORT=99999", `rocket: invalid PORT "99999": must be an integer from 1 to 65535`},
		{"shutdown timeout", nil, "SHUTDOWN_TIMEOUT=30s", `rocket: invalid SHUTDOWN_TIMEOUT "30s": must be a Go duration above 0s and at most 9s`},
		{"log level", nil, "LOG_LEVEL=trace", `rocket: invalid LOG_LEVEL "trace": must be one of`},
		{"unknown command", []string{"launch"}, "", `rocket: unknown command "launch"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			cmd := exec.Command(bin, tt.args...)
			cmd.Env = []string{tt.env}
			cmd.Stderr = &stderr
			err := cmd.Run()

			var exitErr *exec.ExitError
			if !errors.As(err, &exitErr) || exitErr.ExitCode() != 2 {
				t.Errorf("exit: got %v, want exit status 2", err)
			}
			got := stderr.String()
			if !strings.HasPrefix(got, tt.wantPrefix) {
				t.Errorf("stderr: got %q, want prefix %q", got, tt.wantPrefix)
			}
			if tt.args == nil && strings.Count(got, "\n") != 1 {
				t.Errorf("stderr: got %q, want exactly one line", got)
			}
		})
	}
}

// process is a running rocket server.
type process struct {
	cmd    *exec.Cmd
	addr   string
	stderr *lockedBuffer
	exited chan struct{}
}

// startRocket starts the binary on a free loopback port with debug logs and
// waits until it accepts connections.
func startRocket(t *testing.T, env ...string) *process {
	t.Helper()
	bin := buildRocket(t)
	port := freePort(t)
	p := &process{
		cmd:    exec.Command(bin),
		addr:   net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		stderr: &lockedBuffer{},
		exited: make(chan struct{}),
	}
	p.cmd.Env = append([]string{"PORT=" + strconv.Itoa(port), "LOG_LEVEL=debug", "ROCKET_SIZE=Big"}, env...)
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting rocket: %v", err)
	}
	go func() {
		_ = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.exited
	})
	p.waitLog(t, func(e logEntry) bool { return e["msg"] == "rocket started" })
	return p
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

type logEntry map[string]any

// waitLog waits until the child logs a JSON line for which match is true.
func (p *process) waitLog(t *testing.T, match func(logEntry) bool) logEntry {
	t.Helper()
	deadline := time.Now().Add(testBound)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(p.stderr.String(), "\n") {
			var entry logEntry
			if json.Unmarshal([]byte(line), &entry) == nil && match(entry) {
				return entry
			}
		}
		select {
		case <-p.exited:
			t.Fatalf("rocket exited before the expected log line; stderr:\n%s", p.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("rocket did not log the expected line within %s; stderr:\n%s", testBound, p.stderr.String())
	return nil
}

func logMessage(msg string) func(logEntry) bool {
	return func(e logEntry) bool { return e["msg"] == msg }
}

// waitExit waits for the child to exit and returns its exit status.
func (p *process) waitExit(t *testing.T) int {
	t.Helper()
	select {
	case <-p.exited:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(testBound):
		t.Fatalf("rocket did not exit within %s; stderr:\n%s", testBound, p.stderr.String())
		return -1
	}
}

func (p *process) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("sending %v: %v", sig, err)
	}
}

// startPendingRequest sends GET / with a one-byte body but leaves the body
// out. The handler runs at once, but the server reads the promised body
// before it writes the response, so the request stays in flight until the
// test calls finishPendingRequest.
func startPendingRequest(t *testing.T, p *process) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", p.addr, testBound)
	if err != nil {
		t.Fatalf("dialing %s: %v", p.addr, err)
	}
	t.Cleanup(func() { conn.Close() })
	request := "GET / HTTP/1.1\r\nHost: rocket\r\nContent-Length: 1\r\n\r\n"
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatalf("writing the request: %v", err)
	}
	local := conn.LocalAddr().String()
	p.waitLog(t, func(e logEntry) bool { return e["msg"] == "request" && e["remote_addr"] == local })
	return conn
}

func finishPendingRequest(t *testing.T, conn net.Conn) (*http.Response, string) {
	t.Helper()
	_ = conn.SetDeadline(time.Now().Add(testBound))
	if _, err := io.WriteString(conn, "x"); err != nil {
		t.Fatalf("sending the request body: %v", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the response body: %v", err)
	}
	return resp, string(body)
}

// waitRefused waits until connecting to addr fails with "connection
// refused", which shows that the server closed its listener.
func waitRefused(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(testBound)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		switch {
		case errors.Is(err, syscall.ECONNREFUSED):
			return
		case errors.Is(err, syscall.ECONNRESET):
			// Queued connections are reset when the listener closes.
		case err != nil:
			t.Fatalf("dialing %s: got %v, want connection refused", addr, err)
		default:
			conn.Close()
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still accepts connections after %s", addr, testBound)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSIGTERMDrainsInFlightRequest(t *testing.T) {
	p := startRocket(t)
	pending := startPendingRequest(t, p)

	p.signal(t, syscall.SIGTERM)
	p.waitLog(t, logMessage("shutdown started"))
	waitRefused(t, p.addr)

	resp, body := finishPendingRequest(t, pending)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("pending request: got status %d, want %d", resp.StatusCode, http.StatusOK)
	}
	if !strings.Contains(body, `"rocket_size":"Big"`) {
		t.Errorf("pending request: got body %q, want the rocket document", body)
	}
	if exit := p.waitExit(t); exit != 0 {
		t.Errorf("exit status: got %d, want 0; stderr:\n%s", exit, p.stderr.String())
	}
	p.waitLog(t, logMessage("shutdown finished"))
}

func TestSecondSignalExitsAtOnce(t *testing.T) {
	p := startRocket(t, "SHUTDOWN_TIMEOUT=9s")
	pending := startPendingRequest(t, p)

	p.signal(t, syscall.SIGTERM)
	p.waitLog(t, logMessage("shutdown started"))
	p.signal(t, syscall.SIGTERM)

	if exit := p.waitExit(t); exit != 128+int(syscall.SIGTERM) {
		t.Errorf("exit status: got %d, want %d (128 + SIGTERM)", exit, 128+int(syscall.SIGTERM))
	}
	p.waitLog(t, logMessage("second stop signal received, exiting before the drain finished"))
	// The pending request never got its body, so a drain that ran to its end
	// would have logged one of these lines before the exit.
	stderr := p.stderr.String()
	for _, msg := range []string{`"msg":"shutdown finished"`, `"msg":"shutdown timed out`} {
		if strings.Contains(stderr, msg) {
			t.Errorf("stderr: got %s, want the exit before the drain ended", stderr)
		}
	}
	// The process ended with the request unanswered.
	_ = pending.SetDeadline(time.Now().Add(testBound))
	if n, err := pending.Read(make([]byte, 1)); err == nil {
		t.Errorf("pending request: got %d response bytes, want the connection closed without a response", n)
	}
}

func TestShutdownTimeoutExitsOne(t *testing.T) {
	p := startRocket(t, "SHUTDOWN_TIMEOUT=300ms")
	startPendingRequest(t, p)

	p.signal(t, syscall.SIGINT)
	if exit := p.waitExit(t); exit != 1 {
		t.Errorf("exit status: got %d, want 1", exit)
	}
	p.waitLog(t, logMessage("shutdown timed out, closed the remaining connections"))
}
