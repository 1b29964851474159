package grade_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagelab/imagelab/internal/grade"
	"github.com/imagelab/imagelab/internal/gradebook"
)

// TestGradebookOfFleet writes the gradebook of real graded images, one of
// which carries HTML, quotes, a line break and a 10 KB formula in its
// labels, and checks that every format keeps them inert.
func TestGradebookOfFleet(t *testing.T) {
	ros, sum := grade.GradedFleet(t)
	dir := t.TempDir()
	if err := gradebook.Write(dir, gradebook.New(ros, sum.Results, grade.DefaultPoints(), grade.FleetSecret)); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}

	records, err := csv.NewReader(bytes.NewReader([]byte(read(gradebook.CSVFile)))).ReadAll()
	if err != nil {
		t.Fatalf("reading grades.csv back: %v", err)
	}
	if len(records) != 1+len(ros.Students) {
		t.Errorf("grades.csv has %d records, want %d", len(records), 1+len(ros.Students))
	}
	for _, rec := range records {
		if len(rec) != len(records[0]) {
			t.Errorf("record of %s has %d cells, want %d", rec[0], len(rec), len(records[0]))
		}
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("grades.csv cell %.40q starts a formula", cell)
			}
		}
	}
	hostileNotes := records[len(records)-1][len(records[0])-1]
	if !strings.Contains(hostileNotes, `<script>document.title='pwned'</script>\"quoted\"\nsecond line`) {
		t.Errorf("hostile notes in CSV = %.200q, want the label quoted as text", hostileNotes)
	}

	md := read(gradebook.MarkdownFile)
	if strings.Contains(md, "<script") || strings.Contains(md, "\nsecond line") {
		t.Error("grades.md carries raw HTML or a raw line break from a label")
	}
	page := read(gradebook.HTMLFile)
	if strings.Count(page, "<script") != 1 {
		t.Errorf("grades.html has %d script tags, want 1", strings.Count(page, "<script"))
	}
	if !strings.Contains(page, "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;") {
		t.Error("grades.html does not show the hostile label escaped")
	}
	for _, name := range []string{gradebook.CSVFile, gradebook.MarkdownFile, gradebook.HTMLFile} {
		if n := len(read(name)); n > 100_000 {
			t.Errorf("%s is %d bytes: the 10 KB label was not cut", name, n)
		}
	}
}
