"""The vectorised carry (``dugnad.analytics.carry``) on the real Klass code changes: Halden, Drammen, Ålesund, Tysfjord."""

from __future__ import annotations

import datetime as dt
import json
import random

import pyarrow as pa
import pytest

from dugnad.analytics.carry import carry_naive, carry_table, kinds_from_aggregation, origin_text
from dugnad.analytics.codes import ChangeKind, CodeChangeEvent, CodeHistory, ValueKind
from dugnad.analytics.report import InputError

ON_2024 = dt.date(2024, 1, 1)


@pytest.fixture(scope="module")
def history() -> CodeHistory:
    """The real municipality code changes from the shipped registry snapshot (Klass 131)."""
    from dugnad.units.registry.snapshot import SHIPPED_NORWAY

    changes = json.loads(SHIPPED_NORWAY.read_text(encoding="utf-8"))["code_changes"]
    return CodeHistory([CodeChangeEvent(c["old_code"], c["new_code"], dt.date.fromisoformat(c["date"]),
                                        ChangeKind(c["type"]), c["weight"]) for c in changes if c["level"] == "municipality"])


def _table(rows: list[tuple], **extra) -> pa.Table:
    columns = {"unit": [r[0] for r in rows], "indicator": [r[1] for r in rows], "period": [r[2] for r in rows],
               "value": pa.array([r[3] for r in rows], pa.float64()),
               "status": [r[4] if len(r) > 4 else "ok" for r in rows]}
    return pa.table({**columns, **extra})


def _by_key(carried) -> dict[tuple[str, str, str], dict]:
    return {(r["unit"], r["indicator"], r["period"]): r for r in carried.table.to_pylist()}


COUNTS = {"people": ValueKind.COUNT}


def test_halden_3001_is_carried_to_3101_for_2020_to_2023(history):
    rows = [("3001", "people", str(y), 31_000.0 + y) for y in range(2020, 2024)] + [("3101", "people", "2024", 31_444.0)]
    out = _by_key(carry_table(_table(rows), history, on=ON_2024, kinds=COUNTS))
    assert {k[0] for k in out} == {"3101"}
    assert out[("3101", "people", "2021")]["value"] == 33_021.0
    assert out[("3101", "people", "2021")]["carried_from"] == "3001"
    assert out[("3101", "people", "2024")]["carried_from"] == ""  # stored under the code in force: not carried


def test_drammen_2019_merger_then_recode_sums_counts_and_weights_rates(history):
    rows = [("0602", "people", "2019", 69_000.0), ("0625", "people", "2019", 25_000.0), ("0711", "people", "2019", 6_800.0),
            ("0602", "share", "2019", 10.0), ("0625", "share", "2019", 20.0), ("0711", "share", "2019", 40.0)]
    weights = {("0602", 2019): 69_000.0, ("0625", 2019): 25_000.0, ("0711", 2019): 6_800.0}
    out = _by_key(carry_table(_table(rows), history, on=ON_2024, kinds=COUNTS, weights=weights))
    assert out[("3301", "people", "2019")]["value"] == 100_800.0
    assert out[("3301", "people", "2019")]["carried_from"] == "0602+0625+0711"
    expected = (10 * 69_000 + 20 * 25_000 + 40 * 6_800) / 100_800
    assert out[("3301", "share", "2019")]["value"] == pytest.approx(expected)
    assert out[("3301", "share", "2019")]["carry_weighting"] == "population"
    # On 2020-01-01 the same values land on 3005, the Drammen of 2020–2023.
    assert {k[0] for k in _by_key(carry_table(_table(rows), history, on=dt.date(2020, 1, 1), kinds=COUNTS))} == {"3005"}


def test_a_rate_without_every_population_is_an_equal_mean_and_says_so(history):
    rows = [("0602", "share", "2019", 10.0), ("0625", "share", "2019", 20.0), ("0711", "share", "2019", 60.0)]
    out = _by_key(carry_table(_table(rows), history, on=ON_2024, weights={("0602", 2019): 1e6}))
    assert out[("3301", "share", "2019")]["value"] == pytest.approx(30.0)
    assert out[("3301", "share", "2019")]["carry_weighting"] == "equal"


def test_alesund_2024_split_shares_counts_by_population_and_keeps_rates(history):
    rows = [("1507", "people", "2023", 1_000.0), ("1507", "share", "2023", 42.0)]
    out = _by_key(carry_table(_table(rows), history, on=ON_2024, kinds=COUNTS))
    assert out[("1508", "people", "2023")]["value"] == pytest.approx(862.125)
    assert out[("1580", "people", "2023")]["value"] == pytest.approx(137.875)
    assert out[("1508", "share", "2023")]["value"] == out[("1580", "share", "2023")]["value"] == 42.0
    assert out[("1580", "share", "2023")]["carried_from"] == "1507"
    # Before the split the values stay on 1507.
    assert {k[0] for k in _by_key(carry_table(_table(rows), history, on=dt.date(2023, 6, 1)))} == {"1507"}


def test_tysfjord_2020_split_goes_to_narvik_and_hamaroy_beside_their_mergers(history):
    rows = [("1850", "people", "2019", 1_900.0), ("1805", "people", "2019", 18_700.0), ("1854", "people", "2019", 2_500.0),
            ("1849", "people", "2019", 1_700.0)]
    out = _by_key(carry_table(_table(rows), history, on=ON_2024, kinds=COUNTS))
    assert out[("1806", "people", "2019")]["value"] == pytest.approx(18_700 + 2_500 + 950)
    assert out[("1806", "people", "2019")]["carried_from"] == "1805+1850+1854"
    assert out[("1875", "people", "2019")]["value"] == pytest.approx(1_700 + 950)
    assert out[("1875", "people", "2019")]["carried_from"] == "1849+1850"


