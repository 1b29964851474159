package check

import (
	"context"
	"errors"
	"strings"

	"github.com/imagelab/imagelab/internal/engine"
	"github.com/imagelab/imagelab/internal/i18n"
)

var errNoProcess = errors.New("the container has no running process")

// startFailed records an error from Target.start. When the daemon cannot
// start the container because its USER does not exist in the image, that
// is the non-root check's failure, so the other checks skip. Any other
// start failure fails the check that needed the container, and an error
// caused by the run's deadline is an error of the check.
func startFailed(r *Result, err error) {
	var se *engine.StartError
	if !errors.As(err, &se) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		r.fail(err)
		return
	}
	r.Add("start_error", "%s", shorten(se.Err.Error(), 300))
	msg := se.Err.Error()
	if strings.Contains(msg, "unable to find user") || strings.Contains(msg, "unable to find group") ||
		strings.Contains(msg, "no matching entries in") {
		// A verdict of the static part, such as a missing probe program,
		// is kept. Only a check with nothing against it yet skips.
		if r.ID != "non-root" && r.Status == Pass {
			r.set(Skip, i18n.T("not run: the container cannot start because its USER does not exist in the image (see non-root)"), i18n.Text{})
		}
		return
	}
	r.set(Fail, i18n.T("the container cannot start: %s", shorten(msg, 200)),
		i18n.T("run the image by hand with docker run and fix the error the daemon reports"))
}
