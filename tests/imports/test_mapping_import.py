"""`dugnad import FILE --map MAPPING.yaml`: real-world CSV files read with a mapping, all-or-nothing, located errors."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from tests.factories import FrameworkFactory, IndicatorFactory, LevelFactory, UnitFactory
from typer.testing import CliRunner

from dugnad.analytics.formats.mapping import load_mapping
from dugnad.analytics.report import InputError
from dugnad.cli.main import app
from dugnad.imports.mapped import mapping_import
from dugnad.observations.models import ImportRun, Observation
from dugnad.units.models import CodeChange

pytestmark = pytest.mark.django_db
runner = CliRunner()


def _d(year: int) -> dt.date:
    return dt.date(year, 1, 1)


@pytest.fixture(autouse=True)
def registry():
    """Telemark across the 2020 and 2024 reforms, two «Våler» in 2020–2023, and two indicators (one a percentage)."""
    country, county, municipality = (LevelFactory(code=c) for c in ("country", "county", "municipality"))
    norge = UnitFactory(code="0", name="Norge", level=country, valid_from=_d(1900))
    counties = {}
    for code, name, start, end in (("08", "Telemark", 2015, 2020), ("38", "Vestfold og Telemark", 2020, 2024),
                                   ("40", "Telemark", 2024, None), ("39", "Vestfold", 2024, None),
                                   ("30", "Viken", 2020, 2024), ("34", "Innlandet", 2020, None)):
        counties[code] = UnitFactory(code=code, name=name, level=county, parent=norge, valid_from=_d(start),
                                     valid_to=_d(end) if end else None)
    for code, name, parent, start, end in (
        ("0806", "Skien", "08", 2015, 2020), ("3807", "Skien", "38", 2020, 2024), ("4003", "Skien", "40", 2024, None),
        ("3801", "Horten", "38", 2020, 2024), ("3901", "Horten", "39", 2024, None),
        ("3018", "Våler (Viken)", "30", 2020, 2024), ("3419", "Våler (Innlandet)", "34", 2020, None),
    ):
        UnitFactory(code=code, name=name, level=municipality, parent=counties[parent], valid_from=_d(start),
                    valid_to=_d(end) if end else None)
    for old, new, year in (("0806", "3807", 2020), ("3807", "4003", 2024), ("3801", "3901", 2024),
                           ("08", "38", 2020), ("38", "40", 2024), ("38", "39", 2024)):
        CodeChange.objects.create(change_type="recode", old_code=old, new_code=new, date=_d(year))
    telemark = FrameworkFactory(code="telemark")
    return {"share": IndicatorFactory(framework=telemark, code="dekning", unit_of_measure="prosent"),
            "count": IndicatorFactory(framework=telemark, code="antall", unit_of_measure="antall")}


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(textwrap.dedent(text).lstrip().encode(encoding))
    return path


MAPPING = """
version: 1
source: {name: "FHI Kommunehelsa statistikkbank", licence: "NLOD 2.0", attribution: "Folkehelseinstituttet"}
unit: {column: Kommunenummer, by: code, aliases: {"00": "0"}}
indicator: {code: "telemark:dekning"}
period: {column: År, rule: year}
value: {column: Andel, scale: 100}
"""


def run(tmp_path: Path, data: str, mapping: str, *, encoding: str = "utf-8", dry_run: bool = False):
    csv = write(tmp_path / "data.csv", data, encoding)
    return mapping_import(data=csv.read_bytes(), name="data.csv", mapping=write(tmp_path / "m.yaml", mapping),
                          dry_run=dry_run)


def stored() -> dict:
    return {(o.unit.code, o.indicator.code, o.period, o.dimension_key): (o.value, o.status)
            for o in Observation.objects.current().select_related("unit", "indicator")}


def errors(result) -> list[tuple]:
    return [(p.file, p.row, p.column, p.value) for p in result.report.errors]


def test_scale_dates_and_aliases_are_imported_with_the_source_in_the_provenance(tmp_path):
    result = run(tmp_path, """
        Kommunenummer,Kommune,År,Andel
        00,Landet,2021-01-01,0.934
        3807,Skien,2022-01-01,0.9359999999999999
        4003,Skien,2024,0.95
    """, MAPPING)
    assert result.ok, result.report.as_text()
    assert stored() == {("0", "dekning", "2021", ""): (93.4, "ok"), ("3807", "dekning", "2022", ""): (93.6, "ok"),
                        ("4003", "dekning", "2024", ""): (95.0, "ok")}
    run_ = ImportRun.objects.get()
    assert run_.kind == "mapping"
    assert run_.provenance["source"]["attribution"] == "Folkehelseinstituttet"
    assert run_.provenance["mapping"] == "m.yaml"


def test_interval_rule_filters_dimensions_and_missing_markers(tmp_path):
    mapping = """
    version: 1
    source: {name: FHI}
    unit: {column: Kommunenummer}
    indicator: {column: Måltall, values: {"andel (prosent)": "telemark:dekning", "antall": "telemark:antall"}}
    period: {column: År (intervall), rule: interval-end}
    value: {column: Verdi, scale: 1}
    dimensions: {Alder: age}
    filter: {Kjønn: ["Kjønn samlet", "Begge kjønn"], Parameter: "hygienisk kvalitet"}
    missing: {"..": missing, ":": confidential, "": missing}
    """
    result = run(tmp_path, """
        Kommunenummer,År (intervall),Kjønn,Parameter,Alder,Måltall,Verdi
        4003,2022-2024,Kjønn samlet,hygienisk kvalitet,0-17 år,andel (prosent),12.5
        4003,2022-2024,Menn,hygienisk kvalitet,0-17 år,andel (prosent),not a number but filtered out
        4003,2022-2024,Begge kjønn,leveringsstabilitet,0-17 år,andel (prosent),99
        4003,2022-2024,Begge kjønn,hygienisk kvalitet,alle,antall,..
        3807,2020-2022,Kjønn samlet,hygienisk kvalitet,alle,antall,:
        3807,2019-2021,Kjønn samlet,hygienisk kvalitet,alle,antall,
    """, mapping)
    assert result.ok, result.report.as_text()
    assert stored() == {
        ("4003", "dekning", "2024", "age=0-17 år"): (12.5, "ok"),
        ("4003", "antall", "2024", "age=alle"): (None, "missing"),
        ("3807", "antall", "2022", "age=alle"): (None, "confidential"),
        ("3807", "antall", "2021", "age=alle"): (None, "missing"),
    }


def test_interval_start_and_latin1_semicolon_decimal_comma_file(tmp_path):
    mapping = """
    version: 1
    source: {name: SSB}
    file: {encoding: latin-1, separator: ";", skip_rows: 1}
    unit: {column: Kommune, by: name, scope: "40"}
    indicator: {code: "telemark:antall"}
    period: {column: Periode, rule: interval-start}
    value: {column: Verdi, decimal: ","}
    """
    result = run(tmp_path, """
        Tabell 1: Utslipp i Telemark
        Kommune;Periode;Verdi
        Skien;2021-2023;1 234,5
        Skien;2024-2026;7,25
    """, mapping, encoding="latin-1")
    assert result.ok, result.report.as_text()
    assert stored() == {("3807", "antall", "2021", ""): (1234.5, "ok"), ("4003", "antall", "2024", ""): (7.25, "ok")}


def test_names_resolve_across_reforms_within_a_historical_or_current_county_scope(tmp_path):
    data = """
        Kommune,År,Antall
        Skien,2016,1
        Skien,2021,2
        SKIEN,2024,3
        Hele landet,2024,4
    """
    for scope in ("40", "08", "38"):
        mapping = MAPPING.replace('{column: Kommunenummer, by: code, aliases: {"00": "0"}}',
                                  f'{{column: Kommune, by: name, scope: "{scope}", aliases: {{"Hele landet": "0"}}}}')
        mapping = mapping.replace("Andel, scale: 100", "Antall").replace("dekning", "antall")
        result = run(tmp_path, data, mapping)
        assert result.ok, result.report.as_text()
    assert {k[0]: k[2] for k in stored()} == {"0806": "2016", "3807": "2021", "4003": "2024", "0": "2024"}


def test_an_ambiguous_name_asks_for_the_county_and_nothing_is_written(tmp_path):
    mapping = """
    version: 1
    source: {name: test}
    unit: {column: Kommune, by: name}
    indicator: {code: "telemark:antall"}
    period: {column: År}
    value: {column: Antall}
    """
    result = run(tmp_path, "Kommune,År,Antall\nSkien,2021,1\nVåler,2021,2\n", mapping)
    assert not result.ok
    assert errors(result) == [("data.csv", 3, "Kommune", "Våler")]
    reason = result.report.errors[0].reason
    assert "ambiguous" in reason and "give the county" in reason and "3018" in reason and "3419" in reason
    assert not Observation.objects.exists()
    # with the county, the name is one unit
    assert run(tmp_path, "Kommune,År,Antall\nVåler,2021,2\n",
               mapping.replace("by: name}", 'by: name, scope: "34"}')).ok


def test_unknown_names_are_located_with_the_closest_real_names(tmp_path):
    mapping = MAPPING.replace('{column: Kommunenummer, by: code, aliases: {"00": "0"}}',
                              '{column: Kommune, by: name, scope: "40"}')
    result = run(tmp_path, "Kommune,År,Andel\nSkein,2024,0.5\nHorten,2024,0.5\n", mapping)
    assert not result.ok
    assert errors(result) == [("data.csv", 2, "Kommune", "Skein"), ("data.csv", 3, "Kommune", "Horten")]
    assert "closest: Skien" in result.report.errors[0].reason
    assert "unknown unit name in county 40" in result.report.errors[1].reason
    assert not Observation.objects.exists()


def test_a_year_before_the_unit_existed_is_an_error_by_name_and_by_code(tmp_path):
    by_name = MAPPING.replace('{column: Kommunenummer, by: code, aliases: {"00": "0"}}',
                              '{column: Kommune, by: name, scope: "40"}').replace("Kommunenummer", "Kommune")
    result = run(tmp_path, "Kommune,År,Andel\nSkien,2012,0.5\n", by_name)
    assert errors(result) == [("data.csv", 2, "Kommune", "Skien")]
    assert "did not exist in 2012" in result.report.errors[0].reason
    result = run(tmp_path, "Kommunenummer,År,Andel\n4003,2021,0.5\n4003,2024,0.5\n", MAPPING)
    assert errors(result) == [("data.csv", 2, "unit", "4003")]
    assert "did not exist" in result.report.errors[0].reason
    assert not Observation.objects.exists()


def test_bad_periods_values_and_out_of_bounds_percentages_are_located_and_nothing_is_written(tmp_path):
    result = run(tmp_path, """
        Kommunenummer,År,Andel
        4003,2024,0.5
        4003,2022-2024,0.5
        4003,tjuefjorten,0.5
        4003,2025,-0.05
        4003,2026,1.5
        4003,2027,..
        4003,2028,
    """, MAPPING)
    assert not result.ok
    assert errors(result) == [
        ("data.csv", 3, "År", "2022-2024"), ("data.csv", 4, "År", "tjuefjorten"), ("data.csv", 5, "Andel", "-5.0"),
        ("data.csv", 6, "Andel", "150.0"), ("data.csv", 7, "Andel", ".."), ("data.csv", 8, "Andel", ""),
    ]
    reasons = [p.reason for p in result.report.errors]
    assert "interval-end" in reasons[0]
    assert reasons[2] == reasons[3] == "En prosentandel må ligge mellom 0 og 100."
    assert "missing markers: none" in reasons[4] and 'add ""' in reasons[5]
    assert not Observation.objects.exists()
    assert ImportRun.objects.get().status == "failed"


def test_plain_import_refuses_percentages_out_of_the_grid_bounds(tmp_path):
    csv = write(tmp_path / "plain.csv", "unit,indicator,year,value\n4003,telemark:dekning,2024,-5\n"
                                        "4003,telemark:dekning,2025,150\n4003,telemark:antall,2024,150\n")
    result = runner.invoke(app, ["import", str(csv)])
    assert result.exit_code == 1
    assert "row 2, column value: En prosentandel må ligge mellom 0 og 100." in result.output
    assert "row 3, column value" in result.output and "row 4" not in result.output
    assert not Observation.objects.exists()


def test_cli_map_option_imports_and_reports(tmp_path):
    csv = write(tmp_path / "d.csv", "Kommunenummer,År,Andel\n4003,2024,0.5\n")
    mapping = write(tmp_path / "m.yaml", MAPPING)
    result = runner.invoke(app, ["import", str(csv), "--map", str(mapping)])
    assert result.exit_code == 0, result.output
    assert "1 rows: 1 new" in result.output
    assert stored() == {("4003", "dekning", "2024", ""): (50.0, "ok")}
    bad = write(tmp_path / "bad.yaml", MAPPING.replace("rule: year", "rule: decade").replace("scale: 100", "skala: 9"))
    result = runner.invoke(app, ["import", str(csv), "--map", str(bad)])
    assert result.exit_code == 1
    assert "bad.yaml, column period.rule: unknown rule" in result.output
    assert "bad.yaml, column value.skala: unknown key; did you mean 'scale'?" in result.output


def test_a_bad_mapping_names_file_key_and_why():
    with pytest.raises(InputError) as caught:
        load_mapping(b"version: 1\nunit: {column: K, by: navn}\nindicator: {code: a, column: b}\n"
                     b"period: {column: P}\nvalue: {column: V, scale: -1}\nmissing: {'..': gone}\n", name="m.yaml")
    got = {(p.file, p.column) for p in caught.value.report.errors}
    assert got == {("m.yaml", "unit.by"), ("m.yaml", "indicator"), ("m.yaml", "indicator.values"), ("m.yaml", "value.scale"),
                   ("m.yaml", "missing...")}
    with pytest.raises(InputError) as caught:
        load_mapping(b"version: 1\nunit: [\n", name="m.yaml")
    assert caught.value.report.errors[0].row is not None


def test_a_missing_column_is_named_with_the_mapping_key(tmp_path):
    result = run(tmp_path, "Kommunenr,År,Andel\n4003,2024,0.5\n", MAPPING)
    assert errors(result) == [("data.csv", 1, "Kommunenummer", None)]
    assert "unit.column" in result.report.errors[0].reason and "did you mean 'Kommunenr'" in result.report.errors[0].reason
