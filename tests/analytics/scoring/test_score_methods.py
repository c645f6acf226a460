"""Assessment methods from the registry: SDSN rules by hand, OECD and Eurostat options."""

from __future__ import annotations

import pytest
from score_files import INDICATORS, OBSERVATIONS, UNITS, arrow_inputs

from dugnad.analytics.report import InputError
from dugnad.analytics.scoring import METHODS, ScoreParams, get_method, score

OBS = [o for o in OBSERVATIONS if o[3] != ""]


def rows(table, *keys):
    return {tuple(r[k] for k in keys): r for r in table.to_pylist()}


def test_registry_holds_the_three_methods_and_refuses_unknown_names():
    assert set(METHODS) >= {"sdsn", "oecd", "eurostat"}
    with pytest.raises(KeyError, match="unknown scoring method"):
        get_method("nope")


def test_goal_colour_takes_the_two_worst_indicators_and_green_needs_two_greens():
    indicators = [["a", 1, "", 100, 0, 80, 50, "yes", "", "", ""], ["b", 1, "", 100, 0, 80, 50, "yes", "", "", ""],
                  ["c", 1, "", 100, 0, 80, 50, "yes", "", "", ""]]
    units = [["U", "", "", "", "", ""], ["V", "", "", "", "", ""]]
    obs = [["U", "a", 2020, 100], ["U", "b", 2020, 100], ["U", "c", 2020, 79],  # s = 3, 3, 1.97 -> a = 2.48
           ["V", "a", 2020, 0], ["V", "b", 2020, 55], ["V", "c", 2020, 100]]   # s = 0, 1.17 -> a = 0.58, one red
    goals = rows(score(arrow_inputs(indicators, units, obs)).goal_scores, "unit")
    assert goals[("U",)]["colour"] == "yellow"  # mean >= 2 but one of the two worst is yellow
    assert goals[("V",)]["colour"] == "orange"  # mean < 1 but only one of the two worst is red


def test_red_equal_to_lower_bound_puts_the_lower_bound_on_1_not_0():
    indicators = [["a", 1, "", 100, 0, 80, 0, "yes", "", "", ""], ["b", 1, "", 100, 0, 80, 0, "yes", "", "", ""]]
    obs = [["U", "a", 2020, 0], ["U", "b", 2020, 0]]
    result = score(arrow_inputs(indicators, [["U", "", "", "", "", ""]], obs))
    assert rows(result.goal_scores, "unit")[("U",)]["colour"] == "orange"


def test_oecd_scores_distance_to_target_and_colours_goals_by_the_mean_scale():
    result = score(arrow_inputs(INDICATORS, UNITS, OBS), method="oecd")
    assert result.metadata["method"]["name"] == "oecd"
    goals = rows(result.goal_scores, "unit", "goal")
    assert goals[("A", 1)]["score"] == 90.0  # 100 - distance 10
    # A goal 1: scales 2 + 10/20 = 2.5 and 2 + 1/2 = 2.5 -> mean 2.5 -> green
    assert goals[("A", 1)]["colour"] == "green"


def test_eurostat_classifies_compound_annual_growth_rates():
    indicators = [["up", 1, "", 100, 0, 80, 50, "yes", "", 2015, 2020],
                  ["down", 1, "", 0, 100, 20, 50, "yes", "", 2015, 2020],
                  ["flat", 1, "", 100, 0, 80, 50, "yes", "", 2015, 2020]]
    obs = [["U", "up", 2015, 50], ["U", "up", 2020, 60],        # +3.7 %/yr -> significant progress
           ["U", "down", 2015, 50], ["U", "down", 2020, 52],    # +0.8 %/yr but lower is better -> moderate away
           ["U", "flat", 2015, 50], ["U", "flat", 2020, 51]]    # +0.4 %/yr -> moderate progress
    result = score(arrow_inputs(indicators, [["U", "", "", "", "", ""]], obs), method="eurostat")
    ind = rows(result.indicator_scores, "indicator")
    assert ind[("up",)]["assessment"] == "significant_progress" and ind[("up",)]["trend"] == "on_track"
    assert ind[("down",)]["assessment"] == "moderate_movement_away" and ind[("down",)]["trend"] == "stagnating"
    assert ind[("flat",)]["assessment"] == "moderate_progress"
    assert ind[("up",)]["ratio"] == pytest.approx((60 / 50) ** (1 / 5) - 1)
    assert "edition" in result.metadata["method"]


def test_unit_without_any_index_indicator_gets_no_index():
    result = score(arrow_inputs(INDICATORS, UNITS, [o for o in OBS if o[0] != "C"]), ScoreParams(min_coverage=0.0))
    index = rows(result.index, "unit")
    assert index[("C",)]["score"] is None and index[("C",)]["rank"] is None
    assert index[("C",)]["missing_share"] == 1.0


def test_duplicate_observations_are_refused():
    with pytest.raises(InputError, match="duplicate observation"):
        arrow_inputs(INDICATORS, UNITS, [*OBS, OBS[0]])


def test_goal_trend_needs_three_quarters_of_its_trend_indicators_and_follows_a_single_arrow():
    partial = score(arrow_inputs(INDICATORS, UNITS, OBS))
    assert rows(partial.goal_scores, "unit", "goal")[("A", 1)]["trend"] is None  # 1 of 2 trend indicators
    full = score(arrow_inputs(INDICATORS, UNITS, [*OBS, ["A", "i2", 2015, 1.5]]))
    ind = rows(full.indicator_scores, "unit", "indicator")
    assert ind[("A", "i1")]["trend"] == ind[("A", "i2")]["trend"] == "on_track"
    assert rows(full.goal_scores, "unit", "goal")[("A", 1)]["trend"] == "on_track"
    assert full.metadata["goal_trends_approximate"] is True
