"""Open SDG directory and Frictionless data package writers (and their readers)."""

from __future__ import annotations

import csv
import json

import pytest
import yaml
from frictionless import Package
from tests.analytics.formats.sample_tables import mixed_table

from dugnad.analytics.formats import read_table, write_table
from dugnad.analytics.report import InputError


def test_open_sdg_writes_one_csv_and_one_metadata_file_per_indicator(tmp_path):
    write_table(mixed_table(), tmp_path / "site", format="open-sdg", names={"1.1.1": "Andel under fattigdomsgrensen"},
                source="SSB")
    assert sorted(p.name for p in (tmp_path / "site" / "data").iterdir()) == ["indicator_1-1-1.csv", "indicator_3-2-1.csv"]
    with (tmp_path / "site" / "data" / "indicator_1-1-1.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["Year", "sex", "age", "GeoCode", "Value", "OBS_STATUS", "CONF_STATUS"]
    assert rows[0] == {"Year": "2020", "sex": "F", "age": "0-17", "GeoCode": "0", "Value": "12.5",
                       "OBS_STATUS": "A", "CONF_STATUS": ""}
    meta = yaml.safe_load((tmp_path / "site" / "meta" / "1-1-1.yml").read_text(encoding="utf-8"))
    assert meta["indicator_number"] == "1.1.1"
    assert meta["indicator_name"] == "Andel under fattigdomsgrensen"
    assert meta["graph_type"] == "line" and meta["data_non_statistical"] is False
    assert meta["source_organisation_1"] == "SSB"


def test_open_sdg_without_statuses_has_only_the_open_sdg_columns(tmp_path):
    table = read_table(b"unit,indicator,year,value\n0301,1.1.1,2020,1\n", format="csv").table
    write_table(table, tmp_path / "site", format="open-sdg")
    header = (tmp_path / "site" / "data" / "indicator_1-1-1.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "Year,GeoCode,Value"


def test_open_sdg_reader_needs_a_unit_for_headline_rows_and_reports_files(tmp_path):
    data = tmp_path / "site" / "data"
    data.mkdir(parents=True)
    (data / "indicator_3-2-1.csv").write_text("Year,Sex,GeoCode,Value\n2020,,,5\n2020,F,0301,x\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_table(tmp_path / "site")
    problems = caught.value.report.errors
    assert [(p.file.endswith("indicator_3-2-1.csv"), p.row, p.column) for p in problems] == [
        (True, 2, "GeoCode"), (True, 3, "Value")]
    (data / "indicator_3-2-1.csv").write_text("Year,Sex,GeoCode,Value\n2020,,,5\n2020,F,0301,6\n", encoding="utf-8")
    table = read_table(tmp_path / "site", unit="0").table
    assert table.to_pylist() == [
        {"unit": "0", "indicator": "3.2.1", "period": "2020", "Sex": None, "value": 5.0, "status": "ok"},
        {"unit": "0301", "indicator": "3.2.1", "period": "2020", "Sex": "F", "value": 6.0, "status": "ok"},
    ]


def test_datapackage_is_valid_for_frictionless(tmp_path):
    write_table(mixed_table(), tmp_path / "package", format="datapackage", title="Testdata")
    descriptor = json.loads((tmp_path / "package" / "datapackage.json").read_text(encoding="utf-8"))
    fields = descriptor["resources"][0]["schema"]["fields"]
    assert [f["name"] for f in fields] == ["unit", "indicator", "period", "sex", "age", "value", "status"]
    report = Package(str(tmp_path / "package" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 9


def test_frictionless_catches_a_broken_package(tmp_path):
    write_table(mixed_table(), tmp_path / "package", format="datapackage")
    resource = tmp_path / "package" / "data" / "observations.csv"
    resource.write_text(resource.read_text(encoding="utf-8").replace(",ok\n", ",bra\n", 1), encoding="utf-8")
    report = Package(str(tmp_path / "package" / "datapackage.json")).validate()
    assert not report.valid
    assert report.flatten(["rowNumber", "fieldName", "type"])[0] == [2, "status", "constraint-error"]
