"""`dugnad convert`: reads, reports, writes atomically, exits 1 on errors without writing."""

from __future__ import annotations

import json

import pytest
from tests.conftest import shared_path
from typer.testing import CliRunner

from dugnad.cli.main import app

runner = CliRunner()


@pytest.mark.usefixtures("cli_in_bokmal")  # these assert the default language
def test_converts_the_ssb_response_to_tidy_csv_with_a_json_report(tmp_path):
    source = shared_path("no/ssb-pxweb/pxwebpy/07221_v0_response_no.json")
    result = runner.invoke(app, ["convert", str(source), "--to", "csv", "--out", str(tmp_path / "out.csv"),
                                 "--report-json", str(tmp_path / "report.json")])
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "unit,indicator,period,Boligtype,value,status"
    assert lines[1] == "0,Boligindeks,2022K1,01,136.2,ok"
    assert len(lines) == 289
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["ok"] is True and report["errors"] == 0 and report["warnings"] == 1
    assert "Skrev 288 rader" in result.output


@pytest.mark.usefixtures("cli_in_bokmal")  # these assert the default language
def test_errors_exit_1_and_write_nothing(tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("unit;indicator;year;value\n0301;a;2020;1,5\n0301;a;2021;tja\n", encoding="utf-8")
    result = runner.invoke(app, ["convert", str(source), "--to", "jsonstat", "--out", str(tmp_path / "out.json"),
                                 "--report-json", str(tmp_path / "report.json")])
    assert result.exit_code == 1
    assert "row 3, column value" in result.output and "ingenting er skrevet" in result.output
    assert not (tmp_path / "out.json").exists()
    problems = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["problems"]
    assert problems == [{"reason": "value is not a number", "severity": "error", "file": str(source), "row": 3,
                         "column": "value", "value": "tja"}]


def test_sheet_from_and_options_are_passed_on(tmp_path):
    csv_path = tmp_path / "in.csv"
    csv_path.write_text("unit,indicator,period,sex,value,status\n0301,a,2020,F,1,ok\n0301,a,2021,F,,confidential\n",
                        encoding="utf-8")
    xlsx = tmp_path / "in.xlsx"
    assert runner.invoke(app, ["convert", str(csv_path), "--to", "xlsx", "--out", str(xlsx),
                               "--write-option", "sheet=Ark2"]).exit_code == 0
    out = tmp_path / "out.xml"
    result = runner.invoke(app, ["convert", str(xlsx), "--from", "xlsx", "--sheet", "Ark2", "--to", "sdmx-ml",
                                 "--out", str(out), "--write-option", "flavour=generic"])
    assert result.exit_code == 0, result.output
    assert b"GenericData" in out.read_bytes() and b'id="CONF_STATUS" value="C"' in out.read_bytes()
    bad = runner.invoke(app, ["convert", str(xlsx), "--sheet", "Nope", "--to", "csv", "--out", str(tmp_path / "x.csv")])
    assert bad.exit_code == 1 and "Nope" in bad.output


@pytest.mark.usefixtures("cli_in_bokmal")  # these assert the default language
def test_unknown_output_format_and_bad_options(tmp_path):
    result = runner.invoke(app, ["convert", "x.csv", "--to", "parquet", "--out", str(tmp_path / "x")])
    assert result.exit_code == 1 and "ukjent utformat" in result.output
    result = runner.invoke(app, ["convert", "x.csv", "--to", "csv", "--out", str(tmp_path / "x"), "--read-option", "oops"])
    assert result.exit_code == 1 and "NØKKEL=VERDI" in result.output
