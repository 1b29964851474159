package report

import (
	"encoding/json"
	"io"

	"github.com/imagelab/imagelab/internal/check"
)

// jsonReport is the JSON document. Its field names are stable: tools
// parse them.
type jsonReport struct {
	Image      string         `json:"image"`
	ImageID    string         `json:"imageID"`
	Static     bool           `json:"static"`
	Started    string         `json:"started"`
	DurationMS int64          `json:"durationMs"`
	ExitCode   int            `json:"exitCode"`
	Checks     []jsonCheck    `json:"checks"`
	Totals     map[string]int `json:"totals"`
}

// jsonCheck is one entry of the checks array.
type jsonCheck struct {
	ID         string            `json:"id"`
	Title      string            `json:"title"`
	Required   bool              `json:"required"`
	Status     string            `json:"status"`
	Message    string            `json:"message"`
	Evidence   map[string]string `json:"evidence"`
	Fix        string            `json:"fix,omitempty"`
	DurationMS int64             `json:"durationMs"`
}

// JSON writes the report as one indented JSON document. Evidence is an
// object keyed by the stable evidence keys, which encoding/json sorts, and
// its values are the exact measured strings. Totals has a key for every
// status, zero included, and checks is [] when no check ran, so the
// schema does not depend on the outcome.
func JSON(w io.Writer, rep *check.Report, opt Options) error {
	l := opt.Lang
	doc := jsonReport{
		Image: rep.Image, ImageID: rep.ImageID, Static: rep.Static,
		Started:    rep.Started.UTC().Format("2006-01-02T15:04:05Z"),
		DurationMS: rep.Duration.Milliseconds(), ExitCode: rep.ExitCode(),
		Checks: []jsonCheck{}, Totals: statusTotals(rep),
	}
	for _, r := range rep.Results {
		c := jsonCheck{
			ID: r.ID, Title: l.Format(r.Title), Required: r.Required, Status: string(r.Status),
			Message: l.Format(r.Summary), Fix: l.Format(r.Fix), Evidence: map[string]string{},
			DurationMS: r.Duration.Milliseconds(),
		}
		for _, e := range r.Evidence {
			c.Evidence[e.Key] = e.Value
		}
		doc.Checks = append(doc.Checks, c)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
