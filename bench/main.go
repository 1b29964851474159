// Command bench measures the project's images, the services in them and
// the imagelab checker in one run, and rewrites docs/BENCHMARKS.md with
// the charts docs/bench-*.svg. scripts/bench.sh builds the images and then
// runs it from the repository root (make bench).
//
// Environment. The defaults are the full run's, and BENCH_QUICK=1 selects
// the short values in brackets, for development:
//
//	BENCH_QUICK=1             short runs, and a warning in the report
//	BENCH_RUNS                cold starts, stops and checker runs per subject: 5 [2]
//	BENCH_WRK_DURATION        length of one wrk run: 10s [2s]
//	BENCH_WRK_REPEAT          wrk runs per subject, median reported: 3 [1]
//	BENCH_WRK_THREADS         wrk threads: 2
//	BENCH_WRK_CONNECTIONS     wrk connections: 16
//	BENCH_DRAIN_RUNS          drain runs per subject: 3 [1]
//	BENCH_DRAIN_CONNECTIONS   keep-alive connections of the drain load: 16
//	BENCH_DRAIN_LEAD          load before docker stop in a drain run: 2s [1s]
//	BENCH_FAILING_RUNS        checker runs on the failing image: 2 [1]
//	BENCH_GRADE_IMAGES        student images that imagelab grade checks: 20 [6]
//	BENCH_GRADE_JOBS          comma-separated --jobs values of the grading
//	                          runs, the first is the speed-up's baseline: 1,4
//	BENCH_DIVE_VERSION        dive module version to install: v0.13.1
//	BENCH_IMAGELAB            checker binary: bin/imagelab
//	BENCH_DOCS                output folder: docs
//	BENCH_ONLY                comma-separated subset of rocket, flask,
//	                          reference, checker and grade, for development
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	os.Exit(run())
}

func run() int {
	started := time.Now()
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 2
	}

	if _, err := exec.LookPath("wrk"); err != nil {
		fmt.Fprintln(os.Stderr, "bench: wrk not found on PATH. Install it (Debian and Ubuntu: apt-get install wrk), or run make bench, which installs it as root on Debian.")
		return 2
	}

	// Ctrl-C or SIGTERM cancels ctx. Every step then returns (the grading
	// step after removing its images), and the deferred cleanup removes
	// this run's containers and temporary folder.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	tmp, err := os.MkdirTemp("", "imagelab-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: creating a temporary folder failed:", err)
		return 2
	}
	defer os.RemoveAll(tmp)

	dock, err := openDocker(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		fmt.Fprintln(os.Stderr, "bench: start Docker with scripts/ensure-docker.sh (or make docker) and run make bench again")
		return 2
	}
	defer dock.close()
	defer dock.removeAll()

	res := &Results{Date: started.UTC(), Config: cfg}
	res.Machine = describeMachine(ctx, dock)
	logf("%s mode; %s, %d cores, Docker %s", cfg.modeName(), res.Machine.CPU, res.Machine.Cores, res.Machine.DockerVersion)

	for _, s := range subjects {
		if !cfg.selected(s.Key) {
			continue
		}
		res.Subjects = append(res.Subjects, measureSubject(ctx, dock, cfg, s))
		if ctx.Err() != nil {
			break
		}
	}
	if ctx.Err() == nil && cfg.selected("checker") {
		res.Checker = measureChecker(ctx, dock, cfg, tmp)
	}
	if ctx.Err() == nil && cfg.selected("grade") {
		res.Grading = measureGrading(ctx, dock, cfg, tmp)
	}
	if ctx.Err() != nil {
		fmt.Fprintln(os.Stderr, "bench: interrupted; removing this run's containers, docs left unchanged")
		return 130
	}

	res.Elapsed = time.Since(started)
	if err := writeDocs(cfg.Docs, res); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	logf("wrote %s and the charts in %s", cfg.Docs+"/BENCHMARKS.md", cfg.Docs)
	printTargets(res)

	failures := res.errors()
	for _, e := range failures {
		fmt.Fprintln(os.Stderr, "bench: not measured:", e)
	}
	logf("elapsed %s", time.Since(started).Round(100*time.Millisecond))
	if len(failures) > 0 {
		return 1
	}
	return 0
}

// logf prints one progress line to stderr.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}
