package gradebook

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"

	"github.com/imagelab/imagelab/internal/grade"
)

// HTML renders the gradebook as one self-contained page: inline CSS, a
// small inline script that sorts the table when a column header is
// clicked, and no external assets. html/template escapes every value, and
// the page's Content-Security-Policy allows only the page's own script
// and style, by hash, so even an escaping mistake could not run an
// injected script.
func HTML(b *Book) ([]byte, error) {
	view := newHTMLView(b)
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, view); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// htmlView is the data of the page template.
type htmlView struct {
	CSP       string
	Style     template.CSS
	Script    template.JS
	Generated string
	Max       string
	Headers   []string
	Rows      []htmlRow
	Skipped   []htmlSkipped
}

type htmlRow struct {
	Cells []htmlCell
	Notes []string
}

// htmlCell is one table cell. Sort is the key the script sorts by; Class
// colours the cell by verdict.
type htmlCell struct {
	Text  string
	Sort  string
	Class string
	Title string
}

type htmlSkipped struct {
	Text  string
	Login string
}

func newHTMLView(b *Book) htmlView {
	v := htmlView{
		CSP:       fmt.Sprintf("default-src 'none'; style-src '%s'; script-src '%s'", cspHash(pageStyle), cspHash(pageScript)),
		Style:     template.CSS(pageStyle),
		Script:    template.JS(pageScript),
		Generated: b.Generated.Format("2006-01-02 15:04 UTC"),
		Max:       grade.FormatPoints(b.Max),
		Headers:   []string{"Login", "Image"},
	}
	for _, c := range b.Columns {
		v.Headers = append(v.Headers, fmt.Sprintf("%s (%s)", c.ID, grade.FormatPoints(c.Max)))
	}
	v.Headers = append(v.Headers, "Total", "Outcome")
	v.Headers = append(v.Headers, b.ExtraColumns...)
	for _, r := range b.Rows {
		v.Rows = append(v.Rows, newHTMLRow(b, r))
	}
	for _, p := range b.Skipped {
		v.Skipped = append(v.Skipped, htmlSkipped{Text: truncate(p.String(), noteLimit), Login: truncate(p.Login, 80)})
	}
	return v
}

func newHTMLRow(b *Book, r Row) htmlRow {
	row := htmlRow{Cells: []htmlCell{{Text: r.Login, Class: "login"}, {Text: r.Image, Class: "text"}}}
	for _, c := range r.Cells {
		status := c.Status
		if status == "" {
			status = "not checked"
		}
		row.Cells = append(row.Cells, htmlCell{
			Text: grade.FormatPoints(c.Points), Sort: grade.FormatPoints(c.Points),
			Class: cellClass(c.Status), Title: status,
		})
	}
	row.Cells = append(row.Cells,
		htmlCell{Text: grade.FormatPoints(r.Total) + " / " + grade.FormatPoints(r.Max), Sort: grade.FormatPoints(r.Total), Class: "total"},
		htmlCell{Text: r.Outcome, Class: "outcome-" + r.Outcome})
	for _, value := range padded(r.Extra, len(b.ExtraColumns)) {
		row.Cells = append(row.Cells, htmlCell{Text: value, Class: "text"})
	}
	for _, n := range r.Notes {
		row.Notes = append(row.Notes, truncate(n, noteLimit))
	}
	return row
}

// cellClass maps a verdict to its CSS class: only known names reach the
// page's class attribute.
func cellClass(status string) string {
	switch status {
	case "pass", "warn", "fail", "error", "skip":
		return "status-" + status
	}
	return "status-none"
}

// cspHash returns the CSP source expression that allows exactly the
// inline script or style s.
func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

var pageTemplate = template.Must(template.New("gradebook").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gradebook</title>
<style>{{.Style}}</style>
</head>
<body>
<h1>Gradebook</h1>
<p>Generated {{.Generated}}. Maximum {{.Max}} points. {{len .Rows}} students. Click a column header to sort by it.</p>
<table id="grades">
<thead><tr>{{range $i, $h := .Headers}}<th data-col="{{$i}}" tabindex="0">{{$h}}</th>{{end}}<th>Notes</th></tr></thead>
<tbody>
{{range .Rows}}<tr>{{range .Cells}}<td{{if .Class}} class="{{.Class}}"{{end}}{{if .Sort}} data-sort="{{.Sort}}"{{end}}{{if .Title}} title="{{.Title}}"{{end}}>{{.Text}}</td>{{end}}<td class="notes">{{if .Notes}}<ul>{{range .Notes}}<li>{{.}}</li>{{end}}</ul>{{end}}</td></tr>
{{end}}</tbody>
</table>
{{if .Skipped}}<h2>Skipped roster lines</h2>
<ul id="skipped">{{range .Skipped}}<li>{{.Text}} (login cell: <code>{{.Login}}</code>)</li>{{end}}</ul>
{{end}}<script>{{.Script}}</script>
</body>
</html>
`))

const pageStyle = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
td.text { min-width: 6em; max-width: 20em; overflow-wrap: anywhere; }
td.notes { min-width: 24em; max-width: 40em; overflow-wrap: anywhere; }
td.login { white-space: nowrap; }
th { background: #eee; cursor: pointer; user-select: none; position: sticky; top: 0; }
th[aria-sort=ascending]::after { content: " \25B2"; }
th[aria-sort=descending]::after { content: " \25BC"; }
td[data-sort] { text-align: right; }
.status-pass { background: #e6f4e6; }
.status-warn { background: #fff6d6; }
.status-fail, .status-error { background: #fbe3e3; }
.status-skip, .status-none { background: #f2f2f2; color: #777; }
.total { font-weight: bold; }
.notes ul { margin: 0; padding-left: 1.2em; }
`

const pageScript = `
(function () {
  function key(cell) {
    var v = cell.getAttribute("data-sort");
    if (v === null) { v = cell.textContent; }
    var n = Number(v);
    return v !== "" && isFinite(n) ? n : v.toLowerCase();
  }
  var table = document.getElementById("grades");
  var body = table.tBodies[0];
  table.setAttribute("data-sortable", "true");
  table.querySelectorAll("th[data-col]").forEach(function (th) {
    function sort() {
      var col = Number(th.getAttribute("data-col"));
      var asc = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a.cells[col]), y = key(b.cells[col]);
        var c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
  });
})();
`
