"""The ``dugnad units import-klass`` command: file only, all-or-nothing."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from dugnad.cli.main import app
from dugnad.units.population.snapshot import SHIPPED_NORWAY_POPULATION, FigureSet, PopulationSnapshot, population_write
from dugnad.units.registry.snapshot import SHIPPED_NORWAY, snapshot_dumps, snapshot_read

runner = CliRunner()


def test_import_from_an_api_without_klass_104_stops_and_writes_nothing(klass_server, tmp_path):
    # The loopback server has no Klass 104, so reading a URL stops with a clear error and writes nothing.
    out = tmp_path / "norway.json"
    result = runner.invoke(app, ["units", "import-klass", "--source", klass_server.url, "--out", str(out),
                                 "--since", "2020-01-01"])
    assert result.exit_code == 1
    assert "classifications/104" in result.stderr and "HTTP 404" in result.stderr
    assert not out.exists()


def test_import_from_a_directory_writes_the_shipped_snapshot(klass_dir, tmp_path):
    out = tmp_path / "norway.json.gz"
    result = runner.invoke(app, ["units", "import-klass", "--source", str(klass_dir), "--out", str(out),
                                 "--population", str(SHIPPED_NORWAY_POPULATION)])
    assert result.exit_code == 0, result.output
    assert snapshot_dumps(snapshot_read(out)) == SHIPPED_NORWAY.read_text(encoding="utf-8")


def test_a_bad_population_file_is_reported_with_its_entry(klass_dir, tmp_path):
    people = tmp_path / "people.json"
    people.write_text(json.dumps({"format": "dugnad-population/1", "figures": [
        {"year": 2024, "level": "municipality", "basis": "published", "values": {"1508": 67000, "1580": "ni tusen"}}]}),
        encoding="utf-8")
    out = tmp_path / "norway.json"
    result = runner.invoke(app, ["units", "import-klass", "--source", str(klass_dir), "--out", str(out),
                                 "--population", str(people)])
    assert result.exit_code == 1
    assert "figures[0].values.1580" in result.stderr
    assert not out.exists()


def test_population_weights_reach_the_snapshot(klass_dir, tmp_path):
    people = tmp_path / "people.json"
    population_write(PopulationSnapshot("NO", {}, [FigureSet(2024, "municipality", "published",
                                                             {"1508": 60_000, "1580": 15_000})]), people)
    out = tmp_path / "norway.json"
    result = runner.invoke(app, ["units", "import-klass", "--source", str(klass_dir), "--out", str(out),
                                 "--population", str(people)])
    assert result.exit_code == 0, result.output
    changes = json.loads(out.read_text(encoding="utf-8"))["code_changes"]
    alesund = {c["new_code"]: (c["weight"], c["weight_basis"]) for c in changes if c["old_code"] == "1507"}
    assert alesund == {"1508": (0.8, "population"), "1580": (0.2, "population")}
