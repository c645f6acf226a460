"""Roll-up across levels on a small hand-computed tree (weights, coverage, contributions, direction)."""

from __future__ import annotations

import pytest

from dugnad.analytics.report import InputError
from dugnad.analytics.rollup import (
    Basis,
    Direction,
    Goalpost,
    Member,
    Weighting,
    goalposts_from_rows,
    members_from_rows,
    rollup,
    values_from_rows,
)

# Country 0 → counties 01, 02 → municipalities; 0202 has no data.
MEMBERS = [
    Member("0"),
    Member("01", parent="0"),
    Member("02", parent="0"),
    Member("0101", parent="01", population=100),
    Member("0102", parent="01", population=300),
    Member("0201", parent="02", population=600),
    Member("0202", parent="02", population=1000),
]
VALUES = [
    ("0101", "A", "2024", 40.0),
    ("0102", "A", "2024", 60.0),
    ("0201", "A", "2024", 20.0),
    ("0202", "A", "2024", None),
    ("01", "A", "2024", 55.5),  # the county's own published value
    ("0", "A", "2024", 30.0),
    ("0101", "B", "2024", 5.0),
    ("0102", "B", "2024", 20.0),
    ("0201", "B", "2024", 40.0),
]
GOALPOSTS = {
    "A": Goalpost.from_spec("A", upper_bound=100, lower_bound=0, green=50, red=20),
    "B": Goalpost.from_spec("B", upper_bound=0, lower_bound=100, green=10, red=30),  # lower is better
}


def by_key(rows):
    return {(r.parent, r.indicator): r for r in rows}


def test_population_weighted_county_mean_coverage_and_published_value():
    rows = by_key(rollup(VALUES, MEMBERS, weighting="population", goalposts=GOALPOSTS))
    county = rows["01", "A"]
    assert county.weighting is Weighting.POPULATION
    assert county.value == pytest.approx(0.25 * 40 + 0.75 * 60)  # 55
    assert county.published == 55.5
    assert county.difference == pytest.approx(-0.5)
    assert (county.members, county.members_with_data) == (2, 2)
    assert county.member_coverage == 1.0
    assert county.population_coverage == 1.0


def test_coverage_counts_members_and_population_without_data():
    county = by_key(rollup(VALUES, MEMBERS, weighting="population", goalposts=GOALPOSTS))["02", "A"]
    assert county.value == pytest.approx(20.0)
    assert county.member_coverage == 0.5
    assert county.population == 1600
    assert county.population_with_data == 600
    assert county.population_coverage == pytest.approx(600 / 1600)
    assert county.published is None


def test_state_is_rolled_up_from_municipalities_not_from_county_means():
    state = by_key(rollup(VALUES, MEMBERS, weighting="population", goalposts=GOALPOSTS))["0", "A"]
    assert state.basis is Basis.LEAVES
    assert state.members == 4
    assert state.value == pytest.approx(0.1 * 40 + 0.3 * 60 + 0.6 * 20)  # 34
    assert state.published == 30.0
    assert state.difference == pytest.approx(4.0)
    assert state.population_coverage == pytest.approx(0.5)


def test_unweighted_mean_is_explicit_and_recorded():
    rows = by_key(rollup(VALUES, MEMBERS, weighting=Weighting.NONE, goalposts=GOALPOSTS))
    assert rows["01", "A"].value == pytest.approx(50.0)
    assert rows["0", "A"].value == pytest.approx(40.0)
    assert rows["0", "A"].weighting is Weighting.NONE


def test_mean_of_means_when_chosen():
    weighted = by_key(rollup(VALUES, MEMBERS, weighting="population", basis="children", goalposts=GOALPOSTS))
    # county 01 = 55 (pop 400), county 02 = 20 (pop 600 + 1000): (400·55 + 1600·20) / 2000
    assert weighted["0", "A"].value == pytest.approx(27.0)
    assert weighted["0", "A"].members == 2
    unweighted = by_key(rollup(VALUES, MEMBERS, weighting="none", basis="children", goalposts=GOALPOSTS))
    assert unweighted["0", "A"].value == pytest.approx((50 + 20) / 2)


def test_contributions_are_weight_times_shortfall_and_sum_to_the_gap():
    state = by_key(rollup(VALUES, MEMBERS, weighting="population", goalposts=GOALPOSTS))["0", "A"]
    assert state.target == 50 and state.target_source == "green"
    parts = {c.member: c for c in state.contributions}
    assert parts["0101"].weight == pytest.approx(0.1) and parts["0101"].shortfall == 10
    assert parts["0101"].contribution == pytest.approx(1.0)
    assert parts["0102"].contribution == 0  # above target: no shortfall
    assert parts["0201"].contribution == pytest.approx(0.6 * 30)
    assert parts["0202"].value is None and parts["0202"].weight == 0 and parts["0202"].contribution is None
    assert state.gap == pytest.approx(19.0)
    assert parts["0201"].share == pytest.approx(18 / 19)
    # the signed gap of the roll-up itself: members above target offset those below
    assert state.rollup_gap == pytest.approx(50 - 34)


