package check

import (
	"context"
	"fmt"
	"regexp"
	"sync"
	"time"

	"github.com/docker/docker/api/types/container"

	"github.com/imagelab/imagelab/internal/engine"
	"github.com/imagelab/imagelab/internal/i18n"
)

var fixReadOnly = i18n.T("write nothing to the root filesystem at run time: no bytecode or cache files, temp files and heartbeats in /dev/shm, data on a volume")

// readOnlyRun holds the measurements of one read-only run.
type readOnlyRun struct {
	ok      bool
	summary i18n.Text
	root    string
	health  string
	state   string
	logs    []string
	// unreachable is set when the container ran but never responded, which
	// is no fault of the read-only filesystem.
	unreachable bool
}

func checkReadOnly(ctx context.Context, t *Target, r *Result) {
	var plain, hardened readOnlyRun
	var plainErr, hardErr error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); plain, plainErr = t.readOnlyRun(ctx, "read-only", false) }()
	go func() { defer wg.Done(); hardened, hardErr = t.readOnlyRun(ctx, "read-only-hardened", true) }()
	wg.Wait()

	if plainErr != nil {
		startFailed(r, plainErr)
		return
	}
	r.Add("get_root", "%s", plain.root)
	r.Add("get_health", "%s", plain.health)
	r.Add("state_after", "%s", plain.state)
	r.Add("log_lines", "%s", joinLines(problemLines(plain.logs, 3)))
	if !plain.ok {
		fix := fixReadOnly
		if plain.unreachable {
			fix = fixUnreachable
		}
		r.set(Fail, plain.summary, fix)
		return
	}
	r.set(Pass, i18n.T("serves / and %s with a read-only root filesystem and no tmpfs", t.Policy.HealthPath), i18n.Text{})
	judgeHardened(r, hardened, hardErr)
	if writes := readOnlyWrites(plain.logs); len(writes) > 0 {
		r.Add("failed_writes", "%s", joinLines(writes))
		r.worsen(Warn, i18n.T("the service runs, but its log shows writes that the read-only filesystem refused"), fixReadOnly)
	}
}

func judgeHardened(r *Result, hardened readOnlyRun, err error) {
	if err != nil {
		r.Add("hardened", "could not start: %v", err)
		r.worsen(Warn, i18n.T("runs read-only, but not with --cap-drop ALL and no-new-privileges"),
			i18n.T("make the service need no Linux capabilities: listen on a port above 1023 and change no file owners at run time"))
		return
	}
	if !hardened.ok {
		r.Add("hardened", "%s", hardened.summary.String())
		r.worsen(Warn, i18n.T("runs read-only, but not with --cap-drop ALL and no-new-privileges"),
			i18n.T("make the service need no Linux capabilities: listen on a port above 1023 and change no file owners at run time"))
		return
	}
	r.Add("hardened", "%s", "serves with --cap-drop ALL and no-new-privileges too")
}

// readOnlyRun starts a container with a read-only root filesystem,
// probes / and the health path, and checks it still runs after the
// policy's settle time.
func (t *Target) readOnlyRun(ctx context.Context, purpose string, harden bool) (run readOnlyRun, err error) {
	l, err := t.start(ctx, engine.RunSpec{Purpose: purpose, ReadOnly: true, Harden: harden})
	defer func() { run.logs = t.finish(purpose, l) }()
	if err != nil {
		return run, err
	}
	if !l.ready {
		run.state = l.notServing(t.Policy.ReadyTimeout)
		run.summary = i18n.T("under --read-only: %s", run.state)
		run.unreachable = l.unreachable()
		return run, nil
	}
	root, health := get(ctx, l.addr, "/"), get(ctx, l.addr, t.Policy.HealthPath)
	run.root, run.health = root.String(), health.String()
	if err := sleep(ctx, t.Policy.Settle); err != nil {
		return run, err
	}
	info, err := l.c.Inspect(ctx)
	if err != nil {
		return run, err
	}

	run.judge(info.State, root, health, t.Policy.HealthPath, time.Since(l.c.Started))
	return run, nil
}

// judge sets the state, verdict and summary of a run from the container's
// state after the settle time and the responses it gave before.
func (run *readOnlyRun) judge(state *container.State, root, health httpResult, healthPath string, uptime time.Duration) {
	run.state = fmt.Sprintf("running %s after the start", uptime.Round(time.Millisecond))
	switch {
	case !state.Running:
		run.state = fmt.Sprintf("exited with code %d", state.ExitCode)
		run.summary = i18n.T("under --read-only the container stopped after it first answered (exit code %d)", state.ExitCode)
	case !root.ok() || health.Err != "":
		run.summary = i18n.T("under --read-only GET / answers %s and GET %s answers %s", root, healthPath, health)
	default:
		// The healthcheck check judges the health endpoint's status code,
		// so here it only has to respond.
		// NOTE: a health endpoint that returns 503 only because of the
		// read-only filesystem passes here; the evidence shows its status.
		run.ok = true
	}
}

var erofs = regexp.MustCompile(`(?i)read-only file system|errno 30|EROFS`)

func readOnlyWrites(logs []string) []string {
	var hits []string
	for _, l := range logs {
		if erofs.MatchString(l) {
			hits = append(hits, shorten(l, 200))
		}
	}
	if len(hits) > 3 {
		hits = hits[len(hits)-3:]
	}
	return hits
}
