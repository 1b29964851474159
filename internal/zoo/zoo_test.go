package zoo

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate this test's source file")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func TestImagesHaveUniqueNames(t *testing.T) {
	seen := map[string]bool{}
	for _, img := range Images() {
		if seen[img.Name] {
			t.Errorf("image name %q is listed twice", img.Name)
		}
		seen[img.Name] = true
	}
}

func TestImagesUseKnownCheckIDs(t *testing.T) {
	for _, img := range Images() {
		if img.Fails != "" && !slices.Contains(Checks, img.Fails) {
			t.Errorf("%s: Fails = %q, not a check ID", img.Name, img.Fails)
		}
		for _, id := range append(img.AlsoFails, img.Warns...) {
			if !slices.Contains(Checks, id) {
				t.Errorf("%s: %q in AlsoFails or Warns is not a check ID", img.Name, id)
			}
		}
		if slices.Contains(img.AlsoFails, img.Fails) {
			t.Errorf("%s: AlsoFails repeats Fails (%q)", img.Name, img.Fails)
		}
		if img.Fails == "" && len(img.AlsoFails) > 0 {
			t.Errorf("%s: AlsoFails is set but Fails is empty", img.Name)
		}
	}
}

func TestDockerfilesExist(t *testing.T) {
	ctx := Context(repoRoot(t))
	for _, img := range Images() {
		path := filepath.Join(ctx, filepath.FromSlash(img.Dockerfile))
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%s: %v", img.Name, err)
		}
	}
}

// The classic builder reuses the compiled app only while every Dockerfile
// starts with the same build stage, so an edit to one of them would slow
// every zoo build down.
func TestDockerfilesShareBuildStage(t *testing.T) {
	ctx := Context(repoRoot(t))
	want := buildStage(t, filepath.Join(ctx, "good", "Dockerfile"))
	for _, img := range Images() {
		if img.Name == "single-stage" {
			continue // it has no separate build stage by design
		}
		got := buildStage(t, filepath.Join(ctx, filepath.FromSlash(img.Dockerfile)))
		if got != want {
			t.Errorf("%s: build stage differs from good/Dockerfile's:\n%s\nwant:\n%s", img.Name, got, want)
		}
	}
}

// buildStage returns the lines from the first FROM up to the next FROM.
func buildStage(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var stage []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "FROM ") {
			if stage != nil {
				break
			}
			stage = []string{}
		}
		if stage != nil && strings.TrimSpace(line) != "" {
			stage = append(stage, line)
		}
	}
	return strings.Join(stage, "\n")
}

func TestImagesReturnsCopies(t *testing.T) {
	first := Images()
	for i := range first {
		if first[i].Args != nil {
			first[i].Args["LAB_LOGIN"] = "changed"
		}
		first[i].Fails = "changed"
	}
	for _, img := range Images() {
		if img.Fails == "changed" || img.Args["LAB_LOGIN"] == "changed" {
			t.Fatalf("%s: a change to the result of Images leaked into the next call", img.Name)
		}
	}
}

func TestLookup(t *testing.T) {
	img, ok := Lookup("labels-wrong")
	if !ok {
		t.Fatal("Lookup(labels-wrong) found nothing")
	}
	if img.Dockerfile != "good/Dockerfile" {
		t.Errorf("labels-wrong Dockerfile = %q, want good/Dockerfile", img.Dockerfile)
	}
	if img.Tag() != "imagelab-test/zoo-labels-wrong" {
		t.Errorf("labels-wrong Tag() = %q", img.Tag())
	}
	if _, ok := Lookup("no-such-image"); ok {
		t.Error("Lookup(no-such-image) reported a match")
	}
}

func TestEveryZooFolderIsListed(t *testing.T) {
	entries, err := os.ReadDir(Context(repoRoot(t)))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "app" {
			continue
		}
		if _, ok := Lookup(e.Name()); !ok {
			t.Errorf("folder testdata/zoo/%s has no entry in the zoo list", e.Name())
		}
	}
}
