package check

import (
	"context"
	"regexp"
	"sort"
	"strings"

	"github.com/imagelab/imagelab/internal/i18n"
)

// tools are programs that production images rarely need and attackers
// like to find: download tools and shells.
var tools = []string{"curl", "wget", "sh", "bash", "busybox"}

func checkTools(ctx context.Context, t *Target, r *Result) {
	files, err := t.Files(ctx)
	if err != nil {
		r.fail(err)
		return
	}
	var found []string
	for _, name := range tools {
		p, err := files.LookPath(ctx, name, t.env("PATH"))
		if err != nil {
			r.fail(err)
			return
		}
		if p != "" {
			found = append(found, p)
		}
	}
	if len(found) == 0 {
		r.set(Pass, i18n.T("no curl, wget or shell in the final image"), i18n.Text{})
		return
	}
	r.Add("found", "%s", strings.Join(found, ", "))
	r.set(Warn, i18n.T("the final image contains %s", strings.Join(found, ", ")),
		i18n.T("leave download tools and shells out of the final stage; probe health with the service's own binary"))
}

// buildArgPrefix matches the classic builder's record of build args in a
// RUN step's history: "|2 LAB_LOGIN=a LAB_TOKEN=b /bin/sh -c ...".
var buildArgPrefix = regexp.MustCompile(`^\|(\d+) `)

func checkHistoryArgs(_ context.Context, t *Target, r *Result) {
	leaks := map[string]bool{}
	for _, h := range t.Image.History {
		m := buildArgPrefix.FindStringSubmatch(h.CreatedBy)
		if m == nil {
			continue
		}
		for _, kv := range strings.Fields(h.CreatedBy[len(m[0]):]) {
			k, _, ok := strings.Cut(kv, "=")
			if !ok {
				break
			}
			leaks[k] = true
		}
	}
	if len(leaks) == 0 {
		r.set(Pass, i18n.T("no build-arg values in the image history"), i18n.Text{})
		return
	}
	names := sortedKeys(leaks)
	r.Add("args", "%s", strings.Join(names, ", "))
	r.set(Warn, i18n.T("the values of build args %s show in docker history", strings.Join(names, ", ")),
		i18n.T("declare ARGs after the last RUN of the final stage, right before the LABEL that uses them; pass secrets as build secrets, never as args"))
}

var secretName = regexp.MustCompile(`(?i)(password|passwd|secret|token|api_?key|access_?key|private_?key|credential)`)

func checkSecretEnv(_ context.Context, t *Target, r *Result) {
	var names []string
	for _, kv := range t.Image.Inspect.Config.Env {
		k, v, _ := strings.Cut(kv, "=")
		if v != "" && secretName.MatchString(k) {
			names = append(names, k)
		}
	}
	if len(names) == 0 {
		r.set(Pass, i18n.T("no secret-looking ENV names with values"), i18n.Text{})
		return
	}
	r.Add("names", "%s", strings.Join(names, ", "))
	r.set(Warn, i18n.T("ENV %s looks like a secret baked into the image", strings.Join(names, ", ")),
		i18n.T("pass secrets at run time (docker run -e, a secret store), never in ENV"))
}

var devServer = regexp.MustCompile(`(?i)this is a development server|debugger is active|starting development server|use a production wsgi server`)

func checkDevServer(_ context.Context, t *Target, r *Result) {
	observed := t.observations()
	if len(observed) == 0 {
		r.set(Skip, i18n.T("not judged: no container ran"), i18n.Text{})
		return
	}
	for _, o := range observed {
		for _, l := range o.logs {
			if devServer.MatchString(l) {
				r.Add("log_line", "%s", shorten(l, 200))
				r.set(Warn, i18n.T("the log shows a development server"),
					i18n.T("serve with a production server (gunicorn or uWSGI for Python), not the framework's built-in one"))
				return
			}
		}
	}
	r.set(Pass, i18n.T("no development server in the logs"), i18n.Text{})
}

var loopbackListen = regexp.MustCompile(`(?i)(running on|listening (at|on)|bound to|serving on|addr=)[: ]*(https?://)?(127\.0\.0\.1|localhost|\[::1\])`)

// checkListenAddress warns when a container ran but its published port
// never responded, because the service listens on the container's
// loopback or on another port. A log line naming 127.0.0.1 alone proves nothing, because
// servers bound to 0.0.0.0 list that address too.
func checkListenAddress(_ context.Context, t *Target, r *Result) {
	observed := t.observations()
	for _, o := range observed {
		if o.hostErr == "" || o.exited {
			continue
		}
		r.Add("host_error", "%s", o.hostErr)
		if line := loopbackLine(o.logs); line != "" {
			r.Add("log_line", "%s", shorten(line, 200))
			r.set(Warn, i18n.T("the service listens on 127.0.0.1 inside the container, so the published port gets no answer"), fixListen)
			return
		}
		if o.healthyInside {
			r.set(Warn, i18n.T("healthy inside the container but no answer on the published port: the service likely listens on 127.0.0.1"), fixListen)
			return
		}
		r.set(Warn, i18n.T("the container ran but its published port %s never answered: the service listens on 127.0.0.1 or on another port", t.Port), fixListen)
		return
	}
	if !anyAnswered(observed) {
		r.set(Skip, i18n.T("not judged: no container served long enough to tell"), i18n.Text{})
		return
	}
	r.set(Pass, i18n.T("the service answers on the published port"), i18n.Text{})
}

var fixListen = i18n.T("listen on 0.0.0.0 (all interfaces) inside the container, on the port the image EXPOSEs")

func loopbackLine(logs []string) string {
	for _, l := range logs {
		if loopbackListen.MatchString(l) {
			return l
		}
	}
	return ""
}

// anyAnswered reports whether some container responded to the host.
func anyAnswered(observed []observation) bool {
	for _, o := range observed {
		if o.hostErr == "" && !o.exited {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
