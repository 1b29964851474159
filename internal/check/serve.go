package check

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/imagelab/imagelab/internal/engine"
	"github.com/imagelab/imagelab/internal/i18n"
)

// probeTimeout bounds one HTTP request from the host.
const probeTimeout = 2 * time.Second

// httpResult is the outcome of one HTTP request from the host.
type httpResult struct {
	Code int
	Body string
	Err  string
	// unreachable is set when the container ran but never responded.
	unreachable bool
}

func (h httpResult) ok() bool { return h.Code >= 200 && h.Code < 300 }

// String renders the result as evidence: "200 {"status":"ok"}" or the
// error of a request that got no response.
func (h httpResult) String() string {
	if h.Err != "" {
		return "no HTTP response: " + h.Err
	}
	return strings.TrimSpace(fmt.Sprintf("%d %s", h.Code, shorten(h.Body, 120)))
}

var httpClient = &http.Client{
	Timeout: probeTimeout,
	// A fresh connection per probe, so a reset connection of an earlier
	// probe never stands in for a later one.
	Transport: &http.Transport{DisableKeepAlives: true},
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
}

// get requests http://addr+path and reads at most 4 KiB of the body.
func get(ctx context.Context, addr, path string) httpResult {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+path, nil)
	if err != nil {
		return httpResult{Err: err.Error()}
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return httpResult{Err: trimURLError(err)}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return httpResult{Code: resp.StatusCode, Body: string(body)}
}

// trimURLError drops the "Get "http://...": " prefix that net/http adds.
func trimURLError(err error) string {
	s := err.Error()
	if i := strings.Index(s, `": `); i >= 0 && strings.HasPrefix(s, "Get ") {
		return s[i+3:]
	}
	return s
}

// launch is a started container and what the wait for it measured.
type launch struct {
	c    *engine.Container
	addr string
	// ready is set once the service sent an HTTP response to the host,
	// with any status code. readyAfter is the time from the start to it.
	ready      bool
	readyAfter time.Duration
	// exited is set when the container stopped before it responded.
	exited   bool
	exitCode int
	// hostErr is the last failed request's error while not ready.
	hostErr       string
	healthyInside bool
}

// start runs a container of the image as spec describes, publishing the
// service port, and waits until the service responds to the host, the
// container exits, or the policy's ready timeout passes. The caller must
// remove l.c. A container the daemon could not start is returned as an
// *engine.StartError.
func (t *Target) start(ctx context.Context, spec engine.RunSpec) (*launch, error) {
	spec.Image, spec.Port = t.Image.ID(), t.Port
	c, err := t.Engine.Run(ctx, spec)
	if err != nil {
		return nil, err
	}
	l := &launch{c: c}
	if err := t.waitReady(ctx, l); err != nil {
		return l, err
	}
	return l, nil
}

func (t *Target) waitReady(ctx context.Context, l *launch) error {
	deadline := time.Now().Add(t.Policy.ReadyTimeout)
	for {
		info, err := l.c.Inspect(ctx)
		if err != nil {
			return err
		}
		if !info.State.Running {
			l.exited, l.exitCode = true, info.State.ExitCode
			return nil
		}
		if info.State.Health != nil && info.State.Health.Status == "healthy" {
			l.healthyInside = true
		}
		if l.addr == "" {
			// The address comes from the same inspect that saw the
			// container running: one that exits in between has none.
			if l.addr, err = l.c.PublishedAddr(info, t.Port); err != nil {
				return err
			}
		}
		res := get(ctx, l.addr, t.Policy.HealthPath)
		if res.Err == "" {
			l.ready, l.readyAfter = true, time.Since(l.c.Started)
			return nil
		}
		l.hostErr = res.Err
		// Healthy inside but no answer outside: the service listens on
		// the container's loopback only, and waiting will not change it.
		if l.healthyInside || time.Now().After(deadline) {
			return nil
		}
		if err := sleep(ctx, 100*time.Millisecond); err != nil {
			return err
		}
	}
}

// fixUnreachable is the fix for a container that runs but never answers
// on its published port.
var fixUnreachable = i18n.T("make the service answer on the published port: listen on 0.0.0.0 (all interfaces) and on the port the image EXPOSEs")

// unreachable reports whether the container ran but never answered from
// the host, so that the fault is where it listens, not what it does.
func (l *launch) unreachable() bool { return !l.ready && !l.exited }

// notServing describes why a launch never answered, as evidence.
func (l *launch) notServing(readyTimeout time.Duration) string {
	switch {
	case l.exited:
		return fmt.Sprintf("the container exited with code %d before it answered HTTP", l.exitCode)
	case l.healthyInside:
		return fmt.Sprintf("Docker reports the container healthy, but the published port gives no answer (%s): the service listens only inside the container", l.hostErr)
	}
	return fmt.Sprintf("no HTTP answer from the host within %s (last error: %s)", readyTimeout, l.hostErr)
}

// finish records the container's logs for the after-run warnings and
// removes it.
func (t *Target) finish(checkID string, l *launch) []string {
	if l == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	logs, _ := l.c.Logs(ctx, 200)
	obs := observation{check: checkID, logs: logs, healthyInside: l.healthyInside, exited: l.exited}
	if !l.ready {
		obs.hostErr = l.hostErr
	}
	t.observe(obs)
	l.c.Remove()
	return logs
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

var problemLine = regexp.MustCompile(`(?i)error|errno|exception|traceback|read-only|permission denied|denied|fatal|panic|cannot|can't|failed|no such file|no usable`)

// problemLines returns the last n log lines that look like errors, or the
// last n lines when none does.
func problemLines(logs []string, n int) []string {
	var hits []string
	for _, l := range logs {
		if problemLine.MatchString(l) {
			hits = append(hits, l)
		}
	}
	if len(hits) == 0 {
		hits = logs
	}
	if len(hits) > n {
		hits = hits[len(hits)-n:]
	}
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = shorten(h, 200)
	}
	return out
}

// shorten cuts s to at most n runes, marking the cut.
func shorten(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}

// joinLines renders log lines as one evidence value.
func joinLines(lines []string) string {
	if len(lines) == 0 {
		return "(none)"
	}
	return strings.Join(lines, " | ")
}
