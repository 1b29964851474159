package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/imagelab/imagelab/internal/check"
	"github.com/imagelab/imagelab/internal/i18n"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata with the current output")

// Hostile evidence values: each one breaks a format that does not escape it.
const (
	scriptValue   = `<script>alert("x")</script>`
	quotesValue   = `"quotes" and 'apostrophes' & ampersands &#xA; &lt;`
	pipesValue    = `|pipe| a\|b | c`
	markdownValue = "`code` *bold* _em_ [link](https://example.com) ~~struck~~ # not a heading"
	newlineValue  = "first line\nsecond line\r\nthird line \x1b[31mred\x1b[0m"
	cyrillicValue = "Привет, мир: доступ «запрещён»"
)

// longValue is 300 characters, longer than any terminal line.
var longValue = strings.Repeat("0123456789", 30)

// fixture returns a report with one result of each status, fixed times
// and hostile evidence values.
func fixture() *check.Report {
	return &check.Report{
		Image:    "registry.example.com/student42/app:v1",
		ImageID:  "sha256:" + strings.Repeat("0123456789abcdef", 4),
		Started:  time.Date(2026, 3, 14, 15, 9, 26, 535_000_000, time.UTC),
		Duration: 4321 * time.Millisecond,
		Results: []check.Result{
			{
				ID: "size", Title: i18n.T("Image size"), Required: true, Status: check.Pass,
				Summary: i18n.T("the image is %s, within the %s limit", "6.6 MB", "150.0 MB"),
				Evidence: []check.Evidence{
					{Key: "size_bytes", Value: "6611106"},
					{Key: "size", Value: "6.6 MB"},
					{Key: "limit", Value: "150.0 MB"},
				},
				Duration: 1500 * time.Microsecond,
			},
			failedResult(),
			{
				ID: "tools", Title: i18n.T("No download tools or shell in the final image"), Status: check.Warn,
				Summary:  i18n.T("the final image contains %s", "curl, sh"),
				Evidence: []check.Evidence{{Key: "found", Value: "/usr/bin/curl, /bin/sh"}},
				Fix:      i18n.T("copy only the binary into the final stage"),
				Duration: 115 * time.Millisecond,
			},
			{
				ID: "multi-stage", Title: i18n.T("Built by a multi-stage Dockerfile"), Required: true, Status: check.Skip,
				Summary: i18n.T("not run: no Dockerfile given; pass --dockerfile PATH"),
			},
			{
				ID: "sigterm", Title: i18n.T("Stops cleanly on SIGTERM"), Required: true, Status: check.Error,
				Summary:  i18n.T("could not measure: %s", "engine: context deadline exceeded"),
				Evidence: []check.Evidence{{Key: "error", Value: "engine: context deadline exceeded\nretry 2 of 3"}},
				Fix:      i18n.T("fix the engine error shown in the evidence and rerun"),
				Duration: 2 * time.Second,
			},
		},
	}
}

// failedResult returns a failed check whose summary and evidence hold
// hostile values.
func failedResult() check.Result {
	return check.Result{
		ID: "labels", Title: i18n.T("Carries the lab labels"), Required: true, Status: check.Fail,
		Summary: i18n.T("label %s is %q, expected %q", "org.lab.login", "<b>me</b>|you", "student42"),
		Evidence: []check.Evidence{
			{Key: "org.lab.login", Value: scriptValue},
			{Key: "quotes", Value: quotesValue},
			{Key: "pipes", Value: pipesValue},
			{Key: "markdown", Value: markdownValue},
			{Key: "log_lines", Value: newlineValue},
			{Key: "long", Value: longValue},
			{Key: "cyrillic", Value: cyrillicValue},
		},
		Fix:      i18n.T("rebuild with --build-arg set to your own value for %s", "org.lab.login"),
		Duration: 12 * time.Millisecond,
	}
}

// render returns the output of write for the fixture, failing the test on
// a write error.
func render(t *testing.T, write Writer, rep *check.Report, opt Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf, rep, opt); err != nil {
		t.Fatalf("writing the report: %v", err)
	}
	return buf.Bytes()
}

