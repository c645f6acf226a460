"""Roll-ups kept per score run (``kept_rollups``): the figures ``rollups_for`` gives, computed once, computed again
when anything they come from changes; the unit dashboard shows them."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.factories import GoalFactory, IndicatorFactory, IndicatorSpecFactory, ObservationFactory, build_tree

from dugnad.catalogue.selectors import indicator_specs_in_force
from dugnad.scores import selectors
from dugnad.scores.dashboard import unit_dashboard
from dugnad.scores.selectors import current_units, kept_rollups, population_year, rollups_for, run_values
from dugnad.scores.services import score_run_create
from dugnad.units.models import Population, Unit
from dugnad.units.selectors import populations, populations_in_years, registry_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    tree = build_tree()
    dental = IndicatorFactory(code="C")  # county-level: the country rolls it up from its counties
    IndicatorSpecFactory(indicator=dental, goal=GoalFactory(number=4), applies_to="county", green=80, red=50)
    for code, value, people in (("01", 60, 400), ("02", 80, 1600)):
        ObservationFactory(unit=tree["units"][code], indicator=dental, value=value)
        Population.objects.create(code=code, year=2024, value=people)
    tree["indicators"]["C"] = dental
    return tree


def _inputs(run, indicators):
    units = current_units()
    return {"units": units, "values": run_values(run, indicators), "specs": indicator_specs_in_force(indicators),
            "people": populations(units.values(), population_year(run))}


def _both(parent, indicators, run):
    """The kept roll-ups and those ``rollups_for`` computes directly, from the same inputs."""
    inputs = _inputs(run, indicators)
    return kept_rollups(parent, indicators, run, **inputs), rollups_for(parent, indicators, run, **inputs)


def test_kept_rollups_are_the_rollups_computed_directly_and_are_computed_once(tree, monkeypatch):
    run = score_run_create().run
    indicators = list(tree["indicators"].values())
    for code in ("0", "01", "02"):
        kept, direct = _both(tree["units"][code], indicators, run)
        assert kept == direct and kept  # RollupRow equality: every figure, coverage and gap
    assert set(_both(tree["units"]["0"], indicators, run)[0]) == {i.pk for i in indicators}

    def computed(*args, **kwargs):
        raise AssertionError("kept roll-ups were computed again")

    monkeypatch.setattr(selectors, "rollups_for", computed)
    again = kept_rollups(tree["units"]["01"], indicators, run, **_inputs(run, indicators))
    assert again.keys() == {tree["indicators"]["A"].pk, tree["indicators"]["B"].pk}  # C: the county's own figure


def test_a_changed_population_spec_or_run_is_computed_afresh(tree):
    run = score_run_create().run
    indicators = [tree["indicators"]["A"], tree["indicators"]["B"]]
    county, a = tree["units"]["01"], tree["indicators"]["A"].pk
    before, _ = _both(county, indicators, run)
    Population.objects.update_or_create(code="0101", year=population_year(run), defaults={"value": 3000})
    kept, direct = _both(county, indicators, run)
    assert kept == direct and kept[a].value != before[a].value  # 0101 (40) now outweighs 0102 (60)
    IndicatorSpecFactory(indicator=tree["indicators"]["A"], version=2, goal=GoalFactory(number=5), green=30, red=10)
    kept, direct = _both(county, indicators, run)
    assert kept == direct and kept[a].target != before[a].target
    ObservationFactory(unit=tree["units"]["0101"], indicator=tree["indicators"]["A"], period="2025", value=0.0)
    later = score_run_create().run
    assert later.pk != run.pk
    kept, direct = _both(county, indicators, later)
    assert kept == direct and kept[a].value != before[a].value


def test_a_unit_moved_to_another_parent_is_computed_afresh(tree):
    """Moving a municipality changes no count, id or date of the registry (``registry_version``): the kept roll-ups
    still follow it, as they follow the units given in any order."""
    run = score_run_create().run
    indicators = [tree["indicators"]["A"], tree["indicators"]["B"]]
    county, a = tree["units"]["01"], tree["indicators"]["A"].pk
    before, _ = _both(county, indicators, run)
    version = registry_version()
    Unit.objects.filter(code="0102").update(parent=tree["units"]["02"])
    assert registry_version() == version
    kept, direct = _both(county, indicators, run)
    assert kept == direct and kept[a].members == before[a].members - 1
    inputs = _inputs(run, indicators)
    reversed_units = dict(reversed(inputs["units"].items()))
    assert kept_rollups(county, indicators, run, **{**inputs, "units": reversed_units}) == direct


def test_the_dashboard_shows_the_rollups_computed_directly(tree):
    run = score_run_create().run
    units = tree["units"]
    board = unit_dashboard(units["0101"])
    lines = {line.code: line for line in board.lines}
    assert set(lines) == {"A", "B"}
    indicators = [tree["indicators"][code] for code in lines]
    county = rollups_for(units["01"], indicators, run)
    country = rollups_for(units["0"], indicators, run)
    for indicator in indicators:
        line = lines[indicator.code]
        assert (line.county, line.country) == (county[indicator.pk].value, country[indicator.pk].value)
        assert line.comparisons[:2] == [line.county, line.country]
    assert unit_dashboard(units["0101"]).lines == board.lines  # the kept roll-ups the second time: the same figures


@pytest.mark.parametrize("code", ["0101", "01", "0"])
def test_the_dashboard_is_the_same_with_roll_ups_kept_or_computed(tree, monkeypatch, code):
    """Computed (every unit's values read) and kept (only the compared units' values read): the same lines."""
    score_run_create()
    unit = tree["units"][code]
    monkeypatch.setattr(selectors, "_kept", {})
    computed = unit_dashboard(unit).lines
    assert bool(selectors._kept) == (code != "0")  # the roll-ups were computed and kept (the country has no parent)
    kept = unit_dashboard(unit).lines
    assert kept == computed
    assert any(x is not None for line in computed for x in line.comparisons)


def test_populations_in_several_years_are_those_of_each_year(tree):
    units = list(current_units().values())
    Population.objects.create(code="0101", year=2026, value=150)
    years = [2023, 2024, 2025, 2026]
    assert populations_in_years(units, years) == {year: populations(units, year) for year in years}
    assert populations_in_years(units, years)[2025][tree["units"]["0101"].pk] == 100  # the nearest earlier year
    assert populations_in_years(units, years)[2023][tree["units"]["0101"].pk] is None


def test_the_registry_version_changes_with_units_code_changes_and_populations(tree):
    first = registry_version()
    assert registry_version() == first
    Population.objects.create(code="0102", year=2026, value=310)
    second = registry_version()
    assert second != first
    unit = tree["units"]["0202"]
    unit.valid_to = dt.date(2027, 1, 1)
    unit.save()
    assert registry_version() != second
