package check

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/imagelab/imagelab/internal/dockerfile"
	"github.com/imagelab/imagelab/internal/engine"
	"github.com/imagelab/imagelab/internal/policy"
)

// fakeTarget returns a static target for an image with cfg, whose checks
// need no engine.
func fakeTarget(cfg ocispec.ImageConfig, size int64, history ...image.HistoryResponseItem) *Target {
	inspect := image.InspectResponse{ID: "sha256:0123456789abcdef", Size: size,
		Config: &dockerspec.DockerOCIImageConfig{ImageConfig: cfg}}
	return &Target{Image: &engine.Image{Ref: "test:latest", Inspect: inspect, History: history},
		Policy: policy.Default(), Static: true}
}

func run(t *testing.T, fn func(context.Context, *Target, *Result), target *Target) Result {
	t.Helper()
	r := Result{ID: "test", Status: Pass}
	fn(context.Background(), target, &r)
	return r
}

func TestJudgeStop(t *testing.T) {
	grace := 10 * time.Second
	tests := []struct {
		name   string
		code   int
		took   time.Duration
		pid1   string
		want   Status
		inText string
	}{
		{"clean", 0, 150 * time.Millisecond, "/rocket", Pass, "status 0"},
		{"default action", 143, 20 * time.Millisecond, "/app", Warn, "143"},
		{"killed after grace", 137, 10200 * time.Millisecond, "python3 app.py", Fail, "ignored SIGTERM"},
		{"shell as PID 1", 137, 10200 * time.Millisecond, "/bin/sh -c /app", Fail, "shell"},
		{"fast but status 2", 2, 180 * time.Millisecond, "/rocket", Fail, "not a clean one"},
		{"status 0 after grace", 0, 11 * time.Second, "/app", Fail, "only after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Result
			judgeStop(&r, tt.code, tt.took, grace, "SIGTERM", tt.pid1)
			if r.Status != tt.want {
				t.Errorf("status = %s, want %s", r.Status, tt.want)
			}
			if !strings.Contains(r.Summary.String(), tt.inText) {
				t.Errorf("summary %q does not contain %q", r.Summary, tt.inText)
			}
			if tt.want != Pass && r.Fix.IsZero() {
				t.Error("no fix for a check that does not pass")
			}
		})
	}
}

func TestJudgeEnv(t *testing.T) {
	ok := func(body string) httpResult { return httpResult{Code: 200, Body: body} }
	tests := []struct {
		name   string
		bodies []httpResult
		want   Status
	}{
		{"reflects both", []httpResult{ok(`{"size":"Small"}`), ok(`{"size":"Large"}`), ok(`{"size":"Medium"}`)}, Pass},
		{"lower case", []httpResult{ok(`{"size":"small"}`), ok(`{"size":"large"}`), ok("")}, Pass},
		{"ignored", []httpResult{ok(`{"size":"Medium"}`), ok(`{"size":"Medium"}`), ok("")}, Fail},
		{"differs without the value", []httpResult{ok(`{"n":1}`), ok(`{"n":2}`), ok("")}, Fail},
		{"no answer", []httpResult{{Err: "connection refused"}, ok("Large"), ok("")}, Fail},
		{"server error", []httpResult{{Code: 500, Body: "Small"}, ok("Large"), ok("")}, Fail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Result
			judgeEnv(&r, "ROCKET_SIZE", [2]string{"Small", "Large"}, tt.bodies)
			if r.Status != tt.want {
				t.Errorf("status = %s (%s), want %s", r.Status, r.Summary, tt.want)
			}
		})
	}
}

func TestReflectsJSONEscapedValue(t *testing.T) {
	if !reflects(`{"size":"a\u003cb"}`, "a<b") {
		t.Error(`reflects did not find "a<b" in its JSON-escaped form`)
	}
}

