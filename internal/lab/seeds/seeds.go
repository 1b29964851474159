// Package seeds writes each student's seed file: the lab's task in short,
// the student's login and token, the image reference the grader expects,
// and the commands that build and check the image.
package seeds

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"

	"github.com/imagelab/imagelab/internal/i18n"
	"github.com/imagelab/imagelab/internal/lab"
	"github.com/imagelab/imagelab/internal/lab/roster"
	"github.com/imagelab/imagelab/internal/policy"
)

// Extension is the seed files' extension: they are Markdown.
const Extension = ".md"

// Options configure Write.
type Options struct {
	Dir      string
	Students []roster.Student
	Secret   lab.Secret
	Lang     i18n.Lang
	// Force overwrites existing seed files.
	Force bool
}

// ExistsError reports seed files that exist already; Write then writes
// none, so that a rerun never mixes old and new seeds.
type ExistsError struct {
	Paths []string
}

func (e *ExistsError) Error() string {
	return fmt.Sprintf("%d seed files exist already and were kept, so no seed file was written: %s; pass --force to overwrite them",
		len(e.Paths), strings.Join(e.Paths, ", "))
}

// Path returns the seed file of login in dir.
func Path(dir, login string) string { return filepath.Join(dir, login+Extension) }

// Write writes one seed file per student into opt.Dir, creating the
// folder. Without Force, it first looks for existing files and, when it
// finds any, writes nothing and returns an *ExistsError. The files are
// private (mode 0600) because they contain tokens. It returns the paths
// written.
func Write(opt Options) ([]string, error) {
	tmpl, err := seedTemplate(opt.Lang)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opt.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating seed folder %q: %w", opt.Dir, err)
	}
	if !opt.Force {
		if err := checkNoneExist(opt.Dir, opt.Students); err != nil {
			return nil, err
		}
	}
	var written []string
	for _, s := range opt.Students {
		var buf bytes.Buffer
		if err := tmpl.Execute(&buf, newSeed(s, opt.Secret)); err != nil {
			return written, fmt.Errorf("rendering the seed of %q: %w", s.Login, err)
		}
		path := Path(opt.Dir, s.Login)
		if err := lab.WriteFileAtomic(path, buf.Bytes(), 0o600); err != nil {
			return written, err
		}
		written = append(written, path)
	}
	return written, nil
}

func checkNoneExist(dir string, students []roster.Student) error {
	var existing []string
	for _, s := range students {
		path := Path(dir, s.Login)
		_, err := os.Lstat(path)
		if err == nil {
			existing = append(existing, path)
			continue
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("checking seed file %q: %w", path, err)
		}
	}
	if len(existing) > 0 {
		return &ExistsError{Paths: existing}
	}
	return nil
}

// seed is the data of one seed template.
type seed struct {
	Login      string
	Token      string
	Tag        string
	Image      string
	MaxSizeMB  int64
	HealthPath string
	EnvName    string
	EnvValues  [2]string
	LoginLabel string
	TokenLabel string
}

func newSeed(s roster.Student, secret lab.Secret) seed {
	token := secret.Token(s.Login)
	p := policy.Default()
	return seed{
		Login: s.Login, Token: token, Tag: lab.Tag(token), Image: s.ImageRef(token),
		MaxSizeMB: p.MaxSize / 1_000_000, HealthPath: p.HealthPath,
		EnvName: p.Env.Name, EnvValues: p.Env.Values,
		LoginLabel: policy.LoginLabel, TokenLabel: policy.TokenLabel,
	}
}

func seedTemplate(lang i18n.Lang) (*template.Template, error) {
	text, ok := templates[lang]
	if !ok {
		return nil, fmt.Errorf("no seed text in language %q: use ru or en", lang)
	}
	return template.New(string(lang)).Parse(text)
}
