"""Generated structural data (population, centrality) stored on the demo's municipalities."""

from __future__ import annotations

import datetime as dt

from dugnad.demo.generator import known_sizes, municipality_profile
from dugnad.units.models import Unit


def demo_units_profile(*, on: dt.date) -> list:
    """Generated population and centrality for the municipalities valid on a date, stored on the units."""
    municipalities = Unit.objects.at_level("municipality").valid_on(on).select_related("parent")
    profiles = []
    changed = []
    sizes = known_sizes()
    for unit in municipalities:
        profile = municipality_profile(unit.code, unit.parent.code if unit.parent else unit.code[:2], sizes)
        profiles.append(profile)
        attrs = {"population": profile.population, "centrality": profile.centrality, "demo": True}
        if any(unit.attributes.get(k) != v for k, v in attrs.items()):
            unit.attributes = {**unit.attributes, **attrs}
            changed.append(unit)
    Unit.objects.bulk_update(changed, ["attributes"], batch_size=500)
    return profiles