func TestGoldenFiles(t *testing.T) {
	english := Options{Lang: i18n.English}
	cases := []struct {
		golden string
		write  Writer
		opt    Options
	}{
		{"text.en.golden", Text, english},
		{"text-color.en.golden", Text, Options{Lang: i18n.English, Color: true}},
		{"markdown.en.golden", Markdown, english},
		{"json.en.golden", JSON, english},
		{"junit.en.golden", JUnit, english},
		{"sarif.en.golden", SARIF, english},
		{"text.ru.golden", Text, Options{Lang: i18n.Russian}},
		{"markdown.ru.golden", Markdown, Options{Lang: i18n.Russian}},
	}
	for _, c := range cases {
		t.Run(c.golden, func(t *testing.T) {
			compareGolden(t, c.golden, render(t, c.write, fixture(), c.opt))
		})
	}
}

// compareGolden compares got with testdata/name, or rewrites that file
// when -update is set.
func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("updating %s: %v", path, err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s: %v; run go test ./internal/report -update to create it", path, err)
	}
	if !bytes.Equal(got, want) {
		line, gotLine, wantLine := firstDifference(string(got), string(want))
		t.Errorf("%s: line %d: got %q, want %q; rerun with -update if the change is intended", path, line, gotLine, wantLine)
	}
}

// firstDifference returns the 1-based number of the first line where got
// and want differ, and that line of each.
func firstDifference(got, want string) (int, string, string) {
	gotLines, wantLines := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; ; i++ {
		var g, w string
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w || i >= len(gotLines) || i >= len(wantLines) {
			return i + 1, g, w
		}
	}
}

// TestUpdateFlagOff fails every run with -update, so a run that rewrote
// the golden files cannot pass.
func TestUpdateFlagOff(t *testing.T) {
	if *update {
		t.Fatal("-update rewrote the golden files in testdata; review the diff and rerun without -update")
	}
}

