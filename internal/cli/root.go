// Package cli wires imagelab's commands to cobra. Each command turns its
// flags into the domain packages' inputs and maps failures to exit codes.
package cli

import (
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/imagelab/imagelab/internal/i18n"
)

// ExitError carries the exit status a command wants, with the message
// for the user.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// Localize implements i18n.Localizer.
func (e *ExitError) Localize(l i18n.Lang) string {
	if e.Err == nil {
		return e.Error()
	}
	return i18n.Message(e.Err, l)
}

// ExitCode returns the exit status for err: the one an ExitError carries,
// else 2 (usage or infrastructure error).
func ExitCode(err error) int {
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return 2
}

// New returns the root command.
func New(version string) *cobra.Command {
	var verbose bool
	root := &cobra.Command{
		Use:   "imagelab",
		Short: "Prove that a container image is production-grade",
		Long: `imagelab checks a container image against a production checklist: size,
non-root user, HEALTHCHECK, clean stop on SIGTERM, read-only root
filesystem, configuration from the environment, labels and a multi-stage
Dockerfile. It reads the image and runs it, and reports measured evidence
for every verdict.`,
		Version: version,
		// A failed check is not a usage mistake: print no usage for it.
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRun: func(cmd *cobra.Command, _ []string) {
			level := slog.LevelWarn
			if verbose {
				level = slog.LevelDebug
			}
			slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})))
		},
	}
	root.PersistentFlags().BoolVarP(&verbose, "verbose", "v", false, "log debug details to stderr")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &ExitError{Code: 2, Err: i18n.Errorf("%w (see '%s --help')", localizeCobra(err), cmd.CommandPath())}
	})
	root.AddCommand(newCheckCommand(), newLabCommand(), newGradeCommand())
	return root
}
