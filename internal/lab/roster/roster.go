// Package roster reads the course roster: a CSV file with a header row,
// one student per row. The login column is required; the image column is
// optional, and every other column is kept for the gradebook.
package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/imagelab/imagelab/internal/lab"
)

// Column names with a meaning. Header names are matched without regard
// to case and surrounding spaces.
const (
	LoginColumn = "login"
	ImageColumn = "image"
)

// Student is one valid roster row.
type Student struct {
	Login string
	// Image is the reference from the image column; empty means the
	// default <login>/image-lab:<tag>.
	Image string
	// Line is the row's line number in the file, counting from 1.
	Line int
	// Extra holds the values of Roster.ExtraColumns, in that order.
	Extra []string
}

// ImageRef returns the image reference to grade: the roster's image, or
// the lab's default for the student's token.
func (s Student) ImageRef(token string) string {
	if s.Image != "" {
		return s.Image
	}
	return lab.DefaultImage(s.Login, token)
}

// Problem is a row that was skipped, with the reason.
type Problem struct {
	Line int
	// Login is the row's login cell as written, possibly invalid or empty.
	Login  string
	Reason string
}

// String renders the problem for a log line or a gradebook note.
func (p Problem) String() string {
	return fmt.Sprintf("roster line %d skipped: %s", p.Line, p.Reason)
}

// Roster is a parsed roster file.
type Roster struct {
	// Path names the file in messages.
	Path string
	// ExtraColumns are the header names of the columns other than login
	// and image, in file order.
	ExtraColumns []string
	Students     []Student
	// Problems lists the rows that were skipped, in file order.
	Problems []Problem
}

// Load reads and parses the roster file at path.
func Load(path string) (*Roster, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading roster %q: %w", path, err)
	}
	return Parse(bytes.NewReader(data), path)
}

// Student returns the student with login, or false.
func (r *Roster) Student(login string) (Student, bool) {
	for _, s := range r.Students {
		if s.Login == login {
			return s, true
		}
	}
	return Student{}, false
}

// header maps column roles to indexes.
type header struct {
	width int
	login int
	image int // -1 when absent
	extra []int
	names []string
}

// Parse reads a roster from r. It fails on an unreadable file or a bad
// header; a bad row is recorded in Problems and skipped.
func Parse(r io.Reader, path string) (*Roster, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // rows of the wrong width become Problems
	cr.TrimLeadingSpace = true
	first, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading roster %q: the file is empty; the first line must be a header such as 'login,image,name'", path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading roster %q: %w", path, err)
	}
	h, err := parseHeader(first)
	if err != nil {
		return nil, fmt.Errorf("reading roster %q: %w", path, err)
	}
	ros := &Roster{Path: path, ExtraColumns: h.names}
	if err := ros.readRows(cr, h); err != nil {
		return nil, fmt.Errorf("reading roster %q: %w", path, err)
	}
	return ros, nil
}

func parseHeader(cells []string) (header, error) {
	h := header{width: len(cells), login: -1, image: -1}
	seen := map[string]int{}
	for i, c := range cells {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(c, "\ufeff")))
		if name == "" {
			return h, fmt.Errorf("header column %d has no name", i+1)
		}
		if j, dup := seen[name]; dup {
			return h, fmt.Errorf("header names column %q twice (columns %d and %d)", name, j+1, i+1)
		}
		seen[name] = i
		switch name {
		case LoginColumn:
			h.login = i
		case ImageColumn:
			h.image = i
		default:
			h.extra = append(h.extra, i)
			h.names = append(h.names, strings.TrimSpace(strings.TrimPrefix(c, "\ufeff")))
		}
	}
	if h.login < 0 {
		return h, fmt.Errorf("the header %q has no %q column; the first line must name the columns, such as 'login,image,name'", strings.Join(cells, ","), LoginColumn)
	}
	return h, nil
}

func (ros *Roster) readRows(cr *csv.Reader, h header) error {
	firstLine := map[string]int{}
	for {
		cells, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			// A csv.ParseError, such as an unclosed quote, fails the whole
			// file: the reader may have taken the rows after it into one
			// field, and skipping them would drop students unseen.
			return err
		}
		line, _ := cr.FieldPos(0)
		ros.addRow(cells, line, h, firstLine)
	}
}

func (ros *Roster) addRow(cells []string, line int, h header, firstLine map[string]int) {
	if len(cells) != h.width {
		login := ""
		if h.login < len(cells) {
			login = strings.TrimSpace(cells[h.login])
		}
		ros.skip(line, login, fmt.Sprintf("it has %d columns, but the header has %d", len(cells), h.width))
		return
	}
	login := strings.TrimSpace(cells[h.login])
	if err := lab.ValidateLogin(login); err != nil {
		ros.skip(line, login, err.Error())
		return
	}
	if prev, dup := firstLine[login]; dup {
		ros.skip(line, login, fmt.Sprintf("login %q is a duplicate of line %d, which is graded", login, prev))
		return
	}
	firstLine[login] = line
	s := Student{Login: login, Line: line}
	if h.image >= 0 {
		s.Image = strings.TrimSpace(cells[h.image])
	}
	for _, i := range h.extra {
		s.Extra = append(s.Extra, cells[i])
	}
	ros.Students = append(ros.Students, s)
}

func (ros *Roster) skip(line int, login, reason string) {
	ros.Problems = append(ros.Problems, Problem{Line: line, Login: login, Reason: reason})
}

// ProblemsOf returns the problems whose login cell equals login, such as
// the duplicate rows of a graded student.
func (r *Roster) ProblemsOf(login string) []Problem {
	var out []Problem
	for _, p := range r.Problems {
		if p.Login == login {
			out = append(out, p)
		}
	}
	return out
}
