package rocket

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// envMap returns a getenv function that reads from m.
func envMap(m map[string]string) func(string) string {
	return func(name string) string { return m[name] }
}

func TestLoadConfigDefaults(t *testing.T) {
	cfg, err := LoadConfig(envMap(nil))
	if err != nil {
		t.Fatalf("LoadConfig with an empty environment: got error %v, want nil", err)
	}
	want := Config{RocketSize: "Medium", Port: 8080, ShutdownTimeout: 5 * time.Second, LogLevel: slog.LevelInfo}
	if cfg != want {
		t.Errorf("got %+v, want %+v", cfg, want)
	}
	if got := cfg.Addr(); got != ":8080" {
		t.Errorf("Addr: got %q, want %q", got, ":8080")
	}
}

func TestLoadConfigValid(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		check func(Config) (got, want any)
	}{
		{"empty size means default", map[string]string{EnvRocketSize: ""},
			func(c Config) (any, any) { return c.RocketSize, "Medium" }},
		{"64 runes accepted", map[string]string{EnvRocketSize: strings.Repeat("é", 64)},
			func(c Config) (any, any) { return c.RocketSize, strings.Repeat("é", 64) }},
		{"spaces and HTML accepted", map[string]string{EnvRocketSize: `<b>Extra "Large"</b> & more`},
			func(c Config) (any, any) { return c.RocketSize, `<b>Extra "Large"</b> & more` }},
		{"port 1", map[string]string{EnvPort: "1"},
			func(c Config) (any, any) { return c.Port, 1 }},
		{"port 65535", map[string]string{EnvPort: "65535"},
			func(c Config) (any, any) { return c.Port, 65535 }},
		{"shutdown timeout 9s", map[string]string{EnvShutdownTimeout: "9s"},
			func(c Config) (any, any) { return c.ShutdownTimeout, 9 * time.Second }},
		{"shutdown timeout 250ms", map[string]string{EnvShutdownTimeout: "250ms"},
			func(c Config) (any, any) { return c.ShutdownTimeout, 250 * time.Millisecond }},
		{"log level debug", map[string]string{EnvLogLevel: "debug"},
			func(c Config) (any, any) { return c.LogLevel, slog.LevelDebug }},
		{"log level upper case", map[string]string{EnvLogLevel: "WARN"},
			func(c Config) (any, any) { return c.LogLevel, slog.LevelWarn }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := LoadConfig(envMap(tt.env))
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			if got, want := tt.check(cfg); got != want {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestLoadConfigInvalid(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		wantName string
		// wantText must appear in the error message.
		wantText string
	}{
		{"size 65 runes", map[string]string{EnvRocketSize: strings.Repeat("x", 65)},
			EnvRocketSize, "at most 64 characters, got 65"},
		{"size newline", map[string]string{EnvRocketSize: "Big\nSmall"},
			EnvRocketSize, `"Big\nSmall": must contain only printable characters`},
		{"size tab", map[string]string{EnvRocketSize: "Big\tSmall"},
			EnvRocketSize, "printable"},
		{"size escape", map[string]string{EnvRocketSize: "\x1b[31mRed"},
			EnvRocketSize, `"\x1b[31mRed"`},
		{"size DEL", map[string]string{EnvRocketSize: "Big\x7f"},
			EnvRocketSize, "printable"},
		{"size invalid UTF-8", map[string]string{EnvRocketSize: "Big\xff"},
			EnvRocketSize, `"Big\xff": must be valid UTF-8`},
		{"port text", map[string]string{EnvPort: "http"}, EnvPort, "integer from 1 to 65535"},
		{"port zero", map[string]string{EnvPort: "0"}, EnvPort, "integer from 1 to 65535"},
		{"port too big", map[string]string{EnvPort: "65536"}, EnvPort, `"65536"`},
		{"port negative", map[string]string{EnvPort: "-1"}, EnvPort, `"-1"`},
		{"port with space", map[string]string{EnvPort: " 8080"}, EnvPort, `" 8080"`},
		{"shutdown timeout zero", map[string]string{EnvShutdownTimeout: "0s"}, EnvShutdownTimeout, "above 0s"},
		{"shutdown timeout negative", map[string]string{EnvShutdownTimeout: "-1s"}, EnvShutdownTimeout, `"-1s"`},
		{"shutdown timeout 10s", map[string]string{EnvShutdownTimeout: "10s"}, EnvShutdownTimeout, "at most 9s"},
		{"shutdown timeout no unit", map[string]string{EnvShutdownTimeout: "5"}, EnvShutdownTimeout, `"5"`},
		{"log level unknown", map[string]string{EnvLogLevel: "verbose"}, EnvLogLevel, "one of debug, info, warn, error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(envMap(tt.env))
			var cfgErr *ConfigError
			if !errors.As(err, &cfgErr) {
				t.Fatalf("got error %v, want a *ConfigError", err)
			}
			if cfgErr.Name != tt.wantName {
				t.Errorf("Name: got %q, want %q", cfgErr.Name, tt.wantName)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantText) {
				t.Errorf("message: got %q, want it to contain %q", msg, tt.wantText)
			}
			if !strings.HasPrefix(msg, "invalid "+tt.wantName+" ") {
				t.Errorf("message: got %q, want prefix %q", msg, "invalid "+tt.wantName+" ")
			}
			if strings.ContainsAny(msg, "\n\r") {
				t.Errorf("message: got %q, want a single line", msg)
			}
		})
	}
}

func TestConfigErrorShortensValue(t *testing.T) {
	value := strings.Repeat("ü", 30) + "\n" + strings.Repeat("z", 100)
	err := &ConfigError{Name: EnvRocketSize, Value: value, Rule: "rule"}

	want := `invalid ROCKET_SIZE "` + strings.Repeat("ü", 20) + `…": rule`
	if got := err.Error(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestShorten(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"abc", "abc"},
		{strings.Repeat("a", 20), strings.Repeat("a", 20)},
		{strings.Repeat("a", 21), strings.Repeat("a", 20) + "…"},
		{strings.Repeat("ß", 25), strings.Repeat("ß", 20) + "…"},
		// Each invalid byte counts as one rune and is kept whole.
		{strings.Repeat("\xff", 22), strings.Repeat("\xff", 20) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := shorten(tt.in, 20); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
