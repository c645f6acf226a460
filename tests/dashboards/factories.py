"""Factories and a small unit tree (country → 2 counties → 4 municipalities) for score-run tests."""

from __future__ import annotations

import datetime as dt

import factory
from tests.factories import GoalFactory, IndicatorFactory, IndicatorSpecFactory, LevelFactory, UnitFactory

from dugnad.observations.models import Observation


class ObservationFactory(factory.django.DjangoModelFactory):
    """A current annual observation (revision 1)."""

    class Meta:
        model = Observation

    unit = factory.SubFactory(UnitFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    period = "2024"
    value = 1.0


def observation_revise(obs: Observation, value: float | None) -> Observation:
    """Record a new revision of an observation (the old row stops being current), as an import would."""
    obs.is_current = False
    obs.save(update_fields=["is_current"])
    return ObservationFactory(unit=obs.unit, indicator=obs.indicator, period=obs.period, value=value, revision=obs.revision + 1)


def build_tree() -> dict:
    """Country 0, counties 01 and 02, municipalities 0101 (pop 100), 0102 (300), 0201 (600), 0202 (1000).

    Indicator A (goal 3, higher is better, green 80, red 50) and B (goal 3, lower is better: UB 0,
    LB 100, green 10, red 30); values for 2024, none for 0202.
    """
    country, county, municipality = (LevelFactory(code=c) for c in ("country", "county", "municipality"))
    start = dt.date(2024, 1, 1)
    units = {"0": UnitFactory(code="0", name="Norge", level=country, valid_from=start)}
    for code, name in (("01", "Fylke A"), ("02", "Fylke B")):
        units[code] = UnitFactory(code=code, name=name, level=county, parent=units["0"], valid_from=start)
    structure = {
        "0101": (100, 10, 6, 400, "K1"), "0102": (300, 30, 5, 420, "K1"),
        "0201": (600, 60, 3, 500, "K2"), "0202": (1000, 100, 1, 520, "K1"),
    }  # fmt: skip
    for code, (population, density, centrality, income, group) in structure.items():
        attributes = {"density": density, "centrality": centrality, "income": income, "kostra_group": group}
        units[code] = UnitFactory(code=code, level=municipality, parent=units[code[:2]], valid_from=start,
                                  population=population, attributes=attributes)  # fmt: skip
    goal = GoalFactory(number=3)
    a = IndicatorFactory(code="A")
    b = IndicatorFactory(code="B")
    IndicatorSpecFactory(indicator=a, goal=goal, upper_bound=100, lower_bound=0, green=80, red=50)
    IndicatorSpecFactory(indicator=b, goal=goal, upper_bound=0, lower_bound=100, green=10, red=30, direction="lower")
    obs = {}
    for code, value_a, value_b in (("0101", 40, 5), ("0102", 60, 20), ("0201", 90, 40), ("0", 70, 25)):
        obs[code, "A"] = ObservationFactory(unit=units[code], indicator=a, value=value_a)
        obs[code, "B"] = ObservationFactory(unit=units[code], indicator=b, value=value_b)
    return {"units": units, "indicators": {"A": a, "B": b}, "observations": obs}
