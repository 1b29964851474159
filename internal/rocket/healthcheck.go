package rocket

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// ProbeTimeout bounds one health probe, connection included. The image's
// HEALTHCHECK --timeout must stay above it.
const ProbeTimeout = 2 * time.Second

// DefaultHealthURL returns the /health URL of a server on this host at port.
func DefaultHealthURL(port int) string {
	return fmt.Sprintf("http://127.0.0.1:%d/health", port)
}

// Probe sends GET target over plain HTTP/1.1 and returns nil when the
// status is 2xx. Redirects are not followed, so 3xx counts as unhealthy.
// The error names target and either the status or the connection error.
//
// Probe writes the request on a net.Conn itself because http.Client's
// Transport links the TLS client code. With Go 1.26.8 that added 0.29 MB to
// the stripped binary, which pushed the image over its 6 MB budget.
func Probe(ctx context.Context, target string) error {
	u, err := url.Parse(target)
	if err != nil {
		return fmt.Errorf("parsing health URL %q: %w", target, err)
	}
	if u.Scheme != "http" || u.Host == "" {
		return fmt.Errorf("probing %q: the URL must start with http:// and name a host", target)
	}
	ctx, cancel := context.WithTimeout(ctx, ProbeTimeout)
	defer cancel()

	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, "tcp", hostPort(u))
	if err != nil {
		return fmt.Errorf("probing %q: %w", target, err)
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline) // a failed deadline shows as a timeout below
	}

	status, err := roundTrip(conn, u)
	if err != nil {
		return fmt.Errorf("probing %q: %w", target, err)
	}
	if status < 200 || status > 299 {
		return fmt.Errorf("probing %q: unhealthy status %d %s", target, status, http.StatusText(status))
	}
	return nil
}

// roundTrip sends one GET request for u on conn and returns the status code.
func roundTrip(conn net.Conn, u *url.URL) (int, error) {
	req := &http.Request{
		Method: http.MethodGet, URL: u, Host: u.Host,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"User-Agent": {"rocket-healthcheck"}},
		Close:  true,
	}
	if err := req.Write(conn); err != nil {
		return 0, fmt.Errorf("sending request: %w", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		return 0, fmt.Errorf("reading response: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}

// hostPort returns u's host with port 80 added when u names none.
func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	return net.JoinHostPort(u.Hostname(), "80")
}
