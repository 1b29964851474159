"""gunicorn settings and hooks for the rocket-flask service.

gunicorn runs this file once, in the master process, before it binds the
socket or starts a worker. Settings given on the command line or in
GUNICORN_CMD_ARGS override the values set here.
"""

import logging
import logging.config
import os
import signal
import sys

import jsonlog
import rocket

logging.config.dictConfig(jsonlog.logging_config())
log = logging.getLogger("rocket")

# Check the environment before gunicorn does anything else, and stop with
# status 2 and one log line when a value is invalid. gunicorn lets
# SystemExit through, so the status reaches `docker run` unchanged.
try:
    _port = rocket.read_port(os.environ)
    _rocket_size = rocket.read_rocket_size(os.environ)
except rocket.SettingError as err:
    log.error(
        str(err),
        extra={"variable": err.variable, "rule": err.rule, "value": rocket.shorten(err.value)},
    )
    sys.exit(2)

wsgi_app = "rocket:app_from_environ()"
bind = [f"0.0.0.0:{_port}"]
proc_name = rocket.SERVICE

# Two processes with four threads each. The threaded worker keeps serving
# health checks while a slow request occupies one thread.
worker_class = "gthread"
workers = 2
threads = 4

# Import the application in the master, so that a broken import fails
# start-up at once instead of making every worker crash in turn.
preload_app = True

# Each worker touches a heartbeat file so that the master can tell it is
# alive. /dev/shm is a tmpfs that Docker mounts in every container, also
# under --read-only, so the file never reaches the image's filesystem.
worker_tmp_dir = "/dev/shm"

# On SIGTERM the master closes the listening socket, sends SIGTERM to the
# workers and waits up to graceful_timeout seconds for in-flight requests
# before it kills them. 8 s keeps the whole stop inside the 10 s that
# `docker stop` waits before it sends SIGKILL.
graceful_timeout = 8
# A worker that sends no heartbeat for this many seconds is restarted.
timeout = 30

errorlog = "-"
loglevel = "info"
accesslog = None
logconfig_dict = jsonlog.logging_config()


def when_ready(server):
    log.info(
        "rocket-flask started",
        extra={
            "rocket_size": _rocket_size,
            "address": ", ".join(server.cfg.bind),
            "workers": server.cfg.workers,
            "threads": server.cfg.threads,
        },
    )


def post_worker_init(worker):
    # gunicorn's own SIGTERM handler only ends the worker's accept loop.
    # Wrap it so that /health returns 503 for the requests this worker
    # still handles while it drains.
    stop_accepting = worker.handle_exit

    def handle_sigterm(signum, frame):
        rocket.begin_shutdown()
        stop_accepting(signum, frame)

    signal.signal(signal.SIGTERM, handle_sigterm)
    # Keep gunicorn's choice: SIGTERM must not interrupt system calls of
    # requests in flight.
    signal.siginterrupt(signal.SIGTERM, False)


def on_exit(server):
    log.info("rocket-flask stopped")
