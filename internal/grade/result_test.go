package grade

import (
	"os"
	"strings"
	"testing"

	"github.com/imagelab/imagelab/internal/check"
	"github.com/imagelab/imagelab/internal/i18n"
)

func gradedResult(login string) *Result {
	return &Result{
		Login: login, Image: login + "/image-lab:0a1b2c3d", ImageID: "sha256:aaa", Outcome: Graded,
		Checks: []Verdict{
			{ID: "size", Status: check.Pass}, {ID: "non-root", Status: check.Warn},
			{ID: "healthcheck", Status: check.Fail, Summary: "no HEALTHCHECK\ninstruction"},
			{ID: "sigterm", Status: check.Error, Summary: "timed out"},
			{ID: "read-only", Status: check.Pass}, {ID: "env-config", Status: check.Pass},
			{ID: "labels", Status: check.Pass}, {ID: "multi-stage", Status: check.Skip},
		},
		Identity: []Verdict{
			{ID: IdentityLogin, Status: check.Pass}, {ID: IdentityToken, Status: check.Fail, Summary: "token of student boris"},
			{ID: IdentityTag, Status: check.Pass},
		},
	}
}

func TestScoreGraded(t *testing.T) {
	r := gradedResult("anna")
	r.Score(DefaultPoints())
	if r.Total != 10 || r.Max != 16 {
		t.Errorf("total %v / %v, want 10 / 16", r.Total, r.Max)
	}
	notes := strings.Join(r.Notes, "|")
	for _, want := range []string{"healthcheck: no HEALTHCHECK instruction", "sigterm: timed out", "identity-token: token of student boris"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q lack %q", notes, want)
		}
	}
	if strings.Contains(notes, "non-root") {
		t.Errorf("a warning cost points: %q", notes)
	}
}

func TestScoreMissingEarnsNothing(t *testing.T) {
	r := &Result{Login: "anna", Outcome: Missing, Error: "image not found: anna/image-lab:0a1b2c3d"}
	r.Score(DefaultPoints())
	if r.Total != 0 || r.Max != 16 || len(r.Awards) != 10 {
		t.Errorf("total %v / %v with %d awards", r.Total, r.Max, len(r.Awards))
	}
	if len(r.Notes) != 1 || !strings.HasPrefix(r.Notes[0], "image not found") {
		t.Errorf("notes = %q", r.Notes)
	}
}

func TestReusable(t *testing.T) {
	dir := t.TempDir()
	stored := gradedResult("anna")
	stored.Score(DefaultPoints())
	if err := saveResult(dir, stored, i18n.English); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		force   bool
		imageID string
		image   string
		reuse   bool
	}{
		{"same image", false, "sha256:aaa", stored.Image, true},
		{"forced", true, "sha256:aaa", stored.Image, false},
		{"rebuilt image", false, "sha256:bbb", stored.Image, false},
		{"other reference", false, "sha256:aaa", "anna/image-lab:ffffffff", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := &grader{opt: Options{OutDir: dir, Force: c.force}}
			got := g.reusable(&Result{Login: "anna", Image: c.image, ImageID: c.imageID})
			if (got != nil) != c.reuse {
				t.Errorf("reusable = %v, want reuse %v", got != nil, c.reuse)
			}
		})
	}
}

func TestReusableSkipsErrors(t *testing.T) {
	dir := t.TempDir()
	stored := &Result{Login: "anna", Image: "a:b", ImageID: "sha256:aaa", Outcome: Error, Error: "daemon hiccup"}
	if err := saveResult(dir, stored, i18n.English); err != nil {
		t.Fatal(err)
	}
	g := &grader{opt: Options{OutDir: dir}}
	if g.reusable(&Result{Login: "anna", Image: "a:b", ImageID: "sha256:aaa"}) != nil {
		t.Error("an error result was reused; it must be retried")
	}
}

func TestReusableSkipsTimedOut(t *testing.T) {
	dir := t.TempDir()
	stored := gradedResult("anna")
	stored.TimedOut = true
	if err := saveResult(dir, stored, i18n.English); err != nil {
		t.Fatal(err)
	}
	g := &grader{opt: Options{OutDir: dir}}
	if g.reusable(&Result{Login: "anna", Image: stored.Image, ImageID: stored.ImageID}) != nil {
		t.Error("a timed-out result was reused; it must be graded again")
	}
}

func TestReusableIgnoresCorruptFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(dir+"/students", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ResultPath(dir, "anna"), []byte("{truncated"), 0o644); err != nil {
		t.Fatal(err)
	}
	g := &grader{opt: Options{OutDir: dir}}
	if g.reusable(&Result{Login: "anna", Image: "a:b", ImageID: "sha256:aaa"}) != nil {
		t.Error("a corrupt result file was reused")
	}
}

func TestSaveResultSkipsUnchanged(t *testing.T) {
	dir := t.TempDir()
	r := gradedResult("anna")
	r.Score(DefaultPoints())
	if err := saveResult(dir, r, i18n.English); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(ResultPath(dir, "anna"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(ResultPath(dir, "anna"), before.ModTime().Add(-3600e9), before.ModTime().Add(-3600e9)); err != nil {
		t.Fatal(err)
	}
	if err := saveResult(dir, r, i18n.English); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(ResultPath(dir, "anna"))
	if !after.ModTime().Before(before.ModTime()) {
		t.Error("an unchanged result was rewritten")
	}
	text, err := os.ReadFile(TextPath(dir, "anna"))
	if err != nil || !strings.Contains(string(text), "Points: 10 / 16") {
		t.Errorf("text report: %v\n%s", err, text)
	}
}
