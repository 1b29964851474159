package check

import (
	"context"
	"encoding/json"
	"strings"
	"sync"

	"github.com/imagelab/imagelab/internal/engine"
	"github.com/imagelab/imagelab/internal/i18n"
)

func checkEnvConfig(ctx context.Context, t *Target, r *Result) {
	name := t.Policy.Env.Name
	envs := [][]string{
		{name + "=" + t.Policy.Env.Values[0]},
		{name + "=" + t.Policy.Env.Values[1]},
		nil, // the image's own default
	}
	bodies := make([]httpResult, len(envs))
	errs := make([]error, len(envs))
	var wg sync.WaitGroup
	for i, env := range envs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bodies[i], errs[i] = t.getRoot(ctx, env)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			startFailed(r, err)
			return
		}
	}
	keys := []string{"with_value_1", "with_value_2", "default"}
	for i, b := range bodies {
		label := "no " + name + " given (image default)"
		if envs[i] != nil {
			label = envs[i][0]
		}
		r.Add(keys[i], "%s → %s", label, b)
	}
	judgeEnv(r, name, t.Policy.Env.Values, bodies)
}

func judgeEnv(r *Result, name string, values [2]string, bodies []httpResult) {
	fix := i18n.T("read %s from the environment at start-up (not at build time) and include its value in the answer of /", name)
	for i := range 2 {
		if bodies[i].unreachable {
			fix = fixUnreachable
		}
		if !bodies[i].ok() {
			r.set(Fail, i18n.T("GET / with %s=%s: %s", name, values[i], bodies[i]), fix)
			return
		}
	}
	if bodies[0].Body == bodies[1].Body {
		r.set(Fail, i18n.T("GET / gives the same answer for %s=%s and %s=%s: the variable is ignored", name, values[0], name, values[1]), fix)
		return
	}
	for i := range 2 {
		if !reflects(bodies[i].Body, values[i]) {
			r.set(Fail, i18n.T("GET / with %s=%s does not contain the value", name, values[i]), fix)
			return
		}
	}
	r.set(Pass, i18n.T("GET / reflects %s=%s and %s=%s", name, values[0], name, values[1]), i18n.Text{})
}

// reflects reports whether body shows value, ignoring case, also in its
// JSON-escaped form.
func reflects(body, value string) bool {
	b := strings.ToLower(body)
	if strings.Contains(b, strings.ToLower(value)) {
		return true
	}
	quoted, _ := json.Marshal(value)
	return strings.Contains(b, strings.ToLower(strings.Trim(string(quoted), `"`)))
}

// getRoot starts a container with env added, and requests /.
func (t *Target) getRoot(ctx context.Context, env []string) (httpResult, error) {
	l, err := t.start(ctx, engine.RunSpec{Purpose: "env-config", Env: env})
	defer t.finish("env-config", l)
	if err != nil {
		return httpResult{}, err
	}
	if !l.ready {
		return httpResult{Err: l.notServing(t.Policy.ReadyTimeout), unreachable: l.unreachable()}, nil
	}
	return get(ctx, l.addr, "/"), nil
}
