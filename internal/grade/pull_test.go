package grade

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/image"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/daemon"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/imagelab/imagelab/internal/engine"
	"github.com/imagelab/imagelab/internal/lab"
	"github.com/imagelab/imagelab/internal/lab/roster"
	"github.com/imagelab/imagelab/internal/testenv"
)

// TestGradePullFromLoopbackRegistry pushes a student's image to a registry
// on 127.0.0.1, which the daemon is missing, and grades it with a pull.
func TestGradePullFromLoopbackRegistry(t *testing.T) {
	eng := openEngine(t)
	cli := testenv.Docker(t)
	login := "iltest-pulled"
	token := fleetSecret.Token(login)
	local := "imagelab-test/iltest-pulled:latest"
	testenv.BuildImage(t, testenv.Build{
		Context: filepath.Join(testenv.RepoRoot(t), "testdata", "zoo"), Dockerfile: "good/Dockerfile",
		Tag: local, Args: map[string]string{"LAB_LOGIN": login, "LAB_TOKEN": token},
	})

	reg := httptest.NewServer(registry.New())
	defer reg.Close()
	remoteRef := strings.TrimPrefix(reg.URL, "http://") + "/" + login + "/image-lab:" + lab.Tag(token)
	pushToRegistry(t, local, remoteRef)
	t.Cleanup(func() {
		cli.ImageRemove(context.Background(), remoteRef, image.RemoveOptions{Force: true})
	})
	if _, err := cli.ImageInspect(context.Background(), remoteRef); err == nil {
		t.Fatalf("the daemon already has %s, so the pull would prove nothing", remoteRef)
	}

	r := gradeWithPull(t, eng, login, remoteRef)
	if r == nil || r.Outcome != Graded {
		t.Fatalf("result = %+v, want graded", r)
	}
	if r.Total != DefaultPoints().Max() {
		t.Errorf("total = %v, want the full %v points; result %+v", r.Total, DefaultPoints().Max(), r)
	}
}

// pushToRegistry copies the daemon's image local to ref in a registry.
func pushToRegistry(t *testing.T, local, ref string) {
	t.Helper()
	src, err := name.ParseReference(local)
	if err != nil {
		t.Fatal(err)
	}
	img, err := daemon.Image(src)
	if err != nil {
		t.Fatalf("reading %s from the daemon: %v", local, err)
	}
	dst, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(dst, img); err != nil {
		t.Fatalf("pushing %s: %v", ref, err)
	}
}

// gradeWithPull grades one student whose image ref is pulled first, and
// returns the student's result.
func gradeWithPull(t *testing.T, eng *engine.Engine, login, ref string) *Result {
	t.Helper()
	ros, err := roster.Parse(strings.NewReader("login,image\n"+login+","+ref+"\n"), "pull.csv")
	if err != nil {
		t.Fatal(err)
	}
	puller, err := NewPuller()
	if err != nil {
		t.Fatal(err)
	}
	defer puller.Close()
	opt := fleetOptions(ros, t.TempDir(), 1)
	opt.Pull = puller.Pull

	sum, err := Run(context.Background(), eng, opt)
	if err != nil {
		t.Fatal(err)
	}
	return sum.Results[login]
}
