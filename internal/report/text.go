package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/imagelab/imagelab/internal/check"
	"github.com/imagelab/imagelab/internal/i18n"
)

var statusColor = map[check.Status]string{
	check.Pass: "\033[32m", check.Fail: "\033[31m", check.Warn: "\033[33m",
	check.Skip: "\033[90m", check.Error: "\033[35m",
}

const colorReset = "\033[0m"

// Text writes the report for a terminal: one block per check with its
// verdict, summary, evidence and fix. Every value is kept on one line,
// with control characters escaped. Only the verdict words are coloured,
// and only when opt.Color is set.
func Text(w io.Writer, rep *check.Report, opt Options) error {
	l := opt.Lang
	var b strings.Builder
	b.WriteString(l.String("imagelab check") + " " + oneLine(rep.Image))
	if id := shortID(rep.ImageID); id != "" {
		fmt.Fprintf(&b, " (%s)", oneLine(id))
	}
	b.WriteString("\n\n")
	for _, r := range rep.Results {
		writeTextResult(&b, r, opt)
	}
	b.WriteString(totalsLine(rep, l) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// statusWidth returns the width of the longest status word in language
// l, so that the check IDs line up whatever the verdicts.
func statusWidth(l i18n.Lang) int {
	width := 0
	for _, s := range check.Statuses() {
		width = max(width, utf8.RuneCountInString(statusWord(s, l)))
	}
	return width
}

func writeTextResult(b *strings.Builder, r check.Result, opt Options) {
	l := opt.Lang
	width := statusWidth(l)
	// The summary, evidence and fix line up under the check's ID.
	textIndent := strings.Repeat(" ", width+2)
	word := fmt.Sprintf("%-*s", width, statusWord(r.Status, l))
	if opt.Color {
		word = statusColor[r.Status] + word + colorReset
	}
	fmt.Fprintf(b, "%s  %-14s %s%s\n", word, r.ID, oneLine(l.Format(r.Title)), adviceSuffix(r, l))
	fmt.Fprintf(b, "%s%s\n", textIndent, oneLine(l.Format(r.Summary)))
	for _, e := range r.Evidence {
		fmt.Fprintf(b, "%s· %s: %s\n", textIndent, oneLine(EvidenceLabel(e.Key, l)), oneLine(e.Value))
	}
	if !r.Fix.IsZero() {
		fmt.Fprintf(b, "%s%s %s\n", textIndent, l.String("fix:"), oneLine(l.Format(r.Fix)))
	}
	b.WriteString("\n")
}

// adviceSuffix returns " (advice)" in language l for a check that does
// not decide the exit status, and "" for a required one.
func adviceSuffix(r check.Result, l i18n.Lang) string {
	if r.Required {
		return ""
	}
	return " " + l.String("(advice)")
}

// shortID returns the first 12 hex digits of an image ID, as docker
// images shows them.
func shortID(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
