package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/imagelab/imagelab/internal/check"
)

// liveLine shows, on a terminal, one line that names the checks still
// running. It is off when the output is not a terminal.
type liveLine struct {
	w       io.Writer
	enabled bool

	mu      sync.Mutex
	running map[string]time.Time
	done    int
	start   time.Time
	stop    chan struct{}
}

// newLiveLine starts the display when wanted and w is a terminal. It
// redraws every 200 ms, so the elapsed time moves while a long check
// runs, until clear is called.
func newLiveLine(w io.Writer, wanted bool) *liveLine {
	l := &liveLine{w: w, enabled: wanted && isTerminal(w), running: map[string]time.Time{}, start: time.Now(), stop: make(chan struct{})}
	if l.enabled {
		go l.tick()
	}
	return l
}

func (l *liveLine) tick() {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			l.mu.Lock()
			l.render()
			l.mu.Unlock()
		}
	}
}

// Started implements check.Observer.
func (l *liveLine) Started(c check.Check) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.running[c.ID] = time.Now()
	l.render()
}

// Finished implements check.Observer.
func (l *liveLine) Finished(r check.Result) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.running, r.ID)
	l.done++
	l.render()
}

func (l *liveLine) render() {
	if !l.enabled {
		return
	}
	ids := make([]string, 0, len(l.running))
	for id := range l.running {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	fmt.Fprintf(l.w, "\r\033[K%d done, running: %s (%.1fs)", l.done, strings.Join(ids, ", "), time.Since(l.start).Seconds())
}

func (l *liveLine) clear() {
	if !l.enabled {
		return
	}
	close(l.stop)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.enabled = false
	fmt.Fprint(l.w, "\r\033[K")
}
