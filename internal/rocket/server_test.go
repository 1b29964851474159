package rocket

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// slowServer is a Server running on a loopback listener, with an extra
// /slow route whose handler blocks until release is called.
type slowServer struct {
	*Server
	addr    string
	logs    *lockedBuffer
	entered chan struct{}
	release func()
	stop    context.CancelFunc
	done    chan error
}

func startSlowServer(t *testing.T, cfg Config) *slowServer {
	t.Helper()
	logs := &lockedBuffer{}
	s := &slowServer{
		Server:  NewServer(cfg, "test", slog.New(slog.NewJSONHandler(logs, nil))),
		logs:    logs,
		entered: make(chan struct{}, 1),
		done:    make(chan error, 1),
	}
	unblock := make(chan struct{})
	var once sync.Once
	s.release = func() { once.Do(func() { close(unblock) }) }
	t.Cleanup(s.release)
	s.routes["/slow"] = func(w http.ResponseWriter, r *http.Request) {
		s.entered <- struct{}{}
		<-unblock
		s.handleRoot(w, r)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listening: %v", err)
	}
	s.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	t.Cleanup(cancel)
	go func() { s.done <- s.Run(ctx, ln) }()
	return s
}

// slowResult is the outcome of a GET /slow.
type slowResult struct {
	status int
	body   string
	err    error
}

// getSlow starts GET /slow and waits until its handler runs.
func (s *slowServer) getSlow(t *testing.T) <-chan slowResult {
	t.Helper()
	result := make(chan slowResult, 1)
	go func() {
		client := &http.Client{Timeout: testBound, Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := client.Get("http://" + s.addr + "/slow")
		if err != nil {
			result <- slowResult{err: err}
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		result <- slowResult{status: resp.StatusCode, body: string(body), err: err}
	}()
	select {
	case <-s.entered:
	case <-time.After(testBound):
		t.Fatalf("the /slow handler did not start within %s", testBound)
	}
	return result
}

func (s *slowServer) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-s.done:
		return err
	case <-time.After(testBound):
		t.Fatalf("Run did not return within %s; log:\n%s", testBound, s.logs.String())
		return nil
	}
}

func TestServerShutdownDrainsInFlight(t *testing.T) {
	s := startSlowServer(t, defaultConfig(t))
	slow := s.getSlow(t)

	s.stop()
	waitRefused(t, s.addr)

	// http.Server drops requests whose headers arrive after Shutdown has
	// begun, so the drain state of /health is checked on the handler.
	resp := serve(s.Handler(), http.MethodGet, "/health")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/health during the drain: got status %d, want %d", resp.StatusCode, http.StatusServiceUnavailable)
	}
	if want := "{\"status\":\"shutting down\"}\n"; string(body) != want {
		t.Errorf("/health during the drain: got body %q, want %q", body, want)
	}
	select {
	case err := <-s.done:
		t.Fatalf("Run returned %v while /slow was in flight, want it to wait", err)
	default:
	}

	s.release()
	result := <-slow
	if result.err != nil || result.status != http.StatusOK {
		t.Errorf("in-flight GET /slow: got status %d and error %v, want 200 and no error", result.status, result.err)
	}
	if !strings.Contains(result.body, `"rocket_size":"Medium"`) {
		t.Errorf("in-flight GET /slow: got body %q, want the rocket document", result.body)
	}
	if err := s.wait(t); err != nil {
		t.Errorf("Run: got %v, want nil", err)
	}
	checkLogNumber(t, s.logs.String(), "shutdown started", "in_flight", 1)
	// drained counts /slow and the /health request above, which both
	// finished after the stop.
	checkLogNumber(t, s.logs.String(), "shutdown finished", "drained", 2)
}

func TestServerShutdownTimeout(t *testing.T) {
	cfg := defaultConfig(t)
	cfg.ShutdownTimeout = 100 * time.Millisecond
	s := startSlowServer(t, cfg)
	slow := s.getSlow(t)

	s.stop()
	err := s.wait(t)
	if !errors.Is(err, ErrShutdownTimeout) {
		t.Errorf("Run: got %v, want ErrShutdownTimeout", err)
	}
	if result := <-slow; result.err == nil {
		t.Errorf("GET /slow cut off by the timeout: got status %d, want a connection error", result.status)
	}
	checkLogNumber(t, s.logs.String(), "shutdown timed out, closed the remaining connections", "cut_off", 1)
}

func TestServerRunServeError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listening: %v", err)
	}
	ln.Close()

	s := newTestServer(t, defaultConfig(t))
	err = s.Run(context.Background(), ln)
	if err == nil || errors.Is(err, ErrShutdownTimeout) {
		t.Errorf("Run on a closed listener: got %v, want a serving error", err)
	}
}

// checkLogNumber checks that the log line msg has the number want at key.
func checkLogNumber(t *testing.T, logs, msg, key string, want float64) {
	t.Helper()
	entry, ok := findLog(t, logs, msg)
	if !ok {
		t.Errorf("log: got %q, want a %q line", logs, msg)
		return
	}
	if got, ok := entry[key].(float64); !ok || got != want {
		t.Errorf("log %q: got %s=%v, want %v", msg, key, entry[key], want)
	}
}
