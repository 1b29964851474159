package main

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// WrkResult is the summary of one wrk run.
type WrkResult struct {
	Requests          int64
	RequestsPerSecond float64
	P50, P99          time.Duration
	SocketErrors      int64 // connect + read + write + timeout
	Non2xx            int64 // wrk counts responses outside 200-399
}

// wrkWarmup is the length of the discarded wrk run before the measured ones.
const wrkWarmup = time.Second

// measureThroughput starts one container of image and runs wrk against
// GET / cfg.WrkRepeat times, after a short warm-up run.
func measureThroughput(ctx context.Context, d *Docker, image string, cfg Config) ([]WrkResult, error) {
	svc, err := d.start(ctx, image)
	if err != nil {
		return nil, err
	}
	defer d.remove(svc.ID)
	if _, err := waitHealthy(ctx, svc, readyLimit); err != nil {
		return nil, err
	}
	if _, err := runWrk(ctx, svc.URL("/"), cfg.WrkThreads, cfg.WrkConnections, wrkWarmup); err != nil {
		return nil, err
	}
	var results []WrkResult
	for range cfg.WrkRepeat {
		r, err := runWrk(ctx, svc.URL("/"), cfg.WrkThreads, cfg.WrkConnections, cfg.WrkDuration)
		if err != nil {
			return results, err
		}
		results = append(results, r)
	}
	return results, nil
}

func runWrk(ctx context.Context, url string, threads, connections int, duration time.Duration) (WrkResult, error) {
	seconds := int(duration.Round(time.Second) / time.Second)
	args := []string{
		"-t", strconv.Itoa(threads), "-c", strconv.Itoa(connections),
		"-d", strconv.Itoa(seconds) + "s", "--latency", url,
	}
	out, err := exec.CommandContext(ctx, "wrk", args...).CombinedOutput()
	if err != nil {
		return WrkResult{}, fmt.Errorf("wrk %s failed: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	r, err := parseWrk(string(out))
	if err != nil {
		return r, fmt.Errorf("reading the output of wrk %s failed: %w; output:\n%s", strings.Join(args, " "), err, out)
	}
	return r, nil
}

var (
	wrkRequests     = regexp.MustCompile(`^(\d+) requests in `)
	wrkRate         = regexp.MustCompile(`^Requests/sec:\s+([0-9.]+)`)
	wrkPercentile   = regexp.MustCompile(`^(50|99)%\s+([0-9.]+)(us|ms|s|m)$`)
	wrkSocketErrors = regexp.MustCompile(`^Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkNon2xx       = regexp.MustCompile(`^Non-2xx or 3xx responses: (\d+)`)
)

// parseWrk reads the summary that wrk 4 prints with --latency.
func parseWrk(out string) (WrkResult, error) {
	var r WrkResult
	var seen []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if m := wrkRequests.FindStringSubmatch(line); m != nil {
			r.Requests, _ = strconv.ParseInt(m[1], 10, 64)
			seen = append(seen, "requests")
		}
		if m := wrkRate.FindStringSubmatch(line); m != nil {
			r.RequestsPerSecond, _ = strconv.ParseFloat(m[1], 64)
			seen = append(seen, "rate")
		}
		if m := wrkPercentile.FindStringSubmatch(line); m != nil {
			d := parseWrkDuration(m[2], m[3])
			if m[1] == "50" {
				r.P50 = d
			} else {
				r.P99 = d
			}
			seen = append(seen, "p"+m[1])
		}
		if m := wrkSocketErrors.FindStringSubmatch(line); m != nil {
			for _, n := range m[1:] {
				v, _ := strconv.ParseInt(n, 10, 64)
				r.SocketErrors += v
			}
		}
		if m := wrkNon2xx.FindStringSubmatch(line); m != nil {
			r.Non2xx, _ = strconv.ParseInt(m[1], 10, 64)
		}
	}
	for _, want := range []string{"requests", "rate", "p50", "p99"} {
		if !slices.Contains(seen, want) {
			return r, fmt.Errorf("no %s line found", want)
		}
	}
	return r, nil
}

func parseWrkDuration(value, unit string) time.Duration {
	v, _ := strconv.ParseFloat(value, 64)
	scale := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second, "m": time.Minute}[unit]
	return time.Duration(v * float64(scale))
}

// medianWrk returns the run with the median requests/s.
func medianWrk(rs []WrkResult) (WrkResult, bool) {
	if len(rs) == 0 {
		return WrkResult{}, false
	}
	s := slices.Clone(rs)
	slices.SortFunc(s, func(a, b WrkResult) int {
		switch {
		case a.RequestsPerSecond < b.RequestsPerSecond:
			return -1
		case a.RequestsPerSecond > b.RequestsPerSecond:
			return 1
		}
		return 0
	})
	return s[len(s)/2], true
}
