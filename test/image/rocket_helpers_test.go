package image_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/client"

	"github.com/imagelab/imagelab/internal/testenv"
)

const rocketTag = "imagelab-test/rocket:latest"

// rocketImage builds the root Dockerfile with the local bases and the lab
// values of testenv and returns the client and the image ID.
func rocketImage(t *testing.T) (*client.Client, string) {
	t.Helper()
	cli := testenv.Docker(t)
	id := testenv.BuildImage(t, testenv.Build{Context: testenv.RepoRoot(t), Tag: rocketTag})
	return cli, id
}

// rocketGet sends GET url and returns the status and body.
func rocketGet(url string) (int, string, error) {
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// rocketGetJSON sends GET url, checks for 200 and decodes the JSON body.
func rocketGetJSON(t *testing.T, url string) map[string]string {
	t.Helper()
	status, body, err := rocketGet(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	if status != http.StatusOK {
		t.Fatalf("GET %s: got status %d, want 200 (body %q)", url, status, body)
	}
	var doc map[string]string
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("GET %s: body %q is not a JSON object of strings: %v", url, body, err)
	}
	return doc
}

// rocketIsRunStep reports whether a history entry comes from a RUN step.
// The classic builder marks every other instruction "#(nop)", and BuildKit
// starts RUN entries with "RUN ".
func rocketIsRunStep(createdBy string) bool {
	if strings.HasPrefix(createdBy, "RUN ") {
		return true
	}
	return createdBy != "" && !strings.Contains(createdBy, "#(nop)")
}
