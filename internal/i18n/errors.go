package i18n

import "fmt"

// Localizer is implemented by errors whose message can be rendered in
// another language. Localize(English) must return the same text as
// Error(), so that English output does not depend on which of the two a
// caller prints.
type Localizer interface {
	Localize(l Lang) string
}

// Message renders err in language l when err is a Localizer, and returns
// err.Error() otherwise. Only err itself is asked, not the errors it
// wraps: a wrapper that is no Localizer adds English text of its own,
// which would be lost by printing only a localized error from deeper in
// the chain. Wrappers that should stay localizable use Errorf.
func Message(err error, l Lang) string {
	if loc, ok := err.(Localizer); ok {
		return loc.Localize(l)
	}
	return err.Error()
}

// Error is an error whose message is a Text. Make one with Errorf.
type Error struct {
	text Text
	// err is fmt.Errorf of the same format and arguments: it gives the
	// English message and the wrapped errors.
	err error
}

// Errorf works as fmt.Errorf, %w included, and returns an error whose
// message can also be rendered in the languages of the catalogues. The
// format is the catalogue key, so it should be a constant string.
func Errorf(format string, args ...any) error {
	return &Error{text: T(format, args...), err: fmt.Errorf(format, args...)}
}

// Error returns the English message, the same as fmt.Errorf's.
func (e *Error) Error() string { return e.err.Error() }

// Localize renders the message in language l, including the messages of
// wrapped errors that are Localizers.
func (e *Error) Localize(l Lang) string {
	if l == English {
		return e.err.Error()
	}
	return l.Format(e.text)
}

// Text returns the message as a Text.
func (e *Error) Text() Text { return e.text }

// Unwrap returns the errors that the format wrapped with %w.
func (e *Error) Unwrap() []error {
	switch u := e.err.(type) {
	case interface{ Unwrap() []error }:
		return u.Unwrap()
	case interface{ Unwrap() error }:
		return []error{u.Unwrap()}
	}
	return nil
}

// WithText returns err with a translation of its message: Error() stays
// err.Error(), and Localize renders t in languages other than English. It
// is for errors made by code that knows nothing of i18n, such as a
// library's, whose English message t repeats.
func WithText(err error, t Text) error {
	return &textError{err: err, text: t}
}

type textError struct {
	err  error
	text Text
}

func (e *textError) Error() string { return e.err.Error() }

func (e *textError) Unwrap() error { return e.err }

func (e *textError) Localize(l Lang) string {
	if l == English {
		return e.err.Error()
	}
	return l.Format(e.text)
}
