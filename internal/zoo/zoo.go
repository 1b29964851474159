// Package zoo lists the test images under testdata/zoo. Each image breaks
// one requirement of the production checklist (or none, or only earns a
// warning), so a checker test can build it and assert which check fails.
//
// All zoo Dockerfiles share one build context, testdata/zoo, and run the
// same Go program from testdata/zoo/app, which takes its misbehaviour from
// flags in the image's ENTRYPOINT. testdata/zoo/README.md gives the
// evidence measured for each image.
package zoo

import (
	"maps"
	"path/filepath"
	"slices"
)

// Check IDs of the production checklist, as the checker reports them.
const (
	CheckSize        = "size"
	CheckNonRoot     = "non-root"
	CheckHealthcheck = "healthcheck"
	CheckSigterm     = "sigterm"
	CheckReadOnly    = "read-only"
	CheckEnvConfig   = "env-config"
	CheckLabels      = "labels"
	CheckMultiStage  = "multi-stage"
)

// Checks lists every check ID of the checklist, in checklist order.
var Checks = []string{
	CheckSize, CheckNonRoot, CheckHealthcheck, CheckSigterm,
	CheckReadOnly, CheckEnvConfig, CheckLabels, CheckMultiStage,
}

// TagPrefix starts the tag of every zoo image. `make clean` removes all
// images under imagelab-test/.
const TagPrefix = "imagelab-test/zoo-"

// Image describes one zoo image and the verdict expected for it.
type Image struct {
	// Name identifies the image. It is also the folder of its Dockerfile,
	// except for images that reuse another image's Dockerfile.
	Name string
	// Dockerfile is the Dockerfile's path relative to the build context
	// (see Context), with forward slashes.
	Dockerfile string
	// Args holds the build args that differ from the defaults that
	// internal/testenv passes (local base images, LAB_LOGIN=student42,
	// LAB_TOKEN=tok-0042). It is nil for most images.
	Args map[string]string
	// Fails is the ID of the one check expected to fail, or "" when the
	// image should pass every check, with warnings at most.
	Fails string
	// AlsoFails lists checks that cannot pass either, as a consequence of
	// the same fault, at the checker's default settings. Examples are the
	// run-time checks of a container that never starts. A checker may
	// report them as failed or as not run.
	AlsoFails []string
	// Warns lists the checks expected to pass with a warning.
	Warns []string
	// HasShell is true when the final image contains /bin/sh and apt. A
	// checker that warns about development tools in a production image may
	// add warnings for it that Warns does not list, because no check ID of
	// the checklist is reserved for them.
	HasShell bool
	// Evidence summarises what was measured on Docker Engine 20.10 with
	// the image's own HEALTHCHECK timing and docker stop's default 10 s
	// grace period.
	Evidence string
}

// Tag returns the image tag that the zoo is built under.
func (i Image) Tag() string {
	return TagPrefix + i.Name
}

// Context returns the build context folder of every zoo image, given the
// repository's top folder.
func Context(repoRoot string) string {
	return filepath.Join(repoRoot, "testdata", "zoo")
}

// Images returns every zoo image. The slice and its maps are new on each
// call, so callers may change them.
func Images() []Image {
	all := make([]Image, len(images))
	for i, img := range images {
		all[i] = clone(img)
	}
	return all
}

// Lookup returns the zoo image called name, and false when there is none.
func Lookup(name string) (Image, bool) {
	for _, img := range images {
		if img.Name == name {
			return clone(img), true
		}
	}
	return Image{}, false
}

func clone(img Image) Image {
	img.Args = maps.Clone(img.Args)
	img.AlsoFails = slices.Clone(img.AlsoFails)
	img.Warns = slices.Clone(img.Warns)
	return img
}

// runtimeChecks are the checks that need a running container.
var runtimeChecks = []string{CheckHealthcheck, CheckSigterm, CheckReadOnly, CheckEnvConfig}

