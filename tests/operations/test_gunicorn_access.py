"""gunicorn with the project's config (``-c python:dugnad.config.gunicorn``) writes access lines only when asked for
(``--access-logfile``), as JSON records with the others on stderr; by default the reverse proxy keeps the access log.

Each case runs in its own process: gunicorn's logger configures the logging of the process it is made in."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

#: Makes the project's gunicorn logger (command-line arguments from argv) and logs one request through it.
SCRIPT = """
import datetime, sys
from types import SimpleNamespace
from gunicorn.app.base import Application

class ProjectConfig(Application):
    def init(self, parser, opts, args):
        return None
    def load_config(self):
        self.load_config_from_module_name_or_filename("python:dugnad.config.gunicorn")
        for name, value in (arg.split("=", 1) for arg in sys.argv[1:]):
            self.cfg.set(name, value)
    def load(self):
        return None

cfg = ProjectConfig().cfg
logger = cfg.logger_class(cfg)
response = SimpleNamespace(status="200 OK", status_code=200, response_length=5, sent=5, headers=[])
environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/kommuner/0301/", "PATH_INFO": "/kommuner/0301/",
           "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1"}
request = SimpleNamespace(headers=[], uri="/kommuner/0301/", method="GET", path="/kommuner/0301/", query="",
                          version=(1, 1), peer_addr=("127.0.0.1", 1))
logger.access(response, request, environ, datetime.timedelta(milliseconds=12))
logger.error("served")
"""


def _records(*settings: str) -> list[dict]:
    env = {**os.environ, "DUGNAD_LOG_FORMAT": "json"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, *settings], env=env, capture_output=True, text=True,
                          timeout=60, check=True)
    return [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]


@pytest.mark.parametrize(("settings", "access_lines"), [((), 0), (("accesslog=-",), 1)])
def test_access_lines_only_with_access_logfile(settings, access_lines):
    records = _records(*settings)
    assert [r["message"] for r in records if r["logger"] == "gunicorn.error"] == ["served"]
    access = [r["message"] for r in records if r["logger"] == "gunicorn.access"]
    assert len(access) == access_lines
    assert all('"GET /kommuner/0301/ HTTP/1.1" 200 5' in line for line in access)
