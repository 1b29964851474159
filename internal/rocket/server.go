// Package rocket implements the rocket reference service, a small JSON
// HTTP server that reports its configured rocket size and drains in-flight
// requests on shutdown, plus the healthcheck and version subcommands.
package rocket

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// Server timeouts. Every handler returns from memory at once, so the
// timeouts only bound slow or stalled clients. Request headers must arrive
// within 5 s and the whole request within 10 s (ReadTimeout). WriteTimeout
// counts from the end of the request headers to the end of the response.
// Idle keep-alive connections are closed after 60 s.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	writeTimeout      = 15 * time.Second
	idleTimeout       = 60 * time.Second
)

// Server is the rocket HTTP service.
type Server struct {
	cfg     Config
	version string
	logger  *slog.Logger
	http    *http.Server
	routes  map[string]http.HandlerFunc

	// draining is set when shutdown begins, so that /health returns 503.
	draining atomic.Bool
	// inFlight counts requests whose handler is running.
	inFlight atomic.Int64
	// completed counts requests whose handler has returned.
	completed atomic.Int64
}

// NewServer returns a Server for cfg that reports version on GET / and
// logs to logger.
func NewServer(cfg Config, version string, logger *slog.Logger) *Server {
	s := &Server{cfg: cfg, version: version, logger: logger}
	s.routes = map[string]http.HandlerFunc{
		"/":       s.handleRoot,
		"/health": s.handleHealth,
	}
	s.http = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelError),
	}
	return s
}

// ErrShutdownTimeout is returned by Run when in-flight requests did not
// finish within Config.ShutdownTimeout.
var ErrShutdownTimeout = errors.New("shutdown timed out")

// Run serves HTTP on ln until ctx is cancelled, then shuts down gracefully.
// /health returns 503, ln is closed, and in-flight requests get up to
// Config.ShutdownTimeout to finish. Run returns nil after a clean shutdown,
// an error wrapping ErrShutdownTimeout when requests were cut off, and any
// other error when serving fails before ctx is cancelled.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	addr := ln.Addr().String()
	s.logger.Info("rocket started", "address", addr, "rocket_size", s.cfg.RocketSize,
		"version", s.version, "shutdown_timeout", s.cfg.ShutdownTimeout.String())

	served := make(chan error, 1)
	go func() { served <- s.http.Serve(ln) }()

	select {
	case err := <-served:
		s.logger.Error("serving failed", "address", addr, "error", err)
		return fmt.Errorf("serving on %q: %w", addr, err)
	case <-ctx.Done():
	}
	return s.shutdown(addr, served)
}

// shutdown drains the server. It starts from a fresh context because the
// context that triggered it is already cancelled.
func (s *Server) shutdown(addr string, served <-chan error) error {
	s.draining.Store(true)
	start := time.Now()
	completedBefore := s.completed.Load()
	s.logger.Info("shutdown started", "in_flight", s.inFlight.Load(),
		"timeout", s.cfg.ShutdownTimeout.String())

	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := s.http.Shutdown(ctx)
	drained := s.completed.Load() - completedBefore
	elapsed := milliseconds(time.Since(start))

	if err != nil && ctx.Err() != nil {
		// Close cuts the connections that are still open. Handlers that
		// are still running see write errors.
		cutOff := s.inFlight.Load()
		_ = s.http.Close()
		s.logger.Error("shutdown timed out, closed the remaining connections",
			"error", err, "drained", drained, "cut_off", cutOff, "duration_ms", elapsed)
		return fmt.Errorf("shutting down within %s: %w", s.cfg.ShutdownTimeout, ErrShutdownTimeout)
	}
	if err != nil {
		// Shutdown returned before its context ended, so the drain
		// completed and err comes from closing ln.
		s.logger.Error("closing the listener failed", "address", addr, "error", err)
	}
	// Serve returned http.ErrServerClosed as soon as Shutdown closed ln.
	<-served
	s.logger.Info("shutdown finished", "drained", drained, "duration_ms", elapsed)
	return nil
}