def test_a_missing_source_makes_the_merged_value_missing_and_provisional_spreads(history):
    rows = [("0602", "people", "2019", 1.0, "provisional"), ("0625", "people", "2019", 2.0),
            ("0602", "people", "2018", None, "missing"), ("0625", "people", "2018", 2.0)]
    out = _by_key(carry_table(_table(rows), history, on=ON_2024, kinds=COUNTS))
    assert out[("3301", "people", "2019")]["status"] == "provisional"
    assert out[("3301", "people", "2018")]["value"] is None
    assert out[("3301", "people", "2018")]["status"] == "missing"


def test_dimensions_and_demo_flags_are_kept(history):
    table = _table([("3001", "people", "2022", 1.0), ("3001", "people", "2022", 2.0)], sex=["F", "M"],
                   is_demo=[True, False])
    out = carry_table(table, history, on=ON_2024, kinds=COUNTS).table.to_pylist()
    assert [(r["unit"], r["sex"], r["value"], r["is_demo"]) for r in out] == [("3101", "F", 1.0, True), ("3101", "M", 2.0, False)]


def test_codes_that_reach_no_valid_unit_are_dropped_and_named(history):
    carried = carry_table(_table([("3001", "people", "2022", 1.0), ("9999", "people", "2022", 2.0)]), history,
                          on=ON_2024, valid_codes={"3101"})
    assert carried.table.column("unit").to_pylist() == ["3101"]
    assert carried.unmapped == ["9999"]


def test_bad_periods_and_missing_columns_are_located_errors(history):
    with pytest.raises(InputError, match="period does not start with a year"):
        carry_table(_table([("3001", "people", "sometime", 1.0)]), history, on=ON_2024)
    with pytest.raises(InputError, match="missing column value"):
        carry_table(pa.table({"unit": ["3001"], "indicator": ["x"], "period": ["2020"]}), history, on=ON_2024)


def test_the_vectorised_carry_agrees_with_the_per_row_carry(history):
    rng = random.Random(11)
    codes = ["0602", "0625", "0711", "3001", "1507", "1850", "1805", "1854", "1849", "0301", "4601"]
    rows = [(c, i, str(y), rng.uniform(0, 100)) for c in codes for i in ("people", "share") for y in range(2015, 2024)]
    weights = {(c, y): rng.uniform(1_000, 9_000) for c in codes for y in range(2015, 2024) if c != "0711"}
    kinds = {"people": ValueKind.COUNT, "share": ValueKind.RATE}
    fast = _by_key(carry_table(_table(rows), history, on=ON_2024, kinds=kinds, weights=weights))
    slow = carry_naive([{"unit": u, "indicator": i, "period": p, "value": v} for u, i, p, v in rows], history,
                       on=ON_2024, kinds=kinds, weights=weights)
    assert len(fast) == len(slow)
    for row in slow:
        got = fast[(row["unit"], row["indicator"], row["period"])]
        assert got["value"] == pytest.approx(row["value"])
        assert got["carried_from"] == row["carried_from"]


def test_origin_is_written_for_people_in_three_languages():
    names = {"3001": "Halden", "0602": "Drammen", "0625": "Nedre Eiker", "0711": "Svelvik"}
    assert origin_text("3001", names) == "videreført fra 3001 Halden"
    assert origin_text("3001", names, lang="nn") == "vidareført frå 3001 Halden"
    assert origin_text("0602+0625+0711", names, lang="en") == "carried over from 0602 Drammen, 0625 Nedre Eiker and 0711 Svelvik"
    assert origin_text("", names) == ""


def test_kinds_come_from_the_specs_aggregation():
    assert kinds_from_aggregation({"a": "sum", "b": "mean", "c": ""}) == {
        "a": ValueKind.COUNT, "b": ValueKind.RATE, "c": ValueKind.RATE}


def test_own_wins_keeps_a_successors_own_value_and_carries_the_rest(history):
    """``own_wins``: Drammen's own 2019 count beats the sum of its predecessors, its rate (no own value) stays
    merged; Haram's own 2023 value beats its share of Ålesund 1507, whose other successor 1508 still gets its share."""
    rows = [("0602", "people", "2019", 69_000.0), ("0625", "people", "2019", 25_000.0), ("3301", "people", "2019", 101_000.0),
            ("0602", "share", "2019", 10.0), ("0625", "share", "2019", 20.0),
            ("1507", "people", "2023", 67_000.0), ("1580", "people", "2023", 9_500.0, "provisional")]
    merged = _by_key(carry_table(_table(rows), history, on=ON_2024, kinds=COUNTS))
    assert merged[("3301", "people", "2019")]["value"] == 195_000.0  # without own_wins: summed
    out = _by_key(carry_table(_table(rows), history, on=ON_2024, kinds=COUNTS, own_wins=True))
    drammen = out[("3301", "people", "2019")]
    assert (drammen["value"], drammen["carried_from"], drammen["carry_weighting"]) == (101_000.0, "", "")
    assert (out[("3301", "share", "2019")]["value"], out[("3301", "share", "2019")]["carried_from"]) == (15.0, "0602+0625")
    haram = out[("1580", "people", "2023")]
    assert (haram["value"], haram["status"], haram["carried_from"]) == (9_500.0, "provisional", "")
    assert out[("1508", "people", "2023")]["carried_from"] == "1507"
    assert out[("1508", "people", "2023")]["value"] == merged[("1508", "people", "2023")]["value"] < 67_000.0
