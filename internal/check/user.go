package check

import (
	"bufio"
	"bytes"
	"context"
	"strconv"
	"strings"

	"github.com/imagelab/imagelab/internal/engine"
	"github.com/imagelab/imagelab/internal/i18n"
)

var fixNumericUser = i18n.T("add USER 10001:10001 (a numeric non-root UID:GID) to the final stage")

func checkNonRoot(ctx context.Context, t *Target, r *Result) {
	user := t.Image.Inspect.Config.User
	r.Add("user", "%q", user)
	startable := checkUserConfig(ctx, t, r, user)
	if t.Static || !startable {
		return
	}
	checkUserAtRuntime(ctx, t, r)
}

// checkUserConfig judges the USER setting and reports whether a container
// of the image can start with it.
func checkUserConfig(ctx context.Context, t *Target, r *Result, user string) bool {
	name, group, _ := strings.Cut(user, ":")
	switch {
	case name == "":
		r.set(Fail, i18n.T("no USER is set, so the container runs as root"), fixNumericUser)
		return true
	case name == "0" || name == "root":
		r.set(Fail, i18n.T("USER %s is root", user), fixNumericUser)
		return true
	case isNumber(name):
		r.set(Pass, i18n.T("USER %s is a numeric non-root user", user), i18n.Text{})
		return checkGroupName(ctx, t, r, group)
	}
	uid, found, err := lookupID(ctx, t, "/etc/passwd", name)
	if err != nil {
		r.fail(err)
		return false
	}
	if !found {
		r.Add("passwd_entry", "none")
		r.set(Fail, i18n.T("USER %s does not resolve: the image's /etc/passwd has no such user, so the container cannot start", name),
			i18n.T("use a numeric UID:GID such as 65532:65532, which needs no /etc/passwd entry"))
		return false
	}
	r.Add("uid", "%s", uid)
	if uid == "0" {
		r.set(Fail, i18n.T("USER %s maps to UID 0 (root) in the image's /etc/passwd", name), fixNumericUser)
		return true
	}
	r.set(Warn, i18n.T("USER %s is a name (UID %s): Kubernetes runAsNonRoot cannot verify a name", name, uid),
		i18n.T("write the numeric form: USER %s", numericUser(uid, group)))
	return checkGroupName(ctx, t, r, group)
}

func checkGroupName(ctx context.Context, t *Target, r *Result, group string) bool {
	if group == "" || isNumber(group) {
		return true
	}
	_, found, err := lookupID(ctx, t, "/etc/group", group)
	if err != nil {
		r.fail(err)
		return false
	}
	if !found {
		r.worsen(Fail, i18n.T("group %s does not resolve: the image's /etc/group has no such group, so the container cannot start", group),
			i18n.T("use a numeric GID, such as USER 10001:10001"))
		return false
	}
	return true
}

func numericUser(uid, group string) string {
	if group == "" || !isNumber(group) {
		return uid + ":" + uid
	}
	return uid + ":" + group
}

func checkUserAtRuntime(ctx context.Context, t *Target, r *Result) {
	l, err := t.start(ctx, engine.RunSpec{Purpose: "non-root"})
	defer t.finish(r.ID, l)
	if err != nil {
		startFailed(r, err)
		return
	}
	uid, args, err := mainProcess(ctx, l)
	if err != nil {
		r.Add("pid1_uid", "unknown (%v)", err)
		return
	}
	r.Add("pid1_uid", "%s", uid)
	r.Add("pid1", "%s", args)
	if uid == "0" {
		r.worsen(Fail, i18n.T("the container's main process runs as UID 0"), fixNumericUser)
	}
}

// mainProcess returns the UID and command line of the container's main
// process, as the engine's process list reports them.
func mainProcess(ctx context.Context, l *launch) (uid, args string, err error) {
	info, err := l.c.Inspect(ctx)
	if err != nil {
		return "", "", err
	}
	procs, err := l.c.Processes(ctx)
	if err != nil {
		return "", "", err
	}
	pid := strconv.Itoa(info.State.Pid)
	for _, p := range procs {
		if p.PID == pid {
			return p.UID, p.Args, nil
		}
	}
	if len(procs) > 0 {
		return procs[0].UID, procs[0].Args, nil
	}
	return "", "", errNoProcess
}

// lookupID finds name in a passwd or group file of the image and returns
// its numeric ID (the third field).
func lookupID(ctx context.Context, t *Target, file, name string) (string, bool, error) {
	files, err := t.Files(ctx)
	if err != nil {
		return "", false, err
	}
	data, ok, err := files.ReadFile(ctx, file)
	if err != nil || !ok {
		return "", false, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		fields := strings.Split(sc.Text(), ":")
		if len(fields) >= 3 && fields[0] == name {
			return fields[2], true, nil
		}
	}
	return "", false, nil
}

func isNumber(s string) bool {
	_, err := strconv.ParseUint(s, 10, 32)
	return err == nil
}
