"""A grid save reads and writes in a bounded number of SQL queries, and a store locked by an import answers 503
«busy» in the user's language at once (query counts and status codes, no timings)."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from tests.factories import round_national, submission_of, world_build

from dugnad.observations.models import Observation
from dugnad.web.views import submissions as views

pytestmark = pytest.mark.django_db

#: SQL queries of one grid save: session, user, submission, memberships, the indicator (with round membership and
#: spec unit), savepoint, the round's shared lock and the locked submission (one statement), the locked cell, the
#: write (the run, the retired and the new revision in one statement), the audit entry, savepoint = 11 on
#: PostgreSQL; on SQLite the write in three statements and the write-lock wait set and restored (2) = 15. It took 24,
#: then 18, then 13 on PostgreSQL before the save's reads and writes became fixed statements (issue 17).
SAVE_MAX = 11 if connection.vendor == "postgresql" else 15


def _save(client, sub, indicator, value, revision, **headers):
    return client.post(f"/innleveringer/{sub.pk}/verdi/", {"indicator": indicator.pk, "period": "2025",
                                                           "value": value, "revision": revision},
                       HTTP_HX_REQUEST="true", **headers)


@pytest.fixture
def editor(client):
    w = world_build()
    sub = submission_of(round_national(w), "4601")
    client.force_login(w.users["bergen"])
    return client, sub, w.indicators[0]


def test_a_grid_save_takes_a_bounded_number_of_queries(editor):
    client, sub, indicator = editor
    with CaptureQueriesContext(connection) as first:
        assert _save(client, sub, indicator, "1", 0).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = _save(client, sub, indicator, "2", 1)
    assert response.status_code == 200 and "Lagret" in response.content.decode()
    assert len(first.captured_queries) <= SAVE_MAX + 1  # a first save looks for older revisions too
    assert len(captured.captured_queries) <= SAVE_MAX, "\n".join(q["sql"][:90] for q in captured.captured_queries)
    stored = Observation.objects.filter(unit=sub.unit, indicator=indicator, period="2025").order_by("revision")
    assert [(o.value, o.revision, o.is_current) for o in stored] == [(1.0, 1, False), (2.0, 2, True)]
    assert stored.last().import_run.finished_at is not None


@pytest.mark.parametrize(("language", "text"), [
    ("nb", "Ikke lagret: dataene oppdateres akkurat nå"),
    ("nn", "Ikkje lagra: dataa blir oppdaterte akkurat no"),
    ("en", "Not saved: the data are being updated right now"),
])
def test_a_save_against_a_locked_store_answers_busy_in_the_users_language(editor, monkeypatch, language, text):
    client, sub, indicator = editor

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(views, "submission_value_save", locked)
    client.cookies["django_language"] = language
    response = _save(client, sub, indicator, "3", 0)
    assert response.status_code == 503
    assert response["Retry-After"] == str(views.BUSY_RETRY_AFTER)
    assert text in response.content.decode()
    assert not Observation.objects.filter(unit=sub.unit, indicator=indicator).exists()


def test_other_database_errors_are_not_called_busy(editor, monkeypatch):
    client, sub, indicator = editor

    def broken(**kwargs):
        raise OperationalError("no such table: observations_observation")

    monkeypatch.setattr(views, "submission_value_save", broken)
    with pytest.raises(OperationalError):
        _save(client, sub, indicator, "3", 0)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the write-lock wait is SQLite's")
def test_a_save_waits_for_the_write_lock_less_than_a_second_and_restores_the_wait(settings):
    def busy_timeout() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            return cursor.fetchone()[0]

    settings.SAVE_BUSY_MS = 800
    before = busy_timeout()
    with views.save_wait():
        assert busy_timeout() == 800
    assert busy_timeout() == before
    assert before >= 1000  # everything else (imports, the worker) keeps the connection's longer wait
