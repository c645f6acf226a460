"""`dugnad import FILE`: every registered format, auto-detected or named, located problems for each."""

from __future__ import annotations

import pytest
from tests.factories import make_registry, write_csv
from typer.testing import CliRunner

from dugnad.cli.main import app
from dugnad.observations.models import ImportRun, Observation

pytestmark = pytest.mark.django_db
runner = CliRunner()

GOOD = """
unit,indicator,year,value,status
0301,A1,2022,1.5,
3001,A1,2022,,..
3001,A1,2021,7,provisional
"""


@pytest.fixture(autouse=True)
def registry():
    return make_registry()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def stored():
    return set(Observation.objects.current().values_list("unit__code", "period", "value", "status"))


@pytest.mark.parametrize(("fmt", "name"), [("xlsx", "data.xlsx"), ("jsonstat", "data.json"), ("csv", "data.csv")])
def test_files_written_by_convert_import_with_the_same_values(tmp_path, fmt, name):
    source = write_csv(tmp_path / "in.csv", GOOD)
    out = tmp_path / name
    converted = invoke("convert", source, "--to", fmt, "--out", out)
    assert converted.exit_code == 0, converted.output

    result = invoke("import", out)

    assert result.exit_code == 0, result.output
    assert ImportRun.objects.get().kind == fmt
    assert {(u, p, v, s) for u, p, v, s in stored() if s != "missing" or v is not None} >= {
        ("0301", "2022", 1.5, "ok"), ("3001", "2021", 7.0, "provisional")}
    assert ("3001", "2022", None, "missing") in stored()


def test_csv_subcommand_stays_an_alias_and_from_names_the_format(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text(GOOD.strip() + "\n", encoding="utf-8")
    assert invoke("import", "csv", path).exit_code == 0
    again = invoke("import", path, "--from", "csv")
    assert again.exit_code == 0, again.output
    assert "(noop)" in again.output


def test_unknown_indicator_in_a_workbook_is_located_by_sheet_and_row_and_nothing_is_written(tmp_path):
    source = write_csv(tmp_path / "in.csv", "unit,indicator,year,value\n0301,A1,2022,1\n0301,NOPE,2022,2\n")
    book = tmp_path / "book.xlsx"
    assert invoke("convert", source, "--to", "xlsx", "--out", book).exit_code == 0

    result = invoke("import", book)

    assert result.exit_code == 1
    assert "book.xlsx, sheet data, row 3, column indicator: unknown indicator code (value 'NOPE')" in result.output
    assert Observation.objects.count() == 0


def test_unknown_unit_in_a_jsonstat_file_is_located_by_its_cell(tmp_path):
    source = write_csv(tmp_path / "in.csv", "unit,indicator,year,value\n0301,A1,2022,1\n7777,A1,2022,2\n")
    data = tmp_path / "data.json"
    assert invoke("convert", source, "--to", "jsonstat", "--out", data).exit_code == 0

    result = invoke("import", data)

    assert result.exit_code == 1
    assert "data.json, column unit, at $.value[1]: unknown unit code (value '7777')" in result.output
    assert Observation.objects.count() == 0


def test_a_file_of_no_known_format_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.bin"
    path.write_bytes(b"\x00\x01 nothing tidy here")
    result = invoke("import", path)
    assert result.exit_code == 1
    assert "cannot tell the format" in result.output
