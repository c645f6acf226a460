"""Peer suggestions: similar units that are green or improving where the unit is red or orange, with their actions and cases."""

from __future__ import annotations

from dugnad.actions.services import action_create
from dugnad.actions.vocab import Visibility
from dugnad.networks.peers import peer_suggestions
from dugnad.practices.services import case_create
from dugnad.scores.models import IndicatorScore
from tests.networks.test_networks import score_run


def test_peers_doing_well_are_suggested_with_their_actions_and_cases(world):
    run = score_run(world, {("4602", 0): "red", ("4624", 0): "green", ("4640", 0): "orange", ("4601", 0): "red",
                            ("0301", 0): "green", ("4602", 1): "green"})
    IndicatorScore.objects.filter(run=run, unit=world.units["4640"], indicator=world.indicators[0]).update(
        trend="moderately_improving")
    target = world.targets["3.4"]
    action = action_create(user=world.users["bjornafjorden"], title="Frisklivssentral", lead_unit=world.units["4624"],
                           targets=[target])
    action_create(user=world.users["bjornafjorden"], title="Skjult tiltak", lead_unit=world.units["4624"], targets=[target],
                  visibility=Visibility.PARTNERS)
    action_create(user=world.users["bjornafjorden"], title="Annet tema", lead_unit=world.units["4624"],
                  indicators=[(world.indicators[1], "up")])
    case = case_create(user=world.users["sogndal"], title="Turgrupper for eldre", summary="Ukentlige turer.",
                       unit=world.units["4640"], evidence=[{"indicator": world.indicators[0], "before_period": "2020",
                                                            "before_value": 60, "after_period": "2023", "after_value": 70}])
    result = peer_suggestions(world.units["4602"], world.indicators[0], run=run, user=world.users["kinn"])
    assert result.colour == "red" and result.reason == ""
    by_code = {p.unit.code: p for p in result.peers}
    assert set(by_code) <= {"4624", "4640", "0301"} and {"4624", "4640"} <= set(by_code)
    assert "4601" not in by_code
    assert [a.title for a in by_code["4624"].actions] == [action.title]
    assert list(by_code["4640"].cases) == [case] and by_code["4640"].trend == "moderately_improving"
    distances = [p.distance for p in result.peers]
    assert distances == sorted(distances)


def test_no_suggestions_where_the_unit_is_not_red_or_orange(world):
    run = score_run(world, {("4602", 1): "green", ("4624", 1): "green"})
    result = peer_suggestions(world.units["4602"], world.indicators[1], run=run)
    assert result.peers == [] and "ikke rød eller oransje" in result.reason


def test_no_suggestions_without_a_score_run(world):
    result = peer_suggestions(world.units["4602"], world.indicators[0])
    assert result.peers == [] and result.reason
