package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

// The drain load generator. Each of its workers keeps one HTTP/1.1
// keep-alive connection and sends GET / on it in a closed loop. It speaks
// HTTP over net.Conn itself, not through net/http's Transport, because the
// Transport silently resends a GET whose reused connection closed before
// the response began. Here that resend is explicit and counted.

// Outcome is the final result of one request.
type Outcome int

const (
	outcomeOK Outcome = iota
	// outcomeNon2xx: a complete response with a status outside 200-299.
	outcomeNon2xx
	// outcomeRefused: no new connection could be opened.
	outcomeRefused
	// outcomeClosedNew: a new connection was closed before any response
	// byte. Docker's userland proxy accepts on the published port and then
	// closes when the container no longer listens, so this is also how a
	// closed listener shows through a published port.
	outcomeClosedNew
	// outcomeClosedReused: a keep-alive connection was closed before any
	// response byte, as when a server closes an idle connection while the
	// request is on its way. RFC 2616 section 8.1.4 recommends that clients resend
	// an idempotent request once in that case, so the generator does.
	outcomeClosedReused
	// outcomeBroken: the connection failed after part of the response.
	outcomeBroken
	// outcomeTimeout: no complete response within requestTimeout.
	outcomeTimeout
	outcomeCount
)

// requestTimeout bounds one request, from dialing to the end of the body.
const requestTimeout = 5 * time.Second

// refusedPause keeps a worker whose connections are refused from spinning.
const refusedPause = 10 * time.Millisecond

// Phase places a request by the start of its last attempt relative to
// `docker stop`.
type Phase int

const (
	phaseBefore Phase = iota // sent before the stop request
	phaseDrain               // sent between the stop request and its return
	phaseAfter               // sent after the container exited
	phaseCount
)

// PhaseCounts counts requests of one phase by final outcome.
type PhaseCounts struct {
	Requests int64
	Outcomes [outcomeCount]int64
	// Resent counts requests whose keep-alive connection closed before any
	// response byte, so that they were sent again on a new connection.
	Resent int64
}

// DrainRun is one drain measurement: load on GET /, `docker stop` while it
// runs, and the outcome of every request by phase.
type DrainRun struct {
	Stop   StopRun
	Phases [phaseCount]PhaseCounts
	// HealthyFor is the time from the stop request to the sending of the
	// last probe that got 200 on /health. It is negative when no probe sent
	// after the request got 200.
	HealthyFor time.Duration
	// RejectedWhileServing counts the drain-phase requests whose new
	// connection was refused or closed unanswered while the service still
	// accepted connections, so a load balancer would still have sent them.
	RejectedWhileServing int64
}

// Total returns the number of requests sent before the container exited.
func (r DrainRun) Total() int64 {
	return r.Phases[phaseBefore].Requests + r.Phases[phaseDrain].Requests
}

// Rejected returns the requests of the drain phase whose new connection
// was refused or closed unanswered after /health had stopped returning
// 200. A load balancer that saw /health fail would not have sent them.
func (r DrainRun) Rejected() int64 {
	p := r.Phases[phaseDrain]
	return p.Outcomes[outcomeRefused] + p.Outcomes[outcomeClosedNew] - r.RejectedWhileServing
}

// Failed returns the requests sent before the container exited that got no
// 2xx response, less the rejected ones.
func (r DrainRun) Failed() int64 {
	var n int64
	for _, ph := range []Phase{phaseBefore, phaseDrain} {
		for o := outcomeNon2xx; o < outcomeCount; o++ {
			n += r.Phases[ph].Outcomes[o]
		}
	}
	return n - r.Rejected()
}

// Resent returns the requests sent before the container exited that went
// out a second time after their keep-alive connection closed unanswered.
func (r DrainRun) Resent() int64 {
	return r.Phases[phaseBefore].Resent + r.Phases[phaseDrain].Resent
}

// drainTail is how long the load goes on after the container exited, so
// that the report shows what clients see then.
const drainTail = 300 * time.Millisecond

