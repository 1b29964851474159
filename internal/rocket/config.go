package rocket

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Names of the environment variables that Config reads.
const (
	EnvRocketSize      = "ROCKET_SIZE"
	EnvPort            = "PORT"
	EnvShutdownTimeout = "SHUTDOWN_TIMEOUT"
	EnvLogLevel        = "LOG_LEVEL"
)

// Defaults that apply when a variable is unset or empty.
const (
	DefaultRocketSize      = "Medium"
	DefaultPort            = 8080
	DefaultShutdownTimeout = 5 * time.Second
)

// MaxRocketSizeRunes is the maximum length of ROCKET_SIZE, in runes.
const MaxRocketSizeRunes = 64

// MaxShutdownTimeout keeps the drain shorter than the 10 s that `docker stop`
// waits by default before it sends SIGKILL.
const MaxShutdownTimeout = 9 * time.Second

// shownValueRunes is how many runes of a rejected value an error message shows.
const shownValueRunes = 20

// Config is the service configuration, read once at start-up.
type Config struct {
	// RocketSize is the value that GET / reports.
	RocketSize string
	// Port is the TCP port to listen on, on all interfaces.
	Port int
	// ShutdownTimeout bounds how long in-flight requests may take to finish
	// after a stop signal.
	ShutdownTimeout time.Duration
	// LogLevel is the minimum level that is logged.
	LogLevel slog.Level
}

// Addr returns the listen address for net.Listen, such as ":8080".
func (c Config) Addr() string {
	return ":" + strconv.Itoa(c.Port)
}

// ConfigError reports an environment variable whose value breaks a rule.
type ConfigError struct {
	// Name is the environment variable.
	Name string
	// Value is the rejected value, unshortened.
	Value string
	// Rule states what a valid value looks like.
	Rule string
}

// Error returns one line that names the variable, shows the value shortened
// and quoted, and states the rule. Quoting keeps control characters and
// invalid UTF-8 from breaking the line.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("invalid %s %q: %s", e.Name, shorten(e.Value, shownValueRunes), e.Rule)
}

// LoadConfig reads the configuration through getenv (os.Getenv in
// production). It returns a *ConfigError for the first invalid variable.
func LoadConfig(getenv func(string) string) (Config, error) {
	cfg := Config{
		RocketSize:      DefaultRocketSize,
		Port:            DefaultPort,
		ShutdownTimeout: DefaultShutdownTimeout,
		LogLevel:        slog.LevelInfo,
	}
	var err error
	if v := getenv(EnvRocketSize); v != "" {
		if cfg.RocketSize, err = parseRocketSize(v); err != nil {
			return Config{}, err
		}
	}
	if cfg.Port, err = ParsePort(getenv(EnvPort)); err != nil {
		return Config{}, err
	}
	if v := getenv(EnvShutdownTimeout); v != "" {
		if cfg.ShutdownTimeout, err = parseShutdownTimeout(v); err != nil {
			return Config{}, err
		}
	}
	if v := getenv(EnvLogLevel); v != "" {
		if cfg.LogLevel, err = parseLogLevel(v); err != nil {
			return Config{}, err
		}
	}
	return cfg, nil
}

func parseRocketSize(v string) (string, error) {
	if !utf8.ValidString(v) {
		return "", &ConfigError{Name: EnvRocketSize, Value: v, Rule: "must be valid UTF-8"}
	}
	if n := utf8.RuneCountInString(v); n > MaxRocketSizeRunes {
		rule := fmt.Sprintf("must be at most %d characters, got %d", MaxRocketSizeRunes, n)
		return "", &ConfigError{Name: EnvRocketSize, Value: v, Rule: rule}
	}
	if strings.IndexFunc(v, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		rule := "must contain only printable characters (no control characters, tabs or newlines)"
		return "", &ConfigError{Name: EnvRocketSize, Value: v, Rule: rule}
	}
	return v, nil
}

// ParsePort parses a PORT value. An empty value means DefaultPort.
func ParsePort(v string) (int, error) {
	if v == "" {
		return DefaultPort, nil
	}
	// ParseUint rejects signs, spaces and values above 65535.
	n, err := strconv.ParseUint(v, 10, 16)
	if err != nil || n == 0 {
		return 0, &ConfigError{Name: EnvPort, Value: v, Rule: "must be an integer from 1 to 65535"}
	}
	return int(n), nil
}

func parseShutdownTimeout(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 || d > MaxShutdownTimeout {
		rule := fmt.Sprintf("must be a Go duration above 0s and at most %s, such as 5s or 1500ms", MaxShutdownTimeout)
		return 0, &ConfigError{Name: EnvShutdownTimeout, Value: v, Rule: rule}
	}
	return d, nil
}

var logLevels = map[string]slog.Level{
	"debug": slog.LevelDebug,
	"info":  slog.LevelInfo,
	"warn":  slog.LevelWarn,
	"error": slog.LevelError,
}

func parseLogLevel(v string) (slog.Level, error) {
	level, ok := logLevels[strings.ToLower(v)]
	if !ok {
		return 0, &ConfigError{Name: EnvLogLevel, Value: v, Rule: "must be one of debug, info, warn, error"}
	}
	return level, nil
}

// shorten cuts s to its first limit runes and marks the cut with "…". Each
// invalid UTF-8 byte counts as one rune.
func shorten(s string, limit int) string {
	count := 0
	for i := range s {
		if count == limit {
			return s[:i] + "…"
		}
		count++
	}
	return s
}
