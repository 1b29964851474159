package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// writeDocs writes BENCHMARKS.md and the two charts into dir.
func writeDocs(dir string, r *Results) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating %s failed: %w", dir, err)
	}
	files := map[string]string{
		"BENCHMARKS.md":     renderMarkdown(r),
		"bench-sizes.svg":   renderSizeChart(r),
		"bench-latency.svg": renderLatencyChart(r),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return fmt.Errorf("writing %s failed: %w", filepath.Join(dir, name), err)
		}
	}
	return nil
}

func renderMarkdown(r *Results) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	cfg, m := r.Config, r.Machine

	p("# Benchmarks")
	p("")
	p("`make bench` wrote this page on %s in %s (%s mode). It builds the images, runs", r.Date.Format("2006-01-02 15:04 MST"), r.Elapsed.Round(time.Second), cfg.modeName())
	p("`go run ./bench` and rewrites this page and the charts beside it, so edit")
	p("bench/render_md.go instead of this file.")
	if cfg.Quick {
		p("")
		p("> **Quick mode (BENCH_QUICK=1):** short runs for development. These numbers are")
		p("> rough. Run `make bench` without BENCH_QUICK on a quiet machine before you")
		p("> quote them.")
	}
	p("")
	p("## Machine")
	p("")
	p("| | |")
	p("| --- | --- |")
	p("| CPU | %s |", m.CPU)
	p("| Cores | %d |", m.Cores)
	p("| Memory | %.1f GB |", m.MemoryGB)
	p("| Load average at the start (1, 5, 15 min) | %s |", m.Load)
	p("| Kernel | %s |", m.Kernel)
	p("| Docker server | %s (Engine API %s) |", m.DockerVersion, m.DockerAPI)
	p("| Go | %s |", m.GoVersion)
	p("| wrk | %s |", orDash(m.Wrk))
	p("")
	p("The containers run with no CPU or memory limit. wrk, the drain load generator and")
	p("the service under test share the same %d cores, so the client takes CPU time", m.Cores)
	p("that the server would otherwise get, and other processes on the machine add noise.")
	p("")

	p("## Targets")
	p("")
	p("The bench reports these targets and asserts none of them.")
	p("")
	p("| Target | Measured | Result |")
	p("| --- | --- | --- |")
	for _, t := range r.targets() {
		p("| %s | %s | %s |", t.Goal, t.Measured, metWord(t.Met))
	}
	p("")

	renderImages(p, r)
	renderStarts(p, r)
	renderThroughput(p, r)
	renderDrains(p, r)
	renderChecker(p, r)
	renderGrading(p, r)
	renderMethod(p, r)
	return b.String()
}

type printer func(format string, args ...any)

func renderImages(p printer, r *Results) {
	p("## Images")
	p("")
	p("| Subject | Image | Size | Layers | Built from |")
	p("| --- | --- | ---: | ---: | --- |")
	for _, s := range r.Subjects {
		if s.ImageErr != nil {
			p("| %s | `%s` | not measured | | %s |", s.Subject.Name, s.Subject.Image, s.Subject.About)
			continue
		}
		p("| %s | `%s` | %.2f MB | %d | %s |", s.Subject.Name, s.Subject.Image, megabytes(s.Image.Size), s.Image.Layers, s.Subject.About)
	}
	p("")
	p("Size is the image's `.Size` from `docker image inspect`, in decimal MB as `docker")
	p("images` shows it, and layers are the entries of `.RootFS.Layers`. The reference")
	p("replica rebuilds the lab's reference image on this project's Debian base. The")
	p("original used python:3.12-alpine and was about 73 MB, so most of the replica's")
	p("size is Debian's Python and curl, not a property of the original.")
	p("")
	p("![Image sizes, log scale](bench-sizes.svg)")
	p("")
}

