"""The one pass over the observations: validation counters, the status and the trend-window end points.

Observations are keyed by text codes in files; the pass maps them onto the integer keys of ``units`` (``uid``)
and ``ind`` (``iid``) through the ENUM types ``unit_code`` and ``indicator_code`` (whose positions are the keys;
a CSV file is read straight into them) and groups by the integer pair, so the aggregation never hashes or
stores strings. The same pass counts what validation needs:

- rows whose unit or indicator is unknown (they fall into groups with a NULL key),
- rows with no year or a value that is not finite,
- duplicate years per unit × indicator: a group of n rows spanning under 64 years has duplicates exactly
  when fewer than n bits are set in the OR of ``1 << (year & 63)`` (rows without a year fail the run anyway);
  groups spanning 64 years or more (rare) are checked exactly by a second, restricted query.

The status (latest non-missing value at or before the year limit) and the trend end points (the value at the
start and the end of the indicator's trend window, else the nearest year within ±1, ties to the year inside the
window) come from the same groups. The year of an end point is recovered from the smallest ordering key: for
the start, key = 2·|year − from| + (year < from), so 0 → from, 2 → from + 1, 3 → from − 1; for the end,
key = 2·|year − to| + (year > to), so 0 → to, 2 → to − 1, 3 → to + 1.

At scale the pass runs in parts: when there are more than ``GROUPS_PER_PASS`` unit × indicator pairs, the units are
cut into ranges of consecutive codes and each range is aggregated on its own (a filter on the raw unit column, which
a Parquet scan answers from its row-group statistics). A part's group states then stay within the CPU caches:
at 150 M observations (10 M pairs) the pass took 66.6 CPU-s in one part and 27.3 in ten (docs/benchmarks.md).
Every row falls in exactly one part (the first also takes a missing unit), so the counters are the same.
A CSV source is never split: each part would parse the file again.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass

import duckdb

from dugnad.analytics.scoring.sql import sql_text


@dataclass(frozen=True)
class SummaryCounts:
    """What the pass found wrong (all zero for clean input) and how many rows it read."""

    rows: int
    unknown_keys: int
    bad_cells: int
    duplicate_groups: int

    @property
    def clean(self) -> bool:
        """True when the observations need no located validation report."""
        return not (self.unknown_keys or self.bad_cells or self.duplicate_groups)


def _keyed(source: str, enum_keys: bool) -> str:
    """The observations with integer keys ``uid``/``iid`` (NULL for an unknown code), year and value."""
    if enum_keys:
        uid, iid = "enum_code(unit)", "enum_code(indicator)"
    else:
        uid = "enum_code(TRY_CAST(CAST(unit AS VARCHAR) AS unit_code))"
        iid = "enum_code(TRY_CAST(CAST(indicator AS VARCHAR) AS indicator_code))"
    return (f"(SELECT CAST({uid} AS INTEGER) AS uid, CAST({iid} AS INTEGER) AS iid, CAST(year AS INTEGER) AS year, "
            f"CAST(value AS DOUBLE) AS value FROM {source})")


def summary_sql(source: str, year: int | None, enum_keys: bool = False) -> str:
    """SQL creating ``obs_summary`` (one row per uid × iid, NULL keys for unknown codes) from a relation."""
    return "CREATE OR REPLACE TEMP TABLE obs_summary AS" + summary_select(source, year, enum_keys)


def summary_select(source: str, year: int | None, enum_keys: bool = False) -> str:
    """The query behind ``obs_summary`` (one row per uid × iid, NULL keys for unknown codes) over a relation.

    ``source`` yields columns unit, indicator (text, or the ENUM types when ``enum_keys``), year (integer) and
    value (double).
    """
    ok = "o.value IS NOT NULL" + (f" AND o.year <= {int(year)}" if year is not None else "")
    d0, d1 = "(o.year - i.trend_from)", "(o.year - i.trend_to)"
    k0 = f"(2 * abs({d0}) + ({d0} < 0)::INTEGER)"
    k1 = f"(2 * abs({d1}) + ({d1} > 0)::INTEGER)"
    w0 = f"{ok} AND abs({d0}) <= 1"
    w1 = f"{ok} AND abs({d1}) <= 1"
    return f"""
