"""Frictionless data package writer and reader (Open SDG: test_open_sdg.py)."""

from __future__ import annotations

import json

from frictionless import Package
from tests.analytics.formats.sample_tables import mixed_table

from dugnad.analytics.formats import write_table


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
