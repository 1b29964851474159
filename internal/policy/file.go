package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/imagelab/imagelab/internal/i18n"
)

// FileError reports an invalid policy file, naming the file, the line and
// the field.
type FileError struct {
	Path  string
	Line  int
	Field string
	Err   error
}

func (e *FileError) Error() string { return e.text().String() }

// Localize implements i18n.Localizer. Messages of the YAML parser stay
// in English.
func (e *FileError) Localize(l i18n.Lang) string { return l.Format(e.text()) }

func (e *FileError) text() i18n.Text {
	if e.Field == "" {
		return i18n.T("policy %s:%d: %v", e.Path, e.Line, e.Err)
	}
	return i18n.T("policy %s:%d: field %q: %v", e.Path, e.Line, e.Field, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// Load reads a YAML policy file on top of base. The file may set:
//
//	maxSize: 150MB
//	healthPath: /health
//	port: 8080
//	env: {name: ROCKET_SIZE, values: [Small, Large]}
//	labels: {org.lab.login: "", org.lab.token: ""}   # "" = any non-empty value
//	stopTimeout: 10s
//	readyTimeout: 20s
//	settle: 2s
//	timeout: 2m
//
// Unknown fields are errors, so a misspelt setting is never ignored.
func Load(path string, base Policy) (Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return base, i18n.Errorf("reading policy file: %w", err)
	}

	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return base, nil // an empty file changes nothing
		}
		return base, &FileError{Path: path, Line: yamlErrorLine(err), Err: err}
	}
	if len(doc.Content) == 0 {
		return base, nil
	}

	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return base, &FileError{Path: path, Line: root.Line, Err: i18n.Errorf("the policy must be a mapping of settings")}
	}

	p := base
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, value := root.Content[i], root.Content[i+1]
		if first, dup := seen[key.Value]; dup {
			return base, &FileError{Path: path, Line: key.Line, Field: key.Value, Err: i18n.Errorf("set twice, first on line %d: keep one", first)}
		}
		seen[key.Value] = key.Line
		if err := p.set(key.Value, value); err != nil {
			return base, &FileError{Path: path, Line: value.Line, Field: key.Value, Err: err}
		}
	}
	return p, nil
}

func (p *Policy) set(field string, n *yaml.Node) error {
	switch field {
	case "maxSize":
		return scalar(n, func(s string) (err error) { p.MaxSize, err = ParseSize(s); return })
	case "healthPath":
		return scalar(n, func(s string) (err error) { p.HealthPath, err = ParseHealthPath(s); return })
	case "port":
		return scalar(n, func(s string) (err error) { p.Port, err = ParsePort(s); return })
	case "stopTimeout":
		return duration(n, &p.StopTimeout)
	case "readyTimeout":
		return duration(n, &p.ReadyTimeout)
	case "settle":
		return duration(n, &p.Settle)
	case "timeout":
		return duration(n, &p.Timeout)
	case "env":
		return p.setEnv(n)
	case "labels":
		return p.setLabels(n)
	}
	return i18n.Errorf("unknown setting; known: maxSize, healthPath, port, env, labels, stopTimeout, readyTimeout, settle, timeout")
}

func (p *Policy) setEnv(n *yaml.Node) error {
	var env struct {
		Name   string   `yaml:"name"`
		Values []string `yaml:"values"`
	}
	if err := decodeStrict(n, &env); err != nil {
		return err
	}
	if env.Name == "" || len(env.Values) != 2 || env.Values[0] == env.Values[1] {
		return i18n.Errorf("env needs a name and exactly two different values, for example {name: ROCKET_SIZE, values: [Small, Large]}")
	}
	p.Env = EnvVariation{Name: env.Name, Values: [2]string{env.Values[0], env.Values[1]}}
	return nil
}

func (p *Policy) setLabels(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return i18n.Errorf("labels must be a mapping of label keys to required values (\"\" for any non-empty value)")
	}
	p.Labels = nil
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i+1].Kind != yaml.ScalarNode {
			return i18n.Errorf("label %q: the value must be a string", n.Content[i].Value)
		}
		p.Labels = append(p.Labels, LabelRule{Key: n.Content[i].Value, Value: n.Content[i+1].Value})
	}
	return nil
}

func scalar(n *yaml.Node, set func(string) error) error {
	if n.Kind != yaml.ScalarNode {
		return i18n.Errorf("expected a single value")
	}
	return set(n.Value)
}

func duration(n *yaml.Node, d *time.Duration) error {
	return scalar(n, func(s string) error {
		v, err := time.ParseDuration(s)
		if err != nil || v <= 0 {
			return i18n.Errorf("invalid duration %q: use a positive Go duration such as 10s or 2m", s)
		}
		*d = v
		return nil
	})
}

func decodeStrict(n *yaml.Node, v any) error {
	out, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(out))
	dec.KnownFields(true)
	return dec.Decode(v)
}

// yamlErrorLine pulls the line number out of a yaml.v3 syntax error, which
// has the form "yaml: line N: ...".
func yamlErrorLine(err error) int {
	var line int
	fmt.Sscanf(err.Error(), "yaml: line %d:", &line)
	return line
}