func TestSize(t *testing.T) {
	history := []image.HistoryResponseItem{
		{Size: 5_000_000, CreatedBy: "/bin/sh -c #(nop) COPY file:abc in /rocket"},
		{Size: 0, CreatedBy: "/bin/sh -c #(nop)  USER 65532:65532"},
		{Size: 200_000_000, Comment: "Imported from -"},
	}
	target := fakeTarget(ocispec.ImageConfig{}, 205_000_000, history...)
	r := run(t, checkSize, target)
	if r.Status != Fail {
		t.Errorf("205 MB against 150 MB: status %s, want fail", r.Status)
	}
	if got := r.Get("layer_1"); !strings.Contains(got, "200.0 MB") || !strings.Contains(got, "Imported") {
		t.Errorf("largest layer = %q, want the 200 MB imported layer", got)
	}
	if r.Get("layer_3") != "" {
		t.Errorf("an empty layer was listed: %q", r.Get("layer_3"))
	}
	target.Policy.MaxSize = 300_000_000
	if r := run(t, checkSize, target); r.Status != Pass {
		t.Errorf("205 MB against 300 MB: status %s, want pass", r.Status)
	}
}

func TestUserConfigWithoutFiles(t *testing.T) {
	tests := []struct {
		user string
		want Status
	}{
		{"", Fail},
		{"root", Fail},
		{"0", Fail},
		{"0:1000", Fail},
		{"65532:65532", Pass},
		{"10001", Pass},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			target := fakeTarget(ocispec.ImageConfig{User: tt.user}, 1)
			r := run(t, checkNonRoot, target)
			if r.Status != tt.want {
				t.Errorf("USER %q: status %s (%s), want %s", tt.user, r.Status, r.Summary, tt.want)
			}
		})
	}
}

func TestLabels(t *testing.T) {
	tests := []struct {
		name   string
		labels map[string]string
		login  string
		want   Status
		inText string
	}{
		{"present", map[string]string{"org.lab.login": "s42", "org.lab.token": "t"}, "", Pass, "present"},
		{"missing", map[string]string{"org.lab.login": "s42"}, "", Fail, "missing"},
		{"empty", map[string]string{"org.lab.login": "", "org.lab.token": "t"}, "", Fail, "empty"},
		{"wrong value", map[string]string{"org.lab.login": "s41", "org.lab.token": "t"}, "s42", Fail, "expected"},
		{"required value", map[string]string{"org.lab.login": "s42", "org.lab.token": "t"}, "s42", Pass, "present"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := fakeTarget(ocispec.ImageConfig{Labels: tt.labels}, 1)
			if tt.login != "" {
				target.Policy.RequireLabel(policy.LoginLabel, tt.login)
			}
			r := run(t, checkLabels, target)
			if r.Status != tt.want || !strings.Contains(r.Summary.String(), tt.inText) {
				t.Errorf("status %s (%s), want %s mentioning %q", r.Status, r.Summary, tt.want, tt.inText)
			}
		})
	}
}

func TestHistoryArgs(t *testing.T) {
	leaky := image.HistoryResponseItem{CreatedBy: "|2 LAB_LOGIN=student42 LAB_TOKEN=tok-0042 /bin/sh -c useradd app"}
	clean := image.HistoryResponseItem{CreatedBy: "/bin/sh -c #(nop)  LABEL org.lab.token=tok-0042"}
	r := run(t, checkHistoryArgs, fakeTarget(ocispec.ImageConfig{}, 1, clean, leaky))
	if r.Status != Warn || r.Get("args") != "LAB_LOGIN, LAB_TOKEN" {
		t.Errorf("status %s, args %q; want warn naming LAB_LOGIN, LAB_TOKEN", r.Status, r.Get("args"))
	}
	if r := run(t, checkHistoryArgs, fakeTarget(ocispec.ImageConfig{}, 1, clean)); r.Status != Pass {
		t.Errorf("a LABEL line alone: status %s, want pass", r.Status)
	}
}

func TestSecretEnv(t *testing.T) {
	cfg := ocispec.ImageConfig{Env: []string{"PATH=/bin", "API_KEY=abc", "DB_PASSWORD=", "GITHUB_TOKEN=x"}}
	r := run(t, checkSecretEnv, fakeTarget(cfg, 1))
	if r.Status != Warn || r.Get("names") != "API_KEY, GITHUB_TOKEN" {
		t.Errorf("status %s, names %q; want warn naming API_KEY, GITHUB_TOKEN (an empty value is no secret)", r.Status, r.Get("names"))
	}
	if strings.Contains(r.Summary.String(), "abc") {
		t.Errorf("summary %q shows a secret value", r.Summary)
	}
}