// Test-side view of the JUnit XML, independent of the writer's types.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Time     string `xml:"time,attr"`
		Cases    []struct {
			Classname string    `xml:"classname,attr"`
			Name      string    `xml:"name,attr"`
			Time      string    `xml:"time,attr"`
			Failure   *junitTag `xml:"failure"`
			Error     *junitTag `xml:"error"`
			Skipped   *junitTag `xml:"skipped"`
			SystemOut *string   `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

type junitTag struct {
	Message *string `xml:"message,attr"`
	Type    *string `xml:"type,attr"`
	Text    string  `xml:",chardata"`
}

func TestJUnitParsesWithCounts(t *testing.T) {
	var doc junitDoc
	if err := xml.Unmarshal(render(t, JUnit, fixture(), Options{Lang: i18n.English}), &doc); err != nil {
		t.Fatalf("parsing the JUnit XML: %v", err)
	}
	if doc.Tests != 5 || doc.Failures != 1 || doc.Errors != 1 {
		t.Errorf("testsuites counts: got tests=%d failures=%d errors=%d, want 5, 1, 1", doc.Tests, doc.Failures, doc.Errors)
	}
	if len(doc.Suites) != 1 {
		t.Fatalf("testsuite elements: got %d, want 1", len(doc.Suites))
	}
	suite := doc.Suites[0]
	if suite.Name != "imagelab check registry.example.com/student42/app:v1" {
		t.Errorf("suite name: got %q, want %q", suite.Name, "imagelab check registry.example.com/student42/app:v1")
	}
	if suite.Tests != 5 || suite.Failures != 1 || suite.Errors != 1 || suite.Skipped != 1 {
		t.Errorf("testsuite counts: got tests=%d failures=%d errors=%d skipped=%d, want 5, 1, 1, 1",
			suite.Tests, suite.Failures, suite.Errors, suite.Skipped)
	}
	if suite.Time != "4.321" {
		t.Errorf("suite time: got %q, want %q", suite.Time, "4.321")
	}
	if len(suite.Cases) != 5 {
		t.Fatalf("testcase elements: got %d, want 5", len(suite.Cases))
	}
}

func TestJUnitCaseElements(t *testing.T) {
	var doc junitDoc
	if err := xml.Unmarshal(render(t, JUnit, fixture(), Options{Lang: i18n.English}), &doc); err != nil {
		t.Fatalf("parsing the JUnit XML: %v", err)
	}
	cases := doc.Suites[0].Cases
	timePattern := regexp.MustCompile(`^[0-9]+\.[0-9]{3}$`)
	wantElements := []struct{ name, element string }{
		{"size: Image size", ""},
		{"labels: Carries the lab labels", "failure"},
		{"tools: No download tools or shell in the final image", ""},
		{"multi-stage: Built by a multi-stage Dockerfile", "skipped"},
		{"sigterm: Stops cleanly on SIGTERM", "error"},
	}
	for i, want := range wantElements {
		c := cases[i]
		t.Run(want.name, func(t *testing.T) {
			if c.Name != want.name {
				t.Errorf("name: got %q, want %q", c.Name, want.name)
			}
			if c.Classname != "imagelab.registry.example.com/student42/app:v1" {
				t.Errorf("classname: got %q, want %q", c.Classname, "imagelab.registry.example.com/student42/app:v1")
			}
			if !timePattern.MatchString(c.Time) {
				t.Errorf("time: got %q, want seconds with three decimals", c.Time)
			}
			if got := presentElement(c.Failure, c.Error, c.Skipped); got != want.element {
				t.Errorf("status element: got %q, want %q", got, want.element)
			}
			if c.SystemOut == nil || *c.SystemOut == "" {
				t.Error("system-out: got none, want the summary and evidence")
			}
		})
	}
}

// junitAttributes lists the attributes that junit-10.xsd of the Jenkins
// xunit-plugin allows on each element the JUnit writer uses; true marks a
// required one.
var junitAttributes = map[string]map[string]bool{
	"testsuites": {"name": false, "time": false, "tests": false, "failures": false, "errors": false},
	"testsuite": {
		"name": true, "tests": true, "failures": true, "errors": true, "group": false, "time": false,
		"skipped": false, "timestamp": false, "hostname": false, "id": false, "package": false,
		"file": false, "log": false, "url": false,
	},
	"properties": {},
	"property":   {"name": true, "value": true},
	"testcase":   {"name": true, "time": false, "classname": false, "group": false},
	"failure":    {"type": false, "message": false},
	"error":      {"type": false, "message": false},
	"skipped":    {"type": false, "message": false},
	"system-out": {},
}

func TestJUnitSchemaAttributes(t *testing.T) {
	dec := xml.NewDecoder(bytes.NewReader(render(t, JUnit, fixture(), Options{Lang: i18n.English})))
	surefireTime := regexp.MustCompile(`^[0-9]+(\.[0-9]*)?$`)
	for {
		token, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("parsing the JUnit XML: %v", err)
		}
		start, ok := token.(xml.StartElement)
		if !ok {
			continue
		}
		allowed, known := junitAttributes[start.Name.Local]
		if !known {
			t.Errorf("element <%s>: got it, want only elements of junit-10.xsd", start.Name.Local)
			continue
		}
		present := map[string]bool{}
		for _, attr := range start.Attr {
			present[attr.Name.Local] = true
			if _, ok := allowed[attr.Name.Local]; !ok {
				t.Errorf("<%s %s>: got an attribute the schema does not allow", start.Name.Local, attr.Name.Local)
			}
			if attr.Name.Local == "time" && !surefireTime.MatchString(attr.Value) {
				t.Errorf("<%s time=%q>: got a value outside SUREFIRE_TIME", start.Name.Local, attr.Value)
			}
		}
		for name, required := range allowed {
			if required && !present[name] {
				t.Errorf("<%s>: got no %s attribute, want it (required)", start.Name.Local, name)
			}
		}
	}
}

// presentElement names the one non-nil element of failure, error and
// skipped, "" for none, or "several".
func presentElement(failure, err, skipped *junitTag) string {
	var names []string
	for name, tag := range map[string]*junitTag{"failure": failure, "error": err, "skipped": skipped} {
		if tag != nil {
			names = append(names, name)
		}
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return "several"
}

func TestJUnitFailureContent(t *testing.T) {
	var doc junitDoc
	if err := xml.Unmarshal(render(t, JUnit, fixture(), Options{Lang: i18n.English}), &doc); err != nil {
		t.Fatalf("parsing the JUnit XML: %v", err)
	}
	failure := doc.Suites[0].Cases[1].Failure
	if failure == nil {
		t.Fatal("labels: got no failure element, want one")
	}
	wantMessage := `label org.lab.login is "<b>me</b>|you", expected "student42"`
	if failure.Message == nil || *failure.Message != wantMessage {
		t.Errorf("failure message: got %v, want %q", failure.Message, wantMessage)
	}
	if failure.Type == nil || *failure.Type != "fail" {
		t.Errorf("failure type: got %v, want %q", failure.Type, "fail")
	}
	for _, want := range []string{
		"org.lab.login: " + scriptValue + "\n",
		`log lines: first line\nsecond line\r\nthird line \x1b[31mred\x1b[0m` + "\n",
		"cyrillic: " + cyrillicValue + "\n",
		"quotes: " + quotesValue + "\n",
		"fix: rebuild with --build-arg set to your own value for org.lab.login\n",
	} {
		if !strings.Contains(failure.Text, want) {
			t.Errorf("failure text: got %q, want it to contain %q", failure.Text, want)
		}
	}
	warnOut := doc.Suites[0].Cases[2].SystemOut
	if warnOut == nil || !strings.HasPrefix(*warnOut, "WARN: the final image contains curl, sh\n") {
		t.Errorf("warn system-out: got %v, want it to start with the summary", warnOut)
	}
}

// Test-side view of the SARIF log.
type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID  string `json:"ruleId"`
			Level   string `json:"level"`
			Message struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations  []json.RawMessage `json:"locations"`
			Properties struct {
				Status   string            `json:"status"`
				Evidence map[string]string `json:"evidence"`
				Note     string            `json:"note"`
			} `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIFShape(t *testing.T) {
	var doc sarifDoc
	if err := json.Unmarshal(render(t, SARIF, fixture(), Options{Lang: i18n.English}), &doc); err != nil {
		t.Fatalf("parsing the SARIF log: %v", err)
	}
	if doc.Version != "2.1.0" {
		t.Errorf("version: got %q, want %q", doc.Version, "2.1.0")
	}
	if doc.Schema != "https://json.schemastore.org/sarif-2.1.0.json" {
		t.Errorf("$schema: got %q, want the SARIF 2.1.0 schema", doc.Schema)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("runs: got %d, want 1", len(doc.Runs))
	}
	driver := doc.Runs[0].Tool.Driver
	if driver.Name != "imagelab" {
		t.Errorf("tool.driver.name: got %q, want %q", driver.Name, "imagelab")
	}
	var ruleIDs []string
	for _, rule := range driver.Rules {
		ruleIDs = append(ruleIDs, rule.ID+"="+rule.Name)
	}
	wantRules := "size=Size labels=Labels tools=Tools multi-stage=MultiStage sigterm=Sigterm"
	if got := strings.Join(ruleIDs, " "); got != wantRules {
		t.Errorf("rules: got %q, want %q", got, wantRules)
	}
}

func TestSARIFResults(t *testing.T) {
	var doc sarifDoc
	if err := json.Unmarshal(render(t, SARIF, fixture(), Options{Lang: i18n.English}), &doc); err != nil {
		t.Fatalf("parsing the SARIF log: %v", err)
	}
	results := doc.Runs[0].Results

	var got []string
	for _, r := range results {
		got = append(got, r.RuleID+"="+r.Level+"/"+r.Properties.Status)
	}
	want := "labels=error/fail tools=warning/warn sigterm=error/error"
	if strings.Join(got, " ") != want {
		t.Fatalf("results: got %q, want %q", strings.Join(got, " "), want)
	}
	for _, r := range results {
		if len(r.Locations) != 1 {
			t.Errorf("%s: locations: got %d, want 1", r.RuleID, len(r.Locations))
		}
		if r.Message.Text == "" {
			t.Errorf("%s: message.text: got empty, want the summary", r.RuleID)
		}
	}

	labels := results[0]
	if labels.Properties.Evidence["org.lab.login"] != scriptValue {
		t.Errorf("labels evidence: got %q, want %q", labels.Properties.Evidence["org.lab.login"], scriptValue)
	}
	if !strings.HasSuffix(labels.Message.Text, "\nfix: rebuild with --build-arg set to your own value for org.lab.login") {
		t.Errorf("labels message: got %q, want it to end with the fix", labels.Message.Text)
	}

	if results[2].Properties.Note == "" {
		t.Error("sigterm: properties.note: got empty, want the could-not-measure note")
	}
}

func TestJSONRoundTrip(t *testing.T) {
	rep := fixture()
	var doc jsonReport
	if err := json.Unmarshal(render(t, JSON, rep, Options{Lang: i18n.English}), &doc); err != nil {
		t.Fatalf("parsing the JSON report: %v", err)
	}
	if doc.Image != rep.Image || doc.ImageID != rep.ImageID {
		t.Errorf("image: got %q %q, want %q %q", doc.Image, doc.ImageID, rep.Image, rep.ImageID)
	}
	if doc.Started != "2026-03-14T15:09:26Z" || doc.DurationMS != 4321 || doc.ExitCode != check.ExitError {
		t.Errorf("run: got started=%s durationMs=%d exitCode=%d, want 2026-03-14T15:09:26Z, 4321, 2",
			doc.Started, doc.DurationMS, doc.ExitCode)
	}
	wantTotals := map[string]int{"pass": 1, "fail": 1, "warn": 1, "skip": 1, "error": 1}
	for status, n := range wantTotals {
		if got, ok := doc.Totals[status]; !ok || got != n {
			t.Errorf("totals[%s]: got %d (present %t), want %d", status, got, ok, n)
		}
	}
	if len(doc.Checks) != len(rep.Results) {
		t.Fatalf("checks: got %d, want %d", len(doc.Checks), len(rep.Results))
	}
	for i, r := range rep.Results {
		c := doc.Checks[i]
		if c.ID != r.ID || c.Status != string(r.Status) || c.Required != r.Required {
			t.Errorf("check %d: got %s/%s/%t, want %s/%s/%t", i, c.ID, c.Status, c.Required, r.ID, r.Status, r.Required)
		}
		for _, e := range r.Evidence {
			if c.Evidence[e.Key] != e.Value {
				t.Errorf("%s evidence %s: got %q, want %q", r.ID, e.Key, c.Evidence[e.Key], e.Value)
			}
		}
	}
}

func TestJSONTotalsIncludeZero(t *testing.T) {
	rep := fixture()
	rep.Results = rep.Results[:1]
	var doc map[string]any
	if err := json.Unmarshal(render(t, JSON, rep, Options{Lang: i18n.English}), &doc); err != nil {
		t.Fatalf("parsing the JSON report: %v", err)
	}
	totals, _ := doc["totals"].(map[string]any)
	for _, s := range check.Statuses() {
		if _, ok := totals[string(s)]; !ok {
			t.Errorf("totals: got no %q key, want one with 0", s)
		}
	}
}

func TestMarkdownHasNoRawHTML(t *testing.T) {
	out := string(render(t, Markdown, fixture(), Options{Lang: i18n.English}))
	if strings.Contains(strings.ToLower(out), "<script") {
		t.Error("markdown: got a raw <script> tag, want it escaped")
	}
	for _, tag := range regexp.MustCompile(`<[^>]*>`).FindAllString(out, -1) {
		if tag != "<br>" {
			t.Errorf("markdown: got HTML tag %q, want only <br>", tag)
		}
	}
	if !strings.Contains(out, longValue) {
		t.Error("markdown: got the 300-character value cut, want it whole")
	}
}

func TestMarkdownTableCells(t *testing.T) {
	out := string(render(t, Markdown, fixture(), Options{Lang: i18n.English}))
	var rows []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "|") {
			rows = append(rows, line)
		}
	}
	if len(rows) != 2+len(fixture().Results) {
		t.Fatalf("table rows: got %d, want a header, a delimiter and %d checks", len(rows), len(fixture().Results))
	}
	for _, row := range rows {
		if n := countUnescapedPipes(row); n != 4 {
			t.Errorf("row %q: got %d cell borders, want 4", row, n)
		}
	}
}

// countUnescapedPipes counts the pipes of line that GitHub reads as cell
// borders.
func countUnescapedPipes(line string) int {
	count := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '|':
			count++
		}
	}
	return count
}

