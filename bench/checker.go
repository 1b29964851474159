package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// CheckerResult is the timings of imagelab and dive.
type CheckerResult struct {
	Full, Static, Failing CommandRuns
	Dive                  CommandRuns
	// DiveVersion is the dive module version that was installed.
	DiveVersion string
	// DiveInstall is how long `go install` of dive took.
	DiveInstall time.Duration
}

// CommandRuns are repeated runs of one command line.
type CommandRuns struct {
	Command   string
	Times     []time.Duration
	ExitCodes []int
	// Summary is the command's last summary line of the last run.
	Summary string
	Err     error
}

// commandGrace is how long a command gets after SIGINT before it is killed,
// so that imagelab can remove its containers when the bench is interrupted.
const commandGrace = 20 * time.Second

// imagelabSummary matches the last line of imagelab's text report.
var imagelabSummary = regexp.MustCompile(`^\d+ checks: .*`)

func measureChecker(ctx context.Context, d *Docker, cfg Config, tmp string) CheckerResult {
	var res CheckerResult
	bin := cfg.Imagelab
	if _, err := os.Stat(bin); err != nil {
		err = fmt.Errorf("checker binary %s not found: build it with make build", bin)
		res.Full = CommandRuns{Command: "imagelab check rocket:latest", Err: err}
		res.Static = CommandRuns{Command: "imagelab check --static rocket:latest", Err: err}
		res.Failing = CommandRuns{Command: "imagelab check " + failingImage, Err: err}
	} else {
		res.Full = timeCommand(ctx, cfg.Runs, imagelabSummary, nil, bin, "check", "rocket:latest")
		logf("checker: full check of rocket:latest, median %s", formatDuration(medianDuration(res.Full.Times)))
		res.Static = timeCommand(ctx, cfg.Runs, imagelabSummary, nil, bin, "check", "--static", "rocket:latest")
		logf("checker: static check of rocket:latest, median %s", formatDuration(medianDuration(res.Static.Times)))
		if _, err := d.inspectImage(ctx, failingImage); err != nil {
			res.Failing = CommandRuns{Command: "imagelab check " + failingImage, Err: err}
		} else if cfg.FailingRuns > 0 {
			res.Failing = timeCommand(ctx, cfg.FailingRuns, imagelabSummary, nil, bin, "check", failingImage)
			logf("checker: full check of %s, median %s", failingImage, formatDuration(medianDuration(res.Failing.Times)))
		}
	}

	res.DiveVersion = cfg.DiveVersion
	dive, took, err := installDive(ctx, cfg.DiveVersion, tmp)
	res.DiveInstall = took
	if err != nil {
		res.Dive = CommandRuns{Command: "dive --ci --source docker rocket:latest", Err: err}
		logf("dive: %v", err)
		return res
	}
	// dive pulls an image that is missing locally. rocket:latest was
	// inspected above, so this run contacts no registry.
	res.Dive = timeCommand(ctx, cfg.Runs, diveSummary, []string{"CI=true"}, dive, "--ci", "--source", "docker", "rocket:latest")
	logf("dive: CI mode on rocket:latest, median %s (%s)", formatDuration(medianDuration(res.Dive.Times)), res.Dive.Summary)
	return res
}

// diveSummary matches dive's CI verdict line, such as
// "Result:PASS [Total:3] [Passed:2] [Failed:0] [Warn:0] [Skipped:1]".
var diveSummary = regexp.MustCompile(`^Result:.*`)

// installDive builds dive with `go install` into a folder under tmp, which
// main removes at the end of the run. The version is pinned because the
// pseudo-version that @latest selects (v0.13.2-0.20250516191726-d6c691947f8f)
// has no main package at the module root and fails to install, while
// v0.13.1 has one.
func installDive(ctx context.Context, version, tmp string) (string, time.Duration, error) {
	gobin := filepath.Join(tmp, "gobin")
	begin := time.Now()
	cmd := exec.CommandContext(ctx, "go", "install", "github.com/wagoodman/dive@"+version)
	cmd.Dir = tmp // outside the project's module, so its go.mod plays no part
	cmd.Env = append(os.Environ(), "GOBIN="+gobin, "GOTOOLCHAIN=local")
	out, err := cmd.CombinedOutput()
	took := time.Since(begin)
	if err != nil {
		return "", took, fmt.Errorf("go install github.com/wagoodman/dive@%s failed: %v: %s", version, err, strings.TrimSpace(string(out)))
	}
	logf("dive: installed %s in %s", version, formatDuration(took))
	return filepath.Join(gobin, "dive"), took, nil
}

// ansiEscape matches terminal color codes, which dive prints also when
// its output is not a terminal.
var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// timeCommand runs name with args runs times and records the wall time and
// exit code of each run. A non-zero exit code is a result, not an error.
// An error means the command could not run at all.
func timeCommand(ctx context.Context, runs int, summary *regexp.Regexp, env []string, name string, args ...string) CommandRuns {
	res := CommandRuns{Command: strings.Join(append([]string{filepath.Base(name)}, args...), " ")}
	for range runs {
		var out bytes.Buffer
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Env = append(os.Environ(), env...)
		cmd.Stdout, cmd.Stderr = &out, &out
		cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
		cmd.WaitDelay = commandGrace

		begin := time.Now()
		err := cmd.Run()
		took := time.Since(begin)
		var exitErr *exec.ExitError
		switch {
		case err == nil:
			res.ExitCodes = append(res.ExitCodes, 0)
		case errors.As(err, &exitErr) && ctx.Err() == nil:
			res.ExitCodes = append(res.ExitCodes, exitErr.ExitCode())
		default:
			res.Err = fmt.Errorf("running %s failed: %w", res.Command, err)
			return res
		}
		res.Times = append(res.Times, took)
		res.Summary = lastMatch(ansiEscape.ReplaceAllString(out.String(), ""), summary)
	}
	return res
}

func lastMatch(text string, re *regexp.Regexp) string {
	found := ""
	for line := range strings.SplitSeq(text, "\n") {
		if m := re.FindString(strings.TrimSpace(line)); m != "" {
			found = m
		}
	}
	return found
}
