package check_test

import (
	"context"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/imagelab/imagelab/internal/check"
	"github.com/imagelab/imagelab/internal/dockerfile"
	"github.com/imagelab/imagelab/internal/engine"
	"github.com/imagelab/imagelab/internal/policy"
	"github.com/imagelab/imagelab/internal/testenv"
	"github.com/imagelab/imagelab/internal/zoo"
)

// evidence is a piece of evidence a zoo image's report must show.
type evidence struct {
	check, key, contains string
}

// wantEvidence names, per zoo image, the measured value that explains its
// failure. An empty key means the check's summary.
var wantEvidence = map[string][]evidence{
	"root-user":            {{"non-root", "pid1_uid", "0"}},
	"uid0-name":            {{"non-root", "uid", "0"}, {"non-root", "", "UID 0"}},
	"unknown-user":         {{"non-root", "", "does not resolve"}, {"sigterm", "start_error", "unable to find user nobody"}},
	"user-name":            {{"non-root", "uid", "10001"}},
	"no-healthcheck":       {{"healthcheck", "", "no HEALTHCHECK"}},
	"health-wrong-path":    {{"healthcheck", "probed_path", "/healthz"}},
	"health-never":         {{"healthcheck", "last_probe_exit_code", "1"}, {"healthcheck", "host_get_health", "200"}},
	"health-cannot-fail":   {{"healthcheck", "host_get_health", "503"}, {"healthcheck", "last_probe_exit_code", "0"}, {"healthcheck", "probe_cannot_fail", "--fail"}},
	"health-curl-missing":  {{"healthcheck", "missing_program", "curl"}, {"healthcheck", "host_get_health", "200"}},
	"health-shell-scratch": {{"healthcheck", "missing_program", "/bin/sh"}},
	"sigterm-ignored":      {{"sigterm", "exit_code", "137"}},
	"sigterm-exit2":        {{"sigterm", "exit_code", "2"}},
	"sigterm-shell":        {{"sigterm", "pid1", "/bin/sh"}, {"sigterm", "exit_code", "137"}},
	"write-root":           {{"read-only", "log_lines", "read-only file system"}},
	"size-ignored":         {{"env-config", "with_value_1", "Medium"}},
	"size-baked":           {{"env-config", "with_value_2", "Large"}, {"env-config", "with_value_1", "Large"}},
	"labels-missing":       {{"labels", "org.lab.login", "(missing)"}},
	"labels-empty":         {{"labels", "org.lab.token", "(empty)"}},
	"labels-wrong":         {{"labels", "org.lab.login", `expected "student42"`}},
	"single-stage":         {{"multi-stage", "stages", "1"}},
	"loopback-only":        {{"healthcheck", "host_get_health", "no HTTP response"}, {"listen-address", "", "127.0.0.1"}},
	"leaky-args":           {{"history-args", "args", "LAB_TOKEN"}},
	"dev-tools":            {{"tools", "found", "curl"}},
}

// TestZoo builds every zoo image and checks that exactly its broken
// requirement fails, with the evidence that explains it, and that the
// other requirements pass.
func TestZoo(t *testing.T) {
	root := testenv.RepoRoot(t)
	testenv.Docker(t)
	eng, err := engine.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	for _, img := range zoo.Images() {
		testenv.BuildImage(t, testenv.Build{Context: zoo.Context(root), Dockerfile: img.Dockerfile, Tag: img.Tag(), Args: img.Args})
	}
	for _, img := range zoo.Images() {
		t.Run(img.Name, func(t *testing.T) {
			t.Parallel()
			rep := checkZooImage(t, eng, root, img)
			assertVerdicts(t, img, rep)
			assertEvidence(t, rep, wantEvidence[img.Name])
		})
	}
}

func checkZooImage(t *testing.T, eng *engine.Engine, root string, img zoo.Image) *check.Report {
	t.Helper()
	ctx := context.Background()
	image, err := eng.Image(ctx, img.Tag())
	if err != nil {
		t.Fatal(err)
	}
	df, err := dockerfile.Read(path.Join(zoo.Context(root), img.Dockerfile))
	if err != nil {
		t.Fatal(err)
	}
	pol := policy.Default()
	pol.RequireLabel(policy.LoginLabel, testenv.LabLogin)
	pol.RequireLabel(policy.TokenLabel, testenv.LabToken)
	target, err := check.NewTarget(eng, image, pol, df, false)
	if err != nil {
		t.Fatal(err)
	}
	return check.Run(ctx, target, check.All(), nil)
}

func assertVerdicts(t *testing.T, img zoo.Image, rep *check.Report) {
	t.Helper()
	for _, id := range zoo.Checks {
		r := rep.Result(id)
		got := r.Status
		switch {
		case id == img.Fails:
			if got != check.Fail {
				t.Errorf("%s: %s (%s), want fail", id, got, r.Summary)
			}
		case slices.Contains(img.AlsoFails, id):
			if got != check.Fail && got != check.Skip {
				t.Errorf("%s: %s (%s), want fail or skip", id, got, r.Summary)
			}
		case slices.Contains(img.Warns, id):
			if got != check.Warn {
				t.Errorf("%s: %s (%s), want warn", id, got, r.Summary)
			}
		case got != check.Pass:
			t.Errorf("%s: %s (%s; evidence %v), want pass", id, got, r.Summary, r.Evidence)
		}
	}
	if !img.HasShell {
		if r := rep.Result("tools"); r.Status != check.Pass {
			t.Errorf("tools: %s (%s), want pass for an image without a shell", r.Status, r.Summary)
		}
	}
}

func assertEvidence(t *testing.T, rep *check.Report, want []evidence) {
	t.Helper()
	for _, w := range want {
		r := rep.Result(w.check)
		got := r.Summary.String()
		if w.key != "" {
			got = r.Get(w.key)
		}
		if !strings.Contains(strings.ToLower(got), strings.ToLower(w.contains)) {
			t.Errorf("%s %s = %q, want it to contain %q", w.check, w.key, got, w.contains)
		}
	}
}

// An image over a lowered size limit fails only the size check.
func TestSizeOverLoweredLimit(t *testing.T) {
	root := testenv.RepoRoot(t)
	img, _ := zoo.Lookup("good")
	testenv.BuildImage(t, testenv.Build{Context: zoo.Context(root), Dockerfile: img.Dockerfile, Tag: img.Tag()})

	eng, err := engine.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	image, err := eng.Image(context.Background(), img.Tag())
	if err != nil {
		t.Fatal(err)
	}
	pol := policy.Default()
	pol.MaxSize = 1_000_000
	target, err := check.NewTarget(eng, image, pol, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	rep := check.Run(context.Background(), target, check.All(), nil)

	for _, r := range rep.Results {
		want := check.Pass
		switch {
		case r.ID == "size":
			want = check.Fail
		case r.ID == "multi-stage" || r.Status == check.Skip:
			want = check.Skip
		}
		if r.Status != want {
			t.Errorf("%s: %s (%s), want %s", r.ID, r.Status, r.Summary, want)
		}
	}
	if got := rep.Result("size").Get("limit"); got != "1.0 MB" {
		t.Errorf("size limit evidence = %q, want 1.0 MB", got)
	}
}
