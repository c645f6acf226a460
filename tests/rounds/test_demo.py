"""The demo round: open, national, last year, submissions in every state, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.factories import FrameworkFactory, IndicatorFactory, LevelFactory, UnitFactory, world_build

from dugnad.demo.rounds import demo_round_ensure, municipality_plan
from dugnad.rounds.models import Round, Snapshot

pytestmark = pytest.mark.django_db


def test_the_demo_round_has_every_state_and_is_made_once():
    w = world_build()
    for code in ("4603", "4604", "4605", "4606", "4607", "4608", "4609", "4610"):
        UnitFactory(code=code, level=LevelFactory(code="municipality"), parent=w.units["46"])
    demo = FrameworkFactory(code="dugnad-demo", name="Demo")
    for indicator in w.indicators[:2]:
        copy = IndicatorFactory(framework=demo, code=f"D-{indicator.code}")
        copy.goals.set(indicator.goals.all())
    summary = demo_round_ensure(today=dt.date(2026, 3, 1))
    round_ = Round.objects.get()
    assert round_.is_demo and round_.year == 2025 and round_.state == "open" and "Demorunde laget" in summary
    states = dict(round_.submissions.filter(unit__level__code="municipality").values_list("unit__code", "state"))
    assert states == municipality_plan(list(states)) and states["4601"] == "draft"
    assert set(states.values()) == {"draft", "submitted", "returned", "approved"}
    delivered = sum(1 for s in states.values() if s in ("submitted", "approved"))
    assert delivered / len(states) >= 0.6
    assert round_.deadline < dt.date(2026, 3, 1)  # the drafts are overdue
    assert round_.submissions.get(unit__code="4601").narratives.count() == 2
    # the counties wrote their own chapters (with their own figures), KS the national ones
    vestland = round_.submissions.get(unit__code="46")
    texts = dict(vestland.narratives.values_list("key", "text"))
    assert vestland.state == "approved" and "chapter:county_assessment" in texts
    assert f"{delivered - (states['0301'] in ('submitted', 'approved'))} av 10 kommuner i Vestland" in texts[
        "chapter:county_assessment"]
    assert round_.submissions.get(unit__code="0").narratives.filter(key__startswith="chapter:national_").count() == 4
    approved = sum(1 for s in states.values() if s == "approved") + 1  # + Vestland's own
    assert Snapshot.objects.filter(kind="approval").count() == approved + (
        round_.submissions.get(unit__code="03").state == "approved")
    assert "finnes allerede" in demo_round_ensure(today=dt.date(2026, 3, 1))
    assert Round.objects.count() == 1


def test_without_the_demo_framework_nothing_is_made():
    world_build()
    assert "ikke laget" in demo_round_ensure()
    assert not Round.objects.exists()
