package check

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/imagelab/imagelab/internal/engine"
	"github.com/imagelab/imagelab/internal/i18n"
)

// Docker's defaults for HEALTHCHECK settings left unset.
const (
	defaultHealthInterval = 30 * time.Second
	defaultHealthTimeout  = 30 * time.Second
	defaultHealthRetries  = 3
)

// probeInterval is the accelerated interval at which the image's own probe
// runs during the check, instead of the image's interval.
const probeInterval = 500 * time.Millisecond

var fixAddHealthcheck = i18n.T(`add HEALTHCHECK in exec form with a probe program the final image contains, for example CMD ["/app", "healthcheck", "http://127.0.0.1:8080/health"] where the service's own binary has a healthcheck subcommand, or python3 with a short urllib script`)

func checkHealth(ctx context.Context, t *Target, r *Result) {
	hc := t.Image.Inspect.Config.Healthcheck
	if hc == nil || len(hc.Test) == 0 {
		r.set(Fail, i18n.T("the image has no HEALTHCHECK"), fixAddHealthcheck)
		r.Add("host_get_health", "%s", "not measured")
		return
	}
	r.Add("command", "%s", strings.Join(hc.Test, " "))
	if hc.Test[0] == "NONE" {
		r.set(Fail, i18n.T("HEALTHCHECK NONE disables the health check"), fixAddHealthcheck)
		return
	}
	r.Add("configured", "%s", configuredTimings(hc))
	if t.Static {
		r.set(Pass, i18n.T("HEALTHCHECK is set and its probe program is in the image (not run: --static)"), i18n.Text{})
	} else {
		r.set(Pass, i18n.T("the image's probe turns healthy and GET %s answers 2xx from the host", t.Policy.HealthPath), i18n.Text{})
	}
	checkHealthPath(t, r, hc.Test)
	checkProbeCanFail(r, hc.Test, t.Policy.HealthPath)
	checkHealthExecutable(ctx, t, r, hc.Test)
	if t.Static || r.Status == Error {
		return
	}
	checkHealthAtRuntime(ctx, t, r, hc)
}

func configuredTimings(hc *container.HealthConfig) string {
	show := func(d, def time.Duration) string {
		if d == 0 {
			return def.String() + " (Docker's default)"
		}
		return d.String()
	}
	retries := fmt.Sprint(hc.Retries)
	if hc.Retries == 0 {
		retries = fmt.Sprintf("%d (Docker's default)", defaultHealthRetries)
	}
	return fmt.Sprintf("interval %s, timeout %s, start period %s, retries %s",
		show(hc.Interval, defaultHealthInterval), show(hc.Timeout, defaultHealthTimeout),
		show(hc.StartPeriod, 0), retries)
}

var urlPath = regexp.MustCompile(`https?://[^/\s'"]+(/[^\s'"?#]*)?`)

// checkHealthPath reads the URLs in the probe command. When it names none
// (a probe binary with a built-in default), the host probe decides.
func checkHealthPath(t *Target, r *Result, test []string) {
	var paths []string
	for _, m := range urlPath.FindAllStringSubmatch(strings.Join(test[1:], " "), -1) {
		p := m[1]
		if p == "" {
			p = "/"
		}
		if strings.TrimSuffix(p, "/") == strings.TrimSuffix(t.Policy.HealthPath, "/") {
			r.Add("probed_path", "%s", p)
			return
		}
		paths = append(paths, p)
	}
	if len(paths) == 0 {
		r.Add("probed_path", "%s", "the command names no URL; the host probe of the health path decides")
		return
	}
	r.Add("probed_path", "%s", strings.Join(paths, ", "))
	r.worsen(Fail, i18n.T("HEALTHCHECK probes %s, not %s", strings.Join(paths, ", "), t.Policy.HealthPath),
		i18n.T("make the HEALTHCHECK command request %s", t.Policy.HealthPath))
}

