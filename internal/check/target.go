package check

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/imagelab/imagelab/internal/dockerfile"
	"github.com/imagelab/imagelab/internal/engine"
	"github.com/imagelab/imagelab/internal/policy"
)

// Target is the state that the checks of one run share: the image, the
// policy, the Dockerfile when one was given, and the dynamic checks'
// observations.
type Target struct {
	Engine     *engine.Engine
	Image      *engine.Image
	Policy     policy.Policy
	Dockerfile *dockerfile.File
	// Static limits the run to checks that start no container.
	Static bool

	// Port is the container port that the service listens on.
	Port string
	// PortNote explains where Port came from.
	PortNote string

	filesOnce sync.Once
	files     *engine.Files
	filesErr  error

	mu       sync.Mutex
	observed []observation
}

// observation is one dynamic check's record of a container, for the
// production warnings that read logs and reachability after the run.
type observation struct {
	check string
	logs  []string
	// hostErr is the last error of the host probe while the container
	// ran, when it never responded to the host.
	hostErr string
	// healthyInside is set when Docker reported the container healthy.
	healthyInside bool
	// exited is set when the container stopped before it responded.
	exited bool
}

// NewTarget resolves the service port and prepares a run. It fails when
// the port cannot be chosen without the user's help.
func NewTarget(e *engine.Engine, img *engine.Image, p policy.Policy, df *dockerfile.File, static bool) (*Target, error) {
	t := &Target{Engine: e, Image: img, Policy: p, Dockerfile: df, Static: static}
	if err := t.resolvePort(); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *Target) resolvePort() error {
	if t.Policy.Port != "" {
		t.Port, t.PortNote = t.Policy.Port, "set by --port or the policy"
		return nil
	}
	var tcp []string
	for p := range t.Image.Inspect.Config.ExposedPorts {
		if strings.HasSuffix(p, "/tcp") || !strings.Contains(p, "/") {
			tcp = append(tcp, p)
		}
	}
	sort.Strings(tcp)
	switch len(tcp) {
	case 0:
		t.Port, t.PortNote = "8080/tcp", "the image EXPOSEs no port; assumed 8080, the lab's port"
	case 1:
		t.Port, t.PortNote = tcp[0], "from EXPOSE"
	default:
		if t.Static {
			t.Port, t.PortNote = tcp[0], "from EXPOSE"
			return nil
		}
		return fmt.Errorf("image %s exposes several ports (%s): choose the HTTP port with --port", t.Image.Ref, strings.Join(tcp, ", "))
	}
	return nil
}

// Files returns a reader of the image's filesystem, made on first use and
// shared by the checks of this run.
func (t *Target) Files(ctx context.Context) (*engine.Files, error) {
	t.filesOnce.Do(func() {
		t.files, t.filesErr = t.Engine.OpenFiles(ctx, t.Image.ID())
	})
	return t.files, t.filesErr
}

// Close removes the container behind Files.
func (t *Target) Close() error {
	if t.files != nil {
		return t.files.Close()
	}
	return nil
}

func (t *Target) observe(o observation) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.observed = append(t.observed, o)
}

func (t *Target) observations() []observation {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]observation(nil), t.observed...)
}

// env returns the image's value of the environment variable name.
func (t *Target) env(name string) string {
	for _, kv := range t.Image.Inspect.Config.Env {
		if k, v, _ := strings.Cut(kv, "="); k == name {
			return v
		}
	}
	return ""
}
