package i18n

import (
	"strings"
	"unicode/utf8"
)

// verb is one formatting verb of a fmt format.
type verb struct {
	// Arg is the index, from 1, of the argument the verb formats.
	Arg int
	// Letter is the verb, such as 's' or 'd'; '*' stands for a width or
	// precision taken from an argument.
	Letter rune
	// pos is the byte offset of Letter in the format.
	pos int
}

// verbs lists the verbs of format in order, numbering their arguments as
// fmt does: one after another, restarting at an explicit index [n].
// %% formats no argument and is left out.
func verbs(format string) []verb {
	var out []verb
	next := 1
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0", format[i]) >= 0 {
			i++
		}
		i, next = argIndex(format, i, next)
		if i < len(format) && format[i] == '*' {
			out = append(out, verb{Arg: next, Letter: '*', pos: i})
			next++
			i++
		}
		for i < len(format) && format[i] >= '0' && format[i] <= '9' {
			i++
		}
		if i < len(format) && format[i] == '.' {
			i++
			i, next = argIndex(format, i, next)
			if i < len(format) && format[i] == '*' {
				out = append(out, verb{Arg: next, Letter: '*', pos: i})
				next++
				i++
			}
			for i < len(format) && format[i] >= '0' && format[i] <= '9' {
				i++
			}
		}
		i, next = argIndex(format, i, next)
		if i >= len(format) {
			break
		}
		r, size := utf8.DecodeRuneInString(format[i:])
		if r != '%' {
			out = append(out, verb{Arg: next, Letter: r, pos: i})
			next++
		}
		i += size - 1
	}
	return out
}

// argIndex reads an explicit argument index [n] at format[i:], returning
// the position after it and the argument it selects. Without one it
// returns i and next unchanged.
func argIndex(format string, i, next int) (int, int) {
	if i >= len(format) || format[i] != '[' {
		return i, next
	}
	end := strings.IndexByte(format[i:], ']')
	if end < 0 {
		return i, next
	}
	n := 0
	for _, c := range format[i+1 : i+end] {
		if c < '0' || c > '9' {
			return i, next
		}
		n = n*10 + int(c-'0')
	}
	return i + end + 1, n
}

// wrapVerbsAsV replaces every %w verb of format with %v, so that fmt's
// Sprintf formats the error as fmt.Errorf would.
func wrapVerbsAsV(format string) string {
	if !strings.Contains(format, "w") {
		return format
	}
	b := []byte(format)
	for _, v := range verbs(format) {
		if v.Letter == 'w' {
			b[v.pos] = 'v'
		}
	}
	return string(b)
}
