"""Similar-units finder and peer groups on a hand-computed three-unit pool."""

from __future__ import annotations

import math

import pytest

from dugnad.analytics.peers import parse_weights, peer_group, profiles_from_rows, similar_units
from dugnad.analytics.report import InputError

# Pool A, B, C: x mean 2, sd sqrt(2/3); y mean 50/3, sd sqrt(800/9). D lacks y.
PROFILES = {
    "A": {"x": 1.0, "y": 10.0},
    "B": {"x": 2.0, "y": 10.0},
    "C": {"x": 3.0, "y": 30.0},
    "D": {"x": 2.0, "y": None},
}


def test_distances_are_weighted_standardised_euclidean():
    search = similar_units(PROFILES, "A", weights={"x": 1, "y": 1}, k=5)
    assert [p.unit for p in search.peers] == ["B", "C"]
    # A→B: x differs by 1/sd = sqrt(1.5), y equal.  A→C: (2/sd)² = 6 and (20/sd_y)² = 4.5.
    assert search.peers[0].distance == pytest.approx(math.sqrt(1.5))
    assert search.peers[1].distance == pytest.approx(math.sqrt(10.5))
    assert search.peers[1].differences["y"] == pytest.approx(math.sqrt(4.5))
    scales = {s.name: s for s in search.scales}
    assert scales["x"].mean == pytest.approx(2.0) and scales["x"].sd == pytest.approx(math.sqrt(2 / 3))
    assert search.pool == 3
    assert search.excluded == {"D": "y is missing"}


def test_weights_change_the_distance_and_the_unit_is_never_its_own_peer():
    search = similar_units(PROFILES, "A", weights={"x": 1, "y": 2}, k=1)
    assert [p.unit for p in search.peers] == ["B"]
    full = similar_units(PROFILES, "A", weights={"x": 1, "y": 2})
    assert full.peers[1].distance == pytest.approx(math.sqrt(6 + 2 * 4.5))
    assert all(p.unit != "A" for p in full.peers)


def test_zero_weight_drops_a_variable_and_log_transforms_before_standardising():
    only_x = similar_units(PROFILES, "C", weights={"x": 1, "y": 0})
    assert {p.unit for p in only_x.peers} == {"A", "B", "D"}  # D has x, so it is in the pool now
    logged = similar_units({"A": {"p": 10}, "B": {"p": 100}, "C": {"p": 1000}}, "A", weights={"p": 1}, log=["p"])
    # ln values are equally spaced: B is one step, C two steps from A
    assert logged.peers[1].distance == pytest.approx(2 * logged.peers[0].distance)


def test_candidates_restrict_the_pool_and_groups_are_reported():
    groups = {"A": "K1", "B": "K2", "C": "K1", "D": "K1"}
    search = similar_units(PROFILES, "A", weights={"x": 1, "y": 1}, candidates=["C"], groups=groups)
    assert [(p.unit, p.group) for p in search.peers] == [("C", "K1")]
    assert search.peers[0].distance == pytest.approx(2 * math.sqrt(2))  # pool {A, C}: z = ±1 on both


def test_peer_group_is_data():
    groups = {"0301": "K13", "4601": "K13", "5001": "K13", "3001": "K08", "9999": None}
    assert peer_group(groups, "4601") == ["0301", "5001"]
    assert peer_group(groups, "9999") == []


def test_bad_inputs_are_errors():
    with pytest.raises(InputError, match="no structural data"):
        similar_units(PROFILES, "Z", weights={"x": 1})
    with pytest.raises(InputError, match="D: y is missing"):
        similar_units(PROFILES, "D", weights={"x": 1, "y": 1})
    with pytest.raises(InputError, match="positive weight"):
        similar_units(PROFILES, "A", weights={"x": 0})
    with pytest.raises(InputError, match="weight of y is not a number"):
        parse_weights("x=1,y=lots")
    assert parse_weights("population=2,density") == {"population": 2.0, "density": 1.0}


def test_profiles_from_rows_locate_missing_columns_and_bad_numbers():
    with pytest.raises(InputError, match="no column 'density'"):
        profiles_from_rows([{"unit": "1", "population": "5"}], ["population", "density"], file="u.csv")
    with pytest.raises(InputError) as err:
        profiles_from_rows([{"unit": "1", "population": "5"}, {"unit": "2", "population": "x"}], ["population"], file="u.csv")
    assert (err.value.report.errors[0].row, err.value.report.errors[0].column) == (3, "population")


def test_peers_command_ranks_units_of_the_same_level(tmp_path):
    import typer
    from typer.testing import CliRunner

    from dugnad.cli import rollup as rollup_cli

    (tmp_path / "units.csv").write_text(
        "unit,name,group,tags,parent,population,x,y\n"
        "01,Fylke,,,,,,\n"
        "A,A,K1,,01,5,1,10\nB,B,K2,,01,5,2,10\nC,C,K1,,01,5,3,30\n",
        encoding="utf-8",
    )
    app = typer.Typer()
    rollup_cli.register(app)
    args = ["peers", "--units", str(tmp_path / "units.csv"), "--unit", "A", "--vars", "x=1,y=1", "--format", "csv"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "rank,unit,name,distance,group,x,y"
    assert lines[1].startswith(f"1,B,B,{math.sqrt(1.5):.4f},K2")
    assert lines[2].startswith(f"2,C,C,{math.sqrt(10.5):.4f},K1")
    same = CliRunner().invoke(app, [*args, "--same-group"])
    assert [line.split(",")[1] for line in same.stdout.strip().splitlines()[1:]] == ["C"]
