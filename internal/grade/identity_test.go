package grade

import (
	"strings"
	"testing"

	"github.com/imagelab/imagelab/internal/check"
	"github.com/imagelab/imagelab/internal/i18n"
	"github.com/imagelab/imagelab/internal/lab"
	"github.com/imagelab/imagelab/internal/lab/roster"
	"github.com/imagelab/imagelab/internal/policy"
)

var (
	testSecret   = lab.NewSecret([]byte("identity-test-secret"))
	testStudents = []roster.Student{{Login: "anna"}, {Login: "boris"}}
)

func labelsOf(login, token string) map[string]string {
	return map[string]string{policy.LoginLabel: login, policy.TokenLabel: token}
}

func byID(results []check.Result) map[string]check.Result {
	m := map[string]check.Result{}
	for _, r := range results {
		m[r.ID] = r
	}
	return m
}

func TestIdentityOwnToken(t *testing.T) {
	id := NewIdentity(testSecret, testStudents)
	token := testSecret.Token("anna")
	for _, r := range id.Check("anna", lab.DefaultImage("anna", token), labelsOf("anna", token)) {
		if r.Status != check.Pass {
			t.Errorf("%s = %s: %s", r.ID, r.Status, i18n.English.Format(r.Summary))
		}
	}
}

func TestIdentityOtherStudentsToken(t *testing.T) {
	id := NewIdentity(testSecret, testStudents)
	borisToken := testSecret.Token("boris")
	annaToken := testSecret.Token("anna")
	got := byID(id.Check("anna", lab.DefaultImage("anna", annaToken), labelsOf("anna", borisToken)))
	r := got[IdentityToken]
	if r.Status != check.Fail {
		t.Fatalf("token check = %s, want fail", r.Status)
	}
	if summary := i18n.English.Format(r.Summary); !strings.Contains(summary, "token of student boris") {
		t.Errorf("summary %q does not name boris", summary)
	}
	if r.Get("owner") != "boris" {
		t.Errorf("owner evidence = %q", r.Get("owner"))
	}
	if got[IdentityLogin].Status != check.Pass || got[IdentityTag].Status != check.Pass {
		t.Errorf("login %s, tag %s: want both pass", got[IdentityLogin].Status, got[IdentityTag].Status)
	}
}

func TestIdentityUnknownTokenAndLogin(t *testing.T) {
	id := NewIdentity(testSecret, testStudents)
	got := byID(id.Check("anna", "anna/image-lab:deadbeef", labelsOf("boris", "made-up")))
	if s := i18n.English.Format(got[IdentityToken].Summary); got[IdentityToken].Status != check.Fail || !strings.Contains(s, "no roster student's token") {
		t.Errorf("token: %s %q", got[IdentityToken].Status, s)
	}
	if s := i18n.English.Format(got[IdentityLogin].Summary); got[IdentityLogin].Status != check.Fail || !strings.Contains(s, `"boris", expected "anna"`) {
		t.Errorf("login: %s %q", got[IdentityLogin].Status, s)
	}
	if s := i18n.English.Format(got[IdentityTag].Summary); got[IdentityTag].Status != check.Fail || !strings.Contains(s, `"deadbeef"`) {
		t.Errorf("tag: %s %q", got[IdentityTag].Status, s)
	}
}

func TestIdentityMissingLabels(t *testing.T) {
	id := NewIdentity(testSecret, testStudents)
	for _, r := range id.Check("anna", "anna/image-lab", nil)[:2] {
		if r.Status != check.Fail || !strings.Contains(i18n.English.Format(r.Summary), "missing") {
			t.Errorf("%s = %s %q, want a missing label", r.ID, r.Status, i18n.English.Format(r.Summary))
		}
	}
}

func TestIdentityLongLabelShortSummary(t *testing.T) {
	id := NewIdentity(testSecret, testStudents)
	long := strings.Repeat("x", 10_000)
	r := byID(id.Check("anna", "a:b", labelsOf(long, long)))[IdentityLogin]
	if s := i18n.English.Format(r.Summary); len(s) > 200 || !strings.Contains(s, "10000 characters") {
		t.Errorf("summary is %d bytes: %.100q", len(s), s)
	}
	if len(r.Get("found")) < 10_000 {
		t.Errorf("evidence keeps %d bytes, want the whole value", len(r.Get("found")))
	}
}

func TestTagOf(t *testing.T) {
	cases := map[string]string{
		"anna/image-lab:0a1b2c3d":           "0a1b2c3d",
		"anna/image-lab":                    "latest",
		"localhost:5000/anna/image-lab":     "latest",
		"localhost:5000/anna/image-lab:abc": "abc",
		"anna/image-lab@sha256:0123":        "",
	}
	for ref, want := range cases {
		if got := TagOf(ref); got != want {
			t.Errorf("TagOf(%q) = %q, want %q", ref, got, want)
		}
	}
}
