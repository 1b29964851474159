package policy

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"150MB", 150_000_000},
		{"6.5 MB", 6_500_000},
		{"1000000B", 1000000},
		{"150", 150_000_000},
		{"2GiB", 2 << 30},
		{"10kb", 10_000},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSize(tt.in)
			if err != nil {
				t.Fatalf("ParseSize(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseSize(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseSizeRejects(t *testing.T) {
	for _, in := range []string{"", "big", "-5MB", "0", "5TB", "1e3"} {
		t.Run(in, func(t *testing.T) {
			_, err := ParseSize(in)
			if err == nil {
				t.Fatalf("ParseSize(%q) gave no error", in)
			}
			if !strings.Contains(err.Error(), "150MB") {
				t.Errorf("error %q does not show an example of a valid size", err)
			}
		})
	}
}

func TestParsePort(t *testing.T) {
	got, err := ParsePort("8080")
	if err != nil || got != "8080/tcp" {
		t.Errorf("ParsePort(8080) = %q, %v; want 8080/tcp", got, err)
	}
	for _, bad := range []string{"0", "70000", "http", "53/udp"} {
		if _, err := ParsePort(bad); err == nil {
			t.Errorf("ParsePort(%q) gave no error", bad)
		}
	}
}

func TestParseEnv(t *testing.T) {
	got, err := ParseEnv("MODE=a,b")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "MODE" || got.Values != [2]string{"a", "b"} {
		t.Errorf("ParseEnv = %+v, want MODE with a and b", got)
	}
	for _, bad := range []string{"MODE", "MODE=a", "=a,b", "MODE=a,a", "MODE=,b"} {
		if _, err := ParseEnv(bad); err == nil {
			t.Errorf("ParseEnv(%q) gave no error", bad)
		}
	}
}

func TestRequireLabel(t *testing.T) {
	p := Default()
	p.RequireLabel(LoginLabel, "student42")
	p.RequireLabel("team", "")
	if p.Labels[0].Value != "student42" {
		t.Errorf("login rule value = %q, want student42", p.Labels[0].Value)
	}
	if len(p.Labels) != 3 || p.Labels[2].Key != "team" {
		t.Errorf("labels = %+v, want the two lab labels and team", p.Labels)
	}
}

func writePolicy(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "policy.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoad(t *testing.T) {
	path := writePolicy(t, `maxSize: 60MB
healthPath: /healthz
port: 9090
env: {name: MODE, values: [a, b]}
labels:
  team: ""
  owner: alice
stopTimeout: 3s
`)
	p, err := Load(path, Default())
	if err != nil {
		t.Fatal(err)
	}
	if p.MaxSize != 60_000_000 || p.HealthPath != "/healthz" || p.Port != "9090/tcp" {
		t.Errorf("got size %d, path %q, port %q", p.MaxSize, p.HealthPath, p.Port)
	}
	if p.Env.Name != "MODE" || p.StopTimeout != 3*time.Second {
		t.Errorf("got env %+v, stop timeout %s", p.Env, p.StopTimeout)
	}
	if len(p.Labels) != 2 || p.Labels[1] != (LabelRule{Key: "owner", Value: "alice"}) {
		t.Errorf("labels = %+v, want team and owner=alice", p.Labels)
	}
}

func TestLoadErrorsNameFileLineAndField(t *testing.T) {
	tests := []struct {
		name, text, field string
		line              int
	}{
		{"bad size", "healthPath: /h\nmaxSize: huge\n", "maxSize", 2},
		{"unknown field", "maxSize: 1MB\n\nmaxsize: 2MB\n", "maxsize", 3},
		{"bad duration", "stopTimeout: soon\n", "stopTimeout", 1},
		{"env with one value", "env: {name: A, values: [x]}\n", "env", 1},
		{"syntax", "maxSize: [1\n", "", 1},
		{"set twice", "maxSize: 1MB\nport: 80\nmaxSize: 2MB\n", "maxSize", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writePolicy(t, tt.text)
			_, err := Load(path, Default())
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("Load error = %v, want a *FileError", err)
			}
			if fe.Path != path || fe.Field != tt.field || fe.Line != tt.line {
				t.Errorf("got %s:%d field %q, want %s:%d field %q", fe.Path, fe.Line, fe.Field, path, tt.line, tt.field)
			}
		})
	}
}

func TestLoadEmptyFile(t *testing.T) {
	p, err := Load(writePolicy(t, "# nothing set yet\n"), Default())
	if err != nil {
		t.Fatalf("Load of an empty file: %v, want the base policy", err)
	}
	if p.MaxSize != Default().MaxSize {
		t.Errorf("max size = %d, want the default", p.MaxSize)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"), Default())
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Errorf("Load of a missing file: error %v, want one naming the file", err)
	}
}
