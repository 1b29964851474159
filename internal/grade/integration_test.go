package grade

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"

	"github.com/imagelab/imagelab/internal/check"
	"github.com/imagelab/imagelab/internal/engine"
	"github.com/imagelab/imagelab/internal/i18n"
	"github.com/imagelab/imagelab/internal/lab"
	"github.com/imagelab/imagelab/internal/lab/roster"
	"github.com/imagelab/imagelab/internal/policy"
	"github.com/imagelab/imagelab/internal/testenv"
)

// Hostile label values that the hostile student's image carries.
var (
	hostileLogin = "<script>document.title='pwned'</script>\"quoted\"\nsecond line"
	hostileToken = "=cmd|' /C calc'!A0" + strings.Repeat("x", 10_000)
)

var fleetSecret = lab.NewSecret([]byte("integration-test-secret"))

// fleetStudent is one roster student of the integration tests. It names
// the zoo Dockerfile of the image (none for a missing image) and the label
// values that differ from the student's own. lost maps each requirement
// that should not earn full points to the points it should lose.
type fleetStudent struct {
	login      string
	dockerfile string
	loginLabel string
	tokenLabel string
	lost       map[string]float64
	outcome    Outcome
}

var fleet = []fleetStudent{
	{login: "iltest-good", dockerfile: "good"},
	{login: "iltest-nohealth", dockerfile: "no-healthcheck", lost: map[string]float64{"healthcheck": 2}},
	{login: "iltest-root", dockerfile: "root-user", lost: map[string]float64{"non-root": 1}},
	{login: "iltest-writeroot", dockerfile: "write-root", lost: map[string]float64{"read-only": 2}},
	{login: "iltest-missing", outcome: Missing},
	{login: "iltest-wrongtoken", dockerfile: "good", tokenLabel: "not-a-token", lost: map[string]float64{IdentityToken: 2}},
	{login: "iltest-borrowed", dockerfile: "good", tokenLabel: fleetSecret.Token("iltest-good"), lost: map[string]float64{IdentityToken: 2}},
	{login: "iltest-hang", dockerfile: "sigterm-ignored", lost: map[string]float64{"sigterm": 2}},
	{login: "iltest-hostile", dockerfile: "good", loginLabel: hostileLogin, tokenLabel: hostileToken,
		lost: map[string]float64{IdentityLogin: 2, IdentityToken: 2}},
}

var (
	buildFleetOnce sync.Once
	// fleetBuilt is set once this test binary has built fleet images, so
	// that only a binary that built them removes them.
	fleetBuilt bool
)

// buildFleet builds every fleet image once per test binary, tagged
// <login>/image-lab:<tag>, and removes them when the binary's tests end.
func buildFleet(t *testing.T) *roster.Roster {
	t.Helper()
	cli := testenv.Docker(t)
	buildFleetOnce.Do(func() {
		fleetBuilt = true
		for _, s := range fleet {
			if s.dockerfile == "" {
				continue
			}
			token := fleetSecret.Token(s.login)
			args := map[string]string{"LAB_LOGIN": s.login, "LAB_TOKEN": token}
			if s.loginLabel != "" {
				args["LAB_LOGIN"] = s.loginLabel
			}
			if s.tokenLabel != "" {
				args["LAB_TOKEN"] = s.tokenLabel
			}
			testenv.BuildImage(t, testenv.Build{
				Context:    filepath.Join(testenv.RepoRoot(t), "testdata", "zoo"),
				Dockerfile: s.dockerfile + "/Dockerfile",
				Tag:        lab.DefaultImage(s.login, token),
				Args:       args,
			})
		}
	})
	var b strings.Builder
	b.WriteString("login,image,group\n")
	for _, s := range fleet {
		fmt.Fprintf(&b, "%s,,g1\n", s.login)
	}
	ros, err := roster.Parse(strings.NewReader(b.String()), "fleet.csv")
	if err != nil {
		t.Fatal(err)
	}
	_ = cli
	return ros
}

