"""`dugnad demo` prepares a living database: registry, catalogue, labelled demo values and one user per role."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.demo_database import demo_database

from dugnad.accounts.models import Membership
from dugnad.accounts.vocab import Role
from dugnad.demo.services import demo_load
from dugnad.observations.models import ImportRun, Observation
from dugnad.units.models import Unit
from dugnad.units.selectors import population

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow(seconds=10)]


def test_demo_load_fills_every_current_unit_and_is_idempotent():
    # The load as `dugnad demo` makes it (registry, population, catalogue, then demo_load), made once per test process
    # (here, or by an earlier test of this process and copied in: tests/demo_database.py): what it returned then.
    first = demo_database()
    stored = Observation.objects.current().count()
    generated = Observation.objects.current().filter(import_run__is_demo=True)
    assert first.inserted == generated.count() == first.rows
    units_with_data = generated.values("unit__code").distinct().count()
    assert units_with_data == 357 + 15 + 1
    # Beside the generated values: Telemark's real values from the shipped snapshot, not labelled demo.
    real = Observation.objects.current().filter(import_run__is_demo=False)
    assert real.count() == stored - generated.count() > 2000
    assert real.get(unit__code="4001", indicator__code="1119", period="2024").value == 2.7
    assert "Telemark (ekte tall)" in first.summary()
    assert {login.role for login in first.logins} == set(Role)
    assert Membership.objects.count() == len(Role)
    assert ImportRun.objects.get(kind="demo", status="ok").is_demo
    # Population is SSB's, not generated: Gulen had 2,234 residents on 1 January 2024.
    gulen = Unit.objects.current().get(code="4635")
    assert population(gulen, dt.date.today().year) == 2_234 and "population" not in gulen.attributes

    second = demo_load()
    assert second.inserted == 0
    assert Observation.objects.count() == stored
    assert "Demodata – ikke ekte tall" in second.summary()
