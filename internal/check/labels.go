package check

import (
	"context"

	"github.com/imagelab/imagelab/internal/i18n"
)

func checkLabels(_ context.Context, t *Target, r *Result) {
	labels := t.Image.Inspect.Config.Labels
	r.set(Pass, i18n.T("every required label is present and set"), i18n.Text{})
	for _, rule := range t.Policy.Labels {
		value, present := labels[rule.Key]
		switch {
		case !present:
			r.Add(rule.Key, "%s", "(missing)")
			r.worsen(Fail, i18n.T("label %s is missing", rule.Key),
				i18n.T("declare ARG in the final stage and add LABEL %s=\"${ARG}\" after it; pass the value with --build-arg", rule.Key))
		case value == "":
			r.Add(rule.Key, "%s", `"" (empty)`)
			r.worsen(Fail, i18n.T("label %s is empty", rule.Key),
				i18n.T("declare the ARG inside the final stage (an ARG before the first FROM is not visible after it) and pass --build-arg"))
		case rule.Value != "" && value != rule.Value:
			r.Add(rule.Key, "%q (expected %q)", value, rule.Value)
			r.worsen(Fail, i18n.T("label %s is %q, expected %q", rule.Key, value, rule.Value),
				i18n.T("rebuild with --build-arg set to your own value for %s", rule.Key))
		default:
			r.Add(rule.Key, "%q", value)
		}
	}
}
