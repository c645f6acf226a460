"""Tidy tables used by the round-trip tests: every status, dimensions with gaps, Norwegian codes."""

from __future__ import annotations

from dugnad.analytics.formats import read_table

#: Every status, a value kept with 'confidential', empty dimension cells and unit codes with leading zeros.
MIXED_CSV = """unit,indicator,period,sex,age,value,status
0,1.1.1,2020,F,0-17,12.5,ok
0,1.1.1,2020,M,0-17,13.25,ok
0301,1.1.1,2020,F,0-17,,missing
0301,1.1.1,2021,F,0-17,,confidential
0301,1.1.1,2022,M,18+,7,confidential
03,3.2.1,2021,M,18+,,not_applicable
46,3.2.1,2020,M,18+,245284,provisional
4601,3.2.1,2020,F,,-0.001,ok
4601,3.2.1,2021,,,1e-07,ok
"""


def mixed_table():
    """The tidy table of MIXED_CSV."""
    return read_table(MIXED_CSV.encode(), format="csv").table


def sorted_rows(table) -> list[dict]:
    """Rows of a tidy table in a canonical order (for comparing round trips)."""
    keys = [c for c in table.column_names if c not in ("value", "status")]
    return sorted(table.to_pylist(), key=lambda r: tuple(str(r[k]) for k in keys))