func renderStarts(p printer, r *Results) {
	p("## Cold start")
	p("")
	p("From the container create request to the first 200 on `GET /health` through the")
	p("published 127.0.0.1 port, %d runs each.", r.Config.Runs)
	p("")
	p("| Subject | Median | Max | Runs |")
	p("| --- | ---: | ---: | ---: |")
	for _, s := range r.Subjects {
		if len(s.ColdStarts) == 0 {
			p("| %s | not measured | | |", s.Subject.Name)
			continue
		}
		p("| %s | %s | %s | %d |", s.Subject.Name, formatDuration(medianDuration(s.ColdStarts)), formatDuration(maxDuration(s.ColdStarts)), len(s.ColdStarts))
	}
	p("")

	p("## Stop")
	p("")
	p("Wall time of `docker stop` (10 s grace, the daemon's default) on an idle, healthy")
	p("container, and the exit code that `docker inspect` reports afterwards. \"Exited")
	p("after\" is the time from the stop request to the exit that the daemon recorded")
	p("(`.State.FinishedAt`). The rest of the wall time is the daemon's work after the")
	p("exit, such as releasing the published port.")
	p("")
	p("| Subject | Median | Max | Exited after (median) | Exit codes | Runs |")
	p("| --- | ---: | ---: | ---: | --- | ---: |")
	for _, s := range r.Subjects {
		if len(s.Stops) == 0 {
			p("| %s | not measured | | | | |", s.Subject.Name)
			continue
		}
		times := stopTimes(s.Stops)
		p("| %s | %s | %s | %s | %s | %d |", s.Subject.Name, formatDuration(medianDuration(times)), formatDuration(maxDuration(times)),
			formatDuration(medianDuration(exitTimes(s.Stops))), exitCodes(s.Stops), len(s.Stops))
	}
	p("")
	p("Exit code 137 means that the 10 s grace ran out and Docker sent SIGKILL.")
	p("")
}

