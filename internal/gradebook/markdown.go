package gradebook

import (
	"fmt"
	"strings"

	"github.com/imagelab/imagelab/internal/grade"
)

// Markdown renders the gradebook as a Markdown table, with the skipped
// roster lines listed below it.
func Markdown(b *Book) ([]byte, error) {
	var s strings.Builder
	fmt.Fprintf(&s, "# Gradebook\n\nGenerated %s. Maximum %s points.\n\n", b.Generated.Format("2006-01-02 15:04 UTC"), grade.FormatPoints(b.Max))
	header := []string{"Login", "Image"}
	for _, c := range b.Columns {
		header = append(header, fmt.Sprintf("%s (%s)", c.ID, grade.FormatPoints(c.Max)))
	}
	header = append(header, "Total", "Outcome")
	header = append(header, b.ExtraColumns...)
	header = append(header, "Notes")
	writeMarkdownRow(&s, header)
	s.WriteString("|" + strings.Repeat(" --- |", len(header)) + "\n")
	for _, r := range b.Rows {
		cells := []string{r.Login, r.Image}
		for _, c := range r.Cells {
			cells = append(cells, cellText(c))
		}
		cells = append(cells, grade.FormatPoints(r.Total)+" / "+grade.FormatPoints(r.Max), r.Outcome)
		cells = append(cells, padded(r.Extra, len(b.ExtraColumns))...)
		cells = append(cells, notesText(r.Notes))
		writeMarkdownRow(&s, cells)
	}
	if len(b.Skipped) > 0 {
		s.WriteString("\n## Skipped roster lines\n\n")
		for _, p := range b.Skipped {
			fmt.Fprintf(&s, "- %s (login cell: %s)\n", markdownText(truncate(p.String(), noteLimit)), markdownText(truncate(p.Login, 80)))
		}
	}
	return []byte(s.String()), nil
}

// cellText shows a requirement's points and, unless it passed, its status.
func cellText(c Cell) string {
	text := grade.FormatPoints(c.Points)
	if c.Status != "" && c.Status != "pass" {
		text += " " + c.Status
	}
	return text
}

func writeMarkdownRow(s *strings.Builder, cells []string) {
	s.WriteString("|")
	for _, c := range cells {
		s.WriteString(" " + markdownText(c) + " |")
	}
	s.WriteString("\n")
}

// markdownText escapes s for a Markdown table cell. HTML's special
// characters become entities, so no raw HTML reaches the renderer. The
// punctuation that starts emphasis, code, a link, an image, math or a
// cell break gets a backslash, and line breaks become spaces.
func markdownText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
			// Other control characters have no place in a table.
		case r < 0x80 && strings.ContainsRune("!#$*[\\]^_`{|}~", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func padded(values []string, n int) []string {
	out := make([]string, n)
	copy(out, values)
	return out
}
