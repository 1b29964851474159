package engine

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"path"
	"strings"
)

// Files reads an image's filesystem through a container that is created
// but never started, so nothing in the image runs.
type Files struct {
	c *Container
}

// maxFileRead bounds ReadFile: the files read are small text files such as
// /etc/passwd.
const maxFileRead = 1 << 20

// OpenFiles creates a stopped container of the image to read files from.
// Close removes it.
func (e *Engine) OpenFiles(ctx context.Context, imageID string) (*Files, error) {
	c, err := e.Run(ctx, RunSpec{Purpose: "files", Image: imageID, Create: true})
	if err != nil {
		return nil, err
	}
	return &Files{c: c}, nil
}

// Close removes the container behind f.
func (f *Files) Close() error { return f.c.Remove() }

// Exists reports whether path names a file, folder or link in the image.
func (f *Files) Exists(ctx context.Context, p string) (bool, error) {
	_, err := f.c.e.cli.ContainerStatPath(ctx, f.c.ID, p)
	if err == nil {
		return true, nil
	}
	if isNotFound(err) {
		return false, nil
	}
	return false, fmt.Errorf("looking for %s in the image: %w", p, err)
}

// ReadFile returns the content of the regular file p, or ok=false when the
// image has no such file.
func (f *Files) ReadFile(ctx context.Context, p string) (data []byte, ok bool, err error) {
	rc, _, err := f.c.e.cli.CopyFromContainer(ctx, f.c.ID, p)
	if err != nil {
		if isNotFound(err) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("reading %s from the image: %w", p, err)
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("reading %s from the image: %w", p, err)
		}
		if hdr.Typeflag == tar.TypeReg {
			data, err := io.ReadAll(io.LimitReader(tr, maxFileRead))
			if err != nil {
				return nil, false, fmt.Errorf("reading %s from the image: %w", p, err)
			}
			return data, true, nil
		}
	}
}

// LookPath finds an executable as the container's runtime would: a name
// with a slash is taken as a path, others are searched in the image's
// PATH (pathEnv), or the default PATH when the image sets none. It returns
// "" when nothing is found.
func (f *Files) LookPath(ctx context.Context, name, pathEnv string) (string, error) {
	if strings.Contains(name, "/") {
		ok, err := f.Exists(ctx, name)
		if err != nil || !ok {
			return "", err
		}
		return name, nil
	}
	if pathEnv == "" {
		pathEnv = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	}
	for _, dir := range strings.Split(pathEnv, ":") {
		if dir == "" {
			continue
		}
		full := path.Join(dir, name)
		ok, err := f.Exists(ctx, full)
		if err != nil {
			return "", err
		}
		if ok {
			return full, nil
		}
	}
	return "", nil
}