func renderThroughput(p printer, r *Results) {
	cfg := r.Config
	p("## Throughput and latency")
	p("")
	p("`wrk -t %d -c %d -d %s --latency` on `GET /`, after a discarded %s warm-up run, %d",
		cfg.WrkThreads, cfg.WrkConnections, cfg.WrkDuration, wrkWarmup, cfg.WrkRepeat)
	p("measured run(s) per subject. The table shows the run with the median requests/s.")
	p("")
	p("| Subject | Requests/s | p50 | p99 | Socket errors | Non-2xx | Runs (requests/s) |")
	p("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
	for _, s := range r.Subjects {
		w, ok := medianWrk(s.Throughput)
		if !ok {
			p("| %s | not measured | | | | | |", s.Subject.Name)
			continue
		}
		var all []string
		for _, x := range s.Throughput {
			all = append(all, fmt.Sprintf("%.0f", x.RequestsPerSecond))
		}
		p("| %s | %.0f | %s | %s | %d | %d | %s |", s.Subject.Name, w.RequestsPerSecond, formatDuration(w.P50), formatDuration(w.P99), w.SocketErrors, w.Non2xx, strings.Join(all, ", "))
	}
	p("")

	rw, okR := medianWrkOf(r.subject(keyRocket))
	fw, okF := medianWrkOf(r.subject(keyFlask))
	if okR && okF && fw.RequestsPerSecond > 0 {
		p("rocket : Flask example = %.1f : 1 in requests/s.", rw.RequestsPerSecond/fw.RequestsPerSecond)
		p("")
	}
	p("![Latency p50 and p99 per subject, log scale](bench-latency.svg)")
	p("")
}

func renderDrains(p printer, r *Results) {
	cfg := r.Config
	p("## Graceful drain")
	p("")
	p("%d keep-alive connections send `GET /` in a closed loop. After %s the bench calls",
		cfg.DrainConnections, cfg.DrainLead)
	p("`docker stop`, and the load goes on until %s after the container exited. %d run(s)", drainTail, cfg.DrainRuns)
	p("per subject, summed. The method section describes how requests are counted.")
	p("")
	p("| Subject | Stop (median) | Exit codes | /health 200 until (median) | Requests before exit | Failed | Resent | Rejected new connections | Requests after exit |")
	p("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, s := range r.Subjects {
		if len(s.Drains) == 0 {
			p("| %s | not measured | | | | | | | |", s.Subject.Name)
			continue
		}

		var total, failed, resent, rejected, after int64
		var stops []StopRun
		var healthy []time.Duration
		for _, d := range s.Drains {
			healthy = append(healthy, d.HealthyFor)
			total += d.Total()
			failed += d.Failed()
			resent += d.Resent()
			rejected += d.Rejected()
			after += d.Phases[phaseAfter].Requests
			stops = append(stops, d.Stop)
		}

		p("| %s | %s | %s | %s | %d | %d | %d | %d | %d |", s.Subject.Name, formatDuration(medianDuration(stopTimes(stops))), exitCodes(stops),
			formatOffset(medianDuration(healthy)), total, failed, resent, rejected, after)
	}
	p("")
	p("\"/health 200 until\" is when the last /health probe that got 200 was sent,")
	p("relative to the stop request. Probes go out every %s on new connections during", healthProbeInterval)
	p("the whole run.")
	p("")
	renderDrainOutcomes(p, r)
}

// renderDrainOutcomes writes the drain requests by phase and outcome.
func renderDrainOutcomes(p printer, r *Results) {
	p("Outcomes other than ok, for requests sent before the container exited. The")
	p("rejected new connections are among them:")
	p("")
	p("| Subject | Phase | Requests | Outcomes other than ok |")
	p("| --- | --- | ---: | --- |")
	for _, s := range r.Subjects {
		var sum [phaseCount]PhaseCounts
		for _, d := range s.Drains {
			for ph := range phaseCount {
				sum[ph].Requests += d.Phases[ph].Requests
				for o := range outcomeCount {
					sum[ph].Outcomes[o] += d.Phases[ph].Outcomes[o]
				}
			}
		}

		for _, ph := range []Phase{phaseBefore, phaseDrain} {
			var parts []string
			for o := outcomeNon2xx; o < outcomeCount; o++ {
				if n := sum[ph].Outcomes[o]; n > 0 {
					parts = append(parts, fmt.Sprintf("%s %d", o, n))
				}
			}
			p("| %s | %s | %d | %s |", s.Subject.Name, []string{"before the stop", "during the stop"}[ph], sum[ph].Requests, orDash(strings.Join(parts, ", ")))
		}
	}
	p("")
}

func renderChecker(p printer, r *Results) {
	c := r.Checker
	p("## Checker")
	p("")
	p("Wall time of each command, including the start of the process and its Docker")
	p("client. `imagelab-bench/failing` never listens and ignores SIGTERM, so every")
	p("dynamic check fails and the run lasts as long as the checker's timeouts allow.")
	p("dive's CI mode reads the image's layers and rates their wasted space. Like")
	p("`imagelab check --static`, it starts no container.")
	p("")
	p("| Command | Median | Max | Runs | Exit codes | Summary of the last run |")
	p("| --- | ---: | ---: | ---: | --- | --- |")
	for _, runs := range []CommandRuns{c.Full, c.Static, c.Failing, c.Dive} {
		if runs.Command == "" {
			continue
		}
		if runs.Err != nil && len(runs.Times) == 0 {
			p("| `%s` | not measured | | | | %s |", runs.Command, escapeCell(runs.Err.Error()))
			continue
		}
		var codes []string
		for _, code := range runs.ExitCodes {
			if !slices.Contains(codes, fmt.Sprint(code)) {
				codes = append(codes, fmt.Sprint(code))
			}
		}
		p("| `%s` | %s | %s | %d | %s | %s |", runs.Command, formatDuration(medianDuration(runs.Times)), formatDuration(maxDuration(runs.Times)), len(runs.Times), strings.Join(codes, ", "), escapeCell(orDash(runs.Summary)))
	}
	p("")

	if c.Dive.Err == nil {
		p("dive %s was built with `go install` into a temporary folder in %s, not counted", c.DiveVersion, formatDuration(c.DiveInstall))
		p("above, and removed after the run.")
	} else {
		p("dive %s could not be measured: %s", c.DiveVersion, escapeCell(c.Dive.Err.Error()))
	}
	p("")
}

func renderGrading(p printer, r *Results) {
	g := r.Grading
	p("## Grading")
	p("")
	if len(g.Runs) == 0 && g.Err == nil {
		p("Not measured in this run.")
		p("")
		return
	}

	p("`imagelab grade --force` on a roster of %d student images (%s),", g.Images, orDash(g.fleetText()))
	p("one run per `--jobs` value in the order shown, each into a fresh output folder.")
	p("Wall time includes the start of the process, and per image is the wall time")
	p("divided by the number of images. The check run is the median of the students'")
	p("`durationMs` in `students/<login>.json`.")
	if g.BuildTime > 0 {
		p("Building the images took %s and is not counted.", formatDuration(g.BuildTime))
	}
	p("")

	p("| Images | Jobs | Wall time | Per image | Check run (median) | Speed-up | Exit code | Grades |")
	p("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
	for i, run := range g.Runs {
		grades := "baseline"
		if i > 0 {
			grades = fmt.Sprintf("same as `--jobs %d`", g.Runs[0].Jobs)
			if n := len(run.Differences); n > 0 {
				grades = fmt.Sprintf("**%d of %d differ** from `--jobs %d`: %s", n, g.Images, g.Runs[0].Jobs, escapeCell(strings.Join(run.Differences, "; ")))
			}
		}
		p("| %d | %d | %s | %s | %s | %.2f× | %d | %s |", g.Images, run.Jobs, formatDuration(run.Wall), formatDuration(run.Wall/time.Duration(g.Images)),
			formatDuration(medianDuration(run.CheckTimes)), speedUp(g.Runs[0], run), run.ExitCode, grades)
	}
	if g.Err != nil {
		p("| %d | | not measured | | | | | %s |", g.Images, escapeCell(g.Err.Error()))
	}
	p("")

	p("Speed-up is the wall time of `--jobs %d` divided by the row's. Grades compare", g.firstJobs())
	p("each student's row of `grades.csv` without the notes, which quote measured times.")
	p("The machine has %d cores, so parallel checks gain only where a check waits:", r.Machine.Cores)
	p("container start and stop, health probes, and the checks' own sleeps. Where checks")
	p("need the CPU, more jobs only make each check run slower.")
	p("")
}

func renderMethod(p printer, r *Results) {
	p("## Method")
	p("")

	p("- scripts/bench.sh checks for Docker and wrk, builds the four images with")
	p("  scripts/build-image.sh (the build cache makes repeated runs quick), and runs")
	p("  `go run ./bench`. The subjects are measured one after the other, never two at once.")

	p("- Every container gets the label `%s` and is removed after its measurement,", labelRun)
	p("  and also after Ctrl-C. The images are kept.")
	p("- Cold start includes the create and start requests, the port publication and the")
	p("  service's own start-up. /health is polled every 5 ms on new connections.")

	p("- Throughput comes from wrk, which reports socket errors and non-2xx responses but")
	p("  cannot tell when a request failed. The drain therefore uses the bench's own load")
	p("  generator (bench/load.go), which speaks HTTP/1.1 over one keep-alive connection")
	p("  per worker and records the start time and outcome of each request.")
	p("- A drain request belongs to the phase in which it was sent, or resent: before")
	p("  the `docker stop` request, during it (until the call returned, which is after")
	p("  the container exited), or after it. Requests sent after the exit are only counted.")

	p("- **Failed** counts the requests sent before the exit that got no 2xx response,")
	p("  except the rejected new connections. **Rejected new connections** are requests")
	p("  sent during the stop on a new connection that was refused or closed without a")
	p("  response, after the service stopped accepting. Docker's port proxy accepts a")
	p("  connection and then closes it when the service no longer listens. The kernel")
	p("  resets the connections still queued on a listener that closes. A load balancer")
	p("  that saw /health fail sends no new connections, so these are expected. The service")
	p("  counts as accepting until the last /health probe that got 200 was sent. When it")
	p("  was still healthy as SIGKILL ended the grace (exit code 137), it counts as")
	p("  accepting until the kill, taken as the first failure that a client saw after the")
	p("  grace. A connection sent before then and closed without a response was cut off")
	p("  in flight. The reference replica's development server closes every connection")
	p("  after one response, so that is how its requests in flight end at the kill.")
	p("- To the client, a connection that the service accepted and then closed without a")
	p("  response looks like a rejected one. When it was sent within one probe interval")
	p("  (%s) before /health stopped returning 200, it counts as rejected, so the", healthProbeInterval)
	p("  failed counts can miss such requests.")

	p("- **Resent** counts requests whose keep-alive connection closed before any")
	p("  response byte. A server that shuts down closes its idle keep-alive connections,")
	p("  and a GET sent on one at that moment gets no response. RFC 2616 (section 8.1.4)")
	p("  recommends that clients resend such idempotent requests once on a new connection, and")
	p("  Go's net/http Transport does it automatically, so the generator resends once and")
	p("  counts the outcome of the second attempt. The reference replica's development server")
	p("  closes the connection after each response, so it has no keep-alive connections")
	p("  to resend on.")
	p("- The checker timings run `%s` as built by `make build`.", r.Config.Imagelab)
	p("- The grading fleet is built by the bench itself from the zoo Dockerfiles in")
	p("  testdata/zoo, with the classic builder on the local base images and each")
	p("  student's `LAB_LOGIN` and `LAB_TOKEN`. The lab labels come last in those")
	p("  Dockerfiles, so once one image of a kind is built, only the label steps of the")
	p("  others are new. The course secret is random per run, and the tags are")
	p("  `%s<login>/image-lab:<tag>`. The images are removed after the grading", gradeImagePrefix)
	p("  runs, also after Ctrl-C.")
}

// formatOffset prints d with a sign, such as +10.2s or -3.00ms.
func formatOffset(d time.Duration) string {
	if d < 0 {
		return "-" + formatDuration(-d)
	}
	return "+" + formatDuration(d)
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// escapeCell keeps text from breaking a Markdown table row.
func escapeCell(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	return strings.Join(strings.Fields(s), " ")
}