func TestMarkdownSections(t *testing.T) {
	out := string(render(t, Markdown, fixture(), Options{Lang: i18n.English}))
	for _, want := range []string{
		"\n## FAIL: `labels` Carries the lab labels\n",
		"\n## WARN: `tools` No download tools or shell in the final image (advice)\n",
		"\n## SKIP: `multi-stage` Built by a multi-stage Dockerfile\n",
		"\n## ERROR: `sigterm` Stops cleanly on SIGTERM\n",
		"- **org.lab.login:** &lt;script&gt;alert(\"x\")&lt;/script&gt;\n",
		"- **log lines:** first line<br>second line<br>third line \\\\x1b\\[31mred\\\\x1b\\[0m\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown: got no %q", want)
		}
	}
	if strings.Contains(out, "## PASS") {
		t.Error("markdown: got a section for a passing check, want none")
	}
}

func TestTextOneLinePerEvidence(t *testing.T) {
	rep := fixture()
	out := string(render(t, Text, rep, Options{Lang: i18n.English}))
	if strings.Contains(out, "\x1b") {
		t.Error("text without colour: got an escape character, want none")
	}
	want := 0
	for _, r := range rep.Results {
		want += len(r.Evidence)
	}
	if got := strings.Count(out, "\n"+strings.Repeat(" ", statusWidth(i18n.English)+2)+"· "); got != want {
		t.Errorf("evidence lines: got %d, want %d", got, want)
	}
	wantLine := "\n" + strings.Repeat(" ", statusWidth(i18n.English)+2) + `· log lines: first line\nsecond line\r\nthird line \x1b[31mred\x1b[0m` + "\n"
	if !strings.Contains(out, wantLine) {
		t.Errorf("text: got no line %q", wantLine)
	}
}

