package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/imagelab/imagelab/internal/check"
)

// Markdown writes the report as GitHub Flavored Markdown: a heading, the
// totals, a table with one row per check, then one section per check that
// did not pass, with its evidence as a list and its fix. Every string that
// comes from the image or the run goes through markdownText, so it renders
// as plain text and never as HTML, a link or a table border.
func Markdown(w io.Writer, rep *check.Report, opt Options) error {
	l := opt.Lang
	var b strings.Builder
	fmt.Fprintf(&b, "# %s %s", l.String("imagelab check"), markdownText(rep.Image))
	if id := shortID(rep.ImageID); id != "" {
		fmt.Fprintf(&b, " (%s)", markdownText(id))
	}
	fmt.Fprintf(&b, "\n\n%s\n\n", markdownText(totalsLine(rep, l)))

	fmt.Fprintf(&b, "| %s | %s | %s |\n| --- | --- | --- |\n", l.String("Status"), l.String("Check"), l.String("Summary"))
	for _, r := range rep.Results {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", statusWord(r.Status, l), markdownCheck(r, opt), markdownText(l.Format(r.Summary)))
	}
	for _, r := range rep.Results {
		if r.Status != check.Pass {
			writeMarkdownSection(&b, r, opt)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// markdownCheck returns the check's ID as code, its title and, for advice,
// the "(advice)" mark.
func markdownCheck(r check.Result, opt Options) string {
	return "`" + r.ID + "` " + markdownText(opt.Lang.Format(r.Title)+adviceSuffix(r, opt.Lang))
}

// writeMarkdownSection writes the section of a check that did not pass.
// Each line starts with fixed Markdown, so no escaped value can start a
// heading, list or code block.
func writeMarkdownSection(b *strings.Builder, r check.Result, opt Options) {
	l := opt.Lang
	fmt.Fprintf(b, "\n## %s: %s\n\n", statusWord(r.Status, l), markdownCheck(r, opt))
	fmt.Fprintf(b, "**%s:** %s\n", l.String("Summary"), markdownText(l.Format(r.Summary)))
	if len(r.Evidence) > 0 {
		fmt.Fprintf(b, "\n**%s:**\n\n", l.String("Evidence"))
		for _, e := range r.Evidence {
			fmt.Fprintf(b, "- **%s:** %s\n", markdownText(EvidenceLabel(e.Key, l)), markdownText(e.Value))
		}
	}
	if !r.Fix.IsZero() {
		fmt.Fprintf(b, "\n**%s:** %s\n", l.String("Fix"), markdownText(l.Format(r.Fix)))
	}
}