// measureDrains runs cfg.DrainRuns drain measurements on fresh containers.
func measureDrains(ctx context.Context, d *Docker, image string, cfg Config) ([]DrainRun, error) {
	var runs []DrainRun
	for range cfg.DrainRuns {
		r, err := measureDrain(ctx, d, image, cfg)
		if err != nil {
			return runs, err
		}
		runs = append(runs, r)
	}
	return runs, nil
}

func measureDrain(ctx context.Context, d *Docker, image string, cfg Config) (DrainRun, error) {
	svc, err := d.start(ctx, image)
	if err != nil {
		return DrainRun{}, err
	}
	defer d.remove(svc.ID)
	healthyAt, err := waitHealthy(ctx, svc, readyLimit)
	if err != nil {
		return DrainRun{}, err
	}

	var (
		mu      sync.Mutex
		run     DrainRun
		marks   stopMarks
		workers sync.WaitGroup
		// rejections are the drain-phase requests whose new connection
		// was rejected, to compare with the end of serving afterwards.
		rejections  []rejection
		lastHealthy = healthyAt
	)
	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()

	workers.Add(1)
	go func() {
		defer workers.Done()
		for loadCtx.Err() == nil {
			sent := time.Now()
			if probeHealth(loadCtx, svc) {
				mu.Lock()
				lastHealthy = sent
				mu.Unlock()
			}
			time.Sleep(healthProbeInterval)
		}
	}()
	for range cfg.DrainConnections {
		workers.Add(1)
		go func() {
			defer workers.Done()
			w := &loadWorker{addr: svc.Addr}
			defer w.closeConn()
			for loadCtx.Err() == nil {
				outcome, sent, resent := w.get()
				ended := time.Now()
				phase := marks.phaseOf(sent)
				mu.Lock()
				counts := &run.Phases[phase]
				counts.Requests++
				counts.Outcomes[outcome]++
				if resent {
					counts.Resent++
				}
				rejected := outcome == outcomeRefused || outcome == outcomeClosedNew
				if rejected && phase == phaseDrain {
					rejections = append(rejections, rejection{sent: sent, ended: ended})
				}
				mu.Unlock()
				if rejected {
					time.Sleep(refusedPause)
				}
			}
		}()
	}

	time.Sleep(cfg.DrainLead)
	marks.setSignal(time.Now())
	stop, stopErr := d.stop(ctx, svc.ID)
	marks.setExit(time.Now())
	time.Sleep(drainTail)
	stopLoad()
	workers.Wait()

	if stopErr != nil {
		return DrainRun{}, stopErr
	}
	run.Stop = stop
	run.HealthyFor = lastHealthy.Sub(marks.signal)
	servingUntil := acceptedUntil(lastHealthy, marks.signal, stop, rejections)
	for _, r := range rejections {
		if r.sent.Before(servingUntil) {
			run.RejectedWhileServing++
		}
	}
	return run, nil
}

// rejection is a request whose new connection was refused or closed
// unanswered: when it was sent and when the client saw it fail.
type rejection struct {
	sent, ended time.Time
}

// killMargin is the maximum gap between the last 200 on /health and the
// SIGKILL for acceptedUntil to treat the SIGKILL as the end of serving. It
// covers the probe interval and a slow probe on a busy machine.
const killMargin = 200 * time.Millisecond

// acceptedUntil estimates when the service stopped accepting connections:
// when the last /health probe that got 200 was sent. A service that was
// still healthy when SIGKILL ended the grace (exit code 137) never closed
// its listener, so it accepted until the kill. A connection that was
// opened before then and closed unanswered was cut off in flight, but from
// the client it looks like a rejected one. The kill time is estimated as
// the first failure that a client saw after the grace, because the
// requests in flight fail at that moment.
//
// NOTE: a connection that was accepted and then closed unanswered looks like
// a rejected one. When it was sent within one probe interval before /health
// stopped returning 200, it counts as rejected, not as failed.
func acceptedUntil(lastHealthy, signal time.Time, stop StopRun, rejections []rejection) time.Time {
	graceEnd := signal.Add(dockerStopGrace)
	if stop.ExitCode != 137 || !lastHealthy.After(graceEnd.Add(-killMargin)) {
		return lastHealthy
	}
	var killed time.Time
	for _, r := range rejections {
		if r.ended.After(graceEnd.Add(-killMargin)) && (killed.IsZero() || r.ended.Before(killed)) {
			killed = r.ended
		}
	}
	switch {
	case !killed.IsZero():
		return killed
	case stop.ExitedAfter > 0:
		return signal.Add(stop.ExitedAfter)
	default:
		return lastHealthy
	}
}

