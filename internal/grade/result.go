package grade

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/imagelab/imagelab/internal/check"
	"github.com/imagelab/imagelab/internal/i18n"
)

// Outcome is how far grading one student got.
type Outcome string

// The outcomes. Graded means the check suite ran, even when checks
// failed or the per-image timeout cut it short; Missing and Error earn
// zero points on every requirement.
const (
	Graded  Outcome = "graded"
	Missing Outcome = "missing"
	Error   Outcome = "error"
)

// Verdict is one requirement's outcome as the result file stores it.
type Verdict struct {
	ID       string            `json:"id"`
	Title    string            `json:"title"`
	Required bool              `json:"required"`
	Status   check.Status      `json:"status"`
	Summary  string            `json:"summary"`
	Evidence map[string]string `json:"evidence,omitempty"`
	Fix      string            `json:"fix,omitempty"`
}

// Award is the points one requirement earned.
type Award struct {
	ID string `json:"id"`
	// Status is the verdict's status, or "" when the requirement was
	// never checked (a missing image, an error).
	Status check.Status `json:"status"`
	Points float64      `json:"points"`
	Max    float64      `json:"max"`
}

// Result is the grade of one student: the file students/<login>.json.
type Result struct {
	Login   string  `json:"login"`
	Image   string  `json:"image"`
	ImageID string  `json:"imageID,omitempty"`
	Outcome Outcome `json:"outcome"`
	// Error is the reason when Outcome is Missing or Error.
	Error string `json:"error,omitempty"`
	// TimedOut is set when the per-image timeout cut the check run short.
	TimedOut bool `json:"timedOut,omitempty"`
	// Checks are the check suite's verdicts; Identity the lab's.
	Checks   []Verdict `json:"checks,omitempty"`
	Identity []Verdict `json:"identity,omitempty"`
	Awards   []Award   `json:"points"`
	Total    float64   `json:"total"`
	Max      float64   `json:"max"`
	Notes    []string  `json:"notes,omitempty"`
	GradedAt time.Time `json:"gradedAt"`
	// DurationMS is how long the check run took, in milliseconds.
	DurationMS int64 `json:"durationMs"`
	// Report is the check suite's full JSON report, and ReportText the
	// same report as text; the text file adds identity and points to it.
	Report     json.RawMessage `json:"report,omitempty"`
	ReportText string          `json:"reportText,omitempty"`

	// Stale marks a result loaded from an earlier run that this run did
	// not verify, because it was interrupted first. It is not stored.
	Stale bool `json:"-"`
}

// verdictOf renders a check result in language lang.
func verdictOf(r check.Result, lang i18n.Lang) Verdict {
	v := Verdict{
		ID: r.ID, Title: lang.Format(r.Title), Required: r.Required, Status: r.Status,
		Summary: lang.Format(r.Summary), Fix: lang.Format(r.Fix),
	}
	if len(r.Evidence) > 0 {
		v.Evidence = map[string]string{}
		for _, e := range r.Evidence {
			v.Evidence[e.Key] = e.Value
		}
	}
	return v
}

// verdict returns the verdict of requirement id, or nil.
func (r *Result) verdict(id string) *Verdict {
	for _, list := range [][]Verdict{r.Checks, r.Identity} {
		for i := range list {
			if list[i].ID == id {
				return &list[i]
			}
		}
	}
	return nil
}

// Score fills Awards, Total, Max and Notes from the verdicts and the
// points table.
func (r *Result) Score(p Points) {
	r.Awards, r.Total, r.Max, r.Notes = nil, 0, 0, nil
	for _, id := range p.Columns() {
		a := Award{ID: id, Max: p.Of(id)}
		if r.Outcome == Graded {
			if v := r.verdict(id); v != nil {
				a.Status = v.Status
				a.Points = p.Earned(id, v.Status)
			}
		}
		r.Awards = append(r.Awards, a)
		r.Total += a.Points
		r.Max += a.Max
	}
	r.Notes = r.notes()
}

// notes lists what cost the student points, one short line each.
func (r *Result) notes() []string {
	var notes []string
	switch r.Outcome {
	case Missing:
		return append(notes, r.Error)
	case Error:
		return append(notes, "error: "+r.Error)
	}
	if r.TimedOut {
		notes = append(notes, fmt.Sprintf("timed out after %s; the unfinished checks earned no points", time.Duration(r.DurationMS)*time.Millisecond))
	}
	for _, a := range r.Awards {
		if a.Points >= a.Max {
			continue
		}
		summary := ""
		if v := r.verdict(a.ID); v != nil {
			summary = v.Summary
		}
		notes = append(notes, fmt.Sprintf("%s: %s", a.ID, oneLine(summary)))
	}
	return notes
}

// oneLine replaces line breaks so that a note stays on one line.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
