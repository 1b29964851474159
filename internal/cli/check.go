package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/imagelab/imagelab/internal/check"
	"github.com/imagelab/imagelab/internal/dockerfile"
	"github.com/imagelab/imagelab/internal/engine"
	"github.com/imagelab/imagelab/internal/i18n"
	"github.com/imagelab/imagelab/internal/policy"
	"github.com/imagelab/imagelab/internal/report"
)

// checkOptions are the flags of `imagelab check`.
type checkOptions struct {
	static      bool
	dockerfile  string
	format      string
	output      string
	lang        string
	policyFile  string
	maxSize     string
	healthPath  string
	port        string
	env         string
	labels      []string
	login       string
	token       string
	stopTimeout time.Duration
	timeout     time.Duration
	// timesSet records which of the two durations the command line set,
	// so that an explicit 0 is an error rather than "use the default".
	stopTimeoutSet, timeoutSet bool
}

func newCheckCommand() *cobra.Command {
	var o checkOptions
	cmd := &cobra.Command{
		Use:   "check IMAGE",
		Short: "Check a local image against the production checklist",
		Example: `  # Check an image with the lab's defaults
  imagelab check rocket:latest

  # Also check the Dockerfile, and require this student's label values
  imagelab check --dockerfile Dockerfile --login student42 --token tok-0042 rocket:latest

  # Only what needs no container, as JSON
  imagelab check --static --format json rocket:latest

  # Another service: its own health path, variable and size limit
  imagelab check --health-path /healthz --env APP_MODE=a,b --max-size 60MB my/app:1.2`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd, args[0], o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.static, "static", false, "run only the checks that start no container")
	f.StringVar(&o.dockerfile, "dockerfile", "", "Dockerfile the image was built from, for the multi-stage check")
	f.StringVar(&o.format, "format", "text", "report format: text, json, junit, sarif or markdown")
	f.StringVarP(&o.output, "output", "o", "", "write the report to this file instead of stdout")
	f.StringVar(&o.lang, "lang", "", "report language, en or ru (default from LC_ALL, LC_MESSAGES, LANG)")
	f.StringVar(&o.policyFile, "policy", "", "YAML policy file; flags override its settings")
	f.StringVar(&o.maxSize, "max-size", "", "largest image size allowed, such as 150MB (decimal, as docker images shows)")
	f.StringVar(&o.healthPath, "health-path", "", "HTTP path of the health endpoint (default /health)")
	f.StringVar(&o.port, "port", "", "container port of the service (default: the image's EXPOSE)")
	f.StringVar(&o.env, "env", "", "variable that must change the answer of /, and two values: NAME=VALUE1,VALUE2 (default ROCKET_SIZE=Small,Large)")
	f.StringArrayVar(&o.labels, "label", nil, "required label KEY, or KEY=VALUE for a required value (repeatable)")
	f.StringVar(&o.login, "login", "", "required value of the org.lab.login label")
	f.StringVar(&o.token, "token", "", "required value of the org.lab.token label")
	f.DurationVar(&o.stopTimeout, "stop-timeout", 0, "grace that docker stop gives before SIGKILL (default 10s)")
	f.DurationVar(&o.timeout, "timeout", 0, "bound on the whole run (default 2m)")
	return cmd
}

func runCheck(cmd *cobra.Command, ref string, o checkOptions) error {
	lang, err := chooseLang(o.lang)
	if err != nil {
		return usageError(err)
	}
	o.format = strings.ToLower(o.format)
	o.stopTimeoutSet, o.timeoutSet = cmd.Flags().Changed("stop-timeout"), cmd.Flags().Changed("timeout")
	if err := checkOutputFolder(o.output); err != nil {
		return usageError(err)
	}
	write, err := report.ForFormat(o.format)
	if err != nil {
		return usageError(i18n.WithText(err, i18n.T("unknown format %q: use one of %s", o.format, strings.Join(report.Formats(), ", "))))
	}
	pol, err := o.policy()
	if err != nil {
		return usageError(err)
	}
	var df *dockerfile.File
	if o.dockerfile != "" {
		if df, err = dockerfile.Read(o.dockerfile); err != nil {
			return usageError(err)
		}
	}

	ctx := cmd.Context()
	eng, err := engine.Open(ctx)
	if err != nil {
		return &ExitError{Code: check.ExitError, Err: err}
	}
	defer eng.Close()
	sweep(ctx, eng)

	img, err := eng.Image(ctx, ref)
	if err != nil {
		return &ExitError{Code: check.ExitError, Err: err}
	}
	target, err := check.NewTarget(eng, img, pol, df, o.static)
	if err != nil {
		return usageError(err)
	}

	live := newLiveLine(cmd.OutOrStdout(), o.format == "text" && o.output == "")
	rep := check.Run(ctx, target, check.All(), live)
	live.clear()

	// NO_COLOR (no-color.org) turns colour off whatever its value.
	_, noColor := os.LookupEnv("NO_COLOR")
	color := o.output == "" && o.format == "text" && isTerminal(cmd.OutOrStdout()) && !noColor
	opts := report.Options{Lang: lang, Color: color}
	if err := emit(cmd.OutOrStdout(), o.output, write, rep, opts); err != nil {
		return &ExitError{Code: check.ExitError, Err: err}
	}
	if ctx.Err() != nil {
		return &ExitError{Code: 130, Err: i18n.Errorf("interrupted; every container of this run was removed")}
	}
	if code := rep.ExitCode(); code != check.ExitPass {
		return &ExitError{Code: code}
	}
	return nil
}

