"""Tidy CSV reader and writer: columns, numbers, statuses, duplicates, encodings and row numbers."""

from __future__ import annotations

import pytest

from dugnad.analytics.formats import read_table, write_table
from dugnad.analytics.report import InputError


def read_csv(text: str | bytes, **options):
    data = text.encode() if isinstance(text, str) else text
    return read_table(data, format="csv", **options)


def errors_of(text: str | bytes, **options) -> list:
    with pytest.raises(InputError) as caught:
        read_csv(text, **options)
    return caught.value.report.errors


def test_reads_year_column_as_period_and_other_columns_as_dimensions():
    table = read_csv("unit,indicator,year,sex,value\n0301,pop,2020,F,12.5\n").table
    assert table.column_names == ["unit", "indicator", "period", "sex", "value", "status"]
    assert table.to_pylist() == [
        {"unit": "0301", "indicator": "pop", "period": "2020", "sex": "F", "value": 12.5, "status": "ok"}
    ]


def test_keeps_leading_zeros_of_unit_codes():
    table = read_csv("unit,indicator,period,value\n0301,pop,2020,1\n03,pop,2020,2\n0,pop,2020,3\n").table
    assert table.column("unit").to_pylist() == ["0301", "03", "0"]


def test_empty_value_is_missing_and_status_column_is_honoured():
    text = "unit,indicator,period,value,status\n0301,a,2020,,\n0301,a,2021,,confidential\n0301,a,2022,..,\n"
    with pytest.raises(InputError):
        read_csv(text)  # '..' in the value column is not a number
    table = read_csv(text.replace("0301,a,2022,..,", "0301,a,2022,,..")).table
    assert table.column("status").to_pylist() == ["missing", "confidential", "missing"]
    assert table.column("value").to_pylist() == [None, None, None]


def test_semicolon_file_with_bom_and_decimal_comma():
    data = "\ufeffunit;indicator;period;value\n0301;a;2020;1,5\n0301;a;2021;2.25\n".encode()
    table = read_csv(data).table
    assert table.column("value").to_pylist() == [1.5, 2.25]
    assert table.column("unit").to_pylist() == ["0301", "0301"]


def test_decimal_comma_and_thousands_spaces_are_read_in_any_csv():
    table = read_csv('unit,indicator,period,value\n0301,a,2020,"1,5"\n0301,a,2021,1 234\n').table
    assert table.column("value").to_pylist() == [1.5, 1234.0]


def test_a_number_with_both_comma_and_point_is_an_error_with_location():
    [problem] = errors_of('unit,indicator,period,value\n0301,a,2020,"1,234.5"\n')
    assert (problem.row, problem.column, problem.value) == (2, "value", "1,234.5")


def test_missing_required_columns_are_named():
    [problem] = errors_of("unit,value\n0301,1\n")
    assert "indicator" in problem.reason and "year (or period)" in problem.reason
    assert problem.row == 1


def test_both_year_and_period_is_an_error():
    assert "both 'year' and 'period'" in errors_of("unit,indicator,year,period,value\n0301,a,2020,2020,1\n")[0].reason


def test_non_numeric_value_is_located_by_row_and_column():
    [problem] = errors_of("unit,indicator,period,value\n0301,a,2020,1\n0301,a,2021,tolv\n")
    assert (problem.row, problem.column, problem.value) == (3, "value", "tolv")
    assert problem.file == "<bytes>"


def test_non_finite_numbers_are_rejected():
    for bad in ("nan", "inf", "1_000"):
        [problem] = errors_of(f"unit,indicator,period,value\n0301,a,2020,{bad}\n")
        assert problem.column == "value"


def test_duplicate_keys_name_both_rows():
    text = "unit,indicator,period,sex,value\n0301,a,2020,F,1\n0301,a,2020,M,2\n\n0301,a,2020,F,3\n"
    [problem] = errors_of(text)
    assert problem.row == 5  # the blank line 4 still counts
    assert "duplicate observation" in problem.reason and problem.value == "same as row 2"


def test_empty_file_and_header_only_file_are_errors():
    assert "empty" in errors_of("")[0].reason
    assert "empty" in errors_of(b"\xef\xbb\xbf \n")[0].reason
    assert "no data rows" in errors_of("unit,indicator,period,value\n")[0].reason


def test_not_utf8_names_the_line():
    [problem] = errors_of("unit,indicator,period,value\n0301,Tr\xf8ndelag,2020,1\n".encode("latin-1"))
    assert problem.row == 2 and "UTF-8" in problem.reason


def test_unknown_status_and_status_without_value():
    problems = errors_of("unit,indicator,period,value,status\n0301,a,2020,1,maybe\n0301,a,2021,,provisional\n")
    assert [(p.row, p.column) for p in problems] == [(2, "status"), (3, "value")]


def test_empty_key_cells_and_extra_cells_are_errors():
    problems = errors_of("unit,indicator,period,value\n,a,2020,1\n0301,a,2021,1,9\n")
    assert [(p.row, p.column) for p in problems] == [(2, "unit"), (3, None)]


def test_duplicate_header_column_is_an_error():
    assert "twice" in errors_of("unit,indicator,period,value,sex,sex\n0301,a,2020,1,F,F\n")[0].reason


def test_writer_writes_header_and_round_trips(tmp_path):
    text = ("unit,indicator,period,age,value,status\n0301,a,2020,0-17,1.25,ok\n"
            "0301,a,2021,,,confidential\n46,b,2020,x,245284,provisional\n")
    table = read_csv(text).table
    target = tmp_path / "out.csv"
    write_table(table, target, format="csv")
    assert target.read_text(encoding="utf-8") == text
    assert read_table(target).table.equals(table)
    assert not list(tmp_path.glob(".*tmp"))


def test_many_errors_are_capped_with_a_summary():
    rows = "".join(f"0301,a,{2000 + i},x\n" for i in range(250))
    problems = errors_of("unit,indicator,period,value\n" + rows)
    assert len(problems) == 201
    assert "50 more row(s) not listed" in problems[-1].reason
