package grade

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/imagelab/imagelab/internal/i18n"
	"github.com/imagelab/imagelab/internal/lab"
)

// StudentsDir is the folder, under the output folder, that holds one
// result file and one text report per student.
const StudentsDir = "students"

// ResultPath returns the path of a student's result file.
func ResultPath(outDir, login string) string {
	return filepath.Join(outDir, StudentsDir, login+".json")
}

// TextPath returns the path of a student's text report.
func TextPath(outDir, login string) string {
	return filepath.Join(outDir, StudentsDir, login+".txt")
}

// LoadResult reads a student's stored result. It returns nil and no error
// when there is none.
func LoadResult(outDir, login string) (*Result, error) {
	path := ResultPath(outDir, login)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading result %q: %w", path, err)
	}
	var r Result
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("reading result %q: %w", path, err)
	}
	if r.Login != login {
		return nil, fmt.Errorf("reading result %q: it belongs to login %q", path, r.Login)
	}
	return &r, nil
}

// saveResult writes the result file and the text report, each atomically.
// It leaves both untouched when the result file already has this content,
// so a resumed run does not rewrite what it reuses.
func saveResult(outDir string, r *Result, lang i18n.Lang) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the result of %q: %w", r.Login, err)
	}
	data = append(data, '\n')
	path := ResultPath(outDir, r.Login)
	if old, err := os.ReadFile(path); err == nil && string(old) == string(data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("creating folder %q: %w", filepath.Dir(path), err)
	}
	// The text report goes first: a result file on disk means the
	// student is done, so it must not exist without its report.
	if err := lab.WriteFileAtomic(TextPath(outDir, r.Login), []byte(r.Text(lang)), 0o600); err != nil {
		return err
	}
	return lab.WriteFileAtomic(path, data, 0o600)
}

// Text renders the student's full report: the check suite's text report,
// then the identity checks, the points and the notes.
func (r *Result) Text(lang i18n.Lang) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n%s: %s\n\n", lang.String("Student"), r.Login, lang.String("Image"), r.Image)
	switch r.Outcome {
	case Missing, Error:
		fmt.Fprintf(&b, "%s\n\n", r.Error)
	default:
		b.WriteString(r.ReportText)
		b.WriteString("\n")
	}
	if len(r.Identity) > 0 {
		fmt.Fprintf(&b, "%s\n\n", lang.String("Identity"))
		for _, v := range r.Identity {
			writeVerdict(&b, v, lang)
		}
	}
	fmt.Fprintf(&b, "%s: %s / %s\n", lang.String("Points"), FormatPoints(r.Total), FormatPoints(r.Max))
	for _, a := range r.Awards {
		status := string(a.Status)
		if status == "" {
			status = "-"
		}
		fmt.Fprintf(&b, "  %-15s %5s / %-5s %s\n", a.ID, FormatPoints(a.Points), FormatPoints(a.Max), status)
	}
	if len(r.Notes) > 0 {
		fmt.Fprintf(&b, "\n%s:\n", lang.String("Notes"))
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "  - %s\n", n)
		}
	}
	return b.String()
}

func writeVerdict(b *strings.Builder, v Verdict, lang i18n.Lang) {
	fmt.Fprintf(b, "%-5s  %-15s %s\n", strings.ToUpper(string(v.Status)), v.ID, v.Title)
	fmt.Fprintf(b, "       %s\n", v.Summary)
	for _, key := range sortedKeys(v.Evidence) {
		fmt.Fprintf(b, "       · %s: %s\n", key, v.Evidence[key])
	}
	if v.Fix != "" {
		fmt.Fprintf(b, "       %s %s\n", lang.String("fix:"), v.Fix)
	}
	b.WriteString("\n")
}