// removeFleet removes the fleet images; TestMain calls it.
func removeFleet() {
	if !fleetBuilt {
		return
	}
	cli, err := dockerForCleanup()
	if err != nil {
		return
	}
	for _, s := range fleet {
		ref := lab.DefaultImage(s.login, fleetSecret.Token(s.login))
		cli.ImageRemove(context.Background(), ref, image.RemoveOptions{Force: true, PruneChildren: true})
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	removeFleet()
	os.Exit(code)
}

// fleetOptions returns grading options for the fleet. The stop grace is
// raised to 30 s so that the image that ignores SIGTERM outlasts the
// 15 s per-image timeout, while the others finish well within it.
func fleetOptions(ros *roster.Roster, out string, jobs int) Options {
	pol := policy.Default()
	pol.StopTimeout = 30 * time.Second
	return Options{
		Roster: ros, Secret: fleetSecret, OutDir: out, Jobs: jobs,
		TimeoutPerImage: 15 * time.Second, Policy: &pol, Points: DefaultPoints(), Lang: i18n.English,
	}
}

func openEngine(t *testing.T) *engine.Engine {
	t.Helper()
	testenv.Docker(t)
	eng, err := engine.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	return eng
}

// cancelAfter cancels a run once n students have finished.
type cancelAfter struct {
	n      int
	cancel context.CancelFunc
	mu     sync.Mutex
	done   int
}

func (c *cancelAfter) Begin(int) {}
func (c *cancelAfter) End()      {}
func (c *cancelAfter) Finished(*Result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done++
	if c.done == c.n {
		c.cancel()
	}
}

func TestGradeFleetInterruptedAndResumed(t *testing.T) {
	ros := buildFleet(t)
	eng := openEngine(t)
	out := t.TempDir()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opt := fleetOptions(ros, out, 2)
	opt.Progress = &cancelAfter{n: 2, cancel: cancel}
	first, err := Run(ctx, eng, opt)
	if err != nil {
		t.Fatalf("first run: %v", err)
	}
	if first.Pending == 0 {
		t.Fatalf("the interrupted run left no student pending: %+v", first)
	}
	assertNoContainers(t)
	stored := storedResults(t, out)
	if len(stored) != len(first.Results) {
		t.Errorf("%d result files for %d results", len(stored), len(first.Results))
	}
	if len(stored)+first.Pending != len(fleet) {
		t.Errorf("%d stored + %d pending != %d students", len(stored), first.Pending, len(fleet))
	}

	second, err := Run(context.Background(), eng, fleetOptions(ros, out, 2))
	if err != nil {
		t.Fatalf("second run: %v", err)
	}
	if second.Pending != 0 || second.Errors != 0 {
		t.Errorf("second run: %d pending, %d errors", second.Pending, second.Errors)
	}
	assertResumed(t, out, stored, second)
	assertFleetGrades(t, second.Results)
	assertNoContainers(t)
	fleetRun.mu.Lock()
	fleetRun.ros, fleetRun.sum = ros, second
	fleetRun.mu.Unlock()

	t.Run("jobs 1 agrees", func(t *testing.T) {
		serial, err := Run(context.Background(), eng, fleetOptions(ros, t.TempDir(), 1))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range fleet {
			a, b := second.Results[s.login], serial.Results[s.login]
			if a.Total != b.Total || awardsText(a) != awardsText(b) {
				t.Errorf("%s: jobs 2 gave %v (%s), jobs 1 gave %v (%s)", s.login, a.Total, awardsText(a), b.Total, awardsText(b))
			}
		}
	})
}

// fleetRun caches a complete grading of the fleet for the gradebook tests.
var fleetRun struct {
	mu  sync.Mutex
	ros *roster.Roster
	sum *Summary
}

// GradedFleet returns the fleet's roster and a complete grading of it,
// grading it when no test has done so yet. It is exported for the
// external test package, which may import the gradebook.
func GradedFleet(t *testing.T) (*roster.Roster, *Summary) {
	t.Helper()
	fleetRun.mu.Lock()
	defer fleetRun.mu.Unlock()
	if fleetRun.sum == nil {
		ros := buildFleet(t)
		sum, err := Run(context.Background(), openEngine(t), fleetOptions(ros, t.TempDir(), 2))
		if err != nil {
			t.Fatal(err)
		}
		fleetRun.ros, fleetRun.sum = ros, sum
	}
	return fleetRun.ros, fleetRun.sum
}

// FleetSecret is the secret the fleet's tokens derive from.
var FleetSecret = fleetSecret

// storedResults returns the mtime of every result file in out.
func storedResults(t *testing.T, out string) map[string]time.Time {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(out, StudentsDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]time.Time{}
	for _, f := range files {
		info, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		m[strings.TrimSuffix(filepath.Base(f), ".json")] = info.ModTime()
	}
	return m
}

// assertResumed checks that the second run reused every graded result of
// the first, leaving its file untouched, and checked only the rest.
func assertResumed(t *testing.T, out string, before map[string]time.Time, second *Summary) {
	t.Helper()
	after := storedResults(t, out)
	reusable := 0
	for login, mtime := range before {
		if second.Results[login].Outcome != Graded {
			continue
		}
		reusable++
		if !after[login].Equal(mtime) {
			t.Errorf("%s's result was rewritten by the resumed run", login)
		}
	}
	if second.Reused != reusable {
		t.Errorf("resumed run reused %d results, want %d", second.Reused, reusable)
	}
	graded := 0
	for _, s := range fleet {
		if s.outcome != Missing {
			graded++
		}
	}
	if second.Checked != graded-reusable {
		t.Errorf("resumed run checked %d images, want %d", second.Checked, graded-reusable)
	}
}

func assertFleetGrades(t *testing.T, results map[string]*Result) {
	t.Helper()
	for _, s := range fleet {
		r := results[s.login]
		if r == nil {
			t.Errorf("%s has no result", s.login)
			continue
		}
		want := s.outcome
		if want == "" {
			want = Graded
		}
		if r.Outcome != want {
			t.Errorf("%s: outcome %s (%s), want %s", s.login, r.Outcome, r.Error, want)
			continue
		}
		for _, a := range r.Awards {
			expected := a.Max - s.lost[a.ID]
			if want == Missing {
				expected = 0
			}
			if a.Points != expected {
				t.Errorf("%s: %s earned %v (%s), want %v; notes: %q", s.login, a.ID, a.Points, a.Status, expected, r.Notes)
			}
		}
	}
	if r := results["iltest-borrowed"]; r != nil && !strings.Contains(strings.Join(r.Notes, ";"), "token of student iltest-good") {
		t.Errorf("borrowed token not named: %q", r.Notes)
	}
	if r := results["iltest-hang"]; r != nil && !r.TimedOut {
		t.Errorf("the hanging image was not marked timed out: %q", r.Notes)
	}
	if r := results["iltest-missing"]; r != nil && !strings.HasPrefix(strings.Join(r.Notes, ";"), "image not found") {
		t.Errorf("missing image notes: %q", r.Notes)
	}
}

func awardsText(r *Result) string {
	var parts []string
	for _, a := range r.Awards {
		parts = append(parts, fmt.Sprintf("%s=%v", a.ID, a.Points))
	}
	return strings.Join(parts, ",")
}

// assertNoContainers checks that this process left no imagelab
// container behind.
func assertNoContainers(t *testing.T) {
	t.Helper()
	host, _ := os.Hostname()
	list, err := testenv.Docker(t).ContainerList(context.Background(), container.ListOptions{
		All:     true,
		Filters: filters.NewArgs(filters.Arg("label", fmt.Sprintf("%s=%s/%d", engine.LabelOwner, host, os.Getpid()))),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		t.Errorf("container %v (%s) was left behind", c.Names, c.State)
	}
}

func TestGradeRecoversPanics(t *testing.T) {
	ros := buildFleet(t)
	eng := openEngine(t)
	two, err := roster.Parse(strings.NewReader("login\niltest-good\niltest-root\n"), "two.csv")
	if err != nil {
		t.Fatal(err)
	}
	_ = ros
	beforeGrade = func(login string) {
		if login == "iltest-root" {
			panic("injected job panic")
		}
	}
	defer func() { beforeGrade = nil }()
	opt := fleetOptions(two, t.TempDir(), 2)
	size := check.All()[0]
	opt.Checks = []check.Check{size, {ID: "labels", Required: true, Run: func(context.Context, *check.Target, *check.Result) {
		panic("injected check panic")
	}}}
	sum, err := Run(context.Background(), eng, opt)
	if err != nil {
		t.Fatal(err)
	}
	root := sum.Results["iltest-root"]
	if root == nil || root.Outcome != Error || !strings.Contains(root.Error, "injected job panic") {
		t.Errorf("root = %+v, want an error outcome naming the panic", root)
	}
	good := sum.Results["iltest-good"]
	if good == nil || good.Outcome != Graded {
		t.Fatalf("good = %+v, want graded", good)
	}
	v := good.verdict("labels")
	if v == nil || v.Status != check.Error || !strings.Contains(v.Summary, "injected check panic") {
		t.Errorf("labels verdict = %+v, want an error naming the panic", v)
	}
	if sum.Errors != 1 {
		t.Errorf("Errors = %d, want 1", sum.Errors)
	}
}

func dockerForCleanup() (*client.Client, error) {
	return client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
}

// TestGradePullFailure pulls from a loopback port where no registry
// listens: the student is graded as missing, with the pull error in the
// note. TestGradePullFromLoopbackRegistry covers a pull that works.
func TestGradePullFailure(t *testing.T) {
	eng := openEngine(t)
	ref := "127.0.0.1:1/iltest-pull/image-lab:" + lab.Tag(fleetSecret.Token("iltest-pull"))
	r := gradeWithPull(t, eng, "iltest-pull", ref)
	if r == nil || r.Outcome != Missing {
		t.Fatalf("result = %+v, want missing", r)
	}
	if !strings.Contains(r.Error, "pulling it failed") || !strings.Contains(r.Error, ref) {
		t.Errorf("error = %q, want the failed pull of %s", r.Error, ref)
	}
	if r.Total != 0 {
		t.Errorf("total = %v, want 0", r.Total)
	}
}
