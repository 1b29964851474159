"""Probe an HTTP URL for Docker's HEALTHCHECK.

Usage: python3 healthcheck.py [URL]

URL defaults to http://127.0.0.1:$PORT/health, with PORT 8080 when unset,
so the probe follows the server's PORT setting. Exits 0 when a GET on URL
returns a 2xx status within 2 seconds, and 1 with
a one-line reason on stderr otherwise (Docker keeps that output in the
container's health log). It uses only the standard library because the
image has no curl or wget.
"""

import http.client
import os
import sys
import urllib.parse

TIMEOUT_SECONDS = 2


def probe(url):
    """Return None when GET url returns a 2xx status, else the reason it failed."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        return f"invalid URL {url!r}: expected http://HOST[:PORT]/PATH"
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    connection = http.client.HTTPConnection(
        parts.hostname, parts.port or 80, timeout=TIMEOUT_SECONDS
    )
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
    except (OSError, http.client.HTTPException) as err:
        return f"GET {url} failed: {err or type(err).__name__}"
    finally:
        connection.close()
    if not 200 <= response.status <= 299:
        return f"GET {url} returned {response.status} {response.reason}"
    return None


def main(argv):
    if len(argv) > 2:
        print("usage: healthcheck.py [URL]", file=sys.stderr)
        # Docker reserves exit status 2, so every failure is 1.
        return 1
    if len(argv) == 2:
        url = argv[1]
    else:
        url = f"http://127.0.0.1:{os.environ.get('PORT') or 8080}/health"
    reason = probe(url)
    if reason is not None:
        print(f"unhealthy: {reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
