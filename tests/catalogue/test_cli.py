"""The catalogue commands: list goals, frameworks and indicators; import; load specs."""

from __future__ import annotations

import csv
import io

import pytest
from typer.testing import CliRunner

from dugnad.catalogue.services import catalogue_load_snapshot
from dugnad.cli.main import app
from tests.conftest import shared_path

pytestmark = pytest.mark.django_db
runner = CliRunner()


def _csv(output: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(output)))


def test_goals_as_csv():
    catalogue_load_snapshot()
    result = runner.invoke(app, ["catalogue", "goals", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = _csv(result.stdout)
    assert len(rows) == 17
    assert rows[0]["farge"] == "#E5243B" and rows[0]["delmål"] == "7"


def test_frameworks_and_indicators_as_csv():
    catalogue_load_snapshot()
    frameworks = _csv(runner.invoke(app, ["catalogue", "frameworks", "-f", "csv"]).stdout)
    assert {r["kode"]: r["indikatorer"] for r in frameworks}["de-norske-malepunktene"] == "459"
    result = runner.invoke(app, ["catalogue", "indicators", "--framework", "un-sdg-indicators", "-f", "csv"])
    rows = _csv(result.stdout)
    assert len(rows) == 248
    assert [r["kode"] for r in rows[:3]] == ["1.1.1", "1.2.1", "1.2.2"]


def test_an_unknown_framework_is_an_error():
    result = runner.invoke(app, ["catalogue", "indicators", "--framework", "nope"])
    assert result.exit_code == 1


def test_import_command_reports_and_is_idempotent():
    source = str(shared_path("no/ks-sdg-taxonomy") / "U4SSC.ttl")
    first = runner.invoke(app, ["catalogue", "import-ks-taxonomy", source])
    assert first.exit_code == 0, first.output
    assert "111 indikatorer (111 nye" in first.stdout
    second = runner.invoke(app, ["catalogue", "import-ks-taxonomy", source])
    assert "ingen endringer" in second.stdout


def test_load_specs_command_rejects_a_bad_file(tmp_path):
    catalogue_load_snapshot()
    path = tmp_path / "specs.csv"
    path.write_text(
        "indicator,goal,label,upper_bound,lower_bound,green,red,in_index,applies_to,trend_from,trend_to\n"
        "3.2.1,3,U5MR,two,25,,,1,,,\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["catalogue", "load-specs", str(path), "--framework", "un-sdg-indicators"])
    assert result.exit_code == 1
    assert "row 2, column upper_bound" in result.stderr
