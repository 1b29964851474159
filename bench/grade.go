package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/jsonmessage"
	"github.com/moby/go-archive"
)

// GradingResult is the wall time of `imagelab grade` on one fleet of
// student images at several --jobs values.
type GradingResult struct {
	// Kinds counts the fleet's images per zoo Dockerfile.
	Kinds map[string]int
	// Images is the number of students on the roster.
	Images int
	// BuildTime is how long building the fleet took.
	BuildTime time.Duration
	Runs      []GradeRun
	// Err is set when the fleet could not be built or a run failed before
	// it wrote a gradebook.
	Err error
}

// GradeRun is one `imagelab grade --force` run over the whole roster.
type GradeRun struct {
	Jobs     int
	Wall     time.Duration
	ExitCode int
	// Summary is the command's "checked N, reused N, ..." line.
	Summary string
	// CheckTimes are the students' check run times (durationMs in
	// students/<login>.json), in roster order.
	CheckTimes []time.Duration
	// Grades maps each login to its grades.csv row without the notes,
	// which quote check summaries with measured times.
	Grades map[string]string
	// Differences lists the logins whose grades differ from the first
	// run's, with both rows.
	Differences []string
}

// Zoo images of the grading fleet, in the order they repeat along the
// roster: mostly good images, and three kinds that lose points without
// waiting for a timeout. sigterm-ignored stays out because its sigterm
// check waits for the full 10 s stop grace.
var gradeFleetKinds = []string{"good", "no-healthcheck", "good", "root-user", "write-root"}

const (
	zooContext = "testdata/zoo"
	// gradeImagePrefix keeps the fleet's tags apart from real student
	// images named <login>/image-lab:<tag>.
	gradeImagePrefix = "imagelab-bench/"
	goBase           = "imagelab-base/golang:1.26"
	debianBase       = "imagelab-base/debian:bookworm"
)

// gradeSummary matches the line that `imagelab grade` prints at the end.
var gradeSummary = regexp.MustCompile(`^checked \d+, .*`)

// measureGrading builds a fleet of cfg.GradeImages student images, grades
// it once per cfg.GradeJobs value and removes the images again, also when
// ctx is cancelled.
func measureGrading(ctx context.Context, d *Docker, cfg Config, tmp string) GradingResult {
	res := GradingResult{Images: cfg.GradeImages, Kinds: map[string]int{}}
	if _, err := os.Stat(cfg.Imagelab); err != nil {
		res.Err = fmt.Errorf("checker binary %s not found: build it with make build", cfg.Imagelab)
		return res
	}
	for _, ref := range []string{goBase, debianBase} {
		if _, err := d.cli.ImageInspect(ctx, ref); err != nil {
			res.Err = fmt.Errorf("base image %s is missing: build it with scripts/build-bases.sh (make bench does): %w", ref, err)
			return res
		}
	}

	dir := filepath.Join(tmp, "grade")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		res.Err = fmt.Errorf("creating %s failed: %w", dir, err)
		return res
	}
	secretFile := filepath.Join(dir, "course.secret")
	if err := os.WriteFile(secretFile, []byte("imagelab-bench-"+d.runID+"\n"), 0o600); err != nil {
		res.Err = fmt.Errorf("writing the course secret failed: %w", err)
		return res
	}

	logins := make([]string, cfg.GradeImages)
	for i := range logins {
		logins[i] = fmt.Sprintf("bench-s%02d", i+1)
	}
	tokens, err := labTokens(ctx, cfg.Imagelab, secretFile, logins)
	if err != nil {
		res.Err = err
		return res
	}

	var roster strings.Builder
	roster.WriteString("login,image\n")
	var refs []string
	defer func() { d.removeImages(refs) }()
	begin := time.Now()
	for i, login := range logins {
		kind := gradeFleetKinds[i%len(gradeFleetKinds)]
		// The expected reference is <login>/image-lab:<first 8 hex digits
		// of the token> (docs/LAB.md), here under gradeImagePrefix.
		ref := fmt.Sprintf("%s%s/image-lab:%s", gradeImagePrefix, login, tokens[login][:8])
		refs = append(refs, ref)
		if err := d.buildZooImage(ctx, kind, ref, login, tokens[login]); err != nil {
			res.Err = err
			return res
		}
		res.Kinds[kind]++
		fmt.Fprintf(&roster, "%s,%s\n", login, ref)
	}
	res.BuildTime = time.Since(begin)
	logf("grade: built %d student images in %s", len(refs), formatDuration(res.BuildTime))

	rosterFile := filepath.Join(dir, "roster.csv")
	if err := os.WriteFile(rosterFile, []byte(roster.String()), 0o600); err != nil {
		res.Err = fmt.Errorf("writing the roster failed: %w", err)
		return res
	}

	for _, jobs := range cfg.GradeJobs {
		out := filepath.Join(dir, fmt.Sprintf("out-%d-%d", len(res.Runs), jobs))
		run, err := timeGrade(ctx, cfg.Imagelab, rosterFile, secretFile, out, jobs, logins)
		if err != nil {
			res.Err = err
			return res
		}
		if len(res.Runs) > 0 {
			run.Differences = gradeDifferences(res.Runs[0].Grades, run.Grades, logins)
		}
		res.Runs = append(res.Runs, run)
		logf("grade: --jobs %d graded %d images in %s (%s per image), exit code %d",
			jobs, len(logins), formatDuration(run.Wall), formatDuration(run.Wall/time.Duration(len(logins))), run.ExitCode)
		if len(run.Differences) > 0 {
			logf("grade: --jobs %d gave other grades than --jobs %d: %s", jobs, res.Runs[0].Jobs, strings.Join(run.Differences, "; "))
		}
	}
	return res
}