def test_lower_is_better_shortfall_is_value_above_target():
    county = by_key(rollup(VALUES, MEMBERS, weighting="population", goalposts=GOALPOSTS))["01", "B"]
    assert county.direction is Direction.LOWER
    assert county.target == 10
    assert county.value == pytest.approx(0.25 * 5 + 0.75 * 20)
    parts = {c.member: c for c in county.contributions}
    assert parts["0101"].shortfall == 0
    assert parts["0102"].shortfall == 10
    assert county.gap == pytest.approx(7.5)
    assert parts["0102"].share == pytest.approx(1.0)
    assert county.rollup_gap == pytest.approx(16.25 - 10)


def test_without_target_there_is_no_gap():
    county = by_key(rollup(VALUES, MEMBERS, weighting="none"))["01", "A"]
    assert county.target is None and county.gap is None
    assert all(c.contribution is None for c in county.contributions)


def test_goalpost_from_spec_precedence_and_direction():
    assert Goalpost.from_spec("X", target=7, green=5, upper_bound=9).target == 7
    assert Goalpost.from_spec("X", upper_bound=9).target_source == "upper_bound"
    assert Goalpost.from_spec("X", green=5, red=9).direction is Direction.LOWER
    assert Goalpost.from_spec("X", upper_bound=9, lower_bound=1, green=5, red=9).direction is Direction.HIGHER
    assert Goalpost.from_spec("X", direction="lower", upper_bound=9, lower_bound=1).direction is Direction.LOWER
    assert Goalpost.from_spec("X").target is None


def test_counts_are_summed_not_averaged_and_have_no_gap():
    posts = {"A": Goalpost.from_spec("A", green=50, aggregation="sum")}
    county = by_key(rollup(VALUES, MEMBERS, weighting="population", goalposts=posts))["02", "A"]
    assert county.aggregation.value == "sum"
    assert county.value == 20.0 and county.member_coverage == 0.5  # 0202 is missing: the sum undercounts
    assert county.gap is None and county.target is None
    state = by_key(rollup(VALUES, MEMBERS, weighting="none", goalposts=posts))["0", "A"]
    assert state.value == 40 + 60 + 20
    assert goalposts_from_rows([{"indicator": "A", "aggregation": "sum"}])["A"].aggregation.value == "sum"
    with pytest.raises(InputError, match="aggregation must be"):
        goalposts_from_rows([{"indicator": "A", "aggregation": "median"}])


def test_population_weighting_needs_every_members_population():
    members = [Member("01"), Member("0101", parent="01", population=10), Member("0102", parent="01")]
    with pytest.raises(InputError, match="0102: population is needed"):
        rollup([("0101", "A", "2024", 1.0)], members, weighting="population")
    rows = rollup([("0101", "A", "2024", 1.0)], members, weighting="none")
    assert rows[0].value == 1.0 and rows[0].population_coverage is None


def test_unknown_parent_and_cycles_are_located_errors():
    with pytest.raises(InputError, match="parent is not a known unit"):
        rollup([], [Member("0101", parent="99")], weighting="none")
    with pytest.raises(InputError, match="loops back"):
        rollup([], [Member("a", parent="b"), Member("b", parent="a")], weighting="none")


def test_only_requested_parents_are_returned():
    rows = rollup(VALUES, MEMBERS, weighting="none", parents=["02"])
    assert {r.parent for r in rows} == {"02"}
    with pytest.raises(InputError, match="not a known unit"):
        rollup(VALUES, MEMBERS, weighting="none", parents=["77"])


def test_rows_parsers_locate_bad_cells():
    with pytest.raises(InputError) as err:
        members_from_rows([{"unit": "01", "population": "12"}, {"unit": "0101", "population": "many"}], file="u.csv")
    problem = err.value.report.errors[0]
    assert (problem.file, problem.row, problem.column) == ("u.csv", 3, "population")
    with pytest.raises(InputError) as err:
        goalposts_from_rows([{"indicator": "A", "green": "x"}], file="i.csv")
    assert err.value.report.errors[0].column == "green"
    with pytest.raises(InputError, match="duplicate of row 2"):
        values_from_rows([{"unit": "1", "indicator": "A", "period": "2024", "value": "1"}] * 2)


