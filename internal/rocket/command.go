package rocket

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"syscall"
)

// Exit statuses of the rocket command. A second stop signal during the
// drain exits with 128 plus the signal number instead (130 for SIGINT, 143
// for SIGTERM), as a shell reports a process killed by that signal.
const (
	// ExitOK: the server drained and stopped, or the subcommand succeeded.
	ExitOK = 0
	// ExitFailure: serving failed, shutdown timed out, or a health probe failed.
	ExitFailure = 1
	// ExitUsage: unknown subcommand or invalid configuration.
	ExitUsage = 2
)

// Usage is the one-line synopsis of the rocket command.
const Usage = "usage: rocket [healthcheck [URL] | version]"

// Command is one run of the rocket program. cmd/rocket fills it from the
// os package, and tests fill it with their own writers, channel and listener.
type Command struct {
	// Args are the arguments after the program name.
	Args []string
	// Getenv reads the environment, as os.Getenv does.
	Getenv func(string) string
	// Stdout receives the version and the usage text.
	Stdout io.Writer
	// Stderr receives the logs and the error messages.
	Stderr io.Writer
	// Signals delivers stop signals while serving. The first starts a
	// graceful shutdown and the second ends the process at once.
	Signals <-chan os.Signal
	// Listen opens the server's listener. Nil means net.Listen.
	Listen func(network, address string) (net.Listener, error)
	// Version is reported by GET / and the version subcommand.
	Version string
}

// Run runs the subcommand that Args names, or the server when Args is
// empty, and returns the exit status.
func (c *Command) Run() int {
	if len(c.Args) == 0 {
		return c.serve()
	}
	switch c.Args[0] {
	case "healthcheck":
		return c.healthcheck(c.Args[1:])
	case "version":
		fmt.Fprintln(c.Stdout, c.Version)
		return ExitOK
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(c.Stdout, Usage)
		return ExitOK
	}
	fmt.Fprintf(c.Stderr, "rocket: unknown command %q\n%s\n", c.Args[0], Usage)
	return ExitUsage
}

// healthcheck probes the server's /health. It returns only ExitOK or
// ExitFailure, even for usage errors, because Docker reserves exit status 2
// of a HEALTHCHECK command.
func (c *Command) healthcheck(args []string) int {
	if len(args) > 1 {
		fmt.Fprintf(c.Stderr, "rocket healthcheck: expected at most one URL, got %d arguments\n", len(args))
		return ExitFailure
	}
	var target string
	if len(args) == 1 {
		target = args[0]
	} else {
		port, err := ParsePort(c.Getenv(EnvPort))
		if err != nil {
			fmt.Fprintf(c.Stderr, "rocket healthcheck: %v\n", err)
			return ExitFailure
		}
		target = DefaultHealthURL(port)
	}
	if err := Probe(context.Background(), target); err != nil {
		fmt.Fprintf(c.Stderr, "rocket healthcheck: %v\n", err)
		return ExitFailure
	}
	return ExitOK
}

// serve loads the configuration, starts the server and waits for it to
// stop. An invalid configuration prints one line to Stderr and returns
// ExitUsage before anything is logged.
func (c *Command) serve() int {
	cfg, err := LoadConfig(c.Getenv)
	if err != nil {
		fmt.Fprintf(c.Stderr, "rocket: %v\n", err)
		return ExitUsage
	}
	logger := slog.New(slog.NewJSONHandler(c.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))

	listen := c.Listen
	if listen == nil {
		listen = net.Listen
	}
	ln, err := listen("tcp", cfg.Addr())
	if err != nil {
		logger.Error("listening failed", "address", cfg.Addr(), "error", err)
		return ExitFailure
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- NewServer(cfg, c.Version, logger).Run(ctx, ln) }()
	return c.waitForStop(logger, cancel, done)
}

// waitForStop cancels the server on the first stop signal and returns when
// the server has stopped or a second signal arrives.
func (c *Command) waitForStop(logger *slog.Logger, cancel context.CancelFunc, done <-chan error) int {
	select {
	case err := <-done:
		return exitStatus(err)
	case sig := <-c.Signals:
		logger.Info("stop signal received, shutting down", "signal", sig.String())
		cancel()
	}
	select {
	case err := <-done:
		return exitStatus(err)
	case sig := <-c.Signals:
		status := signalExitStatus(sig)
		logger.Error("second stop signal received, exiting before the drain finished",
			"signal", sig.String(), "exit_status", status)
		return status
	}
}

// exitStatus maps the result of Server.Run to an exit status. Run has
// already logged any error.
func exitStatus(err error) int {
	if err == nil || errors.Is(err, context.Canceled) {
		return ExitOK
	}
	return ExitFailure
}

func signalExitStatus(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return ExitFailure
}