// labTokens returns each login's token, from `imagelab lab token`.
func labTokens(ctx context.Context, bin, secretFile string, logins []string) (map[string]string, error) {
	args := append([]string{"lab", "token", "--secret-file", secretFile}, logins...)
	out, err := exec.CommandContext(ctx, bin, args...).Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return nil, fmt.Errorf("imagelab lab token failed: %v: %s", err, strings.TrimSpace(string(exitErr.Stderr)))
		}
		return nil, fmt.Errorf("imagelab lab token failed: %w", err)
	}

	tokens := map[string]string{}
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		login, token, ok := strings.Cut(line, "\t")
		if ok && len(token) >= 8 {
			tokens[login] = token
		}
	}
	for _, login := range logins {
		if tokens[login] == "" {
			return nil, fmt.Errorf("imagelab lab token printed no token for %s (output %q)", login, out)
		}
	}
	return tokens, nil
}

// buildZooImage builds testdata/zoo/<kind>/Dockerfile with the classic
// builder on the local base images, with the student's lab labels, and
// tags it ref. The image also gets the run's label, so that
// scripts/bench.sh can remove the images of a run that was killed.
func (d *Docker) buildZooImage(ctx context.Context, kind, ref, login, token string) error {
	tar, err := archive.TarWithOptions(zooContext, &archive.TarOptions{})
	if err != nil {
		return fmt.Errorf("packing the build context %s failed: %w", zooContext, err)
	}
	defer tar.Close()

	args := map[string]*string{}
	for k, v := range map[string]string{"GO_IMAGE": goBase, "DEBIAN_IMAGE": debianBase, "LAB_LOGIN": login, "LAB_TOKEN": token} {
		args[k] = &v
	}
	resp, err := d.cli.ImageBuild(ctx, tar, build.ImageBuildOptions{
		Tags:        []string{ref},
		Dockerfile:  kind + "/Dockerfile",
		BuildArgs:   args,
		Labels:      map[string]string{labelRun: d.runID},
		Remove:      true,
		ForceRemove: true,
		Version:     build.BuilderV1,
	})
	if err != nil {
		return fmt.Errorf("building %s from %s/%s/Dockerfile failed: %w", ref, zooContext, kind, err)
	}
	defer resp.Body.Close()

	var out bytes.Buffer
	if err := jsonmessage.DisplayJSONMessagesStream(resp.Body, &out, 0, false, nil); err != nil {
		return fmt.Errorf("building %s from %s/%s/Dockerfile failed: %w. Last output: %s", ref, zooContext, kind, err, lastLines(out.String(), 5))
	}
	return nil
}

