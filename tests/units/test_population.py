"""Population in the database: loaded from the shipped snapshot, read through one selector with one rule."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from typer.testing import CliRunner

from dugnad.analytics.report import InputError
from dugnad.cli.main import app
from dugnad.units.models import Population, Unit
from dugnad.units.selectors import population, populations
from dugnad.units.services import population_load_snapshot

pytestmark = pytest.mark.django_db
runner = CliRunner()


def _unit(code: str, day: str) -> Unit:
    return Unit.objects.valid_on(dt.date.fromisoformat(day)).get(code=code)


def test_units_list_shows_every_municipalitys_real_population(populated, shared):
    result = runner.invoke(app, ["units", "list", "--level", "municipality", "--on", "2024-01-01", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    ssb = json.loads(shared("no/codes/norway-geodata/municipalities-2025.json").read_text(encoding="utf-8"))
    assert {code: int(r["population"]) for code, r in rows.items()} == {m["id"]: m["population"] for m in ssb}
    assert rows["0301"]["population"] == "717710" and rows["4635"]["population"] == "2234"  # Oslo, Gulen


def test_loading_counts_every_figure_and_again_changes_nothing(populated):
    assert (populated.created, populated.total, populated.years) == (Population.objects.count(), 1109, [2020, 2021, 2024])
    assert "2020, 2021, 2024" in populated.summary()
    again = population_load_snapshot()
    assert (again.created, again.updated) == (0, 0)


def test_a_year_without_a_figure_takes_the_nearest_earlier_year(populated):
    oslo = _unit("0301", "2024-01-01")
    assert [population(oslo, y) for y in (2019, 2020, 2021, 2022, 2023, 2024, 2026)] == [
        None, 693_494, 697_010, 697_010, 697_010, 717_710, 717_710]


def test_the_rule_follows_the_code_across_renames_but_not_across_reforms(populated):
    # 5001 was renamed "Trondheim - Tråante" in 2023: the 2021 figure of 5001 answers for 2023.
    assert population(_unit("5001", "2023-06-01"), 2023) == population(_unit("5001", "2021-06-01"), 2021)
    # 3101 Halden exists from 2024: nothing before; 3001 Halden ended in 2023: its own figures only.
    halden_2024, halden_2023 = _unit("3101", "2024-01-01"), _unit("3001", "2023-06-01")
    assert population(halden_2024, 2023) is None and population(halden_2024, 2024) > 0
    assert population(halden_2023, 2023) == 31_387 and population(halden_2023, 2020) == 31_373  # 2021, 2020
    # Units before 2020 have no figure: the first year shipped is 2020.
    assert population(_unit("0602", "2019-06-01"), 2019) is None


def test_counties_and_the_country_are_the_sums_of_their_municipalities(populated):
    municipalities = Unit.objects.at_level("municipality").valid_on(dt.date(2024, 1, 1))
    figures = populations(municipalities, 2024)
    assert population(_unit("0", "2024-01-01"), 2024) == sum(figures.values()) == 5_550_203
    vestland = _unit("46", "2024-01-01")
    assert population(vestland, 2024) == sum(figures[u.pk] for u in municipalities.filter(parent=vestland))


def test_the_batched_form_answers_like_the_single_one(populated):
    units = list(Unit.objects.valid_on(dt.date(2022, 6, 1)))
    batch = populations(units, 2022)
    assert {u.pk: population(u, 2022) for u in units[:40]} == {u.pk: batch[u.pk] for u in units[:40]}
    assert all(batch[u.pk] for u in units)  # every unit of 2022 has its 2021 figure


def test_a_snapshot_for_units_the_registry_lacks_loads_nothing(registry, tmp_path):
    bad = tmp_path / "people.json"
    bad.write_text(json.dumps({"format": "dugnad-population/1", "figures": [
        {"year": 2024, "level": "municipality", "basis": "published", "values": {"0301": 717710, "3001": 31444}}]}),
        encoding="utf-8")
    with pytest.raises(InputError) as caught:
        population_load_snapshot(path=bad)
    assert caught.value.report.errors[0].path == "figures[0].values.3001"
    assert Population.objects.count() == 0
    result = runner.invoke(app, ["units", "load-population", str(bad)])
    assert result.exit_code == 1 and "no unit 3001 valid on 2024-01-01" in result.stderr


def test_size_bands_are_one_vocabulary_read_from_real_population(populated):
    from dugnad.units.selectors import size_bands
    from dugnad.units.vocab import SizeBand

    assert [SizeBand.of(p) for p in (None, 0, 4_999, 5_000, 19_999, 20_000, 99_999, 100_000)] == [
        SizeBand.UNKNOWN, SizeBand.SMALL, SizeBand.SMALL, SizeBand.MEDIUM, SizeBand.MEDIUM, SizeBand.LARGE,
        SizeBand.LARGE, SizeBand.CITY]
    oslo, gulen, drammen_2019 = _unit("0301", "2024-01-01"), _unit("4635", "2024-01-01"), _unit("0602", "2019-01-01")
    bands = size_bands([oslo, gulen, drammen_2019], 2024)
    assert (bands[oslo.pk], bands[gulen.pk], bands[drammen_2019.pk]) == (SizeBand.CITY, SizeBand.SMALL, SizeBand.UNKNOWN)
    assert str(SizeBand.MEDIUM.label) == "5 000–19 999 innbyggere"
