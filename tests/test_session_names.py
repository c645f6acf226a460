"""On PostgreSQL each test connection names its session (``application_name``) after the thread and the test that opened it
(``_sessions_named_after_their_test`` in tests/conftest.py), so a session left open at the end says where it came
from."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db(transaction=True)  # a thread of its own opens a connection of its own


def _application_name() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('application_name')")
        return cursor.fetchone()[0]


def test_sessions_are_named():
    if connection.vendor != "postgresql":
        pytest.skip("application_name is a PostgreSQL session setting")
    connection.close()  # the next query opens a connection in this test
    assert _application_name() == "main test_session_names.py::test_sessions_are_named"
    seen: list[str] = []

    def other() -> None:
        try:
            seen.append(_application_name())
        finally:
            connections.close_all()

    thread = threading.Thread(target=other, name="Thread-probe (other)")
    thread.start()
    thread.join(30)
    assert seen == ["Thread-probe test_session_names.py::test_sessions_are_named"]
