"""A test starts without what an earlier test left where the database flush does not reach (``tests/conftest.py``).

The flush after a transactional test empties the model tables only: the search side table (SQLite's FTS5
``practices_case_fts``, PostgreSQL's ``practices_case_tsv``) kept its rows, and the generated files in the data
directory stayed, so a later test could find a case or a publication file an earlier one made (SQLite gives the
same ids again). The first test leaves both behind; the second, next on the same worker, finds neither. The last
checks that ``SIDE_TABLES`` names every table no model owns (a new side table must be emptied too).
"""

from __future__ import annotations

import pytest
from django.db import connection

from dugnad.env import data_dir
from dugnad.practices.models import PracticeCase
from dugnad.practices.search import backend
from dugnad.practices.selectors import practices_search
from tests.conftest import SIDE_TABLES

pytestmark = pytest.mark.django_db(transaction=True)
LEFT: list[str] = []  # what the first test left, for the second


def search_rows() -> int:
    """Rows in the side tables."""
    rows = 0
    with connection.cursor() as cursor:
        for table in SIDE_TABLES[connection.vendor]:
            cursor.execute(f"SELECT count(*) FROM {table}")
            rows += cursor.fetchone()[0]
    return rows


def unowned_tables() -> set[str]:
    """Tables of the database that no model owns (but Django's migration record, and the FTS5 tables' own shadow
    tables, which SQLite empties with their table)."""
    models = set(connection.introspection.django_table_names(include_views=False)) | {"django_migrations"}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            rows = cursor.fetchall()
            virtual = {name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")}
            return {name for name, _sql in rows
                    if name not in models and not any(name.startswith(f"{v}_") for v in virtual)}
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        return {row[0] for row in cursor.fetchall()} - models


def test_a_test_leaves_a_search_row_and_a_file():
    case = PracticeCase.objects.create(title="Trygg skolevei", summary="Gående til skolen.")
    backend().index([case])
    (data_dir() / "publications").mkdir(parents=True, exist_ok=True)
    (data_dir() / "publications" / "left-behind.html").write_text("<p>old</p>", encoding="utf-8")
    assert search_rows() == 1 and [h.case.pk for h in practices_search("skolevei").hits] == [case.pk]
    LEFT.append(connection.vendor)


def test_the_next_test_finds_neither():
    if not LEFT:
        pytest.skip("runs after test_a_test_leaves_a_search_row_and_a_file in the same process")
    assert search_rows() == 0
    assert not any((data_dir() / "publications").glob("*"))
    case = PracticeCase.objects.create(title="Klimaplan", summary="Utslipp ned.")  # the same id again on SQLite
    backend().index([case])
    assert practices_search("skolevei").hits == []


def test_the_side_tables_are_every_table_no_model_owns():
    assert unowned_tables() == set(SIDE_TABLES[connection.vendor])
