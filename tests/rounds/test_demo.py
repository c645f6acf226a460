"""The demo round: open, national, last year, submissions in every state, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.factories import FrameworkFactory, IndicatorFactory, LevelFactory, UnitFactory, world_build

from dugnad.demo.rounds import demo_round_ensure
from dugnad.rounds.models import Round, Snapshot

pytestmark = pytest.mark.django_db


def test_the_demo_round_has_every_state_and_is_made_once():
    w = world_build()
    for code in ("4603", "4604"):
        UnitFactory(code=code, level=LevelFactory(code="municipality"), parent=w.units["46"])
    demo = FrameworkFactory(code="dugnad-demo", name="Demo")
    for indicator in w.indicators[:2]:
        copy = IndicatorFactory(framework=demo, code=f"D-{indicator.code}")
        copy.goals.set(indicator.goals.all())
    summary = demo_round_ensure(today=dt.date(2026, 3, 1))
    round_ = Round.objects.get()
    assert round_.is_demo and round_.year == 2025 and round_.state == "open" and "Demorunde laget" in summary
    states = dict(round_.submissions.values_list("unit__code", "state"))
    assert states == {"0301": "approved", "4601": "draft", "4602": "submitted", "4603": "returned", "4604": "approved"}
    assert round_.submissions.get(unit__code="4601").narratives.count() == 2
    assert Snapshot.objects.filter(kind="approval").count() == 2
    assert "finnes allerede" in demo_round_ensure(today=dt.date(2026, 3, 1))
    assert Round.objects.count() == 1


def test_without_the_demo_framework_nothing_is_made():
    world_build()
    assert "ikke laget" in demo_round_ensure()
    assert not Round.objects.exists()
