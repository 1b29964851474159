// Package dockerfile reads the facts imagelab checks in a Dockerfile: its
// stages and what the final stage copies from earlier ones. It parses with
// moby/buildkit's Dockerfile parser, the one `docker build` uses.
package dockerfile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/imagelab/imagelab/internal/i18n"
)

// File is a parsed Dockerfile.
type File struct {
	Path   string
	Stages []Stage
	// MetaArgs are the ARG names declared before the first FROM.
	MetaArgs []string
}

// Stage is one FROM section.
type Stage struct {
	// Name is the stage's AS name, or "" when it has none.
	Name string
	// Base is the FROM argument as written, for example ${GO_IMAGE}.
	Base string
	Line int
	// CopiesFrom lists the COPY --from sources of this stage that are
	// earlier stages, by name or index as written.
	CopiesFrom []Copy
	// Args are the ARG names this stage declares.
	Args []string
}

// Copy is one COPY --from instruction.
type Copy struct {
	From string
	Line int
	Text string
}

// Final returns the last stage: the one `docker build` tags.
func (f *File) Final() Stage { return f.Stages[len(f.Stages)-1] }

// Read parses the Dockerfile at path.
func Read(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, i18n.Errorf("Dockerfile %q not found: pass the path of the Dockerfile the image was built from", path)
	}
	if err != nil {
		return nil, i18n.Errorf("reading Dockerfile: %w", err)
	}
	f, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("parsing Dockerfile %s: %w", path, err)
	}
	f.Path = path
	return f, nil
}

// Parse parses Dockerfile source.
func Parse(data []byte) (*File, error) {
	ast, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	stages, metaArgs, err := instructions.Parse(ast.AST, nil)
	if err != nil {
		return nil, err
	}
	if len(stages) == 0 {
		return nil, fmt.Errorf("no FROM instruction found")
	}
	f := &File{}
	for _, a := range metaArgs {
		for _, kv := range a.Args {
			f.MetaArgs = append(f.MetaArgs, kv.Key)
		}
	}
	for i, s := range stages {
		f.Stages = append(f.Stages, readStage(s, stages[:i]))
	}
	return f, nil
}

func readStage(s instructions.Stage, earlier []instructions.Stage) Stage {
	st := Stage{Name: s.Name, Base: s.BaseName}
	if len(s.Location) > 0 {
		st.Line = s.Location[0].Start.Line
	}
	for _, cmd := range s.Commands {
		switch c := cmd.(type) {
		case *instructions.CopyCommand:
			if c.From != "" && refersToStage(c.From, earlier) {
				st.CopiesFrom = append(st.CopiesFrom, Copy{From: c.From, Line: line(c.Location()), Text: c.String()})
			}
		case *instructions.ArgCommand:
			for _, kv := range c.Args {
				st.Args = append(st.Args, kv.Key)
			}
		}
	}
	return st
}

// refersToStage reports whether a COPY --from value names one of the
// earlier stages, by AS name (case-insensitive, as the builder matches it)
// or by index. Any other value is an image reference.
func refersToStage(from string, earlier []instructions.Stage) bool {
	if n, err := strconv.Atoi(from); err == nil {
		return n >= 0 && n < len(earlier)
	}
	for _, s := range earlier {
		if s.Name != "" && strings.EqualFold(s.Name, from) {
			return true
		}
	}
	return false
}

func line(r []parser.Range) int {
	if len(r) == 0 {
		return 0
	}
	return r[0].Start.Line
}
