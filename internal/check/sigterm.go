package check

import (
	"context"
	"regexp"
	"time"

	"github.com/imagelab/imagelab/internal/engine"
	"github.com/imagelab/imagelab/internal/i18n"
)

// Exit statuses that tell how a stopped container ended: 128 + the signal.
const (
	exitKilled     = 137 // SIGKILL: the grace ran out
	exitTerminated = 143 // SIGTERM's default action: no handler
)

var shellPID1 = regexp.MustCompile(`^(/bin/|/usr/bin/)?(sh|bash|dash|ash)( |$)`)

// checkSigterm stops a serving container through the engine and judges
// how it ended.
//
// NOTE: no request is in flight during the stop, so a service that exits 0
// but cuts in-flight requests passes; docs/CHECKS.md explains why.
func checkSigterm(ctx context.Context, t *Target, r *Result) {
	l, err := t.start(ctx, engine.RunSpec{Purpose: "sigterm"})
	defer t.finish(r.ID, l)
	if err != nil {
		startFailed(r, err)
		return
	}
	if l.exited {
		r.Add("state", "exited with code %d before the stop", l.exitCode)
		r.set(Fail, i18n.T("the container exited with code %d before it was stopped", l.exitCode),
			i18n.T("read the container's log (docker logs) and fix the crash"))
		return
	}
	if !l.ready {
		r.Add("serving", "%s", l.notServing(t.Policy.ReadyTimeout))
	}
	_, pid1, err := mainProcess(ctx, l)
	if err != nil {
		r.fail(err)
		return
	}
	r.Add("pid1", "%s", pid1)
	stopAndJudge(ctx, t, r, l, pid1)
}

func stopAndJudge(ctx context.Context, t *Target, r *Result, l *launch, pid1 string) {
	signal := t.Image.Inspect.Config.StopSignal
	if signal == "" {
		signal = "SIGTERM"
	}
	grace := t.Policy.StopTimeout
	r.Add("stop_signal", "%s", signal)
	r.Add("grace", "%s", grace)
	took, err := l.c.Stop(ctx, grace)
	if err != nil {
		r.fail(err)
		return
	}
	info, err := l.c.Inspect(ctx)
	if err != nil {
		r.fail(err)
		return
	}
	code := info.State.ExitCode
	r.Add("stop_ms", "%d", took.Milliseconds())
	r.Add("exit_code", "%d", code)
	logs, _ := l.c.Logs(ctx, 5)
	r.Add("last_log_lines", "%s", joinLines(logs))
	judgeStop(r, code, took, grace, signal, pid1)
}

func judgeStop(r *Result, code int, took, grace time.Duration, signal, pid1 string) {
	ms := took.Milliseconds()
	switch {
	case code == 0 && took < grace:
		r.set(Pass, i18n.T("stopped on %s in %d ms with status 0", signal, ms), i18n.Text{})
	case code == 0:
		r.set(Fail, i18n.T("exited with status 0 only after the %s grace (%d ms)", grace, ms),
			i18n.T("finish in-flight work within the grace: keep the shutdown timeout below docker stop's grace"))
	case code == exitTerminated:
		r.set(Warn, i18n.T("ended by %s's default action (status 143) in %d ms: the process has no handler, so in-flight work may be lost", signal, ms),
			i18n.T("handle %s in the service: stop accepting connections, finish in-flight requests, exit 0", signal))
	case code == exitKilled && shellPID1.MatchString(pid1):
		r.set(Fail, i18n.T("killed with SIGKILL after the %s grace: PID 1 is a shell (%s) that does not pass %s on", grace, shorten(pid1, 60), signal),
			i18n.T("use exec-form ENTRYPOINT/CMD (a JSON array), or start the server with exec in the start script"))
	case code == exitKilled:
		r.set(Fail, i18n.T("killed with SIGKILL after the %s grace: the main process ignored %s", grace, signal),
			i18n.T("handle %s in the service: stop accepting connections, finish in-flight requests, exit 0 within the grace", signal))
	default:
		r.set(Fail, i18n.T("exited with status %d in %d ms after %s: a fast stop is not a clean one", code, ms, signal),
			i18n.T("handle %s and exit with status 0 once in-flight requests are done", signal))
	}
}
