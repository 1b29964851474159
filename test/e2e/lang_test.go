package e2e

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/imagelab/imagelab/internal/testenv"
	"github.com/imagelab/imagelab/internal/zoo"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata with the current output")

// TestUpdateFlagOff fails every run with -update, so a run that rewrote
// the golden files cannot pass.
func TestUpdateFlagOff(t *testing.T) {
	if *update {
		t.Fatal("-update rewrote the golden files in testdata; review the diff and rerun without -update")
	}
}

// englishEnv makes a run's language English unless --lang says otherwise.
var englishEnv = []string{"LC_ALL=", "LC_MESSAGES=", "LANG=C.UTF-8"}

// russianEnv makes a run's language Russian unless --lang says otherwise.
var russianEnv = []string{"LC_ALL=", "LC_MESSAGES=", "LANG=ru_RU.UTF-8"}

// labelsEmpty builds the zoo image that fails only the labels check and
// returns its tag and the path of its Dockerfile.
func labelsEmpty(t *testing.T) (tag, dockerfile string) {
	t.Helper()
	img, ok := zoo.Lookup("labels-empty")
	if !ok {
		t.Fatal("the zoo has no labels-empty image")
	}
	ctx := zoo.Context(testenv.RepoRoot(t))
	testenv.BuildImage(t, testenv.Build{Context: ctx, Dockerfile: img.Dockerfile, Tag: img.Tag(), Args: img.Args})
	return img.Tag(), filepath.Join(ctx, filepath.FromSlash(img.Dockerfile))
}

// volatile lists what changes from run to run in a text report, with
// what it is replaced by.
var volatile = []struct {
	pattern *regexp.Regexp
	with    string
}{
	// The image ID after the image name, and digests in the history.
	{regexp.MustCompile(`^(imagelab check \S+) \([0-9a-f]{12}\)`), "$1 (<image id>)"},
	{regexp.MustCompile(`[0-9a-f]{64}`), "<digest>"},
	// Sizes depend on the Go toolchain of the base image.
	{regexp.MustCompile(`(size in bytes|размер в байтах): \d+`), "$1: <bytes>"},
	{regexp.MustCompile(`\b\d+\.\d MB\b`), "<size> MB"},
	// Measured times.
	{regexp.MustCompile(`\b\d+ (ms|мс)`), "<n> $1"},
	{regexp.MustCompile(`(stop time, ms|время остановки, мс): \d+`), "$1: <n>"},
	{regexp.MustCompile(`running [0-9.]+m?s after the start`), "running <duration> after the start"},
	{regexp.MustCompile(`(, in |время: )[0-9.]+m?s`), "$1<duration>"},
	{regexp.MustCompile(`time=\S+`), "time=<time>"},
	// Host ports that the daemon picks, and random container names.
	{regexp.MustCompile(`(127\.0\.0\.1|localhost):(3[2-9]\d{3}|[4-6]\d{4})\b`), "$1:<port>"},
	{regexp.MustCompile(`imagelab-[a-z-]+-[0-9a-f]{6,}`), "imagelab-<check>-<random>"},
}

func normalize(report, repoRoot string) string {
	report = strings.ReplaceAll(report, repoRoot, "<repo>")
	lines := strings.Split(report, "\n")
	for i, line := range lines {
		for _, v := range volatile {
			line = v.pattern.ReplaceAllString(line, v.with)
		}
		lines[i] = line
	}
	return strings.Join(lines, "\n")
}

// compareGolden compares got with testdata/name, or rewrites the file
// under -update.
func compareGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the golden file (rerun with -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("the report differs from %s (rerun with -update and review the diff):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestTextReportGolden(t *testing.T) {
	testenv.Docker(t)
	tag, dockerfile := labelsEmpty(t)
	root := testenv.RepoRoot(t)
	for _, lang := range []string{"ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			res := runImagelab(t, englishEnv, "check", "--lang", lang, "--format", "text", "--dockerfile", dockerfile, tag)
			if res.code != 1 {
				t.Errorf("exit status %d, want 1 (the labels check fails); stderr: %s", res.code, res.stderr)
			}
			compareGolden(t, "check."+lang+".golden", normalize(res.stdout, root))
		})
	}
}