// checkHealthExecutable makes sure the program the probe runs exists in
// the image: the shell for a shell-form probe, and the first word of the
// command in either form.
func checkHealthExecutable(ctx context.Context, t *Target, r *Result, test []string) {
	files, err := t.Files(ctx)
	if err != nil {
		r.fail(err)
		return
	}
	var programs []string
	switch test[0] {
	case "CMD-SHELL":
		programs = append(programs, "/bin/sh")
		if len(test) > 1 {
			if words := strings.Fields(test[1]); len(words) > 0 {
				programs = append(programs, words[0])
			}
		}
	case "CMD":
		if len(test) > 1 {
			programs = append(programs, test[1])
		}
	}
	for _, p := range programs {
		found, err := files.LookPath(ctx, p, t.env("PATH"))
		if err != nil {
			r.fail(err)
			return
		}
		if found == "" {
			r.Add("missing_program", "%s", p)
			r.worsen(Fail, i18n.T("HEALTHCHECK runs %s, which the final image does not contain", p), fixMissingProbe(test[0], p))
			return
		}
		r.Add("program", "%s", found)
	}
}

func fixMissingProbe(form, program string) i18n.Text {
	if form == "CMD-SHELL" && program == "/bin/sh" {
		return i18n.T("the image has no shell: write HEALTHCHECK in exec form, CMD [\"/app\", \"healthcheck\", ...]")
	}
	return i18n.T("probe with a program the final stage contains (the service's own binary, or its interpreter with a short script), not a tool installed only in a build stage")
}

func checkHealthAtRuntime(ctx context.Context, t *Target, r *Result, hc *container.HealthConfig) {
	timeout := hc.Timeout
	if timeout == 0 || timeout > 5*time.Second {
		timeout = 5 * time.Second
	}
	retries := hc.Retries
	if retries == 0 {
		retries = defaultHealthRetries
	}
	// A long start period: failures while the service boots do not count,
	// and the first passing probe turns the container healthy at once.
	fast := &container.HealthConfig{Test: hc.Test, Interval: probeInterval, Timeout: timeout,
		StartPeriod: t.Policy.ReadyTimeout, Retries: retries}
	r.Add("accelerated", "interval %s, timeout %s, retries %d", probeInterval, timeout, retries)

	l, err := t.start(ctx, engine.RunSpec{Purpose: "healthcheck", Healthcheck: fast})
	defer t.finish(r.ID, l)
	if err != nil {
		startFailed(r, err)
		return
	}
	waitHealthy(ctx, t, r, l, retries, timeout)
	host := get(ctx, l.addr, t.Policy.HealthPath)
	if l.addr == "" {
		host = httpResult{Err: l.notServing(t.Policy.ReadyTimeout)}
	}
	r.Add("host_get_health", "%s", host)
	if !host.ok() {
		r.worsen(Fail, i18n.T("GET %s from the host answers %s; a load balancer would take the service out", t.Policy.HealthPath, host),
			i18n.T("serve %s with status 200 on all interfaces (0.0.0.0), and make the probe fail on a non-2xx answer (curl needs --fail)", t.Policy.HealthPath))
	}
}

