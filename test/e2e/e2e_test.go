// Package e2e runs the imagelab binary the way users do, against a real
// Docker daemon and images built from the project's real Dockerfiles.
package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/imagelab/imagelab/internal/testenv"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// imagelab builds the binary once per test run.
func imagelab(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "imagelab-e2e-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "imagelab")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/imagelab")
		cmd.Dir = testenv.RepoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = &buildError{out: string(out), err: err}
		}
	})
	if binErr != nil {
		t.Fatalf("building imagelab: %v", binErr)
	}
	return binPath
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// result is a run of the binary.
type result struct {
	code   int
	stdout string
	stderr string
}

func runImagelab(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(imagelab(t), args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running imagelab: %v", err)
	}
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// jsonReport is the part of the JSON report the tests read.
type jsonReport struct {
	Image   string `json:"image"`
	ImageID string `json:"imageID"`
	Checks  []struct {
		ID       string            `json:"id"`
		Status   string            `json:"status"`
		Required bool              `json:"required"`
		Message  string            `json:"message"`
		Evidence map[string]string `json:"evidence"`
		Fix      string            `json:"fix"`
	} `json:"checks"`
	Totals map[string]int `json:"totals"`
}

func parseReport(t *testing.T, out string) jsonReport {
	t.Helper()
	var rep jsonReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("parsing the JSON report: %v\n%s", err, out)
	}
	return rep
}

// statuses maps check ids to statuses.
func (r jsonReport) statuses() map[string]string {
	m := map[string]string{}
	for _, c := range r.Checks {
		m[c.ID] = c.Status
	}
	return m
}
