package rocket

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// newTestServer returns a Server whose logs go to the test log.
func newTestServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	return NewServer(cfg, "v1.2.3", slog.New(slog.NewJSONHandler(testWriter{t}, nil)))
}

// testWriter sends each write to t.Log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func defaultConfig(t *testing.T) Config {
	t.Helper()
	cfg, err := LoadConfig(envMap(nil))
	if err != nil {
		t.Fatalf("loading the default config: %v", err)
	}
	return cfg
}

func serve(h http.Handler, method, target string) *http.Response {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec.Result()
}

func TestHandlerResponses(t *testing.T) {
	cfg := defaultConfig(t)
	cfg.RocketSize = `<Heavy & "Fast">`
	h := newTestServer(t, cfg).Handler()

	tests := []struct {
		method, path string
		wantStatus   int
		wantBody     string
		wantAllow    string
	}{
		{"GET", "/", 200, `{"service":"rocket","rocket_size":"\u003cHeavy \u0026 \"Fast\"\u003e","version":"v1.2.3"}`, ""},
		{"GET", "/?verbose=1", 200, `{"service":"rocket","rocket_size":"\u003cHeavy \u0026 \"Fast\"\u003e","version":"v1.2.3"}`, ""},
		{"GET", "/health", 200, `{"status":"ok"}`, ""},
		{"HEAD", "/", 200, "", ""},
		{"HEAD", "/health", 200, "", ""},
		{"POST", "/", 405, `{"error":"method POST not allowed, use GET or HEAD"}`, "GET, HEAD"},
		{"DELETE", "/health", 405, `{"error":"method DELETE not allowed, use GET or HEAD"}`, "GET, HEAD"},
		{"OPTIONS", "/health", 405, `{"error":"method OPTIONS not allowed, use GET or HEAD"}`, "GET, HEAD"},
		{"GET", "/missing", 404, `{"error":"not found: /missing"}`, ""},
		{"GET", "/health/", 404, `{"error":"not found: /health/"}`, ""},
		{"POST", "/missing", 404, `{"error":"not found: /missing"}`, ""},
		{"HEAD", "/missing", 404, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			resp := serve(h, tt.method, tt.path)
			body, _ := io.ReadAll(resp.Body)

			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status: got %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if got := strings.TrimSuffix(string(body), "\n"); got != tt.wantBody {
				t.Errorf("body: got %q, want %q", got, tt.wantBody)
			}
			if got := resp.Header.Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type: got %q, want %q", got, "application/json")
			}
			if got := resp.Header.Get("Allow"); got != tt.wantAllow {
				t.Errorf("Allow: got %q, want %q", got, tt.wantAllow)
			}
		})
	}
}

func TestHandlerHeadMatchesGet(t *testing.T) {
	h := newTestServer(t, defaultConfig(t)).Handler()
	for _, path := range []string{"/", "/health", "/missing"} {
		t.Run(path, func(t *testing.T) {
			get := serve(h, http.MethodGet, path)
			head := serve(h, http.MethodHead, path)
			getBody, _ := io.ReadAll(get.Body)

			if head.StatusCode != get.StatusCode {
				t.Errorf("status: got %d, want %d as for GET", head.StatusCode, get.StatusCode)
			}
			want := strconv.Itoa(len(getBody))
			if got := head.Header.Get("Content-Length"); got != want {
				t.Errorf("Content-Length: got %q, want %q as for GET", got, want)
			}
			if got := get.Header.Get("Content-Length"); got != want {
				t.Errorf("GET Content-Length: got %q, want %q (the body length)", got, want)
			}
		})
	}
}

func TestHandlerRootIsValidJSON(t *testing.T) {
	cfg := defaultConfig(t)
	cfg.RocketSize = "Saturn V ☄"
	resp := serve(newTestServer(t, cfg).Handler(), http.MethodGet, "/")

	var got map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatalf("decoding the body: %v", err)
	}
	want := map[string]string{"service": "rocket", "rocket_size": "Saturn V ☄", "version": "v1.2.3"}
	for key, value := range want {
		if got[key] != value {
			t.Errorf("%s: got %q, want %q", key, got[key], value)
		}
	}
	if len(got) != len(want) {
		t.Errorf("keys: got %v, want exactly those of %v", got, want)
	}
}

func TestHandlerHealthWhileDraining(t *testing.T) {
	s := newTestServer(t, defaultConfig(t))
	s.draining.Store(true)

	resp := serve(s.Handler(), http.MethodGet, "/health")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("status: got %d, want %d", resp.StatusCode, http.StatusServiceUnavailable)
	}
	if got, want := string(body), "{\"status\":\"shutting down\"}\n"; got != want {
		t.Errorf("body: got %q, want %q", got, want)
	}

	// GET / keeps working during the drain.
	if resp := serve(s.Handler(), http.MethodGet, "/"); resp.StatusCode != http.StatusOK {
		t.Errorf("GET / while draining: got %d, want %d", resp.StatusCode, http.StatusOK)
	}
}

func TestHandlerCountsRequests(t *testing.T) {
	s := newTestServer(t, defaultConfig(t))
	for _, path := range []string{"/", "/health", "/missing"} {
		serve(s.Handler(), http.MethodGet, path)
	}
	if got := s.completed.Load(); got != 3 {
		t.Errorf("completed: got %d, want 3", got)
	}
	if got := s.inFlight.Load(); got != 0 {
		t.Errorf("in flight: got %d, want 0", got)
	}
}
