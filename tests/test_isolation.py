"""A test starts without what an earlier test left where the database flush does not reach (``tests/conftest.py``).

The flush after a transactional test empties the model tables only: the search side table (SQLite's FTS5
``practices_case_fts``, PostgreSQL's ``practices_case_tsv``) kept its rows, and the generated files in the data
directory stayed, so a later test could find a case or a publication file an earlier one made (SQLite gives the
same ids again). The first test leaves both behind; the second, next on the same worker, finds neither.
"""

from __future__ import annotations

import pytest
from django.db import connection

from dugnad.env import data_dir
from dugnad.practices.models import PracticeCase
from dugnad.practices.search import backend
from dugnad.practices.selectors import practices_search

pytestmark = pytest.mark.django_db(transaction=True)
SEARCH_TABLE = {"sqlite": "practices_case_fts", "postgresql": "practices_case_tsv"}
LEFT: list[str] = []  # what the first test left, for the second


def search_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {SEARCH_TABLE[connection.vendor]}")
        return cursor.fetchone()[0]


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