func TestTextColor(t *testing.T) {
	cases := []struct {
		name  string
		color bool
		want  bool
	}{
		{"colour on", true, true},
		{"colour off", false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := string(render(t, Text, fixture(), Options{Lang: i18n.English, Color: c.color}))
			if got := strings.Contains(out, statusColor[check.Fail]+"FAIL "+colorReset); got != c.want {
				t.Errorf("coloured FAIL: got %t, want %t", got, c.want)
			}
		})
	}
}

func TestEmptyReport(t *testing.T) {
	rep := fixture()
	rep.Results = nil
	for _, name := range Formats() {
		t.Run(name, func(t *testing.T) {
			write, err := ForFormat(name)
			if err != nil {
				t.Fatalf("ForFormat(%q): %v", name, err)
			}
			out := render(t, write, rep, Options{Lang: i18n.English})
			if len(out) == 0 {
				t.Error("got no output, want a report with no checks")
			}
		})
	}
	var doc map[string]any
	if err := json.Unmarshal(render(t, JSON, rep, Options{Lang: i18n.English}), &doc); err != nil {
		t.Fatalf("parsing the JSON report: %v", err)
	}
	if checks, ok := doc["checks"].([]any); !ok || len(checks) != 0 {
		t.Errorf("checks: got %v, want []", doc["checks"])
	}
}

