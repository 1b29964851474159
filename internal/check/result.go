// Package check verifies an image against a policy. Static checks read the
// image's configuration, history, files and Dockerfile; dynamic checks run
// containers of the image and probe them. Every result carries the
// evidence that was measured.
package check

import (
	"fmt"
	"time"

	"github.com/imagelab/imagelab/internal/i18n"
)

// Status is the verdict of one check.
type Status string

// The verdicts. Error means the check could not measure (an engine
// failure or the run's timeout), so it says nothing about the image.
const (
	Pass  Status = "pass"
	Fail  Status = "fail"
	Warn  Status = "warn"
	Skip  Status = "skip"
	Error Status = "error"
)

// Statuses lists every status in the order reports count them.
func Statuses() []Status { return []Status{Pass, Fail, Warn, Skip, Error} }

// Evidence is one measured value. Key is a stable snake_case identifier,
// the same in every language and format.
type Evidence struct {
	Key   string
	Value string
}

// Result is the outcome of one check.
type Result struct {
	ID    string
	Title i18n.Text
	// Required checks decide the exit status; the others only warn.
	Required bool
	Status   Status
	// Summary is a one-line explanation of the status.
	Summary  i18n.Text
	Evidence []Evidence
	// Fix is a one-line instruction, set when the check does not pass.
	Fix      i18n.Text
	Duration time.Duration
}

// Add appends one piece of evidence, formatting value with fmt.
func (r *Result) Add(key, format string, args ...any) {
	r.Evidence = append(r.Evidence, Evidence{Key: key, Value: fmt.Sprintf(format, args...)})
}

// Get returns the value of the evidence key, or "".
func (r *Result) Get(key string) string {
	for _, e := range r.Evidence {
		if e.Key == key {
			return e.Value
		}
	}
	return ""
}

// set records a verdict with its summary and, unless it passes, its fix.
func (r *Result) set(s Status, summary, fix i18n.Text) {
	r.Status, r.Summary = s, summary
	if s != Pass {
		r.Fix = fix
	}
}

// worsen lowers the status to s when s is worse, keeping the first
// summary and fix of the worst status.
func (r *Result) worsen(s Status, summary, fix i18n.Text) {
	if rank(s) > rank(r.Status) {
		r.set(s, summary, fix)
	}
}

func rank(s Status) int {
	switch s {
	case Pass:
		return 1
	case Warn:
		return 2
	case Fail:
		return 3
	case Error:
		return 4
	}
	return 0
}

// Report is the outcome of a whole run.
type Report struct {
	Image   string
	ImageID string
	// Dockerfile is the path of the Dockerfile the run read, or "".
	Dockerfile string
	// Static is set when only the static checks ran.
	Static   bool
	Started  time.Time
	Duration time.Duration
	Results  []Result
}

// Totals counts the results by status.
func (r *Report) Totals() map[Status]int {
	t := map[Status]int{}
	for _, res := range r.Results {
		t[res.Status]++
	}
	return t
}

// Exit statuses of the check command.
const (
	ExitPass  = 0
	ExitFail  = 1
	ExitError = 2
)

// ExitCode returns 0 when every required check passed (warnings allowed),
// 2 when a required check could not measure, and 1 when one failed.
func (r *Report) ExitCode() int {
	code := ExitPass
	for _, res := range r.Results {
		if !res.Required {
			continue
		}
		switch res.Status {
		case Error:
			return ExitError
		case Fail:
			code = ExitFail
		}
	}
	return code
}

// Result returns the result of check id, or nil.
func (r *Report) Result(id string) *Result {
	for i := range r.Results {
		if r.Results[i].ID == id {
			return &r.Results[i]
		}
	}
	return nil
}
