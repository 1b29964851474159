package lab

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTokenKnownVector(t *testing.T) {
	// RFC 4231, test case 2: HMAC-SHA256 with key "Jefe".
	got := NewSecret([]byte("Jefe")).Token("what do ya want for nothing?")
	want := "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
	if got != want {
		t.Errorf("Token = %s, want %s", got, want)
	}
}

func TestTokenDiffersPerLogin(t *testing.T) {
	s := NewSecret([]byte("course"))
	if s.Token("alice") == s.Token("bob") {
		t.Error("alice and bob got the same token")
	}
	if s.Token("alice") == NewSecret([]byte("other")).Token("alice") {
		t.Error("two secrets gave alice the same token")
	}
}

func TestTagAndDefaultImage(t *testing.T) {
	token := "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
	if got := Tag(token); got != "5bdcc146" {
		t.Errorf("Tag = %q, want 5bdcc146", got)
	}
	if got := DefaultImage("alice", token); got != "alice/image-lab:5bdcc146" {
		t.Errorf("DefaultImage = %q", got)
	}
	if got := Tag("abc"); got != "abc" {
		t.Errorf("Tag of a short token = %q, want abc", got)
	}
}

func TestSecretNeverPrints(t *testing.T) {
	key := "hunter2-super-secret"
	s := NewSecret([]byte(key))
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
		if out := fmt.Sprintf(verb, s); strings.Contains(out, key) || strings.Contains(out, fmt.Sprintf("%x", key)) {
			t.Errorf("Sprintf(%s) = %q, shows the key", verb, out)
		}
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "secret", s)
	if strings.Contains(buf.String(), key) {
		t.Errorf("slog output %q shows the key", buf.String())
	}
}

const testKey = "s3cr3t-value-that-must-not-leak"

func writeSecret(t *testing.T, content string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadSecretFileOK(t *testing.T) {
	path := writeSecret(t, testKey+"\n", 0o600)
	s, err := ReadSecretFile(path)
	if err != nil {
		t.Fatalf("ReadSecretFile: %v", err)
	}
	want := NewSecret([]byte(testKey)).Token("alice")
	if got := s.Token("alice"); got != want {
		t.Errorf("token with a trailing newline = %s, want the token of the trimmed key %s", got, want)
	}
}

func TestReadSecretFileTrimsCRLF(t *testing.T) {
	s, err := ReadSecretFile(writeSecret(t, testKey+"\r\n", 0o400))
	if err != nil {
		t.Fatalf("ReadSecretFile: %v", err)
	}
	if s.Token("a") != NewSecret([]byte(testKey)).Token("a") {
		t.Error("CRLF was not trimmed")
	}
}

func TestReadSecretFileErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "absent"), "does not exist"},
		{"empty", writeSecret(t, "", 0o600), "is empty"},
		{"only newline", writeSecret(t, "\n", 0o600), "is empty"},
		{"world readable", writeSecret(t, testKey, 0o644), "chmod 600"},
		{"group readable", writeSecret(t, testKey, 0o640), "mode 0640"},
		{"directory", dir, "not a regular file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadSecretFile(c.path)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not say %q", err, c.want)
			}
			if !strings.Contains(err.Error(), c.path) {
				t.Errorf("error %q does not name the file", err)
			}
			if strings.Contains(err.Error(), testKey) {
				t.Errorf("error %q shows the secret", err)
			}
		})
	}
}