func TestMultiStage(t *testing.T) {
	parse := func(src string) *dockerfile.File {
		f, err := dockerfile.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		f.Path = "Dockerfile"
		return f
	}
	tests := []struct {
		name string
		df   *dockerfile.File
		want Status
	}{
		{"no Dockerfile", nil, Skip},
		{"single stage", parse("FROM golang\nRUN go build\n"), Fail},
		{"no copy from a stage", parse("FROM golang AS build\nRUN go build\nFROM scratch\nCOPY app /app\n"), Fail},
		{"copies from build", parse("FROM golang AS build\nRUN go build\nFROM scratch\nCOPY --from=build /app /app\n"), Pass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := fakeTarget(ocispec.ImageConfig{}, 1)
			target.Dockerfile = tt.df
			if r := run(t, checkMultiStage, target); r.Status != tt.want {
				t.Errorf("status %s (%s), want %s", r.Status, r.Summary, tt.want)
			}
		})
	}
}

func TestHealthPath(t *testing.T) {
	tests := []struct {
		name string
		test []string
		want Status
	}{
		{"exact", []string{"CMD", "/app", "healthcheck", "http://127.0.0.1:8080/health"}, Pass},
		{"trailing slash", []string{"CMD-SHELL", "curl -f http://localhost:8080/health/ || exit 1"}, Pass},
		{"other path", []string{"CMD", "/app", "healthcheck", "http://127.0.0.1:8080/healthz"}, Fail},
		{"root only", []string{"CMD-SHELL", "wget -qO- http://127.0.0.1:8080 || exit 1"}, Fail},
		{"no URL", []string{"CMD", "/rocket", "-healthcheck"}, Pass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Result{Status: Pass}
			checkHealthPath(fakeTarget(ocispec.ImageConfig{}, 1), &r, tt.test)
			if r.Status != tt.want {
				t.Errorf("status %s (%s), want %s", r.Status, r.Summary, tt.want)
			}
		})
	}
}

