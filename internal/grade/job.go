package grade

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/imagelab/imagelab/internal/check"
	"github.com/imagelab/imagelab/internal/engine"
	"github.com/imagelab/imagelab/internal/i18n"
	"github.com/imagelab/imagelab/internal/lab/roster"
	"github.com/imagelab/imagelab/internal/report"
)

// beforeGrade, when set by a test, runs at the start of each student's
// job, inside its panic recovery.
var beforeGrade func(login string)

// grade grades one student and records the result. A panic is recovered
// and recorded as the student's error; a cancelled run records nothing.
func (g *grader) grade(ctx context.Context, s roster.Student) {
	defer func() {
		if p := recover(); p != nil {
			slog.Error("grading a student panicked", "login", s.Login, "panic", p, "stack", string(debug.Stack()))
			r := g.newResult(s)
			g.finish(r, Error, fmt.Sprintf("grading crashed: %v", p))
		}
	}()
	if beforeGrade != nil {
		beforeGrade(s.Login)
	}
	r, reused := g.gradeImage(ctx, s)
	if r == nil {
		return // interrupted
	}
	if !reused {
		r.GradedAt = time.Now().UTC()
	}
	r.Score(g.opt.Points)
	if err := saveResult(g.opt.OutDir, r, g.opt.Lang); err != nil {
		slog.Error("storing a result", "login", s.Login, "err", err)
		r.Notes = append(r.Notes, fmt.Sprintf("not stored: %v", err))
	}
	g.record(r, reused)
}

func (g *grader) newResult(s roster.Student) *Result {
	token := g.opt.Secret.Token(s.Login)
	return &Result{Login: s.Login, Image: s.ImageRef(token)}
}

// finish stores and records a result that has no verdicts.
func (g *grader) finish(r *Result, o Outcome, msg string) {
	r.Outcome, r.Error, r.GradedAt = o, msg, time.Now().UTC()
	r.Checks, r.Identity = nil, nil
	r.Score(g.opt.Points)
	if err := saveResult(g.opt.OutDir, r, g.opt.Lang); err != nil {
		slog.Error("storing a result", "login", r.Login, "err", err)
	}
	g.record(r, false)
}

// gradeImage returns the student's result and whether it was reused from
// an earlier run, or nil when ctx was cancelled before it was known.
func (g *grader) gradeImage(ctx context.Context, s roster.Student) (*Result, bool) {
	r := g.newResult(s)
	pullNote := g.pull(ctx, r.Image)
	img, err := g.eng.Image(ctx, r.Image)
	if ctx.Err() != nil {
		return nil, false
	}
	if engine.IsImageNotFound(err) {
		r.Outcome, r.Error = Missing, "image not found: "+r.Image+pullNote
		return r, false
	}
	if err != nil {
		slog.Error("inspecting a student's image", "login", s.Login, "image", r.Image, "err", err)
		r.Outcome, r.Error = Error, err.Error()+pullNote
		return r, false
	}
	r.ImageID = img.ID()
	identity := g.identity.Check(s.Login, r.Image, img.Inspect.Config.Labels)
	if prev := g.reusable(r); prev != nil {
		prev.Identity = verdicts(identity, g.opt.Lang)
		return prev, true
	}
	if !g.runChecks(ctx, r, img) {
		return nil, false
	}
	r.Identity = verdicts(identity, g.opt.Lang)
	return r, false
}

// pull pulls ref when the run pulls, and returns a note for the
// student's error message when the pull failed.
func (g *grader) pull(ctx context.Context, ref string) string {
	if g.opt.Pull == nil {
		return ""
	}
	pctx, cancel := context.WithTimeout(ctx, g.opt.TimeoutPerImage)
	defer cancel()
	if err := g.opt.Pull(pctx, ref); err != nil {
		slog.Warn("pulling a student's image", "image", ref, "err", err)
		return fmt.Sprintf(" (pulling it failed: %v)", err)
	}
	return ""
}

// reusable returns the stored result of r's student when it graded the
// same image ID under the same reference, unless the run is forced. A
// result that the per-image timeout cut short is graded again, because a
// later run may have a longer timeout or a quieter machine.
func (g *grader) reusable(r *Result) *Result {
	if g.opt.Force {
		return nil
	}
	prev, err := LoadResult(g.opt.OutDir, r.Login)
	if err != nil {
		slog.Warn("ignoring an unreadable earlier result; regrading", "login", r.Login, "err", err)
		return nil
	}
	if prev == nil || prev.Outcome != Graded || prev.TimedOut || prev.ImageID != r.ImageID || prev.Image != r.Image {
		return nil
	}
	return prev
}

// runChecks runs the check suite on img and fills r. It returns false
// when the run was cancelled, so the partial result must not be kept.
func (g *grader) runChecks(ctx context.Context, r *Result, img *engine.Image) bool {
	target, err := check.NewTarget(g.eng, img, g.policy, nil, false)
	if err != nil {
		r.Outcome, r.Error = Error, err.Error()
		return true
	}
	start := time.Now()
	rep, err := g.runWithWatchdog(ctx, target)
	if ctx.Err() != nil {
		return false
	}
	r.DurationMS = time.Since(start).Milliseconds()
	if err != nil {
		r.Outcome, r.Error = Error, err.Error()
		return true
	}
	r.Outcome = Graded
	r.TimedOut = time.Since(start) >= g.opt.TimeoutPerImage
	r.Checks = verdicts(rep.Results, g.opt.Lang)
	g.attachReports(r, rep)
	return true
}

// runWithWatchdog runs check.Run, which honours the policy's timeout, but
// stops waiting for it watchdogGrace later, so that a check that ignores
// its context cannot hold up the other students.
func (g *grader) runWithWatchdog(ctx context.Context, target *check.Target) (*check.Report, error) {
	done := make(chan *check.Report, 1)
	crashed := make(chan any, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				crashed <- p
			}
		}()
		done <- check.Run(ctx, target, g.checks, nil)
	}()
	timer := time.NewTimer(g.opt.TimeoutPerImage + watchdogGrace)
	defer timer.Stop()
	select {
	case rep := <-done:
		return rep, nil
	case p := <-crashed:
		slog.Error("a check run panicked", "image", target.Image.Ref, "panic", p)
		return nil, fmt.Errorf("the check run crashed: %v", p)
	case <-timer.C:
		// NOTE: the abandoned run goes on in the background; its
		// containers are removed when it returns, or by the next sweep.
		slog.Error("a check run overran its timeout; moving on", "image", target.Image.Ref, "timeout", g.opt.TimeoutPerImage)
		return nil, fmt.Errorf("the check run did not return within %s after its %s timeout", watchdogGrace, g.opt.TimeoutPerImage)
	}
}

// attachReports stores the check report as JSON and as text in r.
func (g *grader) attachReports(r *Result, rep *check.Report) {
	opts := report.Options{Lang: g.opt.Lang}
	var js, text bytes.Buffer
	if err := report.JSON(&js, rep, opts); err != nil {
		slog.Error("rendering a JSON report", "login", r.Login, "err", err)
	}
	if err := report.Text(&text, rep, opts); err != nil {
		slog.Error("rendering a text report", "login", r.Login, "err", err)
	}
	r.Report = js.Bytes()
	r.ReportText = text.String()
}

func verdicts(results []check.Result, lang i18n.Lang) []Verdict {
	out := make([]Verdict, 0, len(results))
	for _, res := range results {
		out = append(out, verdictOf(res, lang))
	}
	return out
}
