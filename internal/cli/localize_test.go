package cli

import (
	"context"
	"io"
	"testing"

	"github.com/imagelab/imagelab/internal/i18n"
)

// runRoot runs the real command tree with args and returns its error.
func runRoot(t *testing.T, args ...string) error {
	t.Helper()
	root := New("test")
	root.SetArgs(args)
	root.SetOut(io.Discard)
	root.SetErr(io.Discard)
	err := root.ExecuteContext(context.Background())
	if err == nil {
		t.Fatalf("imagelab %v returned no error", args)
	}
	return err
}

func TestCobraErrorsInRussian(t *testing.T) {
	cases := []struct {
		args    []string
		english string
		russian string
	}{
		{[]string{"check", "--colour", "x"},
			"unknown flag: --colour (see 'imagelab check --help')",
			"неизвестный флаг: --colour (см. 'imagelab check --help')"},
		{[]string{"check", "-q", "x"},
			"unknown shorthand flag: 'q' in -q (see 'imagelab check --help')",
			"неизвестный короткий флаг 'q' в -q (см. 'imagelab check --help')"},
		{[]string{"check", "x", "--format"},
			"flag needs an argument: --format (see 'imagelab check --help')",
			"флагу нужно значение: --format (см. 'imagelab check --help')"},
		{[]string{"check", "--timeout", "soon", "x"},
			`invalid argument "soon" for "--timeout" flag: time: invalid duration "soon" (see 'imagelab check --help')`,
			`недопустимое значение "soon" флага "--timeout": time: invalid duration "soon" (см. 'imagelab check --help')`},
		{[]string{"check"},
			"accepts 1 arg(s), received 0",
			"ожидается аргументов: 1, получено: 0"},
		{[]string{"chek"},
			"unknown command \"chek\" for \"imagelab\"\n\nDid you mean this?\n\tcheck\n",
			"неизвестная команда \"chek\" для \"imagelab\"\n\nВозможно, имелось в виду:\n\tcheck\n"},
	}
	for _, c := range cases {
		err := runRoot(t, c.args...)
		if got := ErrorMessage(err, i18n.English); got != c.english {
			t.Errorf("imagelab %v in English: %q, want %q", c.args, got, c.english)
		}
		if got := err.Error(); got != c.english {
			t.Errorf("imagelab %v: Error() = %q, want %q", c.args, got, c.english)
		}
		if got := ErrorMessage(err, i18n.Russian); got != c.russian {
			t.Errorf("imagelab %v in Russian: %q, want %q", c.args, got, c.russian)
		}
	}
}

func TestUsageErrorsInRussian(t *testing.T) {
	cases := []struct {
		args    []string
		russian string
	}{
		{[]string{"check", "--format", "yaml", "x"},
			`неизвестный формат "yaml": допустимы json, junit, markdown, sarif, text`},
		{[]string{"check", "--max-size", "huge", "x"},
			`--max-size: недопустимый размер "huge": укажите число и, при желании, единицу, например 150MB или 6.5MB`},
		{[]string{"check", "--lang", "de", "x"},
			`язык "de" не поддерживается: укажите en или ru`},
		{[]string{"check", "--stop-timeout", "-1s", "x"},
			"--stop-timeout и --timeout должны быть положительными длительностями, например 10s или 2m"},
	}
	for _, c := range cases {
		err := runRoot(t, c.args...)
		if got := ErrorMessage(err, i18n.Russian); got != c.russian {
			t.Errorf("imagelab %v in Russian: %q, want %q", c.args, got, c.russian)
		}
		if code := ExitCode(err); code != 2 {
			t.Errorf("imagelab %v: exit status %d, want 2", c.args, code)
		}
	}
}

func TestChangedCobraTextStaysEnglish(t *testing.T) {
	// A message that matches a pattern but renders differently, as after a
	// wording change upstream, must not be replaced.
	err := localizeCobra(errTest("accepts 01 arg(s), received 0"))
	if _, ok := err.(i18n.Localizer); ok {
		t.Errorf("localizeCobra translated a message its text cannot reproduce: %q", i18n.Message(err, i18n.Russian))
	}
}

type errTest string

func (e errTest) Error() string { return string(e) }

func TestErrorLang(t *testing.T) {
	cases := []struct {
		name string
		env  string
		args []string
		want i18n.Lang
	}{
		{"flag with a space", "en_US.UTF-8", []string{"check", "--lang", "ru", "x"}, i18n.Russian},
		{"flag with =", "en_US.UTF-8", []string{"check", "--lang=ru", "x"}, i18n.Russian},
		{"last flag wins", "en_US.UTF-8", []string{"check", "--lang=ru", "--lang", "en"}, i18n.English},
		{"environment", "ru_RU.UTF-8", []string{"check", "x"}, i18n.Russian},
		{"unsupported value", "ru_RU.UTF-8", []string{"check", "--lang", "de"}, i18n.Russian},
		{"after --", "en_US.UTF-8", []string{"check", "--", "--lang", "ru"}, i18n.English},
		{"flag without value", "ru_RU.UTF-8", []string{"check", "--lang"}, i18n.Russian},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("LC_ALL", "")
			t.Setenv("LC_MESSAGES", "")
			t.Setenv("LANG", c.env)
			if got := ErrorLang(c.args); got != c.want {
				t.Errorf("ErrorLang(%q) = %s, want %s", c.args, got, c.want)
			}
		})
	}
}
