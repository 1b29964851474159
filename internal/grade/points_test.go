package grade

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagelab/imagelab/internal/check"
)

func TestDefaultPoints(t *testing.T) {
	p := DefaultPoints()
	want := map[string]float64{
		"size": 1, "non-root": 1, "healthcheck": 2, "sigterm": 2, "read-only": 2, "env-config": 1,
		"labels": 1, "multi-stage": 0, "tools": 0, IdentityLogin: 2, IdentityToken: 2, IdentityTag: 2,
	}
	for id, n := range want {
		if p.Of(id) != n {
			t.Errorf("default points of %s = %v, want %v", id, p.Of(id), n)
		}
	}
	if p.Max() != 16 {
		t.Errorf("Max = %v, want 16", p.Max())
	}
	cols := strings.Join(p.Columns(), ",")
	if cols != "size,non-root,healthcheck,sigterm,read-only,env-config,labels,identity-login,identity-token,identity-tag" {
		t.Errorf("Columns = %s", cols)
	}
}

func TestEarnedByStatus(t *testing.T) {
	p := DefaultPoints()
	for status, want := range map[check.Status]float64{check.Pass: 2, check.Warn: 2, check.Fail: 0, check.Error: 0, check.Skip: 0} {
		if got := p.Earned("healthcheck", status); got != want {
			t.Errorf("Earned(healthcheck, %s) = %v, want %v", status, got, want)
		}
	}
}

func TestParsePointsOverride(t *testing.T) {
	p, err := ParsePoints([]byte("# course 2026\nhealthcheck: 5\ntools: 0.5\nidentity-tag: 0\n"))
	if err != nil {
		t.Fatalf("ParsePoints: %v", err)
	}
	if p.Of("healthcheck") != 5 || p.Of("tools") != 0.5 || p.Of("size") != 1 {
		t.Errorf("points: healthcheck %v, tools %v, size %v", p.Of("healthcheck"), p.Of("tools"), p.Of("size"))
	}
	cols := strings.Join(p.Columns(), ",")
	if !strings.Contains(cols, "tools") || strings.Contains(cols, IdentityTag) {
		t.Errorf("Columns = %s: want tools in, identity-tag out", cols)
	}
	if FormatPoints(p.Max()) != "17.5" {
		t.Errorf("Max = %v, want 17.5", p.Max())
	}
}

func TestParsePointsEmpty(t *testing.T) {
	p, err := ParsePoints(nil)
	if err != nil || p.Max() != DefaultPoints().Max() {
		t.Errorf("empty file: %v, max %v", err, p.Max())
	}
}

func TestParsePointsInvalid(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"unknown requirement", "size: 1\nsizes: 2\n", `line 2: unknown requirement "sizes"`},
		{"not a number", "size: 1\nhealthcheck: lots\n", `line 2: the points of "healthcheck" are "lots"`},
		{"negative", "\n\nsigterm: -1\n", "line 3"},
		{"list value", "size: [1, 2]\n", "line 1"},
		{"not a mapping", "- size\n", "line 1: expected a mapping"},
		{"duplicate", "size: 1\nsize: 2\n", "line 2: requirement \"size\" is already set on line 1"},
		{"syntax", "size: 1\n  bad: : :\n", "line 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParsePoints([]byte(c.text))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestLoadPointsNamesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "points.yaml")
	if err := os.WriteFile(path, []byte("bogus: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadPoints(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("LoadPoints error = %v, want the path and line 1", err)
	}
}

func TestLoadPointsFixture(t *testing.T) {
	p, err := LoadPoints("../../testdata/lab/points.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.Of("healthcheck") != 3 || p.Of("tools") != 0.5 || p.Of(IdentityTag) != 1 || p.Of("size") != 1 {
		t.Errorf("points: healthcheck %v, tools %v, identity-tag %v, size %v", p.Of("healthcheck"), p.Of("tools"), p.Of(IdentityTag), p.Of("size"))
	}
	if p.Max() != 17.5 {
		t.Errorf("Max = %v, want 17.5", p.Max())
	}
}