func chooseLang(flag string) (i18n.Lang, error) {
	if flag != "" {
		return i18n.Parse(flag)
	}
	return i18n.FromEnv(), nil
}

func usageError(err error) error { return &ExitError{Code: check.ExitError, Err: err} }

// policy builds the run's policy: the lab's defaults, then the policy
// file, then the flags.
func (o checkOptions) policy() (policy.Policy, error) {
	p := policy.Default()
	var err error
	if o.policyFile != "" {
		if p, err = policy.Load(o.policyFile, p); err != nil {
			return p, err
		}
	}
	if o.maxSize != "" {
		if p.MaxSize, err = policy.ParseSize(o.maxSize); err != nil {
			return p, i18n.Errorf("--max-size: %w", err)
		}
	}
	if o.healthPath != "" {
		if p.HealthPath, err = policy.ParseHealthPath(o.healthPath); err != nil {
			return p, i18n.Errorf("--health-path: %w", err)
		}
	}
	if o.port != "" {
		if p.Port, err = policy.ParsePort(o.port); err != nil {
			return p, i18n.Errorf("--port: %w", err)
		}
	}
	if o.env != "" {
		if p.Env, err = policy.ParseEnv(o.env); err != nil {
			return p, err
		}
	}
	return p, o.applyLabelsAndTimes(&p)
}

func (o checkOptions) applyLabelsAndTimes(p *policy.Policy) error {
	for _, l := range o.labels {
		rule, err := policy.ParseLabel(l)
		if err != nil {
			return err
		}
		p.RequireLabel(rule.Key, rule.Value)
	}
	if o.login != "" {
		p.RequireLabel(policy.LoginLabel, o.login)
	}
	if o.token != "" {
		p.RequireLabel(policy.TokenLabel, o.token)
	}
	if (o.stopTimeoutSet && o.stopTimeout <= 0) || (o.timeoutSet && o.timeout <= 0) {
		return i18n.Errorf("--stop-timeout and --timeout must be positive durations, such as 10s or 2m")
	}
	if o.stopTimeoutSet {
		p.StopTimeout = o.stopTimeout
	}
	if o.timeoutSet {
		p.Timeout = o.timeout
	}
	return nil
}

// checkOutputFolder fails early, before any container runs, when the
// folder of the --output file does not exist.
func checkOutputFolder(path string) error {
	if path == "" {
		return nil
	}
	dir := filepath.Dir(path)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return i18n.Errorf("the folder %q of --output does not exist: create it first", dir)
	}
	return nil
}

// sweep removes containers that killed imagelab runs left behind.
func sweep(ctx context.Context, eng *engine.Engine) {
	removed, err := eng.Sweep(ctx)
	if err != nil {
		slog.Warn("removing leftover containers", "err", err)
	}
	if len(removed) > 0 {
		slog.Warn("removed containers that an earlier, interrupted run left behind", "containers", removed)
	}
}

// emit writes the report to path, or to stdout when path is empty. A
// file is written whole or not at all.
func emit(stdout io.Writer, path string, write report.Writer, rep *check.Report, opts report.Options) error {
	var buf bytes.Buffer
	if err := write(&buf, rep, opts); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	if path == "" {
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".imagelab-report-*")
	if err != nil {
		return fmt.Errorf("writing the report to %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("writing the report to %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing the report to %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing the report to %s: %w", path, err)
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
