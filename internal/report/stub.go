package report

import (
	"errors"
	"io"

	"github.com/imagelab/imagelab/internal/check"
)

// JUnit writes the report as JUnit XML.
func JUnit(w io.Writer, rep *check.Report, opt Options) error { return errors.New("junit: not written yet") }

// SARIF writes the report as SARIF 2.1.0.
func SARIF(w io.Writer, rep *check.Report, opt Options) error { return errors.New("sarif: not written yet") }

// Markdown writes the report as a Markdown table.
func Markdown(w io.Writer, rep *check.Report, opt Options) error {
	return errors.New("markdown: not written yet")
}
