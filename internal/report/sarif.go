package report

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/imagelab/imagelab/internal/check"
)

// SARIF 2.1.0 constants.
//
// NOTE: informationURI is the repository that the module path names. No
// project page was confirmed there.
const (
	sarifSchema    = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion   = "2.1.0"
	informationURI = "https://github.com/imagelab/imagelab"
	sarifTimestamp = "2006-01-02T15:04:05.000Z"
)

// sarifLog is the top-level SARIF object, holding a single run.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

// sarifRun is one run of imagelab against one image.
type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Language    string            `json:"language"`
	Results     []sarifResult     `json:"results"`
	Properties  map[string]any    `json:"properties"`
}

// sarifTool describes imagelab and its rules, one per check.
type sarifTool struct {
	Driver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	} `json:"driver"`
}

// sarifRule is the reportingDescriptor of one check.
type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifMessage   `json:"shortDescription"`
	Help                 *sarifMessage  `json:"help,omitempty"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

// sarifConfig is a rule's default level.
type sarifConfig struct {
	Level string `json:"level"`
}

// sarifMessage is a plain-text SARIF message.
type sarifMessage struct {
	Text string `json:"text"`
}

// sarifInvocation records whether every check could measure, and when
// the run started and ended.
type sarifInvocation struct {
	ExecutionSuccessful bool   `json:"executionSuccessful"`
	StartTimeUTC        string `json:"startTimeUtc"`
	EndTimeUTC          string `json:"endTimeUtc"`
	ExitCode            int    `json:"exitCode"`
}

// sarifResult is the finding of one check that did not pass.
type sarifResult struct {
	RuleID     string          `json:"ruleId"`
	RuleIndex  int             `json:"ruleIndex"`
	Level      string          `json:"level"`
	Message    sarifMessage    `json:"message"`
	Locations  []sarifLocation `json:"locations"`
	Properties map[string]any  `json:"properties"`
}

// sarifLocation names the image as a logical location.
type sarifLocation struct {
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations"`
}

// sarifPhysicalLocation points at a file: the Dockerfile, when the report
// has one.
type sarifPhysicalLocation struct {
	ArtifactLocation struct {
		URI string `json:"uri"`
	} `json:"artifactLocation"`
}

// sarifLogicalLocation is a named resource without a file.
type sarifLogicalLocation struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// sarifLevels maps the statuses that produce a SARIF result to its level.
// Pass and skip produce no result.
var sarifLevels = map[check.Status]string{
	check.Fail:  "error",
	check.Warn:  "warning",
	check.Error: "error",
}

// SARIF writes the report as a SARIF 2.1.0 log with one run. Every check
// is a rule. Every check that failed, warned or could not measure is also
// a result, located at the image and carrying its evidence in properties.
// Messages and descriptions are in opt.Lang, and rule IDs stay English.
func SARIF(w io.Writer, rep *check.Report, opt Options) error {
	run := sarifRun{
		Invocations: []sarifInvocation{sarifInvocationOf(rep)},
		Language:    string(opt.Lang),
		Results:     []sarifResult{},
		Properties: map[string]any{
			"image": rep.Image, "imageID": rep.ImageID, "static": rep.Static,
			"totals": statusTotals(rep),
		},
	}
	run.Tool.Driver.Name = "imagelab"
	run.Tool.Driver.InformationURI = informationURI
	run.Tool.Driver.Rules = []sarifRule{}
	for i, r := range rep.Results {
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(r, opt))
		if _, ok := sarifLevels[r.Status]; ok {
			run.Results = append(run.Results, sarifResultOf(rep, i, r, opt))
		}
	}
	doc := sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// sarifInvocationOf returns the invocation of the run. The execution
// counts as successful when no check ended in the error status.
func sarifInvocationOf(rep *check.Report) sarifInvocation {
	return sarifInvocation{
		ExecutionSuccessful: rep.Totals()[check.Error] == 0,
		StartTimeUTC:        rep.Started.UTC().Format(sarifTimestamp),
		EndTimeUTC:          rep.Started.Add(rep.Duration).UTC().Format(sarifTimestamp),
		ExitCode:            rep.ExitCode(),
	}
}

// sarifRuleOf returns the rule of check r. Its default level is error for
// a required check and warning for advice. The help text is r's fix,
// present only when the check did not pass.
func sarifRuleOf(r check.Result, opt Options) sarifRule {
	level := "warning"
	if r.Required {
		level = "error"
	}
	rule := sarifRule{
		ID:                   r.ID,
		Name:                 pascalCase(r.ID),
		ShortDescription:     sarifMessage{Text: opt.Lang.Format(r.Title)},
		DefaultConfiguration: sarifConfig{Level: level},
		Properties:           map[string]any{"required": r.Required},
	}
	if !r.Fix.IsZero() {
		rule.Help = &sarifMessage{Text: opt.Lang.Format(r.Fix)}
	}
	return rule
}

// sarifResultOf returns the result of check r, the index-th rule.
//
// The location is the image, as a logical location, and the Dockerfile
// when the run had one.
//
// NOTE: GitHub code scanning rejects a result without
// physicalLocation.artifactLocation.uri, so upload reports of runs with
// --dockerfile.
func sarifResultOf(rep *check.Report, index int, r check.Result, opt Options) sarifResult {
	image := rep.Image
	l := opt.Lang
	text := l.Format(r.Summary)
	if !r.Fix.IsZero() {
		text += "\n" + l.String("fix:") + " " + l.Format(r.Fix)
	}
	evidence := map[string]string{}
	for _, e := range r.Evidence {
		evidence[e.Key] = e.Value
	}
	res := sarifResult{
		RuleID: r.ID, RuleIndex: index, Level: sarifLevels[r.Status],
		Message: sarifMessage{Text: text},
		Locations: []sarifLocation{{LogicalLocations: []sarifLogicalLocation{
			{Name: image, FullyQualifiedName: image, Kind: "resource"},
		}}},
		Properties: map[string]any{"status": string(r.Status), "required": r.Required, "evidence": evidence},
	}
	if rep.Dockerfile != "" {
		loc := &sarifPhysicalLocation{}
		loc.ArtifactLocation.URI = artifactURI(rep.Dockerfile)
		res.Locations[0].PhysicalLocation = loc
	}
	if r.Status == check.Error {
		res.Properties["note"] = l.String("the check could not measure, so this result says nothing about the image")
	}
	return res
}

// pascalCase turns a check ID such as "non-root" into "NonRoot", the form
// SARIF recommends for a rule name.
func pascalCase(id string) string {
	var b strings.Builder
	for _, word := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(word[:1]) + word[1:])
	}
	return b.String()
}

// artifactURI returns the Dockerfile path as SARIF wants it: relative to
// the working folder, where code scanning resolves it against the
// repository, unless the file lies outside that folder.
func artifactURI(path string) string {
	if filepath.IsAbs(path) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(rel, "..") {
				path = rel
			}
		}
	}
	return filepath.ToSlash(path)
}
