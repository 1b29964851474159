package grade

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/imagelab/imagelab/internal/check"
	"github.com/imagelab/imagelab/internal/i18n"
	"github.com/imagelab/imagelab/internal/lab"
	"github.com/imagelab/imagelab/internal/lab/roster"
	"github.com/imagelab/imagelab/internal/policy"
)

// IDs of the lab's identity checks, which grading adds to the check
// suite.
const (
	IdentityLogin = "identity-login"
	IdentityToken = "identity-token"
	IdentityTag   = "identity-tag"
)

// IdentityIDs returns the identity checks' IDs in report order.
func IdentityIDs() []string { return []string{IdentityLogin, IdentityToken, IdentityTag} }

// Identity runs the identity checks of one roster. It stores every
// student's token, so that a borrowed token is named by its owner.
type Identity struct {
	secret lab.Secret
	owners map[string]string // token -> login
}

// NewIdentity derives the token of every student on the roster.
func NewIdentity(secret lab.Secret, students []roster.Student) *Identity {
	id := &Identity{secret: secret, owners: map[string]string{}}
	for _, s := range students {
		id.owners[secret.Token(s.Login)] = s.Login
	}
	return id
}

// Check returns the three identity verdicts for student login, whose image
// ref carries labels.
func (id *Identity) Check(login, ref string, labels map[string]string) []check.Result {
	token := id.secret.Token(login)
	return []check.Result{
		checkLoginLabel(login, labels),
		id.checkTokenLabel(token, labels),
		checkTag(ref, token),
	}
}

func newResult(id string, title i18n.Text) check.Result {
	return check.Result{ID: id, Title: title, Required: true, Status: check.Pass}
}

func fail(r *check.Result, summary, fix i18n.Text) {
	r.Status, r.Summary, r.Fix = check.Fail, summary, fix
}

func checkLoginLabel(login string, labels map[string]string) check.Result {
	r := newResult(IdentityLogin, i18n.T("Login label matches the roster"))
	value, ok := labels[policy.LoginLabel]
	r.Add("expected", "%q", login)
	fix := i18n.T("rebuild with --build-arg LAB_LOGIN=%s", login)
	switch {
	case !ok:
		r.Add("found", "(missing)")
		fail(&r, i18n.T("label %s is missing", policy.LoginLabel), fix)
	case value != login:
		r.Add("found", "%q", value)
		fail(&r, i18n.T("label %s is %s, expected %q", policy.LoginLabel, quoteShort(value), login), fix)
	default:
		r.Add("found", "%q", value)
		r.Summary = i18n.T("label %s is the student's login", policy.LoginLabel)
	}
	return r
}

func (id *Identity) checkTokenLabel(token string, labels map[string]string) check.Result {
	r := newResult(IdentityToken, i18n.T("Token label is the student's token"))
	fix := i18n.T("rebuild with --build-arg LAB_TOKEN set to the token from your seed file")
	value, ok := labels[policy.TokenLabel]
	if !ok {
		r.Add("found", "(missing)")
		fail(&r, i18n.T("label %s is missing", policy.TokenLabel), fix)
		return r
	}
	r.Add("found", "%q", value)
	owner, known := id.owners[value]
	switch {
	case lab.TokensEqual(value, token):
		r.Summary = i18n.T("label %s is the student's token", policy.TokenLabel)
	case known:
		r.Add("owner", "%s", owner)
		fail(&r, i18n.T("label %s is the token of student %s", policy.TokenLabel, owner), fix)
	default:
		fail(&r, i18n.T("label %s is %s, which is no roster student's token", policy.TokenLabel, quoteShort(value)), fix)
	}
	return r
}

func checkTag(ref, token string) check.Result {
	r := newResult(IdentityTag, i18n.T("Image tag is the token's first %d hex digits", lab.TagLength))
	tag, expected := TagOf(ref), lab.Tag(token)
	r.Add("image", "%s", ref)
	r.Add("tag", "%s", tag)
	r.Add("expected_tag", "%s", expected)
	if tag == expected {
		r.Summary = i18n.T("tag %s matches the student's token", tag)
		return r
	}
	fail(&r, i18n.T("tag is %q, expected %q", tag, expected),
		i18n.T("tag the image with the tag from your seed file, %s", expected))
	return r
}

// TagOf returns the tag of an image reference: "latest" when it names
// none, and "" for a reference by digest.
func TagOf(ref string) string {
	name := ref[strings.LastIndex(ref, "/")+1:]
	if strings.Contains(name, "@") {
		return ""
	}
	if i := strings.LastIndex(name, ":"); i >= 0 {
		return name[i+1:]
	}
	return "latest"
}

// quoteShort quotes a label value for a one-line summary, cutting it to
// 60 characters because a hostile label may be kilobytes long. Evidence
// keeps the whole value.
func quoteShort(s string) string {
	const limit = 60
	if utf8.RuneCountInString(s) <= limit {
		return fmt.Sprintf("%q", s)
	}
	runes := []rune(s)
	return fmt.Sprintf("%q… (%d characters)", string(runes[:limit]), len(runes))
}
