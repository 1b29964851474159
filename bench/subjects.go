package main

import (
	"context"
	"fmt"
	"time"
)

// Subject is one image whose service the bench measures. scripts/bench.sh
// builds all of them before the Go program runs.
type Subject struct {
	Key   string // short name used in logs and charts
	Name  string // name in the report's tables
	Image string
	About string // one line on how the image is built
}

// Keys of the subjects that targets refer to.
const (
	keyRocket    = "rocket"
	keyFlask     = "flask"
	keyReference = "reference"
)

var subjects = []Subject{
	{keyRocket, "rocket (Go)", "rocket:latest",
		"Dockerfile: static Go binary on scratch"},
	{keyFlask, "Flask example", "rocket-flask:latest",
		"examples/flask: Flask on gunicorn, scratch with Debian's Python"},
	{keyReference, "reference replica", "imagelab-bench/reference:latest",
		"bench/reference: Flask's development server, one stage on Debian with python3-flask and curl"},
}

// failingImage is the checker's worst case: a service that never listens
// and ignores SIGTERM (bench/failing).
const failingImage = "imagelab-bench/failing:latest"

// ImageFacts are the size and layers that `docker image inspect` reports.
type ImageFacts struct {
	ID     string
	Size   int64 // bytes, as .Size
	Layers int   // entries of .RootFS.Layers
}

// SubjectResult collects every measurement of one subject. A measurement
// that failed leaves its slice empty and its error set.
type SubjectResult struct {
	Subject Subject

	Image    ImageFacts
	ImageErr error

	ColdStarts   []time.Duration
	ColdStartErr error

	Stops   []StopRun
	StopErr error

	Throughput    []WrkResult
	ThroughputErr error

	Drains   []DrainRun
	DrainErr error
}

// StopRun is one `docker stop`.
type StopRun struct {
	Took     time.Duration
	ExitCode int
	// ExitedAfter is the time from the stop request to the exit that the
	// daemon recorded, or 0 when FinishedAt could not be read.
	ExitedAfter time.Duration
}

func (d *Docker) inspectImage(ctx context.Context, ref string) (ImageFacts, error) {
	info, err := d.cli.ImageInspect(ctx, ref)
	if err != nil {
		return ImageFacts{}, fmt.Errorf("inspecting image %s failed (scripts/bench.sh builds it): %w", ref, err)
	}
	return ImageFacts{ID: info.ID, Size: info.Size, Layers: len(info.RootFS.Layers)}, nil
}

// measureSubject runs every service measurement on one subject, one after
// the other, so that no two containers compete for the CPU.
func measureSubject(ctx context.Context, d *Docker, cfg Config, s Subject) *SubjectResult {
	r := &SubjectResult{Subject: s}
	r.Image, r.ImageErr = d.inspectImage(ctx, s.Image)
	if r.ImageErr != nil {
		return r
	}
	logf("%s: %s, %.1f MB, %d layers", s.Key, s.Image, megabytes(r.Image.Size), r.Image.Layers)

	r.ColdStarts, r.ColdStartErr = measureColdStarts(ctx, d, s.Image, cfg.Runs)
	logf("%s: cold start median %s over %d runs", s.Key, formatDuration(medianDuration(r.ColdStarts)), len(r.ColdStarts))

	r.Stops, r.StopErr = measureStops(ctx, d, s.Image, cfg.Runs)
	if len(r.Stops) > 0 {
		logf("%s: idle stop median %s, exit code %d", s.Key, formatDuration(medianDuration(stopTimes(r.Stops))), r.Stops[0].ExitCode)
	}

	r.Throughput, r.ThroughputErr = measureThroughput(ctx, d, s.Image, cfg)
	if w, ok := medianWrk(r.Throughput); ok {
		logf("%s: wrk %.0f requests/s, p50 %s, p99 %s", s.Key, w.RequestsPerSecond, formatDuration(w.P50), formatDuration(w.P99))
	}

	r.Drains, r.DrainErr = measureDrains(ctx, d, s.Image, cfg)
	for _, dr := range r.Drains {
		logf("%s: drain stop %s, exit code %d, %d requests, %d failed (%d rejected new connections)",
			s.Key, formatDuration(dr.Stop.Took), dr.Stop.ExitCode, dr.Total(), dr.Failed(), dr.Rejected())
	}
	return r
}

func megabytes(bytes int64) float64 { return float64(bytes) / 1e6 }
