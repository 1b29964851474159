package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"

	"github.com/imagelab/imagelab/internal/engine"
	"github.com/imagelab/imagelab/internal/testenv"
	"github.com/imagelab/imagelab/internal/zoo"
)

// slowImage builds the zoo image that ignores SIGTERM: its sigterm check
// takes the whole stop grace, so a run of it can be interrupted midway.
func slowImage(t *testing.T) string {
	t.Helper()
	img, _ := zoo.Lookup("sigterm-ignored")
	testenv.BuildImage(t, testenv.Build{Context: zoo.Context(testenv.RepoRoot(t)), Dockerfile: img.Dockerfile, Tag: img.Tag()})
	return img.Tag()
}

// containersOf lists the containers that the imagelab process pid made.
func containersOf(t *testing.T, pid int) []container.Summary {
	t.Helper()
	host, _ := os.Hostname()
	list, err := testenv.Docker(t).ContainerList(context.Background(), container.ListOptions{
		All:     true,
		Filters: filters.NewArgs(filters.Arg("label", fmt.Sprintf("%s=%s/%d", engine.LabelOwner, host, pid))),
	})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// startCheck starts imagelab check in the background and waits until it
// has containers running.
func startCheck(t *testing.T, image string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(imagelab(t), "check", image)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	deadline := time.Now().Add(30 * time.Second)
	for len(containersOf(t, cmd.Process.Pid)) < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("imagelab started no containers within 30 s; stderr: %s", stderr.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	return cmd, &stderr
}

func exitCode(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return cmd.ProcessState.ExitCode()
	case <-time.After(60 * time.Second):
		t.Fatal("imagelab did not exit within 60 s")
		return -1
	}
}

func TestInterruptRemovesContainers(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd, stderr := startCheck(t, slowImage(t))
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			if code := exitCode(t, cmd); code != 130 {
				t.Errorf("exit status %d, want 130; stderr: %s", code, stderr)
			}
			if left := containersOf(t, cmd.Process.Pid); len(left) > 0 {
				t.Errorf("%d containers left behind after %s: %v", len(left), sig, left[0].Names)
			}
			if !strings.Contains(stderr.String(), "interrupted") {
				t.Errorf("stderr %q does not say the run was interrupted", stderr)
			}
		})
	}
}

// A run killed with SIGKILL cannot clean up; the next run removes what
// it left behind.
func TestNextRunSweepsKilledRun(t *testing.T) {
	image := slowImage(t)
	cmd, _ := startCheck(t, image)
	cmd.Process.Kill()
	exitCode(t, cmd)
	left := settledContainersOf(t, cmd.Process.Pid)
	if len(left) == 0 {
		t.Fatal("the killed run left no containers, so this test proves nothing")
	}

	res := runImagelab(t, nil, "check", "--static", image)
	if res.code != 0 {
		t.Errorf("static run: exit status %d, want 0; stderr: %s", res.code, res.stderr)
	}
	if after := containersOf(t, cmd.Process.Pid); len(after) > 0 {
		t.Errorf("%d of the killed run's containers are still there: %v; stderr: %s", len(after), after[0].Names, res.stderr)
	}
	if !strings.Contains(res.stderr, "left behind") {
		t.Errorf("stderr %q does not report the removed leftovers", res.stderr)
	}
}

func TestTimeoutRemovesContainers(t *testing.T) {
	image := slowImage(t)
	cmd := exec.Command(imagelab(t), "check", "--format", "json", "--timeout", "4s", image)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	code := exitCode(t, cmd)
	if code != 2 {
		t.Errorf("exit status %d, want 2 (a check could not finish)", code)
	}
	rep := parseReport(t, stdout.String())
	if got := rep.statuses()["sigterm"]; got != "error" {
		t.Errorf("sigterm: %s, want error (timed out)", got)
	}
	if left := containersOf(t, cmd.Process.Pid); len(left) > 0 {
		t.Errorf("%d containers left behind after the timeout", len(left))
	}
}

// settledContainersOf lists the containers of a killed process once their
// number stops changing: the daemon finishes requests that the process
// sent before it died, so containers can appear after its death.
func settledContainersOf(t *testing.T, pid int) []container.Summary {
	t.Helper()
	list := containersOf(t, pid)
	for range 20 {
		time.Sleep(time.Second)
		next := containersOf(t, pid)
		if len(next) == len(list) {
			return next
		}
		list = next
	}
	return list
}
