"""Effect follow-up of joint actions: the difference-in-differences against hand-computed cases."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from dugnad.analytics.effects import (
    EFFECT_COLUMNS,
    Caveat,
    Outcome,
    Reading,
    Side,
    effect_compare,
    effect_record,
    period_side,
)
from dugnad.analytics.report import InputError

START = dt.date(2020, 1, 1)

# Partners: A changes 11 → 16 (+5), B 20 → 25 (+5), C 30 → 33 (+3; 2019 and 2021 missing).
PARTNERS = {
    "A": {"2018": 10, "2019": 12, "2020": 15, "2021": 17},
    "B": {"2018": 20, "2019": 20, "2020": 24, "2021": 26},
    "C": {"2018": 30, "2019": None, "2020": 33, "2021": None},
}
# Comparison: X 10 → 11 (+1), Y 6 → 8 (+2), Z 40 → 40 (0).
COMPARISON = {
    "X": {"2018": 10, "2019": 10, "2020": 11, "2021": 11},
    "Y": {"2018": 5, "2019": 7, "2020": 8, "2021": 8},
    "Z": {"2018": 40, "2019": 40, "2020": 40, "2021": 40},
}


def test_the_difference_is_the_partners_change_minus_the_comparison_groups_change():
    e = effect_compare(PARTNERS, COMPARISON, start=START, direction="higher")
    p, c = e.partners, e.comparison
    assert (p.units, p.periods_before, p.periods_after) == (3, 2, 2)
    assert p.mean_before == pytest.approx(61 / 3) and p.mean_after == pytest.approx(74 / 3)
    assert p.change == pytest.approx(13 / 3)
    assert (c.units, c.mean_before, c.mean_after, c.change) == (3, pytest.approx(55 / 3 + 1 / 3), pytest.approx(59 / 3),
                                                                pytest.approx(1))
    assert e.did == pytest.approx(10 / 3)
    # sample sd of the changes: partners sqrt(4/3), comparison 1 → se = sqrt(4/9 + 1/3)
    assert p.sd_change == pytest.approx(math.sqrt(4 / 3)) and c.sd_change == pytest.approx(1)
    assert e.standard_error == pytest.approx(math.sqrt(7 / 9))
    assert e.reading is Reading.BEYOND_VARIATION and e.outcome is Outcome.BETTER
    assert e.caveats == (Caveat.NOT_CAUSAL, Caveat.TRENDS_NOT_TESTED)


def test_each_units_means_skip_its_missing_years():
    e = effect_compare(PARTNERS, COMPARISON, start=START)
    c_unit = next(u for u in e.units if u.unit == "C")
    assert (c_unit.before, c_unit.after, c_unit.change) == (30, 33, 3)
    assert (c_unit.periods_before, c_unit.periods_after) == (("2018",), ("2020",))


def test_pre_period_trends_are_shown_as_slopes_of_the_yearly_means():
    e = effect_compare(PARTNERS, COMPARISON, start=START)
    assert [(y.period, y.side, y.units) for y in e.partners.yearly] == [
        ("2018", Side.BEFORE, 3), ("2019", Side.BEFORE, 2), ("2020", Side.AFTER, 3), ("2021", Side.AFTER, 2)]
    assert e.partners.yearly[1].mean == pytest.approx(16)
    assert e.partners.pre_trend == pytest.approx(-4)  # 20 in 2018, 16 in 2019
    assert e.comparison.pre_trend == pytest.approx(2 / 3)  # 55/3 → 19


def test_lower_is_better_turns_a_fall_into_the_good_direction():
    partners = {"A": {"2018": 10, "2021": 8}, "B": {"2018": 6, "2021": 4}}
    comparison = {"X": {"2018": 10, "2021": 10}, "Y": {"2019": 5, "2020": 5}}
    lower = effect_compare(partners, comparison, start=START, direction="lower")
    assert lower.did == pytest.approx(-2) and lower.outcome is Outcome.BETTER
    higher = effect_compare(partners, comparison, start=START, direction="higher")
    assert higher.outcome is Outcome.WORSE
    # two units per side: too few to say anything, whatever the difference
    assert lower.reading is Reading.TOO_FEW and Caveat.FEW_UNITS in lower.caveats


def test_no_comparison_units_gives_the_partners_change_and_no_difference():
    e = effect_compare(PARTNERS, {}, start=START, direction="higher")
    assert e.partners.change == pytest.approx(13 / 3)
    assert e.comparison.units == 0 and e.comparison.change is None
    assert e.did is None and e.outcome is Outcome.UNKNOWN and e.reading is Reading.NO_COMPARISON
    assert Caveat.NO_COMPARISON in e.caveats


def test_a_unit_without_values_on_one_side_is_left_out_and_named():
    partners = {**PARTNERS, "D": {"2018": 99, "2019": 99}}
    comparison = {**COMPARISON, "W": {"2021": 1}}
    e = effect_compare(partners, comparison, start=START)
    assert e.partners.units == 3 and e.partners.left_out == ("D",)
    assert e.comparison.left_out == ("W",)
    assert e.did == pytest.approx(10 / 3)
    assert Caveat.UNITS_LEFT_OUT in e.caveats


def test_no_partner_data_after_the_start_says_so():
    partners = {"A": {"2018": 1, "2019": 2}}
    e = effect_compare(partners, COMPARISON, start=START)
    assert e.reading is Reading.NO_DATA and e.did is None
    assert Caveat.SHORT_AFTER in e.caveats


def test_a_year_spanning_the_start_is_left_out():
    start = dt.date(2019, 9, 1)
    e = effect_compare(PARTNERS, COMPARISON, start=start)
    assert e.spanning == ("2019",)
    assert Caveat.SPANNING_LEFT_OUT in e.caveats
    a = next(u for u in e.units if u.unit == "A")
    assert (a.before, a.after) == (10, 16)


def test_identical_changes_are_unchanged_and_within_the_variation():
    same = {u: {"2019": 1, "2020": 2} for u in ("A", "B", "C")}
    other = {u: {"2019": 5, "2020": 6} for u in ("X", "Y", "Z")}
    e = effect_compare(same, other, start=START, direction="lower", is_demo=True)
    assert e.did == pytest.approx(0) and e.outcome is Outcome.UNCHANGED
    assert e.reading is Reading.WITHIN_VARIATION
    assert Caveat.DEMO in e.caveats and Caveat.SHORT_AFTER in e.caveats


def test_a_partner_listed_among_the_comparison_units_counts_only_as_partner():
    e = effect_compare(PARTNERS, {**COMPARISON, "A": PARTNERS["A"]}, start=START)
    assert e.comparison.units == 3 and sorted(u.unit for u in e.units) == ["A", "B", "C", "X", "Y", "Z"]


def test_unknown_direction_is_a_caveat_and_no_verdict():
    e = effect_compare(PARTNERS, COMPARISON, start=START, direction=None)
    assert e.outcome is Outcome.UNKNOWN and Caveat.DIRECTION_UNKNOWN in e.caveats


def test_a_period_that_cannot_be_read_is_located():
    with pytest.raises(InputError) as info:
        effect_compare({"A": {"hvert år": 1}}, {}, start=START)
    assert "unit A" in str(info.value.report.errors[0].reason)
    assert info.value.report.errors[0].value == "hvert år"


@pytest.mark.parametrize(("period", "start", "side"), [
    ("2019", dt.date(2020, 1, 1), Side.BEFORE), ("2020", dt.date(2020, 1, 1), Side.AFTER),
    ("2020", dt.date(2020, 1, 2), Side.SPANNING), ("2020-06", dt.date(2020, 9, 1), Side.BEFORE),
    ("2020Q4", dt.date(2020, 9, 1), Side.AFTER), ("2020Q3", dt.date(2020, 9, 1), Side.SPANNING),
    ("2020M09", dt.date(2020, 9, 1), Side.AFTER), ("2020-08-31", dt.date(2020, 9, 1), Side.BEFORE),
])  # fmt: skip
def test_periods_are_placed_beside_the_start(period, start, side):
    assert period_side(period, start) is side


def test_the_record_has_every_column():
    record = effect_record(effect_compare(PARTNERS, COMPARISON, start=START))
    assert tuple(record) == EFFECT_COLUMNS
    assert record["caveats"] == "not_causal|trends_not_tested" and record["reading"] == "beyond_variation"
