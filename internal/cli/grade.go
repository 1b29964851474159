package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/imagelab/imagelab/internal/check"
	"github.com/imagelab/imagelab/internal/engine"
	"github.com/imagelab/imagelab/internal/grade"
	"github.com/imagelab/imagelab/internal/gradebook"
)

// gradeOptions are the flags of `imagelab grade`.
type gradeOptions struct {
	rosterFile string
	secretFile string
	out        string
	jobs       int
	timeout    time.Duration
	pointsFile string
	lang       string
	pull       bool
	force      bool
}

func newGradeCommand() *cobra.Command {
	var o gradeOptions
	cmd := &cobra.Command{
		Use:   "grade --roster roster.csv --secret-file FILE --out DIR",
		Short: "Check every student's image and write the gradebook",
		Long: `grade checks the image of every student on the roster with the full
check suite and the lab's identity checks (login label, token label, image
tag), scores the verdicts, and writes DIR/students/<login>.json and .txt as
each student finishes, then DIR/grades.csv, grades.md and grades.html.

A rerun continues an interrupted run: it reuses every stored result whose
image ID is unchanged. --force regrades everyone. Exit status: 0 when every
student got a grade, 1 when grading failed for some student, 2 for a usage
or daemon error, 130 when interrupted.`,
		Example: `  imagelab grade --roster roster.csv --secret-file ~/course.secret --out grades/
  imagelab grade --roster roster.csv --secret-file ~/course.secret --out grades/ --jobs 4 --timeout-per-image 90s --points points.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runGrade(cmd, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.rosterFile, "roster", "", "roster CSV with a header row, a login column and an optional image column")
	f.StringVar(&o.secretFile, "secret-file", "", "file holding the course secret; it must have mode 0600")
	f.StringVar(&o.out, "out", "", "folder for the results and the gradebook")
	f.IntVar(&o.jobs, "jobs", 0, "number of images checked at once (default: the number of CPUs)")
	f.DurationVar(&o.timeout, "timeout-per-image", 0, "bound on one image's check run, such as 90s (default 2m)")
	f.StringVar(&o.pointsFile, "points", "", "YAML file of points per requirement (default: the built-in table, see docs/LAB.md)")
	f.StringVar(&o.lang, "lang", "", "language of the students' reports, en or ru (default from LC_ALL, LC_MESSAGES, LANG)")
	f.BoolVar(&o.pull, "pull", false, "pull each image through the daemon before checking it")
	f.BoolVar(&o.force, "force", false, "regrade every student, also those with a valid stored result")
	for _, name := range []string{"roster", "secret-file", "out"} {
		cmd.MarkFlagRequired(name)
	}
	return cmd
}

func runGrade(cmd *cobra.Command, o gradeOptions) error {
	opt, err := o.resolve()
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	eng, err := engine.Open(ctx)
	if err != nil {
		return &ExitError{Code: check.ExitError, Err: err}
	}
	defer eng.Close()
	sweep(ctx, eng)
	if o.pull {
		puller, err := grade.NewPuller()
		if err != nil {
			return &ExitError{Code: check.ExitError, Err: err}
		}
		defer puller.Close()
		opt.Pull = puller.Pull
	}
	opt.Progress = grade.NewProgress(cmd.ErrOrStderr(), isTerminal(cmd.ErrOrStderr()))

	sum, err := grade.Run(ctx, eng, opt)
	if err != nil {
		return &ExitError{Code: check.ExitError, Err: err}
	}
	book := gradebook.New(opt.Roster, sum.Results, opt.Points, opt.Secret)
	if err := gradebook.Write(o.out, book); err != nil {
		return &ExitError{Code: check.ExitError, Err: err}
	}
	printGradeSummary(cmd, o.out, sum)
	return gradeExit(ctx.Err(), sum)
}

// resolve checks the flags and reads the files they name.
func (o gradeOptions) resolve() (grade.Options, error) {
	opt := grade.Options{OutDir: o.out, Jobs: o.jobs, TimeoutPerImage: o.timeout, Force: o.force, Points: grade.DefaultPoints()}
	if o.jobs < 0 {
		return opt, usageError(fmt.Errorf("invalid --jobs %d: use 1 or more, or 0 for the number of CPUs", o.jobs))
	}
	if o.timeout < 0 {
		return opt, usageError(fmt.Errorf("invalid --timeout-per-image %s: use a positive duration such as 90s", o.timeout))
	}
	var err error
	if opt.Lang, err = chooseLang(o.lang); err != nil {
		return opt, usageError(err)
	}
	if o.pointsFile != "" {
		if opt.Points, err = grade.LoadPoints(o.pointsFile); err != nil {
			return opt, usageError(err)
		}
	}
	if opt.Secret, err = readSecret(o.secretFile); err != nil {
		return opt, err
	}
	if opt.Roster, err = loadRoster(o.rosterFile); err != nil {
		return opt, err
	}
	if err := os.MkdirAll(filepath.Join(o.out, grade.StudentsDir), 0o755); err != nil {
		return opt, usageError(fmt.Errorf("creating output folder %q: %w", o.out, err))
	}
	return opt, nil
}

func printGradeSummary(cmd *cobra.Command, out string, sum *grade.Summary) {
	fmt.Fprintf(cmd.OutOrStdout(), "checked %d, reused %d, missing %d, errors %d, pending %d in %s\n",
		sum.Checked, sum.Reused, sum.Missing, sum.Errors, sum.Pending, sum.Duration.Round(time.Second))
	fmt.Fprintf(cmd.OutOrStdout(), "gradebook: %s, %s, %s\n",
		filepath.Join(out, gradebook.CSVFile), filepath.Join(out, gradebook.MarkdownFile), filepath.Join(out, gradebook.HTMLFile))
}

func gradeExit(ctxErr error, sum *grade.Summary) error {
	if ctxErr != nil {
		return &ExitError{Code: 130, Err: fmt.Errorf("interrupted with %d students pending; the gradebook covers the rest, and the same command continues the run", sum.Pending)}
	}
	if sum.Errors > 0 {
		return &ExitError{Code: 1, Err: errors.New("grading failed for some students; see the notes in the gradebook, fix the cause and rerun")}
	}
	return nil
}
