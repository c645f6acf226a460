"""Logging configuration: one line per record on stderr, a JSON object by default (DUGNAD_LOG_FORMAT).

Times are UTC in every process. Python's formatter writes local time, and a process that loads Django's settings
gets ``TZ`` set to ``TIME_ZONE`` (Europe/Oslo): gunicorn's master wrote UTC while its workers, the task worker
and the command line wrote Oslo time, with nothing in the line to tell which.
"""

from __future__ import annotations

import logging
import time

from django.core.exceptions import ImproperlyConfigured
from pythonjsonlogger.json import JsonFormatter

from dugnad.env import env


class UtcFormatter(logging.Formatter):
    """Plain lines with the time in UTC."""

    converter = time.gmtime


class UtcJsonFormatter(JsonFormatter):
    """JSON lines with the time in UTC."""

    converter = time.gmtime


FORMATTERS = {
    "json": {"()": "dugnad.config.logs.UtcJsonFormatter", "fmt": "{asctime}{levelname}{name}{message}", "style": "{",
             "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"}, "json_ensure_ascii": False},
    "text": {"()": "dugnad.config.logs.UtcFormatter", "fmt": "{asctime} {levelname} {name}: {message}", "style": "{"},
}


def logging_config(*, loggers: dict | None = None) -> dict:
    """A ``logging.config.dictConfig`` dictionary: the root logger writes to stderr in the configured format."""
    fmt = env("DUGNAD_LOG_FORMAT").strip().lower()
    if fmt not in FORMATTERS:
        raise ImproperlyConfigured(f"DUGNAD_LOG_FORMAT={fmt!r}: choose json or text")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {fmt: FORMATTERS[fmt]},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": fmt}},
        "root": {"handlers": ["stderr"], "level": env("DUGNAD_LOG_LEVEL").strip().upper()},
        "loggers": loggers or {},
    }
