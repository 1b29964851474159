package gradebook

import (
	"bytes"
	"encoding/csv"
	"html"
	"strings"
	"testing"

	"github.com/imagelab/imagelab/internal/check"
	"github.com/imagelab/imagelab/internal/grade"
	"github.com/imagelab/imagelab/internal/lab"
	"github.com/imagelab/imagelab/internal/lab/roster"
	"github.com/imagelab/imagelab/internal/policy"
)

// Values a student or a careless roster can put into the gradebook.
const (
	scriptLabel = `<script>document.title='pwned'</script>`
	quoteLabel  = `say "hi" & 'bye' | pipe`
	formula     = `=cmd|' /C calc'!A0`
)

var (
	bookSecret = lab.NewSecret([]byte("gradebook-test-secret"))
	longLabel  = strings.Repeat("<b>A&", 2048) // 10 KB
)

// hostileBook grades three synthetic students whose labels and roster
// cells carry hostile strings.
func hostileBook(t *testing.T) *Book {
	t.Helper()
	text := "login,image,name,comment\n" +
		"anna,,\"" + strings.ReplaceAll(scriptLabel, `"`, `""`) + "\",\"" + formula + "\"\n" +
		"boris,,\"two\nlines\",+SUM(1)\n" +
		"vera,,\"" + strings.ReplaceAll(quoteLabel, `"`, `""`) + "\",@x\n" +
		"gleb,,,-2+3\n" +
		"Bad<script>,,x,y\n"
	ros, err := roster.Parse(strings.NewReader(text), "roster.csv")
	if err != nil {
		t.Fatal(err)
	}
	id := grade.NewIdentity(bookSecret, ros.Students)
	results := map[string]*grade.Result{}
	labels := map[string]map[string]string{
		"anna":  {policy.LoginLabel: scriptLabel, policy.TokenLabel: formula},
		"boris": {policy.LoginLabel: "two\nlines\r\n", policy.TokenLabel: longLabel},
		"vera":  {policy.LoginLabel: quoteLabel, policy.TokenLabel: bookSecret.Token("anna")},
	}
	for login, l := range labels {
		s, _ := ros.Student(login)
		r := &grade.Result{Login: login, Image: s.ImageRef(bookSecret.Token(login)), Outcome: grade.Graded}
		for _, res := range id.Check(login, r.Image, l) {
			r.Identity = append(r.Identity, grade.Verdict{ID: res.ID, Status: res.Status, Summary: res.Summary.String()})
		}
		r.Checks = []grade.Verdict{{ID: "size", Status: check.Pass}, {ID: "labels", Status: check.Warn}}
		results[login] = r
	}
	return New(ros, results, grade.DefaultPoints(), bookSecret)
}

func TestCSVEscaping(t *testing.T) {
	data, err := CSV(hostileBook(t))
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("reading the CSV back: %v", err)
	}
	header := records[0]
	if len(records) != 1+4+1 {
		t.Fatalf("got %d records, want a header, 4 students and 1 skipped line", len(records))
	}
	for i, rec := range records {
		if len(rec) != len(header) {
			t.Errorf("record %d has %d cells, want %d", i, len(rec), len(header))
		}
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("record %d has a formula cell %q", i, cell)
			}
		}
	}
	col := map[string]int{}
	for i, name := range header {
		col[name] = i
	}
	anna, boris := records[1], records[2]
	if anna[col["comment"]] != "'"+formula {
		t.Errorf("anna's comment = %q, want it prefixed with an apostrophe", anna[col["comment"]])
	}
	if anna[col["name"]] != scriptLabel {
		t.Errorf("anna's name = %q, want it kept as text", anna[col["name"]])
	}
	if boris[col["name"]] != "two\nlines" {
		t.Errorf("boris's name = %q, want the line break kept inside the quoted cell", boris[col["name"]])
	}
	if records[3][col["notes"]] == "" || !strings.Contains(records[3][col["notes"]], "token of student anna") {
		t.Errorf("vera's notes = %q, want the borrowed token named", records[3][col["notes"]])
	}
	if got := records[5][col["outcome"]]; got != "skipped" {
		t.Errorf("skipped row outcome = %q", got)
	}
}

func TestMarkdownEscaping(t *testing.T) {
	data, err := Markdown(hostileBook(t))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, raw := range []string{"<script", "<b>", `"hi"`, "' | pipe"} {
		if strings.Contains(text, raw) {
			t.Errorf("Markdown contains raw %q", raw)
		}
	}
	var rows []string
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "|") {
			rows = append(rows, line)
		}
	}
	if len(rows) != 2+4 {
		t.Fatalf("got %d table lines, want a header, a rule and 4 students; a line break escaped a cell:\n%s", len(rows), text)
	}
	want := cellCount(rows[0])
	for i, row := range rows {
		if got := cellCount(row); got != want {
			t.Errorf("table line %d has %d cells, want %d: %.200s", i, got, want, row)
		}
	}
	if !strings.Contains(text, "&lt;script&gt;document.title='pwned'&lt;/script&gt;") {
		t.Error("anna's name is not shown escaped")
	}
}

// cellCount counts the cells of a Markdown table line: the pipes that no
// backslash escapes, less one.
func cellCount(line string) int {
	n := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n - 1
}

func TestHTMLEscaping(t *testing.T) {
	data, err := HTML(hostileBook(t))
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	if strings.Count(page, "<script") != 1 {
		t.Errorf("page has %d script tags, want only its own", strings.Count(page, "<script"))
	}
	if strings.Contains(page, "<b>A&") {
		t.Error("the long label reached the page unescaped")
	}
	if !strings.Contains(page, html.EscapeString(scriptLabel)) && !strings.Contains(page, "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;") {
		t.Error("anna's name is not shown escaped")
	}
	if !strings.Contains(page, "Content-Security-Policy") || !strings.Contains(page, "script-src &#39;sha256-") {
		t.Error("page has no hash-based Content-Security-Policy")
	}
	if strings.Count(page, "<tr>") != 1+4 {
		t.Errorf("page has %d rows, want a header and 4 students", strings.Count(page, "<tr>"))
	}
	if !strings.Contains(page, "Skipped roster lines") {
		t.Error("page does not list the skipped roster line")
	}
}

func TestNotesAreTruncated(t *testing.T) {
	b := hostileBook(t)
	for _, format := range []func(*Book) ([]byte, error){CSV, Markdown, HTML} {
		data, err := format(b)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > 60_000 {
			t.Errorf("gradebook is %d bytes: the 10 KB label was not cut", len(data))
		}
	}
}

func TestPendingRow(t *testing.T) {
	ros, err := roster.Parse(strings.NewReader("login\nanna\n"), "r.csv")
	if err != nil {
		t.Fatal(err)
	}
	b := New(ros, nil, grade.DefaultPoints(), bookSecret)
	if b.Rows[0].Outcome != Pending || !strings.Contains(notesText(b.Rows[0].Notes), "rerun") {
		t.Errorf("row = %+v", b.Rows[0])
	}
	if b.Rows[0].Image != lab.DefaultImage("anna", bookSecret.Token("anna")) {
		t.Errorf("image = %q", b.Rows[0].Image)
	}
}
