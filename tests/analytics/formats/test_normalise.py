"""The one normalisation: CSV reading with located problems, checks, dimension keys, CSV writing."""

from __future__ import annotations

import math

import pyarrow as pa

from dugnad.analytics.formats import read_located, write_table
from dugnad.analytics.formats.normalise import (
    dimension_key,
    find_duplicates,
    normalise_table,
    parse_dimension_key,
    period_year,
)
from dugnad.analytics.report import ValidationReport


def located(report: ValidationReport) -> list[tuple]:
    return [(p.row, p.column, p.value) for p in report.errors]


def test_dimension_keys_are_sorted_and_skip_empty_values():
    assert dimension_key({"sex": "F", "age": "0-17", "region": ""}) == "age=0-17|sex=F"
    assert parse_dimension_key("age=0-17|sex=F") == {"age": "0-17", "sex": "F"}
    assert parse_dimension_key("") == {}


def test_period_year_takes_the_last_year_of_a_range():
    assert [period_year(p) for p in ("2024", "2024Q1", "2024M03", "2016-2020")] == [2024, 2024, 2024, 2020]


def test_rows_are_numbered_as_in_the_file_across_blank_lines_and_bad_rows(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("unit,indicator,year,value\n0301,A1,2020,1\n\n0301,A1,2021\n0301,A1,2022,zz\n0301,A1,2023,4\n",
                    encoding="utf-8")
    read = read_located(path)
    assert located(read.report) == [(4, None, "0301,A1,2021"), (5, "value", "zz")]
    good = read.table.filter(pa.compute.invert(read.table.column("_bad")))
    assert good.select(["period", "value", "_row"]).to_pylist() == [
        {"period": "2020", "value": 1.0, "_row": 2}, {"period": "2023", "value": 4.0, "_row": 6}]


def test_normalise_accepts_year_labels_and_jsonstat_symbols():
    report = ValidationReport()
    table = pa.table({"unit": [" 0301 ", "0301", "0301", "0301"], "indicator": ["A", "A", "A", "A"],
                      "year": ["2020", "2021K2", "2022M01", "2016-2020"], "value": ["1 234,5", "", "", "2"],
                      "status": ["", "..", "Skjermet", "Provisional"]})
    out = normalise_table(table, report)
    assert report.ok
    assert out.select(["unit", "period", "value", "status"]).to_pylist() == [
        {"unit": "0301", "period": "2020", "value": 1234.5, "status": "ok"},
        {"unit": "0301", "period": "2021Q2", "value": None, "status": "missing"},
        {"unit": "0301", "period": "2022M01", "value": None, "status": "confidential"},
        {"unit": "0301", "period": "2016-2020", "value": 2.0, "status": "provisional"},
    ]


def test_normalise_reports_and_flags_bad_rows():
    report = ValidationReport()
    table = pa.table({"unit": ["0301", "", "0301", "0301", "0301"], "indicator": ["A"] * 5,
                      "period": ["2020", "2020", "20x0", "2020", "2020"], "sex": ["F", "M", "F", "a|b", "F"],
                      "value": [1.0, 2.0, 3.0, 4.0, math.nan]})
    out = normalise_table(table, report)
    assert located(report) == [(3, "unit", ""), (4, "period", "20x0"), (5, "sex", "a|b"), (6, "value", "nan")]
    assert out.column("_bad").to_pylist() == [False, True, True, True, True]


def test_value_with_a_no_value_status_is_an_error():
    report = ValidationReport()
    normalise_table(pa.table({"unit": ["1"], "indicator": ["A"], "period": ["2020"], "value": ["3"],
                              "status": ["missing"]}), report)
    assert [(p.row, p.column) for p in report.errors] == [(2, "status")]


def test_duplicates_point_at_the_first_row():
    report = ValidationReport()
    table = pa.table({"k": ["a", "b", "a", "a"], "_row": [10, 11, 12, 13]})
    mask = find_duplicates(table, ["k"], report)
    assert mask.to_pylist() == [False, False, True, True]
    assert [(p.row, p.value) for p in report.errors] == [(12, "same as row 10"), (13, "same as row 10")]


def test_problem_lists_are_capped_with_a_count_of_the_rest(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("unit,indicator,year,value\n" + "0301,A1,2020,x\n" * 250, encoding="utf-8")
    report = read_located(path).report
    assert len(report.errors) == 201
    assert report.errors[-1].reason == "value is not a number: 50 more row(s) not listed"


def test_written_csv_reads_back_the_same_table(tmp_path):
    table = pa.table({"unit": ["0301", "0"], "indicator": ["A", "B"], "period": ["2020", "2021"],
                      "sex": ["F", ""], "value": [0.1 + 0.2, None], "status": ["ok", "missing"]})
    path = tmp_path / "out.csv"
    write_table(table, path, format="csv")
    assert path.read_text(encoding="utf-8").splitlines()[:2] == [
        "unit,indicator,period,sex,value,status", "0301,A,2020,F,0.30000000000000004,ok"]
    back = read_located(path)
    assert back.report.ok
    assert back.table.drop_columns(["_row", "_bad"]).to_pylist() == table.to_pylist()


def test_a_second_pass_keeps_flagged_rows_without_reporting_them_again():
    report = ValidationReport()
    table = pa.table({"unit": ["", "0301", "0301"], "indicator": ["A"] * 3, "period": ["2020"] * 3,
                      "value": ["1", "2", "3"], "status": ["", "missing", ""]})
    once = normalise_table(table, report)
    assert len(report.errors) == 2
    twice = normalise_table(once, report)
    assert len(report.errors) == 2
    assert sorted(zip(twice.column("_row").to_pylist(), twice.column("_bad").to_pylist(), strict=True)) == [
        (2, True), (3, True), (4, False)]
