package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"

	"github.com/imagelab/imagelab/internal/i18n"
)

// ImageNotFoundError reports that the daemon has no image by that name.
type ImageNotFoundError struct {
	Ref string
}

func (e *ImageNotFoundError) Error() string { return e.text().String() }

// Localize implements i18n.Localizer.
func (e *ImageNotFoundError) Localize(l i18n.Lang) string { return l.Format(e.text()) }

func (e *ImageNotFoundError) text() i18n.Text {
	return i18n.T("image %q not found on the daemon: build it (docker build -t %s .) or pull it first, and check the name with 'docker images'", e.Ref, e.Ref)
}

// Image is the daemon's record of one image: its configuration and history.
type Image struct {
	// Ref is the name, tag or ID the user gave.
	Ref     string
	Inspect image.InspectResponse
	// History lists the image's history entries, newest first, as
	// `docker history` shows them.
	History []image.HistoryResponseItem
}

// ID returns the image's content-addressed ID (sha256:...).
func (i *Image) ID() string { return i.Inspect.ID }

// Image reads the configuration and history of the local image ref.
func (e *Engine) Image(ctx context.Context, ref string) (*Image, error) {
	inspect, err := e.cli.ImageInspect(ctx, ref)
	if err != nil {
		if client.IsErrNotFound(err) {
			return nil, &ImageNotFoundError{Ref: ref}
		}
		return nil, fmt.Errorf("inspecting image %q: %w", ref, err)
	}
	if inspect.Config == nil {
		return nil, fmt.Errorf("inspecting image %q: the daemon returned no configuration", ref)
	}
	history, err := e.cli.ImageHistory(ctx, inspect.ID)
	if err != nil {
		return nil, fmt.Errorf("reading the history of image %q: %w", ref, err)
	}
	return &Image{Ref: ref, Inspect: inspect, History: history}, nil
}

// IsImageNotFound reports whether err reports a missing image.
func IsImageNotFound(err error) bool {
	var nf *ImageNotFoundError
	return errors.As(err, &nf)
}
