package grade

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Progress hears of a run's students as they finish. Its methods may be
// called from several goroutines.
type Progress interface {
	Begin(total int)
	Finished(r *Result, reused bool)
	End()
}

// NewProgress returns a progress display on w: a redrawn bar with counts
// and an estimate of the time left when tty is set, else one plain line
// per student.
func NewProgress(w io.Writer, tty bool) Progress {
	return &progress{w: w, tty: tty}
}

type progress struct {
	w   io.Writer
	tty bool

	mu      sync.Mutex
	total   int
	done    int
	counts  map[string]int
	started time.Time
}

func (p *progress) Begin(total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total, p.started, p.counts = total, time.Now(), map[string]int{}
	if p.tty {
		p.drawBar()
	}
}

func (p *progress) Finished(r *Result, reused bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	kind := string(r.Outcome)
	if reused {
		kind = "reused"
	}
	p.counts[kind]++
	if p.tty {
		p.drawBar()
		return
	}
	fmt.Fprintf(p.w, "[%d/%d] %s: %s / %s points (%s)\n", p.done, p.total, r.Login,
		FormatPoints(r.Total), FormatPoints(r.Max), kind)
}

func (p *progress) End() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// drawBar redraws the bar line. The estimate assumes the remaining
// images take as long, on average, as the finished ones did.
func (p *progress) drawBar() {
	const width = 24
	filled := 0
	if p.total > 0 {
		filled = width * p.done / p.total
	}
	bar := strings.Repeat("#", filled) + strings.Repeat("-", width-filled)
	eta := "ETA --:--"
	if p.done > 0 && p.done < p.total {
		left := time.Since(p.started) / time.Duration(p.done) * time.Duration(p.total-p.done)
		eta = fmt.Sprintf("ETA %d:%02d", int(left.Minutes()), int(left.Seconds())%60)
	} else if p.done == p.total {
		eta = "done"
	}
	fmt.Fprintf(p.w, "\r\033[K[%s] %d/%d  graded %d, reused %d, missing %d, errors %d  %s",
		bar, p.done, p.total, p.counts[string(Graded)], p.counts["reused"],
		p.counts[string(Missing)], p.counts[string(Error)], eta)
}
