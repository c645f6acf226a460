"""Series carried across reforms on the real registry: import under old codes, export ``--on``, carried reads, score runs."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from tests.factories import FrameworkFactory, IndicatorFactory, IndicatorSpecFactory, run_import, write_csv
from typer.testing import CliRunner

from dugnad.cli.main import app
from dugnad.observations.selectors import observations_carried
from dugnad.units.selectors import carry_context

pytestmark = pytest.mark.django_db
runner = CliRunner()
ON = dt.date(2024, 1, 1)

OLD_CODES = """
unit,indicator,year,value
0602,PEOPLE,2019,69000
0625,PEOPLE,2019,25000
0711,PEOPLE,2019,6800
0602,SHARE,2019,10
0625,SHARE,2019,20
0711,SHARE,2019,40
3001,PEOPLE,2020,31000
3001,PEOPLE,2021,31100
3001,PEOPLE,2022,31200
3001,PEOPLE,2023,31300
3101,PEOPLE,2024,31400
"""


@pytest.fixture
def world(db):
    """The shipped registry (2015–) and population, and a count (sum) and a rate (mean) indicator."""
    from dugnad.units.services import population_load_snapshot, registry_load_snapshot

    registry_load_snapshot()
    population_load_snapshot()
    framework = FrameworkFactory(code="test")
    people = IndicatorFactory(framework=framework, code="PEOPLE")
    share = IndicatorFactory(framework=framework, code="SHARE")
    IndicatorSpecFactory(indicator=people, aggregation="sum", upper_bound=200_000, green=100_000, red=10_000)
    IndicatorSpecFactory(indicator=share, aggregation="mean")
    return {"people": people, "share": share}


def _rows(path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_old_codes_import_and_export_on_a_date_carries_them_with_their_origin(world, tmp_path):
    result = runner.invoke(app, ["import", "csv", str(write_csv(tmp_path / "old.csv", OLD_CODES))])
    assert result.exit_code == 0, result.output

    out = tmp_path / "carried.csv"
    result = runner.invoke(app, ["export", "csv", "--out", str(out), "--on", "2024-01-01"])
    assert result.exit_code == 0, result.output
    rows = {(r["unit"], r["indicator"], r["period"]): r for r in _rows(out)}
    drammen = rows[("3301", "PEOPLE", "2019")]
    assert float(drammen["value"]) == 100_800
    share = rows[("3301", "SHARE", "2019")]  # no population figure before 2020: an equal mean
    assert (float(share["value"]), share["carried_from"]) == (pytest.approx(70 / 3), "0602+0625+0711")
    assert drammen["carried_from"] == "0602+0625+0711"
    for year in range(2020, 2024):
        assert rows[("3101", "PEOPLE", str(year))]["carried_from"] == "3001"
        assert float(rows[("3101", "PEOPLE", str(year))]["value"]) == 31_000 + (year - 2020) * 100
    assert rows[("3101", "PEOPLE", "2024")]["carried_from"] == ""
    assert not any(r["unit"] in {"0602", "0625", "0711", "3001", "3005"} for r in rows.values())
    assert list(_rows(out)[0])[-2:] == ["carried_from", "note"]
    assert {r["note"] for r in _rows(out)} == {"Kilde: old.csv"}

    stored = tmp_path / "stored.csv"
    assert runner.invoke(app, ["export", "csv", "--out", str(stored)]).exit_code == 0
    as_stored = _rows(stored)
    assert {r["unit"] for r in as_stored} == {"0602", "0625", "0711", "3001", "3101"}
    assert "carried_from" not in as_stored[0]


def test_export_on_rejects_a_bad_date_and_a_unit_not_in_force(world, tmp_path):
    result = runner.invoke(app, ["export", "csv", "--out", str(tmp_path / "x.csv"), "--on", "2024-13-01"])
    assert result.exit_code != 0 and "--on" in result.output
    result = runner.invoke(app, ["export", "csv", "--out", str(tmp_path / "x.csv"), "--on", "2024-01-01",
                                 "--unit", "3001"])
    assert result.exit_code != 0 and "3001" in result.output


def test_carried_reads_select_the_successor_and_read_its_predecessors(world):
    run_import([{"unit": "1507", "indicator": "PEOPLE", "period": "2023", "value": 67_000.0},
                {"unit": "1507", "indicator": "SHARE", "period": "2023", "value": 12.5},
                {"unit": "1850", "indicator": "PEOPLE", "period": "2019", "value": 1_900.0},
                {"unit": "1805", "indicator": "PEOPLE", "period": "2019", "value": 18_700.0},
                {"unit": "1854", "indicator": "PEOPLE", "period": "2019", "value": 2_500.0}])
    carried = observations_carried(on=ON, units=["1580"]).table.to_pylist()
    by = {(r["indicator"], r["period"]): r for r in carried}
    assert {r["unit"] for r in carried} == {"1580"}
    assert by[("SHARE", "2023")]["value"] == 12.5  # a split keeps rates
    assert 0 < by[("PEOPLE", "2023")]["value"] < 67_000 * 0.2  # and shares counts by population (Haram is ~14 %)
    assert by[("PEOPLE", "2023")]["carried_from"] == "1507"
    narvik = {r["period"]: r for r in observations_carried(on=ON, units=["1806"]).table.to_pylist()}
    assert narvik["2019"]["value"] == pytest.approx(18_700 + 2_500 + 1_900 * 0.5)
    assert narvik["2019"]["carried_from"] == "1805+1850+1854"


def test_a_value_stored_under_the_units_own_code_wins_over_the_carried_one_for_the_same_year(world):
    """SSB's harmonised series put 2022 under 3101 too: the read paths show Halden's own figure for 2022, not the
    sum of it and 3001's (a count) nor their mean (a rate); years with only 3001's value stay carried."""
    from dugnad.observations.selectors import carried_values, latest_carried_values, unit_series_carried
    from dugnad.units.selectors import unit_current

    run_import([{"unit": "3001", "indicator": "PEOPLE", "period": p, "value": v} for p, v in (("2021", 31_100.0),
                                                                                            ("2022", 31_200.0))]
               + [{"unit": "3001", "indicator": "SHARE", "period": "2022", "value": 10.0}])
    run_import([{"unit": "3101", "indicator": "PEOPLE", "period": "2022", "value": 31_250.0},
                {"unit": "3101", "indicator": "SHARE", "period": "2022", "value": 30.0}], harmonised=True)
    rows = {(r["indicator_id"], r["period"]): r for r in carried_values(
        on=ON, indicators=[world["people"], world["share"]], units=["3101"])}
    people, share = world["people"].pk, world["share"].pk
    assert (rows[(people, "2022")]["value"], rows[(people, "2022")]["carried_from"]) == (31_250.0, "")
    assert (rows[(share, "2022")]["value"], rows[(share, "2022")]["origin"]) == (30.0, "")
    assert (rows[(people, "2021")]["value"], rows[(people, "2021")]["carried_from"]) == (31_100.0, "3001")
    assert latest_carried_values(on=ON, indicator=world["people"], units=["3101"])["3101"]["value"] == 31_250.0
    # the portal snapshot's read: only the rows that stay carried, the same rows
    carried = carried_values(on=ON, indicators=[world["people"], world["share"]], units=["3101"], carried_only=True)
    assert carried == [r for r in rows.values() if r["carried_from"]]
    assert (people, "2021") in {(r["indicator_id"], r["period"]) for r in carried}
    assert not {(people, "2022"), (share, "2022")} & {(r["indicator_id"], r["period"]) for r in carried}
    series = {(r["indicator_id"], r["period"]): r for r in unit_series_carried(unit_current("3101", date=ON), on=ON)}
    assert (series[(people, "2022")]["value"], series[(people, "2022")]["origin"]) == (31_250.0, "")
    assert series[(share, "2022")]["value"] == 30.0
    assert series[(people, "2021")]["origin"] == "videreført fra 3001 Halden"


def test_the_context_names_the_origin_for_people(world):
    context = carry_context(on=ON)
    assert context.origin("3001") == "videreført fra 3001 Halden"
    assert context.origin("3001", lang="nn") == "vidareført frå 3001 Halden"
    assert context.sources_of("3301") >= {"3301", "3005", "0602", "0625", "0711"}
    assert "3101" in context.valid_codes and "3001" not in context.valid_codes
    assert context.weights[("3001", 2021)] > 25_000  # Halden's own figure


def test_a_score_run_reads_halden_values_stored_under_3001(world):
    from dugnad.scores.score_inputs import platform_inputs

    run_import([{"unit": "3001", "indicator": "PEOPLE", "period": str(y), "value": 31_000.0 + y} for y in range(2020, 2024)])
    inputs = platform_inputs(date=ON)
    from dugnad.units.selectors import unit_current

    halden = str(unit_current("3101", date=ON).pk)
    rows = [r for r in inputs.observations.to_pylist() if r["unit"] == halden]
    assert sorted(r["year"] for r in rows) == [2020, 2021, 2022, 2023]
    assert inputs.carried_from == {"3001": 4}


def test_a_score_run_reads_halden_own_value_where_3001_has_one_for_the_same_year(world):
    """The score run follows the same rule as the read paths: 2022 stored under both codes is Halden's own 31,250
    (not 31,200 + 31,250); 2021, stored under 3001 only, is carried."""
    from dugnad.scores.score_inputs import platform_inputs
    from dugnad.units.selectors import unit_current

    run_import([{"unit": "3001", "indicator": "PEOPLE", "period": p, "value": v} for p, v in (("2021", 31_100.0),
                                                                                            ("2022", 31_200.0))])
    run_import([{"unit": "3101", "indicator": "PEOPLE", "period": "2022", "value": 31_250.0}], harmonised=True)
    halden = str(unit_current("3101", date=ON).pk)
    rows = {r["year"]: r["value"] for r in platform_inputs(date=ON).observations.to_pylist() if r["unit"] == halden}
    assert rows == {2021: 31_100.0, 2022: 31_250.0}


def test_the_dashboard_trends_of_halden_continue_through_3001_with_the_origin_shown(world):
    from django.utils import translation

    from dugnad.scores.dashboard import indicator_trends
    from dugnad.units.selectors import unit_current

    run_import([{"unit": "3001", "indicator": "PEOPLE", "period": str(y), "value": 31_000.0 + y} for y in range(2020, 2024)]
               + [{"unit": "3101", "indicator": "PEOPLE", "period": "2024", "value": 33_100.0}])
    halden = unit_current("3101", date=ON)
    (trend,) = indicator_trends(halden, on=ON)
    assert [p[0] for p in trend["points"]] == ["2020", "2021", "2022", "2023", "2024"]
    assert trend["points"][0][2] == "videreført fra 3001 Halden"
    assert trend["points"][-1][2] == ""
    with translation.override("en"):
        assert indicator_trends(halden, on=ON)[0]["points"][0][2] == "carried over from 3001 Halden"


def test_the_grid_of_halden_shows_values_carried_from_3001_until_its_own_are_stored(world):
    from dugnad.rounds.models import Round, Submission
    from dugnad.rounds.selectors import submission_grid
    from dugnad.units.selectors import unit_current

    halden = unit_current("3101")
    round_ = Round.objects.create(title="R", year=2024, deadline=dt.date.today(), scope_unit=unit_current("0"))
    round_.indicators.set([world["people"]])
    submission = Submission.objects.create(round=round_, unit=halden)
    run_import([{"unit": "3001", "indicator": "PEOPLE", "period": str(y), "value": 31_000.0 + y} for y in range(2020, 2024)]
               + [{"unit": "3101", "indicator": "PEOPLE", "period": "2024", "value": 33_100.0}])
    (row,) = submission_grid(submission)
    cells = {c.period: c for c in row.cells}
    assert (cells["2023"].value, cells["2023"].revision, cells["2023"].origin) == (33_023.0, 0, "videreført fra 3001 Halden")
    assert (cells["2024"].value, cells["2024"].origin) == (33_100.0, "")
    assert cells["2024"].revision == 1


def test_publication_facts_carry_halden_values_and_references_name_their_origin(world):
    from dugnad.publications.builders.facts import unit_facts
    from dugnad.publications.document import References
    from dugnad.rounds.models import Round
    from dugnad.units.selectors import unit_current

    halden = unit_current("3101")
    round_ = Round.objects.create(title="R", year=2024, deadline=dt.date.today(), scope_unit=unit_current("0"))
    round_.indicators.set([world["people"]])
    run_import([{"unit": "3001", "indicator": "PEOPLE", "period": "2023", "value": 33_023.0}])
    facts = unit_facts(halden, round_, with_peers=False)
    carried = facts.series[("3101", world["people"].pk)]["2023"]
    assert (carried.value, carried.carried_from, carried.origin) == (33_023.0, "3001", "videreført fra 3001 Halden")
    refs = References()
    key = refs.add(unit="3101", indicator="PEOPLE", period="2023", carried=carried.origin)
    assert refs.all()[0].key == key
    assert refs.all()[0].label.endswith("periode 2023, videreført fra 3001 Halden")


def test_the_unit_page_of_halden_shows_its_latest_value_carried_from_3001(world, client):
    run_import([{"unit": "3001", "indicator": "PEOPLE", "period": "2023", "value": 33_023.0}])
    html = client.get("/enheter/3101/").content.decode()
    assert "2023 <span class=\"muted\">(videreført fra 3001 Halden)</span>" in html


def test_the_carried_table_of_the_export_the_api_and_action_effects_lets_the_units_own_value_win(world, client, tmp_path):
    """``observations_carried`` (export ``--on``, ``/api/v1/observations?on=``, action effects) follows the rule of
    ``carried_values``: 3101's own 2022 figures are kept as stored (not 31 200 + 31 250, nor the mean of 10 and 30),
    per disaggregation too; 2021, with only 3001's value, stays carried."""
    run_import([{"unit": "3001", "indicator": "PEOPLE", "period": p, "value": v, "sex": s}
                for p, v, s in (("2021", 31_100.0, ""), ("2022", 31_200.0, ""), ("2022", 15_000.0, "F"))]
               + [{"unit": "3001", "indicator": "SHARE", "period": "2022", "value": 10.0, "sex": ""}])
    run_import([{"unit": "3101", "indicator": "PEOPLE", "period": "2022", "value": v, "sex": s}
                for v, s in ((31_250.0, ""), (15_100.0, "F"))]
               + [{"unit": "3101", "indicator": "SHARE", "period": "2022", "value": 30.0, "sex": ""}], harmonised=True)
    expected = {("PEOPLE", "2021", ""): (31_100.0, "3001"), ("PEOPLE", "2022", ""): (31_250.0, ""),
                ("PEOPLE", "2022", "F"): (15_100.0, ""), ("SHARE", "2022", ""): (30.0, "")}

    rows = observations_carried(on=ON, units=["3101"], with_provenance=True).table.to_pylist()
    assert {(r["indicator"], r["period"], r["sex"]): (r["value"], r["carried_from"]) for r in rows} == expected
    assert {r["carry_weighting"] for r in rows} == {""}

    out = tmp_path / "carried.csv"
    result = runner.invoke(app, ["export", "csv", "--out", str(out), "--on", "2024-01-01", "--unit", "3101"])
    assert result.exit_code == 0, result.output
    assert {(r["indicator"], r["period"], r["sex"]): (float(r["value"]), r["carried_from"]) for r in _rows(out)} == expected

    items = client.get("/api/v1/observations", {"unit": "3101", "on": "2024-01-01"}).json()["items"]
    assert {(i["indicator"], i["period"], i.get("sex") or (i.get("dimensions") or {}).get("sex", "")):
            (i["value"], i["carried_from"]) for i in items} == expected


