"""JSON log lines for the rocket-flask service.

Every record becomes one line on stderr: a JSON object with time, level,
logger and message, plus any extra fields the caller passed with
``extra={...}``. A traceback goes into the ``error`` field, so one record
stays one line however many lines the traceback has.
"""

import datetime
import json
import logging

# Attributes that every LogRecord has. Anything else on a record came from
# ``extra`` and is written as a field of its own.
_RECORD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None))
) | {"message", "asctime"}


class JSONFormatter(logging.Formatter):
    """Format a record as one JSON object, without a trailing newline."""

    def format(self, record):
        line = {
            "time": datetime.datetime.fromtimestamp(
                record.created, datetime.timezone.utc
            ).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        # default=repr keeps an odd extra value from costing the whole line.
        return json.dumps(line, default=repr)


def logging_config():
    """Return a logging.config.dictConfig dictionary that sends every
    logger, gunicorn's included, to stderr as JSON lines."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JSONFormatter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": "INFO", "handlers": ["stderr"]},
        # gunicorn's loggers lose the plain-text handlers gunicorn gave them
        # and pass their records to the root handler instead. gunicorn.error
        # keeps the level from gunicorn's --log-level. gunicorn writes access
        # lines at INFO whenever a logging config is given, so the WARNING
        # level switches them off.
        "loggers": {
            "gunicorn.error": {"handlers": [], "propagate": True},
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": True},
        },
    }