var images = []Image{
	{
		Name:       "good",
		Dockerfile: "good/Dockerfile",
		Evidence: "Scratch, 6.6 MB, runs as 65532. Healthy after about 2 s; host GET /health 200; " +
			"docker stop takes 0.15 s with exit 0 and logs \"stopped cleanly\"; serves under --read-only; " +
			"ROCKET_SIZE=Small and Large are both reflected by GET /.",
	},
	{
		Name:       "root-user",
		Dockerfile: "root-user/Dockerfile",
		Fails:      CheckNonRoot,
		Evidence:   "Config.User is empty, so PID 1 runs as root (docker top shows user root). Every other check passes.",
	},
	{
		Name:       "uid0-name",
		Dockerfile: "uid0-name/Dockerfile",
		Fails:      CheckNonRoot,
		Evidence: "Config.User is \"admin\", and the image's /etc/passwd maps admin to UID 0, " +
			"so PID 1 runs as UID 0 (docker top shows user root). Scratch image with only /app, /etc/passwd and /etc/group.",
	},
	{
		Name:       "unknown-user",
		Dockerfile: "unknown-user/Dockerfile",
		Fails:      CheckNonRoot,
		AlsoFails:  runtimeChecks,
		Evidence: "Config.User is \"nobody\" and the scratch image has no /etc/passwd. docker run exits 125 with " +
			"\"unable to find user nobody: no matching entries in passwd file\"; the container stays in state created " +
			"with ExitCode 128, so no run-time check can observe the app.",
	},
	{
		Name:       "user-name",
		Dockerfile: "user-name/Dockerfile",
		Warns:      []string{CheckNonRoot},
		Evidence: "Config.User is \"app\", which the image's /etc/passwd maps to UID 10001; " +
			"PID 1 runs as 10001. Docker accepts it, but a name is not a numeric UID.",
	},
	{
		Name:       "no-healthcheck",
		Dockerfile: "no-healthcheck/Dockerfile",
		Fails:      CheckHealthcheck,
		Evidence:   "Config.Healthcheck is nil and State.Health is absent. Host GET /health still answers 200.",
	},
	{
		Name:       "health-wrong-path",
		Dockerfile: "health-wrong-path/Dockerfile",
		Fails:      CheckHealthcheck,
		Evidence: "The HEALTHCHECK probes http://127.0.0.1:8080/healthz. The app serves /healthz as well, " +
			"so the container is healthy and host GET /health answers 200: only the static check of the probed path fails.",
	},
	{
		Name:       "health-never",
		Dockerfile: "health-never/Dockerfile",
		Fails:      CheckHealthcheck,
		Evidence: "The HEALTHCHECK probes port 8081. Status unhealthy after about 10.5 s with FailingStreak 3; " +
			"the last probe has ExitCode 1 and output \"... connect: connection refused\". Host GET /health answers 200.",
	},
	{
		Name:       "health-cannot-fail",
		Dockerfile: "health-cannot-fail/Dockerfile",
		Fails:      CheckHealthcheck,
		HasShell:   true,
		Evidence: "Debian with curl, 94 MB. Shell-form probe `curl -s http://127.0.0.1:8080/health || exit 1` " +
			"and /health answers 503: the container is healthy (probe ExitCode 0, output {\"status\":\"failing\"}) " +
			"while host GET /health returns 503.",
	},
	{
		Name:       "health-curl-missing",
		Dockerfile: "health-curl-missing/Dockerfile",
		Fails:      CheckHealthcheck,
		HasShell:   true,
		Evidence: "Debian final stage without curl; shell-form probe `curl -f http://127.0.0.1:8080/health || exit 1`. " +
			"The probe prints \"/bin/sh: 1: curl: not found\" and exits 1, so the container turns unhealthy. " +
			"Host GET /health answers 200.",
	},
	{
		Name:       "health-shell-scratch",
		Dockerfile: "health-shell-scratch/Dockerfile",
		Fails:      CheckHealthcheck,
		Evidence: "Shell-form HEALTHCHECK (Config.Healthcheck.Test starts with CMD-SHELL) on scratch: no /bin/sh. " +
			"Unhealthy after about 10.5 s, FailingStreak 3, probe ExitCode -1 with output " +
			"\"OCI runtime exec failed: ... exec: \\\"/bin/sh\\\": stat /bin/sh: no such file or directory: unknown\". " +
			"Host GET /health answers 200.",
	},
	{
		Name:       "sigterm-ignored",
		Dockerfile: "sigterm-ignored/Dockerfile",
		Fails:      CheckSigterm,
		Evidence: "The app logs `msg=\"ignoring signal\" signal=terminated` and keeps serving. docker stop takes " +
			"10.15 s (3.15 s with -t 3) and the exit code is 137.",
	},
	{
		Name:       "sigterm-exit2",
		Dockerfile: "sigterm-exit2/Dockerfile",
		Fails:      CheckSigterm,
		Evidence: "No signal handler in the app, which runs as PID 1. docker stop takes 0.15 s, the exit code is 2, " +
			"and nothing is logged after the start. With docker run --init the same image exits 143.",
	},
	{
		Name:       "sigterm-shell",
		Dockerfile: "sigterm-shell/Dockerfile",
		Fails:      CheckSigterm,
		HasShell:   true,
		Evidence: "Debian, shell-form CMD: PID 1 is `/bin/sh -c /app` and /app is its child. docker stop takes " +
			"10.18 s (3.28 s with -t 3) and the exit code is 137; the app never logs the signal.",
	},
	{
		Name:       "write-root",
		Dockerfile: "write-root/Dockerfile",
		Fails:      CheckReadOnly,
		Evidence: "Without --read-only it logs \"wrote the state file\" and is healthy. Under --read-only it exits 1 " +
			"at once and logs `msg=\"failed to write the state file\" ... read-only file system`.",
	},
	{
		Name:       "size-ignored",
		Dockerfile: "size-ignored/Dockerfile",
		Fails:      CheckEnvConfig,
		Evidence:   "GET / returns {\"rocket_size\":\"Medium\"} with ROCKET_SIZE=Small and with ROCKET_SIZE=Large.",
	},
	{
		Name:       "size-baked",
		Dockerfile: "size-baked/Dockerfile",
		Fails:      CheckEnvConfig,
		Evidence: "The ENTRYPOINT fixes the size at build time: GET / returns {\"rocket_size\":\"Large\"} " +
			"with ROCKET_SIZE=Small and with ROCKET_SIZE=Large.",
	},
	{
		Name:       "labels-missing",
		Dockerfile: "labels-missing/Dockerfile",
		Fails:      CheckLabels,
		Evidence:   "Config.Labels is null.",
	},
	{
		Name:       "labels-empty",
		Dockerfile: "labels-empty/Dockerfile",
		Fails:      CheckLabels,
		Evidence: "Both labels are present with the value \"\" because LAB_LOGIN and LAB_TOKEN are declared " +
			"only before the first FROM. The build prints no warning.",
	},
	{
		Name:       "labels-wrong",
		Dockerfile: "good/Dockerfile",
		Args:       map[string]string{"LAB_LOGIN": "someone-else", "LAB_TOKEN": "tok-9999"},
		Fails:      CheckLabels,
		Evidence: "The good image built with other lab values: org.lab.login=someone-else, org.lab.token=tok-9999. " +
			"It fails only when the checker is given the expected login and token (student42, tok-0042).",
	},
	{
		Name:       "single-stage",
		Dockerfile: "single-stage/Dockerfile",
		Fails:      CheckMultiStage,
		AlsoFails:  []string{CheckSize},
		HasShell:   true,
		Evidence: "One FROM (the Go image), so nothing is copied from an earlier stage. The image is 403 MB, " +
			"so the size check fails too unless the checker is run with a max size above that. " +
			"Run-time checks pass.",
	},
	{
		Name:       "loopback-only",
		Dockerfile: "loopback-only/Dockerfile",
		Fails:      CheckHealthcheck,
		AlsoFails:  []string{CheckReadOnly, CheckEnvConfig},
		Evidence: "The app logs addr=127.0.0.1:8080. The container is healthy because the probe runs inside, but " +
			"every request to the published port fails with \"connection reset by peer\" or an empty reply, so host " +
			"probes of /health and / get no HTTP answer. docker stop takes 0.4 s with exit 0.",
	},
	{
		Name:       "dev-tools",
		Dockerfile: "dev-tools/Dockerfile",
		HasShell:   true,
		Evidence: "Debian final stage with /bin/sh, apt and curl, 94 MB. The HEALTHCHECK is exec-form " +
			"[\"curl\", \"-fsS\", ...], found through PATH as /usr/bin/curl. Every check passes.",
	},
	{
		Name:       "leaky-args",
		Dockerfile: "leaky-args/Dockerfile",
		// The labels themselves are right; the leak is production advice
		// that the checker reports under its own id, outside the checklist.
		Evidence: "docker history shows `|2 LAB_LOGIN=student42 LAB_TOKEN=tok-0042 /app version` for the RUN step. " +
			"The LABEL entry shows the token too, as it does in the good image, so only the RUN entry is the leak.",
	},
}
