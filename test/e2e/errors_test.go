package e2e

import (
	"strings"
	"testing"

	"github.com/imagelab/imagelab/internal/testenv"
)

func TestUsageAndEngineErrors(t *testing.T) {
	testenv.Docker(t)
	tests := []struct {
		name     string
		env      []string
		args     []string
		inStderr []string
	}{
		{"image not found", nil, []string{"check", "imagelab-test/does-not-exist:1"},
			[]string{`"imagelab-test/does-not-exist:1" not found`, "docker images"}},
		{"no daemon", []string{"DOCKER_HOST=unix:///nonexistent/docker.sock"}, []string{"check", "any:image"},
			[]string{"unix:///nonexistent/docker.sock", "ensure-docker.sh"}},
		{"bad max size", nil, []string{"check", "--max-size", "huge", "x"},
			[]string{`"huge"`, "150MB"}},
		{"bad format", nil, []string{"check", "--format", "yaml", "x"},
			[]string{`"yaml"`, "json"}},
		{"unknown flag", nil, []string{"check", "--colour", "x"},
			[]string{"--colour", "--help"}},
		{"no image argument", nil, []string{"check"},
			[]string{"accepts 1 arg"}},
		{"missing Dockerfile", nil, []string{"check", "--dockerfile", "/nonexistent/Dockerfile", "x"},
			[]string{`"/nonexistent/Dockerfile" not found`}},
		{"missing output folder", nil, []string{"check", "--output", "/nonexistent/dir/report.txt", "x"},
			[]string{`"/nonexistent/dir"`, "create it"}},
		{"zero stop timeout", nil, []string{"check", "--stop-timeout", "0s", "x"},
			[]string{"--stop-timeout", "10s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runImagelab(t, tt.env, tt.args...)
			if res.code != 2 {
				t.Errorf("exit status %d, want 2; stderr: %s", res.code, res.stderr)
			}
			for _, want := range tt.inStderr {
				if !strings.Contains(res.stderr, want) {
					t.Errorf("stderr %q does not contain %q", res.stderr, want)
				}
			}
			if strings.Contains(res.stderr, "panic") {
				t.Errorf("stderr shows a panic: %s", res.stderr)
			}
		})
	}
}
