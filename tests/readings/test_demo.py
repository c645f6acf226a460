"""The demo provider of shared readings: labelled, agreed by the right roles, and made once."""

from __future__ import annotations

from dugnad.common.labels import DEMO_LABEL_NB
from dugnad.demo.readings import demo_readings_ensure
from dugnad.readings.models import Reading


def test_demo_readings_are_labelled_agreed_by_role_and_made_once(world):
    demo_readings_ensure()
    made = list(Reading.objects.select_related("unit").order_by("unit__code"))
    assert [(r.unit.code, r.state) for r in made] == [("0", "agreed"), ("4601", "agreed")]  # the world has 11.6 only
    assert all(r.is_demo and DEMO_LABEL_NB in r.versions.get().text for r in made)
    assert made[0].agreements.get().agreed_by.username == "ks"
    assert made[1].comments.get().author.username == "bergen-leser"
    demo_readings_ensure()
    assert Reading.objects.count() == 2
