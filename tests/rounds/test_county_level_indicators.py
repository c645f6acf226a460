"""County-level indicators in a round: the county's grid has them, a municipality's grid, texts and saves do not."""

from __future__ import annotations

import pytest
from tests.factories import (
    GoalFactory,
    IndicatorFactory,
    IndicatorSpecFactory,
    round_national,
    submission_of,
    world_build,
)

from dugnad.accounts.models import Membership
from dugnad.accounts.vocab import Role
from dugnad.analytics.report import InputError
from dugnad.observations.models import Observation
from dugnad.rounds.editing import narrative_keys, submission_value_save
from dugnad.rounds.selectors import submission_completeness, submission_grid

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = world_build()
    roads = IndicatorFactory(code="FYLKESVEI", name_nb="Fylkesveier med dårlig dekke")
    IndicatorSpecFactory(indicator=roads, goal=w.indicators[0].goals.first(), applies_to="county",
                         unit_of_measure="prosent", direction="lower", upper_bound=5, lower_bound=50, green=15, red=30)
    roads.goals.add(w.indicators[0].goals.first())
    w.indicators.append(roads)
    Membership.objects.create(user=w.users["nobody"], unit=w.units["46"], role=Role.COUNTY_EDITOR)
    w.round = round_national(w)
    w.roads = roads
    return w


def test_the_county_grid_shows_the_county_indicator_and_a_municipal_grid_does_not(world):
    county = [row.indicator.code for row in submission_grid(submission_of(world.round, "46"))]
    bergen = [row.indicator.code for row in submission_grid(submission_of(world.round, "4601"))]
    assert "FYLKESVEI" in county and "T-A" in county
    assert "FYLKESVEI" not in bergen and bergen == ["T-A", "T-B", "T-C"]
    # completeness counts only the municipality's own cells
    completeness = submission_completeness(submission_of(world.round, "4601"))
    assert completeness.data.total == 3 * len(world.round.periods)


def test_a_county_editor_saves_a_county_value_and_a_municipality_cannot(world):
    county_sub = submission_of(world.round, "46")
    saved = submission_value_save(user=world.users["nobody"], submission=county_sub, indicator=world.roads,
                                  period="2025", text="22,5", expected_revision=0)
    assert (saved.unit.code, saved.value) == ("46", 22.5)
    grid = {row.indicator.code: row for row in submission_grid(county_sub)}
    assert grid["FYLKESVEI"].cells[-1].value == 22.5

    with pytest.raises(InputError) as caught:
        submission_value_save(user=world.users["bergen"], submission=submission_of(world.round, "4601"),
                              indicator=world.roads, period="2025", text="10", expected_revision=0)
    problem = caught.value.report.errors[0]
    assert (problem.column, problem.value) == ("indicator", "FYLKESVEI")
    assert "kommune" in problem.reason and "county" in problem.reason
    assert not Observation.objects.filter(unit__code="4601", indicator=world.roads).exists()


def test_goal_texts_of_a_municipality_follow_its_own_indicators(world):
    only_county = IndicatorFactory(code="TANNHELSE")
    goal_13 = GoalFactory(number=13)
    only_county.goals.add(goal_13)
    IndicatorSpecFactory(indicator=only_county, applies_to="county")
    world.round.indicators.add(only_county)
    assert "goal:13" not in narrative_keys(submission_of(world.round, "4601"))
