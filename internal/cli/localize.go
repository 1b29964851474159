package cli

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/imagelab/imagelab/internal/i18n"
)

// ErrorLang returns the language of imagelab's error messages: the value
// of the last --lang in args (os.Args[1:]) when it names a supported
// language, else the language of the environment (LC_ALL, LC_MESSAGES,
// LANG). It reads args itself because a flag error stops cobra before it
// has set --lang. Arguments after "--" are not flags and are not read.
// NOTE: args is scanned without knowing which flags take a value, so in
// `--label --lang` the "--lang" that is --label's value still counts.
func ErrorLang(args []string) i18n.Lang {
	value, langFlagSeen := "", false
	for i := 0; i < len(args); i++ {
		switch arg := args[i]; {
		case arg == "--":
			i = len(args)
		case arg == "--lang" && i+1 < len(args):
			value, langFlagSeen = args[i+1], true
			i++
		case strings.HasPrefix(arg, "--lang="):
			value, langFlagSeen = strings.TrimPrefix(arg, "--lang="), true
		}
	}
	if langFlagSeen {
		if l, err := i18n.Parse(value); err == nil {
			return l
		}
	}
	return i18n.FromEnv()
}

// ErrorMessage renders err for the user in language l. Errors of cobra
// and pflag are recognised by their English text, and every other error
// that is no i18n.Localizer stays in English.
func ErrorMessage(err error, l i18n.Lang) string {
	return i18n.Message(localizeCobra(err), l)
}

// Patterns of the errors of cobra v1.10 and pflag v1.0.9, which are
// matched by text: pflag's error types would need pflag as a direct
// dependency, and cobra's errors have no type. A message that no longer
// matches stays in English. A quoted value is captured with its quotes.
var (
	unknownFlagPattern  = regexp.MustCompile(`^unknown flag: --(.+)$`)
	unknownShortPattern = regexp.MustCompile(`^unknown shorthand flag: ('(?:[^'\\]|\\.)+') in -(.+)$`)
	needsValuePattern   = regexp.MustCompile(`^flag needs an argument: --(.+)$`)
	needsShortPattern   = regexp.MustCompile(`^flag needs an argument: ('(?:[^'\\]|\\.)+') in -(.+)$`)
	invalidValuePattern = regexp.MustCompile(`(?s)^invalid argument ("(?:[^"\\]|\\.)*") for ("(?:[^"\\]|\\.)*") flag: (.*)$`)
	badSyntaxPattern    = regexp.MustCompile(`^bad flag syntax: (.*)$`)
	exactArgsPattern    = regexp.MustCompile(`^accepts (\d+) arg\(s\), received (\d+)$`)
	maxArgsPattern      = regexp.MustCompile(`^accepts at most (\d+) arg\(s\), received (\d+)$`)
	minArgsPattern      = regexp.MustCompile(`^requires at least (\d+) arg\(s\), only received (\d+)$`)
	rangeArgsPattern    = regexp.MustCompile(`^accepts between (\d+) and (\d+) arg\(s\), received (\d+)$`)
	unknownCmdPattern   = regexp.MustCompile(`(?s)^unknown command ("(?:[^"\\]|\\.)*") for ("(?:[^"\\]|\\.)*")(\n\nDid you mean this\?\n(.*))?$`)
	requiredFlagPattern = regexp.MustCompile(`^required flag\(s\) (.*) not set$`)
)

// localizeCobra returns err with a translatable text when cobra or pflag
// made it, and err itself otherwise. The text is used only when its
// English rendering equals err's message, so a wording change in a new
// cobra or pflag release falls back to English instead of misleading.
func localizeCobra(err error) error {
	if _, ok := err.(i18n.Localizer); ok {
		return err
	}
	t, ok := cobraText(err.Error())
	if !ok || i18n.English.Format(t) != err.Error() {
		return err
	}
	return i18n.WithText(err, t)
}

func cobraText(msg string) (i18n.Text, bool) {
	if m := unknownFlagPattern.FindStringSubmatch(msg); m != nil {
		return i18n.T("unknown flag: --%s", m[1]), true
	}
	if m := unknownShortPattern.FindStringSubmatch(msg); m != nil {
		return i18n.T("unknown shorthand flag: %q in -%s", unquoteRune(m[1]), m[2]), true
	}
	if m := needsValuePattern.FindStringSubmatch(msg); m != nil {
		return i18n.T("flag needs an argument: --%s", m[1]), true
	}
	if m := needsShortPattern.FindStringSubmatch(msg); m != nil {
		return i18n.T("flag needs an argument: %q in -%s", unquoteRune(m[1]), m[2]), true
	}
	if m := invalidValuePattern.FindStringSubmatch(msg); m != nil {
		return i18n.T("invalid argument %q for %q flag: %s", unquote(m[1]), unquote(m[2]), m[3]), true
	}
	if m := badSyntaxPattern.FindStringSubmatch(msg); m != nil {
		return i18n.T("bad flag syntax: %s", m[1]), true
	}
	return cobraArgsText(msg)
}

// cobraArgsText translates cobra's errors about arguments, commands and
// required flags.
func cobraArgsText(msg string) (i18n.Text, bool) {
	if m := exactArgsPattern.FindStringSubmatch(msg); m != nil {
		return i18n.T("accepts %d arg(s), received %d", atoi(m[1]), atoi(m[2])), true
	}
	if m := maxArgsPattern.FindStringSubmatch(msg); m != nil {
		return i18n.T("accepts at most %d arg(s), received %d", atoi(m[1]), atoi(m[2])), true
	}
	if m := minArgsPattern.FindStringSubmatch(msg); m != nil {
		return i18n.T("requires at least %d arg(s), only received %d", atoi(m[1]), atoi(m[2])), true
	}
	if m := rangeArgsPattern.FindStringSubmatch(msg); m != nil {
		return i18n.T("accepts between %d and %d arg(s), received %d", atoi(m[1]), atoi(m[2]), atoi(m[3])), true
	}
	if m := unknownCmdPattern.FindStringSubmatch(msg); m != nil {
		var suggestions any = ""
		if m[3] != "" {
			suggestions = i18n.T("\n\nDid you mean this?\n%s", m[4])
		}
		return i18n.T("unknown command %q for %q%s", unquote(m[1]), unquote(m[2]), suggestions), true
	}
	if m := requiredFlagPattern.FindStringSubmatch(msg); m != nil {
		return i18n.T("required flag(s) %s not set", m[1]), true
	}
	return i18n.Text{}, false
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// unquote undoes Go's %q of a string. A value it cannot read is returned
// as is, and then the English check in localizeCobra rejects the text.
func unquote(s string) string {
	if u, err := strconv.Unquote(s); err == nil {
		return u
	}
	return s
}

// unquoteRune undoes Go's %q of a rune.
func unquoteRune(s string) rune {
	if r, _, _, err := strconv.UnquoteChar(strings.TrimSuffix(strings.TrimPrefix(s, "'"), "'"), '\''); err == nil {
		return r
	}
	return utf8.RuneError
}
