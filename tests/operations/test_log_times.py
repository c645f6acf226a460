"""Log times are UTC in every process (``dugnad.config.logs``, ``dugnad.config.gunicorn``), also where Django has set
the process's ``TZ`` to ``TIME_ZONE`` (gunicorn's workers, the task worker, the command line)."""

from __future__ import annotations

import json
import logging
import logging.config
import time

import pytest
from gunicorn.app.base import Application

from dugnad.config.logs import logging_config

#: 2026-01-01 00:00:00 UTC, 01:00 in Oslo.
NEW_YEAR = 1_767_225_600.0


@pytest.fixture
def oslo_time(monkeypatch):
    """The process in Oslo time, as Django's settings leave it."""
    monkeypatch.setenv("TZ", "Europe/Oslo")
    time.tzset()
    assert time.localtime(NEW_YEAR).tm_hour == 1
    yield
    monkeypatch.undo()
    time.tzset()


def _formatted(fmt: str, monkeypatch) -> str:
    monkeypatch.setenv("DUGNAD_LOG_FORMAT", fmt)
    config = logging_config()
    formatter = logging.config.DictConfigurator(config).configure_formatter(config["formatters"][fmt])
    record = logging.LogRecord("dugnad.test", logging.INFO, __file__, 1, "hei", None, None)
    record.created, record.msecs = NEW_YEAR, 0.0
    return formatter.format(record)


def test_json_lines_carry_the_utc_time(oslo_time, monkeypatch):
    assert json.loads(_formatted("json", monkeypatch))["time"] == "2026-01-01 00:00:00,000"


def test_text_lines_carry_the_utc_time(oslo_time, monkeypatch):
    assert _formatted("text", monkeypatch).startswith("2026-01-01 00:00:00,000 INFO dugnad.test: hei")


class _ProjectConfig(Application):
    """gunicorn reading the project's config file as ``-c python:dugnad.config.gunicorn`` does."""

    def init(self, parser, opts, args):
        return None

    def load_config(self):
        self.load_config_from_module_name_or_filename("python:dugnad.config.gunicorn")

    def load(self):
        return None


def test_gunicorn_access_lines_carry_the_utc_time(oslo_time):
    logger_class = _ProjectConfig().cfg.logger_class
    logger = logger_class.__new__(logger_class)  # without __init__, which would configure this process's logging
    before = time.strftime("[%d/%b/%Y:%H:%M:%S +0000]", time.gmtime())
    stamp = logger.now()
    after = time.strftime("[%d/%b/%Y:%H:%M:%S +0000]", time.gmtime())
    assert stamp in {before, after}