func TestHealthcheckMissingOrNone(t *testing.T) {
	for name, hc := range map[string]*container.HealthConfig{
		"missing": nil,
		"NONE":    {Test: []string{"NONE"}},
	} {
		t.Run(name, func(t *testing.T) {
			target := fakeTarget(ocispec.ImageConfig{}, 1)
			target.Image.Inspect.Config.Healthcheck = hc
			if r := run(t, checkHealth, target); r.Status != Fail {
				t.Errorf("status %s, want fail", r.Status)
			}
		})
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		name     string
		statuses []Status
		required []bool
		want     int
	}{
		{"all pass", []Status{Pass, Skip}, []bool{true, true}, ExitPass},
		{"warnings only", []Status{Pass, Warn}, []bool{true, true}, ExitPass},
		{"advice fails", []Status{Pass, Fail}, []bool{true, false}, ExitPass},
		{"required fails", []Status{Fail, Pass}, []bool{true, true}, ExitFail},
		{"error wins", []Status{Fail, Error}, []bool{true, true}, ExitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rep Report
			for i, s := range tt.statuses {
				rep.Results = append(rep.Results, Result{Status: s, Required: tt.required[i]})
			}
			if got := rep.ExitCode(); got != tt.want {
				t.Errorf("ExitCode() = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestProblemLines(t *testing.T) {
	logs := []string{"starting", "OSError: [Errno 30] Read-only file system: '/tmp/.cache'", "worker exiting", "Traceback (most recent call last):"}
	got := problemLines(logs, 3)
	if len(got) != 2 || !strings.Contains(got[0], "Errno 30") {
		t.Errorf("problemLines = %q, want the errno line and the traceback", got)
	}
	if got := problemLines([]string{"a", "b", "c", "d"}, 2); len(got) != 2 || got[1] != "d" {
		t.Errorf("without errors problemLines = %q, want the last two lines", got)
	}
}

func TestProbeCanFail(t *testing.T) {
	tests := []struct {
		name string
		test []string
		want Status
	}{
		{"curl without --fail", []string{"CMD-SHELL", "curl -s http://127.0.0.1:8080/health || exit 1"}, Fail},
		{"curl -fsS", []string{"CMD-SHELL", "curl -fsS http://127.0.0.1:8080/health || exit 1"}, Pass},
		{"curl --fail exec form", []string{"CMD", "curl", "--fail", "http://127.0.0.1:8080/health"}, Pass},
		{"curl by path", []string{"CMD", "/usr/bin/curl", "-s", "http://127.0.0.1:8080/health"}, Fail},
		{"swallowed failure", []string{"CMD-SHELL", "wget -qO- http://127.0.0.1:8080/health || true"}, Fail},
		{"exit 0 tail", []string{"CMD-SHELL", "wget -qO- http://127.0.0.1:8080/health; exit 0"}, Fail},
		{"own binary", []string{"CMD", "/rocket", "healthcheck"}, Pass},
		{"curl in a URL path", []string{"CMD", "/app", "healthcheck", "http://127.0.0.1:8080/curl"}, Pass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Result{Status: Pass}
			checkProbeCanFail(&r, tt.test, "/health")
			if r.Status != tt.want {
				t.Errorf("status %s (%s), want %s", r.Status, r.Summary, tt.want)
			}
		})
	}
}

// Werkzeug names 127.0.0.1 in its log even when it listens on 0.0.0.0:
// only a container that never answered on its published port warns.
func TestListenAddress(t *testing.T) {
	werkzeug := []string{" * Running on all addresses (0.0.0.0)", " * Running on http://127.0.0.1:8080", " * Running on http://172.17.0.3:8080"}
	loopback := []string{"WARNING: This is a development server.", " * Running on http://127.0.0.1:8080"}
	tests := []struct {
		name string
		obs  observation
		want Status
	}{
		{"answered from the host", observation{logs: werkzeug}, Pass},
		{"loopback log, no answer", observation{logs: loopback, hostErr: "connection reset by peer"}, Warn},
		{"healthy inside, no answer", observation{healthyInside: true, hostErr: "EOF"}, Warn},
		{"crashed before answering", observation{logs: []string{"panic"}, hostErr: "connection refused", exited: true}, Skip},
		{"ran without answering", observation{hostErr: "connection reset by peer"}, Warn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := fakeTarget(ocispec.ImageConfig{}, 1)
			target.observe(tt.obs)
			if r := run(t, checkListenAddress, target); r.Status != tt.want {
				t.Errorf("status %s (%s), want %s", r.Status, r.Summary, tt.want)
			}
		})
	}
}

func TestDevServer(t *testing.T) {
	if r := run(t, checkDevServer, fakeTarget(ocispec.ImageConfig{}, 1)); r.Status != Skip {
		t.Errorf("no container ran: status %s, want skip", r.Status)
	}
	target := fakeTarget(ocispec.ImageConfig{}, 1)
	target.observe(observation{logs: []string{"WARNING: This is a development server. Do not use it in a production deployment."}})
	if r := run(t, checkDevServer, target); r.Status != Warn || !strings.Contains(r.Get("log_line"), "development server") {
		t.Errorf("status %s, log line %q; want warn quoting Werkzeug's warning", r.Status, r.Get("log_line"))
	}
	gunicorn := fakeTarget(ocispec.ImageConfig{}, 1)
	gunicorn.observe(observation{logs: []string{"[INFO] Listening at: http://0.0.0.0:8080 (1)"}})
	if r := run(t, checkDevServer, gunicorn); r.Status != Pass {
		t.Errorf("gunicorn's log: status %s, want pass", r.Status)
	}
}

func TestResolvePort(t *testing.T) {
	ports := func(p ...string) map[string]struct{} {
		m := map[string]struct{}{}
		for _, x := range p {
			m[x] = struct{}{}
		}
		return m
	}
	tests := []struct {
		name    string
		exposed map[string]struct{}
		flag    string
		want    string
		wantErr string
	}{
		{"one EXPOSE", ports("8080/tcp"), "", "8080/tcp", ""},
		{"none: the lab's port", ports(), "", "8080/tcp", ""},
		{"several without --port", ports("8080/tcp", "9090/tcp"), "", "", "--port"},
		{"several with --port", ports("8080/tcp", "9090/tcp"), "9090/tcp", "9090/tcp", ""},
		{"udp is not HTTP", ports("53/udp", "8080/tcp"), "", "8080/tcp", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := fakeTarget(ocispec.ImageConfig{ExposedPorts: tt.exposed}, 1).Image
			pol := policy.Default()
			pol.Port = tt.flag
			target, err := NewTarget(nil, img, pol, nil, false)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one mentioning %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if target.Port != tt.want {
				t.Errorf("port = %s, want %s", target.Port, tt.want)
			}
		})
	}
}