// healthProbeInterval is the pause between two /health probes during a
// drain run. It bounds how late the run notices that /health failed.
const healthProbeInterval = 10 * time.Millisecond

// probeHealth reports whether GET /health returns 200 on a new connection.
func probeHealth(ctx context.Context, svc *Service) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, svc.URL("/health"), nil)
	if err != nil {
		return false
	}
	resp, err := healthClient.Do(req)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// stopMarks are the times at which `docker stop` was called and returned.
type stopMarks struct {
	mu           sync.Mutex
	signal, exit time.Time
}

func (m *stopMarks) setSignal(t time.Time) { m.mu.Lock(); m.signal = t; m.mu.Unlock() }
func (m *stopMarks) setExit(t time.Time)   { m.mu.Lock(); m.exit = t; m.mu.Unlock() }

func (m *stopMarks) phaseOf(begin time.Time) Phase {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case m.signal.IsZero() || begin.Before(m.signal):
		return phaseBefore
	case m.exit.IsZero() || begin.Before(m.exit):
		return phaseDrain
	default:
		return phaseAfter
	}
}

// loadWorker sends requests over one keep-alive connection at a time.
type loadWorker struct {
	addr   string
	conn   net.Conn
	reader *bufio.Reader
	// fresh is true until the first response on conn has been read.
	fresh bool
	// got counts the bytes read on conn for the current request.
	got int64
}

// get sends one GET / and reports its outcome, resending it once on a new
// connection when a keep-alive connection closed before any response byte.
// sent is the start of the last attempt, which decides the request's phase:
// a resend that a closed listener rejects during the stop counts as a
// rejected new connection, like any other new connection at that time.
func (w *loadWorker) get() (outcome Outcome, sent time.Time, resent bool) {
	sent = time.Now()
	outcome = w.attempt()
	if outcome != outcomeClosedReused {
		return outcome, sent, false
	}
	sent = time.Now()
	return w.attempt(), sent, true
}

func (w *loadWorker) attempt() Outcome {
	if w.conn == nil {
		conn, err := net.DialTimeout("tcp", w.addr, requestTimeout)
		if err != nil {
			if isTimeout(err) {
				return outcomeTimeout
			}
			return outcomeRefused
		}
		w.conn, w.fresh = conn, true
		w.reader = bufio.NewReader(&countingReader{r: conn, n: &w.got})
	}
	w.got = 0
	_ = w.conn.SetDeadline(time.Now().Add(requestTimeout))

	req, _ := http.NewRequest(http.MethodGet, "http://"+w.addr+"/", nil)
	if err := req.Write(w.conn); err != nil {
		return w.failed(err)
	}
	resp, err := http.ReadResponse(w.reader, req)
	if err != nil {
		return w.failed(err)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return w.failed(err)
	}
	w.fresh = false
	if resp.Close {
		w.closeConn()
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return outcomeNon2xx
	}
	return outcomeOK
}

// failed closes the connection and classifies err.
func (w *loadWorker) failed(err error) Outcome {
	fresh, got := w.fresh, w.got
	w.closeConn()
	switch {
	case isTimeout(err):
		return outcomeTimeout
	case got > 0:
		return outcomeBroken
	case fresh:
		return outcomeClosedNew
	default:
		return outcomeClosedReused
	}
}

func (w *loadWorker) closeConn() {
	if w.conn != nil {
		w.conn.Close()
		w.conn, w.reader = nil, nil
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// countingReader adds the bytes it reads to *n.
type countingReader struct {
	r io.Reader
	n *int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	*c.n += int64(k)
	return k, err
}

func (o Outcome) String() string {
	names := [outcomeCount]string{"ok", "non-2xx", "refused", "new connection closed", "keep-alive connection closed", "broken response", "timeout"}
	if o < 0 || o >= outcomeCount {
		return fmt.Sprintf("outcome %d", int(o))
	}
	return names[o]
}
