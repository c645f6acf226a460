"""Building the Norwegian registry from the recorded Klass responses, checked against SSB's own lists."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil

import pytest

from dugnad.analytics.report import InputError
from dugnad.imports.connectors.klass import KlassDirectorySource
from dugnad.units.population.snapshot import population_read
from dugnad.units.registry.builder import build_norway_registry
from dugnad.units.registry.snapshot import SHIPPED_NORWAY, snapshot_dumps, snapshot_read

TODAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def built(request):
    """The registry built from the recorded Klass files with the shipped population for split weights."""
    from tests.conftest import shared_path

    root = shared_path("no/klass/kommuneendringer").parent
    return build_norway_registry(KlassDirectorySource(root), population=population_read(), today=TODAY)


def _names(snapshot, day: str, level: str = "municipality") -> dict[str, str]:
    return {u.code: u.name for u in snapshot.units_on(dt.date.fromisoformat(day), level)}


def test_the_shipped_snapshot_is_what_the_importer_makes_from_the_recorded_klass_files(built):
    assert snapshot_dumps(built.snapshot) == SHIPPED_NORWAY.read_text(encoding="utf-8")


def test_the_snapshot_carries_the_ssb_attribution():
    snapshot = snapshot_read(SHIPPED_NORWAY)
    assert "Statistisk sentralbyrå" in snapshot.attribution["text"]
    assert snapshot.attribution["licence"] == "NLOD 2.0 / CC BY 4.0"


@pytest.mark.parametrize(
    ("day", "counties", "municipalities"),
    [("2015-01-01", 19, 428), ("2016-12-31", 19, 428), ("2017-01-01", 19, 426), ("2018-01-01", 18, 422),
     ("2019-12-31", 18, 422), ("2020-01-01", 11, 356), ("2023-12-31", 11, 356), ("2024-01-01", 15, 357),
     ("2026-01-01", 15, 357)],
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
    assert [(u.valid_from, u.valid_to) for u in oslo] == [("2015-01-01", None)]
    # Rows are cut where the name or the parent row changes: 50 Trøndelag took its Sámi form in 2020.
    trondheim = [(u.name, u.valid_from, u.valid_to) for u in built.snapshot.units if u.code == "5001"]
    assert trondheim == [("Trondheim", "2018-01-01", "2020-01-01"), ("Trondheim", "2020-01-01", "2023-01-01"),
                         ("Trondheim - Tråante", "2023-01-01", None)]
    halden = {u.code: (u.valid_from, u.valid_to, u.parent) for u in built.snapshot.units if u.name == "Halden"}
    assert halden == {"0101": ("2015-01-01", "2020-01-01", "01"), "3001": ("2020-01-01", "2024-01-01", "30"),
                      "3101": ("2024-01-01", None, "31")}


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
    assert units[("0301", "2015-01-01")].name == "Oslo"
    assert units[("0301", "2015-01-01")].other_names == {"sma": "Oslove"}
    assert built.snapshot.names_as_of == "2026-01-01"


def test_change_types_match_ssbs_classified_change_list(built, shared):
    with shared("no/derived/kommune_changes_2019_2024.csv").open(encoding="utf-8") as handle:
        expected = {(r["changeOccurred"], r["oldCode"], r["newCode"]): r["change_type"] for r in csv.DictReader(handle)}
    ours = {(c.date, c.old_code, c.new_code): c.type for c in built.snapshot.code_changes
            if c.level == "municipality" and "2019" <= c.date <= "2024-12-31"}
    assert ours == expected


def test_splits_without_population_get_equal_shares_and_say_so(klass_dir):
    snapshot = build_norway_registry(KlassDirectorySource(klass_dir), today=TODAY).snapshot
    alesund = {c.new_code: (c.type, c.weight, c.weight_basis) for c in snapshot.code_changes if c.old_code == "1507"}
    assert alesund == {"1508": ("split", 0.5, "equal"), "1580": ("split", 0.5, "equal")}
    assert "no population given" in snapshot.notes[-1]
    viken = {c.new_code: (c.type, c.weight_basis) for c in snapshot.code_changes
             if c.old_code == "30" and c.level == "county"}
    assert viken == {"31": ("split", "municipalities"), "32": ("split", "municipalities"), "33": ("split", "municipalities")}
    # 12 of Viken's 51 municipalities went to Østfold.
    ostfold = next(c for c in snapshot.code_changes if (c.old_code, c.new_code) == ("30", "31"))
    assert ostfold.weight == round(12 / 51, 6)


def test_real_population_gives_split_weights_where_a_split_is_clean(built, shared):
    municipalities = json.loads(shared("no/codes/norway-geodata/municipalities-2025.json").read_text(encoding="utf-8"))
    people = {m["id"]: m["population"] for m in municipalities}
    alesund = {c.new_code: (c.weight, c.weight_basis) for c in built.snapshot.code_changes if c.old_code == "1507"}
    total = people["1508"] + people["1580"]
    assert alesund == {"1508": (round(people["1508"] / total, 6), "population"),
                       "1580": (round(1 - round(people["1508"] / total, 6), 6), "population")}
    viken = {c.new_code: c.weight for c in built.snapshot.code_changes if c.old_code == "30" and c.level == "county"}
    akershus = sum(v for k, v in people.items() if k.startswith("32"))
    viken_total = sum(v for k, v in people.items() if k[:2] in ("31", "32", "33"))
    assert viken["32"] == round(akershus / viken_total, 6)
    # Tysfjord's and Snillfjord's parts joined other municipalities, and Stokke's (2017) too: the population of
    # the new units says nothing about the parts, and no source gives them, so the shares stay equal.
    unclean = {c.weight_basis for c in built.snapshot.code_changes
               if c.old_code in ("1850", "5012", "0720") and c.type == "split"}
    assert unclean == {"equal"}


def test_a_county_that_gains_municipalities_is_merged_with_itself(built):
    # 1567 Rindal moved from Møre og Romsdal to Trøndelag (5061) in 2019.
    rindal = {(c.old_code, c.new_code): c.type for c in built.snapshot.code_changes
              if c.level == "county" and c.date == "2019-01-01"}
    assert rindal == {("15", "15"): "split", ("15", "50"): "split", ("50", "50"): "merge"}


def test_units_valid_before_the_2020_reform_have_their_periods(built):
    periods = {(u.code, u.valid_from): (u.name, u.valid_to, u.parent) for u in built.snapshot.units}
    assert periods[("0602", "2015-01-01")] == ("Drammen", "2020-01-01", "06")
    assert periods[("0625", "2015-01-01")] == ("Nedre Eiker", "2020-01-01", "06")
    assert periods[("0711", "2015-01-01")] == ("Svelvik", "2020-01-01", "07")
    assert periods[("1850", "2015-01-01")] == ("Tysfjord - Divtasvuodna", "2020-01-01", "18")
    assert periods[("3001", "2020-01-01")] == ("Halden", "2024-01-01", "30")
    assert periods[("1601", "2015-01-01")] == ("Trondheim", "2018-01-01", "16")
    assert periods[("5061", "2019-01-01")] == ("Rindal", "2020-01-01", "50")
    assert periods[("0710", "2017-01-01")][0] == "Sandefjord"
    assert built.snapshot.coverage_from == "2015-01-01"
    assert "Kommuneinndeling 2015, Kommuneinndeling 2017" in " ".join(built.snapshot.notes)


def test_the_rebuilt_2019_version_is_ssbs_2019_list(built, shared):
    # SSB's own 2019 list (a Klass 131 export); its names leave out the county SSB adds to homonyms in the
    # change list ("Våler" there, "Våler (Østfold)" here), and the export garbles one Sámi letter.
    with shared("no/codes/gardenberg-kommunekoder/ssb_kommunekoder_2019.csv").open(encoding="latin-1") as handle:
        ssb = {r["code"]: r["name"] for r in csv.DictReader(handle, delimiter=";") if r["code"] != "9999"}
    ours = _names(built.snapshot, "2019-06-01")
    assert set(ours) == set(ssb)
    differ = {code for code in ssb if ours[code].split(" (")[0] != ssb[code]}
    assert differ == {"2021"}  # Kárášjohka - Karasjok, written "Kárá?johka" in the export


@pytest.mark.parametrize(("column", "day"), [("2013", "2015-06-01"), ("2017", "2017-06-01"), ("2018", "2018-06-01"),
                                             ("2019", "2019-06-01")])
def test_the_rebuilt_versions_have_the_codes_of_the_2013_2020_crosswalk(built, shared, column, day):
    # The crosswalk lists the codes of 2013 (unchanged in 2015 but for three new Sámi names), 2017, 2018, 2019.
    path = shared("no/codes/gardenberg-kommunekoder/alle_kommunenummer_fra2013_til2020_wide.csv")
    with path.open(encoding="latin-1") as handle:
        codes = {r[f"kommunenummer_{column}"] for r in csv.DictReader(handle, delimiter=";")} - {"9999"}
    assert set(_names(built.snapshot, day)) == codes


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


def test_a_change_list_that_does_not_fit_the_next_version_is_reported():
    from dugnad.analytics.report import ValidationReport
    from dugnad.units.registry.changes import RawChange
    from dugnad.units.registry.reconstruct import items_before

    after = [("3005", "Drammen", "", ""), ("0301", "Oslo", "", "")]
    changes = [RawChange("0602", "Drammen", "3005", "Drammen", "2020-01-01"),
               RawChange("0711", "Svelvik", "3099", "Nowhere", "2020-01-01"),
               RawChange("0101", "Halden", "0101", "Halden", "2019-07-01")]
    report = ValidationReport()
    assert items_before(after, changes[:2], start="2019-01-01", end="2020-01-01", report=report, label="2019") == [
        ("0301", "Oslo", "", ""), ("0602", "Drammen", "", ""), ("0711", "Svelvik", "", "")]
    assert [p.value for p in report.errors] == ["3099"]
    report = ValidationReport()
    assert items_before(after, changes, start="2019-01-01", end="2020-01-01", report=report, label="2019") == []
    assert "2019-07-01 fall inside 2019" in report.errors[0].reason