WITH s AS (
    SELECT o.uid, o.iid,
        count(*) AS n_rows,
        count(*) FILTER (WHERE o.year IS NULL OR NOT isfinite(o.value)) AS n_bad,
        max(o.year) - min(o.year) AS span,
        bit_count(bit_or(1::UBIGINT << (o.year & 63)::UBIGINT)) AS n_year_bits,
        max(o.year) FILTER (WHERE {ok}) AS year,
        arg_max(o.value, o.year) FILTER (WHERE {ok}) AS value,
        min({k0}) FILTER (WHERE {w0}) AS k0,
        arg_min(o.value, {k0}) FILTER (WHERE {w0}) AS v0,
        min({k1}) FILTER (WHERE {w1}) AS k1,
        arg_min(o.value, {k1}) FILTER (WHERE {w1}) AS v1
    FROM {_keyed(source, enum_keys)} o LEFT JOIN ind i ON i.iid = o.iid
    GROUP BY o.uid, o.iid
)
SELECT s.uid, s.iid, n_rows, n_bad, span, n_year_bits, year, value, v0,
    i.trend_from + CASE k0 WHEN 0 THEN 0 WHEN 2 THEN 1 ELSE -1 END AS y0, v1,
    i.trend_to + CASE k1 WHEN 0 THEN 0 WHEN 2 THEN -1 ELSE 1 END AS y1
FROM s LEFT JOIN ind i ON i.iid = s.iid
"""


#: Unit × indicator pairs aggregated in one part of the pass (measured best between 0.5 M and 2 M on 2 cores);
#: env ``DUGNAD_SCORE_GROUPS_PER_PASS`` overrides it (the benchmark sets it very high to time the pass in one part).
GROUPS_PER_PASS = int(os.environ.get("DUGNAD_SCORE_GROUPS_PER_PASS", "") or 1_000_000)


def unit_parts(con: duckdb.DuckDBPyConnection, groups_per_pass: int | None = None) -> list[str]:
    """Row filters on the raw ``unit`` column that cut the observations into parts of about ``groups_per_pass`` pairs.

    One filter ``true`` when a single pass is enough. The ranges follow the order of the unit codes (``uid``).
    """
    n_units, n_ind = con.execute("SELECT (SELECT count(*) FROM units), (SELECT count(*) FROM ind)").fetchone()
    per_part = max(1, (groups_per_pass or GROUPS_PER_PASS) // max(1, n_ind))
    if n_units <= per_part:
        return ["true"]
    cuts = [row[0] for row in con.execute(
        f"SELECT unit FROM units WHERE uid > 0 AND uid % {per_part} = 0 ORDER BY uid").fetchall()]
    text = "CAST(unit AS VARCHAR)"
    bounds = [f"'{sql_text(code)}'" for code in cuts]
    parts = [f"({text} < {bounds[0]} OR unit IS NULL)"]
    parts += [f"({text} >= {lo} AND {text} < {hi})" for lo, hi in itertools.pairwise(bounds)]
    parts.append(f"{text} >= {bounds[-1]}")
    return parts


def summarise(con: duckdb.DuckDBPyConnection, source: str, year: int | None, enum_keys: bool = False,
              groups_per_pass: int | None = None) -> SummaryCounts:
    """Run the pass into ``obs_summary`` and return its validation counters (``load_tables`` must have run)."""
    parts = ["true"] if enum_keys else unit_parts(con, groups_per_pass)
    for n, where in enumerate(parts):
        part = source if where == "true" else f"(SELECT * FROM {source} WHERE {where})"
        con.execute(summary_sql(part, year, enum_keys) if n == 0
                    else "INSERT INTO obs_summary" + summary_select(part, year, enum_keys))
    rows, unknown, bad, dupes, wide = con.execute("""
        SELECT coalesce(sum(n_rows), 0),
            coalesce(sum(n_rows) FILTER (WHERE uid IS NULL OR iid IS NULL), 0),
            coalesce(sum(n_bad), 0),
            count(*) FILTER (WHERE span < 64 AND n_year_bits < n_rows),
            count(*) FILTER (WHERE span >= 64)
        FROM obs_summary""").fetchone()
    if wide and not unknown:
        dupes += con.execute(f"""
            SELECT count(*) FROM (
                SELECT 1 FROM {_keyed(source, enum_keys)} o
                SEMI JOIN (SELECT uid, iid FROM obs_summary WHERE span >= 64) w ON w.uid = o.uid AND w.iid = o.iid
                WHERE o.year IS NOT NULL
                GROUP BY o.uid, o.iid, o.year HAVING count(*) > 1 LIMIT 1)""").fetchone()[0]
    return SummaryCounts(rows=int(rows), unknown_keys=int(unknown), bad_cells=int(bad), duplicate_groups=int(dupes))
