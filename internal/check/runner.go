package check

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/imagelab/imagelab/internal/i18n"
)

// Check is one requirement.
type Check struct {
	ID       string
	Title    i18n.Text
	Required bool
	// Dynamic checks start containers; a static run skips them.
	Dynamic bool
	// After checks read what the other checks observed, so they run once
	// those have finished.
	After bool
	Run   func(ctx context.Context, t *Target, r *Result)
}

// Observer hears of each check as it starts and finishes, for a live
// progress display. Its methods may be called from several goroutines.
type Observer interface {
	Started(c Check)
	Finished(r Result)
}

// Run runs every check against t, in parallel, bounded by the policy's
// timeout, and returns the report in the order of checks. Every container
// the checks start is removed before Run returns, also when the context
// is cancelled or a check fails. Only a killed process leaves containers
// behind, for the next run's engine.Sweep.
func Run(ctx context.Context, t *Target, checks []Check, obs Observer) *Report {
	ctx, cancel := context.WithTimeout(ctx, t.Policy.Timeout)
	defer cancel()
	defer t.Close()

	rep := &Report{Image: t.Image.Ref, ImageID: t.Image.ID(), Static: t.Static, Started: time.Now()}
	if t.Dockerfile != nil {
		rep.Dockerfile = t.Dockerfile.Path
	}
	rep.Results = make([]Result, len(checks))
	runPhase(ctx, t, checks, rep.Results, obs, false)
	runPhase(ctx, t, checks, rep.Results, obs, true)
	rep.Duration = time.Since(rep.Started)
	return rep
}

func runPhase(ctx context.Context, t *Target, checks []Check, results []Result, obs Observer, after bool) {
	var wg sync.WaitGroup
	for i, c := range checks {
		if c.After != after {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = runOne(ctx, t, c, obs)
		}()
	}
	wg.Wait()
}

func runOne(ctx context.Context, t *Target, c Check, obs Observer) Result {
	r := Result{ID: c.ID, Title: c.Title, Required: c.Required, Status: Pass}
	if obs != nil {
		obs.Started(c)
	}
	start := time.Now()
	if t.Static && c.Dynamic {
		r.set(Skip, i18n.T("not run: --static runs only the checks that start no container"), i18n.Text{})
	} else {
		c.Run(ctx, t, &r)
	}
	// A check cut short measured nothing trustworthy: even a failure it
	// saw may be the engine call that the deadline interrupted.
	if ctx.Err() != nil {
		r.set(Error, interrupted(ctx), i18n.T("raise --timeout, or rerun when the checker is not interrupted"))
	}
	r.Duration = time.Since(start)
	if obs != nil {
		obs.Finished(r)
	}
	return r
}

func interrupted(ctx context.Context) i18n.Text {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return i18n.T("not finished: the run's --timeout ran out")
	}
	return i18n.T("not finished: the run was interrupted")
}

// fail records an engine or measurement error as the check's verdict.
func (r *Result) fail(err error) {
	r.Add("error", "%v", err)
	r.set(Error, i18n.T("could not measure: %s", err.Error()), i18n.T("fix the engine error shown in the evidence and rerun"))
}
