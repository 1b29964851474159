package image_test

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imagelab/imagelab/internal/testenv"
)

const (
	flaskTag      = "imagelab-test/rocket-flask:latest"
	flaskVersion  = "9.9.9-test"
	flaskRevision = "0123456789abcdef"
)

// flaskImage builds examples/flask with the local bases, the lab values of
// testenv and test VERSION and REVISION values, and returns the image ID.
// Docker's layer cache makes every build after the first take about a
// second.
func flaskImage(t *testing.T) string {
	t.Helper()
	return testenv.BuildImage(t, testenv.Build{
		Context: filepath.Join(testenv.RepoRoot(t), "examples/flask"),
		Tag:     flaskTag,
		Args:    map[string]string{"VERSION": flaskVersion, "REVISION": flaskRevision},
	})
}

// flaskResponse is an HTTP response with its body read.
type flaskResponse struct {
	status int
	header http.Header
	body   string
}

// flaskRequest sends one request on a new connection and reads the whole
// response.
func flaskRequest(method, url string, timeout time.Duration) (flaskResponse, error) {
	client := &http.Client{
		Timeout:   timeout,
		Transport: &http.Transport{DisableKeepAlives: true},
	}
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		return flaskResponse{}, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return flaskResponse{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return flaskResponse{}, fmt.Errorf("reading the body of %s %s: %w", method, url, err)
	}
	return flaskResponse{status: resp.StatusCode, header: resp.Header, body: string(body)}, nil
}

// flaskLines splits s into its non-empty lines.
func flaskLines(s string) []string {
	var lines []string
	scanner := bufio.NewScanner(strings.NewReader(s))
	scanner.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for scanner.Scan() {
		if line := strings.TrimSpace(scanner.Text()); line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}
