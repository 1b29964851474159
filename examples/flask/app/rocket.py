"""The rocket service as a Flask application, served by gunicorn.

Routes:
  GET /        200 {"service": "rocket-flask", "rocket_size": ...}
  GET /health  200 {"status": "ok"}, or 503 {"status": "shutting down"}
               once this worker has received SIGTERM
  GET /slow    only when ROCKET_TEST_SLOW=1: sleeps ?seconds=N (0 to 30)
               so that tests can hold a request in flight during shutdown

HEAD works wherever GET does. Other methods get 405 with an Allow header,
unknown paths 404, and every error body is JSON.

Settings come from the environment. gunicorn.conf.py checks them when
gunicorn loads its configuration, so a bad value stops start-up before
any worker runs, and gunicorn then builds the application once, in the
master process, with app_from_environ.
"""

import logging
import os
import threading
import time

from flask import Flask, jsonify, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest, HTTPException

SERVICE = "rocket-flask"
DEFAULT_ROCKET_SIZE = "Medium"
MAX_ROCKET_SIZE_LENGTH = 64
DEFAULT_PORT = 8080
MAX_SLOW_SECONDS = 30.0

# Characters of an invalid value shown in an error message.
_SHOWN_CHARACTERS = 40

# JSON escapes for the characters that let a browser read a JSON body as
# HTML. They occur only inside JSON strings, so replacing them keeps the
# value the same.
_HTML_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"})

log = logging.getLogger("rocket")

# Set by the worker's SIGTERM handler (see gunicorn.conf.py). gunicorn
# forks each worker from the master after this module is imported, so every
# worker has an event of its own.
shutting_down = threading.Event()


class SettingError(ValueError):
    """An environment variable with a value the service rejects."""

    def __init__(self, variable, rule, value):
        self.variable = variable
        self.rule = rule
        self.value = value
        super().__init__(f"invalid {variable} {shorten(value)}: {rule}")


def shorten(value):
    """Return value repr-quoted, cut to its first characters when long, so
    that control characters and huge values stay on one short line."""
    if len(value) <= _SHOWN_CHARACTERS:
        return repr(value)
    return f"{value[:_SHOWN_CHARACTERS]!r}... ({len(value)} characters)"


def read_rocket_size(environ):
    """Return ROCKET_SIZE from environ: empty or unset means Medium, any
    other value must be at most 64 printable characters."""
    value = environ.get("ROCKET_SIZE", "")
    if value == "":
        return DEFAULT_ROCKET_SIZE
    if len(value) > MAX_ROCKET_SIZE_LENGTH:
        raise SettingError(
            "ROCKET_SIZE", f"must be at most {MAX_ROCKET_SIZE_LENGTH} characters", value
        )
    # str.isprintable rejects control, format and separator characters
    # except the ASCII space. Bytes that are not UTF-8 arrive as lone
    # surrogates, which it rejects too.
    if not value.isprintable():
        raise SettingError(
            "ROCKET_SIZE", "must contain only printable characters", value
        )
    return value


def read_port(environ):
    """Return PORT from environ: empty or unset means 8080, any other value
    must be a decimal number from 1 to 65535."""
    value = environ.get("PORT", "")
    if value == "":
        return DEFAULT_PORT
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 65535:
        raise SettingError("PORT", "must be a decimal number from 1 to 65535", value)
    return int(value)


class HTMLSafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with keys in insertion order and <, >, & and '
    written as \\u escapes, so echoed settings can never form markup."""

    sort_keys = False

    def dumps(self, obj, **kwargs):
        return super().dumps(obj, **kwargs).translate(_HTML_ESCAPES)


def begin_shutdown():
    """Make /health return 503 from now on in this worker."""
    shutting_down.set()


def create_app(rocket_size, slow_route=False):
    """Build the Flask application that serves rocket_size."""
    app = Flask(__name__)
    app.json = HTMLSafeJSONProvider(app)

    # provide_automatic_options=False: OPTIONS gets 405 like every other
    # method that a route does not list. Flask adds HEAD to GET routes.
    @app.get("/", provide_automatic_options=False)
    def index():
        return jsonify(service=SERVICE, rocket_size=rocket_size)

    @app.get("/health", provide_automatic_options=False)
    def health():
        if shutting_down.is_set():
            return jsonify(status="shutting down"), 503
        return jsonify(status="ok")

    if slow_route:

        @app.get("/slow", provide_automatic_options=False)
        def slow():
            seconds = request.args.get("seconds", "1")
            try:
                delay = float(seconds)
            except ValueError:
                delay = -1.0
            # The negated test also rejects NaN.
            if not 0.0 <= delay <= MAX_SLOW_SECONDS:
                raise BadRequest(
                    f"seconds must be a number from 0 to {MAX_SLOW_SECONDS:g}, "
                    f"not {shorten(seconds)}"
                )
            time.sleep(delay)
            return jsonify(slept_seconds=delay, shutting_down=shutting_down.is_set())

    @app.after_request
    def no_sniffing(response):
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    @app.errorhandler(HTTPException)
    def http_error(error):
        # get_response keeps the headers werkzeug sets, such as Allow on 405.
        response = error.get_response()
        response.data = app.json.dumps(
            {"status": error.code, "error": error.name, "message": error.description}
        )
        response.content_type = "application/json"
        return response

    return app


def app_from_environ():
    """Build the application from ROCKET_SIZE and ROCKET_TEST_SLOW. This
    is the factory that gunicorn calls: "rocket:app_from_environ()"."""
    rocket_size = read_rocket_size(os.environ)
    slow_route = os.environ.get("ROCKET_TEST_SLOW", "") == "1"
    if slow_route:
        log.warning("test route /slow is enabled by ROCKET_TEST_SLOW=1")
    return create_app(rocket_size, slow_route=slow_route)
