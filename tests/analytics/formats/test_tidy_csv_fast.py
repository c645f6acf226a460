"""The vectorised CSV path returns exactly what the row-by-row path returns (or steps aside)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dugnad.analytics.formats import read_table
from dugnad.analytics.report import InputError

CELL = st.one_of(
    st.sampled_from(["0301", "03", "0", " 46 ", "1.5", "1,5", "-2e3", "", "  ", "ok", "OK", "missing", "..", ":",
                     "Skjermet", "x", '"q"', '"a,b"', '"two\nlines"', "1e400", "nan", "\u00a01\u00a0", "\u30001"]),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=4),
)
HEADERS = st.sampled_from([
    ["unit", "indicator", "period", "value"],
    ["unit", "indicator", "year", "sex", "value", "status"],
    ["Unit", " indicator ", "period", "value", "status", "age"],
])


def outcome(data: bytes, **options):
    """The table, or the error list, of reading ``data``."""
    try:
        return read_table(data, format="csv", **options).table
    except InputError as exc:
        return [str(p) for p in exc.report.problems]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=HEADERS, rows=st.lists(st.lists(CELL, min_size=3, max_size=7), min_size=1, max_size=6),
       delimiter=st.sampled_from([",", ";"]), ending=st.sampled_from(["\n", "\r\n"]))
def test_fast_and_row_paths_agree(header, rows, delimiter, ending):
    lines = [delimiter.join(header)] + [delimiter.join(r[: len(header)] + [""] * (len(header) - len(r))) for r in rows]
    data = (ending.join(lines) + ending).encode()
    fast, slow = outcome(data), outcome(data, fast=False)
    if isinstance(slow, list):
        assert fast == slow
    else:
        assert not isinstance(fast, list), fast
        assert fast.equals(slow), (fast.to_pylist(), slow.to_pylist())


NUMBER = st.one_of(st.floats(allow_nan=False, allow_infinity=False, width=64).map(repr),
                   st.integers(-10**6, 10**6).map(str), st.sampled_from(["", "1,25", " 7 ", ".5", "5.", "-0", "+3"]))
VALID_ROW = st.tuples(st.sampled_from(["0301", " 0301", "03", "0", "46"]), st.sampled_from(["a", "1.1.1", "Bolig"]),
                      st.sampled_from(["2020", "2021 ", "2022K1"]),
                      st.sampled_from(["F", "M", "", " K ", '"x,y"', "ø", "\u00a0z"]), NUMBER,
                      st.sampled_from(["", "ok", "OK", "missing", "..", ":", "confidential", "Skjermet", "provisional"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(VALID_ROW, min_size=1, max_size=8, unique_by=lambda r: (r[0].strip(), r[1], r[2].strip(), r[3].strip())),
       delimiter=st.sampled_from([",", ";"]))
def test_fast_and_row_paths_agree_on_mostly_valid_files(rows, delimiter):
    lines = [delimiter.join(["unit", "indicator", "period", "sex", "value", "status"])]
    lines += [delimiter.join(r) for r in rows]
    data = ("\n".join(lines) + "\n").encode()
    fast, slow = outcome(data), outcome(data, fast=False)
    if isinstance(slow, list):
        assert fast == slow
    else:
        assert not isinstance(fast, list), fast
        assert fast.equals(slow), (fast.to_pylist(), slow.to_pylist())


@pytest.mark.parametrize("text", [
    "unit,indicator,period,sex,value,status\n0301,a,2020,F,1.5,ok\n0301,a,2021,,,confidential\n0301,a,2022,M,2,Foreløpig\n",
    "unit;indicator;year;value\n0301;a;2020;1,5\n0301;a;2021;-3\n",
    'unit,indicator,period,note,value\n0301,a,2020,"x,y",1\n0301,a,2021,"two\nlines",2\n',
])
def test_clean_files_take_the_fast_path_with_the_same_result(text, monkeypatch):
    import dugnad.analytics.formats.tidy_csv as tidy_csv

    used = []
    original = tidy_csv.vectorised_table
    monkeypatch.setattr(tidy_csv, "vectorised_table", lambda *a, **k: used.append(original(*a, **k)) or used[-1])
    assert read_table(text.encode(), format="csv").table.equals(read_table(text.encode(), format="csv", fast=False).table)
    assert len(used) == 1 and used[0] is not None
