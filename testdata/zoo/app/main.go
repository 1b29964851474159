// Command zooapp is the rocket service that every zoo image runs. With no
// flags it meets the whole production checklist. Each flag turns on one
// misbehaviour, so a zoo Dockerfile breaks one requirement by putting that
// flag into its ENTRYPOINT.
//
// Usage:
//
//	app [flags]               serve on port 8080
//	app healthcheck URL       exit 0 when GET URL returns a 2xx status, else 1
//	app version               print the program name and exit
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

// port is fixed because every zoo Dockerfile exposes and probes 8080.
const port = "8080"

// defaultSize is the rocket size reported when ROCKET_SIZE is unset or empty.
const defaultSize = "Medium"

// shutdownTimeout bounds the graceful drain after SIGTERM. It stays below
// the 10 s grace that docker stop gives by default.
const shutdownTimeout = 5 * time.Second

// config holds the misbehaviour switches. The zero value is the correct
// service.
type config struct {
	bind             string
	healthStatus     int
	healthAlias      string
	ignoreSigterm    bool
	noSignalHandling bool
	writeRoot        string
	ignoreSize       bool
	bakedSize        string
}

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "healthcheck":
			os.Exit(runHealthcheck(os.Args[2:]))
		case "version":
			fmt.Println("zooapp")
			return
		}
	}

	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		// flag has already printed the problem and the usage.
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	os.Exit(serve(cfg, logger))
}

func parseFlags(args []string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("app", flag.ContinueOnError)
	fs.StringVar(&cfg.bind, "bind", "", "IP address to listen on; empty means all interfaces (port is always "+port+")")
	fs.IntVar(&cfg.healthStatus, "health-status", http.StatusOK, "HTTP status that GET /health returns")
	fs.StringVar(&cfg.healthAlias, "health-alias", "", "extra path, such as /healthz, that serves the same response as /health")
	fs.BoolVar(&cfg.ignoreSigterm, "ignore-sigterm", false, "catch SIGTERM and keep serving, so docker stop has to kill the process")
	fs.BoolVar(&cfg.noSignalHandling, "no-signal-handling", false, "install no signal handler, leaving SIGTERM to the Go runtime's default")
	fs.StringVar(&cfg.writeRoot, "write-root", "", "directory to write a state file into at start; the process exits 1 if the write fails")
	fs.BoolVar(&cfg.ignoreSize, "ignore-size", false, "report "+defaultSize+" on GET / whatever ROCKET_SIZE says")
	fs.StringVar(&cfg.bakedSize, "baked-size", "", "rocket size to report on GET / in place of ROCKET_SIZE")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		err := fmt.Errorf("unexpected argument %q: the only subcommands are healthcheck and version", fs.Arg(0))
		fmt.Fprintln(os.Stderr, err)
		return config{}, err
	}
	if cfg.ignoreSigterm && cfg.noSignalHandling {
		err := errors.New("-ignore-sigterm and -no-signal-handling cannot be combined: choose one")
		fmt.Fprintln(os.Stderr, err)
		return config{}, err
	}
	return cfg, nil
}

// serve runs the HTTP server until a signal stops it and returns the exit
// status.
func serve(cfg config, logger *slog.Logger) int {
	if cfg.writeRoot != "" {
		if err := writeState(cfg.writeRoot); err != nil {
			logger.Error("failed to write the state file", "dir", cfg.writeRoot, "err", err)
			return 1
		}
		logger.Info("wrote the state file", "dir", cfg.writeRoot)
	}

	addr := net.JoinHostPort(cfg.bind, port)
	srv := &http.Server{
		Addr:              addr,
		Handler:           newMux(cfg, logger),
		ReadHeaderTimeout: 5 * time.Second,
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		logger.Error("failed to listen", "addr", addr, "err", err)
		return 1
	}
	logger.Info("listening", "addr", ln.Addr().String())

	if cfg.noSignalHandling {
		// SIGTERM now reaches the Go runtime's own handler. As PID 1 of a
		// container the process cannot be killed by a signal that it
		// raises itself, so the runtime (dieFromSignal in Go 1.26) falls
		// back to exit(2) at once.
		err := srv.Serve(ln)
		logger.Error("server stopped", "err", err)
		return 1
	}

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	for {
		select {
		case err := <-serveErr:
			logger.Error("server stopped", "err", err)
			return 1
		case sig := <-signals:
			if cfg.ignoreSigterm && sig == syscall.SIGTERM {
				logger.Warn("ignoring signal", "signal", sig.String())
				continue
			}
			return shutdown(srv, sig, logger)
		}
	}
}

func shutdown(srv *http.Server, sig os.Signal, logger *slog.Logger) int {
	logger.Info("signal received, draining", "signal", sig.String(), "timeout", shutdownTimeout)
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		logger.Error("graceful shutdown failed", "err", err)
		return 1
	}
	logger.Info("stopped cleanly")
	return 0
}

func writeState(dir string) error {
	path := filepath.Join(dir, "started-at")
	stamp := time.Now().UTC().Format(time.RFC3339) + "\n"
	return os.WriteFile(path, []byte(stamp), 0o644)
}

func newMux(cfg config, logger *slog.Logger) *http.ServeMux {
	mux := http.NewServeMux()
	// "/{$}" matches only the root, so unknown paths get 404 rather than
	// the rocket document.
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"rocket_size": rocketSize(cfg)}, logger)
	})
	health := func(w http.ResponseWriter, r *http.Request) {
		status := "ok"
		if cfg.healthStatus < 200 || cfg.healthStatus > 299 {
			status = "failing"
		}
		writeJSON(w, cfg.healthStatus, map[string]string{"status": status}, logger)
	}
	mux.HandleFunc("GET /health", health)
	if cfg.healthAlias != "" {
		mux.HandleFunc("GET "+cfg.healthAlias, health)
	}
	return mux
}

func rocketSize(cfg config) string {
	switch {
	case cfg.bakedSize != "":
		return cfg.bakedSize
	case cfg.ignoreSize:
		return defaultSize
	}
	if size := os.Getenv("ROCKET_SIZE"); size != "" {
		return size
	}
	return defaultSize
}

func writeJSON(w http.ResponseWriter, status int, body any, logger *slog.Logger) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(body); err != nil {
		logger.Warn("failed to write the response", "err", err)
	}
}

// runHealthcheck sends GET to the URL in args and returns the exit status
// that Docker's HEALTHCHECK expects: 0 for a 2xx response, 1 otherwise.
func runHealthcheck(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: app healthcheck URL")
		return 1
	}
	client := &http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get(args[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "healthcheck: GET %s failed: %v\n", args[0], err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		fmt.Fprintf(os.Stderr, "healthcheck: GET %s returned %s\n", args[0], resp.Status)
		return 1
	}
	fmt.Printf("healthcheck: GET %s returned %s\n", args[0], resp.Status)
	return 0
}
