"""Gunicorn settings (``gunicorn -c python:dugnad.config.gunicorn``): log lines like the app's (times in UTC, in the
master and in the workers, whose ``TZ`` Django sets to ``TIME_ZONE``), timeouts, and the portal snapshot built in each
worker before it serves (``post_worker_init``)."""

import time

from gunicorn.glogging import Logger

from dugnad.config.logs import logging_config


class UtcLogger(Logger):
    """gunicorn's logger with the request time of access lines (``%(t)s``) in UTC, like the records' own time, and
    access lines only when asked for (``--access-logfile``): behind the reverse proxy, which keeps the access log
    with the visitors' addresses, they would be a second line per request in the journal, naming only the proxy.

    gunicorn writes access lines whenever ``logconfig_dict`` is set, whatever ``accesslog`` says; here its own default
    holds again (no ``--access-logfile``, no access lines). Given, the lines go to the root handler with the others
    (JSON on stderr), whatever file it names: ``logconfig_dict`` replaces the handler gunicorn set for it.
    """

    def now(self) -> str:
        return time.strftime("[%d/%b/%Y:%H:%M:%S +0000]", time.gmtime())

    def access(self, resp, req, environ, request_time) -> None:
        if self.cfg.accesslog is not None:
            super().access(resp, req, environ, request_time)


logger_class = UtcLogger

#: gunicorn's own records go to the root handler (JSON lines by default), access lines too when asked for (above).
logconfig_dict = logging_config(loggers={"gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
                                         "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": True}})
#: Seconds a worker may spend on one request before it is restarted, and to finish requests on SIGTERM.
timeout = 60
graceful_timeout = 20


def post_worker_init(worker) -> None:
    """Build the portal snapshot before the worker takes its first request (``dugnad.portal.warmup``), telling the
    arbiter meanwhile that the worker is alive, so no visitor waits for the build."""
    from dugnad.portal.warmup import warm_snapshot

    warm_snapshot(notify=worker.notify)