func TestLanguageFromEnvironment(t *testing.T) {
	testenv.Docker(t)
	tag, _ := labelsEmpty(t)
	res := runImagelab(t, russianEnv, "check", "--static", tag)
	for _, want := range []string{"Размер образа", "ПРОВАЛ", "пустые метки: org.lab.login, org.lab.token", "Проверок: 13"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("the report under LANG=ru_RU.UTF-8 does not contain %q:\n%s", want, res.stdout)
		}
	}
	res = runImagelab(t, russianEnv, "check", "--lang", "en", "--static", tag)
	if !strings.Contains(res.stdout, "Image size") {
		t.Errorf("--lang en does not override LANG=ru_RU.UTF-8:\n%s", res.stdout)
	}
}

func TestUnsupportedLanguage(t *testing.T) {
	cases := []struct {
		env  []string
		want string
	}{
		{englishEnv, `imagelab: unsupported language "de": use en or ru`},
		{russianEnv, `imagelab: язык "de" не поддерживается: укажите en или ru`},
	}
	for _, c := range cases {
		res := runImagelab(t, c.env, "check", "--lang", "de", "any:image")
		if res.code != 2 {
			t.Errorf("exit status %d, want 2; stderr: %s", res.code, res.stderr)
		}
		if got := strings.TrimSpace(res.stderr); got != c.want {
			t.Errorf("stderr %q, want %q", got, c.want)
		}
	}
}

func TestUserErrorsInRussian(t *testing.T) {
	testenv.Docker(t)
	policyFile := filepath.Join(t.TempDir(), "policy.yaml")
	if err := os.WriteFile(policyFile, []byte("maxSize: 150MB\nmaxsize: 10MB\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"image not found", nil, []string{"check", "--lang", "ru", "imagelab-test/does-not-exist:1"},
			`образ "imagelab-test/does-not-exist:1" не найден в демоне Docker`},
		{"no daemon", []string{"DOCKER_HOST=unix:///nonexistent/docker.sock"}, []string{"check", "--lang=ru", "any:image"},
			"не удалось подключиться к демону Docker по адресу unix:///nonexistent/docker.sock"},
		{"bad max size", nil, []string{"check", "--lang", "ru", "--max-size", "huge", "x"},
			`--max-size: недопустимый размер "huge"`},
		{"bad port", nil, []string{"check", "--lang", "ru", "--port", "53/udp", "x"},
			`--port: недопустимый порт "53/udp": по HTTP можно проверить только tcp-порт`},
		{"bad env", nil, []string{"check", "--lang", "ru", "--env", "A=x,x", "x"},
			`недопустимое значение --env "A=x,x": два значения должны различаться`},
		{"bad label", nil, []string{"check", "--lang", "ru", "--label", "=v", "x"},
			`недопустимое значение --label "=v"`},
		{"bad health path", nil, []string{"check", "--lang", "ru", "--health-path", "health", "x"},
			`--health-path: недопустимый путь health "health"`},
		{"negative timeout", nil, []string{"check", "--lang", "ru", "--timeout", "-1s", "x"},
			"--stop-timeout и --timeout должны быть положительными"},
		{"bad duration", nil, []string{"check", "--lang", "ru", "--stop-timeout", "soon", "x"},
			`недопустимое значение "soon" флага "--stop-timeout"`},
		{"bad format", nil, []string{"check", "--lang", "ru", "--format", "yaml", "x"},
			`неизвестный формат "yaml": допустимы json, junit, markdown, sarif, text`},
		// The flag error stops cobra before it reads --lang, which comes
		// later: main finds --lang in the arguments itself.
		{"unknown flag before --lang", nil, []string{"check", "--colour", "x", "--lang", "ru"},
			"неизвестный флаг: --colour (см. 'imagelab check --help')"},
		{"no image argument", nil, []string{"check", "--lang", "ru"},
			"ожидается аргументов: 1, получено: 0"},
		{"policy file", nil, []string{"check", "--lang", "ru", "--policy", policyFile, "x"},
			`файл политики ` + policyFile + `:2: поле "maxsize": неизвестная настройка; допустимые: maxSize`},
		{"language from the environment", russianEnv, []string{"check", "--max-size", "0", "x"},
			`--max-size: недопустимый размер "0": он должен быть больше нуля`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := append(append([]string{}, englishEnv...), tt.env...)
			res := runImagelab(t, env, tt.args...)
			if res.code != 2 {
				t.Errorf("exit status %d, want 2; stderr: %s", res.code, res.stderr)
			}
			if !strings.HasPrefix(res.stderr, "imagelab: ") {
				t.Errorf("stderr %q does not start with \"imagelab: \"", res.stderr)
			}
			if !strings.Contains(res.stderr, tt.want) {
				t.Errorf("stderr %q does not contain %q", res.stderr, tt.want)
			}
		})
	}
}
