// Command imagelab checks a container image against a production
// checklist and reports measured evidence for every verdict.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/imagelab/imagelab/internal/cli"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	// Ctrl-C or SIGTERM cancels the context; the commands then remove
	// their containers before the process exits.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := cli.New(version).ExecuteContext(ctx)
	if err != nil {
		// Errors are shown in the language of --lang or, without it, of
		// the environment; English for errors without a translation.
		if msg := cli.ErrorMessage(err, cli.ErrorLang(os.Args[1:])); msg != "" && !isBareExit(err) {
			fmt.Fprintln(os.Stderr, "imagelab:", msg)
		}
		stop()
		os.Exit(cli.ExitCode(err))
	}
}

// isBareExit reports whether err only carries an exit status (a failed
// check, already described by the report).
func isBareExit(err error) bool {
	ee, ok := err.(*cli.ExitError)
	return ok && ee.Err == nil
}
