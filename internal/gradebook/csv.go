package gradebook

import (
	"bytes"
	"encoding/csv"
	"strings"

	"github.com/imagelab/imagelab/internal/grade"
)

// CSV renders the gradebook as CSV. After the header comes one row per
// student: the points of each requirement, the total, the maximum, the
// outcome, the roster's extra columns and the notes. Then comes one row
// per skipped roster line, with the reason in the notes.
func CSV(b *Book) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	header := []string{"login", "image"}
	for _, c := range b.Columns {
		header = append(header, c.ID)
	}
	header = append(header, "total", "max", "outcome")
	header = append(header, b.ExtraColumns...)
	header = append(header, "notes")
	w.Write(safeCells(header))
	for _, r := range b.Rows {
		w.Write(safeCells(csvRow(b, r)))
	}
	for _, p := range b.Skipped {
		row := []string{p.Login, ""}
		for range b.Columns {
			row = append(row, "")
		}
		row = append(row, "", "", "skipped")
		for range b.ExtraColumns {
			row = append(row, "")
		}
		row = append(row, truncate(p.String(), noteLimit))
		w.Write(safeCells(row))
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func csvRow(b *Book, r Row) []string {
	row := []string{r.Login, r.Image}
	for _, c := range r.Cells {
		row = append(row, grade.FormatPoints(c.Points))
	}
	row = append(row, grade.FormatPoints(r.Total), grade.FormatPoints(r.Max), r.Outcome)
	for i := range b.ExtraColumns {
		value := ""
		if i < len(r.Extra) {
			value = r.Extra[i]
		}
		row = append(row, value)
	}
	return append(row, notesText(r.Notes))
}

// safeCells prefixes with an apostrophe every cell that a spreadsheet
// would read as a formula: those starting with '=', '+', '-' or '@', and
// with a tab or carriage return, which some spreadsheets skip before
// looking for one.
func safeCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			c = "'" + c
		}
		out[i] = c
	}
	return out
}
