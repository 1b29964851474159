package roster

import (
	"strings"
	"testing"
)

func parse(t *testing.T, text string) *Roster {
	t.Helper()
	r, err := Parse(strings.NewReader(text), "roster.csv")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return r
}

func TestParseColumns(t *testing.T) {
	r := parse(t, "Name,LOGIN, image ,group\nAnna,anna,reg/anna:1,101\nBoris,boris,,102\n")
	if got := strings.Join(r.ExtraColumns, "|"); got != "Name|group" {
		t.Errorf("ExtraColumns = %q, want Name|group", got)
	}
	if len(r.Students) != 2 {
		t.Fatalf("got %d students, want 2", len(r.Students))
	}
	anna, boris := r.Students[0], r.Students[1]
	if anna.Login != "anna" || anna.Image != "reg/anna:1" || anna.Line != 2 {
		t.Errorf("anna = %+v", anna)
	}
	if strings.Join(anna.Extra, "|") != "Anna|101" {
		t.Errorf("anna's extra = %q", anna.Extra)
	}
	if boris.Image != "" || boris.ImageRef("0123456789abcdef") != "boris/image-lab:01234567" {
		t.Errorf("boris's image = %q, ref %q", boris.Image, boris.ImageRef("0123456789abcdef"))
	}
	if anna.ImageRef("0123456789abcdef") != "reg/anna:1" {
		t.Errorf("anna's ref = %q, want the roster's", anna.ImageRef("x"))
	}
}

func TestParseWithoutImageColumn(t *testing.T) {
	r := parse(t, "\ufefflogin\nanna\n")
	if len(r.Students) != 1 || r.Students[0].Login != "anna" {
		t.Fatalf("students = %+v", r.Students)
	}
}

func TestParseMalformedRows(t *testing.T) {
	text := "login,image,name\n" + // 1
		"anna,,Anna\n" + // 2
		"Bad Name,,x\n" + // 3
		"short\n" + // 4
		"anna,,Anna again\n" + // 5
		"\n" + // 6: blank lines are not rows
		"\"quoted\nname\",,multi\n" + // 7-8
		"boris,,\"two\nlines\"\n" + // 9-10
		",,nobody\n" // 11
	r := parse(t, text)
	var logins []string
	for _, s := range r.Students {
		logins = append(logins, s.Login)
	}
	if got := strings.Join(logins, ","); got != "anna,boris" {
		t.Errorf("students = %s, want anna,boris", got)
	}
	if r.Students[1].Line != 9 {
		t.Errorf("boris's line = %d, want 9", r.Students[1].Line)
	}
	want := []struct {
		line int
		text string
	}{
		{3, "capital letter"},
		{4, "1 columns, but the header has 3"},
		{5, "duplicate of line 2"},
		{7, "only lowercase letters"},
		{11, "empty"},
	}
	if len(r.Problems) != len(want) {
		t.Fatalf("problems = %+v, want %d", r.Problems, len(want))
	}
	for i, w := range want {
		p := r.Problems[i]
		if p.Line != w.line || !strings.Contains(p.Reason, w.text) {
			t.Errorf("problem %d = line %d %q, want line %d with %q", i, p.Line, p.Reason, w.line, w.text)
		}
	}
	if got := r.ProblemsOf("anna"); len(got) != 1 || got[0].Line != 5 {
		t.Errorf("ProblemsOf(anna) = %+v", got)
	}
	if s := r.Problems[0].String(); !strings.HasPrefix(s, "roster line 3 skipped: ") {
		t.Errorf("String() = %q", s)
	}
}

func TestParseHeaderErrors(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"empty file", "", "empty"},
		{"no login column", "name,image\nx,y\n", `no "login" column`},
		{"duplicate column", "login,Login\na,b\n", "twice"},
		{"unnamed column", "login,,name\na,b,c\n", "column 2 has no name"},
		{"broken quote", "login,name\nanna,\"unclosed\nboris,x\n", "roster.csv"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(c.text), "roster.csv")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Parse error = %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestLoadFixture(t *testing.T) {
	r, err := Load("../../../testdata/lab/roster.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Students) != 2 || r.Students[0].Login != "ivanov" || r.Students[1].Image != "registry.local:5000/petrova/image-lab:custom" {
		t.Errorf("students = %+v", r.Students)
	}
	lines := []int{}
	for _, p := range r.Problems {
		lines = append(lines, p.Line)
	}
	if len(lines) != 3 || lines[0] != 4 || lines[1] != 5 || lines[2] != 6 {
		t.Errorf("problem lines = %v, want [4 5 6]", lines)
	}
	if _, err := Load("../../../testdata/lab/absent.csv"); err == nil || !strings.Contains(err.Error(), "absent.csv") {
		t.Errorf("Load of a missing file = %v", err)
	}
}
