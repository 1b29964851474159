package e2e

import (
	"path/filepath"
	"testing"

	"github.com/imagelab/imagelab/internal/testenv"
)

// The project's own images pass every requirement, with their Dockerfiles
// and the lab values they were built with.
func TestProjectImagesPassEveryRequirement(t *testing.T) {
	root := testenv.RepoRoot(t)
	images := []struct {
		name, context, tag string
	}{
		{"rocket", root, "imagelab-test/rocket:latest"},
		{"flask", filepath.Join(root, "examples", "flask"), "imagelab-test/rocket-flask:latest"},
	}
	for _, img := range images {
		t.Run(img.name, func(t *testing.T) {
			testenv.BuildImage(t, testenv.Build{Context: img.context, Tag: img.tag})
			res := runImagelab(t, nil, "check", "--format", "json",
				"--dockerfile", filepath.Join(img.context, "Dockerfile"),
				"--login", testenv.LabLogin, "--token", testenv.LabToken, img.tag)
			rep := parseReport(t, res.stdout)
			for _, c := range rep.Checks {
				if c.Required && c.Status != "pass" {
					t.Errorf("%s: %s (%s), evidence %v", c.ID, c.Status, c.Message, c.Evidence)
				}
			}
			if res.code != 0 {
				t.Errorf("exit status %d, want 0; stderr: %s", res.code, res.stderr)
			}
		})
	}
}
