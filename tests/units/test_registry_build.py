"""Building the Norwegian registry from the recorded Klass responses, checked against SSB's own lists."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil

import pytest

from dugnad.analytics.report import InputError
from dugnad.imports.connectors.klass import KlassDirectorySource
from dugnad.units.registry.builder import build_norway_registry
from dugnad.units.registry.snapshot import SHIPPED_NORWAY, snapshot_dumps, snapshot_read

TODAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def built(request):
    from tests.conftest import shared_path

    root = shared_path("no/klass/kommuneendringer").parent
    return build_norway_registry(KlassDirectorySource(root), today=TODAY)


def test_the_shipped_snapshot_is_what_the_importer_makes_from_the_recorded_klass_files(built):
    assert snapshot_dumps(built.snapshot) == SHIPPED_NORWAY.read_text(encoding="utf-8")


def test_the_snapshot_carries_the_ssb_attribution():
    snapshot = snapshot_read(SHIPPED_NORWAY)
    assert "Statistisk sentralbyrå" in snapshot.attribution["text"]
    assert snapshot.attribution["licence"] == "NLOD 2.0 / CC BY 4.0"


@pytest.mark.parametrize(
    ("day", "counties", "municipalities"),
    [("2020-01-01", 11, 356), ("2023-12-31", 11, 356), ("2024-01-01", 15, 357), ("2026-01-01", 15, 357)],
)
def test_counts_of_counties_and_municipalities_on_a_date(built, day, counties, municipalities):
    on = dt.date.fromisoformat(day)
    assert len(built.snapshot.units_on(on, "county")) == counties
    assert len(built.snapshot.units_on(on, "municipality")) == municipalities
    assert [u.code for u in built.snapshot.units_on(on, "country")] == ["0"]


def test_municipalities_match_every_klass_version_in_ssbs_tidy_list(built, shared):
    with shared("no/derived/kommuner_klass131_versions_2020_2024.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for version_start in sorted({r["valid_from"] for r in rows}):
        expected = {(r["kommunenummer"], r["kommunenavn"], r["fylkesnummer"]) for r in rows
                    if r["valid_from"] == version_start and r["kommunenummer"] != "9999"}
        units = built.snapshot.units_on(dt.date.fromisoformat(version_start), "municipality")
        assert {(u.code, u.name, u.parent) for u in units} == expected, version_start


def test_a_municipality_whose_code_and_name_persist_is_one_row(built):
    oslo = [u for u in built.snapshot.units if u.code == "0301"]
    assert [(u.valid_from, u.valid_to) for u in oslo] == [("2020-01-01", None)]
    trondheim = [(u.name, u.valid_from, u.valid_to) for u in built.snapshot.units if u.code == "5001"]
    assert trondheim == [("Trondheim", "2020-01-01", "2023-01-01"), ("Trondheim - Tråante", "2023-01-01", None)]
    halden = {u.code: (u.valid_from, u.valid_to, u.parent) for u in built.snapshot.units if u.name == "Halden"}
    assert halden == {"3001": ("2020-01-01", "2024-01-01", "30"), "3101": ("2024-01-01", None, "31")}


def test_county_counts_match_ssbs_county_list(built, shared):
    with shared("no/derived/fylker_2020_2023_and_2024.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for period, day in (("2020-2023", "2022-06-01"), ("2024-", "2024-06-01")):
        expected = {r["fylkesnummer"]: int(r["antall_kommuner"]) for r in rows if r["period"] == period}
        municipalities = built.snapshot.units_on(dt.date.fromisoformat(day), "municipality")
        counted = {c.code: sum(1 for m in municipalities if m.parent == c.code)
                   for c in built.snapshot.units_on(dt.date.fromisoformat(day), "county")}
        assert counted == expected


def test_sami_and_kven_names_are_kept_by_language(built):
    units = {(u.code, u.valid_from): u for u in built.snapshot.units}
    assert units[("55", "2024-01-01")].name == "Troms - Romsa - Tromssa"
    assert units[("55", "2024-01-01")].other_names == {"fkv": "Tromssa", "se": "Romsa"}
    assert units[("5540", "2024-01-01")].other_names == {"fkv": "Kaivuono", "se": "Gáivuotna"}
    # Oslo's South Sámi name is in codesAt 2026-01-01, not yet in the 2024 version.
    assert units[("0301", "2020-01-01")].name == "Oslo"
    assert units[("0301", "2020-01-01")].other_names == {"sma": "Oslove"}
    assert built.snapshot.names_as_of == "2026-01-01"


def test_change_types_match_ssbs_classified_change_list(built, shared):
    with shared("no/derived/kommune_changes_2019_2024.csv").open(encoding="utf-8") as handle:
        expected = {(r["changeOccurred"], r["oldCode"], r["newCode"]): r["change_type"] for r in csv.DictReader(handle)}
    ours = {(c.date, c.old_code, c.new_code): c.type for c in built.snapshot.code_changes
            if c.level == "municipality" and "2019" <= c.date <= "2024-12-31"}
    assert ours == expected


def test_splits_without_population_get_equal_shares_and_say_so(built):
    alesund = {c.new_code: (c.type, c.weight, c.weight_basis) for c in built.snapshot.code_changes if c.old_code == "1507"}
    assert alesund == {"1508": ("split", 0.5, "equal"), "1580": ("split", 0.5, "equal")}


def test_county_changes_are_derived_from_municipality_changes(built):
    viken = {c.new_code: (c.type, c.weight_basis) for c in built.snapshot.code_changes
             if c.old_code == "30" and c.level == "county"}
    assert viken == {"31": ("split", "municipalities"), "32": ("split", "municipalities"), "33": ("split", "municipalities")}
    # 12 of Viken's 51 municipalities went to Østfold.
    ostfold = next(c for c in built.snapshot.code_changes if (c.old_code, c.new_code) == ("30", "31"))
    assert ostfold.weight == round(12 / 51, 6)


def test_population_gives_split_weights_where_a_split_is_clean(klass_dir, shared):
    municipalities = json.loads(shared("no/codes/norway-geodata/municipalities-2025.json").read_text(encoding="utf-8"))
    people = {m["id"]: m["population"] for m in municipalities}
    snapshot = build_norway_registry(KlassDirectorySource(klass_dir), population=people, today=TODAY).snapshot
    alesund = {c.new_code: (c.weight, c.weight_basis) for c in snapshot.code_changes if c.old_code == "1507"}
    total = people["1508"] + people["1580"]
    assert alesund == {"1508": (round(people["1508"] / total, 6), "population"),
                       "1580": (round(people["1580"] / total, 6), "population")}
    # Tysfjord's parts joined other municipalities: population of the new units says nothing about the parts.
    tysfjord = {c.weight_basis for c in snapshot.code_changes if c.old_code == "1850" and c.date == "2020-01-01"}
    assert tysfjord == {"equal"}
    viken = {c.new_code: c.weight_basis for c in snapshot.code_changes if c.old_code == "30" and c.level == "county"}
    assert set(viken.values()) == {"population"}


def test_a_broken_version_file_stops_the_import_with_its_location(klass_dir, tmp_path):
    copy = tmp_path / "klass"
    shutil.copytree(klass_dir, copy)
    version = copy / "kommuneendringer" / "klass131_version_kommuneinndeling_2023.json"
    data = json.loads(version.read_text(encoding="utf-8"))
    data["classificationItems"][3]["code"] = "11O6"
    version.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build_norway_registry(KlassDirectorySource(copy), today=TODAY)
    problem = caught.value.report.errors[0]
    assert problem.file == str(version)
    assert problem.path == "classificationItems[3]"
    assert problem.value == "11O6"
