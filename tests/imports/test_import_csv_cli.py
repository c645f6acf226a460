"""`dugnad import csv` and `dugnad export csv`: located reports, all-or-nothing, no-op re-imports, demo marking."""

from __future__ import annotations

import json

import pytest
from tests.factories import make_registry, run_import, write_csv
from typer.testing import CliRunner

from dugnad.cli.main import app
from dugnad.observations.models import ImportRun, Observation

pytestmark = pytest.mark.django_db
runner = CliRunner()

GOOD = """
unit,indicator,year,sex,value
0301,A1,2022,F,1.5
0301,A1,2022,,3
3001,un:3.2.1,2021,,7
"""


@pytest.fixture(autouse=True)
def registry():
    return make_registry()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_good_file_is_imported_and_summarised(tmp_path):
    result = invoke("import", "csv", write_csv(tmp_path / "good.csv", GOOD))
    assert result.exit_code == 0, result.output
    assert "3 rows: 3 new, 0 revised, 0 unchanged (ok)" in result.output
    assert Observation.objects.current().count() == 3
    run = ImportRun.objects.get()
    assert (run.kind, run.source, len(run.checksum)) == ("csv", "good.csv", 64)
    assert run.provenance["reader"] == "csv"


def test_reimporting_the_same_file_is_a_noop(tmp_path):
    path = write_csv(tmp_path / "good.csv", GOOD)
    invoke("import", "csv", path)
    before = list(Observation.objects.values_list("id", "revision", "is_current"))
    result = invoke("import", "csv", path)
    assert result.exit_code == 0, result.output
    assert "0 new, 0 revised, 3 unchanged (noop)" in result.output
    assert list(Observation.objects.values_list("id", "revision", "is_current")) == before


def test_bad_file_lists_every_problem_with_row_column_and_value_and_writes_nothing(tmp_path):
    run_import([{"unit": "0301", "indicator": "A1", "period": "2020", "value": 1.0}])
    before = Observation.objects.count()
    path = write_csv(tmp_path / "bad.csv", """
        unit,indicator,year,value
        0301,A1,2022,1.5
        9999x,A1,2022,2
        0301,3.2.1,2022,x
        0301,A1,2022,4
        0301,NOPE,2023,5
        ,A1,2023,6
    """)
    report = tmp_path / "report.json"

    result = invoke("import", "csv", path, "--report-json", report)

    assert result.exit_code == 1
    assert Observation.objects.count() == before
    for line in (
        "bad.csv, row 3, column unit: unknown unit code (value '9999x')",
        "bad.csv, row 4, column value: value is not a number (value 'x')",
        "bad.csv, row 4, column indicator: ambiguous indicator code",
        "bad.csv, row 5: duplicate observation",
        "bad.csv, row 6, column indicator: unknown indicator code (value 'NOPE')",
        "bad.csv, row 7, column unit: unit is empty",
    ):
        assert line in result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert (data["ok"], data["errors"]) == (False, 6)
    assert ImportRun.objects.latest("id").status == "failed"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty"),
        ("unit,indicator,value\n", "row 1: missing required column(s): year (or period)"),
        ("unit,indicator,year,value\n", "row 1: the file has a header but no data rows"),
        ("unit,indicator,year,value\n0301,A1,2022\n", "row 2: expected 4 field(s), found 3"),
        ("unit,indicator,year,value,value\n0301,A1,2022,1,2\n", "column value: column appears twice"),
        ("unit,indicator,period,value\n0301,A1,22,1\n", "row 2, column period: period is not a year"),
    ],
)
def test_structural_problems_are_reported(tmp_path, text, expected):
    path = tmp_path / "file.csv"
    path.write_text(text, encoding="utf-8")
    result = invoke("import", "csv", path)
    assert result.exit_code == 1
    assert expected in result.output
    assert Observation.objects.count() == 0


