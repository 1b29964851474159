package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"
)

// Sweep removes the containers that earlier imagelab runs on this host left
// behind when they were killed: those whose owner process no longer runs.
// Containers of live imagelab processes, and of other hosts sharing the
// daemon, are left alone. It returns the names it removed.
//
// NOTE: the daemon completes a create request that a killed process had
// already sent. Such a container can appear after Sweep ran, and the next
// run removes it.
func (e *Engine) Sweep(ctx context.Context) ([]string, error) {
	list, err := e.cli.ContainerList(ctx, container.ListOptions{
		All: true, Filters: filters.NewArgs(filters.Arg("label", LabelCheck)),
	})
	if err != nil {
		return nil, fmt.Errorf("listing leftover imagelab containers: %w", err)
	}
	host, _ := os.Hostname()
	var removed []string
	var errs []error
	for _, s := range list {
		if !orphaned(s.Labels[LabelOwner], host) {
			continue
		}
		c := &Container{ID: s.ID, Name: strings.TrimPrefix(firstOr(s.Names, s.ID), "/"), e: e}
		if err := c.Remove(); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, c.Name)
	}
	return removed, errors.Join(errs...)
}

// orphaned reports whether owner ("host/pid") names a process of this host
// that no longer runs.
func orphaned(owner, host string) bool {
	h, p, ok := strings.Cut(owner, "/")
	if !ok || h != host {
		return false
	}
	pid, err := strconv.Atoi(p)
	if err != nil || pid <= 0 {
		return false
	}
	if pid == os.Getpid() {
		return false
	}
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

func firstOr(names []string, fallback string) string {
	if len(names) > 0 {
		return names[0]
	}
	return fallback
}

func isNotFound(err error) bool {
	return client.IsErrNotFound(err) || errdefs.IsNotFound(err)
}
