"""Carrying observations across municipal reforms with real Klass code changes (pure, no database)."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pytest

from dugnad.analytics.codes import (
    ChangeKind,
    CodeChangeEvent,
    CodeHistory,
    ValueKind,
    carry_observations,
    period_span,
    period_start,
)
from dugnad.analytics.report import InputError

ON_2024 = dt.date(2024, 1, 1)


@pytest.fixture(scope="module")
def events() -> list[CodeChangeEvent]:
    """The real municipality code changes 1970–2024 from the shipped registry snapshot (Klass 131)."""
    from dugnad.units.registry.snapshot import SHIPPED_NORWAY

    changes = json.loads(SHIPPED_NORWAY.read_text(encoding="utf-8"))["code_changes"]
    return [CodeChangeEvent(c["old_code"], c["new_code"], dt.date.fromisoformat(c["date"]), ChangeKind(c["type"]), c["weight"])
            for c in changes if c["level"] == "municipality"]


def _obs(unit, value, indicator="bosatte", period="2019", status="ok"):
    return {"unit": unit, "indicator": indicator, "period": period, "value": value, "status": status}


def _values(result) -> dict[str, float | None]:
    return {(r["unit"]): r["value"] for r in result.records}


def test_a_recode_carries_the_value_unchanged(events):
    result = carry_observations([_obs("3001", 31_444, period="2023")], events, on=ON_2024)
    assert _values(result) == {"3101": 31_444}
    assert result.records[0]["carried_from"] == "3001"


def test_before_the_change_date_the_old_code_stays(events):
    result = carry_observations([_obs("3001", 31_444, period="2023")], events, on=dt.date(2023, 12, 31))
    assert _values(result) == {"3001": 31_444}


def test_a_merger_then_a_recode_compose_for_counts(events):
    rows = [_obs("0602", 69_000), _obs("0625", 25_000), _obs("0711", 6_600)]
    assert _values(carry_observations(rows, events, on=dt.date(2020, 1, 1))) == {"3005": 100_600}
    result = carry_observations(rows, events, on=ON_2024)
    assert _values(result) == {"3301": 100_600}
    assert result.records[0]["carried_from"] == "0602+0625+0711"


def test_rates_are_averaged_with_the_given_weights(events):
    rows = [_obs("0602", 10.0, "ledighet"), _obs("0625", 20.0, "ledighet"), _obs("0711", 40.0, "ledighet")]
    weights = {"0602": 100_000, "0625": 25_000, "0711": 6_500}
    result = carry_observations(rows, events, on=ON_2024, kinds={"ledighet": ValueKind.RATE}, weights=weights)
    # (10·100 000 + 20·25 000 + 40·6 500) / (100 000 + 25 000 + 6 500) = 1 760 000 / 131 500
    assert _values(result)["3301"] == pytest.approx(1_760_000 / 131_500)


def test_rates_without_weights_are_plain_means(events):
    rows = [_obs("0602", 10.0), _obs("0625", 20.0), _obs("0711", 40.0)]
    result = carry_observations(rows, events, on=ON_2024, kinds=ValueKind.RATE)
    assert _values(result)["3301"] == pytest.approx(70 / 3)


def test_a_split_distributes_counts_by_weight_and_copies_rates(events):
    count = carry_observations([_obs("1507", 67_000, period="2023")], events, on=ON_2024)
    # The shipped snapshot weighs the split by the new units' population on 1 January 2024 (SSB):
    # Ålesund 1508 has 86.2125 % of the old 1507, Haram 1580 13.7875 %.
    assert _values(count) == pytest.approx({"1508": 67_000 * 0.862125, "1580": 67_000 * 0.137875})
    rate = carry_observations([_obs("1507", 3.2, period="2023")], events, on=ON_2024, kinds=ValueKind.RATE)
    assert _values(rate) == {"1508": 3.2, "1580": 3.2}


def test_a_split_with_population_weights():
    split = [CodeChangeEvent("1507", "1508", ON_2024, ChangeKind.SPLIT, 0.8),
             CodeChangeEvent("1507", "1580", ON_2024, ChangeKind.SPLIT, 0.2)]
    result = carry_observations([_obs("1507", 1_000, period="2023")], split, on=ON_2024)
    assert _values(result) == {"1508": 800, "1580": 200}


def test_a_2019_unit_merged_in_2020_and_split_in_2024_is_spread_over_both_new_units(events):
    # 1534 Haram (2019) merged into 1507 Ålesund (2020); 1507 was split into 1508 Ålesund and 1580 Haram (2024).
    result = carry_observations([_obs("1534", 9_000)], events, on=ON_2024)
    assert _values(result) == pytest.approx({"1508": 9_000 * 0.862125, "1580": 9_000 * 0.137875})


def test_a_split_part_joining_a_merger_needs_weights_for_rates(events):
    # 1850 Tysfjord was split between 1806 Narvik and 1875 Hamarøy, which also took in other municipalities.
    rows = [_obs("1805", 2.0, "r"), _obs("1854", 4.0, "r"), _obs("1850", 6.0, "r")]
    with pytest.raises(InputError, match="no weight for 1850"):
        carry_observations(rows, events, on=dt.date(2020, 1, 1), kinds=ValueKind.RATE, weights={"1805": 1, "1854": 1})
    weights = {"1805": 14_000, "1854": 2_400, "1850": 1_900}
    result = carry_observations(rows, events, on=dt.date(2020, 1, 1), kinds=ValueKind.RATE, weights=weights)
    # Narvik: (2·14 000 + 4·2 400 + 6·1 900·½) / (14 000 + 2 400 + 1 900·½) = 43 300 / 17 350
    assert _values(result)["1806"] == pytest.approx(43_300 / 17_350)
    assert _values(result)["1875"] == 6.0


def test_a_missing_contributor_makes_the_carried_value_missing(events):
    rows = [_obs("0602", 69_000), _obs("0625", None, status="missing"), _obs("0711", 6_600)]
    record = carry_observations(rows, events, on=ON_2024).records[0]
    assert (record["unit"], record["value"], record["status"]) == ("3301", None, "missing")


def test_a_code_observed_after_a_change_is_not_changed_again(events):
    # A 2024 figure keyed by 3101 is already in the 2024 structure.
    assert _values(carry_observations([_obs("3101", 31_500, period="2024")], events, on=ON_2024)) == {"3101": 31_500}


def test_codes_that_reach_no_valid_unit_are_listed(events):
    result = carry_observations([_obs("3001", 31_500, period="2024")], events, on=ON_2024, valid_codes={"3101"})
    assert result.records == [] and result.unmapped == ["3001"]


def test_arrow_tables_in_and_out(events):
    table = pa.table({"unit": ["0602", "0625"], "indicator": ["x", "x"], "period": ["2019", "2019"], "value": [1.0, 2.0]})
    out = carry_observations(table, events, on=ON_2024).to_arrow()
    assert out.column_names == ["unit", "indicator", "period", "value", "status", "carried_from"]
    assert out.to_pylist()[0] == {"unit": "3301", "indicator": "x", "period": "2019", "value": 3.0, "status": "ok",
                                  "carried_from": "0602+0625"}


def test_bad_rows_are_reported_with_their_row_and_column(events):
    with pytest.raises(InputError) as caught:
        carry_observations([_obs("0602", "mange"), _obs("0625", 1, period="i fjor")], events, on=ON_2024)
    problems = [(p.row, p.column) for p in caught.value.report.errors]
    assert problems == [(1, "value"), (2, "period")]


def test_successors_are_shares_that_sum_to_one(events):
    history = CodeHistory(events)
    shares = history.successors("5012", on=ON_2024, after=dt.date(2019, 1, 1))  # Snillfjord, split in three in 2020
    assert set(shares) == {"5055", "5056", "5059"}
    assert sum(shares.values()) == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize(("period", "start"), [
    ("2019", dt.date(2019, 1, 1)), ("2019Q3", dt.date(2019, 7, 1)), ("2024K2", dt.date(2024, 4, 1)),
    ("2024Q2", dt.date(2024, 4, 1)), ("2019-Q4", dt.date(2019, 10, 1)), ("2019-07-01", dt.date(2019, 7, 1)),
    ("2019M07", dt.date(2019, 7, 1)), ("2024M03", dt.date(2024, 3, 1)), ("2019-06", dt.date(2019, 6, 1)),
    ("2016-2020", dt.date(2016, 1, 1)), ("i fjor", None), ("", None),
])
def test_period_start_is_the_first_day_of_the_year_quarter_month_or_day(period, start):
    assert period_start(period) == start


@pytest.mark.parametrize(("period", "span"), [
    ("2024", (dt.date(2024, 1, 1), dt.date(2024, 12, 31))), ("2024K1", (dt.date(2024, 1, 1), dt.date(2024, 3, 31))),
    ("2024M02", (dt.date(2024, 2, 1), dt.date(2024, 2, 29))), ("2024M12", (dt.date(2024, 12, 1), dt.date(2024, 12, 31))),
    ("2024M13", (dt.date(2024, 1, 1), dt.date(2024, 1, 1))), ("2024-06-30", (dt.date(2024, 6, 30), dt.date(2024, 6, 30))),
])
def test_period_span_gives_the_first_and_last_day(period, span):
    assert period_span(period) == span


def test_a_quarter_after_a_mid_year_change_is_keyed_by_the_codes_of_that_quarter():
    """On 1 July 9001 becomes 9002 and 9000 takes the freed code 9001: a 2019Q2 figure under 9001 is the old
    unit's (carried to 9002), a 2019Q3 figure under 9001 is the new unit's (it stays)."""
    events = [CodeChangeEvent("9001", "9002", dt.date(2019, 7, 1)), CodeChangeEvent("9000", "9001", dt.date(2019, 7, 1))]
    result = carry_observations([_obs("9001", 5, period="2019Q2"), _obs("9001", 7, period="2019Q3"),
                                 _obs("9001", 8, period="2019M08")], events, on=ON_2024)
    assert [(r["unit"], r["period"], r["value"]) for r in result.records] == [
        ("9001", "2019M08", 8), ("9001", "2019Q3", 7), ("9002", "2019Q2", 5)]
