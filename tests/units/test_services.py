"""Loading the registry snapshot into the database, and reading it back through selectors and the CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from dugnad.analytics.codes import ChangeKind, CodeChangeEvent
from dugnad.analytics.report import InputError
from dugnad.cli.main import app
from dugnad.units.models import CodeChange, Level, Unit
from dugnad.units.registry.snapshot import SHIPPED_NORWAY
from dugnad.units.selectors import code_change_events, units_valid_on
from dugnad.units.services import registry_load_snapshot

pytestmark = pytest.mark.django_db
runner = CliRunner()


def _list(*args: str) -> list[list[str]]:
    result = runner.invoke(app, ["units", "list", *args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return [line.split(",") for line in result.stdout.strip().splitlines()]


def test_loading_creates_levels_units_and_changes(registry):
    assert registry.counts["units"] == [958, 0]
    assert Level.objects.count() == 3
    assert Unit.objects.count() == 958
    assert CodeChange.objects.count() == len(json.loads(SHIPPED_NORWAY.read_text(encoding="utf-8"))["code_changes"])
    assert "958 enheter" in registry.summary()


def test_loading_again_changes_nothing(registry):
    before = list(Unit.objects.order_by("pk").values())
    again = registry_load_snapshot()
    assert not again.changed
    assert list(Unit.objects.order_by("pk").values()) == before


def test_loading_keeps_attributes_others_stored_and_repairs_edited_fields(registry):
    bergen = Unit.objects.get(code="4601")
    bergen.attributes = {"population": 291_940}
    bergen.name = "Bjørgvin"
    bergen.save()
    again = registry_load_snapshot()
    bergen.refresh_from_db()
    assert again.counts["units"] == [0, 1]
    assert (bergen.name, bergen.attributes) == ("Bergen", {"population": 291_940})


def test_parents_are_the_county_valid_at_the_same_time(registry):
    halden_2023 = Unit.objects.valid_on(dt.date(2023, 12, 31)).get(name="Halden")
    halden_2024 = Unit.objects.valid_on(dt.date(2024, 1, 1)).get(name="Halden")
    assert (halden_2023.code, halden_2023.parent.code, halden_2023.parent.name) == ("3001", "30", "Viken")
    assert (halden_2024.code, halden_2024.parent.code, halden_2024.parent.name) == ("3101", "31", "Østfold")
    assert halden_2024.parent.parent.code == "0"


def test_a_broken_snapshot_changes_nothing(db, tmp_path):
    data = json.loads(SHIPPED_NORWAY.read_text(encoding="utf-8"))
    data["units"][5]["level"] = "kommune"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        registry_load_snapshot(path=broken)
    assert caught.value.report.errors[0].path == "units[5]"
    assert Unit.objects.count() == 0 and Level.objects.count() == 0


@pytest.mark.parametrize(
    ("level", "day", "count"),
    [("county", "2024-01-01", 15), ("county", "2023-12-31", 11), ("county", "2019-12-31", 18),
     ("county", "2015-01-01", 19), ("municipality", "2024-01-01", 357), ("municipality", "2023-12-31", 356),
     ("municipality", "2019-12-31", 422), ("municipality", "2015-01-01", 428), ("country", "2024-01-01", 1)],
)
def test_the_cli_lists_the_units_valid_on_a_date(registry, level, day, count):
    rows = _list("--level", level, "--on", day)
    assert rows[0][:2] == ["code", "name"]
    assert len(rows) - 1 == count
    assert {r[2] for r in rows[1:]} == {level}


def test_the_cli_list_shows_parents_periods_and_population(populated):
    rows = {r[0]: r for r in _list("--level", "county", "--on", "2023-06-01")}
    # No figure for 2023 is shipped: the nearest earlier year, 2021, answers (the sum of its municipalities).
    assert rows["54"] == ["54", "Troms og Finnmark - Romsa ja Finnmárku - Tromssa ja Finmarkku", "county", "0",
                          "2020-01-01", "2024-01-01", "242168"]


def test_the_cli_rejects_an_unknown_level_and_a_bad_date(registry):
    result = runner.invoke(app, ["units", "list", "--level", "fylke"])
    assert result.exit_code == 1 and "unknown level 'fylke'" in result.stderr
    result = runner.invoke(app, ["units", "list", "--on", "1.1.2024"])
    assert result.exit_code == 1 and "not a date" in result.stderr


def test_the_cli_lists_code_changes(registry):
    result = runner.invoke(app, ["units", "changes", "--from", "2024-01-01", "--level", "county", "--format", "csv"])
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("date,type,old_code")
    assert len(lines) - 1 == 7


def test_the_cli_loads_a_snapshot_file(db):
    result = runner.invoke(app, ["units", "load", str(SHIPPED_NORWAY)])
    assert result.exit_code == 0, result.output
    assert Unit.objects.count() == 958


def test_code_change_rows_become_events_for_reform_carrying(registry):
    events = code_change_events(level="municipality")
    assert CodeChangeEvent("3001", "3101", dt.date(2024, 1, 1), ChangeKind.RECODE, 1.0) in events
    assert CodeChangeEvent("0602", "3005", dt.date(2020, 1, 1), ChangeKind.MERGE, 1.0) in events
    assert all(len(e.old_code) == 4 for e in events)


def test_units_valid_on_orders_by_level_then_code(registry):
    codes = [u.code for u in units_valid_on(date=dt.date(2024, 1, 1))[:3]]
    assert codes == ["0", "03", "11"]
