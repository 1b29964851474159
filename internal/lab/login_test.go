package lab

import (
	"strings"
	"testing"
)

func TestValidateLoginAccepts(t *testing.T) {
	for _, login := range []string{"a", "ivanov", "student42", "anna.petrova", "a_b", "a__b", "a-b", "a---b", "0x", strings.Repeat("a", 64)} {
		if err := ValidateLogin(login); err != nil {
			t.Errorf("ValidateLogin(%q) = %v, want nil", login, err)
		}
	}
}

func TestValidateLoginRejects(t *testing.T) {
	cases := []struct{ login, rule string }{
		{"", "empty"},
		{strings.Repeat("a", 65), "more than the maximum of 64"},
		{"Ivanov", "lowercase"},
		{"a b", "only lowercase letters"},
		{"a/b", "only lowercase letters"},
		{"иванов", "only lowercase letters"},
		{"-ab", "start with"},
		{".ab", "start with"},
		{"ab-", "end with"},
		{"ab.", "end with"},
		{"a..b", "one '.'"},
		{"a.-b", "one '.'"},
		{"a___b", "one '.'"},
	}
	for _, c := range cases {
		err := ValidateLogin(c.login)
		if err == nil {
			t.Errorf("ValidateLogin(%q) = nil, want an error about %q", c.login, c.rule)
			continue
		}
		if !strings.Contains(err.Error(), c.rule) {
			t.Errorf("ValidateLogin(%q) = %q, want it to mention %q", c.login, err, c.rule)
		}
	}
}