def test_dry_run_checks_against_the_database_but_writes_nothing(tmp_path):
    result = invoke("import", "csv", write_csv(tmp_path / "good.csv", GOOD), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "3 new" in result.output and "dry run: nothing was written" in result.output
    assert (Observation.objects.count(), ImportRun.objects.count()) == (0, 0)


def test_semicolon_file_with_decimal_commas_and_period_column(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("\ufeffUnit;Indicator;Period;Value;Status\n0301;A1;2023K1;1,25;\n0;B1;2023;;..\n", encoding="utf-8")
    result = invoke("import", "csv", path)
    assert result.exit_code == 0, result.output
    assert set(Observation.objects.values_list("period", "value", "status")) == {
        ("2023Q1", 1.25, "ok"), ("2023", None, "missing")}


def test_export_writes_current_observations_as_tidy_csv(tmp_path):
    invoke("import", "csv", write_csv(tmp_path / "good.csv", GOOD))
    run_import([{"unit": "0301", "indicator": "A1", "period": "2022", "sex": "F", "value": 2.0}])
    out = tmp_path / "out.csv"

    result = invoke("export", "csv", "--out", out)

    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines() == [
        "unit,indicator,period,sex,value,status,note",
        "0301,A1,2022,,3,ok,Kilde: good.csv",
        "0301,A1,2022,F,2,ok,Kilde: test.csv",
        "3001,un:3.2.1,2021,,7,ok,Kilde: good.csv",
    ]
    assert "Demodata" not in result.output


def test_export_filters_and_round_trips_through_import(tmp_path):
    invoke("import", "csv", write_csv(tmp_path / "good.csv", GOOD))
    out = tmp_path / "oslo.csv"
    assert invoke("export", "csv", "--out", out, "--unit", "0301", "--indicator", "A1").exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    again = invoke("import", "csv", out)
    assert "(noop)" in again.output


def test_export_marks_demo_rows(tmp_path):
    run_import([{"unit": "0", "indicator": "A1", "period": "2023", "value": 1.0}], is_demo=True, kind="demo")
    run_import([{"unit": "0", "indicator": "B1", "period": "2023", "value": 2.0}])
    out = tmp_path / "out.csv"
    result = invoke("export", "csv", "--out", out)
    assert result.exit_code == 0
    assert "Demodata – ikke ekte tall" in result.output
    assert out.read_text(encoding="utf-8").splitlines() == [
        "unit,indicator,period,value,status,note",
        "0,A1,2023,1,ok,Demodata – ikke ekte tall",
        "0,B1,2023,2,ok,Kilde: test.csv",
    ]


def test_export_note_names_the_source_and_licence_of_real_values_and_marks_entered_ones(tmp_path):
    from dugnad.observations.models import ImportRun, Observation

    run_import([{"unit": "0", "indicator": "A1", "period": "2023", "value": 1.0}], is_demo=True, kind="demo")
    run_import([{"unit": "0", "indicator": "B1", "period": "2023", "value": 2.0}], kind="telemark")
    ImportRun.objects.filter(kind="telemark").update(provenance={
        "name": "Statistisk sentralbyrå (SSB), tabell 06913", "url": "https://www.ssb.no/statbank/table/06913",
        "licence": "CC BY 4.0", "attribution": "Kilde: SSB"})
    run_import([{"unit": "0", "indicator": "A1", "period": "2024", "value": 3.0}])
    Observation.objects.filter(period="2024").update(import_run=None)  # typed in before runs were written
    out = tmp_path / "out.csv"
    assert invoke("export", "csv", "--out", out).exit_code == 0
    assert out.read_text(encoding="utf-8").splitlines() == [
        "unit,indicator,period,value,status,note",
        "0,A1,2023,1,ok,Demodata – ikke ekte tall",
        "0,A1,2024,3,ok,Registrert av kommunen",
        '0,B1,2023,2,ok,"Kilde: Statistisk sentralbyrå (SSB), tabell 06913 (lisens CC BY 4.0)"',
    ]


def test_export_of_an_ambiguous_indicator_code_fails(tmp_path):
    result = invoke("export", "csv", "--out", tmp_path / "x.csv", "--indicator", "3.2.1")
    assert result.exit_code == 1
    assert "ambiguous" in result.output
    assert not (tmp_path / "x.csv").exists()
