package rocket

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// testBound only keeps a broken test from hanging. No test asserts speed.
const testBound = 10 * time.Second

// lockedBuffer is a bytes.Buffer that the server's goroutines and the test
// can use at the same time.
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

// findLog returns the first JSON log line in logs whose msg is msg.
func findLog(t *testing.T, logs, msg string) (map[string]any, bool) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Errorf("log line %q is not JSON: %v", line, err)
			continue
		}
		if entry["msg"] == msg {
			return entry, true
		}
	}
	return nil, false
}

// dialPartial opens a connection to addr and sends the request line and
// headers of GET path without the blank line that ends them. The server
// keeps such a connection open, and Shutdown waits for it, until the test
// finishes the request with finishPartial.
func dialPartial(t *testing.T, addr, path string) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, testBound)
	if err != nil {
		t.Fatalf("dialing %s: %v", addr, err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: rocket\r\n"); err != nil {
		t.Fatalf("writing a partial request to %s: %v", addr, err)
	}
	return conn
}

// finishPartial ends the headers that dialPartial sent and returns the
// response and its body.
func finishPartial(t *testing.T, conn net.Conn) (*http.Response, string) {
	t.Helper()
	_ = conn.SetDeadline(time.Now().Add(testBound))
	if _, err := io.WriteString(conn, "\r\n"); err != nil {
		t.Fatalf("finishing the partial request: %v", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the response to the partial request: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the response body: %v", err)
	}
	return resp, string(body)
}

// proveAccepted completes a request on a new connection to addr. The Go
// server accepts connections in the order the kernel queued them, so every
// connection dialed before has been accepted and tracked when this returns.
func proveAccepted(t *testing.T, addr string) {
	t.Helper()
	client := &http.Client{Timeout: testBound, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get("http://" + addr + "/health")
	if err != nil {
		t.Fatalf("GET /health on %s: %v", addr, err)
	}
	resp.Body.Close()
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
			// The kernel resets connections that were still queued
			// when the listener closed. Dial again to see the refusal.
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
