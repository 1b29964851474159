// Package grade checks every student's image on a roster with the full
// check suite and the lab's identity checks, and scores the verdicts. It
// stores each student's result as soon as it is known, so that a rerun
// continues an interrupted run where it stopped.
package grade

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/imagelab/imagelab/internal/check"
	"github.com/imagelab/imagelab/internal/engine"
	"github.com/imagelab/imagelab/internal/i18n"
	"github.com/imagelab/imagelab/internal/lab"
	"github.com/imagelab/imagelab/internal/lab/roster"
	"github.com/imagelab/imagelab/internal/policy"
)

// Options configure a grading run.
type Options struct {
	Roster *roster.Roster
	Secret lab.Secret
	// OutDir receives students/<login>.json and .txt.
	OutDir string
	// Jobs is how many images are checked at once (default: the number
	// of CPUs).
	Jobs int
	// TimeoutPerImage bounds one image's check run, and separately its
	// pull (default: the policy's Timeout).
	TimeoutPerImage time.Duration
	// Policy is the check suite's policy (default: policy.Default()).
	// Its Timeout is replaced by TimeoutPerImage.
	Policy *policy.Policy
	Points Points
	// Lang is the language of the stored reports.
	Lang i18n.Lang
	// Force regrades students whose stored result is still valid.
	Force bool
	// Pull, when set, is called before each image is inspected.
	Pull func(ctx context.Context, ref string) error
	// Checks replaces check.All(), for tests.
	Checks []check.Check
	// Progress hears of every student as it finishes; nil shows nothing.
	Progress Progress
}

// Summary is the account of one grading run.
type Summary struct {
	// Results holds a result for every student that has one, by login:
	// those graded now, those reused, and, when the run was interrupted,
	// stale ones from earlier runs.
	Results map[string]*Result
	// Checked counts the images checked in this run; Reused the stored
	// results kept; Missing the images not found; Errors the students
	// whose grading failed; Pending the students left without a result
	// because the run was interrupted.
	Checked, Reused, Missing, Errors, Pending int
	Duration                                  time.Duration
}

// watchdogGrace is how long a check run may overrun its timeout before
// the grader gives up waiting for it.
const watchdogGrace = 30 * time.Second

// Run grades every student of the roster. It returns an error only when
// grading could not start; one student's failure, hang or panic is that
// student's result. When ctx is cancelled, the students in progress are
// left without a stored result, and Run returns the rest.
func Run(ctx context.Context, eng *engine.Engine, opt Options) (*Summary, error) {
	g, err := newGrader(eng, opt)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	students := opt.Roster.Students
	if g.opt.Progress != nil {
		g.opt.Progress.Begin(len(students))
	}
	queue := make(chan roster.Student)
	var wg sync.WaitGroup
	for range min(g.opt.Jobs, max(len(students), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range queue {
				g.grade(ctx, s)
			}
		}()
	}
	feed(ctx, queue, students)
	wg.Wait()
	if g.opt.Progress != nil {
		g.opt.Progress.End()
	}
	g.addStale()
	g.sum.Duration = time.Since(start)
	return &g.sum, nil
}

// feed sends students to the workers until ctx is cancelled.
func feed(ctx context.Context, queue chan<- roster.Student, students []roster.Student) {
	defer close(queue)
	for _, s := range students {
		select {
		case queue <- s:
		case <-ctx.Done():
			return
		}
	}
}

type grader struct {
	eng      *engine.Engine
	opt      Options
	policy   policy.Policy
	checks   []check.Check
	identity *Identity

	mu  sync.Mutex
	sum Summary
}

func newGrader(eng *engine.Engine, opt Options) (*grader, error) {
	if opt.Roster == nil || opt.OutDir == "" || opt.Secret.IsZero() {
		return nil, errors.New("grading needs a roster, a secret and an output folder")
	}
	pol := policy.Default()
	if opt.Policy != nil {
		pol = *opt.Policy
	}
	if opt.TimeoutPerImage <= 0 {
		opt.TimeoutPerImage = pol.Timeout
	}
	pol.Timeout = opt.TimeoutPerImage
	if opt.Jobs <= 0 {
		opt.Jobs = runtime.NumCPU()
	}
	if opt.Points.value == nil {
		opt.Points = DefaultPoints()
	}
	checks := opt.Checks
	if checks == nil {
		checks = check.All()
	}
	g := &grader{
		eng: eng, opt: opt, policy: pol, checks: guard(checks),
		identity: NewIdentity(opt.Secret, opt.Roster.Students),
	}
	g.sum.Results = map[string]*Result{}
	return g, nil
}

// record files a finished student's result in the summary.
func (g *grader) record(r *Result, reused bool) {
	g.mu.Lock()
	g.sum.Results[r.Login] = r
	switch {
	case reused:
		g.sum.Reused++
	case r.Outcome == Missing:
		g.sum.Missing++
	case r.Outcome == Error:
		g.sum.Errors++
	default:
		g.sum.Checked++
	}
	g.mu.Unlock()
	if g.opt.Progress != nil {
		g.opt.Progress.Finished(r, reused)
	}
}

// addStale adds, for students this run did not reach, the results that
// earlier runs stored, and counts the students that have none.
func (g *grader) addStale() {
	for _, s := range g.opt.Roster.Students {
		if _, done := g.sum.Results[s.Login]; done {
			continue
		}
		r, err := LoadResult(g.opt.OutDir, s.Login)
		if err != nil {
			slog.Warn("reading an earlier result", "login", s.Login, "err", err)
		}
		if r == nil {
			g.sum.Pending++
			continue
		}
		r.Stale = true
		r.Score(g.opt.Points)
		g.sum.Results[s.Login] = r
	}
}

// guard wraps each check so that a panic inside it becomes that check's
// error verdict instead of ending the process: check.Run runs checks on
// goroutines of its own, where no outer recover reaches.
func guard(checks []check.Check) []check.Check {
	out := make([]check.Check, len(checks))
	for i, c := range checks {
		run := c.Run
		c.Run = func(ctx context.Context, t *check.Target, r *check.Result) {
			defer func() {
				if p := recover(); p != nil {
					slog.Error("a check panicked", "check", r.ID, "image", t.Image.Ref, "panic", p)
					r.Status = check.Error
					r.Summary = i18n.T("the check crashed: %s", fmt.Sprint(p))
					r.Fix = i18n.T("report this imagelab bug together with the image")
				}
			}()
			run(ctx, t, r)
		}
		out[i] = c
	}
	return out
}
