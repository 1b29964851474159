package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/imagelab/imagelab/internal/check"
)

var statusColor = map[check.Status]string{
	check.Pass: "\033[32m", check.Fail: "\033[31m", check.Warn: "\033[33m",
	check.Skip: "\033[90m", check.Error: "\033[35m",
}

const colorReset = "\033[0m"

// Text writes the report for a terminal: one block per check with its
// verdict, summary, evidence and fix.
func Text(w io.Writer, rep *check.Report, opt Options) error {
	l := opt.Lang
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s)\n\n", l.String("imagelab check"), rep.Image, shortID(rep.ImageID))
	for _, r := range rep.Results {
		word := fmt.Sprintf("%-5s", statusWord(r.Status, l))
		if opt.Color {
			word = statusColor[r.Status] + word + colorReset
		}
		required := ""
		if !r.Required {
			required = " " + l.String("(advice)")
		}
		fmt.Fprintf(&b, "%s  %-14s %s%s\n", word, r.ID, l.Format(r.Title), required)
		fmt.Fprintf(&b, "       %s\n", l.Format(r.Summary))
		for _, e := range r.Evidence {
			fmt.Fprintf(&b, "       · %s: %s\n", EvidenceLabel(e.Key, l), e.Value)
		}
		if !r.Fix.IsZero() {
			fmt.Fprintf(&b, "       %s %s\n", l.String("fix:"), l.Format(r.Fix))
		}
		b.WriteString("\n")
	}
	b.WriteString(totalsLine(rep, l) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func shortID(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

