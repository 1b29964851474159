package check

import (
	"context"
	"strings"

	"github.com/imagelab/imagelab/internal/i18n"
)

func checkLabels(_ context.Context, t *Target, r *Result) {
	labels := t.Image.Inspect.Config.Labels
	var missing, empty []string
	var problems []i18n.Text
	var fix i18n.Text
	for _, rule := range t.Policy.Labels {
		value, present := labels[rule.Key]
		switch {
		case !present:
			r.Add(rule.Key, "%s", "(missing)")
			missing = append(missing, rule.Key)
		case value == "":
			r.Add(rule.Key, "%s", `"" (empty)`)
			empty = append(empty, rule.Key)
		case rule.Value != "" && value != rule.Value:
			r.Add(rule.Key, "%q (expected %q)", value, rule.Value)
			problems = append(problems, i18n.T("label %s is %q, expected %q", rule.Key, value, rule.Value))
			fix = i18n.T("rebuild with --build-arg set to your own value for %s", rule.Key)
		default:
			r.Add(rule.Key, "%q", value)
		}
	}
	if len(empty) > 0 {
		problems = append([]i18n.Text{i18n.T("empty labels: %s", strings.Join(empty, ", "))}, problems...)
		fix = i18n.T("declare the ARG inside the final stage (an ARG before the first FROM is not visible after it) and pass --build-arg")
	}
	if len(missing) > 0 {
		problems = append([]i18n.Text{i18n.T("missing labels: %s", strings.Join(missing, ", "))}, problems...)
		fix = i18n.T(`declare an ARG (for example ARG VALUE) in the final stage and add LABEL %s="${VALUE}" after it; pass the value with --build-arg VALUE=...`, missing[0])
	}
	if len(problems) == 0 {
		r.set(Pass, i18n.T("every required label is present and set"), i18n.Text{})
		return
	}
	r.set(Fail, joinTexts(problems), fix)
}

// joinTexts joins messages with "; ", keeping each one translatable.
func joinTexts(texts []i18n.Text) i18n.Text {
	joined := texts[0]
	for _, t := range texts[1:] {
		joined = i18n.T("%s; %s", joined, t)
	}
	return joined
}
