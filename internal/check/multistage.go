package check

import (
	"context"
	"fmt"
	"strings"

	"github.com/imagelab/imagelab/internal/i18n"
)

func checkMultiStage(_ context.Context, t *Target, r *Result) {
	df := t.Dockerfile
	if df == nil {
		r.set(Skip, i18n.T("not run: no Dockerfile given; pass --dockerfile PATH"), i18n.Text{})
		return
	}
	r.Add("dockerfile", "%s", df.Path)
	r.Add("stages", "%d", len(df.Stages))
	var froms []string
	for i, s := range df.Stages {
		name := s.Name
		if name == "" {
			name = fmt.Sprint(i)
		}
		froms = append(froms, fmt.Sprintf("%s (FROM %s, line %d)", name, s.Base, s.Line))
	}
	r.Add("from", "%s", strings.Join(froms, "; "))
	fix := i18n.T("build in a first stage (FROM ... AS build) and COPY --from=build only the result into a small final stage")
	if len(df.Stages) < 2 {
		r.set(Fail, i18n.T("the Dockerfile has a single stage"), fix)
		return
	}
	final := df.Final()
	if len(final.CopiesFrom) == 0 {
		r.set(Fail, i18n.T("the final stage copies nothing from an earlier stage"), fix)
		return
	}
	var copies []string
	for _, c := range final.CopiesFrom {
		copies = append(copies, fmt.Sprintf("line %d: %s", c.Line, shorten(c.Text, 100)))
	}
	r.Add("final_copies", "%s", strings.Join(copies, "; "))
	r.set(Pass, i18n.T("%d stages; the final stage copies from an earlier one", len(df.Stages)), i18n.Text{})
}
