package seeds

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagelab/imagelab/internal/i18n"
	"github.com/imagelab/imagelab/internal/lab"
	"github.com/imagelab/imagelab/internal/lab/roster"
)

var (
	secret   = lab.NewSecret([]byte("seed-test-secret"))
	students = []roster.Student{{Login: "anna"}, {Login: "boris", Image: "registry.local/boris/lab:custom"}}
)

func read(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestWriteRussianByDefault(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "seeds")
	written, err := Write(Options{Dir: dir, Students: students, Secret: secret, Lang: i18n.Russian})
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	if len(written) != 2 {
		t.Fatalf("wrote %v, want 2 files", written)
	}
	token := secret.Token("anna")
	text := read(t, Path(dir, "anna"))
	for _, want := range []string{
		"Логин: `anna`", "Токен: `" + token + "`", "anna/image-lab:" + token[:8],
		"--build-arg LAB_LOGIN=anna", "--build-arg LAB_TOKEN=" + token, "Задание", "150 МБ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("anna's seed lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(read(t, Path(dir, "boris")), "-t registry.local/boris/lab:custom") {
		t.Error("boris's seed does not use the roster's image")
	}
	info, err := os.Stat(Path(dir, "anna"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("seed mode = %04o, want 0600", info.Mode().Perm())
	}
}

func TestWriteEnglish(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(Options{Dir: dir, Students: students[:1], Secret: secret, Lang: i18n.English}); err != nil {
		t.Fatalf("Write: %v", err)
	}
	text := read(t, Path(dir, "anna"))
	if !strings.Contains(text, "Login: `anna`") || strings.Contains(text, "Логин") {
		t.Errorf("English seed:\n%s", text)
	}
}

func TestWriteKeepsExistingFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(Path(dir, "boris"), []byte("hand-edited"), 0o600); err != nil {
		t.Fatal(err)
	}
	written, err := Write(Options{Dir: dir, Students: students, Secret: secret, Lang: i18n.Russian})
	var exists *ExistsError
	if !errors.As(err, &exists) {
		t.Fatalf("Write error = %v, want an ExistsError", err)
	}
	if len(written) != 0 || len(exists.Paths) != 1 || exists.Paths[0] != Path(dir, "boris") {
		t.Errorf("written %v, existing %v", written, exists.Paths)
	}
	if !strings.Contains(err.Error(), "--force") {
		t.Errorf("error %q does not name --force", err)
	}
	if _, err := os.Stat(Path(dir, "anna")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("anna's seed was written although boris's existed: %v", err)
	}
	if read(t, Path(dir, "boris")) != "hand-edited" {
		t.Error("boris's file was overwritten")
	}
}

func TestWriteForceOverwrites(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(Path(dir, "anna"), []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(Options{Dir: dir, Students: students[:1], Secret: secret, Lang: i18n.Russian, Force: true}); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if read(t, Path(dir, "anna")) == "old" {
		t.Error("--force did not overwrite")
	}
}
