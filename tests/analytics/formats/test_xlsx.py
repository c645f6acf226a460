"""Tidy XLSX reader and writer: sheets, cell types and located problems."""

from __future__ import annotations

import pytest
from openpyxl import Workbook, load_workbook
from tests.analytics.formats.sample_tables import mixed_table

from dugnad.analytics.formats import read_table, write_table
from dugnad.analytics.report import InputError


def workbook(tmp_path, sheets: dict[str, list[list]]):
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "book.xlsx"
    book.save(path)
    return path


def test_reads_the_first_sheet_with_numbers_text_and_decimal_comma(tmp_path):
    path = workbook(tmp_path, {"Ark1": [["unit", "indicator", "year", "kjønn", "value"],
                                        ["0301", "pop", 2020, "K", 12.5],
                                        ["0301", "pop", 2021, "K", "1,5"],
                                        ["0301", "pop", 2022, "K", None]],
                               "Ark2": [["nothing"]]})
    table = read_table(path).table
    assert table.to_pylist() == [
        {"unit": "0301", "indicator": "pop", "period": "2020", "kjønn": "K", "value": 12.5, "status": "ok"},
        {"unit": "0301", "indicator": "pop", "period": "2021", "kjønn": "K", "value": 1.5, "status": "ok"},
        {"unit": "0301", "indicator": "pop", "period": "2022", "kjønn": "K", "value": None, "status": "missing"},
    ]


def test_sheet_option_and_unknown_sheet(tmp_path):
    path = workbook(tmp_path, {"notes": [["hello"]], "data": [["unit", "indicator", "period", "value"], ["46", "a", "2020", 3]]})
    assert read_table(path, sheet="data").table.column("unit").to_pylist() == ["46"]
    with pytest.raises(InputError) as caught:
        read_table(path, sheet="Ark9")
    [problem] = caught.value.report.errors
    assert problem.sheet == "Ark9" and "notes, data" in problem.reason


def test_unit_codes_stored_as_numbers_get_their_leading_zero_back_with_a_warning(tmp_path):
    path = workbook(tmp_path, {"data": [["unit", "indicator", "period", "value"], [301, "a", 2020, 1], [3, "a", 2020, 2],
                                        [0, "a", 2020, 3], [4601, "a", 2020, 4]]})
    result = read_table(path)
    assert result.table.column("unit").to_pylist() == ["0301", "03", "0", "4601"]
    assert [(w.sheet, w.row, w.column) for w in result.report.warnings] == [("data", 2, "A (unit)"), ("data", 3, "A (unit)")]


def test_problems_are_located_by_sheet_row_and_column_letter(tmp_path):
    path = workbook(tmp_path, {"data": [["unit", "indicator", "period", "value"], ["0301", "a", "2020", "mange"],
                                        ["0301", "a", "2021", True], ["0301", "a", "2021", 2], ["0301", "a", "2021", 3]]})
    with pytest.raises(InputError) as caught:
        read_table(path)
    problems = caught.value.report.errors
    assert [(p.sheet, p.row, p.column) for p in problems] == [("data", 2, "D (value)"), ("data", 3, "D (value)"),
                                                              ("data", 5, None)]
    assert problems[2].value == "same as row 4" and "duplicate observation" in problems[2].reason


def test_broken_and_empty_workbooks_are_input_errors(tmp_path):
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="not a readable XLSX"):
        read_table(tmp_path / "broken.xlsx")
    path = workbook(tmp_path, {"empty": []})
    with pytest.raises(InputError, match="empty"):
        read_table(path)


def test_writer_keeps_codes_as_text(tmp_path):
    write_table(mixed_table(), tmp_path / "out.xlsx", format="xlsx", sheet="observasjoner")
    sheet = load_workbook(tmp_path / "out.xlsx", read_only=True)["observasjoner"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("unit", "indicator", "period", "sex", "age", "value", "status")
    assert rows[3][:3] == ("0301", "1.1.1", "2020") and rows[3][5] is None and rows[3][6] == "missing"


def _openpyxl_workbook(path, sheets):
    """The writer's previous implementation (openpyxl, write-only): the reference the package writer must match."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)


def test_the_package_writer_holds_what_openpyxl_would_write_cell_by_cell(tmp_path):
    from dugnad.analytics.formats.xlsx_package import column_letter, write_workbook

    rows = [["unit", "indicator", "period", "note", "value", "flag"],
            ["0301", "1.1.1", "2020", "  leading & <trailing>  ", 1.5, True],
            ["4601", "D01.1", "2021", 'quote " and \u00e6\u00f8\u00e5 \u2013 \U0001F600', 245284.0, False],
            ["03", "x", "2022", None, None, None],
            ["46", "y", "2023", "tab\there, bell\x07 gone", 1e-7, 3],
            ["0", "z", "2024", "", -17446.25, 2**40]]
    about = [("Tittel", "Dugnad: Bergen"), ("Side", "https://dugnad.example.no/enheter/4601/"), ("Merknad", "")]
    write_workbook(tmp_path / "fast.xlsx", [("data", rows), ("om", about)])
    _openpyxl_workbook(tmp_path / "slow.xlsx", [("data", [[c.replace("\x07", "") if isinstance(c, str) else c
                                                            for c in r] for r in rows]), ("om", about)])
    fast, slow = load_workbook(tmp_path / "fast.xlsx"), load_workbook(tmp_path / "slow.xlsx")
    assert fast.sheetnames == slow.sheetnames == ["data", "om"]
    for name in fast.sheetnames:
        got = [[c.value for c in row] for row in fast[name].iter_rows()]
        want = [[c.value for c in row] for row in slow[name].iter_rows()]
        assert got == want, name
    assert fast["data"]["D2"].value == "  leading & <trailing>  " and fast["data"]["F3"].value is False
    # deterministic bytes: the same table gives the same file (a static site rebuild rewrites nothing)
    write_workbook(tmp_path / "again.xlsx", [("data", rows), ("om", about)])
    assert (tmp_path / "again.xlsx").read_bytes() == (tmp_path / "fast.xlsx").read_bytes()
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def test_a_written_workbook_reads_back_through_the_registry(tmp_path):
    write_table(mixed_table(), tmp_path / "out.xlsx", format="xlsx", about=[("Kilde", "SSB")])
    back = read_table(tmp_path / "out.xlsx").table
    assert back.num_rows == mixed_table().num_rows
    assert back.column("unit").to_pylist() == mixed_table().column("unit").to_pylist()
    assert load_workbook(tmp_path / "out.xlsx")["om"]["B1"].value == "SSB"
