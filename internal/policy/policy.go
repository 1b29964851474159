// Package policy holds the settings that imagelab's checks measure an image
// against. The lab's values are the defaults, so the checker serves any
// HTTP service: flags and a YAML policy file change them.
package policy

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/imagelab/imagelab/internal/i18n"
)

// Policy is the set of requirements one check run applies.
type Policy struct {
	// MaxSize is the largest image size allowed, in bytes, compared with
	// the image's .Size as `docker images` reports it.
	MaxSize int64
	// HealthPath is the HTTP path that HEALTHCHECK and the host probe use.
	HealthPath string
	// Port is the container port of the service ("8080/tcp"). Empty means:
	// take it from the image's EXPOSE.
	Port string
	// Env is the variable that must change the response of "/", and the
	// two values to try.
	Env EnvVariation
	// Labels are the labels the image must carry, in order.
	Labels []LabelRule
	// StopTimeout is the grace that `docker stop` gives before SIGKILL.
	StopTimeout time.Duration
	// ReadyTimeout bounds the wait for a container to respond to HTTP.
	ReadyTimeout time.Duration
	// Settle is how long a container must keep running after its first
	// response, in the read-only run.
	Settle time.Duration
	// Timeout bounds the whole check run.
	Timeout time.Duration
}

// EnvVariation names an environment variable and two values for it.
type EnvVariation struct {
	Name   string
	Values [2]string
}

// LabelRule requires a label. An empty Value accepts any non-empty value.
type LabelRule struct {
	Key   string
	Value string
}

// The lab's requirements.
const (
	LoginLabel = "org.lab.login"
	TokenLabel = "org.lab.token"
)

// Default returns the lab's policy.
func Default() Policy {
	return Policy{
		MaxSize:      150 * 1000 * 1000,
		HealthPath:   "/health",
		Env:          EnvVariation{Name: "ROCKET_SIZE", Values: [2]string{"Small", "Large"}},
		Labels:       []LabelRule{{Key: LoginLabel}, {Key: TokenLabel}},
		StopTimeout:  10 * time.Second,
		ReadyTimeout: 20 * time.Second,
		Settle:       2 * time.Second,
		Timeout:      2 * time.Minute,
	}
}

// RequireLabel sets the value that label key must have, adding the rule
// when the policy has none for key.
func (p *Policy) RequireLabel(key, value string) {
	for i := range p.Labels {
		if p.Labels[i].Key == key {
			p.Labels[i].Value = value
			return
		}
	}
	p.Labels = append(p.Labels, LabelRule{Key: key, Value: value})
}

var sizePattern = regexp.MustCompile(`^(?i)\s*([0-9]+(?:\.[0-9]+)?)\s*(b|kb|mb|gb|kib|mib|gib)?\s*$`)

// ParseSize reads a size such as "150MB", "6.5 MB", "2GiB", "1000000B" or
// "150". MB is decimal (10^6), as `docker images` shows sizes, and a number
// without a unit is megabytes too, since that is how sizes are spoken of.
func ParseSize(s string) (int64, error) {
	m := sizePattern.FindStringSubmatch(s)
	if m == nil {
		return 0, i18n.Errorf("invalid size %q: use a number with an optional unit, such as 150MB or 6.5MB", s)
	}
	n, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, i18n.Errorf("invalid size %q: %w", s, err)
	}
	unit := map[string]float64{"": 1e6, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30}
	bytes := n * unit[strings.ToLower(m[2])]
	if bytes <= 0 {
		return 0, i18n.Errorf("invalid size %q: it must be greater than zero, such as 150MB", s)
	}
	return int64(bytes), nil
}

// ParsePort reads a container port, "8080" or "8080/tcp", and returns it
// in the "8080/tcp" form.
func ParsePort(s string) (string, error) {
	num, proto, _ := strings.Cut(strings.TrimSpace(s), "/")
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || n > 65535 {
		return "", i18n.Errorf("invalid port %q: use a number from 1 to 65535, optionally with /tcp", s)
	}
	if proto == "" {
		proto = "tcp"
	}
	if proto != "tcp" {
		return "", i18n.Errorf("invalid port %q: only tcp ports can be probed over HTTP", s)
	}
	return fmt.Sprintf("%d/tcp", n), nil
}

// ParseEnv reads NAME=VALUE1,VALUE2 as the --env flag takes it.
func ParseEnv(s string) (EnvVariation, error) {
	name, values, ok := strings.Cut(s, "=")
	first, second, ok2 := strings.Cut(values, ",")
	if !ok || !ok2 || name == "" || first == "" || second == "" {
		return EnvVariation{}, i18n.Errorf("invalid --env %q: use NAME=VALUE1,VALUE2, for example ROCKET_SIZE=Small,Large", s)
	}
	if first == second {
		return EnvVariation{}, i18n.Errorf("invalid --env %q: the two values must differ", s)
	}
	return EnvVariation{Name: name, Values: [2]string{first, second}}, nil
}

// ParseLabel reads KEY or KEY=VALUE as the --label flag takes it.
func ParseLabel(s string) (LabelRule, error) {
	key, value, _ := strings.Cut(s, "=")
	if strings.TrimSpace(key) == "" {
		return LabelRule{}, i18n.Errorf("invalid --label %q: use KEY or KEY=VALUE", s)
	}
	return LabelRule{Key: key, Value: value}, nil
}

// ParseHealthPath checks that p is an absolute URL path.
func ParseHealthPath(p string) (string, error) {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, " \t\n?#") {
		return "", i18n.Errorf("invalid health path %q: use an absolute path such as /health", p)
	}
	return p, nil
}
