package grade

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/imagelab/imagelab/internal/check"
)

// Points holds the points each requirement is worth. A pass or a warn
// earns them in full; any other verdict earns nothing.
type Points struct {
	order []string
	value map[string]float64
}

// defaultPoints are the built-in values. multi-stage is worth nothing by
// default because grading reads images, and an image carries no
// Dockerfile, so that check is always skipped. Advisory checks are
// worth nothing unless a points file sets them.
var defaultPoints = map[string]float64{
	"size": 1, "non-root": 1, "healthcheck": 2, "sigterm": 2, "read-only": 2,
	"env-config": 1, "labels": 1, "multi-stage": 0,
	IdentityLogin: 2, IdentityToken: 2, IdentityTag: 2,
}

// DefaultPoints returns the built-in points table.
func DefaultPoints() Points {
	p := Points{value: map[string]float64{}}
	for _, c := range check.All() {
		p.order = append(p.order, c.ID)
		p.value[c.ID] = defaultPoints[c.ID]
	}
	for _, id := range IdentityIDs() {
		p.order = append(p.order, id)
		p.value[id] = defaultPoints[id]
	}
	return p
}

// Of returns the points requirement id is worth.
func (p Points) Of(id string) float64 { return p.value[id] }

// Earned returns the points a verdict with status s earns on id.
func (p Points) Earned(id string, s check.Status) float64 {
	if s == check.Pass || s == check.Warn {
		return p.value[id]
	}
	return 0
}

// Columns returns the requirements worth more than zero points, in report
// order. They are the gradebook's columns.
func (p Points) Columns() []string {
	var ids []string
	for _, id := range p.order {
		if p.value[id] > 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

// Max returns the sum of all requirements' points.
func (p Points) Max() float64 {
	var sum float64
	for _, id := range p.order {
		sum += p.value[id]
	}
	return sum
}

// LoadPoints reads a points file: a YAML mapping from requirement ID to
// a non-negative number. Requirements the file does not name keep their
// default; an empty file gives the defaults.
func LoadPoints(path string) (Points, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Points{}, fmt.Errorf("reading points file %q: %w", path, err)
	}
	p, err := ParsePoints(data)
	if err != nil {
		return Points{}, fmt.Errorf("reading points file %q: %w", path, err)
	}
	return p, nil
}

// ParsePoints parses the content of a points file; see LoadPoints.
func ParsePoints(data []byte) (Points, error) {
	p := DefaultPoints()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return p, err
	}
	if len(doc.Content) == 0 {
		return p, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return p, fmt.Errorf("line %d: expected a mapping such as 'healthcheck: 2', one requirement per line", root.Line)
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key := root.Content[i]
		if line, dup := seen[key.Value]; dup {
			return p, fmt.Errorf("line %d: requirement %q is already set on line %d", key.Line, key.Value, line)
		}
		seen[key.Value] = key.Line
		if err := p.set(key, root.Content[i+1]); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (p *Points) set(key, value *yaml.Node) error {
	id := key.Value
	if _, known := p.value[id]; !known {
		return fmt.Errorf("line %d: unknown requirement %q; known requirements: %s", key.Line, id, strings.Join(p.order, ", "))
	}
	if value.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: the points of %q must be a number", value.Line, id)
	}
	n, err := strconv.ParseFloat(value.Value, 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		return fmt.Errorf("line %d: the points of %q are %q, not a number", value.Line, id, value.Value)
	}
	if n < 0 {
		return fmt.Errorf("line %d: the points of %q are %s; use zero or more", value.Line, id, value.Value)
	}
	p.value[id] = n
	return nil
}

// FormatPoints renders n without trailing zeros: 2, 0.5, 12.25.
func FormatPoints(n float64) string {
	return strconv.FormatFloat(n, 'f', -1, 64)
}
