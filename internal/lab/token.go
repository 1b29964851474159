// Package lab holds the course lab's identity scheme: the instructor's
// secret, each student's token derived from it, the image tag taken from
// the token, and the rules a login must follow.
package lab

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
)

// TagLength is the number of hex digits of the token that form the
// expected image tag.
const TagLength = 8

// ImageRepository is the repository name, under the student's login, of
// the image the lab expects.
const ImageRepository = "image-lab"

// Secret is the course secret that tokens are derived from. It prints as
// "[secret]" with every fmt verb and in slog, so that printing or logging
// it by mistake shows nothing.
type Secret struct {
	key []byte
}

// NewSecret wraps key. Tests and callers that do not read a file use it.
func NewSecret(key []byte) Secret { return Secret{key: append([]byte(nil), key...)} }

// Format implements fmt.Formatter and hides the key for every verb.
func (Secret) Format(f fmt.State, _ rune) { fmt.Fprint(f, "[secret]") }

// String hides the key.
func (Secret) String() string { return "[secret]" }

// LogValue implements slog.LogValuer and hides the key.
func (Secret) LogValue() slog.Value { return slog.StringValue("[secret]") }

// IsZero reports whether the secret holds no key.
func (s Secret) IsZero() bool { return len(s.key) == 0 }

// Token returns the student's token: the hex HMAC-SHA256 of login keyed
// with the secret.
func (s Secret) Token(login string) string {
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte(login))
	return hex.EncodeToString(mac.Sum(nil))
}

// Tag returns the image tag that goes with token: its first TagLength
// hex digits, or the whole token when it is shorter.
func Tag(token string) string {
	if len(token) < TagLength {
		return token
	}
	return token[:TagLength]
}

// DefaultImage returns the image reference that a student builds unless the
// roster names another: <login>/image-lab:<tag>.
func DefaultImage(login, token string) string {
	return login + "/" + ImageRepository + ":" + Tag(token)
}

// TokensEqual compares two tokens in constant time.
func TokensEqual(a, b string) bool {
	return hmac.Equal([]byte(a), []byte(b))
}

// ReadSecretFile reads the course secret from path. The file must be a
// regular file that only its owner can read or write (mode 0600 or
// stricter) and must not be empty. Trailing CR and LF characters are
// trimmed, so a file written by an editor gives the same tokens as one
// written by printf. Errors name the file and the fix, never the content.
func ReadSecretFile(path string) (Secret, error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Secret{}, fmt.Errorf("secret file %q does not exist: create it with '(umask 077; head -c 32 /dev/urandom | base64 > %s)'", path, path)
	case err != nil:
		return Secret{}, fmt.Errorf("reading secret file %q: %w", path, err)
	case !info.Mode().IsRegular():
		return Secret{}, fmt.Errorf("secret file %q is not a regular file", path)
	case info.Mode().Perm()&0o077 != 0:
		return Secret{}, fmt.Errorf("secret file %q has mode %04o, so group or others can access it: run 'chmod 600 %s'", path, info.Mode().Perm(), path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Secret{}, fmt.Errorf("reading secret file %q: %w", path, err)
	}
	key := strings.TrimRight(string(data), "\r\n")
	if key == "" {
		return Secret{}, fmt.Errorf("secret file %q is empty: write a long random secret into it, for example with '(umask 077; head -c 32 /dev/urandom | base64 > %s)'", path, path)
	}
	return Secret{key: []byte(key)}, nil
}
