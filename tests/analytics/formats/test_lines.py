"""Over-long lines in input files get a located error instead of the CSV reader's block-boundary failure."""

from __future__ import annotations

import pytest

from dugnad.analytics.formats import InputSource, read_located
from dugnad.analytics.formats.lines import check_line_lengths
from dugnad.analytics.report import ValidationReport


@pytest.mark.parametrize(("content", "line"), [
    (b"ab\ncd\ngh", None), (b"ab\ncd\ngh\n", None), (b"", None), (b"abcd", 1), (b"ab\ncdef\ng\n", 2),
    (b"a\n" * 10 + b"xxxxx", 11), (b"ab\nc" + b"d" * 10 + b"\n", 2),
])
def test_the_first_line_over_the_limit_is_named(tmp_path, content, line):
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    report = ValidationReport()
    assert check_line_lengths(path, report, file="in.csv", limit=3) is (line is None)
    assert [p.row for p in report.problems] == ([] if line is None else [line])


def test_a_line_longer_than_the_readers_block_is_a_located_error(tmp_path):
    path = tmp_path / "long.csv"
    with path.open("wb") as handle:
        handle.write(b"unit,indicator,year,value\n0301,X,2020,1\n0301,X,2021,")
        handle.write(b"9" * (17 << 20))  # more than the Arrow reader's 16 MiB block
        handle.write(b"\n0301,X,2022,3\n")
    read = read_located(InputSource.of(path, name=path.name))
    assert read.table.num_rows == 0
    assert [(p.file, p.row) for p in read.report.errors] == [("long.csv", 3)]
    assert "longer than 1024 KiB" in read.report.errors[0].reason