func TestForFormatUnknown(t *testing.T) {
	if _, err := ForFormat("html"); err == nil {
		t.Error(`ForFormat("html"): got no error, want one`)
	}
}

func TestMarkdownText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain 6.6 MB", "plain 6.6 MB"},
		{"a|b", `a\|b`},
		{`a\|b`, `a\\\|b`},
		{"`x`", "\\`x\\`"},
		{"<img src=x>", "&lt;img src=x&gt;"},
		{"&lt;", "&amp;lt;"},
		{"one\ntwo\r\nthree", "one<br>two<br>three"},
		{"*a* _b_ [c] ~d~", `\*a\* \_b\_ \[c\] \~d\~`},
		{"bell\a", `bell\\x07`},
		{"кириллица", "кириллица"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			if got := markdownText(c.in); got != c.want {
				t.Errorf("markdownText(%q): got %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestXMLText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"a\nb", "a\nb"},
		{"<&>", "&lt;&amp;&gt;"},
		{"&#xA;", "&amp;#xA;"},
		{"bad \xff byte", "bad \uFFFD byte"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			if got := xmlText(c.in); got != c.want {
				t.Errorf("xmlText(%q): got %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestOneLine(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain", "plain"},
		{"a\nb", `a\nb`},
		{"a\r\nb", `a\r\nb`},
		{"tab\tstays", "tab\tstays"},
		{"\x1b[31mred", `\x1b[31mred`},
		{"c1\u0085", `c1\u0085`},
		{"Привет", "Привет"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			if got := oneLine(c.in); got != c.want {
				t.Errorf("oneLine(%q): got %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestEvidenceLabel(t *testing.T) {
	cases := []struct{ key, want string }{
		{"size_bytes", "size in bytes"},
		{"with_value_3", "with value 3"},
		{"org.lab.login", "org.lab.login"},
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			if got := EvidenceLabel(c.key, i18n.English); got != c.want {
				t.Errorf("EvidenceLabel(%q): got %q, want %q", c.key, got, c.want)
			}
		})
	}
}