// removeImages deletes the fleet's images and their untagged parents that
// no other image uses, as `docker rmi` does. It uses its own context so
// that it also works after Ctrl-C cancelled the run.
func (d *Docker) removeImages(refs []string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	removed := 0
	for _, ref := range refs {
		_, err := d.cli.ImageRemove(ctx, ref, image.RemoveOptions{Force: true, PruneChildren: true})
		switch {
		case err == nil:
			removed++
		case !client.IsErrNotFound(err):
			logf("removing image %s failed: %v. Remove it with: docker rmi %s", ref, err, ref)
		}
	}
	if removed > 0 {
		logf("grade: removed %d student images", removed)
	}
}

// timeGrade runs `imagelab grade --force` once and reads the gradebook
// and the students' check times that it wrote to out. A non-zero exit
// code is a result. An error means that no gradebook was written.
func timeGrade(ctx context.Context, bin, roster, secretFile, out string, jobs int, logins []string) (GradeRun, error) {
	run := GradeRun{Jobs: jobs}
	args := []string{"grade", "--roster", roster, "--secret-file", secretFile, "--out", out, "--jobs", strconv.Itoa(jobs), "--force", "--lang", "en"}
	command := "imagelab " + strings.Join(args, " ")

	var output bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = &output, &output
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = commandGrace

	begin := time.Now()
	err := cmd.Run()
	run.Wall = time.Since(begin)
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr) && ctx.Err() == nil:
		run.ExitCode = exitErr.ExitCode()
	default:
		return run, fmt.Errorf("running %s failed: %w", command, err)
	}
	run.Summary = lastMatch(output.String(), gradeSummary)

	grades, err := readGrades(filepath.Join(out, "grades.csv"))
	if err != nil {
		return run, fmt.Errorf("%s exited with code %d and left no readable gradebook: %w. Last output: %s", command, run.ExitCode, err, lastLines(output.String(), 5))
	}
	run.Grades = grades
	for _, login := range logins {
		if took, err := readCheckTime(filepath.Join(out, "students", login+".json")); err == nil {
			run.CheckTimes = append(run.CheckTimes, took)
		}
	}
	return run, nil
}

// readGrades returns the rows of grades.csv by login, each without the
// notes column and joined with commas.
func readGrades(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("reading %s failed: %w", path, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s is empty", path)
	}

	notes := slices.Index(rows[0], "notes")
	grades := map[string]string{}
	for _, row := range rows[1:] {
		if notes >= 0 && notes < len(row) {
			row = slices.Delete(slices.Clone(row), notes, notes+1)
		}
		grades[row[0]] = strings.Join(row, ",")
	}
	return grades, nil
}

// readCheckTime returns durationMs of a student's result file.
func readCheckTime(path string) (time.Duration, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var r struct {
		DurationMS int64 `json:"durationMs"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return 0, fmt.Errorf("reading %s failed: %w", path, err)
	}
	return time.Duration(r.DurationMS) * time.Millisecond, nil
}

// gradeDifferences lists the logins whose rows differ between base and
// other.
func gradeDifferences(base, other map[string]string, logins []string) []string {
	var diffs []string
	for _, login := range logins {
		if base[login] != other[login] {
			diffs = append(diffs, fmt.Sprintf("%s: %q vs %q", login, base[login], other[login]))
		}
	}
	return diffs
}

// speedUp returns how many times faster run is than base, or 0.
func speedUp(base, run GradeRun) float64 {
	if run.Wall <= 0 {
		return 0
	}
	return base.Wall.Seconds() / run.Wall.Seconds()
}

// fleetText describes the fleet, such as "8 good, 4 no-healthcheck".
func (g GradingResult) fleetText() string {
	var parts []string
	var seen []string
	for _, kind := range gradeFleetKinds {
		if g.Kinds[kind] > 0 && !slices.Contains(seen, kind) {
			seen = append(seen, kind)
			parts = append(parts, fmt.Sprintf("%d %s", g.Kinds[kind], kind))
		}
	}
	return strings.Join(parts, ", ")
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "; ")
}

// firstJobs returns the --jobs value of the baseline run, or 0.
func (g GradingResult) firstJobs() int {
	if len(g.Runs) == 0 {
		return 0
	}
	return g.Runs[0].Jobs
}
