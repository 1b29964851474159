package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Config is the run's parameters, read from BENCH_* variables.
type Config struct {
	Quick bool

	Runs           int
	WrkDuration    time.Duration
	WrkRepeat      int
	WrkThreads     int
	WrkConnections int

	DrainRuns        int
	DrainConnections int
	DrainLead        time.Duration

	FailingRuns int

	// GradeImages is the number of student images in the grading fleet.
	GradeImages int
	// GradeJobs lists the --jobs values of the grading runs. The first is
	// the baseline of the speed-up.
	GradeJobs []int

	// Only lists the subject keys, "checker" and "grade" to measure. Nil
	// selects all.
	Only        []string
	DiveVersion string
	Imagelab    string
	Docs        string
}

func (c Config) modeName() string {
	if c.Quick {
		return "quick"
	}
	return "full"
}

// loadConfig reads the BENCH_* variables through getenv. An unset or empty
// variable takes the full run's default, or the quick one under
// BENCH_QUICK=1.
func loadConfig(getenv func(string) string) (Config, error) {
	quick := getenv("BENCH_QUICK") != "" && getenv("BENCH_QUICK") != "0"
	pick := func(full, short int) int {
		if quick {
			return short
		}
		return full
	}
	pickDuration := func(full, short time.Duration) time.Duration {
		if quick {
			return short
		}
		return full
	}

	c := Config{Quick: quick, DiveVersion: "v0.13.1", Imagelab: "bin/imagelab", Docs: "docs"}
	var err error
	ints := []struct {
		name   string
		target *int
		def    int
		min    int
	}{
		{"BENCH_RUNS", &c.Runs, pick(5, 2), 1},
		{"BENCH_WRK_REPEAT", &c.WrkRepeat, pick(3, 1), 1},
		{"BENCH_WRK_THREADS", &c.WrkThreads, 2, 1},
		{"BENCH_WRK_CONNECTIONS", &c.WrkConnections, 16, 1},
		{"BENCH_DRAIN_RUNS", &c.DrainRuns, pick(3, 1), 1},
		{"BENCH_DRAIN_CONNECTIONS", &c.DrainConnections, 16, 1},
		{"BENCH_FAILING_RUNS", &c.FailingRuns, pick(2, 1), 0},
		{"BENCH_GRADE_IMAGES", &c.GradeImages, pick(20, 6), 1},
	}
	for _, v := range ints {
		if *v.target, err = readInt(getenv, v.name, v.def, v.min); err != nil {
			return c, err
		}
	}
	if c.WrkConnections < c.WrkThreads {
		return c, fmt.Errorf("invalid BENCH_WRK_CONNECTIONS %d: wrk needs at least one connection per thread (BENCH_WRK_THREADS=%d)", c.WrkConnections, c.WrkThreads)
	}

	if c.WrkDuration, err = readDuration(getenv, "BENCH_WRK_DURATION", pickDuration(10*time.Second, 2*time.Second), time.Second); err != nil {
		return c, err
	}
	if c.DrainLead, err = readDuration(getenv, "BENCH_DRAIN_LEAD", pickDuration(2*time.Second, time.Second), 100*time.Millisecond); err != nil {
		return c, err
	}
	for name, target := range map[string]*string{"BENCH_DIVE_VERSION": &c.DiveVersion, "BENCH_IMAGELAB": &c.Imagelab, "BENCH_DOCS": &c.Docs} {
		if v := getenv(name); v != "" {
			*target = v
		}
	}
	if c.GradeJobs, err = readIntList(getenv, "BENCH_GRADE_JOBS", []int{1, 4}, 1); err != nil {
		return c, err
	}
	if v := getenv("BENCH_ONLY"); v != "" {
		for part := range strings.SplitSeq(v, ",") {
			c.Only = append(c.Only, strings.TrimSpace(part))
		}
	}
	return c, nil
}

// selected reports whether BENCH_ONLY includes key.
func (c Config) selected(key string) bool {
	return c.Only == nil || slices.Contains(c.Only, key)
}

func readInt(getenv func(string) string, name string, def, min int) (int, error) {
	raw := getenv(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < min {
		return 0, fmt.Errorf("invalid %s %q: expected an integer of at least %d", name, raw, min)
	}
	return n, nil
}

// readIntList reads a comma-separated list of integers, each at least min,
// such as "1,2,4".
func readIntList(getenv func(string) string, name string, def []int, min int) ([]int, error) {
	raw := getenv(name)
	if raw == "" {
		return def, nil
	}
	var list []int
	for part := range strings.SplitSeq(raw, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < min {
			return nil, fmt.Errorf("invalid %s %q: expected comma-separated integers of at least %d, such as 1,4", name, raw, min)
		}
		list = append(list, n)
	}
	return list, nil
}

func readDuration(getenv func(string) string, name string, def, min time.Duration) (time.Duration, error) {
	raw := getenv(name)
	if raw == "" {
		return def, nil
	}
	d, err := time.ParseDuration(raw)
	if err != nil || d < min {
		return 0, fmt.Errorf("invalid %s %q: expected a duration of at least %s, such as 10s", name, raw, min)
	}
	return d, nil
}
