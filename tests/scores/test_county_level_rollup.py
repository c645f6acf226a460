"""County-level indicators in score runs and roll-ups: scored for counties only, never rolled up from
municipalities; the country rolls them up from its counties."""

from __future__ import annotations

import pytest
from tests.factories import GoalFactory, IndicatorFactory, IndicatorSpecFactory, ObservationFactory, build_tree

from dugnad.scores.models import IndicatorScore
from dugnad.scores.selectors import rollup_for, rollups_for
from dugnad.scores.services import score_run_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    tree = build_tree()
    units = tree["units"]
    dental = IndicatorFactory(code="C")
    IndicatorSpecFactory(indicator=dental, goal=GoalFactory(number=3), applies_to="county", green=80, red=50)
    for code, value in (("01", 60), ("02", 80), ("0101", 10)):  # 0101's value is stray: no municipality reports C
        ObservationFactory(unit=units[code], indicator=dental, value=value)
    tree["indicators"]["C"] = dental
    return tree


def test_a_county_level_indicator_is_scored_for_counties_and_rolled_up_from_counties_only(tree):
    run = score_run_create().run
    scored = set(IndicatorScore.objects.filter(run=run, indicator=tree["indicators"]["C"])
                 .values_list("unit__code", flat=True))
    assert scored == {"01", "02"}
    units = tree["units"]
    assert rollup_for(units["01"], tree["indicators"]["C"]) is None  # the county's own value is the figure
    country = rollup_for(units["0"], tree["indicators"]["C"], weighting="none")
    assert country.value == pytest.approx(70.0)
    assert (country.members, country.members_with_data) == (2, 2)
    assert {c.member for c in country.contributions} == {"01", "02"}
    # an ordinary indicator still rolls up from the municipalities in the same call
    both = rollups_for(units["0"], [tree["indicators"]["A"], tree["indicators"]["C"]], weighting="none")
    assert both[tree["indicators"]["A"].pk].members == 4
    assert both[tree["indicators"]["C"].pk].members == 2
