"""Mapping format 2 (docs/mapping.md): ``aggregate``, period rule ``yearly-mean`` and ``wide`` multi-row headers.

The reader is Django-free: these tests call ``load_mapping``/``read_mapped`` with a stand-in name lookup; the last
one imports through the store (``mapping_import``) to show the aggregated rows are what gets stored.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from dugnad.analytics.formats.mapping import NameMatch, load_mapping, read_mapped
from dugnad.analytics.report import InputError


def mapping(text: str, name: str = "m.yaml"):
    return load_mapping(textwrap.dedent(text).lstrip().encode("utf-8"), name=name)


def read(data: str, text: str, *, encoding: str = "utf-8", file: str = "data.csv"):
    m = mapping(text)
    return read_mapped(textwrap.dedent(data).lstrip().encode(encoding), m, file=file,
                       names=lambda name, year: NameMatch({"Skien": "3807", "Porsgrunn": "3806"}.get(name),
                                                          "unknown unit name"))


def rows(result) -> list[tuple]:
    return sorted((r["unit"], r["indicator"], r["period"], r["value"], r["status"])
                  for r in result.table.to_pylist() if not r["_bad"])


def problems(result, severity: str = "error") -> list[tuple]:
    found = result.report.errors if severity == "error" else result.report.warnings
    return [(p.file, p.row, p.column, p.value) for p in found]


def load_errors(text: str) -> set[tuple]:
    with pytest.raises(InputError) as caught:
        mapping(text)
    return {(p.file, p.column) for p in caught.value.report.errors}


EMISSIONS = """
Kommune,År,Sektor,Utslippskilde,Utslipp
Skien,2021,Veitrafikk,Personbiler,100.25
Skien,2021,Veitrafikk,Tunge kjøretøy,50.5
Skien,2021,Veitrafikk,Personbiler,0.1
Skien,2021,Jordbruk,Husdyr,..
Skien,2021,Jordbruk,Gjødsel,7
Porsgrunn,2021,Veitrafikk,Personbiler,0.1
Porsgrunn,2021,Veitrafikk,Personbiler,0.2
Porsgrunn,2021,Luftfart,Fly,999
"""

SUM = """
version: 2
unit: {column: Kommune, by: name}
indicator: {column: Sektor, values: {Veitrafikk: "ks:1001", Jordbruk: "ks:1010"}}
period: {column: År}
value: {column: Utslipp}
filter: {Sektor: [Veitrafikk, Jordbruk]}
missing: {"..": missing}
aggregate: {function: sum}
"""


def test_aggregate_sums_the_rows_of_a_unit_indicator_and_period_after_the_filter():
    result = read(EMISSIONS, SUM)
    assert result.report.ok, result.report.as_text()
    # repeated source names are summed too; 0.1 + 0.2 is 0.3, not 0.30000000000000004; the filtered Luftfart row
    # is not counted; a group with a missing row has no value (status of that row) unless missing: skip
    assert rows(result) == [("3806", "ks:1001", "2021", 0.3, "ok"), ("3807", "ks:1001", "2021", 150.85, "ok"),
                            ("3807", "ks:1010", "2021", None, "missing")]
    # the first row of each group locates it
    assert {r["unit"]: r["_row"] for r in result.table.to_pylist() if r["indicator"] == "ks:1001"} == {
        "3807": 2, "3806": 7}


def test_aggregate_mean_and_missing_skip():
    result = read(EMISSIONS, SUM.replace("{function: sum}", "{function: mean, missing: skip}"))
    assert rows(result) == [("3806", "ks:1001", "2021", 0.15, "ok"), ("3807", "ks:1001", "2021", 50.2833333333, "ok"),
                            ("3807", "ks:1010", "2021", 7.0, "ok")]


def test_aggregate_short_form_and_a_bad_row_stays_an_error_located_in_the_file():
    result = read(EMISSIONS.replace("Skien,2021,Veitrafikk,Tunge kjøretøy,50.5", "Skien,2021,Veitrafikk,Tunge,5O"),
                  SUM.replace("{function: sum}", "sum"))
    assert problems(result) == [("data.csv", 3, "Utslipp", "5O")]


MONTHLY = """
Kommune,Dato,Status,Andel
Skien,2024-01-01,Helt ledige,0.03
Skien,2024-02-01,Helt ledige,0.02
Skien,2024-03-01,Delvis ledige,0.5
Skien,2025-01-01,Helt ledige,0.04
Porsgrunn,2024M01,Helt ledige,0.01
Porsgrunn,2024M02,Helt ledige,
Porsgrunn,2025-01,Helt ledige,
Porsgrunn,2025-02,Helt ledige,
"""

YEARLY = """
version: 2
unit: {column: Kommune, by: name}
indicator: {code: "ks:1151"}
period: {column: Dato, rule: yearly-mean, months: 2, incomplete: not_applicable}
value: {column: Andel, scale: 100}
filter: {Status: Helt ledige}
missing: {"": confidential}
"""


def test_yearly_mean_of_months_with_required_months_else_the_declared_status_and_a_located_warning():
    result = read(MONTHLY, YEARLY)
    assert result.report.ok, result.report.as_text()
    assert rows(result) == [
        ("3806", "ks:1151", "2024", None, "not_applicable"),  # one month with a value of two required
        ("3806", "ks:1151", "2025", None, "confidential"),    # no month with a value: the months' own status
        ("3807", "ks:1151", "2024", 2.5, "ok"),               # (3 + 2) / 2; the Delvis ledige row is filtered out
        ("3807", "ks:1151", "2025", None, "not_applicable"),
    ]
    assert problems(result, "warning") == [("data.csv", 5, "Dato", "3807 2025"), ("data.csv", 6, "Dato", "3806 2024")]
    assert "1 of 2 required months" in result.report.warnings[0].reason


def test_yearly_mean_refuses_a_period_that_is_not_a_month_and_a_month_given_twice():
    data = MONTHLY.replace("Skien,2025-01-01", "Skien,2025-13-01") + "Skien,2024-02-01,Helt ledige,0.02\n"
    result = read(data, YEARLY)
    assert problems(result) == [("data.csv", 3, "Dato", "2024-02"), ("data.csv", 5, "Dato", "2025-13-01"),
                                ("data.csv", 10, "Dato", "2024-02")]
    reasons = {p.row: p.reason for p in result.report.errors}
    assert "not a month" in reasons[5] and "more than one row" in reasons[3]


def test_yearly_mean_after_summing_within_the_month():
    data = "Kommune,Dato,Status,Antall\nSkien,2024-01-01,a,1\nSkien,2024-01-01,b,2\nSkien,2024-02-01,a,5\n"
    result = read(data, YEARLY.replace("Andel, scale: 100", "Antall").replace("filter: {Status: Helt ledige}",
                                                                                  "aggregate: sum"))
    assert rows(result) == [("3807", "ks:1151", "2024", 4.0, "ok")]  # ((1 + 2) + 5) / 2


WIDE_FILE = """
Region;Navn;Kjønn: Kvinner;;Kjønn: Menn;;Kjønn: Menn
;;År: 2015;År: 2016;År: 2015;År: 2016;År: 2017
F08;Telemark;70.5;71;68;:;
F38;Vestfold og Telemark;1;2;3;4;5
"""

WIDE = """
version: 2
file: {encoding: latin-1, separator: ";"}
wide: {header_rows: [1, 2], keys: 2, parts: {1: Kjønn, 2: År}}
unit: {column: Region, aliases: {F08: "08"}}
indicator: {code: "x:vgo"}
period: {column: År}
value: {column: Verdi}
dimensions: {Kjønn: sex}
filter: {Region: F08}
missing: {"": missing, ":": confidential}
"""


def test_wide_header_lines_become_columns_and_every_value_column_a_row():
    result = read(WIDE_FILE, WIDE, encoding="latin-1")
    assert result.report.ok, result.report.as_text()
    got = sorted((r["unit"], r["period"], r["sex"], r["value"], r["status"], r["_row"]) for r in result.table.to_pylist())
    # an empty header cell takes the name to its left (a spanned header); «Kjønn: » and «År: » are stripped
    assert got == [("08", "2015", "Kvinner", 70.5, "ok", 3), ("08", "2015", "Menn", 68.0, "ok", 3),
                   ("08", "2016", "Kvinner", 71.0, "ok", 3), ("08", "2016", "Menn", None, "confidential", 3),
                   ("08", "2017", "Menn", None, "missing", 3)]


def test_wide_columns_as_indicators_and_a_bad_value_located_by_its_column_header():
    data = "Kommune;Indikator: A;Indikator: B\nSkien;1;x\n"
    text = """
        version: 2
        wide: {header_rows: 1, keys: 1, parts: {1: Indikator}}
        unit: {column: Kommune, by: name}
        indicator: {column: Indikator, values: {A: "x:a", B: "x:b"}}
        period: {value: "2024"}
        value: {column: Verdi}
    """
    result = read(data, text)
    assert problems(result) == [("data.csv", 2, "Indikator: B", "x")]
    assert rows(result) == [("3807", "x:a", "2024", 1.0, "ok")]


@pytest.mark.parametrize(("data", "text", "expected"), [
    # the mapping names a column that is neither a key column nor a header part: the header line, the column
    (WIDE_FILE, WIDE.replace("period: {column: År}", "period: {column: Year}"), ("data.csv", 1, "Year", None)),
    # the first wide column's header cell is empty
    (WIDE_FILE.replace("Kjønn: Kvinner", ""), WIDE, ("data.csv", 1, "#3", None)),
    # the file ends inside the header
    ("Region;Navn;A\n", WIDE, ("data.csv", None, None, None)),
    # two columns with the same header
    (WIDE_FILE.replace("År: 2016;År: 2015", "År: 2015;År: 2015"), WIDE,
     ("data.csv", 1, "Kjønn: Kvinner | År: 2015", "Kvinner | 2015")),
    # a data line with too many fields
    (WIDE_FILE + "F09;Aust-Agder;1;2;3;4;5;6\n", WIDE, ("data.csv", 5, None, "F09;Aust-Agder;1;2;3;4;5;6")),
])
def test_wide_file_problems_are_located(data, text, expected):
    result = read(data, text, encoding="latin-1")
    assert expected in problems(result), result.report.as_text()


@pytest.mark.parametrize(("text", "key"), [
    (SUM.replace("version: 2", "version: 1"), "aggregate"),
    (SUM.replace("{function: sum}", "{function: median}"), "aggregate.function"),
    (SUM.replace("{function: sum}", "{function: sum, missing: zero}"), "aggregate.missing"),
    (SUM.replace("{function: sum}", "{function: sum, by: x}"), "aggregate.by"),
    (SUM.replace("{function: sum}", "[sum]"), "aggregate"),
    (YEARLY.replace("version: 2", "version: 1"), "period.rule"),
    (YEARLY.replace("months: 2", "months: 13"), "period.months"),
    (YEARLY.replace("incomplete: not_applicable", "incomplete: gone"), "period.incomplete"),
    (YEARLY.replace("rule: yearly-mean, ", ""), "period.months"),
    (YEARLY.replace("version: 2", "version: 3"), "version"),
    (WIDE.replace("header_rows: [1, 2]", "header_rows: [2, 1]"), "wide.header_rows"),
    (WIDE.replace("keys: 2, ", ""), "wide.keys"),
    (WIDE.replace("{1: Kjønn, 2: År}", "{1: Kjønn, 3: År}"), "wide.parts.3"),
    (WIDE.replace("{1: Kjønn, 2: År}", "{1: Kjønn}"), "wide.parts"),
    (WIDE.replace("{1: Kjønn, 2: År}", "{1: _x, 2: År}"), "wide.parts.1"),
    (WIDE.replace("parts:", "strip_labels: ja, parts:"), "wide.strip_labels"),
    (WIDE.replace('separator: ";"}', 'separator: ";", skip_rows: 1}'), "file.skip_rows"),
    (WIDE.replace("keys: 2", "kyes: 2"), "wide.kyes"),
])
def test_each_bad_v2_key_is_named_with_the_mapping_file(text, key):
    assert ("m.yaml", key) in load_errors(text)


def test_a_version_1_mapping_reads_as_before():
    v1 = SUM.replace("version: 2", "version: 1").replace("aggregate: {function: sum}\n", "")
    result = read("Kommune,År,Sektor,Utslipp\nSkien,2021,Veitrafikk,1\n", v1)
    assert result.report.ok and rows(result) == [("3807", "ks:1001", "2021", 1.0, "ok")]


@pytest.mark.django_db
def test_aggregated_and_yearly_mean_rows_are_what_the_store_imports(tmp_path):
    from tests.factories import FrameworkFactory, IndicatorFactory, LevelFactory, UnitFactory

    from dugnad.imports.mapped import mapping_import
    from dugnad.observations.models import Observation

    UnitFactory(code="3807", name="Skien", level=LevelFactory(code="municipality"), valid_from=dt.date(2020, 1, 1),
                valid_to=dt.date(2024, 1, 1))
    ks = FrameworkFactory(code="ks")
    IndicatorFactory(framework=ks, code="1001", unit_of_measure="tonn")
    IndicatorFactory(framework=ks, code="1151", unit_of_measure="prosent")
    text = SUM.replace("by: name", "by: code").replace("Jordbruk: \"ks:1010\"", "")
    data = "Kommune,År,Sektor,Utslipp\n3807,2021,Veitrafikk,1.5\n3807,2021,Veitrafikk,2\n"
    result = mapping_import(data=data.encode(), name="e.csv", mapping=textwrap.dedent(text).encode())
    assert result.ok, result.report.as_text()
    text = YEARLY.replace("by: name", "by: code")
    data = "Kommune,Dato,Status,Andel\n3807,2023-01-01,Helt ledige,0.02\n3807,2023-02-01,Helt ledige,0.03\n"
    result = mapping_import(data=data.encode(), name="n.csv", mapping=textwrap.dedent(text).encode())
    assert result.ok, result.report.as_text()
    assert {(o.indicator.code, o.period): o.value for o in Observation.objects.current()} == {
        ("1001", "2021"): 3.5, ("1151", "2023"): 2.5}
