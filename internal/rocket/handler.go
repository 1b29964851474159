package rocket

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// allowedMethods is the Allow header value of every 405 response.
const allowedMethods = "GET, HEAD"

// rootBody is the JSON document that GET / returns.
type rootBody struct {
	Service    string `json:"service"`
	RocketSize string `json:"rocket_size"`
	Version    string `json:"version"`
}

type statusBody struct {
	Status string `json:"status"`
}

type errorBody struct {
	Error string `json:"error"`
}

// Handler returns the service's HTTP handler. It serves GET and HEAD on "/"
// and "/health" and returns a JSON error body for any other request.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.serveHTTP)
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.inFlight.Add(1)
	defer func() {
		s.inFlight.Add(-1)
		s.completed.Add(1)
	}()

	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	s.route(rec, r)
	s.logger.LogAttrs(r.Context(), slog.LevelDebug, "request",
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", rec.status),
		slog.Float64("duration_ms", milliseconds(time.Since(start))),
		slog.String("remote_addr", r.RemoteAddr))
}

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	handle, ok := s.routes[r.URL.Path]
	if !ok {
		writeJSON(w, r, http.StatusNotFound, errorBody{Error: "not found: " + r.URL.Path})
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", allowedMethods)
		writeJSON(w, r, http.StatusMethodNotAllowed, errorBody{Error: "method " + r.Method + " not allowed, use GET or HEAD"})
		return
	}
	handle(w, r)
}

func (s *Server) handleRoot(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusOK, rootBody{
		Service:    "rocket",
		RocketSize: s.cfg.RocketSize,
		Version:    s.version,
	})
}

// handleHealth returns 503 once shutdown has begun.
//
// NOTE: http.Server.Shutdown closes idle connections and drops requests
// whose headers arrive after it starts, so over the network the 503 is seen
// only by requests read just before the listener closes. Later probes see
// "connection refused", which a health checker treats as down as well.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		writeJSON(w, r, http.StatusServiceUnavailable, statusBody{Status: "shutting down"})
		return
	}
	writeJSON(w, r, http.StatusOK, statusBody{Status: "ok"})
}

// writeJSON sends v as the JSON response body with the given status. A HEAD
// response gets the same headers, including Content-Length, but no body.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	// Encoder escapes <, > and & as json.Marshal does, and appends a newline.
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		// Encode fails only on unsupported values such as channels, and
		// every body here is a struct of strings.
		http.Error(w, "encoding response failed", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes()) // a write error means the client went away
	}
}

// statusRecorder remembers the status code for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter {
	return r.ResponseWriter
}

func milliseconds(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}
