"""Shared gaps of a set of units, ranked by population affected."""

from __future__ import annotations

import pytest

from dugnad.analytics.gaps import colours_from_rows, gap_record, shared_gaps
from dugnad.analytics.report import InputError

MEMBERS = ["1", "2", "3", "4"]
POPULATION = {"1": 100, "2": 200, "3": 300, "4": 400}
COLOURS = [
    ("1", "I1", "red"), ("2", "I1", "orange"), ("3", "I1", "green"), ("4", "I1", "yellow"),
    ("3", "I2", "red"), ("4", "I2", "Red"),
    ("1", "I3", "red"), ("9", "I3", "red"),  # unit 9 is not a member
    ("1", "I4", "orange"), ("2", "I4", "grey"), ("3", "I4", "grey"),
]  # fmt: skip


def test_gaps_are_ranked_by_population_affected_with_counts():
    gaps = shared_gaps(COLOURS, MEMBERS, populations=POPULATION)
    assert [(g.rank, g.indicator) for g in gaps] == [(1, "I2"), (2, "I1")]
    first, second = gaps
    assert (first.red, first.orange, first.affected, first.population_affected) == (2, 0, 2, 700)
    assert first.units == ("3", "4")
    assert (second.red, second.orange, second.share, second.population_affected) == (1, 1, 0.5, 300)
    assert second.assessed == 4


def test_min_share_is_a_parameter_and_non_members_are_ignored():
    gaps = {g.indicator: g for g in shared_gaps(COLOURS, MEMBERS, populations=POPULATION, min_share=0.25)}
    assert set(gaps) == {"I1", "I2", "I3", "I4"}
    assert gaps["I3"].units == ("1",) and gaps["I3"].population_affected == 100


def test_share_of_assessed_members_counts_only_coloured_units():
    gaps = {g.indicator: g for g in shared_gaps(COLOURS, MEMBERS, populations=POPULATION, base="assessed")}
    assert gaps["I4"].assessed == 1 and gaps["I4"].share == 1.0
    assert "I4" not in {g.indicator for g in shared_gaps(COLOURS, MEMBERS, populations=POPULATION)}


def test_unknown_population_is_counted_not_guessed():
    gaps = shared_gaps(COLOURS, MEMBERS, populations={"3": 300})
    top = gaps[0]
    assert top.indicator == "I2" and top.population_affected == 300 and top.population_unknown == 1
    assert gap_record(top)["units"] == "3|4"


def test_bad_colours_and_shares_are_errors():
    with pytest.raises(InputError, match="unknown colour"):
        shared_gaps([("1", "I1", "purple")], MEMBERS)
    with pytest.raises(InputError, match="more than one colour"):
        shared_gaps([("1", "I1", "red"), ("1", "I1", "green")], MEMBERS)
    with pytest.raises(InputError, match="min_share"):
        shared_gaps(COLOURS, MEMBERS, min_share=0)
    with pytest.raises(InputError, match="no column 'colour'"):
        colours_from_rows([{"unit": "1", "indicator": "I1"}], file="s.csv")


def test_gaps_command_reads_a_score_directory(tmp_path):
    import typer
    from typer.testing import CliRunner

    from dugnad.cli import rollup as rollup_cli

    (tmp_path / "units.csv").write_text(
        "unit,name,group,tags,parent,population\n40,Fylke,,,,\n1,a,,,40,100\n2,b,,,40,200\n3,c,,,40,300\n4,d,,,40,400\n",
        encoding="utf-8",
    )
    scores = tmp_path / "scores"
    scores.mkdir()
    lines = ["unit,indicator,goal,year,value,score,colour,trend,ratio"]
    lines += [f"{u},{i},1,2024,1,1,{c},," for u, i, c in COLOURS if u != "9"]
    (scores / "indicator_scores.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    app = typer.Typer()
    rollup_cli.register(app)
    args = ["gaps", "--scores", str(scores), "--units", str(tmp_path / "units.csv"), "--parent", "40", "--format", "csv"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = result.stdout.strip().splitlines()
    assert rows[1].startswith("1,I2,4,2,2,0,0.5,700.0,0,3|4")
    assert rows[2].startswith("2,I1,4,4,1,1,0.5,300.0,0,1|2")
    missing = CliRunner().invoke(app, ["gaps", "--scores", str(tmp_path), "--units", str(tmp_path / "units.csv")])
    assert missing.exit_code == 1 and "no indicator_scores.csv" in " ".join(missing.output.split())


def test_gaps_command_reads_the_real_output_of_dugnad_score(tmp_path):
    import typer
    from typer.testing import CliRunner

    from dugnad.analytics.scoring import read_inputs, score, write_outputs
    from dugnad.cli import rollup as rollup_cli

    (tmp_path / "units.csv").write_text(
        "unit,name,group,tags,parent,population\n40,Fylke,,,,\n1,a,,,40,100\n2,b,,,40,200\n3,c,,,40,300\n4,d,,,40,400\n",
        encoding="utf-8",
    )
    (tmp_path / "ind.csv").write_text(
        "indicator,goal,label,upper_bound,lower_bound,green,red\nI1,1,I1,100,0,80,50\nI2,3,I2,0,100,10,30\n", encoding="utf-8"
    )
    # I1 (higher is better): 1 red (40), 2 orange (60), 3 and 4 green. I2 (lower is better): 3 and 4 red.
    obs = "unit,indicator,year,value\n" + "".join(
        f"{u},{i},2024,{v}\n" for u, i, v in [(1, "I1", 40), (2, "I1", 60), (3, "I1", 90), (4, "I1", 95),
                                                (1, "I2", 5), (2, "I2", 8), (3, "I2", 50), (4, "I2", 60)]
    )  # fmt: skip
    (tmp_path / "obs.csv").write_text(obs, encoding="utf-8")
    result = score(read_inputs(tmp_path / "ind.csv", tmp_path / "units.csv", tmp_path / "obs.csv"))
    write_outputs(result, tmp_path / "scores")
    app = typer.Typer()
    rollup_cli.register(app)
    args = ["gaps", "--scores", str(tmp_path / "scores"), "--units", str(tmp_path / "units.csv"), "--parent", "40",
            "--format", "csv"]  # fmt: skip
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output
    rows = out.stdout.strip().splitlines()[1:]
    assert [r.split(",")[1] for r in rows] == ["I2", "I1"]  # 700 people affected, then 300
    assert rows[0].startswith("1,I2,4,4,2,0,0.5,700.0,0,3|4")
