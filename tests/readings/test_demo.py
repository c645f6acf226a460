"""The demo provider of shared readings: labelled, agreed by the right roles, and made once."""

from __future__ import annotations

from dugnad.common.labels import DEMO_LABEL_NB
from dugnad.demo.readings import demo_readings_ensure
from dugnad.readings.models import Reading


def test_demo_readings_are_labelled_agreed_by_role_and_made_once(world):
    demo_readings_ensure()
    made = list(Reading.objects.select_related("unit", "target").order_by("unit__code", "target__code"))
    # the small world has targets 3.4, 4.2 and 11.6: the readings of the others are left out
    assert [(r.unit.code, r.target.code, r.state) for r in made] == [
        ("0", "11.6", "agreed"), ("0", "4.2", "agreed"), ("4601", "11.6", "agreed")]
    assert all(r.is_demo and DEMO_LABEL_NB in r.versions.get().text for r in made)
    assert made[0].agreements.get().agreed_by.username == "ks"
    assert made[2].comments.get().author.username == "bergen-leser"
    demo_readings_ensure()
    assert Reading.objects.count() == 3
