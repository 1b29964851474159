// Command rocket is the imagelab reference service, a small JSON HTTP
// server on PORT (default 8080) that reports ROCKET_SIZE on GET / and its
// state on GET /health, and drains in-flight requests on SIGTERM or SIGINT.
//
// Usage:
//
//	rocket                    serve until SIGTERM or SIGINT
//	rocket healthcheck [URL]  probe /health (default http://127.0.0.1:$PORT/health)
//	rocket version            print the version stamped at build time
//
// See package github.com/imagelab/imagelab/internal/rocket for the
// environment variables and exit statuses.
package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/imagelab/imagelab/internal/rocket"
)

// version is stamped at build time with
// -ldflags "-X main.version=VALUE".
var version = "dev"

func main() {
	// Only the server reacts to stop signals. The subcommands keep the
	// default action, so Ctrl-C ends a health probe at once.
	signals := make(chan os.Signal, 2)
	if len(os.Args) == 1 {
		signal.Notify(signals, syscall.SIGTERM, os.Interrupt)
	}
	cmd := rocket.Command{
		Args:    os.Args[1:],
		Getenv:  os.Getenv,
		Stdout:  os.Stdout,
		Stderr:  os.Stderr,
		Signals: signals,
		Version: version,
	}
	os.Exit(cmd.Run())
}
