package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/imagelab/imagelab/internal/check"
)

// junitSuites is the <testsuites> root element. The document follows the
// schema junit-10.xsd of the Jenkins xunit-plugin, which allows only name,
// tests, failures, errors and time here, so the skipped count is only on
// <testsuite>.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

// junitSuite is the one <testsuite> of a run.
type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

// junitProperty is a name and value under <properties>.
type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// junitCase is the <testcase> of one check.
type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure"`
	Error     *junitProblem `xml:"error"`
	Skipped   *junitProblem `xml:"skipped"`
	SystemOut junitOutput   `xml:"system-out"`
}

// junitProblem is a <failure>, <error> or <skipped> element.
type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",innerxml"`
}

// junitOutput is the <system-out> of a test case.
type junitOutput struct {
	Text string `xml:",innerxml"`
}

// JUnit writes the report as JUnit XML: one test suite for the image and
// one test case per check. A failed check is a <failure>, a check that
// could not measure is an <error>, a skipped check is <skipped>, and a
// warning passes. Every case lists its summary and evidence in
// <system-out>. Messages are in opt.Lang; check IDs stay as they are.
func JUnit(w io.Writer, rep *check.Report, opt Options) error {
	totals := rep.Totals()
	suite := junitSuite{
		Name:      "imagelab check " + rep.Image,
		Tests:     len(rep.Results),
		Failures:  totals[check.Fail],
		Errors:    totals[check.Error],
		Skipped:   totals[check.Skip],
		Time:      junitSeconds(rep.Duration),
		Timestamp: rep.Started.UTC().Format("2006-01-02T15:04:05"),
		Properties: []junitProperty{
			{Name: "image", Value: rep.Image},
			{Name: "imageID", Value: rep.ImageID},
			{Name: "static", Value: strconv.FormatBool(rep.Static)},
			{Name: "exitCode", Value: strconv.Itoa(rep.ExitCode())},
		},
	}
	for _, r := range rep.Results {
		suite.Cases = append(suite.Cases, junitTestCase(rep.Image, r, opt))
	}
	doc := junitSuites{
		Name: "imagelab", Tests: suite.Tests, Failures: suite.Failures, Errors: suite.Errors,
		Time: suite.Time, Suites: []junitSuite{suite},
	}
	return writeXML(w, doc)
}

// junitTestCase returns the test case of result r.
func junitTestCase(image string, r check.Result, opt Options) junitCase {
	l := opt.Lang
	c := junitCase{
		Classname: "imagelab." + image,
		Name:      r.ID + ": " + oneLine(l.Format(r.Title)),
		Time:      junitSeconds(r.Duration),
	}
	summary := oneLine(l.Format(r.Summary))
	details := xmlText(evidenceLines(r, opt) + fixLine(r, opt))
	switch r.Status {
	case check.Fail:
		c.Failure = &junitProblem{Message: summary, Type: string(check.Fail), Text: details}
	case check.Error:
		c.Error = &junitProblem{Message: summary, Type: string(check.Error), Text: details}
	case check.Skip:
		c.Skipped = &junitProblem{Message: summary}
	}
	c.SystemOut.Text = xmlText(statusWord(r.Status, l)+": "+summary+"\n") + details
	return c
}

// evidenceLines returns one "label: value" line per piece of evidence.
func evidenceLines(r check.Result, opt Options) string {
	var b strings.Builder
	for _, e := range r.Evidence {
		fmt.Fprintf(&b, "%s: %s\n", oneLine(EvidenceLabel(e.Key, opt.Lang)), oneLine(e.Value))
	}
	return b.String()
}

// fixLine returns the "fix: ..." line of r, or "" when r has no fix.
func fixLine(r check.Result, opt Options) string {
	if r.Fix.IsZero() {
		return ""
	}
	return opt.Lang.String("fix:") + " " + oneLine(opt.Lang.Format(r.Fix)) + "\n"
}

// xmlText escapes s as XML character data. Unlike encoding/xml's
// chardata, it keeps line breaks literal so the file reads line by line.
// Only real line breaks come back, because a "&#xA;" in s is escaped to
// "&amp;#xA;" first.
func xmlText(s string) string {
	var b strings.Builder
	// A strings.Builder never returns a write error.
	_ = xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), "&#xA;", "\n")
}

// junitSeconds formats d as seconds with millisecond precision, which the
// schema's SUREFIRE_TIME pattern accepts.
func junitSeconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}

// writeXML writes doc as an indented XML document with its declaration.
func writeXML(w io.Writer, doc any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