def test_one_units_carried_read_is_the_whole_countrys_carried_table_of_that_unit_exactly(world, monkeypatch):
    """``observations_carried(units=[code])`` reads only the unit's and its predecessors' rows, yet gives exactly the
    rows of the whole country's carried table for that unit: same order, same floats to the last bit (split shares,
    equal and population-weighted means of awkward decimals). A unit nothing is merged or shared onto is carried
    without opening DuckDB."""
    from dugnad.analytics import carry

    rows = [{"unit": u, "indicator": "SHARE", "period": p, "value": v}
            for u, p, v in (("0602", "2019", 0.1), ("0625", "2019", 0.2), ("0711", "2019", 0.7),
                            ("1805", "2019", 1 / 3), ("1850", "2019", 2 / 7), ("1854", "2019", 0.3),
                            ("3001", "2021", 10.1), ("3002", "2021", 20.3), ("1507", "2023", 12.5))]
    rows += [{"unit": u, "indicator": "PEOPLE", "period": p, "value": v}
             for u, p, v in (("1805", "2019", 18_700.1), ("1850", "2019", 1_900.3), ("1854", "2019", 2_500.7),
                             ("1507", "2023", 67_000.3), ("1507", "2022", 66_900.1), ("0301", "2023", 717_710.0),
                             ("0301", "2022", 0.1), ("5001", "2023", 0.3), ("4601", "2023", 291_189.0))]
    run_import(rows)
    run_import([{"unit": "5001", "indicator": "SHARE", "period": "2023", "value": 0.2}], is_demo=True)
    context = carry_context(on=ON)
    whole = observations_carried(on=ON, with_provenance=True, context=context).table
    assert {r["carry_weighting"] for r in whole.to_pylist()} >= {"equal", ""}
    units = sorted(set(whole.column("unit").to_pylist()))
    assert {"3301", "1806", "1508", "1580", "0301", "5001"} <= set(units)
    for code in units:
        one = observations_carried(on=ON, units=[code], with_provenance=True, context=context).table
        assert one.to_pylist() == [r for r in whole.to_pylist() if r["unit"] == code], code
        assert one.schema == whole.schema

    def no_duckdb(*args, **kwargs):
        raise AssertionError("DuckDB opened for a unit with nothing to merge")

    monkeypatch.setattr(carry.duckdb, "connect", no_duckdb)
    oslo = observations_carried(on=ON, units=["0301"], with_provenance=True, context=context).table.to_pylist()
    assert [(r["period"], r["value"], r["carried_from"]) for r in oslo] == [("2022", 0.1, ""), ("2023", 717_710.0, "")]
    with pytest.raises(AssertionError, match="DuckDB opened"):
        observations_carried(on=ON, units=["1806"], context=context)
