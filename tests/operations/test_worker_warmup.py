"""Each gunicorn worker builds the portal snapshot before it serves (``post_worker_init`` → ``portal.warmup``), telling
the arbiter meanwhile that it is alive; a failed build is logged and the worker serves anyway."""

from __future__ import annotations

import logging

import pytest
from gunicorn.config import Config

from dugnad.config import gunicorn as settings
from dugnad.portal import snapshot
from dugnad.portal.warmup import warm_snapshot
from tests.factories import world_build

pytestmark = pytest.mark.django_db(transaction=True)  # the build runs in a thread of its own, on its own connection


class Worker:
    """What the hook uses of a gunicorn worker."""

    def __init__(self) -> None:
        self.notified = 0

    def notify(self) -> None:
        self.notified += 1


def test_gunicorn_takes_the_hook_and_the_worker_has_its_snapshot_before_its_first_request():
    config = Config()
    config.set("post_worker_init", settings.post_worker_init)  # gunicorn checks it is a callable of one argument
    assert config.post_worker_init is settings.post_worker_init
    world_build()
    snapshot.forget_snapshot()
    settings.post_worker_init(Worker())
    built = snapshot._state["snapshot"]
    assert built is not None and "4601" in built.units
    assert snapshot.portal_snapshot() is built  # the first page finds it


def test_a_failed_build_is_logged_and_not_raised(monkeypatch, caplog):
    def broken(*_args, **_kwargs):
        raise RuntimeError("database down")

    snapshot.forget_snapshot()
    monkeypatch.setattr(snapshot, "build_snapshot", broken)
    worker = Worker()
    with caplog.at_level(logging.ERROR, logger="dugnad.portal.warmup"):
        assert warm_snapshot(notify=worker.notify, every=0.001) is None
    assert "Portal snapshot not built before serving" in caplog.text and "database down" in caplog.text
    assert snapshot._state["snapshot"] is None
