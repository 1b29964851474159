// Package report writes a check.Report in the formats people and tools
// read: text for a terminal, Markdown, JSON, JUnit XML and SARIF.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/imagelab/imagelab/internal/check"
	"github.com/imagelab/imagelab/internal/i18n"
)

// Options tune how a report is written.
type Options struct {
	// Lang is the language of titles, summaries, labels and fixes.
	Lang i18n.Lang
	// Color adds ANSI colours to the text format.
	Color bool
}

// Writer writes a report in one format.
type Writer func(w io.Writer, rep *check.Report, opt Options) error

var writers = map[string]Writer{
	"text":     Text,
	"json":     JSON,
	"junit":    JUnit,
	"sarif":    SARIF,
	"markdown": Markdown,
}

// Formats returns the names of the supported formats.
func Formats() []string {
	names := make([]string, 0, len(writers))
	for n := range writers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ForFormat returns the writer for a --format value.
func ForFormat(name string) (Writer, error) {
	w, ok := writers[name]
	if !ok {
		return nil, fmt.Errorf("unknown format %q: use one of %s", name, strings.Join(Formats(), ", "))
	}
	return w, nil
}

// evidenceLabels are the people-facing names of evidence keys. A key
// without an entry is shown with its underscores as spaces.
var evidenceLabels = map[string]string{
	"size_bytes":           "size in bytes",
	"size":                 "size",
	"limit":                "limit",
	"layer_1":              "largest layer",
	"layer_2":              "second layer",
	"layer_3":              "third layer",
	"user":                 "USER",
	"uid":                  "UID in /etc/passwd",
	"passwd_entry":         "/etc/passwd entry",
	"pid1":                 "PID 1",
	"pid1_uid":             "UID of PID 1",
	"command":              "probe command",
	"configured":           "configured timings",
	"accelerated":          "timings used in the check",
	"probed_path":          "probed path",
	"program":              "probe program",
	"missing_program":      "missing program",
	"time_to_healthy":      "time to healthy",
	"health_status":        "health status",
	"last_probe_exit_code": "last probe exit code",
	"last_probe_output":    "last probe output",
	"host_get_health":      "GET health from the host",
	"state":                "container state",
	"serving":              "serving",
	"stop_signal":          "stop signal",
	"grace":                "grace",
	"stop_ms":              "stop time, ms",
	"exit_code":            "exit code",
	"last_log_lines":       "last log lines",
	"get_root":             "GET /",
	"get_health":           "GET health",
	"state_after":          "state after settling",
	"log_lines":            "log lines",
	"hardened":             "with --cap-drop ALL, no-new-privileges",
	"failed_writes":        "refused writes",
	"with_value_1":         "first value",
	"with_value_2":         "second value",
	"default":              "image default",
	"dockerfile":           "Dockerfile",
	"stages":               "stages",
	"from":                 "FROM lines",
	"final_copies":         "final stage copies",
	"found":                "found",
	"args":                 "build args",
	"names":                "names",
	"log_line":             "log line",
	"host_error":           "host error",
	"start_error":          "start error",
	"error":                "error message",
}

// EvidenceLabel returns the label of an evidence key in language l.
func EvidenceLabel(key string, l i18n.Lang) string {
	if label, ok := evidenceLabels[key]; ok {
		return l.String(label)
	}
	return strings.ReplaceAll(key, "_", " ")
}

// statusWord returns the upper-case verdict word of s in language l.
func statusWord(s check.Status, l i18n.Lang) string {
	return l.String(strings.ToUpper(string(s)))
}

// statusTotals counts the results by status, with a key for every
// status, zero included.
func statusTotals(rep *check.Report) map[string]int {
	counts := rep.Totals()
	totals := make(map[string]int, len(check.Statuses()))
	for _, s := range check.Statuses() {
		totals[string(s)] = counts[s]
	}
	return totals
}

// totalsLine renders "13 checks: 9 pass, 1 fail, ..." in language l.
func totalsLine(rep *check.Report, l i18n.Lang) string {
	t := rep.Totals()
	var parts []string
	for _, s := range check.Statuses() {
		parts = append(parts, fmt.Sprintf("%d %s", t[s], l.String(string(s))))
	}
	return l.Format(i18n.T("%d checks: %s, in %s", len(rep.Results), strings.Join(parts, ", "), rep.Duration.Round(10e6).String()))
}
