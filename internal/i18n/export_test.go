package i18n

import "fmt"

// Catalog returns the catalogue of language l, for the tests of package
// i18n_test.
func Catalog(l Lang) map[string]string { return catalogs[l] }

// VerbsOf lists the verbs of format as "argument index:letter".
func VerbsOf(format string) []string {
	var out []string
	for _, v := range verbs(format) {
		out = append(out, fmt.Sprintf("%d:%c", v.Arg, v.Letter))
	}
	return out
}
