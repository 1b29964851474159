package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Results is everything one bench run measured.
type Results struct {
	Date     time.Time
	Config   Config
	Machine  Machine
	Subjects []*SubjectResult
	Checker  CheckerResult
	Grading  GradingResult
	// Elapsed is the run's wall time up to the writing of the report.
	Elapsed time.Duration
}

// Machine describes where the run happened.
type Machine struct {
	CPU           string // model name from /proc/cpuinfo
	Cores         int
	MemoryGB      float64 // MemTotal from /proc/meminfo, in GB
	Load          string  // /proc/loadavg at the start: 1, 5 and 15 minutes
	Kernel        string
	DockerVersion string
	DockerAPI     string
	GoVersion     string
	Wrk           string
}

func describeMachine(ctx context.Context, d *Docker) Machine {
	m := Machine{
		CPU:       "unknown",
		Cores:     runtime.NumCPU(),
		GoVersion: runtime.Version(),
	}
	if v, ok := procField("/proc/cpuinfo", "model name"); ok {
		m.CPU = v
	}
	if v, ok := procField("/proc/meminfo", "MemTotal"); ok {
		var kb float64
		if _, err := fmt.Sscanf(v, "%f kB", &kb); err == nil {
			m.MemoryGB = kb * 1024 / 1e9
		}
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.Load = strings.Join(f[:3], " ")
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if v, err := d.cli.ServerVersion(ctx); err == nil {
		m.DockerVersion, m.DockerAPI = v.Version, v.APIVersion
	}
	// wrk -v prints its version line and exits with status 1.
	out, _ := exec.CommandContext(ctx, "wrk", "-v").CombinedOutput()
	if first, _, _ := strings.Cut(string(out), "\n"); strings.HasPrefix(first, "wrk ") {
		m.Wrk, _, _ = strings.Cut(strings.TrimPrefix(first, "wrk "), " [")
	}
	return m
}

// procField returns the value of the first "name : value" line of a /proc
// file.
func procField(path, name string) (string, bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(key) == name {
			return strings.TrimSpace(value), true
		}
	}
	return "", false
}

func (r *Results) subject(key string) *SubjectResult {
	for _, s := range r.Subjects {
		if s.Subject.Key == key {
			return s
		}
	}
	return nil
}

// errors lists every measurement that failed, for the closing message.
func (r *Results) errors() []string {
	var out []string
	for _, s := range r.Subjects {
		for _, err := range []error{s.ImageErr, s.ColdStartErr, s.StopErr, s.ThroughputErr, s.DrainErr} {
			if err != nil {
				out = append(out, s.Subject.Key+": "+err.Error())
			}
		}
	}
	for _, c := range []CommandRuns{r.Checker.Full, r.Checker.Static, r.Checker.Failing} {
		if c.Err != nil {
			out = append(out, "checker: "+c.Err.Error())
		}
	}
	if r.Grading.Err != nil {
		out = append(out, "grade: "+r.Grading.Err.Error())
	}
	// dive is a comparison, not part of the project: the report shows why
	// it is missing, and the run still succeeds.
	return out
}

// Target is one goal the report compares a measurement with. Met is nil
// when the measurement is missing.
type Target struct {
	Goal     string
	Measured string
	Met      *bool
}

func (r *Results) targets() []Target {
	var ts []Target
	add := func(goal, measured string, met bool, ok bool) {
		t := Target{Goal: goal, Measured: measured}
		if ok {
			t.Met = &met
		} else {
			t.Measured = "not measured"
		}
		ts = append(ts, t)
	}

	rocket, flask := r.subject(keyRocket), r.subject(keyFlask)
	sizeTarget := func(s *SubjectResult, name string, limitMB float64) {
		ok := s != nil && s.ImageErr == nil
		var mb float64
		if ok {
			mb = megabytes(s.Image.Size)
		}
		add(fmt.Sprintf("%s image ≤ %g MB", name, limitMB), fmt.Sprintf("%.2f MB", mb), mb <= limitMB, ok)
	}
	sizeTarget(rocket, "rocket", 6)
	sizeTarget(flask, "Flask example", 45)

	if rocket != nil && len(rocket.Stops) > 0 {
		med := medianDuration(stopTimes(rocket.Stops))
		codes := exitCodes(rocket.Stops)
		allZero := true
		for _, s := range rocket.Stops {
			allZero = allZero && s.ExitCode == 0
		}
		add("rocket stops in < 100 ms with status 0 (idle, median)",
			fmt.Sprintf("%s, exit codes %s (exit recorded %s after the request)", formatDuration(med), codes,
				formatDuration(medianDuration(exitTimes(rocket.Stops)))), med < 100*time.Millisecond && allZero, true)
	} else {
		add("rocket stops in < 100 ms with status 0 (idle, median)", "", false, false)
	}

	for _, s := range []*SubjectResult{rocket, flask} {
		if s == nil {
			continue
		}
		var failed, total int64
		for _, d := range s.Drains {
			failed += d.Failed()
			total += d.Total()
		}
		add(fmt.Sprintf("zero failed requests in the drain runs of %s", s.Subject.Name),
			fmt.Sprintf("%d failed of %d in %d runs", failed, total, len(s.Drains)), failed == 0, len(s.Drains) > 0)
	}

	rw, okR := medianWrkOf(rocket)
	fw, okF := medianWrkOf(flask)
	ratio := 0.0
	if okR && okF && fw.RequestsPerSecond > 0 {
		ratio = rw.RequestsPerSecond / fw.RequestsPerSecond
	}
	add("rocket ≥ 10× the Flask example's requests/s",
		fmt.Sprintf("%.1f× (%.0f vs %.0f requests/s)", ratio, rw.RequestsPerSecond, fw.RequestsPerSecond), ratio >= 10, okR && okF)

	full, static := r.Checker.Full, r.Checker.Static
	add("imagelab check rocket:latest < 5 s (median)", formatDuration(medianDuration(full.Times)),
		medianDuration(full.Times) < 5*time.Second, full.Err == nil && len(full.Times) > 0)
	add("imagelab check --static rocket:latest < 200 ms (median)", formatDuration(medianDuration(static.Times)),
		medianDuration(static.Times) < 200*time.Millisecond, static.Err == nil && len(static.Times) > 0)
	return ts
}

func medianWrkOf(s *SubjectResult) (WrkResult, bool) {
	if s == nil {
		return WrkResult{}, false
	}
	return medianWrk(s.Throughput)
}

// exitCodes lists the distinct exit codes of stops, such as "0" or "0, 137".
func exitCodes(stops []StopRun) string {
	var seen []string
	for _, s := range stops {
		c := fmt.Sprint(s.ExitCode)
		if !slices.Contains(seen, c) {
			seen = append(seen, c)
		}
	}
	return strings.Join(seen, ", ")
}

// printTargets prints the target table to stdout.
func printTargets(r *Results) {
	fmt.Println("Targets:")
	for _, t := range r.targets() {
		fmt.Printf("  %-12s %s: %s\n", metWord(t.Met), t.Goal, t.Measured)
	}
}

func metWord(met *bool) string {
	switch {
	case met == nil:
		return "not measured"
	case *met:
		return "met"
	default:
		return "not met"
	}
}
