"""The SSB mapping file: a valid file reads into specs; every mistake is reported with file, indicator and field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from dugnad.analytics.report import InputError
from dugnad.imports.connectors.mapping import mapping_from_data, mapping_load

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "ssb-mapping.yaml"


def write(tmp_path, text):
    path = tmp_path / "mapping.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_valid_file_reads_with_defaults_and_transforms(tmp_path):
    path = write(tmp_path, """
        defaults:
          region_variable: Region
          codelist: agg_KommSummer
          years: from(2015)
        indicators:
          befolkning:
            table: "07459"
            contents: Personer1
          sdg:1.2.1:
            table: "12209"
            contents: EUskala60
            filters: {Husholdningstype: "0000"}
            transform: {scale: 0.01}
          barnehage_per_1000:
            table: "12562"
            contents: KOSAbarnehage0000
            region_variable: KOKkommuneregion0000
            codelist: null
            transform:
              per_1000: {table: "07459", contents: Personer1, filters: {Alder: ["001", "002"]}}
    """)
    mapping = mapping_load(path)
    keys = [m.key for m in mapping.indicators]
    assert keys == ["befolkning", "sdg:1.2.1", "barnehage_per_1000"]
    population, low_income, kindergarten = mapping.indicators
    assert population.source.table == "07459"
    assert population.source.codelist == "agg_KommSummer"
    assert population.source.years == ["from(2015)"]
    assert population.source.regions == ["*"]
    assert low_income.source.filters == {"Husholdningstype": ["0000"]}
    assert low_income.transform.name == "scale" and low_income.transform.number == 0.01
    assert kindergarten.source.codelist is None
    denominator = kindergarten.transform.denominator
    assert (denominator.table, denominator.contents) == ("07459", "Personer1")
    assert denominator.region_variable == "KOKkommuneregion0000"  # inherited from the indicator
    assert denominator.filters == {"Alder": ["001", "002"]}
    assert mapping.tables() == ["07459", "12209", "12562"]


def test_every_problem_is_located(tmp_path):
    path = write(tmp_path, """
        indicators:
          a:
            contents: Personer1
          b:
            table: 7459
            contents: Personer1
            colour: red
          c:
            table: "07459"
            contents: Personer1
            transform: cube
          d:
            table: "07459"
            contents: Personer1
            output_values: both
            transform: {scale: lots}
          e:
            table: "07459"
            contents: Personer1
            transform: {per_1000: {contents: Personer1}}
    """)
    with pytest.raises(InputError) as caught:
        mapping_load(path)
    problems = {(p.path, p.reason.split(" (")[0].split(";")[0]) for p in caught.value.report.errors}
    assert problems == {
        ("indicators.a.table", "missing: SSB table id, e.g. \"07459\""),
        ("indicators.b.table", "table ids have 5 digits"),
        ("indicators.b.colour", "unknown field"),
        ("indicators.c.transform", "unknown transform"),
        ("indicators.d.output_values", "must be one of aggregated, single"),
        ("indicators.d.transform.scale", "needs a number, e.g. scale: 0.001"),
        ("indicators.e.transform.per_1000.table", "missing: SSB table id, e.g. \"07459\""),
    }
    assert all(p.file == str(path) for p in caught.value.report.errors)
    assert "mapping.yaml, at indicators.c.transform: unknown transform" in str(caught.value)


def test_broken_yaml_names_the_line(tmp_path):
    path = write(tmp_path, "indicators:\n  a: [unclosed\n")
    with pytest.raises(InputError) as caught:
        mapping_load(path)
    (problem,) = caught.value.report.errors
    assert problem.row == 3 and "not valid YAML" in problem.reason


def test_missing_indicators_section_and_unknown_top_level_field():
    with pytest.raises(InputError) as caught:
        mapping_from_data({"indicator": {}}, file="m.yaml")
    assert {p.path for p in caught.value.report.errors} == {"indicator", "indicators"}


def test_the_shipped_example_is_valid():
    mapping = mapping_load(EXAMPLE)
    assert len(mapping.indicators) >= 4
    assert "07459" in mapping.tables()


def test_sum_over_needs_a_filtered_variable():
    data = {"indicators": {"a": {"table": "07459", "contents": "Personer1", "sum_over": ["Alder"]},
                           "b": {"table": "07459", "contents": "Personer1", "filters": {"Alder": ["000", "001"]},
                                 "sum_over": ["Alder"]}}}
    with pytest.raises(InputError) as caught:
        mapping_from_data(data, file="m.yaml")
    (problem,) = caught.value.report.errors
    assert problem.path == "indicators.a.sum_over" and "without filters" in problem.reason
    assert mapping_from_data({"indicators": {"b": data["indicators"]["b"]}}).indicators[0].source.sum_over == ["Alder"]
