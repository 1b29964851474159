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
}

func newLiveLine(w io.Writer, wanted bool) *liveLine {
	return &liveLine{w: w, enabled: wanted && isTerminal(w), running: map[string]time.Time{}, start: time.Now()}
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
	if l.enabled {
		fmt.Fprint(l.w, "\r\033[K")
	}
}
