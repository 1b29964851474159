package report

import (
	"fmt"
	"strings"
	"unicode"
)

// oneLine returns s with line breaks and other control characters written
// as Go escapes (\n, \r, \x1b), so a value cannot break the layout of a
// line-based report or send escape sequences to a terminal. Tabs stay.
// A literal backslash followed by n in s reads the same as an escaped
// newline, so the JSON and SARIF formats carry the exact value.
func oneLine(s string) string {
	if strings.IndexFunc(s, isEscaped) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isEscaped(r) {
			b.WriteString(controlEscape(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isEscaped reports whether oneLine writes r as an escape.
func isEscaped(r rune) bool { return r != '\t' && unicode.IsControl(r) }

// controlEscape returns the Go escape of the control character r.
func controlEscape(r rune) string {
	switch r {
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	}
	if r < 0x80 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// markdownPunctuation lists the characters that start Markdown or GitHub
// Flavored Markdown syntax inside a line: code spans, emphasis,
// strikethrough, links, table cell borders and backslash escapes.
const markdownPunctuation = "\\`*_[]|~"

// markdownText returns s as Markdown inline text that renders as the same
// characters on GitHub. Markdown punctuation gets a backslash, <, > and &
// become entities so no HTML tag or entity from s survives, line breaks
// become <br> so s stays in one table cell or list item, and other
// control characters are written as Go escapes.
//
// NOTE: s must not start a line of the output: a leading "#", "-", "1."
// or four spaces would still start a block there. Bare URLs in s still
// become links, because GitHub autolinks them.
func markdownText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range s {
		switch {
		case strings.ContainsRune(markdownPunctuation, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '\n' || r == '\r':
			b.WriteString("<br>")
		case isEscaped(r):
			b.WriteString(strings.ReplaceAll(controlEscape(r), `\`, `\\`))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
