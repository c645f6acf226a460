"""Logging configuration: one line per record on stderr, a JSON object by default (DUGNAD_LOG_FORMAT)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from dugnad.env import env

FORMATTERS = {
    "json": {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": "{asctime}{levelname}{name}{message}", "style": "{",
             "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"}, "json_ensure_ascii": False},
    "text": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
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
