// Package gradebook turns the results of a grading run into the
// instructor's gradebook: grades.csv for a spreadsheet, grades.md, and a
// self-contained grades.html whose columns sort on a click.
//
// Every string that a student or the roster controls is escaped for its
// format, and label values reach the notes. CSV cells that a spreadsheet
// would run as a formula get a leading apostrophe. Markdown cells have
// their markup escaped, and html/template escapes the HTML.
package gradebook

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/imagelab/imagelab/internal/grade"
	"github.com/imagelab/imagelab/internal/lab"
	"github.com/imagelab/imagelab/internal/lab/roster"
)

// File names of the gradebook inside the output folder.
const (
	CSVFile      = "grades.csv"
	MarkdownFile = "grades.md"
	HTMLFile     = "grades.html"
)

// Pending is the outcome of a student who has no result yet.
const Pending = "pending"

// Book is the gradebook of one roster.
type Book struct {
	Generated time.Time
	// Columns are the requirements worth points, in report order.
	Columns      []Column
	ExtraColumns []string
	Rows         []Row
	// Skipped are the roster rows that were not graded.
	Skipped []roster.Problem
	Max     float64
}

// Column is one requirement.
type Column struct {
	ID  string
	Max float64
}

// Cell is the points of one requirement for one student.
type Cell struct {
	// Status is the verdict, or "" when the requirement was not checked.
	Status string
	Points float64
	Max    float64
}

// Row is one student.
type Row struct {
	Login   string
	Image   string
	Outcome string
	Cells   []Cell
	Total   float64
	Max     float64
	Extra   []string
	Notes   []string
}

// New builds the gradebook of ros from the results by login, scoring
// them with pts. A student without a result gets a pending row.
func New(ros *roster.Roster, results map[string]*grade.Result, pts grade.Points, secret lab.Secret) *Book {
	b := &Book{Generated: time.Now().UTC(), ExtraColumns: ros.ExtraColumns, Skipped: ros.Problems, Max: pts.Max()}
	for _, id := range pts.Columns() {
		b.Columns = append(b.Columns, Column{ID: id, Max: pts.Of(id)})
	}
	for _, s := range ros.Students {
		b.Rows = append(b.Rows, newRow(s, results[s.Login], pts, secret, ros))
	}
	return b
}

func newRow(s roster.Student, r *grade.Result, pts grade.Points, secret lab.Secret, ros *roster.Roster) Row {
	row := Row{Login: s.Login, Image: s.ImageRef(secret.Token(s.Login)), Extra: s.Extra}
	if r == nil {
		row.Outcome, row.Max = Pending, pts.Max()
		for _, id := range pts.Columns() {
			row.Cells = append(row.Cells, Cell{Max: pts.Of(id)})
		}
		row.Notes = []string{"not graded yet: the run was interrupted; rerun the same command to continue"}
	} else {
		r.Score(pts)
		row.Outcome, row.Total, row.Max, row.Image = string(r.Outcome), r.Total, r.Max, r.Image
		for _, a := range r.Awards {
			row.Cells = append(row.Cells, Cell{Status: string(a.Status), Points: a.Points, Max: a.Max})
		}
		if r.Stale {
			row.Notes = append(row.Notes, "result of an earlier run, not verified by the last run because it was interrupted")
		}
		row.Notes = append(row.Notes, r.Notes...)
	}
	for _, p := range ros.ProblemsOf(s.Login) {
		row.Notes = append(row.Notes, p.String())
	}
	return row
}

// Write writes grades.csv, grades.md and grades.html into dir, each
// atomically.
func Write(dir string, b *Book) error {
	writers := []struct {
		name   string
		render func(*Book) ([]byte, error)
	}{{CSVFile, CSV}, {MarkdownFile, Markdown}, {HTMLFile, HTML}}
	for _, w := range writers {
		data, err := w.render(b)
		if err != nil {
			return fmt.Errorf("rendering %s: %w", w.name, err)
		}
		if err := lab.WriteFileAtomic(filepath.Join(dir, w.name), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// noteLimit is the longest note kept in the gradebook, in characters; the
// student's report keeps the whole text.
const noteLimit = 300

// notesText joins a row's notes into one line.
func notesText(notes []string) string {
	parts := make([]string, len(notes))
	for i, n := range notes {
		parts[i] = truncate(n, noteLimit)
	}
	return strings.Join(parts, "; ")
}

func truncate(s string, limit int) string {
	runes := []rune(s)
	if len(runes) <= limit {
		return s
	}
	return string(runes[:limit]) + "…"
}