def test_values_parser_filters_year_and_drops_statuses_without_value():
    rows = [
        {"unit": "1", "indicator": "A", "period": "2023", "value": "1,5"},
        {"unit": "1", "indicator": "A", "period": "2024", "value": "2", "status": "confidential"},
        {"unit": "2", "indicator": "A", "period": "2024", "value": "3.5", "status": "provisional"},
    ]
    assert values_from_rows(rows, year="2024") == [("1", "A", "2024", None), ("2", "A", "2024", 3.5)]
    assert values_from_rows(rows)[0] == ("1", "A", "2023", 1.5)
    with pytest.raises(InputError, match="unknown status"):
        values_from_rows([{"unit": "1", "indicator": "A", "period": "2024", "value": "1", "status": "odd"}])


# ---------------------------------------------------------------- the `dugnad rollup` command on files

UNITS_CSV = """unit,name,group,tags,parent,population
0,Norge,,,,
01,Fylke A,,,0,
02,Fylke B,,,0,
0101,Aby,K1,,01,100
0102,Bby,K1,,01,300
0201,Cby,K2,,02,600
0202,Dby,K1,,02,1000
"""
OBS_CSV = """unit,indicator,year,value
0101,A,2024,40
0102,A,2024,60
0201,A,2024,20
0202,A,2024,
0,A,2024,30
0101,A,2023,99
"""
IND_CSV = """indicator,goal,label,upper_bound,lower_bound,green,red,in_index,applies_to,trend_from,trend_to
A,1,A,100,0,50,20,true,,,
"""


def run_cli(*args: str):
    import typer
    from typer.testing import CliRunner

    from dugnad.cli import rollup as rollup_cli

    app = typer.Typer()
    rollup_cli.register(app)
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def files(tmp_path):
    for name, text in (("units.csv", UNITS_CSV), ("obs.csv", OBS_CSV), ("ind.csv", IND_CSV)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def read_out(path):
    import csv

    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_rollup_command_writes_rollup_and_contributions(files):
    result = run_cli(
        "rollup", "--observations", str(files / "obs.csv"), "--units", str(files / "units.csv"),
        "--indicators", str(files / "ind.csv"), "--weight", "population", "--year", "2024",
        "--out", str(files / "out" / "rollup.csv"), "--contributions", str(files / "out" / "parts.csv"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = {r["parent"]: r for r in read_out(files / "out" / "rollup.csv")}
    assert set(rows) == {"0", "01", "02"}
    assert float(rows["0"]["value"]) == pytest.approx(34.0)
    assert float(rows["0"]["published"]) == 30.0
    assert rows["0"]["weighting"] == "population" and rows["0"]["period"] == "2024"
    assert float(rows["02"]["population_coverage"]) == pytest.approx(0.375)
    assert float(rows["0"]["gap"]) == pytest.approx(19.0)
    parts = [r for r in read_out(files / "out" / "parts.csv") if r["parent"] == "0"]
    assert {r["member"]: r["contribution"] for r in parts}["0201"] == "18.0"


def test_rollup_command_requires_an_explicit_weighting(files):
    result = run_cli("rollup", "--observations", str(files / "obs.csv"), "--units", str(files / "units.csv"),
                     "--out", str(files / "r.csv"))  # fmt: skip
    assert result.exit_code != 0
    assert not (files / "r.csv").exists()


def test_rollup_command_reports_located_errors_and_writes_nothing(files):
    (files / "obs.csv").write_text(OBS_CSV + "0102,A,2024,lots\n", encoding="utf-8")
    out = files / "r.csv"
    out.write_text("old", encoding="utf-8")
    result = run_cli("rollup", "--observations", str(files / "obs.csv"), "--units", str(files / "units.csv"),
                     "--weight", "none", "--out", str(out))  # fmt: skip
    assert result.exit_code == 1
    assert "row 8, column value: value is not a number" in " ".join(result.output.split())
    assert out.read_text(encoding="utf-8") == "old"


def test_population_weighted_rollup_reproduces_the_demo_generators_county_and_national_values():
    from dugnad.demo.generator import generate_rows, load_definitions, municipality_profile

    _, indicators = load_definitions()
    munis = [municipality_profile(f"46{n:02d}", "46", 800 + 1_500 * n) for n in range(1, 31)]
    munis += [municipality_profile(f"42{n:02d}", "42", 1_200 * n) for n in range(1, 11)]
    members = [Member("0"), Member("46", parent="0"), Member("42", parent="0")]
    members += [Member(m.code, parent=m.county, population=m.population) for m in munis]
    rows = rollup(generate_rows(indicators, munis), members, weighting="population")
    compared = [r for r in rows if r.value is not None and r.published is not None]
    assert len(compared) > 1000
    assert max(abs(r.difference) for r in compared) <= 0.0005 + 1e-9  # the generator rounds to 3 decimals
    assert any(r.member_coverage < 1 for r in compared)  # the demo leaves gaps, and coverage shows them
