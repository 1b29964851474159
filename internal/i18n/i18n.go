// Package i18n holds the people-facing text of imagelab's reports and
// errors, in English and the other languages it has catalogues for.
//
// Text is written in English at the place it is made, as a fmt format
// with arguments. The English format is the key of every catalogue, so a
// message missing from a catalogue still reads in English.
package i18n

import (
	"fmt"
	"os"
	"strings"
)

// Text is a message to be shown to a person: an English fmt format and its
// arguments. Arguments that are Text themselves are translated too.
type Text struct {
	Format string
	Args   []any
}

// T returns the Text for format and args.
func T(format string, args ...any) Text { return Text{Format: format, Args: args} }

// IsZero reports whether t holds no message.
func (t Text) IsZero() bool { return t.Format == "" }

// String renders t in English.
func (t Text) String() string { return English.Format(t) }

// Lang is a language of the reports, as its ISO 639-1 code.
type Lang string

// The languages imagelab has catalogues for.
const (
	English Lang = "en"
	Russian Lang = "ru"
)

// catalogs maps each language other than English to its translations,
// keyed by the English format.
var catalogs = map[Lang]map[string]string{}

// Langs returns the supported languages.
func Langs() []Lang { return []Lang{English, Russian} }

// Parse returns the language for a --lang value.
func Parse(s string) (Lang, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "en", "english":
		return English, nil
	case "ru", "russian":
		return Russian, nil
	}
	return "", Errorf("unsupported language %q: use en or ru", s)
}

// FromEnv picks the language from LC_ALL, LC_MESSAGES and LANG, in the
// order POSIX gives them precedence, defaulting to English.
func FromEnv() Lang {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		if strings.HasPrefix(strings.ToLower(v), "ru") {
			return Russian
		}
		return English
	}
	return English
}

// Format renders t in language l, falling back to English for a format the
// catalogue lacks. Arguments that are Text or Localizer are rendered in l
// too, and a %w verb formats its error as %v does, as in fmt.Errorf.
func (l Lang) Format(t Text) string {
	if t.IsZero() {
		return ""
	}
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		switch a := a.(type) {
		case Text:
			args[i] = l.Format(a)
		case Localizer:
			args[i] = a.Localize(l)
		default:
			args[i] = a
		}
	}
	if len(args) == 0 {
		return l.String(t.Format)
	}
	return fmt.Sprintf(wrapVerbsAsV(l.String(t.Format)), args...)
}

// String translates a fixed English string, such as a column heading.
func (l Lang) String(s string) string {
	if tr, ok := catalogs[l][s]; ok {
		return tr
	}
	return s
}
