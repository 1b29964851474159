package i18n_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/imagelab/imagelab/internal/check"
	"github.com/imagelab/imagelab/internal/i18n"
)

const i18nPath = "github.com/imagelab/imagelab/internal/i18n"

// sourceMessages is what the Go sources show to people in English, found
// by parsing them: the formats of i18n.T and i18n.Errorf, the literals
// passed to a one-argument String method (Lang.String), the values of
// report's evidenceLabels and the status words. Each message maps to the
// first place it occurs.
type sourceMessages struct {
	places map[string]string
	// nonConstant lists calls of i18n.T or i18n.Errorf whose format is not
	// a constant string, so no catalogue can be checked for it.
	nonConstant []string
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod at %s: %v", root, err)
	}
	return root
}

func collectMessages(t *testing.T) sourceMessages {
	t.Helper()
	root := repoRoot(t)
	msgs := sourceMessages{places: map[string]string{}}
	for _, dir := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "testdata" {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			return msgs.addFile(root, path)
		})
		if err != nil {
			t.Fatalf("reading the sources: %v", err)
		}
	}
	for _, s := range check.Statuses() {
		msgs.add(string(s), "check.Statuses")
		msgs.add(strings.ToUpper(string(s)), "check.Statuses, upper-case")
	}
	return msgs
}

func (m *sourceMessages) add(msg, place string) {
	if _, ok := m.places[msg]; !ok {
		m.places[msg] = place
	}
}

func (m *sourceMessages) addFile(root, path string) error {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		return err
	}
	rel, _ := filepath.Rel(root, path)
	place := func(n ast.Node) string {
		return fmt.Sprintf("%s:%d", filepath.ToSlash(rel), fset.Position(n.Pos()).Line)
	}
	inI18n := file.Name.Name == "i18n"
	i18nName := importName(file)
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			m.addCall(n, inI18n, i18nName, place)
		case *ast.ValueSpec:
			if len(n.Names) == 1 && n.Names[0].Name == "evidenceLabels" && len(n.Values) == 1 {
				m.addMapValues(n.Values[0], place)
			}
		}
		return true
	})
	return nil
}

// importName returns the name under which file imports package i18n, or
// "" when it does not.
func importName(file *ast.File) string {
	for _, imp := range file.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == i18nPath {
			if imp.Name != nil {
				return imp.Name.Name
			}
			return "i18n"
		}
	}
	return ""
}

func (m *sourceMessages) addCall(call *ast.CallExpr, inI18n bool, i18nName string, place func(ast.Node) string) {
	if len(call.Args) == 0 {
		return
	}
	var name string
	switch fun := call.Fun.(type) {
	case *ast.Ident:
		if inI18n {
			name = fun.Name
		}
	case *ast.SelectorExpr:
		if x, ok := fun.X.(*ast.Ident); ok && i18nName != "" && x.Name == i18nName {
			name = fun.Sel.Name
		} else if fun.Sel.Name == "String" && len(call.Args) == 1 {
			// Lang.String of a fixed string. Other String methods with one
			// argument would be collected too; the sources have none.
			if s, ok := constString(call.Args[0]); ok {
				m.add(s, place(call))
			}
			return
		}
	}
	if name != "T" && name != "Errorf" {
		return
	}
	if s, ok := constString(call.Args[0]); ok {
		m.add(s, place(call))
		return
	}
	if !inI18n {
		// Package i18n's own functions forward formats they are given.
		m.nonConstant = append(m.nonConstant, place(call))
	}
}

func (m *sourceMessages) addMapValues(expr ast.Expr, place func(ast.Node) string) {
	lit, ok := expr.(*ast.CompositeLit)
	if !ok {
		return
	}
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if s, ok := constString(kv.Value); ok {
				m.add(s, place(kv))
			}
		}
	}
}

// constString returns the value of a string literal, or of literals
// joined with +.
func constString(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.ParenExpr:
		return constString(e.X)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		x, ok1 := constString(e.X)
		y, ok2 := constString(e.Y)
		return x + y, ok1 && ok2
	}
	return "", false
}

func sortedVerbs(format string) []string {
	v := i18n.VerbsOf(format)
	sort.Strings(v)
	return v
}

func TestCollectorFindsEveryKind(t *testing.T) {
	msgs := collectMessages(t)
	for _, want := range []string{
		"Image size",    // i18n.T in internal/check
		"fix:",          // Lang.String in internal/report
		"size in bytes", // evidenceLabels
		"FAIL",          // status word
		"invalid port %q: only tcp ports can be probed over HTTP", // i18n.Errorf
		"unsupported language %q: use en or ru",                   // Errorf inside package i18n
		"unknown flag: --%s",                                      // cobra's error, in internal/cli
	} {
		if _, ok := msgs.places[want]; !ok {
			t.Errorf("the collector missed %q", want)
		}
	}
}

func TestFormatsAreConstant(t *testing.T) {
	for _, p := range collectMessages(t).nonConstant {
		t.Errorf("%s: the format of i18n.T or i18n.Errorf is not a constant string, so no catalogue can hold it", p)
	}
}

func TestRussianCoversEveryMessage(t *testing.T) {
	msgs := collectMessages(t)
	ru := i18n.Catalog(i18n.Russian)
	keys := make([]string, 0, len(msgs.places))
	for k := range msgs.places {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, en := range keys {
		tr, ok := ru[en]
		if !ok {
			t.Errorf("no Russian for %q (%s)", en, msgs.places[en])
			continue
		}
		if want, got := sortedVerbs(en), sortedVerbs(tr); !slices.Equal(want, got) {
			t.Errorf("verbs of the Russian for %q (%s) are %v, want %v: %q", en, msgs.places[en], got, want, tr)
		}
	}
}

func TestRussianHasNoStaleEntries(t *testing.T) {
	msgs := collectMessages(t)
	var stale []string
	for en := range i18n.Catalog(i18n.Russian) {
		if _, ok := msgs.places[en]; !ok {
			stale = append(stale, en)
		}
	}
	sort.Strings(stale)
	for _, en := range stale {
		t.Errorf("Russian entry %q matches no message in the sources: remove or rename it", en)
	}
}

func TestRussianEntriesAreNotEmpty(t *testing.T) {
	for en, tr := range i18n.Catalog(i18n.Russian) {
		if strings.TrimSpace(tr) == "" {
			t.Errorf("Russian entry %q is empty", en)
		}
	}
}
