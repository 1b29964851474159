package grade

import (
	"context"
	"fmt"
	"io"

	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/jsonmessage"
)

// Puller pulls images through the daemon that DOCKER_HOST names, with the
// daemon's own registry settings and credentials.
type Puller struct {
	cli *client.Client
}

// NewPuller connects to the daemon. Close the Puller when done.
func NewPuller() (*Puller, error) {
	cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, fmt.Errorf("connecting to the Docker daemon for pulls: %w", err)
	}
	return &Puller{cli: cli}, nil
}

// Pull pulls ref and waits until the daemon has it. Errors that the
// daemon reports in the middle of the progress stream are returned too.
func (p *Puller) Pull(ctx context.Context, ref string) error {
	body, err := p.cli.ImagePull(ctx, ref, image.PullOptions{})
	if err != nil {
		return fmt.Errorf("pulling image %q: %w", ref, err)
	}
	defer body.Close()
	if err := jsonmessage.DisplayJSONMessagesStream(body, io.Discard, 0, false, nil); err != nil {
		return fmt.Errorf("pulling image %q: %w", ref, err)
	}
	return nil
}

// Close releases the client's connections.
func (p *Puller) Close() error { return p.cli.Close() }
