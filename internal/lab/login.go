package lab

import (
	"fmt"
	"strings"
)

// MaxLoginLength is the longest login accepted, in bytes.
const MaxLoginLength = 64

// ValidateLogin checks that login can serve as a file name and as the
// first component of a Docker repository name. It returns an error that
// names the first rule the login breaks.
//
// A login has 1 to 64 characters from a-z, 0-9, '.', '_' and '-', and a
// letter or digit first and last. Between letters and digits it has only
// what a Docker repository component allows: one '.', one or two '_', or
// any number of '-'.
func ValidateLogin(login string) error {
	if login == "" {
		return fmt.Errorf("invalid login %q: it is empty", login)
	}
	if len(login) > MaxLoginLength {
		return fmt.Errorf("invalid login %q: it has %d characters, more than the maximum of %d", shorten(login), len(login), MaxLoginLength)
	}
	for _, r := range login {
		if r >= 'A' && r <= 'Z' {
			return fmt.Errorf("invalid login %q: it contains the capital letter %q; write logins in lowercase", login, r)
		}
		if !isAlnum(r) && r != '.' && r != '_' && r != '-' {
			return fmt.Errorf("invalid login %q: it contains %q, but only lowercase letters a-z, digits, '.', '_' and '-' are allowed", login, r)
		}
	}
	if !isAlnum(rune(login[0])) {
		return fmt.Errorf("invalid login %q: it must start with a lowercase letter or a digit", login)
	}
	if !isAlnum(rune(login[len(login)-1])) {
		return fmt.Errorf("invalid login %q: it must end with a lowercase letter or a digit", login)
	}
	for _, sep := range separators(login) {
		if sep != "." && sep != "_" && sep != "__" && strings.Trim(sep, "-") != "" {
			return fmt.Errorf("invalid login %q: it contains %q, but Docker repository names allow only one '.', one or two '_', or a run of '-' between letters and digits", login, sep)
		}
	}
	return nil
}

func isAlnum(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9')
}

// separators returns the runs of non-alphanumeric characters in s.
func separators(s string) []string {
	return strings.FieldsFunc(s, isAlnum)
}

// shorten cuts s to 40 bytes for an error message.
func shorten(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:40] + "..."
}