// waitHealthy follows the container's health status until Docker calls it
// healthy or unhealthy, the container exits, or the probe keeps failing
// while the service already responds to the host.
func waitHealthy(ctx context.Context, t *Target, r *Result, l *launch, retries int, timeout time.Duration) {
	deadline := time.Now().Add(t.Policy.ReadyTimeout + time.Duration(retries)*(probeInterval+timeout) + 2*time.Second)
	var answeredAt time.Time
	for {
		info, err := l.c.Inspect(ctx)
		if err != nil {
			r.fail(err)
			return
		}
		h := info.State.Health
		if !info.State.Running {
			r.Add("state", "exited with code %d", info.State.ExitCode)
			r.worsen(Fail, i18n.T("the container exited with code %d before it turned healthy", info.State.ExitCode),
				i18n.T("read the container's log (docker logs) and fix the crash"))
			return
		}
		if h != nil {
			recordProbe(r, h)
			if h.Status == "healthy" {
				r.Add("time_to_healthy", "%d ms", time.Since(l.c.Started).Milliseconds())
				return
			}
		}
		if answeredAt.IsZero() && l.addr != "" && get(ctx, l.addr, t.Policy.HealthPath).Err == "" {
			answeredAt = time.Now()
		}
		failedSince := !answeredAt.IsZero() && h != nil && failuresSince(h, answeredAt) >= retries
		if (h != nil && h.Status == "unhealthy") || failedSince || time.Now().After(deadline) {
			status := "starting"
			if h != nil {
				status = h.Status
			}
			r.Add("health_status", "%s", status)
			r.worsen(Fail, i18n.T("the image's own probe does not pass (status %s)", status),
				i18n.T("run the HEALTHCHECK command by hand in the container (docker exec) and fix what it prints"))
			return
		}
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return
		}
	}
}

func recordProbe(r *Result, h *container.Health) {
	if len(h.Log) == 0 {
		return
	}
	last := h.Log[len(h.Log)-1]
	setEvidence(r, "last_probe_exit_code", fmt.Sprint(last.ExitCode))
	setEvidence(r, "last_probe_output", shorten(strings.ReplaceAll(last.Output, "\n", " "), 200))
}

// failuresSince counts the failed probes that started after t.
func failuresSince(h *container.Health, t time.Time) int {
	n := 0
	for _, p := range h.Log {
		if p.Start.After(t) && p.ExitCode != 0 {
			n++
		}
	}
	return n
}

// setEvidence replaces the value of key, or adds it.
func setEvidence(r *Result, key, value string) {
	for i := range r.Evidence {
		if r.Evidence[i].Key == key {
			r.Evidence[i].Value = value
			return
		}
	}
	r.Evidence = append(r.Evidence, Evidence{Key: key, Value: value})
}

var (
	// curlFail matches the options that make curl exit non-zero on an HTTP
	// error status: -f, --fail, --fail-with-body, or -f among other short
	// options such as -fsS.
	curlFail = regexp.MustCompile(`(^|\s)(--fail(-with-body)?|-[a-zA-Z]*f[a-zA-Z]*)(\s|$)`)
	// swallowed matches a command tail that turns any failure into success.
	swallowed = regexp.MustCompile(`(\|\||;)\s*(true|exit\s+0|:)\s*$`)
)

// checkProbeCanFail fails a probe that passes whatever status /health
// returns. curl without --fail exits 0 on a 503, and "|| true" hides every
// error.
// Such a probe keeps a broken service in rotation.
func checkProbeCanFail(r *Result, test []string, healthPath string) {
	cmd := strings.Join(test[1:], " ")
	switch {
	case runsCurl(cmd) && !curlFail.MatchString(cmd):
		r.Add("probe_cannot_fail", "%s", "curl without --fail exits 0 on any HTTP status")
		r.worsen(Fail, i18n.T("the probe runs curl without --fail, so it passes even when %s answers 503", healthPath),
			i18n.T("add --fail to curl (curl -fsS URL), or probe with the service's own binary"))
	case test[0] == "CMD-SHELL" && swallowed.MatchString(strings.TrimSpace(cmd)):
		r.Add("probe_cannot_fail", "%s", "the command ends in a success that hides the probe's failure")
		r.worsen(Fail, i18n.T("the probe command ends in a success (|| true, || exit 0), so it never fails"),
			i18n.T("let the probe's own exit status through: end the command with || exit 1"))
	}
}

// runsCurl reports whether a probe command runs curl, by name or by path.
func runsCurl(cmd string) bool {
	words := strings.FieldsFunc(cmd, func(c rune) bool { return strings.ContainsRune(" \t;&|()", c) })
	for _, w := range words {
		if !strings.Contains(w, "://") && path.Base(w) == "curl" {
			return true
		}
	}
	return false
}
