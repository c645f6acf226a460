"""The demo copy (``tests/demo_database.py``) gives a test exactly what loading the demo gives it."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command

from dugnad.observations.models import ImportRun
from dugnad.practices.selectors import practices_search
from tests.demo_database import _KEPT, demo_database

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow(seconds=60)]
SEARCH = ("skole", "klima og utslipp", "folkehelse")


def everything() -> dict:
    """Every row of every model (ordered by primary key) and the search hits of a few queries."""
    rows = {m._meta.label: list(m._base_manager.order_by("pk").values_list()) for m in apps.get_models()}
    return {**rows, "search": [[hit.case.pk for hit in practices_search(q).hits] for q in SEARCH]}


def test_the_copy_holds_every_row_search_hit_and_id_the_load_made():
    demo_database()  # the load, or the copy of one made earlier in this process
    first = everything()
    assert first["units.Unit"] and first["observations.Observation"] and all(first["search"])
    assert _KEPT, "the demo is kept after it is loaded"
    call_command("flush", interactive=False, verbosity=0)  # what the end of a transactional test does

    demo_database()  # now certainly the copy
    assert everything() == first
    newest = max(pk for pk, *_ in first["observations.ImportRun"])
    assert ImportRun.objects.create(kind="csv", source="after the copy").pk > newest


def test_the_copy_needs_an_empty_database():
    demo_database()
    with pytest.raises(RuntimeError, match="empty database"):
        demo_database()
