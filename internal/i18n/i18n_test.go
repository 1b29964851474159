package i18n_test

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"testing"

	"github.com/imagelab/imagelab/internal/i18n"
)

func TestVerbsOf(t *testing.T) {
	cases := []struct {
		format string
		want   []string
	}{
		{"no verbs, 100%% sure", nil},
		{"%s and %d", []string{"1:s", "2:d"}},
		{"%-5s|%5.2f|%+q", []string{"1:s", "2:f", "3:q"}},
		{"%[2]s before %[1]d", []string{"2:s", "1:d"}},
		{"%*d", []string{"1:*", "2:d"}},
		{"%w (see '%s --help')", []string{"1:w", "2:s"}},
		{"кириллица %s и %q", []string{"1:s", "2:q"}},
	}
	for _, c := range cases {
		if got := i18n.VerbsOf(c.format); !slices.Equal(got, c.want) {
			t.Errorf("VerbsOf(%q) = %v, want %v", c.format, got, c.want)
		}
	}
}

func TestErrorfEnglishMatchesFmt(t *testing.T) {
	inner := fmt.Errorf("open x: %w", fs.ErrNotExist)
	err := i18n.Errorf("reading policy file: %w", inner)
	want := fmt.Errorf("reading policy file: %w", inner).Error()
	if got := err.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := i18n.Message(err, i18n.English); got != want {
		t.Errorf("Message(English) = %q, want %q", got, want)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Error("errors.Is does not find the error wrapped with %w")
	}
}

func TestErrorfLocalizesWrappedErrors(t *testing.T) {
	inner := i18n.Errorf("invalid port %q: only tcp ports can be probed over HTTP", "53/udp")
	err := i18n.Errorf("--port: %w", inner)
	want := `--port: недопустимый порт "53/udp": по HTTP можно проверить только tcp-порт`
	if got := i18n.Message(err, i18n.Russian); got != want {
		t.Errorf("Message(Russian) = %q, want %q", got, want)
	}
}

func TestWithTextKeepsEnglish(t *testing.T) {
	orig := errors.New("unknown flag: --colour")
	err := i18n.WithText(orig, i18n.T("unknown flag: --%s", "colour"))
	if got := i18n.Message(err, i18n.English); got != orig.Error() {
		t.Errorf("Message(English) = %q, want %q", got, orig.Error())
	}
	if got, want := i18n.Message(err, i18n.Russian), "неизвестный флаг: --colour"; got != want {
		t.Errorf("Message(Russian) = %q, want %q", got, want)
	}
	if !errors.Is(err, orig) {
		t.Error("errors.Is does not find the original error")
	}
}

func TestMessageOfPlainError(t *testing.T) {
	err := errors.New("plain")
	if got := i18n.Message(err, i18n.Russian); got != "plain" {
		t.Errorf("Message(Russian) = %q, want the English text", got)
	}
}

func TestFormatFallsBackToEnglish(t *testing.T) {
	got := i18n.Russian.Format(i18n.T("a message no catalogue has: %d", 7))
	if want := "a message no catalogue has: 7"; got != want {
		t.Errorf("Format = %q, want %q", got, want)
	}
}

func TestParseRejectsUnknownLanguage(t *testing.T) {
	_, err := i18n.Parse("de")
	if err == nil {
		t.Fatal("Parse(de) returned no error")
	}
	if got, want := i18n.Message(err, i18n.Russian), `язык "de" не поддерживается: укажите en или ru`; got != want {
		t.Errorf("Message(Russian) = %q, want %q", got, want)
	}
	if got, want := err.Error(), `unsupported language "de": use en or ru`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
