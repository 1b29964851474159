package report

import (
	"fmt"
	"io"
	"strings"

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

// textIndent aligns the summary, evidence and fix under the check's ID.
const textIndent = "       "

func writeTextResult(b *strings.Builder, r check.Result, opt Options) {
	l := opt.Lang
	word := fmt.Sprintf("%-5s", statusWord(r.Status, l))
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
